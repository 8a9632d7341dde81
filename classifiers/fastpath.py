"""One message at a time without scikit-learn's per-call overhead.

Classifying a single email through a fitted vectorizer and estimator spends
most of its time validating inputs, not computing.  A linear model's
probabilities are a few dot products, so they are computed here with numpy
from the fitted parameters: TF-IDF weights from the vectorizers' vocabulary
and idf, decision values from the coefficients, then either a softmax
(logistic regression) or each fold's sigmoid calibration averaged
(CalibratedClassifierCV).  tests/test_model.py pins the results to
scikit-learn's own.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from sklearn.calibration import CalibratedClassifierCV
from sklearn.linear_model import LogisticRegression


@dataclass
class _Fold:
    coef: np.ndarray  # classes x features
    intercept: np.ndarray
    sigmoid_a: np.ndarray | None = None  # per class; None for a softmax
    sigmoid_b: np.ndarray | None = None


class LinearScorer:
    """Probabilities for one sparse row from a linear model's parameters."""

    def __init__(self, folds: list[_Fold], classes: np.ndarray) -> None:
        self.folds = folds
        self.classes = classes

    @classmethod
    def of(cls, estimator) -> LinearScorer | None:
        """A scorer for `estimator`, or None when it is not a supported model."""
        if isinstance(estimator, LogisticRegression) and len(estimator.classes_) > 2:
            return cls([_Fold(estimator.coef_, estimator.intercept_)],
                       estimator.classes_)
        if isinstance(estimator, CalibratedClassifierCV):
            folds = [_calibrated_fold(c) for c in estimator.calibrated_classifiers_]
            if all(folds) and len(estimator.classes_) > 2:
                return cls(folds, estimator.classes_)
        return None

    def probabilities(self, columns: np.ndarray, values: np.ndarray) -> np.ndarray:
        return np.mean([self._fold(f, columns, values) for f in self.folds], axis=0)

    def _fold(self, fold: _Fold, columns: np.ndarray, values: np.ndarray):
        decision = fold.coef[:, columns] @ values + fold.intercept
        if fold.sigmoid_a is None:
            exp = np.exp(decision - decision.max())
            return exp / exp.sum()
        proba = 1.0 / (1.0 + np.exp(fold.sigmoid_a * decision + fold.sigmoid_b))
        total = proba.sum()
        if total == 0:
            return np.full_like(proba, 1.0 / len(proba))
        return np.minimum(proba / total, 1.0)


def _calibrated_fold(calibrated) -> _Fold | None:
    estimator = calibrated.estimator
    calibrators = calibrated.calibrators
    if not hasattr(estimator, "coef_") or not all(
        hasattr(c, "a_") for c in calibrators
    ):
        return None
    return _Fold(
        coef=np.asarray(estimator.coef_),
        intercept=np.asarray(estimator.intercept_),
        sigmoid_a=np.array([c.a_ for c in calibrators], dtype=float),
        sigmoid_b=np.array([c.b_ for c in calibrators], dtype=float),
    )


def tfidf_row(vectorizer, terms: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """Column indices and l2-normalised sublinear TF-IDF weights of `terms`."""
    lookup = vectorizer.vocabulary_.get
    known = np.fromiter((c for c in map(lookup, terms) if c is not None), np.int64)
    if not known.size:
        return known, np.zeros(0)
    columns, counts = np.unique(known, return_counts=True)
    weights = (1.0 + np.log(counts)) * vectorizer.idf_[columns]
    weights /= math.sqrt(float(weights @ weights))
    return columns, weights
