"""The IMAP source: fetch by UID, store, then mark — never by the \\Seen flag.

Per mailbox folder the database remembers UIDVALIDITY and the highest UID
whose outcome is committed.  A poll fetches every UID above it with
BODY.PEEK[] (so nothing is marked read by accident), stores each message in
its own transaction, and only then sets the processed keyword (or moves the
message to `move_to`; nothing is ever deleted) and advances the remembered
UID.  A crash between the two leaves a message that is fetched again and
recognised by its Message-ID (or, without one, by a hash of its bytes), so
nothing is created twice.  A new UIDVALIDITY starts the folder over, and the
same recognition keeps that from doubling anything.

`IdleWatch` is a second, read-only connection that waits in IDLE and says
when new mail has arrived; the scheduler decides what to do about it.
"""

from __future__ import annotations

import logging
import ssl
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime

import imapclient
from imapclient.exceptions import IMAPClientAbortError, IMAPClientError
from sqlalchemy.exc import InterfaceError, OperationalError

from models import store
from models.db import Database
from models.schema import MailboxState
from pipeline.errors import MailboxError
from pipeline.run import Arrival
from pipeline.settings import ImapSettings

log = logging.getLogger(__name__)
CLIENT_ID = {"name": "complaint-triage", "version": "0.1"}
ITEMS = ["BODY.PEEK[]", "INTERNALDATE"]
BODY = b"BODY[]"

# The database itself is unreachable or busy: stop the poll and try later,
# rather than hold back every message in turn.
DATABASE_DOWN = (OperationalError, InterfaceError)

# How often a wait in IDLE looks up to see whether it should stop.
IDLE_STEP = 1.0


@dataclass
class PollReport:
    fetched: int = 0
    outcomes: dict[str, int] = field(default_factory=dict)
    missing: list[int] = field(default_factory=list)
    held: list[int] = field(default_factory=list)
    skipped: bool = False

    def count(self, outcome: str) -> None:
        self.outcomes[outcome] = self.outcomes.get(outcome, 0) + 1


class ImapSource:
    """One configured mailbox folder."""

    def __init__(self, settings: ImapSettings) -> None:
        if not settings.host or not settings.user:
            raise MailboxError("IMAP is not configured: set [imap] host and user")
        self.settings = settings
        port = settings.port or (993 if settings.ssl else 143)
        self.port = port
        self.name = f"{settings.user}@{settings.host}:{port}/{settings.folder}"

    @contextmanager
    def errors(self, doing: str = "") -> Iterator[None]:
        """Translate protocol and socket failures into MailboxError."""
        try:
            yield
        except (IMAPClientError, OSError) as exc:
            what = f" while {doing}" if doing else ""
            raise MailboxError(f"{self.name}{what}: {exc}") from exc

    def connect(self) -> imapclient.IMAPClient:
        """A logged-in client, no folder selected yet."""
        s = self.settings
        context = ssl.create_default_context()
        if not s.verify:
            context.check_hostname = False
            context.verify_mode = ssl.CERT_NONE
        with self.errors("connecting"):
            client = imapclient.IMAPClient(
                s.host, port=self.port, ssl=s.ssl, ssl_context=context,
                timeout=s.timeout,
            )
        client.normalise_times = False
        try:
            with self.errors("logging in"):
                if s.starttls and not s.ssl:
                    client.starttls(context)
                # NetEase (163/126) refuses SELECT from clients that do not
                # say who they are.
                if client.has_capability("ID"):
                    client.id_(CLIENT_ID)
                client.login(s.user, s.password or "")
        except MailboxError:
            _shutdown(client)
            raise
        return client

    def select(self, client: imapclient.IMAPClient, readonly: bool = False) -> int:
        """Select the folder and return its UIDVALIDITY."""
        selected = client.select_folder(self.settings.folder, readonly=readonly)
        return int(selected[b"UIDVALIDITY"])

    # -- one poll ---------------------------------------------------------

    def poll(self, db: Database, ingest: Callable[..., object],
             after_batch: Callable[[], object] | None = None,
             examine_many: Callable[[list], list] | None = None) -> PollReport:
        """Fetch and ingest every message above the committed UID.

        With `examine_many` (Pipeline.examine_many) each FETCH batch is
        triaged together first and handed to `ingest` message by message.
        """
        report = PollReport()
        client = self.connect()
        try:
            with self.errors("polling"):
                uidvalidity = self.select(client)
                self._prepare_move(client)
                uids = self._new_uids(client, self._last_uid(db, uidvalidity))
                for start in range(0, len(uids), self.settings.batch):
                    batch = uids[start:start + self.settings.batch]
                    self._fetch_batch(client, db, batch, uidvalidity, ingest, report,
                                      examine_many)
                    if after_batch is not None:
                        after_batch()
        finally:
            _logout(client)
        return report

    def _new_uids(self, client, last_uid: int) -> list[int]:
        # "n:*" always matches the highest message, even below n.
        found = client.search(["UID", f"{last_uid + 1}:*"])
        return sorted(uid for uid in found if uid > last_uid)

    def _fetch_batch(self, client, db, batch, uidvalidity, ingest, report,
                     examine_many=None) -> None:
        bodies = self._fetch(client, batch)
        absent = [uid for uid in batch if uid not in bodies]
        gone = self._expunged(client, absent) if absent else set()
        examined = self._examine(bodies, examine_many) if examine_many else {}
        for uid in batch:
            if uid in bodies:
                done = self._ingest(client, uid, bodies[uid], ingest, report,
                                    examined.get(uid))
            else:
                done = uid in gone
                self._note_absent(uid, done, report)
            # The remembered UID never passes a message still owed a
            # decision, so that message is fetched again next poll; what
            # lies beyond it is recognised as already stored.
            if done and not report.held:
                self._commit_uid(db, uidvalidity, uid)

    def _fetch(self, client, uids: list[int]) -> dict[int, dict]:
        """The FETCH data of each UID that came back with its body."""
        try:
            response = client.fetch(uids, ITEMS)
        except IMAPClientAbortError:
            raise
        except IMAPClientError as exc:
            # Some servers refuse the whole batch when one message of it was
            # expunged meanwhile; the others are asked for one by one below.
            log.warning("%s: FETCH of %s UIDs refused: %s", self.name, len(uids), exc)
            response = {}
        bodies = {uid: response[uid] for uid in uids if BODY in response.get(uid, {})}
        lacking = [uid for uid in uids if uid not in bodies]
        if lacking:
            bodies.update(self._refetch(client, lacking))
        return bodies

    def _refetch(self, client, uids: list[int]) -> dict[int, dict]:
        # An answer without the body may be an unsolicited FETCH of flags
        # that stood in for ours, or the message was expunged meanwhile; a
        # NOOP lets the server tell us about expunges before we ask again.
        client.noop()
        bodies = {}
        for uid in uids:
            try:
                data = client.fetch([uid], ITEMS).get(uid, {})
            except IMAPClientAbortError:
                raise
            except IMAPClientError:
                data = {}
            if BODY in data:
                bodies[uid] = data
        return bodies

    def _expunged(self, client, uids: list[int]) -> set[int]:
        present = client.search(["UID", ",".join(str(uid) for uid in uids)])
        return set(uids) - set(present)

    def _note_absent(self, uid: int, gone: bool, report: PollReport) -> None:
        if gone:
            log.info("UID %s of %s: expunged before it could be fetched; nothing "
                     "to store", uid, self.name)
            report.missing.append(uid)
            return
        log.warning("UID %s of %s: the server sent no body; fetched again next "
                    "poll", uid, self.name)
        report.held.append(uid)

    def _examine(self, bodies: dict[int, dict], examine_many) -> dict[int, object]:
        """Each fetched message triaged, the batch at once; {} when that fails
        (each message is then examined by `ingest` on its own)."""
        uids = sorted(bodies)
        try:
            results = examine_many([
                Arrival(bodies[uid][BODY], self._source(uid),
                        _aware(bodies[uid].get(b"INTERNALDATE"))) for uid in uids])
        except Exception:  # noqa: BLE001 - ingest examines each message again
            log.exception("%s: triage of a FETCH batch failed", self.name)
            return {}
        return dict(zip(uids, results, strict=True))

    def _source(self, uid: int) -> str:
        return f"imap://{self.name}#{uid}"

    def _ingest(self, client, uid: int, data: dict, ingest, report,
                examined=None) -> bool:
        """Store one message and mark it; False when it must be tried again."""
        try:
            outcome = ingest(data[BODY], self._source(uid),
                             mailbox=self.name, uid=uid,
                             internaldate=_aware(data.get(b"INTERNALDATE")),
                             examined=examined)
        except DATABASE_DOWN:
            raise
        except Exception:  # noqa: BLE001 - one bad message must not stop the poll
            # Pipeline.ingest already quarantines a message whose outcome
            # cannot be stored; what reaches here is a failure to keep even
            # that, so the message stays on the server for the next poll.
            log.exception("UID %s of %s: could not be stored; left on the server "
                          "for the next poll", uid, self.name)
            report.held.append(uid)
            return False
        report.fetched += 1
        report.count(outcome.outcome)
        if outcome.outcome == "duplicate":
            log.info("%s: already stored (UID %s of %s); marked", outcome.message_id,
                     uid, self.name)
        self._mark(client, uid)
        return True

    # -- marking ----------------------------------------------------------

    def _prepare_move(self, client) -> None:
        target = self.settings.move_to
        if not target:
            return
        if not client.has_capability("MOVE"):
            # Without MOVE a move is copy-then-delete, and nothing is deleted.
            log.warning("%s: server lacks MOVE; processed mail stays in place",
                        self.name)
            return
        if not client.folder_exists(target):
            client.create_folder(target)
            log.info("%s: created folder %s for processed mail", self.name, target)

    def _mark(self, client, uid: int) -> None:
        s = self.settings
        try:
            if s.processed_keyword:
                client.add_flags([uid], [s.processed_keyword], silent=True)
            if s.move_to and client.has_capability("MOVE"):
                client.move([uid], s.move_to)
        except IMAPClientAbortError:
            # The connection is gone: the UID stays uncommitted, so the next
            # poll fetches the message again, recognises it and marks it.
            raise
        except IMAPClientError as exc:
            # A refusal (no permanent keywords, say) changes nothing stored.
            log.warning("%s: could not mark UID %s: %s", self.name, uid, exc)

    # -- the remembered UID -----------------------------------------------

    def _last_uid(self, db: Database, uidvalidity: int) -> int:
        with db.session() as session:
            state = store.mailbox_state(session, self.name)
            if state is None:
                session.add(MailboxState(mailbox=self.name, uidvalidity=uidvalidity,
                                         last_uid=0))
                return 0
            if state.uidvalidity != uidvalidity:
                log.warning("%s: UIDVALIDITY changed %s -> %s; resyncing the folder "
                            "(messages already stored are recognised by Message-ID)",
                            self.name, state.uidvalidity, uidvalidity)
                state.uidvalidity, state.last_uid = uidvalidity, 0
            return state.last_uid

    def _commit_uid(self, db: Database, uidvalidity: int, uid: int) -> None:
        with db.session() as session:
            state = store.mailbox_state(session, self.name)
            if state.uidvalidity == uidvalidity and uid > state.last_uid:
                state.last_uid = uid


class IdleWatch:
    """A read-only connection to the folder that waits in IDLE for new mail."""

    def __init__(self, source: ImapSource) -> None:
        self.source = source
        self.client: imapclient.IMAPClient | None = None

    def open(self) -> bool:
        """Connect and select; False when the server does not offer IDLE."""
        client = self.source.connect()
        try:
            with self.source.errors("selecting for IDLE"):
                self.source.select(client, readonly=True)
                offered = client.has_capability("IDLE")
        except MailboxError:
            _logout(client)
            raise
        if not offered:
            _logout(client)
            return False
        self.client = client
        return True

    def start(self) -> None:
        with self.source.errors("starting IDLE"):
            self.client.idle()

    def wait(self, seconds: float, stop: threading.Event) -> bool:
        """Whether new mail arrived within `seconds`; False on timeout or stop."""
        deadline = time.monotonic() + seconds
        quick_empty = 0
        while not stop.is_set():
            left = deadline - time.monotonic()
            if left <= 0:
                return False
            step = min(left, IDLE_STEP)
            started = time.monotonic()
            with self.source.errors("waiting in IDLE"):
                responses = self.client.idle_check(timeout=step)
            if any(_announces_mail(response) for response in responses):
                return True
            # idle_check swallows end-of-file and returns at once, again and
            # again; a run of such empty answers means the server hung up.
            quick = not responses and time.monotonic() - started < step / 2
            quick_empty = quick_empty + 1 if quick else 0
            if quick_empty >= 3:
                raise MailboxError(f"{self.source.name}: server closed the IDLE "
                                   "connection")
        return False

    def done(self) -> None:
        with self.source.errors("ending IDLE"):
            self.client.idle_done()

    def close(self) -> None:
        if self.client is not None:
            _logout(self.client)
            self.client = None


def _announces_mail(response) -> bool:
    return len(response) > 1 and response[1] == b"EXISTS"


def _aware(moment: datetime | None) -> datetime | None:
    if moment is None:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _logout(client: imapclient.IMAPClient) -> None:
    try:
        client.logout()
    except (IMAPClientError, OSError):
        log.debug("logout failed", exc_info=True)
        _shutdown(client)


def _shutdown(client: imapclient.IMAPClient) -> None:
    try:
        client.shutdown()
    except (IMAPClientError, OSError):
        log.debug("shutdown failed", exc_info=True)


def poll_with_retries(poll: Callable[[], PollReport], attempts: int = 4,
                      first_delay: float = 2.0,
                      sleep: Callable[[float], object] = time.sleep) -> PollReport:
    """Run `poll`, reconnecting with growing delays after mailbox failures.

    Each attempt starts from the UID committed by the one before, so what
    was stored before the connection dropped is not fetched again.
    """
    delay = first_delay
    for attempt in range(1, attempts + 1):
        try:
            return poll()
        except MailboxError as exc:
            if attempt == attempts:
                raise
            log.warning("poll failed (attempt %s of %s): %s; retrying in %.1fs",
                        attempt, attempts, exc, delay)
            sleep(delay)
            delay *= 2
    raise AssertionError("unreachable")
