"""Named locks that keep a second poller away from a mailbox.

`try_lock(db, name)` never blocks: it yields whether the lock was taken, and
the caller skips its work when it was not.  Where the lock lives depends on
the database, because the lock must be seen by every process that writes to
it:

- PostgreSQL: a session-level advisory lock (`pg_try_advisory_lock`) on a
  64-bit hash of the name, held on a connection of its own for as long as
  the block runs.  The server drops it when that session ends, so a poller
  killed with SIGKILL cannot leave it behind.  Should that connection drop
  mid-poll the lock is gone with it; the unique Message-ID still keeps a
  second poller from storing anything twice, it only wastes the work.
- SQLite: the database's own write lock already serialises writers, and the
  unique Message-ID turns a second store of the same message into a no-op;
  but two pollers would still fetch, triage and mark the same mail twice.
  So an exclusive `flock` is taken on a file beside the database (the kernel
  releases it when the process dies).  An in-memory database is private to
  its process, so a lock in the process is enough there.
"""

from __future__ import annotations

import fcntl
import hashlib
import logging
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Engine, text
from sqlalchemy.exc import SQLAlchemyError

from models.db import Database

log = logging.getLogger(__name__)

_in_process: dict[str, threading.Lock] = {}
_in_process_guard = threading.Lock()


@contextmanager
def try_lock(db: Database, name: str) -> Iterator[bool]:
    """Hold the lock `name` for the block if nobody else has it."""
    path = _sqlite_path(db.engine)
    if db.engine.dialect.name == "postgresql":
        locker = _advisory_lock(db.engine, name)
    elif path:
        locker = _file_lock(f"{path}.{_digest(name)[:16]}.lock")
    else:
        locker = _thread_lock(name)
    with locker as taken:
        yield taken


def advisory_key(name: str) -> int:
    """The signed 64-bit key PostgreSQL's advisory locks take."""
    return int.from_bytes(bytes.fromhex(_digest(name)[:16]), "big", signed=True)


@contextmanager
def _advisory_lock(engine: Engine, name: str) -> Iterator[bool]:
    key = advisory_key(name)
    # Autocommit, so the connection does not sit idle in a transaction
    # (which a server timeout may end) for the whole poll.
    connection = engine.connect().execution_options(isolation_level="AUTOCOMMIT")
    taken = False
    try:
        taken = bool(connection.scalar(text("SELECT pg_try_advisory_lock(:key)"),
                                       {"key": key}))
        yield taken
    finally:
        if taken:
            _advisory_unlock(connection, key)
        connection.close()


def _advisory_unlock(connection, key: int) -> None:
    try:
        connection.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": key})
    except SQLAlchemyError:
        # The session is gone, and its lock with it; a pooled connection
        # must not come back still holding the lock.
        log.warning("advisory unlock failed; discarding the connection")
        connection.invalidate()


@contextmanager
def _file_lock(path: str) -> Iterator[bool]:
    # flock belongs to the open file, so two opens in one process exclude
    # each other just as two processes do.
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield False
            return
        try:
            yield True
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


@contextmanager
def _thread_lock(name: str) -> Iterator[bool]:
    with _in_process_guard:
        lock = _in_process.setdefault(name, threading.Lock())
    taken = lock.acquire(blocking=False)
    try:
        yield taken
    finally:
        if taken:
            lock.release()


def _sqlite_path(engine: Engine) -> str | None:
    if engine.dialect.name != "sqlite":
        return None
    database = engine.url.database
    if not database or database == ":memory:" or database.startswith("file:"):
        return None
    return database


def _digest(name: str) -> str:
    return hashlib.sha256(name.encode("utf-8")).hexdigest()
