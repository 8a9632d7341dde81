"""The trained classifier: is this a complaint, and of which level.

Classes are 0 (not a complaint) and the levels 1, 2, 3.  Features are TF-IDF
weights of jieba words and word pairs plus character n-grams; the text is
segmented once per message and both feature sets are built from it.  The
candidates are compared by stratified cross-validation in `training.py`; the
winner is saved here with its metrics and the hash of its training data.
"""

from __future__ import annotations

import functools
import logging
from dataclasses import dataclass
from pathlib import Path

import joblib
import numpy as np
from scipy.sparse import hstack
from sklearn.feature_extraction.text import TfidfVectorizer

from classifiers import segment
from classifiers.fastpath import LinearScorer, tfidf_row

log = logging.getLogger(__name__)

BUNDLED_MODEL = Path(__file__).with_name("model") / "classifier.joblib"
CLASSES = (0, 1, 2, 3)


class ModelError(RuntimeError):
    """The model file is missing or unreadable."""


def word_ngrams(tokens: list[str]) -> list[str]:
    """Words and adjacent word pairs: the word-level features."""
    pairs = [f"{a} {b}" for a, b in zip(tokens, tokens[1:], strict=False)]
    return tokens + pairs


def _identity(tokens: list[str]) -> list[str]:
    return tokens


@dataclass
class Document:
    """A message as the classifier sees it: normalised text and its words."""

    text: str
    tokens: list[str]

    @classmethod
    def of(cls, text: str) -> Document:
        return cls(text, segment.tokens(text))


class TextFeatures:
    """Word and character TF-IDF features, fitted together."""

    def __init__(self, max_chars: int = 2000) -> None:
        self.max_chars = max_chars
        self.words = TfidfVectorizer(
            analyzer=_identity, sublinear_tf=True, min_df=2, max_features=40000
        )
        self.chars = TfidfVectorizer(
            analyzer="char", ngram_range=(2, 3), sublinear_tf=True, min_df=2,
            max_features=60000,
        )

    def fit(self, docs: list[Document]) -> TextFeatures:
        self.words.fit([word_ngrams(d.tokens) for d in docs])
        self.chars.fit([d.text[: self.max_chars] for d in docs])
        return self

    def transform(self, docs: list[Document]):
        words = self.words.transform([word_ngrams(d.tokens) for d in docs])
        chars = self.chars.transform([d.text[: self.max_chars] for d in docs])
        return hstack([words, chars]).tocsr()

    def __getstate__(self) -> dict:
        state = dict(self.__dict__)
        state.pop("_char_analyzer", None)  # rebuilt on first use
        return state

    def row(self, doc: Document) -> tuple[np.ndarray, np.ndarray]:
        """One document's feature columns and values, as `transform` gives."""
        if getattr(self, "_char_analyzer", None) is None:
            self._char_analyzer = self.chars.build_analyzer()
        word_cols, word_vals = tfidf_row(self.words, word_ngrams(doc.tokens))
        char_cols, char_vals = tfidf_row(
            self.chars, self._char_analyzer(doc.text[: self.max_chars]))
        offset = len(self.words.vocabulary_)
        return (np.concatenate([word_cols, char_cols + offset]),
                np.concatenate([word_vals, char_vals]))


@dataclass
class Prediction:
    """Class probabilities for one message."""

    probabilities: dict[int, float]

    @property
    def complaint_probability(self) -> float:
        return 1.0 - self.probabilities.get(0, 0.0)

    @property
    def best_level(self) -> int:
        """The most probable level among 1-3 (used once it is a complaint)."""
        return max((1, 2, 3), key=lambda k: self.probabilities.get(k, 0.0))


class ComplaintClassifier:
    """Features plus an estimator with predict_proba, saved as one file."""

    def __init__(self, features: TextFeatures, estimator, info: dict) -> None:
        self.features = features
        self.estimator = estimator
        self.info = info

    def predict(self, doc: Document) -> Prediction:
        scorer = self._scorer()
        if scorer is not None:
            row = scorer.probabilities(*self.features.row(doc))
        else:
            row = self.estimator.predict_proba(self.features.transform([doc]))[0]
        probs = {int(c): float(p) for c, p in zip(self.estimator.classes_, row)}
        return Prediction({c: probs.get(c, 0.0) for c in CLASSES})

    def predict_proba_reference(self, doc: Document) -> np.ndarray:
        """scikit-learn's own probabilities, to check the fast path against."""
        return self.estimator.predict_proba(self.features.transform([doc]))[0]

    def _scorer(self) -> LinearScorer | None:
        if not hasattr(self, "_linear"):
            self._linear = LinearScorer.of(self.estimator)
        return self._linear

    def __getstate__(self) -> dict:
        state = dict(self.__dict__)
        state.pop("_linear", None)  # rebuilt from the estimator after loading
        return state

    def predict_many(self, docs: list[Document]) -> np.ndarray:
        return self.estimator.predict(self.features.transform(docs))

    def save(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        joblib.dump(self, path, compress=3)


def load_classifier(path: Path | None = None) -> ComplaintClassifier:
    """The classifier at `path`, or the bundled one."""
    return _load(Path(path or BUNDLED_MODEL).resolve())


@functools.lru_cache(maxsize=2)
def _load(path: Path) -> ComplaintClassifier:
    if not path.exists():
        raise ModelError(
            f"no classifier at {path}; run `complaint-triage train` to build it"
        )
    try:
        model = joblib.load(path)
    except Exception as exc:  # noqa: BLE001 - unpickling fails in many ways
        raise ModelError(f"cannot load classifier {path}: {exc}") from exc
    if not isinstance(model, ComplaintClassifier):
        raise ModelError(f"{path} does not hold a complaint classifier")
    return model
