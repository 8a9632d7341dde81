"""Deadline reminders: once before, once overdue, to the right groups, across
restarts, and never for met clocks or closed records.

Most tests call the scan with an injected "now"; one runs the real APScheduler
job against the aiosmtpd sink, stops it, and starts a new one on the same
database, with deadlines a few seconds ahead.
"""

import re
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from apscheduler.schedulers.background import BackgroundScheduler
from fixtures.pipelines import EXECUTION, LEADERSHIP
from sqlalchemy import MetaData, Table, select

from models import store
from models.schema import ComplaintRecord, Deadline, Notification
from pipeline.reminders import (
    JOB_ID,
    JOB_TABLE,
    KEY_LIMIT,
    reminder_key,
    scan_reminders,
    schedule_reminders,
)
from pipeline.review import confirm_record, move_record
from pipeline.sources import iter_path

SAMPLES = Path(__file__).parent.parent / "samples" / "mailbox"
TYPO = "01-typo-page-gb2312.eml"  # 一级
CONFIRMATIONS = "03-missing-confirmations-gb18030.eml"  # 二级
REMINDER_SUBJECT = re.compile(r"【(时限提醒|已超时)】\S+ (\S+)")


def now():
    return datetime.now(UTC)


def open_record(pipeline, sample=TYPO):
    item = next(iter_path(SAMPLES / sample))
    return pipeline.ingest(item.raw, item.source).reference


def set_clocks(pipeline, reference, **due):
    """Give the named clocks these due times, unmet; every other clock is met."""
    with pipeline.db.session() as session:
        record = store.record_by_reference(session, reference)
        for deadline in record.deadlines:
            if deadline.name in due:
                deadline.due_at, deadline.met_at = due[deadline.name], None
            else:
                deadline.met_at = deadline.met_at or now()


def reminders(pipeline, status=None):
    """(kind, clock, target) of every reminder row, optionally of one status."""
    with pipeline.db.session() as session:
        rows = session.scalars(
            select(Notification)
            .where(Notification.kind.in_(("reminder", "overdue")))
            .order_by(Notification.id)
        )
        return [(n.kind, n.key.split(":")[2], n.target) for n in rows
                if status is None or n.status == status]


# -- across a restart, with the real scheduler and SMTP ----------------------

def start_scheduler(pipeline):
    scheduler = BackgroundScheduler(timezone="UTC")
    schedule_reminders(scheduler, pipeline)
    scheduler.start()
    return scheduler


def reminder_mail(smtp_sink):
    found = []
    for message in smtp_sink.messages:
        match = REMINDER_SUBJECT.match(message.message["Subject"])
        if match:
            found += [(match[1], match[2], to) for to in message.rcpt_tos]
    return found


def stored_jobs(pipeline):
    table = Table(JOB_TABLE, MetaData(), autoload_with=pipeline.db.engine)
    with pipeline.db.engine.connect() as connection:
        return list(connection.execute(select(table.c.id)).scalars())


@pytest.mark.live
def test_each_reminder_is_sent_once_across_a_restart(db_url, make_pipeline,
                                                     smtp_sink):
    options = {"smtp": {"host": smtp_sink.host, "port": smtp_sink.port},
               "reminders": {"lead_minutes": 1, "check_seconds": 1}}
    first = make_pipeline(db_url, **options)
    reference = open_record(first, CONFIRMATIONS)
    first.deliver()  # drafts to both groups and the acknowledgement
    base = len(smtp_sink.messages)
    start = now()
    report_due = start + timedelta(seconds=2.5)
    review_due = start + timedelta(seconds=6)
    set_clocks(first, reference, review_report=report_due,
               internal_review_start=review_due)

    # Up: both clocks are within the minute, then the report clock passes.
    scheduler = start_scheduler(first)
    smtp_sink.wait_for(base + 4)
    scheduler.shutdown()
    assert len(smtp_sink.messages) == base + 4
    assert stored_jobs(first) == [JOB_ID]

    # Down while the review clock passes; a new process on the same database.
    time.sleep(max(0.0, (review_due - now()).total_seconds()) + 0.3)
    second = make_pipeline(db_url, **options)
    scheduler = start_scheduler(second)
    smtp_sink.wait_for(base + 6)
    time.sleep(2.5)  # two more scans: nothing new
    scheduler.shutdown()

    expected = Counter({
        ("时限提醒", "内部复核报告", EXECUTION): 1,
        ("时限提醒", "启动内部复核（调阅底稿、访谈）", EXECUTION): 1,
        ("已超时", "内部复核报告", EXECUTION): 1,
        ("已超时", "内部复核报告", LEADERSHIP): 1,
        ("已超时", "启动内部复核（调阅底稿、访谈）", EXECUTION): 1,
        ("已超时", "启动内部复核（调阅底稿、访谈）", LEADERSHIP): 1,
    })
    assert Counter(reminder_mail(smtp_sink)) == expected
    assert len(reminders(second, status="sent")) == 6
    assert stored_jobs(second) == [JOB_ID]


# -- the scan, with "now" given ----------------------------------------------

def test_met_clocks_and_closed_records_get_no_reminders(db_url, make_pipeline):
    pipeline = make_pipeline(db_url)
    met, resolved, archived, control = (
        open_record(pipeline, sample) for sample in
        (TYPO, "02-wrong-address-gbk-8bit.eml", "10-reply-quoted-history.eml",
         "16-decimal-typo-large-figure.eml"))
    for reference, steps in ((resolved, 3), (archived, 4)):
        for step in ("confirmed", "in_review", "resolved", "archived")[:steps]:
            move_record(pipeline, reference, step, "张三")
    past = now() - timedelta(hours=1)
    set_clocks(pipeline, met)
    for reference in (resolved, archived):
        set_clocks(pipeline, reference, execution_response=past,
                   written_solution=past)
    set_clocks(pipeline, control, execution_response=past)

    scan_reminders(pipeline)

    assert reminders(pipeline) == [("overdue", "execution_response", EXECUTION)]


def test_overdue_clocks_of_serious_records_also_reach_leadership(
        db_url, make_pipeline):
    pipeline = make_pipeline(db_url)
    minor, major = open_record(pipeline, TYPO), open_record(pipeline, CONFIRMATIONS)
    at = now()
    set_clocks(pipeline, minor, execution_response=at - timedelta(minutes=5))
    set_clocks(pipeline, major, internal_review_start=at - timedelta(minutes=5),
               leadership_informed=at + timedelta(minutes=30))

    scan_reminders(pipeline, at)

    assert sorted(reminders(pipeline)) == [
        ("overdue", "execution_response", EXECUTION),
        ("overdue", "internal_review_start", EXECUTION),
        ("overdue", "internal_review_start", LEADERSHIP),
        ("reminder", "leadership_informed", LEADERSHIP),
    ]


def test_many_due_clocks_at_once_go_out_as_one_summary(db_url, make_pipeline):
    pipeline = make_pipeline(db_url, reminders={"digest_after": 3})
    samples = (TYPO, "02-wrong-address-gbk-8bit.eml", "10-reply-quoted-history.eml",
               "16-decimal-typo-large-figure.eml")  # 一级: the execution group only
    references = [open_record(pipeline, sample) for sample in samples]
    pipeline.deliver()  # the drafts and acknowledgements, out of the way
    past = now() - timedelta(days=3)
    for reference in references:
        set_clocks(pipeline, reference, execution_response=past)

    for _ in range(3):
        scan_reminders(pipeline)

    assert Counter(kind for kind, _, _ in reminders(pipeline, "digested")) == {
        "overdue": 4}
    assert reminders(pipeline, "pending") == []
    with pipeline.db.session() as session:
        [digest] = session.scalars(select(Notification).where(
            Notification.kind == "reminder_digest")).all()
        assert (digest.target, digest.status) == (EXECUTION, "pending")
        assert digest.subject == "【时限提醒汇总】4 项处理时限，其中 4 项已超时"
        for reference in references:
            assert reference in digest.body
    report = pipeline.deliver()
    assert report.sent == 1


def test_a_few_due_clocks_are_reminded_one_by_one(db_url, make_pipeline):
    pipeline = make_pipeline(db_url, reminders={"digest_after": 3})
    references = [open_record(pipeline, sample)
                  for sample in (TYPO, "02-wrong-address-gbk-8bit.eml")]
    for reference in references:
        set_clocks(pipeline, reference, execution_response=now() - timedelta(hours=1))
    scan_reminders(pipeline)
    assert reminders(pipeline, "pending") == [
        ("overdue", "execution_response", EXECUTION)] * 2


def test_before_then_overdue_each_once_however_often_the_scan_runs(
        db_url, make_pipeline):
    pipeline = make_pipeline(db_url, reminders={"lead_minutes": 60})
    reference = open_record(pipeline)
    due = now() + timedelta(hours=3)
    set_clocks(pipeline, reference, execution_response=due)

    for minutes in (-120, -30, -20, -1, 1, 10, 600):
        scan_reminders(pipeline, due + timedelta(minutes=minutes))

    assert reminders(pipeline) == [
        ("reminder", "execution_response", EXECUTION),
        ("overdue", "execution_response", EXECUTION),
    ]


def test_clock_passed_while_down_gets_its_overdue_reminder_only(
        db_url, make_pipeline):
    pipeline = make_pipeline(db_url, reminders={"lead_minutes": 60})
    reference = open_record(pipeline)
    due = now() - timedelta(hours=2)
    set_clocks(pipeline, reference, execution_response=due)

    scan_reminders(pipeline)
    scan_reminders(pipeline)

    assert reminders(pipeline) == [("overdue", "execution_response", EXECUTION)]


def test_moved_clock_is_reminded_of_its_new_time_and_old_reminder_cancelled(
        db_url, make_pipeline):
    pipeline = make_pipeline(db_url, reminders={"lead_minutes": 60})
    reference = open_record(pipeline)
    due = now() + timedelta(minutes=30)
    set_clocks(pipeline, reference, execution_response=due)
    scan_reminders(pipeline)  # queued, not sent
    set_clocks(pipeline, reference, execution_response=due + timedelta(hours=2))

    report = scan_reminders(pipeline, due + timedelta(hours=1, minutes=30))

    assert report.cancelled == 1
    assert reminders(pipeline, status="cancelled") == [
        ("reminder", "execution_response", EXECUTION)]
    assert reminders(pipeline, status="pending") == [
        ("reminder", "execution_response", EXECUTION)]


def test_level_change_drops_reminders_of_old_clocks_and_follows_the_new(
        db_url, make_pipeline):
    pipeline = make_pipeline(db_url)
    reference = open_record(pipeline, TYPO)
    received = now() - timedelta(hours=23, minutes=30)
    with pipeline.db.session() as session:
        record = store.record_by_reference(session, reference)
        record.received_at = received
        pipeline._set_deadlines(record)
    set_clocks(pipeline, reference, execution_response=received + timedelta(hours=24))
    scan_reminders(pipeline)
    assert reminders(pipeline) == [("reminder", "execution_response", EXECUTION)]

    confirm_record(pipeline, reference, "张三", level=2)
    report = scan_reminders(pipeline)

    assert report.cancelled == 1
    assert sorted(reminders(pipeline, status="pending")) == [
        ("overdue", "internal_review_start", EXECUTION),
        ("overdue", "internal_review_start", LEADERSHIP),
        ("overdue", "leadership_informed", LEADERSHIP),
    ]


def test_sent_leadership_draft_meets_leadership_informed(db_url, make_pipeline):
    pipeline = make_pipeline(db_url)
    reference = open_record(pipeline, CONFIRMATIONS)
    pipeline.deliver()

    # Delivery itself meets the clock; the scan finds nothing left to mark.
    report = scan_reminders(pipeline)

    assert report.informed == 0
    with pipeline.db.session() as session:
        record = store.record_by_reference(session, reference)
        clocks = {d.name: d.met_at for d in record.deadlines}
        draft = next(n for n in record.notifications
                     if n.kind == "draft" and n.audience == "leadership")
        assert clocks["leadership_informed"] == draft.sent_at
    assert ("overdue", "leadership_informed", LEADERSHIP) not in reminders(pipeline)


def test_reminder_mail_says_what_is_due_in_chinese(sqlite_url, make_pipeline):
    pipeline = make_pipeline(sqlite_url)
    reference = open_record(pipeline, CONFIRMATIONS)
    at = now()
    set_clocks(pipeline, reference, internal_review_start=at - timedelta(hours=3))

    scan_reminders(pipeline, at)

    with pipeline.db.session() as session:
        mail = session.scalars(select(Notification).where(
            Notification.kind == "overdue", Notification.target == LEADERSHIP)).one()
        assert mail.subject.startswith(f"【已超时】{reference} 启动内部复核")
        assert "应急领导小组：" in mail.body
        assert "已超时3小时" in mail.body
        assert "该时限由应急执行小组负责" in mail.body
        assert f"complaint-triage show {reference}" in mail.body


def test_disabled_reminders_are_not_scheduled(sqlite_url, make_pipeline):
    pipeline = make_pipeline(sqlite_url, reminders={"enabled": False})
    scheduler = BackgroundScheduler(timezone="UTC")

    schedule_reminders(scheduler, pipeline)

    assert scheduler.get_jobs() == []


def test_reminder_key_stays_within_the_column_for_long_bot_urls():
    record = ComplaintRecord(reference="TS-2026-00001")
    deadline = Deadline(name="internal_review_start", record=record,
                        due_at=datetime(2026, 3, 2, 14, 48, tzinfo=UTC))
    url = "wxwork://" + "k" * 400

    key = reminder_key(deadline, True, url)

    assert len(key) <= KEY_LIMIT
    assert key.startswith("reminder:TS-2026-00001:internal_review_start:"
                          "20260302T144800Z:overdue:sha256-")
    assert key != reminder_key(deadline, True, url + "x")


def test_two_scans_at_once_send_one_summary(postgresql_url, make_pipeline,
                                            monkeypatch):
    first = make_pipeline(postgresql_url, reminders={"digest_after": 3})
    second = make_pipeline(postgresql_url, reminders={"digest_after": 3})
    references = [open_record(first, sample) for sample in (
        TYPO, "02-wrong-address-gbk-8bit.eml", "10-reply-quoted-history.eml",
        "16-decimal-typo-large-figure.eml")]
    first.deliver()
    for reference in references:
        set_clocks(first, reference, execution_response=now() - timedelta(days=3))

    read_keys, interleaved = store.existing_keys, []

    def other_scan_between(*args, **kwargs):
        found = read_keys(*args, **kwargs)
        if not interleaved:  # the second scan has read the queue: the first runs
            interleaved.append(None)
            interleaved[0] = scan_reminders(first, now() + timedelta(seconds=2))
        return found

    monkeypatch.setattr(store, "existing_keys", other_scan_between)
    scan_reminders(second)
    assert interleaved[0].queued == 4
    with first.db.session() as session:
        digests = session.scalars(select(Notification).where(
            Notification.kind == "reminder_digest")).all()
    assert len(digests) == 1
