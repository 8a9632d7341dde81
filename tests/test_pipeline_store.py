"""The stored outcome of ingesting mail, on SQLite and on PostgreSQL."""

from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import func, select

from models import store
from models.schema import ComplaintRecord, InboundMessage, Notification
from pipeline.sources import iter_path

SAMPLES = Path(__file__).parent.parent / "samples" / "mailbox"
MAIL = Path(__file__).parent / "data" / "mail"


def ingest_all(pipeline, folder=SAMPLES):
    return [pipeline.ingest(m.raw, m.source).outcome for m in iter_path(folder)]


def count(pipeline, model, *where):
    with pipeline.db.session() as session:
        return session.scalar(select(func.count()).select_from(model).where(*where))


def test_sample_mailbox_ends_as_records_followups_and_non_complaints(
        db_url, make_pipeline):
    pipeline = make_pipeline(db_url)
    outcomes = ingest_all(pipeline)
    assert outcomes.count("record") == 11
    assert outcomes.count("followup") == 1
    assert outcomes.count("not_complaint") == 4
    assert count(pipeline, InboundMessage) == 16


def test_every_draft_goes_to_execution_and_serious_ones_to_leadership(
        db_url, make_pipeline):
    pipeline = make_pipeline(db_url)
    ingest_all(pipeline)
    with pipeline.db.session() as session:
        for record in store.list_records(session):
            drafts = [n for n in record.notifications if n.kind == "draft"]
            audiences = sorted(n.audience for n in drafts)
            expected = ["execution"] + (["leadership"] if record.level >= 2 else [])
            assert audiences == expected, record.reference


def test_ingesting_the_same_mailbox_twice_creates_nothing_new(db_url, make_pipeline):
    pipeline = make_pipeline(db_url)
    ingest_all(pipeline)
    before = (count(pipeline, InboundMessage), count(pipeline, ComplaintRecord),
              count(pipeline, Notification))
    assert set(ingest_all(pipeline)) == {"duplicate"}
    after = (count(pipeline, InboundMessage), count(pipeline, ComplaintRecord),
             count(pipeline, Notification))
    assert after == before


def test_messages_without_message_id_do_not_collapse(db_url, make_pipeline):
    pipeline = make_pipeline(db_url)
    first = b"From: a@client.example.cn\r\nSubject: x\r\n\r\n\xc7\xeb\xb8\xfc\xd5\xfd1"
    second = first.replace(b"1", b"2")
    ids = {pipeline.ingest(raw, "test").message_id for raw in (first, second)}
    assert len(ids) == 2
    assert count(pipeline, InboundMessage) == 2


def test_unreadable_message_is_quarantined_with_raw_bytes_and_reason(
        db_url, make_pipeline):
    pipeline = make_pipeline(db_url, limits={"max_bytes": 200})
    raw = b"Message-ID: <big@client.example.cn>\r\n\r\n" + b"x" * 500
    assert pipeline.ingest(raw, "test").outcome == "quarantined"
    with pipeline.db.session() as session:
        message = store.find_message(session, "big@client.example.cn")
        assert message.raw == raw
        assert "over the limit" in message.reason


def test_reference_number_from_another_client_does_not_attach(db_url, make_pipeline):
    pipeline = make_pipeline(db_url)
    first = next(iter_path(SAMPLES / "01-typo-page-gb2312.eml"))
    reference = pipeline.ingest(first.raw, first.source).reference
    stranger = (
        "From: someone@other-company.example.cn\r\nMessage-ID: <s1@other.example.cn>"
        f"\r\nSubject: {reference} 我们的报告第3页也有错字\r\n"
        "Content-Type: text/plain; charset=utf-8\r\n\r\n"
        "你们出具的审计报告第3页有错别字，请更正。\r\n"
    ).encode()
    outcome = pipeline.ingest(stranger, "test")
    assert outcome.outcome == "record"
    assert outcome.reference != reference


def test_follow_up_that_raises_the_level_re_levels_and_notifies(db_url, make_pipeline):
    pipeline = make_pipeline(db_url)
    first = next(iter_path(SAMPLES / "01-typo-page-gb2312.eml"))
    created = pipeline.ingest(first.raw, first.source)
    assert created.level == 1
    reply = (
        "From: =?utf-8?B?6ZmI6ZWV?= <chenrong@zhehe-tech.example.cn>\r\n"
        "Message-ID: <f2@zhehe-tech.example.cn>\r\n"
        f"Subject: Re: {created.reference}\r\n"
        "Content-Type: text/plain; charset=utf-8\r\n\r\n"
        "三天过去了仍未更正，如果明天还不处理，我们将委托律师起诉贵所。\r\n"
    ).encode()
    outcome = pipeline.ingest(reply, "test")
    assert (outcome.outcome, outcome.reference, outcome.level) == (
        "followup", created.reference, 3)
    with pipeline.db.session() as session:
        record = store.record_by_reference(session, created.reference)
        kinds = {(n.kind, n.audience) for n in record.notifications}
        assert ("escalation", "leadership") in kinds
        # The emergency meeting's clock starts when the threat arrived, not
        # when the original typo complaint did (months earlier).
        clocks = {d.name: d.due_at for d in record.deadlines}
        assert clocks["emergency_meeting"] > datetime.now(UTC)
        assert clocks["to_execution"] < record.received_at + timedelta(hours=1)
        assert [m.message_id for m in record.messages][-1] == "f2@zhehe-tech.example.cn"


def test_forwarded_complaint_counts_from_when_the_client_wrote(db_url,
                                                               make_pipeline):
    pipeline = make_pipeline(db_url)
    forward = next(iter_path(SAMPLES / "08-media-threat-forward-inline.eml"))
    reference = pipeline.ingest(forward.raw, forward.source).reference
    with pipeline.db.session() as session:
        record = store.record_by_reference(session, reference)
        # The staff member forwarded it at 15:52; the client wrote at 15:27.
        assert record.received_at == datetime(2026, 3, 4, 7, 27, tzinfo=UTC)
        assert record.description.startswith("（由 ")
