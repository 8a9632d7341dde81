"""The IMAP source: fetch by UID, store, then mark — never by the \\Seen flag.

Per mailbox folder the database remembers UIDVALIDITY and the highest UID
whose outcome is committed.  A poll fetches every UID above it with
BODY.PEEK[] (so nothing is marked read by accident), stores each message in
its own transaction, and only then sets the processed keyword and advances
the remembered UID.  A crash between the two leaves a message that is
fetched again and recognised by its Message-ID, so nothing is created twice.
"""

from __future__ import annotations

import logging
import socket
import ssl
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timezone

import imapclient
from imapclient.exceptions import IMAPClientError

from models import store
from models.db import Database
from models.schema import MailboxState
from pipeline.errors import MailboxError
from pipeline.settings import ImapSettings

log = logging.getLogger(__name__)
CLIENT_ID = {"name": "complaint-triage", "version": "0.1"}


@dataclass
class PollReport:
    fetched: int = 0
    outcomes: dict[str, int] = field(default_factory=dict)
    missing: list[int] = field(default_factory=list)

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

    def connect(self) -> imapclient.IMAPClient:
        """A logged-in client with the folder selected read-write."""
        s = self.settings
        context = ssl.create_default_context()
        if not s.verify:
            context.check_hostname = False
            context.verify_mode = ssl.CERT_NONE
        try:
            client = imapclient.IMAPClient(
                s.host, port=self.port, ssl=s.ssl, ssl_context=context,
                timeout=s.timeout,
            )
            client.normalise_times = False
            if s.starttls and not s.ssl:
                client.starttls(context)
            # NetEase (163/126) refuses SELECT from clients that do not say who
            # they are.
            if client.has_capability("ID"):
                client.id_(CLIENT_ID)
            client.login(s.user, s.password or "")
            client.select_folder(s.folder)
        except (IMAPClientError, OSError, socket.timeout) as exc:
            raise MailboxError(f"cannot open {self.name}: {exc}") from exc
        return client

    def poll(self, db: Database, ingest: Callable[..., object],
             after_batch: Callable[[], object] | None = None) -> PollReport:
        """Fetch and ingest every message above the committed UID."""
        report = PollReport()
        client = self.connect()
        try:
            uidvalidity = int(client.folder_status(
                self.settings.folder, [b"UIDVALIDITY"])[b"UIDVALIDITY"])
            last_uid = self._last_uid(db, uidvalidity)
            uids = [u for u in client.search(["UID", f"{last_uid + 1}:*"]) if u > last_uid]
            for start in range(0, len(uids), self.settings.batch):
                batch = sorted(uids[start:start + self.settings.batch])
                self._fetch_batch(client, db, batch, uidvalidity, ingest, report)
                if after_batch is not None:
                    after_batch()
        except (IMAPClientError, OSError, socket.timeout) as exc:
            raise MailboxError(f"{self.name}: {exc}") from exc
        finally:
            _logout(client)
        return report

    def _fetch_batch(self, client, db, batch, uidvalidity, ingest, report) -> None:
        response = client.fetch(batch, ["BODY.PEEK[]", "INTERNALDATE"])
        for uid in batch:
            data = response.get(uid) or {}
            raw = data.get(b"BODY[]")
            if raw is None:
                # Expunged between SEARCH and FETCH, or another client's flag
                # change answered instead: nothing to store for this UID.
                log.warning("%s: UID %s returned no body; skipped", self.name, uid)
                report.missing.append(uid)
            else:
                outcome = ingest(raw, f"imap://{self.name}#{uid}", mailbox=self.name,
                                 uid=uid, internaldate=_aware(data.get(b"INTERNALDATE")))
                report.fetched += 1
                report.count(getattr(outcome, "outcome", "stored"))
                self._mark(client, uid)
            self._commit_uid(db, uidvalidity, uid)

    def _mark(self, client, uid: int) -> None:
        s = self.settings
        try:
            if s.processed_keyword:
                client.add_flags([uid], [s.processed_keyword], silent=True)
            if s.move_to:
                client.move([uid], s.move_to)
        except IMAPClientError as exc:
            # The outcome is committed; the mark is a courtesy for people.
            log.warning("%s: could not mark UID %s: %s", self.name, uid, exc)

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


def _aware(moment: datetime | None) -> datetime | None:
    if moment is None:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def _logout(client: imapclient.IMAPClient) -> None:
    try:
        client.logout()
    except (IMAPClientError, OSError):
        log.debug("logout failed", exc_info=True)


def poll_with_retries(poll: Callable[[], PollReport], attempts: int = 4,
                      first_delay: float = 2.0) -> PollReport:
    """Run `poll`, reconnecting with growing delays after mailbox failures."""
    delay = first_delay
    for attempt in range(1, attempts + 1):
        try:
            return poll()
        except MailboxError as exc:
            if attempt == attempts:
                raise
            log.warning("poll failed (attempt %s of %s): %s; retrying in %.0fs",
                        attempt, attempts, exc, delay)
            time.sleep(delay)
            delay *= 2
    raise AssertionError("unreachable")
