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
# A separator line that starts a message: a header line follows it.
_ENTRY = re.compile(_SEPARATOR.pattern + rb"\n[!-9;-~]+:", re.MULTILINE)
_ESCAPED_FROM = re.compile(rb"^>(>*From )", re.MULTILINE)


@dataclass(frozen=True)
class RawMessage:
    source: str
    raw: bytes
    error: str | None = None  # the file could not be read


def is_mbox(path: Path) -> bool:
    """An mbox file starts with a separator line.  So does a single message
    some tools save as .eml; such a file is an mbox only when another
    separator line followed by a header starts a second message in it."""
    with path.open("rb") as handle:
        if not _SEPARATOR.match(handle.readline()):
            return False
    if path.suffix.lower() != ".eml":
        return True
    entries = len(_ENTRY.findall(path.read_bytes()))
    if entries > 1:
        log.warning("%s holds %s messages in mbox form; each is read", path, entries)
    return entries > 1


def iter_path(path: Path) -> Iterator[RawMessage]:
    """Every message at `path`: a file, a folder of *.eml, or an mbox."""
    if path.is_dir():
        yield from _iter_folder(path)
    elif path.is_file() and is_mbox(path):
        yield from _iter_mbox(path)
    elif path.is_file():
        yield _read(path)
    else:
        raise TriageError(f"no such file or folder: {path}")


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
        yield _read(child)


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
    starts = [m.start() for m in _SEPARATOR.finditer(data)] or [0]
    for index, start in enumerate(starts):
        end = starts[index + 1] if index + 1 < len(starts) else len(data)
        chunk = data[start:end]
        # The separator line is the mbox's, not the message's.
        chunk = chunk.split(b"\n", 1)[1] if b"\n" in chunk else b""
        yield RawMessage(f"{path}#{index}", _ESCAPED_FROM.sub(rb"\1", chunk))


def iter_paths(paths: list[Path]) -> Iterator[RawMessage]:
    for path in paths:
        yield from iter_path(path)
