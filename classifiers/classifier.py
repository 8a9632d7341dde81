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
from classifiers.fastpath import CharNgrams, LinearScorer, WordNgrams, tfidf_matrix

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
        state.pop("_compiled", None)  # rebuilt on first use
        return state

    def matrix(self, docs: list[Document]):
        """`transform(docs)`, computed from compiled lookup tables."""
        texts = [d.text[: self.max_chars] for d in docs]
        compiled = getattr(self, "_compiled", None)
        if compiled is None:
            compiled = self._compiled = (WordNgrams(self.words), CharNgrams(self.chars))
        words, chars = compiled
        if not chars.usable(texts):
            return self.transform(docs)
        return tfidf_matrix([(words.grams([d.tokens for d in docs]), self.words.idf_),
                             (chars.grams(texts), self.chars.idf_)], len(docs))


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
        return self.predict_all([doc])[0]

    def predict_all(self, docs: list[Document]) -> list[Prediction]:
        """Class probabilities of each document; a batch costs far less than
        the same documents one by one."""
        if not docs:
            return []
        scorer = self._scorer()
        if scorer is not None:
            rows = scorer.probabilities(self.features.matrix(docs))
        else:
            rows = self.estimator.predict_proba(self.features.transform(docs))
        classes = [int(c) for c in self.estimator.classes_]
        predictions = []
        for row in rows.tolist():
            probs = dict(zip(classes, row, strict=True))
            predictions.append(Prediction({c: probs.get(c, 0.0) for c in CLASSES}))
        return predictions

    def predict_proba_reference(self, doc: Document) -> np.ndarray:
        """scikit-learn's own probabilities, to check the fast path against."""
        return self.estimator.predict_proba(self.features.transform([doc]))[0]

    def _scorer(self) -> LinearScorer | None:
        """The fast path, once it has given scikit-learn's answers on probe
        documents; None (scikit-learn itself) for a model it does not fit."""
        if not hasattr(self, "_linear"):
            self._linear = None
            try:
                scorer = LinearScorer.of(self.estimator)
                if scorer is not None and self._agrees(scorer):
                    self._linear = scorer
            except (ValueError, TypeError, AttributeError, IndexError):
                log.warning("the classifier's fast path does not fit this model",
                            exc_info=True)
            if self._linear is None:
                log.info("classifying through scikit-learn (slower)")
        return self._linear

    def _agrees(self, scorer: LinearScorer) -> bool:
        probes = self._probe_documents()
        fast = scorer.probabilities(self.features.matrix(probes))
        slow = self.estimator.predict_proba(self.features.transform(probes))
        if fast.shape == slow.shape and np.allclose(fast, slow, atol=1e-9):
            return True
        log.warning("the classifier's fast path disagrees with scikit-learn")
        return False

    def _probe_documents(self) -> list[Document]:
        """A few documents made of the model's own features, and an empty one."""
        words = sorted(self.features.words.vocabulary_)
        chars = sorted(self.features.chars.vocabulary_)
        docs = [Document("", [])]
        for start in range(0, 40, 8):
            tokens = [w for w in words[start::37] if " " not in w][:40]
            docs.append(Document("".join(chars[start::53][:60]) + " ".join(tokens),
                                 tokens))
        return docs

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
