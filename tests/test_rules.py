"""Keyword rules: each fires with its words, negations do not, threats do."""

import json
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from classifiers.anchors import UNUSUAL_CASE, anchors
from classifiers.rules import RulesError, load_rules
from classifiers.text import normalise

RULES = load_rules()


def fired(text, title=None):
    hits = RULES.check(normalise(text), {"complainant_title": title})
    return {hit.rule.name for hit in hits}


@pytest.mark.parametrize(
    "text, rule",
    [
        ("我司将发出律师\n函，并起\n诉贵所。", "legal_dispute"),
        ("我们将向注册会计师协\n会投诉。", "cpa_institute"),
        ("我司已委托律师，将就此事起诉贵所。", "legal_dispute"),
        ("如果三天内不答复，我们将起诉贵所。", "legal_dispute"),
        ("因贵所报告错误，我司被证监会立案调查。", "regulator_action"),
        ("我们会向注册会计师协会投诉。", "cpa_institute"),
        ("再不解决，我们就在微博上曝光。", "media_exposure"),
        ("贵所未对主要客户执行函证程序。", "key_procedure_missing"),
        ("要求减免本年度审计费用。", "fee_reduction_or_refund"),
        ("请贵所更换项目经理。", "replace_team"),
        ("我司董事长对此非常不满。", "senior_management_dissatisfied"),
        ("We will take legal action against your firm.", "legal_dispute"),
        ("由於貴所審計錯誤，我司將委託律師追究責任。", "legal_dispute"),
    ],
)
def test_rule_fires_on_its_words(text, rule):
    assert rule in fired(text)


@pytest.mark.parametrize(
    "text",
    [
        "我们不会起诉，只希望尽快更正。",
        "我司暂时不考虑诉讼，请尽快处理。",
        "We will not take legal action, please just fix page 5.",
    ],
)
def test_plainly_negated_threat_does_not_fire(text):
    assert "legal_dispute" not in fired(text)


def test_negation_before_conditional_threat_still_fires():
    assert "legal_dispute" in fired("如果你们不更正，我们不排除起诉的可能。")


def test_senior_title_rule_reads_the_complainant_title_not_the_text():
    assert "senior_complainant" in fired("报告第3页有错字。", title="财务总监")
    assert "senior_complainant" not in fired("报告第3页有错字。", title="财务经理")


@pytest.mark.parametrize("title, senior", [
    ("总经理助理", False), ("董事长秘书", False), ("董事会秘书", True),
    ("副总经理", True), ("集团财务总监", True), ("Finance Director", True),
])
def test_assistants_to_senior_managers_are_not_senior(title, senior):
    assert ("senior_complainant" in fired("报告有错。", title=title)) is senior


def test_hit_reason_names_level_and_matched_words():
    hit = RULES.check(normalise("我们准备起诉。"), {})[0]
    assert hit.reason.startswith("三级规则")
    assert "起诉" in hit.reason


def test_bad_pattern_in_rules_file_is_reported(tmp_path):
    bad = tmp_path / "rules.toml"
    text = (load_rules.__globals__["BUNDLED_RULES"]).read_text(encoding="utf-8")
    bad.write_text(text.replace('"起诉"', '"起诉("', 1), encoding="utf-8")
    with pytest.raises(RulesError, match="legal_dispute"):
        load_rules(bad)



# -- anchors: skipping a pattern never changes what fires ----------------------

CORPUS = Path(__file__).parent.parent / "training_data"


def _unfiltered(text, fields):
    """Every rule tried on the text, then on it with in-word breaks removed."""
    joined, _ = RULES._joined(text)
    found = []
    for rule in RULES.rules:
        hit = rule.check(text, fields, RULES.negation, None)
        if hit is None and not rule.field:
            hit = rule.check(joined, fields, RULES.negation, None)
        if hit is not None:
            found.append((hit.rule.name, hit.matched))
    return found


def _filtered(text, fields):
    return [(hit.rule.name, hit.matched) for hit in RULES.check(text, fields)]


@pytest.mark.parametrize("pattern, words", [
    ("起诉", {"起诉"}),
    ("(聘请|委托|咨询)了?(专业)?律师", {"律师"}),
    ("(否定意见|无法表示意见|非标准?意见)", {"否定意见", "无法表示意见", "非标"}),
    ("(?<![无不])保留意见", {"保留意见"}),
    ("\\bSue\\b", {"sue"}),
    ("[退返]还", {"还"}),
    ("(要求)?赔偿", {"赔偿"}),
    ("审计.{0,6}错误", {"审计"}),
    ("(起诉)\\1", {"起诉"}),
])
def test_anchors_are_words_every_match_needs(pattern, words):
    assert anchors(pattern) == words


@pytest.mark.parametrize("pattern", ["", "(?:起诉)?", ".{2,}", "[^a]+", "(a|)b?", "Ωmega",
                                     "\\d+", "(?<=起诉)"])
def test_a_pattern_without_reliable_words_is_always_searched(pattern):
    assert anchors(pattern) is None


def test_every_bundled_pattern_has_anchors():
    unanchored = [rule.name for rule in RULES.rules
                  for words in rule.anchors if words is None]
    assert not unanchored


def test_unusual_case_list_is_every_non_ascii_letter_that_folds_to_ascii():
    folds = re.compile("[\x00-\x7f]", re.IGNORECASE)
    found = [chr(code) for code in range(0x80, 0x110000)
             if not 0xD800 <= code <= 0xDFFF and folds.fullmatch(chr(code))]
    assert "".join(found) == UNUSUAL_CASE


def test_skipping_patterns_changes_nothing_on_the_training_corpus():
    checked = 0
    for path in sorted(CORPUS.glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            case = json.loads(line)
            text = normalise(f"{case['subject']}\n{case['body']}")
            for title in (None, "财务总监", "CFO"):
                fields = {"complainant_title": title}
                assert _filtered(text, fields) == _unfiltered(text, fields), text
            checked += 1
    assert checked >= 400


_FRAGMENTS = sorted({word for rule in RULES.rules for words in rule.anchors
                     for word in (words or ())}
                    | {"不会", "如果", "我们将", "。", "，", "\n", " ", "要求", "赔偿",
                       "SUE", "Sue", "ſue", "\u212aPMG", "İ", "律", "师"})


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_FRAGMENTS) | st.text(max_size=3), max_size=14),
       st.sampled_from([None, "财务总监", "cfo", "CFO", "董事"]))
def test_skipping_patterns_changes_nothing_on_mixed_text(parts, title):
    text = "".join(parts)
    fields = {"complainant_title": title}
    assert _filtered(text, fields) == _unfiltered(text, fields)


@pytest.mark.parametrize("text", [
    "We will ſue your firm.", "We shall \u212aeep our lawyer informed.",
    "We will SUE.", "İ will sue you.",
])
def test_letters_that_fold_to_ascii_are_not_skipped(text):
    fields = {"complainant_title": None}
    assert "legal_dispute" in {name for name, _ in _unfiltered(text, fields)}
    assert _filtered(text, fields) == _unfiltered(text, fields)


@pytest.mark.parametrize("text", [
    "项目组现场工作安排很混乱，希望改进。\n另：贵所寄来的询证函已收到\n调查表部分我们下周填好寄回。",
    "参会人员：董事长\n质疑环节由王总主持",
    "附件已收到\n警告：本邮件内容保密",
    "我们要求\n贵所就此尽快回复",
])
def test_separate_lines_are_not_read_as_one(text):
    assert not fired(text) - {"senior_complainant"}
