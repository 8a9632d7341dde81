"""Training: compare candidate classifiers, keep the best, record how it did.

The corpus is every `*.jsonl` file of the training folder (format in
`training_data/README.md`), plus any confirmed records the caller adds.
Candidates are compared by stratified 5-fold cross-validation on macro-F1;
the winner is refitted on everything with calibrated probabilities and saved
beside `metrics.json`, which records the scores and the data hash.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from sklearn.base import clone
from sklearn.calibration import CalibratedClassifierCV
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import classification_report, confusion_matrix, f1_score
from sklearn.model_selection import StratifiedKFold
from sklearn.naive_bayes import ComplementNB
from sklearn.svm import LinearSVC

from classifiers.classifier import (
    BUNDLED_MODEL,
    ComplaintClassifier,
    Document,
    TextFeatures,
)
from classifiers.text import normalise

log = logging.getLogger(__name__)
SEED = 20261204


def classifier_text(subject: str, body: str, *,
                    normalised_body: str | None = None) -> str:
    """The text the classifier reads, identical at training and triage time.

    `normalised_body` is `normalise(body)` when the caller already has it.
    """
    if normalised_body is None:
        normalised_body = normalise(body)
    return f"{normalise(subject)}\n{normalised_body}"


@dataclass
class Example:
    subject: str
    body: str
    label: int  # 0 = not a complaint, else the level

    @property
    def text(self) -> str:
        return classifier_text(self.subject, self.body)


def load_corpus(folder: Path) -> list[Example]:
    """Every labelled case in `folder`'s *.jsonl files."""
    examples = []
    for path in sorted(Path(folder).glob("*.jsonl")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip():
                continue
            try:
                case = json.loads(line)
                label = int(case["level"]) if case["is_complaint"] else 0
                examples.append(Example(case["subject"], case["body"], label))
            except (ValueError, KeyError, TypeError) as exc:
                raise ValueError(f"{path}:{number}: bad case: {exc}") from exc
    return examples


def corpus_hash(folder: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(Path(folder).glob("*.jsonl")):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def candidates() -> dict[str, object]:
    """The estimators compared; each gives calibrated probabilities."""
    return {
        "logistic_regression": LogisticRegression(
            C=20.0, max_iter=4000, class_weight="balanced", random_state=SEED
        ),
        "linear_svm_calibrated": CalibratedClassifierCV(
            LinearSVC(C=0.5, class_weight="balanced", random_state=SEED),
            method="sigmoid", cv=3,
        ),
        "complement_nb_calibrated": CalibratedClassifierCV(
            ComplementNB(alpha=0.3), method="sigmoid", cv=3
        ),
    }


def cross_validate(docs: list[Document], labels: np.ndarray, folds: int = 5) -> dict:
    """Macro-F1 of every candidate, with out-of-fold predictions."""
    splitter = StratifiedKFold(n_splits=folds, shuffle=True, random_state=SEED)
    results = {}
    for name, template in candidates().items():
        predicted = np.zeros_like(labels)
        for train_idx, test_idx in splitter.split(np.zeros(len(labels)), labels):
            model = _fit(template, [docs[i] for i in train_idx], labels[train_idx])
            predicted[test_idx] = model.predict_many([docs[i] for i in test_idx])
        results[name] = {
            "macro_f1": round(float(f1_score(labels, predicted, average="macro")), 4),
            "predicted": predicted,
        }
        log.info("candidate %s: macro-F1 %.4f", name, results[name]["macro_f1"])
    return results


def train(folder: Path, output: Path = BUNDLED_MODEL,
          extra: Iterable[Example] = ()) -> dict:
    """Train, compare, save the best model and its metrics; return the metrics."""
    extra = list(extra)
    examples = load_corpus(folder) + extra
    if len({e.label for e in examples}) < 4:
        raise ValueError("the corpus needs cases of all four classes (0-3)")
    docs, labels = documents(examples)

    results = cross_validate(docs, labels)
    best = max(results, key=lambda name: results[name]["macro_f1"])
    model = fit_candidate(best, docs, labels)

    metrics = _metrics(folder, results, best, labels, len(extra))
    model.info = metrics
    model.save(output)
    output.with_name("metrics.json").write_text(
        json.dumps(metrics, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )
    return metrics


def fit_candidate(name: str, docs: list[Document],
                  labels: np.ndarray) -> ComplaintClassifier:
    """The named candidate fitted on every case: what `train` saves."""
    return _fit(candidates()[name], docs, labels)


def documents(examples: list[Example]) -> tuple[list[Document], np.ndarray]:
    docs = [Document.of(e.text) for e in examples]
    return docs, np.array([e.label for e in examples])


def _fit(template, docs: list[Document], labels: np.ndarray) -> ComplaintClassifier:
    features = TextFeatures().fit(docs)
    estimator = clone(template).fit(features.transform(docs), labels)
    return ComplaintClassifier(features, estimator, {})


def _metrics(folder: Path, results: dict, best: str, labels, extra: int) -> dict:
    predicted = results[best]["predicted"]
    names = ["not_complaint", "level_1", "level_2", "level_3"]
    return {
        "chosen": best,
        "cv_macro_f1": {name: r["macro_f1"] for name, r in results.items()},
        "chosen_report": classification_report(
            labels, predicted, labels=[0, 1, 2, 3], target_names=names,
            output_dict=True, zero_division=0,
        ),
        "chosen_confusion": confusion_matrix(labels, predicted, labels=[0, 1, 2, 3])
        .tolist(),
        "cases": len(labels),
        "cases_per_class": {n: int((labels == c).sum()) for c, n in enumerate(names)},
        "archived_records_added": extra,
        "training_data_sha256": corpus_hash(folder),
    }
