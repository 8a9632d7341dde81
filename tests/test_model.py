"""The shipped classifier is the one the repository's corpus produces."""

import json
from pathlib import Path

import numpy as np
import pytest

from classifiers.classifier import BUNDLED_MODEL, load_classifier
from classifiers.training import corpus_hash, documents, fit_candidate, load_corpus

CORPUS = Path(__file__).parent.parent / "training_data"
METRICS = json.loads(BUNDLED_MODEL.with_name("metrics.json").read_text("utf-8"))


def test_shipped_model_was_trained_on_the_current_corpus():
    assert METRICS["training_data_sha256"] == corpus_hash(CORPUS)


def test_retraining_the_chosen_candidate_gives_the_same_predictions():
    docs, labels = documents(load_corpus(CORPUS))
    retrained = fit_candidate(METRICS["chosen"], docs, labels)
    shipped = load_classifier()
    assert np.array_equal(retrained.predict_many(docs), shipped.predict_many(docs))


def test_metrics_record_every_candidate_compared():
    assert len(METRICS["cv_macro_f1"]) >= 3
    assert METRICS["chosen"] == max(METRICS["cv_macro_f1"],
                                    key=METRICS["cv_macro_f1"].get)


@pytest.mark.parametrize("subject, body, complaint", [
    ("报告第3页错字", "你们出具的审计报告第3页公司名称写错了，请尽快更正。", True),
    ("咨询审计报价", "您好，想了解一下明年年报审计的收费标准，谢谢。", False),
])
def test_classifier_separates_plain_complaints_from_enquiries(subject, body, complaint):
    from classifiers.classifier import Document
    from classifiers.training import classifier_text

    prediction = load_classifier().predict(Document.of(classifier_text(subject, body)))
    assert (prediction.complaint_probability >= 0.5) is complaint


def test_fast_single_message_path_equals_scikit_learn():
    docs, _ = documents(load_corpus(CORPUS))
    model = load_classifier()
    for doc in docs[::7]:
        fast = [model.predict(doc).probabilities[c] for c in model.estimator.classes_]
        assert np.allclose(fast, model.predict_proba_reference(doc), atol=1e-9)


ODD_TEXTS = [
    "", "诉", "起诉", "ABC  Def\t\t\n\n ghi", "大華實業　ＡＢＣ", "😀 要求赔偿😀😀",
    "𠀀𠀁 生僻字", "坏\udcff字节", "P15 第3页到第8页 ¥1,234,567.89",
]


@pytest.mark.parametrize("batch_start", [0, 3])
def test_batch_rows_equal_scikit_learn_rows(batch_start):
    from classifiers.classifier import Document

    docs, _ = documents(load_corpus(CORPUS))
    batch = docs[batch_start::40] + [Document(t, t.split()) for t in ODD_TEXTS]
    model = load_classifier()
    fast = model.features.matrix(batch)
    slow = model.features.transform(batch)
    assert fast.shape == slow.shape
    assert abs(fast - slow).max() < 1e-12
    together = model.predict_all(batch)
    alone = [model.predict(doc) for doc in batch]
    for a, b in zip(together, alone, strict=True):
        assert a.probabilities == pytest.approx(b.probabilities, abs=1e-12)
    reference = model.estimator.predict_proba(slow)
    assert len(batch) > 20 and fast.nnz > 1000
    for prediction, row in zip(together, reference, strict=True):
        fast_row = [prediction.probabilities[c] for c in model.estimator.classes_]
        assert np.allclose(fast_row, row, atol=1e-9)


def test_a_text_holding_nul_is_featurised_like_scikit_learn():
    from classifiers.classifier import Document

    batch = [Document(t, t.split()) for t in ("a\x00b 起诉", "要求赔偿 a\x00")]
    model = load_classifier()
    fast = model.features.matrix(batch)
    assert abs(fast - model.features.transform(batch)).max() < 1e-12


def test_lookup_table_finds_exactly_its_keys():
    from classifiers.fastpath import _Table

    rng = np.random.default_rng(7)
    stored = {int(k): column for column, k in
              enumerate(rng.integers(1, 2**62, size=5000))}
    stored.update({k: 9000 + k for k in range(1, 300)})  # neighbours collide
    wanted = np.concatenate([rng.integers(1, 2**62, size=5000),
                             np.fromiter(stored, np.int64), np.arange(1, 600)])
    rng.shuffle(wanted)
    found = _Table(stored).find(wanted, np.arange(wanted.size))
    expected = [(i, stored[k]) for i, k in enumerate(wanted.tolist()) if k in stored]
    pairs = zip(found.docs.tolist(), found.columns.tolist(), strict=True)
    assert list(pairs) == expected


def test_a_fast_path_that_disagrees_with_scikit_learn_is_not_used(monkeypatch):
    import copy

    from classifiers import fastpath

    model = copy.copy(load_classifier())
    model.__dict__.pop("_linear", None)
    monkeypatch.setattr(fastpath.LinearScorer, "probabilities",
                        lambda self, rows: np.full((rows.shape[0], 4), 0.25))
    assert model._scorer() is None
    docs, _ = documents(load_corpus(CORPUS))
    for doc in docs[:5]:
        got = [model.predict(doc).probabilities[c] for c in model.estimator.classes_]
        assert np.allclose(got, model.predict_proba_reference(doc), atol=1e-12)
