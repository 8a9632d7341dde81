"""File sources: .eml files, folders of them, and mbox files."""

from __future__ import annotations

import mailbox
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from pipeline.errors import TriageError


@dataclass(frozen=True)
class RawMessage:
    source: str
    raw: bytes


def is_mbox(path: Path) -> bool:
    """An mbox file starts with a "From " separator line."""
    with path.open("rb") as handle:
        return handle.read(5) == b"From "


def iter_path(path: Path) -> Iterator[RawMessage]:
    """Every message at `path`: a file, a folder of *.eml, or an mbox."""
    if path.is_dir():
        for child in sorted(path.glob("*.eml"), key=lambda p: p.name):
            yield RawMessage(str(child), child.read_bytes())
    elif path.is_file() and is_mbox(path):
        yield from _iter_mbox(path)
    elif path.is_file():
        yield RawMessage(str(path), path.read_bytes())
    else:
        raise TriageError(f"no such file or folder: {path}")


def _iter_mbox(path: Path) -> Iterator[RawMessage]:
    box = mailbox.mbox(str(path), create=False)
    try:
        for index, key in enumerate(box.iterkeys()):
            yield RawMessage(f"{path}#{index}", box.get_bytes(key))
    finally:
        box.close()


def iter_paths(paths: list[Path]) -> Iterator[RawMessage]:
    for path in paths:
        yield from iter_path(path)
