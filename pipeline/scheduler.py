"""Polling once, or for ever: IDLE for speed, APScheduler as the fallback.

`poll_once` is one guarded poll.  It takes the mailbox's lock in the
database first (see `pipeline.locks`), so a second poller — an overlapping
run in this process, or another process on the same database — skips
instead of fetching the same mail, and a dropped connection is retried with
growing delays from the last committed UID.

`Intake` is the long-running service behind `poll` without `--once`.  When
`imap.idle` is on and the server offers IDLE, a thread keeps a read-only
connection waiting in IDLE and polls as soon as mail arrives, and at least
every `idle_seconds` anyway.  APScheduler polls every `imap.interval`
seconds whatever IDLE does, sends queued notifications every minute and runs
the deadline-reminder scan (`pipeline.reminders`).
Every failure is logged and retried; `stop()` ends it all (tests use that).
"""

from __future__ import annotations

import functools
import logging
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime

from apscheduler.schedulers.background import BackgroundScheduler

from notifiers.delivery import DeliveryReport
from pipeline.errors import MailboxError
from pipeline.imap import IdleWatch, ImapSource, PollReport, poll_with_retries
from pipeline.locks import try_lock
from pipeline.reminders import schedule_reminders
from pipeline.run import Pipeline

log = logging.getLogger(__name__)

# APScheduler reports every run of every job at INFO, which would bury the
# one line per message; its warnings and errors still come through.
_apscheduler_log = logging.getLogger("apscheduler")

# RFC 2177 has servers drop an IDLE after 30 minutes, and NAT boxes forget
# quiet connections sooner; five minutes also bounds how stale a lost
# notification can leave the mailbox.
IDLE_SECONDS = 290.0
RETRY_ATTEMPTS = 4
FIRST_RETRY_DELAY = 2.0
MAX_RETRY_DELAY = 60.0
DELIVER_SECONDS = 60

# SQLite has no SELECT … SKIP LOCKED, so two threads delivering at once
# could both send one notification; in one process they take turns.
_delivering = threading.Lock()


def deliver(pipeline: Pipeline) -> DeliveryReport:
    """Send what is queued, one thread of this process at a time."""
    with _delivering:
        return pipeline.deliver()


def poll_once(pipeline: Pipeline, *, attempts: int = RETRY_ATTEMPTS,
              first_delay: float = FIRST_RETRY_DELAY,
              sleep: Callable[[float], object] = time.sleep) -> PollReport:
    """Fetch new mail, store it, and send what it queued.

    When another poller holds the mailbox nothing is done, and the report
    says `skipped`.
    """
    source = ImapSource(pipeline.settings.imap)
    send = functools.partial(deliver, pipeline)
    with try_lock(pipeline.db, f"poll:{source.name}") as taken:
        if not taken:
            log.info("%s: another poller is reading this mailbox; poll skipped",
                     source.name)
            return PollReport(skipped=True)
        report = poll_with_retries(
            lambda: source.poll(pipeline.db, pipeline.ingest, after_batch=send,
                                examine_many=pipeline.examine_many),
            attempts, first_delay, sleep,
        )
        send()
    return report


class Intake:
    """The long-running poller; `run()` blocks, `start()`/`stop()` do not."""

    def __init__(self, pipeline: Pipeline, idle_seconds: float = IDLE_SECONDS,
                 retry_delay: float = FIRST_RETRY_DELAY) -> None:
        self.pipeline = pipeline
        self.settings = pipeline.settings.imap
        self.source = ImapSource(self.settings)
        self.idle_seconds = idle_seconds
        self.retry_delay = retry_delay
        self._stop = threading.Event()
        self._polling = threading.Lock()
        self._scheduler = BackgroundScheduler(
            timezone=pipeline.settings.triage.timezone)
        self._idle_thread = threading.Thread(
            target=self._idle_loop, name="imap-idle", daemon=True)

    def run(self) -> None:
        """Poll until interrupted (Ctrl-C) or until `stop()` is called."""
        self.start()
        try:
            while not self._stop.wait(1.0):
                pass
        except KeyboardInterrupt:
            log.info("interrupted; stopping")
        finally:
            self.stop()

    def start(self) -> None:
        # The database (and its schema) is made here, once: the threads below
        # would otherwise race to create the tables on first use.
        self.pipeline.db  # noqa: B018
        if _apscheduler_log.level == logging.NOTSET:
            _apscheduler_log.setLevel(logging.WARNING)
        self._scheduler.add_job(
            self.poll, "interval", seconds=self.settings.interval, id="poll",
            max_instances=1, coalesce=True, misfire_grace_time=None,
            next_run_time=datetime.now(UTC),
        )
        self._scheduler.add_job(
            self._deliver, "interval", seconds=DELIVER_SECONDS, id="deliver",
            max_instances=1, coalesce=True, misfire_grace_time=None,
        )
        schedule_reminders(self._scheduler, self.pipeline,
                           send=functools.partial(deliver, self.pipeline))
        self._scheduler.start()
        if self.settings.idle:
            self._idle_thread.start()
        log.info("%s: polling every %ss%s", self.source.name, self.settings.interval,
                 ", and on IDLE when offered" if self.settings.idle else "")

    def stop(self, timeout: float = 30.0) -> None:
        """Stop the scheduler and the IDLE thread, letting a running poll end."""
        self._stop.set()
        if self._scheduler.running:
            self._scheduler.shutdown(wait=True)
        if self._idle_thread.is_alive():
            self._idle_thread.join(timeout)

    def poll(self, wait: bool = False) -> PollReport | None:
        """One poll; with `wait` False it skips when this process is polling."""
        if not self._polling.acquire(blocking=wait):
            return None
        try:
            report = poll_once(self.pipeline, first_delay=self.retry_delay,
                               sleep=self._stop.wait)
        except MailboxError as exc:
            # The next scheduled run or IDLE round tries again.
            log.error("poll failed: %s", exc)
            return None
        except Exception:  # noqa: BLE001 - the service must outlive one bad poll
            log.exception("poll failed")
            return None
        finally:
            self._polling.release()
        if report.fetched:
            log.info("%s: %s messages: %s", self.source.name, report.fetched,
                     report.outcomes)
        return report

    def _deliver(self) -> None:
        try:
            deliver(self.pipeline)
        except Exception:  # noqa: BLE001 - the next run tries again
            log.exception("delivering notifications failed")

    # -- IDLE -------------------------------------------------------------

    def _idle_loop(self) -> None:
        delay = self.retry_delay
        while not self._stop.is_set():
            watch = IdleWatch(self.source)
            try:
                if not watch.open():
                    log.info("%s: server offers no IDLE; polling every %ss only",
                             self.source.name, self.settings.interval)
                    return
                delay = self.retry_delay
                self._idle_rounds(watch)
            except MailboxError as exc:
                log.warning("IDLE: %s; reconnecting in %.1fs", exc, delay)
            except Exception:  # noqa: BLE001 - the scheduled polls go on regardless
                log.exception("IDLE failed; reconnecting in %.1fs", delay)
            finally:
                watch.close()
            self._stop.wait(delay)
            delay = min(delay * 2, MAX_RETRY_DELAY)

    def _idle_rounds(self, watch: IdleWatch) -> None:
        while not self._stop.is_set():
            # IDLE starts before the poll, so mail landing while the poll
            # runs is announced to the wait below rather than missed.
            watch.start()
            self.poll(wait=True)
            if watch.wait(self.idle_seconds, self._stop):
                log.debug("%s: new mail announced", self.source.name)
            watch.done()


def run_forever(pipeline: Pipeline) -> None:
    """Poll until interrupted; see `Intake`."""
    Intake(pipeline).run()
