"""Archived records become training cases for the firm's own model."""

from pathlib import Path

from models import store
from pipeline.retrain import archived_examples
from pipeline.sources import iter_path

SAMPLES = Path(__file__).parent.parent / "samples" / "mailbox"
SAMPLE = SAMPLES / "01-typo-page-gb2312.eml"


def test_only_archived_records_become_training_cases(sqlite_url, make_pipeline):
    pipeline = make_pipeline(sqlite_url)
    message = next(iter_path(SAMPLE))
    reference = pipeline.ingest(message.raw, message.source).reference
    assert archived_examples(pipeline.db) == []

    with pipeline.db.session() as session:
        record = store.record_by_reference(session, reference)
        for status in ("confirmed", "in_review", "resolved", "archived"):
            store.change_status(session, record, status, "测试")

    [example] = archived_examples(pipeline.db)
    assert example.label == 1
    assert "第7页" in example.body
