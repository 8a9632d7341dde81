"""File sources: .eml files, folders of them, and mbox files."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from pipeline.errors import TriageError

log = logging.getLogger(__name__)

# A separator line as mail systems write it: "From sender weekday month day
# time year".  A body line that merely starts with "From " is not one, so a
# client's "From here on…" does not split their message in two.
_SEPARATOR = re.compile(
    rb"^From \S+ +(?:\w{3} +)?\w{3} +\d{1,2} +\d{1,2}:\d{2}(?::\d{2})?"
    rb"(?: +[A-Z]{2,5}| +[+-]\d{4})? +\d{4}[ \t]*\r?$",
    re.MULTILINE,
)
_HEADER_NAME = re.compile(rb"^([!-9;-~]+):", re.MULTILINE)
_BLANK_LINE = re.compile(rb"\r?\n\r?\n")
_ESCAPED_FROM = re.compile(rb"^>(>*From )", re.MULTILINE)


@dataclass(frozen=True)
class RawMessage:
    source: str
    raw: bytes
    error: str | None = None  # the file could not be read


def is_mbox(path: Path) -> bool:
    """An mbox file starts with a separator line.  So does a single message
    some tools save as .eml; such a file is an mbox only when a second
    message plainly starts in it (see `_entries`)."""
    try:
        with path.open("rb") as handle:
            if not _SEPARATOR.match(handle.readline()):
                return False
        if path.suffix.lower() != ".eml":
            return True
        entries = len(_entries(path.read_bytes(), strict=True))
    except OSError:
        return False  # _read says why the file cannot be read
    if entries > 1:
        log.warning("%s holds %s messages in mbox form; each is read", path, entries)
    return entries > 1


def _entries(data: bytes, strict: bool) -> list[int]:
    """Offsets where messages start: every separator line of an mbox.  For
    a file named .eml (`strict`) a separator after the first counts only
    after a blank line and before a header block with From: and Date: or
    Message-ID:, so that a bounce or forward quoted in a body does not split
    the message; the file's start always begins the first message."""
    starts = [match.start() for match in _SEPARATOR.finditer(data)]
    if not strict:
        return starts
    kept = [start for start in starts if start and data.endswith(
        (b"\n\n", b"\n\r\n"), 0, start) and _starts_headers(data, start)]
    return [0, *kept] if kept else []


def _starts_headers(data: bytes, separator: int) -> bool:
    line_end = data.find(b"\n", separator)
    head = data[line_end + 1:line_end + 16385] if line_end >= 0 else b""
    block = _BLANK_LINE.split(head, 1)[0]
    names = {name.lower() for name in _HEADER_NAME.findall(block)}
    return (bool(_HEADER_NAME.match(block)) and b"from" in names
            and bool(names & {b"date", b"message-id"}))


def iter_path(path: Path) -> Iterator[RawMessage]:
    """Every message at `path`: a file, a folder of *.eml, or an mbox."""
    if path.is_dir():
        yield from _iter_folder(path)
    elif path.is_file():
        yield from _iter_file(path)
    else:
        raise TriageError(f"no such file or folder: {path}")


def _iter_file(path: Path) -> Iterator[RawMessage]:
    if is_mbox(path):
        yield from _iter_mbox(path)
    else:
        yield _read(path)


def _iter_folder(path: Path) -> Iterator[RawMessage]:
    entries = sorted(path.iterdir(), key=lambda p: p.name)
    messages = [p for p in entries if p.suffix.lower() == ".eml"]
    skipped = [p.name for p in entries if p.suffix.lower() != ".eml"]
    if skipped:
        # Only *.eml are read from a folder; an mbox is named on its own.
        log.warning("%s: %s entries that are not .eml files skipped: %s", path,
                    len(skipped), ", ".join(skipped[:10]))
    if not messages:
        log.warning("%s: no .eml files in this folder", path)
    for child in messages:
        yield from _iter_file(child)


def _read(path: Path) -> RawMessage:
    try:
        raw = path.read_bytes()
        # Some tools save a single message with its mbox separator line.
        if _SEPARATOR.match(raw, 0, raw.find(b"\n") + 1 or len(raw)):
            raw = raw.split(b"\n", 1)[1] if b"\n" in raw else b""
        return RawMessage(str(path), raw)
    except OSError as exc:
        log.warning("%s: cannot be read: %s", path, exc)
        return RawMessage(str(path), b"", error=f"file cannot be read: {exc.strerror}")


def _iter_mbox(path: Path) -> Iterator[RawMessage]:
    data = path.read_bytes()
    starts = _entries(data, strict=path.suffix.lower() == ".eml") or [0]
    for index, start in enumerate(starts):
        end = starts[index + 1] if index + 1 < len(starts) else len(data)
        chunk = data[start:end]
        # The separator line is the mbox's, not the message's.
        chunk = chunk.split(b"\n", 1)[1] if b"\n" in chunk else b""
        yield RawMessage(f"{path}#{index}", _ESCAPED_FROM.sub(rb"\1", chunk))


def iter_paths(paths: list[Path]) -> Iterator[RawMessage]:
    for path in paths:
        yield from iter_path(path)
