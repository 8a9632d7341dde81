"""Mailbox intake that never loses or doubles a complaint, against real Dovecot.

Every test delivers mail to the `dovecot` fixture and checks the outcome in
the database by payload: each distinct message the server holds ends as
exactly one stored row (record, follow-up, not a complaint or quarantined),
whatever went wrong on the way.  Faults are real ones — SIGKILL, a server
stopped mid-poll, a loopback relay that cuts or stalls the connection, an
expunge from a second IMAP session — or a real server's answer altered on its
way in; there is no fake server.  The command runs as a subprocess only where
a process is the point (SIGKILL, two pollers at once): it costs seconds.
"""

from __future__ import annotations

import hashlib
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from email.message import EmailMessage
from email.policy import SMTP
from pathlib import Path

import pytest
from fixtures.ports import LOOPBACK
from sqlalchemy import func, select

from models import store
from models.db import Database
from models.schema import OUTCOMES, InboundMessage, MailboxState, Notification
from pipeline.errors import MailboxError
from pipeline.imap import ImapSource
from pipeline.locks import try_lock
from pipeline.run import Pipeline
from pipeline.scheduler import Intake, poll_once
from pipeline.settings import load_settings

pytestmark = pytest.mark.live

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = sorted((ROOT / "samples" / "mailbox").glob("*.eml"))
KEYWORD = b"$Triaged"
CHINESE_FOLDER = "投诉/已处理,天翼云"
CHINESE_ARCHIVE = "投诉/已归档"
FAST_RETRY = {"first_delay": 0.1, "attempts": 6}
MESSAGE_ID = re.compile(rb"^(Message-I[Dd]:\s*<)", re.MULTILINE)


# -- mail to deliver ----------------------------------------------------------


def complaint(n: int, *, message_id: bool = True, size: int = 2000) -> bytes:
    """A small generated complaint, CRLF line ends as a server stores it."""
    message = EmailMessage(policy=SMTP)
    message["From"] = f"client{n}@client{n}.example.cn"
    message["To"] = "complaints@firm.example"
    message["Subject"] = f"投诉：审计报告第{n}页数字错误"
    if message_id:
        message["Message-ID"] = f"<gen-{n}@client{n}.example.cn>"
    text = f"贵所出具的审计报告第{n}页营业收入数字有误，请尽快更正并书面答复。\n"
    message.set_content(text * max(1, size // len(text.encode())))
    return message.as_bytes()


def renamed_sample(path: Path, copy: int) -> bytes:
    """A sample with its Message-ID changed, so each copy is a new message."""
    raw = path.read_bytes()
    return MESSAGE_ID.sub(rb"\g<1>copy%d-" % copy, raw, count=1)


def junk(n: int) -> list[bytes]:
    """Messages that test the edges: no Message-ID, noise, too many parts."""
    noise = bytes((n * 131 + i * 17) % 254 + 1 for i in range(700))
    many_parts = (b"Subject: parts\r\nContent-Type: multipart/mixed; boundary=x"
                  b"\r\n\r\n" + b"--x\r\n\r\npart\r\n" * 4100 + b"--x--\r\n")
    return [complaint(1000 + n, message_id=False), noise, many_parts + b"%d" % n]


def mailbox_of_about_a_hundred() -> list[bytes]:
    """Six renamed copies of the samples, junk, and some mail delivered twice."""
    mail = [renamed_sample(path, copy) for copy in range(6) for path in SAMPLES]
    mail += [raw for n in range(2) for raw in junk(n)]
    return mail + [mail[3], mail[40], mail[-6]]  # the last one has no Message-ID


def append_all(dovecot, mail: list[bytes], folder: str = "INBOX",
               flags=()) -> list[int]:
    with dovecot.connect() as client:
        for raw in mail:
            client.append(folder, raw, flags=flags)
    return dovecot.uids(folder)


def server_payloads(dovecot, folder: str = "INBOX") -> list[str]:
    """The SHA-256 of every message the server holds, as IMAP returns it."""
    with dovecot.connect() as client:
        client.select_folder(folder, readonly=True)
        uids = client.search("ALL")
        fetched = client.fetch(uids, ["BODY.PEEK[]"]) if uids else {}
    return [hashlib.sha256(data[b"BODY[]"]).hexdigest() for data in fetched.values()]


# -- what the database holds ---------------------------------------------------


def stored(db: Database) -> list[InboundMessage]:
    with db.session() as session:
        return store.list_messages(session)


def stored_count(db: Database) -> int:
    with db.session() as session:
        return session.scalar(select(func.count()).select_from(InboundMessage))


def mailbox_state(db: Database) -> MailboxState:
    with db.session() as session:
        return session.scalars(select(MailboxState)).one()


def assert_each_exactly_once(db: Database, payloads: list[str]) -> None:
    """One row per distinct payload the server holds, none twice, none lost."""
    rows = stored(db)
    assert sorted(row.raw_sha256 for row in rows) == sorted(set(payloads))
    assert {row.outcome for row in rows} <= set(OUTCOMES)


def assert_all_marked(dovecot, folder: str = "INBOX") -> None:
    for uid in dovecot.uids(folder):
        assert KEYWORD in dovecot.flags(uid, folder), uid


def wait_until(condition, timeout: float, what: str) -> float:
    """Seconds it took for `condition()` to hold; fails after `timeout`."""
    started = time.monotonic()
    while not condition():
        if time.monotonic() - started > timeout:
            pytest.fail(f"{what} did not happen within {timeout}s")
        time.sleep(0.02)
    return time.monotonic() - started


# -- configuration ---------------------------------------------------------------


def imap_options(port: int, dovecot, **extra) -> dict:
    return {"host": LOOPBACK, "port": port, "user": dovecot.user,
            "password": dovecot.password, "ssl": False, **extra}


@pytest.fixture
def intake_pipeline(make_pipeline, dovecot):
    """Build a Pipeline reading the Dovecot INBOX (or `port`) on `db_url`."""
    def build(db_url: str, port: int | None = None, **imap) -> Pipeline:
        return make_pipeline(db_url, imap=imap_options(port or dovecot.port, dovecot,
                                                       **imap))
    return build


def cli_env(dovecot, db_url: str, tmp_path, **extra: str) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items()
           if not key.startswith("TRIAGE_")}
    env.update({
        "TRIAGE_DATABASE_URL": db_url,
        "TRIAGE_IMAP_HOST": LOOPBACK, "TRIAGE_IMAP_PORT": str(dovecot.port),
        "TRIAGE_IMAP_USER": dovecot.user, "TRIAGE_IMAP_PASSWORD": dovecot.password,
        "TRIAGE_IMAP_SSL": "false",
        "TRIAGE_NOTIFY_EXECUTION": "execution@firm.example",
        "TRIAGE_NOTIFY_LEADERSHIP": "leadership@firm.example",
        "TRIAGE_NOTIFY_OUTBOX": str(tmp_path / "outbox"),
        "TRIAGE_FIRM_DOMAINS": "firm.example",
        **extra,
    })
    return env


def start_poller(env: dict[str, str], log_path: Path) -> subprocess.Popen:
    with log_path.open("wb") as log:
        return subprocess.Popen(
            [sys.executable, "-m", "pipeline.cli", "poll", "--once"],
            env=env, cwd=ROOT, stdin=subprocess.DEVNULL, stdout=log, stderr=log,
        )


# -- a loopback relay that fails the first connection -------------------------


class FaultyRelay:
    """Relays 127.0.0.1:port to Dovecot; the first connection fails.

    After `after` bytes from the server the first connection is cut (both
    ends closed) or, with `stall`, left open with nothing more forwarded.
    Later connections pass untouched.  What clients send is kept.
    """

    def __init__(self, upstream_port: int, after: int, stall: bool = False) -> None:
        self.upstream_port = upstream_port
        self.after = after
        self.stall = stall
        self.connections = 0
        self.sent_by_clients = bytearray()
        self._sockets: list[socket.socket] = []
        self._listener = socket.create_server((LOOPBACK, 0))
        self.port = self._listener.getsockname()[1]
        threading.Thread(target=self._accept, daemon=True).start()

    def close(self) -> None:
        for sock in [self._listener, *self._sockets]:
            _quietly(sock.close)

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self._listener.accept()
            except OSError:
                return
            upstream = socket.create_connection((LOOPBACK, self.upstream_port))
            self._sockets += [client, upstream]
            limit = self.after if self.connections == 0 else None
            self.connections += 1
            for source, target, cap, keep in ((client, upstream, None, True),
                                              (upstream, client, limit, False)):
                threading.Thread(target=self._pump, args=(source, target, cap, keep),
                                 daemon=True).start()

    def _pump(self, source, target, limit, keep) -> None:
        passed = 0
        while True:
            try:
                data = source.recv(65536)
            except OSError:
                return
            if not data:
                _quietly(target.shutdown, socket.SHUT_WR)
                return
            if keep:
                self.sent_by_clients += data
            if limit is not None and passed + len(data) >= limit:
                _quietly(target.sendall, data[:limit - passed])
                if not self.stall:
                    # shutdown, not close: the other pump is blocked in recv.
                    _quietly(source.shutdown, socket.SHUT_RDWR)
                    _quietly(target.shutdown, socket.SHUT_RDWR)
                return
            passed += len(data)
            if not _quietly(target.sendall, data):
                return


def _quietly(call, *args) -> bool:
    try:
        call(*args)
    except OSError:
        return False
    return True


@pytest.fixture
def relay(dovecot):
    made: list[FaultyRelay] = []

    def build(after: int, stall: bool = False) -> FaultyRelay:
        made.append(FaultyRelay(dovecot.port, after, stall))
        return made[-1]

    yield build
    for each in made:
        each.close()


# -- exactly once --------------------------------------------------------------


def test_hundred_messages_each_end_as_exactly_one_outcome(
        dovecot, intake_pipeline, sqlite_url):
    mail = mailbox_of_about_a_hundred()
    uids = append_all(dovecot, mail)
    pipeline = intake_pipeline(sqlite_url)

    report = poll_once(pipeline)

    assert len(mail) >= 100 and report.fetched == len(uids)
    assert report.outcomes["duplicate"] == 3
    assert report.outcomes["quarantined"] >= 2
    assert_each_exactly_once(pipeline.db, server_payloads(dovecot))
    assert mailbox_state(pipeline.db).last_uid == uids[-1]
    assert_all_marked(dovecot)
    assert poll_once(pipeline).fetched == 0


def test_kill_9_mid_poll_then_poll_again_stores_each_message_once(
        dovecot, intake_pipeline, db_url, tmp_path):
    uids = append_all(dovecot, mailbox_of_about_a_hundred())
    watcher = Database(db_url)  # also creates the schema before the poller
    poller = start_poller(cli_env(dovecot, db_url, tmp_path), tmp_path / "poll.log")
    try:
        wait_until(lambda: stored_count(watcher) >= 10 or poller.poll() is not None,
                   120, "the poller storing ten messages")
        poller.send_signal(signal.SIGKILL)
    finally:
        poller.wait(30)
    killed_at = stored_count(watcher)
    watcher.dispose()
    assert poller.returncode == -signal.SIGKILL
    assert 10 <= killed_at < len(uids)

    pipeline = intake_pipeline(db_url)
    report = poll_once(pipeline)

    # The poll resumes after the last committed UID: at most the message
    # between its own commit and its UID's is fetched again.
    assert len(uids) - killed_at <= report.fetched <= len(uids) - killed_at + 1
    assert_each_exactly_once(pipeline.db, server_payloads(dovecot))
    assert_all_marked(dovecot)


def test_uidvalidity_reset_resyncs_without_duplicates_or_losses(
        dovecot, intake_pipeline, sqlite_url):
    first = [complaint(n) for n in range(5)] + [complaint(99, message_id=False)]
    append_all(dovecot, first)
    pipeline = intake_pipeline(sqlite_url)
    poll_once(pipeline)
    append_all(dovecot, [complaint(n) for n in range(5, 8)])  # not yet polled

    new_uidvalidity = dovecot.reset_uidvalidity()
    report = poll_once(pipeline)

    assert (report.fetched, report.outcomes["duplicate"]) == (9, 6)
    assert_each_exactly_once(pipeline.db, server_payloads(dovecot))
    state = mailbox_state(pipeline.db)
    assert (state.uidvalidity, state.last_uid) == (new_uidvalidity, dovecot.uids()[-1])


def test_message_already_seen_by_another_client_is_still_processed(
        dovecot, intake_pipeline, sqlite_url):
    [uid] = append_all(dovecot, [complaint(1)], flags=[b"\\Seen"])
    pipeline = intake_pipeline(sqlite_url)

    report = poll_once(pipeline)

    assert report.fetched == 1
    assert_each_exactly_once(pipeline.db, server_payloads(dovecot))
    assert {b"\\Seen", KEYWORD} <= set(dovecot.flags(uid))


def test_unread_message_stays_unread_after_processing(
        dovecot, intake_pipeline, sqlite_url):
    [uid] = append_all(dovecot, [complaint(1)])

    poll_once(intake_pipeline(sqlite_url))

    assert b"\\Seen" not in dovecot.flags(uid)


def test_message_that_fails_to_store_is_retried_and_does_not_block_later_mail(
        dovecot, intake_pipeline, sqlite_url, monkeypatch):
    uids = append_all(dovecot, [complaint(n) for n in range(4)])
    pipeline = intake_pipeline(sqlite_url)
    real_ingest = pipeline.ingest

    def failing_ingest(raw, source, **kwargs):
        if kwargs["uid"] == uids[1]:
            raise RuntimeError("store step failed")
        return real_ingest(raw, source, **kwargs)

    monkeypatch.setattr(pipeline, "ingest", failing_ingest)
    first = poll_once(pipeline)
    monkeypatch.setattr(pipeline, "ingest", real_ingest)
    second = poll_once(pipeline)

    assert (first.fetched, first.held) == (3, [uids[1]])
    assert (second.fetched, second.outcomes["duplicate"]) == (3, 2)
    assert_each_exactly_once(pipeline.db, server_payloads(dovecot))
    assert mailbox_state(pipeline.db).last_uid == uids[-1]


# -- answers that lack what was asked for ---------------------------------------


def hook_first_fetch(monkeypatch, before=None, after=None) -> None:
    """Run `before(client)` ahead of the poll's first FETCH, `after` on its answer."""
    connect = ImapSource.connect
    calls = []

    def hooked_connect(self):
        client = connect(self)
        fetch = client.fetch

        def hooked_fetch(messages, data, modifiers=None):
            first = not calls
            calls.append(messages)
            if first and before:
                before(client)
            response = fetch(messages, data, modifiers)
            return after(response) if first and after else response

        client.fetch = hooked_fetch
        return client

    monkeypatch.setattr(ImapSource, "connect", hooked_connect)


def test_message_expunged_between_search_and_fetch_is_skipped_rest_stored(
        dovecot, intake_pipeline, sqlite_url, monkeypatch):
    uids = append_all(dovecot, [complaint(n) for n in range(5)])
    victim = uids[2]

    def expunge_victim(client):
        with dovecot.connect() as other:
            other.select_folder("INBOX")
            other.delete_messages([victim])
            other.expunge()
        client.noop()  # the poller's session learns of the expunge

    hook_first_fetch(monkeypatch, before=expunge_victim)
    pipeline = intake_pipeline(sqlite_url)
    report = poll_once(pipeline)

    assert (report.fetched, report.missing, report.held) == (4, [victim], [])
    assert_each_exactly_once(pipeline.db, server_payloads(dovecot))
    assert mailbox_state(pipeline.db).last_uid == uids[-1]


def test_fetch_answer_with_only_flags_for_a_message_is_fetched_again(
        dovecot, intake_pipeline, sqlite_url, monkeypatch):
    uids = append_all(dovecot, [complaint(n) for n in range(3)])

    def flags_only(response):
        # What an unsolicited "* n FETCH (FLAGS (...))" leaves for that UID.
        response[uids[1]] = {b"SEQ": 2, b"FLAGS": (b"\\Seen",)}
        return response

    hook_first_fetch(monkeypatch, after=flags_only)
    pipeline = intake_pipeline(sqlite_url)
    report = poll_once(pipeline)

    assert (report.fetched, report.missing, report.held) == (3, [], [])
    assert_each_exactly_once(pipeline.db, server_payloads(dovecot))


# -- dropped connections, timeouts, restarts ------------------------------------


def test_connection_cut_mid_fetch_resumes_from_last_committed_uid(
        dovecot, intake_pipeline, relay, sqlite_url):
    uids = append_all(dovecot, [complaint(n, size=3000) for n in range(16)])
    cut = relay(after=30_000)
    pipeline = intake_pipeline(sqlite_url, port=cut.port, batch=4)
    source = ImapSource(pipeline.settings.imap)

    with pytest.raises(MailboxError, match="polling"):
        source.poll(pipeline.db, pipeline.ingest)
    kept = stored_count(pipeline.db)
    resumed = poll_once(pipeline)

    assert 0 < kept < len(uids)
    assert mailbox_state(pipeline.db).last_uid == uids[-1]
    assert resumed.fetched - resumed.outcomes.get("duplicate", 0) == len(uids) - kept
    assert resumed.outcomes.get("duplicate", 0) <= 1
    assert_each_exactly_once(pipeline.db, server_payloads(dovecot))
    assert_all_marked(dovecot)


def test_stalled_connection_times_out_and_the_retry_completes(
        dovecot, intake_pipeline, relay, sqlite_url):
    append_all(dovecot, [complaint(n, size=3000) for n in range(8)])
    stall = relay(after=25_000, stall=True)
    pipeline = intake_pipeline(sqlite_url, port=stall.port, timeout=1.0, batch=4)

    report = poll_once(pipeline, **FAST_RETRY)

    assert stall.connections == 2
    assert 0 < report.fetched < 8
    assert_each_exactly_once(pipeline.db, server_payloads(dovecot))


def test_client_says_who_it_is_with_the_id_command(
        dovecot, intake_pipeline, relay, sqlite_url):
    watch = relay(after=10**9)
    poll_once(intake_pipeline(sqlite_url, port=watch.port))

    assert re.search(rb' ID \("name" "complaint-triage"', bytes(watch.sent_by_clients))


def test_server_stopped_mid_poll_then_started_is_retried_without_loss(
        dovecot, intake_pipeline, sqlite_url):
    append_all(dovecot, [complaint(n) for n in range(20)])
    pipeline = intake_pipeline(sqlite_url)
    db = pipeline.db  # made here: two threads would both create the schema

    def bounce_server():
        wait_until(lambda: stored_count(db) >= 3, 60, "three stored")
        dovecot.stop()
        time.sleep(0.5)
        dovecot.start()

    bouncer = threading.Thread(target=bounce_server)
    bouncer.start()
    report = poll_once(pipeline, first_delay=0.25, attempts=8)
    bouncer.join()

    assert report.fetched < 20
    assert_each_exactly_once(pipeline.db, server_payloads(dovecot))
    assert_all_marked(dovecot)


# -- one poller at a time -------------------------------------------------------


def test_poll_skips_while_another_poller_holds_the_mailbox(
        dovecot, intake_pipeline, db_url):
    append_all(dovecot, [complaint(1)])
    pipeline = intake_pipeline(db_url)
    name = f"poll:{ImapSource(pipeline.settings.imap).name}"
    other = Database(db_url)

    with try_lock(other, name) as taken:
        assert taken
        skipped = poll_once(pipeline)
    other.dispose()
    after = poll_once(pipeline)

    assert skipped.skipped and skipped.fetched == 0
    assert (after.skipped, after.fetched) == (False, 1)


def test_two_pollers_at_once_on_postgresql_process_each_message_once(
        dovecot, smtp_sink, intake_pipeline, postgresql_url, tmp_path):
    append_all(dovecot, [renamed_sample(p, copy) for copy in range(3) for p in SAMPLES])
    Database(postgresql_url).dispose()  # the schema exists, as in any deployment
    env = cli_env(dovecot, postgresql_url, tmp_path,
                  TRIAGE_SMTP_HOST=smtp_sink.host, TRIAGE_SMTP_PORT=str(smtp_sink.port))
    logs = [tmp_path / "first.log", tmp_path / "second.log"]

    pollers = [start_poller(env, path) for path in logs]
    for poller in pollers:
        assert poller.wait(180) == 0

    pipeline = intake_pipeline(postgresql_url)
    assert_each_exactly_once(pipeline.db, server_payloads(dovecot))
    skipped = [path for path in logs if "poll skipped" in path.read_text()]
    assert len(skipped) == 1
    with pipeline.db.session() as session:
        sent = session.scalar(select(func.count()).select_from(Notification)
                              .where(Notification.status == "sent"))
    ids = [m.message["Message-ID"] for m in smtp_sink.messages]
    assert sent > 0 and len(ids) == len(set(ids)) == sent


# -- Chinese folder names ---------------------------------------------------------


def test_chinese_folder_with_comma_is_read_and_mail_moved_to_chinese_folder(
        dovecot, sqlite_url, tmp_path, monkeypatch):
    dovecot.create_folder(CHINESE_FOLDER)
    append_all(dovecot, [complaint(n) for n in range(3)], folder=CHINESE_FOLDER)
    payloads = server_payloads(dovecot, CHINESE_FOLDER)
    for key, value in cli_env(dovecot, sqlite_url, tmp_path,
                              TRIAGE_IMAP_FOLDER=CHINESE_FOLDER,
                              TRIAGE_IMAP_MOVE_TO=CHINESE_ARCHIVE).items():
        if key.startswith("TRIAGE_"):
            monkeypatch.setenv(key, value)
    pipeline = Pipeline(load_settings())

    try:
        report = poll_once(pipeline)
        again = poll_once(pipeline)
        assert (report.fetched, again.fetched) == (3, 0)
        assert_each_exactly_once(pipeline.db, payloads)
        assert mailbox_state(pipeline.db).mailbox.endswith("/" + CHINESE_FOLDER)
    finally:
        pipeline.close()
    assert dovecot.uids(CHINESE_FOLDER) == []
    assert sorted(server_payloads(dovecot, CHINESE_ARCHIVE)) == sorted(payloads)
    assert_all_marked(dovecot, CHINESE_ARCHIVE)


# -- the long-running poller ------------------------------------------------------


@pytest.fixture
def running_intake(intake_pipeline, sqlite_url):
    """An Intake that would poll hourly on its schedule: only IDLE is quick."""
    started: list[Intake] = []

    def start() -> Intake:
        pipeline = intake_pipeline(sqlite_url, interval=3600, idle=True)
        intake = Intake(pipeline, retry_delay=0.2)
        intake.start()
        started.append(intake)
        wait_until(lambda: _has_state(pipeline.db), 30, "the first poll")
        return intake

    yield start
    for intake in started:
        intake.stop()


def _has_state(db: Database) -> bool:
    with db.session() as session:
        return session.scalar(select(MailboxState)) is not None


def test_idle_processes_new_mail_within_seconds_and_stops_promptly(
        dovecot, running_intake):
    intake = running_intake()
    db = intake.pipeline.db

    dovecot.append(complaint(1))
    took = wait_until(lambda: stored_count(db) == 1, 10, "IDLE noticing new mail")
    started = time.monotonic()
    intake.stop()

    assert took < 5
    assert time.monotonic() - started < 5
    assert_each_exactly_once(db, server_payloads(dovecot))


def test_idle_loop_survives_a_server_restart_and_resumes(dovecot, running_intake):
    intake = running_intake()
    db = intake.pipeline.db
    dovecot.append(complaint(1))
    wait_until(lambda: stored_count(db) == 1, 10, "the first message")

    dovecot.restart()
    dovecot.append(complaint(2))

    wait_until(lambda: stored_count(db) == 2, 20, "mail after the restart")
    assert_each_exactly_once(db, server_payloads(dovecot))
