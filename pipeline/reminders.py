"""Deadline reminders: before a clock of the plan runs out, and once it has.

Design: one periodic scan, not one job per deadline.  Every
`reminders.check_seconds` the scan reads the unmet deadlines of open records
from the database and queues what is due:

- a *before* reminder once a deadline is within `reminders.lead_minutes`;
- an *overdue* reminder once it has passed — to the group that owns the
  clock (Deadline.audience) and, for 二级 and 三级 records, to the
  leadership group as well.

Each reminder is a row of the notification queue whose key names the record,
the clock, its due time, the phase and the target
("reminder:TS-2026-00001:execution_response:20260105T083000Z:before:"
"execution@firm.example").  The key is unique, so a reminder is queued at most
once however often, by however many processes, and across however many
restarts the scan runs; sending is the queue's usual retry with backoff.
Because the scan reads due times afresh each time, a record whose level (and
so whose deadlines) changed is reminded of its new clocks with no job to
move; a pending reminder whose clock was met, dropped or moved, or whose
record was resolved or archived, is cancelled instead of sent.  A deadline
that passed while the service was down gets its overdue reminder at the
first scan after the restart, and no late "before" reminder.

When one scan finds more than `reminders.digest_after` new reminders for one
recipient (the first start over older records, the morning after a long
holiday), they go out as one summary mail (时限提醒汇总) listing every clock;
each reminder's own row is still written, with status "digested", so its key
keeps it from being sent again on its own.

The scan job itself lives in APScheduler's SQLAlchemyJobStore, in the same
database as the records (table `scheduler_jobs`), so its schedule survives a
restart with the data it works on; correctness does not depend on that store,
only on the queue keys.  A job in a persistent store cannot hold the Pipeline,
so it names it by a key into this process's registry (`_PIPELINES`).  After
each scan the job sends the queue with the `send` it was scheduled with: the
service passes its own turn-taking delivery, since SQLite has no SKIP LOCKED
and two threads sending at once could both send one row.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from sqlalchemy.exc import IntegrityError, SQLAlchemyError
from sqlalchemy.orm import Session

from models import store
from models.schema import Deadline, Notification
from notifiers import render
from notifiers.delivery import DeliveryReport, enqueue
from pipeline.review import mark_leadership_informed
from pipeline.run import Pipeline

log = logging.getLogger(__name__)

JOBSTORE = "reminders"
JOB_TABLE = "scheduler_jobs"
JOB_ID = "deadline-reminders"
KINDS = {"before": "reminder", "overdue": "overdue"}  # phase → notification kind
DIGEST_KIND = "reminder_digest"
CLOSED = render.CLOSED_STATUSES
KEY_LIMIT = 300  # Notification.key

Send = Callable[[], DeliveryReport]
_PIPELINES: dict[str, tuple[Pipeline, Send]] = {}


@dataclass
class ReminderReport:
    queued: int = 0
    cancelled: int = 0
    informed: int = 0  # leadership_informed clocks met by a sent notice


@dataclass(frozen=True)
class Planned:
    """One reminder the scan wants in the queue."""

    key: str
    deadline: Deadline
    overdue: bool
    audience: str
    target: str


# -- the scan ---------------------------------------------------------------

def scan_reminders(pipeline: Pipeline, now: datetime | None = None) -> ReminderReport:
    """Queue every reminder that is due and not queued yet; cancel stale ones."""
    now = now or datetime.now(UTC)
    report = ReminderReport()
    try:
        with pipeline.db.session() as session:
            report.informed = mark_leadership_informed(session)
            report.cancelled = _cancel_stale(session)
            report.queued = _queue_due(session, pipeline, now)
    except IntegrityError:
        # Another process queued the same keys in between; its rows stand and
        # the next scan fills in whatever is still missing.
        log.info("reminders: queued concurrently elsewhere; next scan retries")
        return ReminderReport()
    if report.queued or report.cancelled:
        log.info("reminders: queued %s, cancelled %s", report.queued,
                 report.cancelled)
    return report


def remind_once(
    pipeline: Pipeline, now: datetime | None = None, send: Send | None = None
) -> tuple[ReminderReport, DeliveryReport]:
    """Scan, then send what is in the queue (reminders and anything else due)."""
    report = scan_reminders(pipeline, now)
    return report, (send or pipeline.deliver)()


def _queue_due(session: Session, pipeline: Pipeline, now: datetime) -> int:
    settings = pipeline.settings.reminders
    lead = timedelta(minutes=settings.lead_minutes)
    deadlines = store.open_deadlines(session, now + lead, CLOSED)
    planned = [p for d in deadlines for p in _plan(pipeline, d, now, lead)]
    queued = store.existing_keys(session, [p.key for p in planned])
    domain = pipeline.settings.smtp.sender.rsplit("@", 1)[-1]
    fresh: dict[str, list[Planned]] = {}
    for item in planned:
        if item.key not in queued:
            queued.add(item.key)
            fresh.setdefault(item.target, []).append(item)
    count = 0
    for items in fresh.values():
        if len(items) > settings.digest_after:
            count += _enqueue_digest(session, items, now, domain)
        else:
            count += sum(_enqueue(session, item, now, domain) is not None
                         for item in items)
    return count


def _enqueue(session: Session, item: Planned, now: datetime, domain: str,
             quiet: bool = False) -> Notification | None:
    record, kind = item.deadline.record, KINDS["overdue" if item.overdue else "before"]
    subject, body = render.deadline_reminder(record, item.deadline, item.audience,
                                             item.overdue, now)
    row = enqueue(session, key=item.key, record_id=record.id, kind=kind,
                  audience=item.audience, target=item.target, subject=subject,
                  body=body, sender_domain=domain,
                  headers={"Auto-Submitted": "auto-generated"})
    if not quiet:
        log.info("%s: %s for %s queued to %s", record.reference, kind,
                 item.deadline.name, item.audience)
    return row


def _enqueue_digest(session: Session, items: list[Planned], now: datetime,
                    domain: str) -> int:
    """One summary mail for many reminders to one target.  Each reminder's own
    row is written first, marked as summarised, so that its key keeps it from
    being queued again; only the rows this scan really added are summarised,
    and the flush makes a concurrent scan's same keys fail here (the scan is
    then retried) rather than produce a second summary."""
    added = []
    for item in items:
        row = _enqueue(session, item, now, domain, quiet=True)
        if row is not None:
            added.append((item, row))
    if not added:
        return 0
    session.flush()
    first = added[0][0]
    audiences = {item.audience for item, _ in added}
    audience = audiences.pop() if len(audiences) == 1 else "execution"
    members = hashlib.sha256("\n".join(i.key for i, _ in added).encode()).hexdigest()
    key = f"reminder-digest:{members[:32]}:{_short_target(first.target)}"
    subject, body = render.reminder_digest(
        [(item.deadline, item.overdue) for item, _ in added], audience, now)
    enqueue(session, key=key, record_id=None, kind=DIGEST_KIND, audience=audience,
            target=first.target, subject=subject, body=body, sender_domain=domain,
            headers={"Auto-Submitted": "auto-generated"})
    for _, row in added:
        row.status, row.last_error = "digested", f"summarised in {key}"
    log.info("reminders: %s due clocks summarised in one mail to %s", len(added),
             audience)
    return len(added)


def _plan(pipeline: Pipeline, deadline: Deadline, now: datetime,
          lead: timedelta) -> list[Planned]:
    """The reminders one deadline calls for at `now`: none, before or overdue."""
    if now >= deadline.due_at:
        overdue = True
    elif now >= deadline.due_at - lead:
        overdue = False
    else:
        return []
    audiences = [deadline.audience]
    if overdue and deadline.record.level >= 2 and "leadership" not in audiences:
        audiences.append("leadership")
    notify = pipeline.settings.notify
    targets = {"execution": notify.execution, "leadership": notify.leadership}
    return [
        Planned(reminder_key(deadline, overdue, target), deadline, overdue,
                audience, target)
        for audience in audiences
        for target in targets.get(audience, [])
    ]


def reminder_key(deadline: Deadline, overdue: bool, target: str) -> str:
    """The queue key that makes one reminder happen once."""
    phase = "overdue" if overdue else "before"
    head = (f"reminder:{deadline.record.reference}:{deadline.name}:"
            f"{_stamp(deadline.due_at)}:{phase}:")
    if len(head) + len(target) > KEY_LIMIT:
        target = _short_target(target)
    return head + target


def _short_target(target: str) -> str:
    """Long bot URLs as their hash: still one key per target."""
    if len(target) <= 80:
        return target
    return "sha256-" + hashlib.sha256(target.encode()).hexdigest()


def _cancel_stale(session: Session) -> int:
    """Cancel pending reminders that no longer apply."""
    count = 0
    for notification in store.pending_notifications(session, KINDS.values()):
        reason = _stale_reason(notification)
        if reason:
            notification.status, notification.last_error = "cancelled", reason
            count += 1
            log.info("%s: reminder %s cancelled: %s", notification.record.reference,
                     notification.id, reason)
    return count


def _stale_reason(notification: Notification) -> str | None:
    record = notification.record
    if record is None:
        return "record gone"
    if record.status in CLOSED:
        return f"record {record.status}"
    _, _, name, due, _ = notification.key.split(":", 4)
    deadline = next((d for d in record.deadlines if d.name == name), None)
    if deadline is None:
        return f"{name} no longer applies at level {record.level}"
    if deadline.met_at is not None:
        return f"{name} met"
    if _stamp(deadline.due_at) != due:
        return f"{name} moved"
    return None


def _stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


# -- scheduling -------------------------------------------------------------

def schedule_reminders(scheduler, pipeline: Pipeline, send: Send | None = None) -> None:
    """Add the periodic reminder scan to `scheduler` (not started yet, or running).

    The job goes into a SQLAlchemyJobStore on the pipeline's own database; it
    runs at once and then every `reminders.check_seconds`, and after each scan
    calls `send` (by default `pipeline.deliver`).
    """
    settings = pipeline.settings.reminders
    if not settings.enabled:
        log.info("reminders disabled in settings; not scheduled")
        return
    key = _register(pipeline, send or pipeline.deliver)
    try:
        scheduler.add_jobstore(
            SQLAlchemyJobStore(engine=pipeline.db.engine, tablename=JOB_TABLE),
            alias=JOBSTORE,
        )
    except ValueError:
        pass  # already added by an earlier call on this scheduler
    scheduler.add_job(
        _scheduled_scan, "interval", args=[key], seconds=settings.check_seconds,
        id=JOB_ID, jobstore=JOBSTORE, replace_existing=True, max_instances=1,
        coalesce=True, misfire_grace_time=None,
        next_run_time=datetime.now(UTC),
    )
    log.info("reminders: scanning every %ss, %s minutes ahead",
             settings.check_seconds, settings.lead_minutes)


def run_forever(pipeline: Pipeline) -> None:
    """Only the reminders, on their own schedule (`complaint-triage remind`)."""
    from apscheduler.schedulers.blocking import BlockingScheduler

    scheduler = BlockingScheduler(timezone=pipeline.settings.triage.timezone)
    schedule_reminders(scheduler, pipeline)
    scheduler.start()


def _register(pipeline: Pipeline, send: Send) -> str:
    # The database URL may hold a password; the stored job only gets a digest.
    key = hashlib.sha256(pipeline.settings.database.url.encode()).hexdigest()[:16]
    _PIPELINES[key] = (pipeline, send)
    return key


def _scheduled_scan(key: str) -> None:
    if key not in _PIPELINES:
        log.warning("reminders: no pipeline registered for job key %s; skipped", key)
        return
    pipeline, send = _PIPELINES[key]
    try:
        remind_once(pipeline, send=send)
    except SQLAlchemyError as exc:
        # The next scan tries again; the scheduler must keep going.
        log.error("reminders: scan failed: %s", exc)
