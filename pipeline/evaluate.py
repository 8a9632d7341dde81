"""Scoring the triage against a labelled folder (`complaint-triage eval DIR`).

A labelled folder holds *.eml files and `truth.jsonl`, one object a line:
`file`, `is_complaint`, `level`, and optionally `amounts`, `pages`, `phone`,
`client` or `client_any`, `complainant` or `complainant_any`; a key left out
is not scored.  Every message
is examined as `complaint-triage triage --json` would print it (no database),
and that JSON object is scored by the same definitions as the firm's outside
check of that command:

- the level of a message is 0 unless it is a complaint; a quarantined
  message is therefore 0;
- amounts, pages, phone, client and complainant are scored only for messages
  that truly are complaints;
- an amount matches within 0.011 or a relative 1e-6; amount precision and
  recall are 1.0 when there is nothing to count;
- pages match as sets; the phone's digits must end with the truth's last 11;
  client and complainant pass when any wanted name is a substring.

Per-class precision, recall and F1 follow scikit-learn: F1 is
2·tp / (2·tp + fp + fn), and macro-F1 averages the classes that occur in the
truth or the predictions.  A precision with no predictions, or a recall with
no truth, is undefined (None).
"""

from __future__ import annotations

import json
import logging
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from pipeline.errors import TriageError

if TYPE_CHECKING:
    from pipeline.run import Pipeline

log = logging.getLogger(__name__)

CLASSES = (0, 1, 2, 3)
CLASS_LABELS = {0: "非投诉", 1: "一级", 2: "二级", 3: "三级"}
FIELDS = ("pages", "phone", "client", "complainant")
TRUTH_FILE = "truth.jsonl"


@dataclass
class Mismatch:
    """One way a message's output differs from its truth."""

    file: str
    field: str  # output, level, amount_missing, amount_extra, or one of FIELDS
    want: object
    got: object


@dataclass
class ClassScore:
    label: str
    support: int
    predicted: int
    precision: float | None
    recall: float | None
    f1: float | None


@dataclass
class AmountScore:
    true_positives: int = 0
    false_positives: int = 0
    false_negatives: int = 0

    @property
    def precision(self) -> float:
        found = self.true_positives + self.false_positives
        return self.true_positives / found if found else 1.0

    @property
    def recall(self) -> float:
        wanted = self.true_positives + self.false_negatives
        return self.true_positives / wanted if wanted else 1.0


@dataclass
class Report:
    folder: str
    cases: int
    scored: int
    correct_levels: int
    confusion: list[list[int]]
    classes: dict[int, ClassScore]
    amounts: AmountScore
    fields: dict[str, list[int]]  # name -> [correct, total]
    mismatches: list[Mismatch]
    quarantined: dict[str, str] = field(default_factory=dict)

    @property
    def macro_f1(self) -> float | None:
        scores = [c.f1 for c in self.classes.values() if c.f1 is not None]
        return sum(scores) / len(scores) if scores else None

    @property
    def level3_recall(self) -> float | None:
        return self.classes[3].recall

    def field_accuracy(self, name: str) -> float | None:
        correct, total = self.fields[name]
        return correct / total if total else None

    def as_json(self) -> dict:
        return {
            "folder": self.folder,
            "cases": self.cases,
            "scored": self.scored,
            "level_accuracy": _ratio(self.correct_levels, self.scored),
            "macro_f1": self.macro_f1,
            "classes": {str(c): asdict(s) for c, s in self.classes.items()},
            "level3_recall": self.level3_recall,
            "level3_found": [self.confusion[3][3], self.classes[3].support],
            "confusion": {
                "labels": [CLASS_LABELS[c] for c in CLASSES],
                "rows_truth_columns_predicted": self.confusion,
            },
            "amounts": {
                "precision": self.amounts.precision,
                "recall": self.amounts.recall,
                **asdict(self.amounts),
            },
            "fields": {
                name: {"accuracy": self.field_accuracy(name), "correct": correct,
                       "total": total}
                for name, (correct, total) in self.fields.items()
            },
            "quarantined": self.quarantined,
            "mismatches": [asdict(m) for m in self.mismatches],
        }


# -- running the pipeline over a folder ------------------------------------


def evaluate_folder(pipeline: Pipeline, folder: Path) -> Report:
    """Examine every message the folder's truth names and score the outputs."""
    folder = Path(folder)
    truth = load_truth(folder)
    from pipeline.run import Arrival  # the triage's heavy imports

    paths = [folder / case["file"] for case in truth]
    arrivals = (Arrival(path.read_bytes(), str(path)) for path in paths)
    outputs = {}
    for case, examined in zip(truth, pipeline.examine_stream(arrivals), strict=True):
        outputs[case["file"]] = examined.as_json()
        log.debug("%s: examined %s", examined.message_id, case["file"])
    return score(truth, outputs, str(folder))


def load_truth(folder: Path) -> list[dict]:
    """The cases of `folder`/truth.jsonl; each must name a file in the folder."""
    path = Path(folder) / TRUTH_FILE
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise TriageError(f"cannot read {path}: {exc}") from exc
    cases = []
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            case = json.loads(line)
            name, is_complaint = case["file"], bool(case["is_complaint"])
            if is_complaint and case.get("level") not in (1, 2, 3):
                raise ValueError(f"level {case.get('level')!r} is not 1, 2 or 3")
        except (ValueError, KeyError, TypeError) as exc:
            raise TriageError(f"{path}:{number}: bad case: {exc}") from exc
        if not (Path(folder) / name).is_file():
            raise TriageError(f"{path}:{number}: no such message: {name}")
        cases.append(case)
    return cases


# -- scoring ---------------------------------------------------------------


def score(truth: Iterable[Mapping], outputs: Mapping[str, Mapping],
          folder: str = "") -> Report:
    """Score triage JSON objects (by file name) against their truth cases."""
    tally = _Tally()
    truth = list(truth)
    for case in truth:
        out = outputs.get(case["file"])
        if out is None:
            tally.miss(Mismatch(case["file"], "output", "output", None))
            continue
        tally.case(case, out)
    return tally.report(folder, len(truth))


class _Tally:
    """Counts built up one case at a time."""

    def __init__(self) -> None:
        self.confusion = [[0] * len(CLASSES) for _ in CLASSES]
        self.amounts = AmountScore()
        self.fields = {name: [0, 0] for name in FIELDS}
        self.mismatches: list[Mismatch] = []
        self.quarantined: dict[str, str] = {}

    def miss(self, mismatch: Mismatch) -> None:
        self.mismatches.append(mismatch)

    def case(self, case: Mapping, out: Mapping) -> None:
        name = case["file"]
        if out.get("quarantined"):
            self.quarantined[name] = out.get("reason") or ""
        want = case["level"] if case["is_complaint"] else 0
        got = _level_of(out)
        self.confusion[want][got] += 1
        if want != got:
            self.miss(Mismatch(name, "level", CLASS_LABELS[want], CLASS_LABELS[got]))

        # Like the outside check, figures and fields count for complaints only.
        if case["is_complaint"]:
            if "amounts" in case:
                self._amounts(name, case["amounts"] or [], out)
            self._fields(name, case, out)

    def _amounts(self, name: str, wanted: list, out: Mapping) -> None:
        figures = out.get("figures") or {}
        got = [a.get("value") for a in figures.get("amounts") or []
               if a.get("value") is not None]
        for value in wanted:
            if any(_close(g, value) for g in got):
                self.amounts.true_positives += 1
            else:
                self.amounts.false_negatives += 1
                self.miss(Mismatch(name, "amount_missing", value, got))
        for value in got:
            if not any(_close(value, w) for w in wanted):
                self.amounts.false_positives += 1
                self.miss(Mismatch(name, "amount_extra", wanted, value))

    def _fields(self, name: str, case: Mapping, out: Mapping) -> None:
        figures = out.get("figures") or {}
        who = out.get("complainant") or {}
        checks = {}
        if "pages" in case:
            got = figures.get("pages")
            checks["pages"] = (case["pages"], got,
                               sorted(set(got or [])) == sorted(set(case["pages"])))
        if case.get("phone"):
            got = who.get("phone")
            checks["phone"] = (case["phone"], got,
                               _digits(got).endswith(case["phone"][-11:]))
        for key, got in (("client", out.get("client_name")),
                         ("complainant", who.get("name"))):
            wanted = case.get(f"{key}_any") or ([case[key]] if case.get(key) else [])
            if wanted:
                checks[key] = (wanted, got, any(w in (got or "") for w in wanted))
        for key, (wanted, got, ok) in checks.items():
            self.fields[key][1] += 1
            self.fields[key][0] += ok
            if not ok:
                self.miss(Mismatch(name, key, wanted, got))

    def report(self, folder: str, cases: int) -> Report:
        return Report(
            folder=folder,
            cases=cases,
            scored=sum(map(sum, self.confusion)),
            correct_levels=sum(self.confusion[c][c] for c in CLASSES),
            confusion=self.confusion,
            classes={c: _class_score(self.confusion, c) for c in CLASSES},
            amounts=self.amounts,
            fields=self.fields,
            mismatches=self.mismatches,
            quarantined=self.quarantined,
        )


def _class_score(confusion: list[list[int]], c: int) -> ClassScore:
    tp = confusion[c][c]
    support = sum(confusion[c])
    predicted = sum(row[c] for row in confusion)
    fp, fn = predicted - tp, support - tp
    return ClassScore(
        label=CLASS_LABELS[c],
        support=support,
        predicted=predicted,
        precision=_ratio(tp, predicted),
        recall=_ratio(tp, support),
        f1=_ratio(2 * tp, 2 * tp + fp + fn),
    )


def _level_of(out: Mapping) -> int:
    level = out.get("level") if out.get("is_complaint") else 0
    return level if level in CLASSES else 0


def _close(a: float, b: float) -> bool:
    return abs(float(a) - float(b)) <= max(0.011, 1e-6 * abs(float(b)))


def _digits(text: object) -> str:
    return "".join(ch for ch in str(text or "") if ch.isdigit())


def _ratio(part: int, whole: int) -> float | None:
    return part / whole if whole else None


# -- plain text ------------------------------------------------------------


def format_report(report: Report) -> str:
    """The report as a person reads it: summary, tables, then mismatches."""
    lines = _summary(report)
    lines += [""] + _class_table(report)
    lines += ["", "Confusion matrix (rows: truth, columns: predicted)"]
    lines += _confusion_table(report)
    lines += [""] + _figures(report)
    lines += ["", f"Mismatches ({len(report.mismatches)}):"]
    lines += [f"  {m.file}: {m.field} want {_show(m.want)} got {_show(m.got)}"
              for m in report.mismatches] or ["  none"]
    if report.quarantined:
        lines += ["", f"Quarantined ({len(report.quarantined)}):"]
        lines += [f"  {name}: {why}" for name, why in report.quarantined.items()]
    return "\n".join(lines)


def _summary(report: Report) -> list[str]:
    accuracy = _ratio(report.correct_levels, report.scored)
    found, total = report.confusion[3][3], report.classes[3].support
    title = (f"Evaluated {report.cases} messages in {report.folder}"
             f" ({len(report.quarantined)} quarantined)")
    levels = (f"Level: {report.correct_levels}/{report.scored} correct"
              f" ({_num(accuracy)}), macro-F1 {_num(report.macro_f1)},"
              f" 三级 recall {found}/{total} ({_num(report.level3_recall)})")
    return [title, "", levels]


def _class_table(report: Report) -> list[str]:
    header = ("class", "precision", "recall", "F1", "truth", "predicted")
    return _table([header] + [
        (s.label, _num(s.precision), _num(s.recall), _num(s.f1), str(s.support),
         str(s.predicted))
        for s in report.classes.values()
    ])


def _confusion_table(report: Report) -> list[str]:
    header = ("实际＼预测", *(CLASS_LABELS[c] for c in CLASSES))
    return _table([header] + [
        (CLASS_LABELS[c], *(str(n) for n in report.confusion[c])) for c in CLASSES
    ])


def _figures(report: Report) -> list[str]:
    amounts = report.amounts
    tp = amounts.true_positives
    found = tp + amounts.false_positives
    wanted = tp + amounts.false_negatives
    fields = ", ".join(
        f"{name} {correct}/{total} ({_num(report.field_accuracy(name))})"
        for name, (correct, total) in report.fields.items()
    )
    amount_line = (f"Amounts: precision {_num(amounts.precision)} ({tp}/{found}),"
                   f" recall {_num(amounts.recall)} ({tp}/{wanted})")
    return [amount_line, f"Fields:  {fields}"]


def _num(value: float | None) -> str:
    return "—" if value is None else f"{value:.3f}"


def _show(value: object) -> str:
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False)


def _table(rows: list[tuple[str, ...]]) -> list[str]:
    widths = [max(_width(row[i]) for row in rows) for i in range(len(rows[0]))]
    return ["  ".join(_pad(cell, w)
                      for cell, w in zip(row, widths, strict=False)).rstrip()
            for row in rows]


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))
