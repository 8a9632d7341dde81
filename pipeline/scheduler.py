"""Polling on a schedule with APScheduler, or once."""

from __future__ import annotations

import logging

from apscheduler.schedulers.blocking import BlockingScheduler

from pipeline.errors import MailboxError
from pipeline.imap import ImapSource, PollReport, poll_with_retries
from pipeline.run import Pipeline

log = logging.getLogger(__name__)


def poll_once(pipeline: Pipeline) -> PollReport:
    """Fetch new mail, store it, and send what it queued."""
    source = ImapSource(pipeline.settings.imap)
    report = poll_with_retries(
        lambda: source.poll(pipeline.db, pipeline.ingest, after_batch=pipeline.deliver)
    )
    pipeline.deliver()
    return report


def _scheduled_poll(pipeline: Pipeline) -> None:
    try:
        report = poll_once(pipeline)
        if report.fetched:
            log.info("poll: %s messages: %s", report.fetched, report.outcomes)
    except MailboxError as exc:
        # The next scheduled run tries again; the scheduler must keep going.
        log.error("poll failed: %s", exc)


def run_forever(pipeline: Pipeline) -> None:
    """Poll every `imap.interval` seconds; overlapping runs are skipped."""
    scheduler = BlockingScheduler(timezone=pipeline.settings.triage.timezone)
    scheduler.add_job(
        _scheduled_poll, "interval", args=[pipeline],
        seconds=pipeline.settings.imap.interval, max_instances=1, coalesce=True,
        id="poll", next_run_time=_now(),
    )
    scheduler.add_job(
        pipeline.deliver, "interval", seconds=60, max_instances=1, coalesce=True,
        id="deliver",
    )
    log.info("polling %s every %ss", pipeline.settings.imap.host,
             pipeline.settings.imap.interval)
    scheduler.start()


def _now():
    from datetime import datetime, timezone

    return datetime.now(timezone.utc)
