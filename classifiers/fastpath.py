"""Feature rows and probabilities for a batch of messages, without
scikit-learn's per-call overhead.

Classifying mail through a fitted vectorizer and estimator spends most of its
time validating inputs and looking n-grams up one by one in Python
dictionaries, not computing.  Here the fitted parameters are compiled once
into flat numpy arrays:

- every character n-gram of the vocabulary becomes one integer (its code
  points, each plus one, packed 21 bits apart: exact), kept in a hash table
  of numpy arrays, so all n-grams of a batch are found in a few gathers;
- every word of the word vocabulary gets a number, and a word pair becomes
  the integer `first * words + second + 1`, found the same way;
- the linear model's coefficients of every calibration fold sit side by side
  in one features x (folds * classes) matrix, so a batch is scored with one
  sparse product.

The texts of a batch are joined with NUL between them and no compiled n-gram
holds NUL, so each message gets exactly the n-grams it has alone (a batch
with a text that itself holds NUL goes through scikit-learn).
tests/test_model.py pins rows and probabilities to scikit-learn's own, and
ComplaintClassifier checks them on probe documents when it loads a model.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass

import numpy as np
from scipy.sparse import csr_matrix
from sklearn.calibration import CalibratedClassifierCV
from sklearn.linear_model import LogisticRegression

_BITS = 21  # a Unicode code point (plus one) fits in 21 bits
_SEPARATOR = 1  # NUL's code plus one
_WHITE_SPACES = re.compile(r"\s\s+")  # what scikit-learn's char analyzer folds


@dataclass
class Grams:
    """Feature columns found in a batch, with the message each came from."""

    docs: np.ndarray
    columns: np.ndarray


def _pack(codes: list[int]) -> int:
    key = 0
    for code in codes:
        key = (key << _BITS) | (code + 1)
    return key


class _Table:
    """Integer keys to feature columns: an open-addressing hash table in
    numpy arrays, so a whole batch of keys is looked up in a few gathers
    (binary search over a sorted array was most of the classifier's time)."""

    _EMPTY = 0  # no key is 0: every code point is stored plus one
    _MULTIPLIER = np.uint64(0x9E3779B97F4A7C15)  # Fibonacci hashing

    def __init__(self, pairs: dict[int, int]) -> None:
        self.bits = max(4, (4 * max(len(pairs), 1) - 1).bit_length())  # <= 1/4 full
        size = 1 << self.bits
        self.keys = np.zeros(size, dtype=np.int64)
        self.columns = np.full(size, -1, dtype=np.int64)
        self.probes = 1
        wanted = np.fromiter(pairs.keys(), np.int64, count=len(pairs))
        for key, slot in zip(pairs, self._slots(wanted).tolist(), strict=True):
            if key == self._EMPTY:
                raise ValueError("0 cannot be a key")
            probe = 0
            while self.keys[(slot + probe) & (size - 1)] != self._EMPTY:
                probe += 1
            self.keys[(slot + probe) & (size - 1)] = key
            self.columns[(slot + probe) & (size - 1)] = pairs[key]
            self.probes = max(self.probes, probe + 1)

    def _slots(self, keys: np.ndarray) -> np.ndarray:
        hashed = keys.astype(np.uint64) * self._MULTIPLIER
        return (hashed >> np.uint64(64 - self.bits)).astype(np.int64)

    def find(self, keys: np.ndarray, docs: np.ndarray) -> Grams:
        """The columns of those `keys` that are in the table."""
        columns = np.full(keys.size, -1, dtype=np.int64)
        slots = self._slots(keys)
        mask = self.keys.size - 1
        pending = np.arange(keys.size)
        for probe in range(self.probes):
            at = (slots[pending] + probe) & mask
            stored = self.keys[at]
            hit = stored == keys[pending]
            columns[pending[hit]] = self.columns[at[hit]]
            # A key stops at its own slot or at an empty one (not stored).
            pending = pending[~hit & (stored != self._EMPTY)]
            if not pending.size:
                break
        found = columns >= 0
        return Grams(docs[found], columns[found])


class CharNgrams:
    """Columns of a fitted `TfidfVectorizer(analyzer="char")`, n <= 3."""

    def __init__(self, vectorizer) -> None:
        self.low, self.high = vectorizer.ngram_range
        if not 1 <= self.low <= self.high <= 3 or not vectorizer.lowercase:
            raise ValueError("only lowercased character 1- to 3-grams are compiled")
        # No n-gram of a text without NUL holds NUL: such terms are left out
        # so that n-grams spanning two joined texts never match.
        self.table = _Table({_pack([ord(c) for c in term]): column
                                for term, column in vectorizer.vocabulary_.items()
                                if "\x00" not in term})

    @staticmethod
    def usable(texts: list[str]) -> bool:
        """Whether the texts can share one NUL-joined pass."""
        return not any("\x00" in text for text in texts)

    def grams(self, texts: list[str]) -> Grams:
        joined = "\x00".join(_WHITE_SPACES.sub(" ", t.lower()) for t in texts)
        codes = np.frombuffer(joined.encode("utf-32-le", "surrogatepass"),
                              dtype=np.uint32).astype(np.int64) + 1
        doc_at = np.cumsum(codes == _SEPARATOR)
        keys, found = codes, []
        for n in range(1, self.high + 1):
            if n >= self.low:
                found.append((keys, doc_at[: keys.size]))
            if n < self.high:
                keys = (keys[:-1] << _BITS) | codes[n:]
        return self.table.find(np.concatenate([k for k, _ in found]),
                               np.concatenate([d for _, d in found]))


class WordNgrams:
    """Columns of the word vectorizer: words and adjacent word pairs."""

    def __init__(self, vectorizer) -> None:
        words: dict[str, int] = {}
        singles: dict[int, int] = {}
        pairs: dict[tuple[str, str], int] = {}
        for term, column in vectorizer.vocabulary_.items():
            parts = term.split(" ")
            for part in parts:
                words.setdefault(part, len(words))
            if len(parts) == 1:
                singles[words[term]] = column
            elif len(parts) == 2:
                pairs[(parts[0], parts[1])] = column
            else:
                raise ValueError(f"word feature {term!r} is not a word or a pair")
        if "" in words:  # "" marks the end of a message in `grams`
            raise ValueError("the empty word is in the word vocabulary")
        self.words = words
        self.unknown = len(words)
        self.singles = np.full(self.unknown + 1, -1, dtype=np.int64)
        for number, column in singles.items():
            self.singles[number] = column
        self.pairs = _Table({self._pair(words[a], words[b]): column
                                for (a, b), column in pairs.items()})

    def _pair(self, first, second):
        return first * self.unknown + second + 1  # never 0, the empty slot

    def grams(self, token_lists: list[list[str]]) -> Grams:
        # An unknown word after each message keeps pairs from spanning two.
        flat = itertools.chain.from_iterable(t + [""] for t in token_lists)
        count = sum(map(len, token_lists)) + len(token_lists)
        numbers = np.fromiter(map(self.words.get, flat, itertools.repeat(self.unknown)),
                              np.int64, count=count)
        lengths = np.fromiter(map(len, token_lists), np.int64, count=len(token_lists))
        docs = np.repeat(np.arange(len(token_lists)), lengths + 1)
        singles = self.singles[numbers]
        single = singles >= 0
        first, second = numbers[:-1], numbers[1:]
        known = (first < self.unknown) & (second < self.unknown)
        pairs = self.pairs.find(self._pair(first[known], second[known]),
                                docs[:-1][known])
        return Grams(np.concatenate([docs[single], pairs.docs]),
                     np.concatenate([singles[single], pairs.columns]))


def tfidf_matrix(blocks: list[tuple[Grams, np.ndarray]], count: int) -> csr_matrix:
    """Rows of sublinear TF-IDF weights, each block l2-normalised per row and
    the blocks side by side, as hstack of the vectorizers' transforms gives."""
    offsets = np.cumsum([0] + [idf.size for _, idf in blocks])
    width = int(offsets[-1])
    keys = np.concatenate([g.docs * width + g.columns + offset
                           for (g, _), offset in zip(blocks, offsets, strict=False)])
    idf = np.concatenate([idf for _, idf in blocks])
    keys, counts = np.unique(keys, return_counts=True)
    docs, columns = np.divmod(keys, width)
    values = (1.0 + np.log(counts)) * idf[columns]
    block = np.searchsorted(offsets, columns, side="right") - 1
    part = docs * len(blocks) + block
    norms = np.sqrt(np.bincount(part, values * values, minlength=count * len(blocks)))
    values /= norms[part]
    indptr = np.searchsorted(docs, np.arange(count + 1))
    return csr_matrix((values, columns, indptr), shape=(count, width))


class LinearScorer:
    """Probabilities from a linear model's parameters, a batch at a time.

    Either one multinomial logistic regression (softmax) or the folds of a
    CalibratedClassifierCV over a linear model, each with per-class sigmoid
    calibration, normalised per fold and averaged as scikit-learn does.
    """

    def __init__(self, coef: list[np.ndarray], intercept: list[np.ndarray],
                 classes: np.ndarray, sigmoid: tuple[np.ndarray, np.ndarray] | None):
        self.classes = classes
        self.folds = len(coef)
        # features x (folds * classes): one product scores every fold.
        self.weights = np.ascontiguousarray(np.hstack([c.T for c in coef]))
        self.intercept = np.concatenate(intercept)
        self.sigmoid = sigmoid

    @classmethod
    def of(cls, estimator) -> LinearScorer | None:
        """A scorer for `estimator`, or None when it is not a supported model."""
        if len(getattr(estimator, "classes_", ())) <= 2:
            return None
        if isinstance(estimator, LogisticRegression):
            # The softmax is right for a multinomial model only; a one-vs-rest
            # one is caught by the check against scikit-learn at load.
            classes = len(estimator.classes_)
            return cls([estimator.coef_],
                       [np.broadcast_to(estimator.intercept_, (classes,))],
                       estimator.classes_, None)
        if not isinstance(estimator, CalibratedClassifierCV):
            return None
        folds = estimator.calibrated_classifiers_
        classes = len(estimator.classes_)
        if not all(hasattr(f.estimator, "coef_") and len(f.calibrators) == classes
                   and np.shape(f.estimator.coef_)[0] == classes
                   and all(hasattr(c, "a_") for c in f.calibrators) for f in folds):
            return None  # a fold that never saw some class, or not linear
        return cls(
            [np.asarray(f.estimator.coef_) for f in folds],
            [np.broadcast_to(f.estimator.intercept_, (classes,)) for f in folds],
            estimator.classes_,
            (np.array([c.a_ for f in folds for c in f.calibrators], dtype=float),
             np.array([c.b_ for f in folds for c in f.calibrators], dtype=float)),
        )

    def probabilities(self, rows: csr_matrix) -> np.ndarray:
        """messages x classes."""
        decision = np.asarray(rows @ self.weights) + self.intercept
        shape = (rows.shape[0], self.folds, len(self.classes))
        if self.sigmoid is None:
            by_fold = decision.reshape(shape)
            exp = np.exp(by_fold - by_fold.max(axis=2, keepdims=True))
            return (exp / exp.sum(axis=2, keepdims=True)).mean(axis=1)
        slope, offset = self.sigmoid
        proba = (1.0 / (1.0 + np.exp(slope * decision + offset))).reshape(shape)
        total = proba.sum(axis=2, keepdims=True)
        uniform = np.full_like(proba, 1.0 / len(self.classes))
        proba = np.divide(proba, total, out=uniform, where=total != 0)
        return np.minimum(proba, 1.0).mean(axis=1)
