"""Scoring triage against a labelled folder (`complaint-triage eval`).

tests/data/eval holds six messages and a truth.jsonl with three deliberate
errors (see its make_eval.py), so the expected figures below are worked out
by hand: a scorer that called everything correct would fail here.
"""

import json
from pathlib import Path

import pytest
from sklearn.metrics import f1_score, precision_recall_fscore_support

from pipeline import cli
from pipeline.errors import TriageError
from pipeline.evaluate import evaluate_folder, format_report, load_truth, score
from pipeline.run import Pipeline
from pipeline.settings import Settings

EVAL = Path(__file__).parent / "data" / "eval"


@pytest.fixture(scope="module")
def report():
    return evaluate_folder(Pipeline(Settings()), EVAL)


def complaint(level, **fields):
    figures = {"amounts": [{"value": v} for v in fields.pop("amounts", [])],
               "pages": fields.pop("pages", [])}
    return {"is_complaint": True, "level": level, "figures": figures,
            "client_name": fields.pop("client", None),
            "complainant": {"name": fields.pop("name", None),
                            "phone": fields.pop("phone", None)}}


NOT_COMPLAINT = {"is_complaint": False, "level": None}


def test_eval_folder_confusion_matrix_holds_the_deliberate_mislabel(report):
    assert report.confusion == [[2, 0, 0, 0],
                                [0, 1, 0, 1],
                                [0, 0, 1, 0],
                                [0, 0, 0, 1]]


def test_eval_folder_per_class_scores_are_worked_out_by_hand(report):
    got = [(s.precision, s.recall, s.f1) for s in report.classes.values()]
    want = [(1.0, 1.0, 1.0), (1.0, 0.5, 2 / 3), (1.0, 1.0, 1.0), (0.5, 1.0, 2 / 3)]
    for got_class, want_class in zip(got, want, strict=True):
        assert got_class == pytest.approx(want_class)
    assert report.macro_f1 == pytest.approx(5 / 6)
    assert report.level3_recall == 1.0


def test_eval_folder_amounts_and_fields_count_the_deliberate_errors(report):
    assert (report.amounts.precision, report.amounts.recall) == (0.5, 0.5)
    assert report.fields == {"pages": [4, 4], "phone": [3, 4], "client": [4, 4],
                             "complainant": [3, 3]}
    assert {(m.file, m.field) for m in report.mismatches} == {
        ("e2.eml", "phone"), ("e3.eml", "amount_missing"),
        ("e3.eml", "amount_extra"), ("e5.eml", "level")}


def test_eval_command_prints_one_json_report(capsys):
    assert cli.main(["eval", "--json", str(EVAL)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 1
    data = json.loads(lines[0])
    assert data["macro_f1"] == pytest.approx(5 / 6)
    assert data["confusion"]["labels"] == ["非投诉", "一级", "二级", "三级"]
    assert data["fields"]["phone"] == {"accuracy": 0.75, "correct": 3, "total": 4}


def test_eval_command_prints_a_table_with_chinese_labels(capsys):
    assert cli.main(["eval", str(EVAL)]) == 0
    out = capsys.readouterr().out
    assert "实际＼预测  非投诉  一级  二级  三级" in out
    assert "e5.eml: level want 一级 got 三级" in out


def test_scores_agree_with_scikit_learn_on_a_mixed_set():
    want = [0, 0, 1, 1, 1, 2, 2, 3, 3, 3, 0, 2]
    got = [0, 1, 1, 2, 1, 2, 0, 3, 2, 3, 0, 2]
    truth = [{"file": f"m{i}", "is_complaint": w > 0, "level": w or None}
             for i, w in enumerate(want)]
    outputs = {f"m{i}": complaint(g) if g else NOT_COMPLAINT
               for i, g in enumerate(got)}
    result = score(truth, outputs)
    precision, recall, f1, _ = precision_recall_fscore_support(
        want, got, labels=[0, 1, 2, 3], zero_division=0)
    for c, s in result.classes.items():
        assert (s.precision, s.recall, s.f1) == pytest.approx(
            (precision[c], recall[c], f1[c]))
    assert result.macro_f1 == pytest.approx(f1_score(want, got, average="macro"))


def test_class_never_predicted_has_undefined_precision_and_zero_f1():
    truth = [{"file": "a", "is_complaint": True, "level": 3},
             {"file": "b", "is_complaint": True, "level": 1}]
    result = score(truth, {"a": complaint(1), "b": complaint(1)})
    assert result.classes[3].precision is None
    assert result.classes[3].f1 == 0.0
    assert result.classes[2].f1 is None  # absent from truth and predictions
    assert result.macro_f1 == pytest.approx((2 / 3 + 0.0) / 2)


def test_quarantined_message_counts_as_not_a_complaint():
    truth = [{"file": "q", "is_complaint": True, "level": 2}]
    out = {"quarantined": True, "reason": "empty message", "is_complaint": False}
    result = score(truth, {"q": out})
    assert result.confusion[2][0] == 1
    assert result.quarantined == {"q": "empty message"}


def test_missing_output_is_a_mismatch_and_not_scored():
    result = score([{"file": "gone", "is_complaint": False, "level": None}], {})
    assert result.scored == 0
    assert [(m.file, m.field) for m in result.mismatches] == [("gone", "output")]


@pytest.mark.parametrize("got, matches", [
    (5_600_000.01, True),         # within 0.011
    (5_600_000.02, True),         # within 1e-6 relative of 5.6 million
    (5_600_006.0, False),
])
def test_amount_matches_within_absolute_or_relative_tolerance(got, matches):
    truth = [{"file": "a", "is_complaint": True, "level": 3, "amounts": [5_600_000]}]
    result = score(truth, {"a": complaint(3, amounts=[got])})
    assert (result.amounts.true_positives == 1) is matches


def test_fields_compare_phone_digits_and_name_substrings():
    truth = [{"file": "a", "is_complaint": True, "level": 1, "amounts": [],
              "pages": [7, 3], "phone": "8613900000101",  # last 11 digits count
              "client_any": ["大華實業", "大华实业"], "complainant": "王建国"}]
    out = complaint(1, pages=[3, 7, 7], phone="(+86) 13900000101",
                    client="深圳大华实业有限公司", name="王建国经理")
    assert score(truth, {"a": out}).fields == {
        "pages": [1, 1], "phone": [1, 1], "client": [1, 1], "complainant": [1, 1]}


def test_fields_of_a_true_non_complaint_are_not_scored():
    truth = [{"file": "a", "is_complaint": False, "level": None, "phone": "1"}]
    result = score(truth, {"a": complaint(1, amounts=[10.0])})
    assert result.fields["phone"] == [0, 0]
    assert result.amounts.false_positives == 0


def test_truth_naming_a_missing_message_is_refused(tmp_path):
    (tmp_path / "truth.jsonl").write_text(
        '{"file": "nope.eml", "is_complaint": false, "level": null}\n',
        encoding="utf-8")
    with pytest.raises(TriageError, match="no such message"):
        load_truth(tmp_path)


def test_plain_report_says_none_when_everything_matches():
    truth = [{"file": "a", "is_complaint": False, "level": None}]
    text = format_report(score(truth, {"a": NOT_COMPLAINT}, "x"))
    assert "Mismatches (0):\n  none" in text
