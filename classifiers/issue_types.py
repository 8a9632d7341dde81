"""Issue types (投诉类型): what a complaint is about, from keyword rules.

The types and their patterns live in `data/issue_types.toml`, which staff may
edit.  A message gets the type with the most distinct matched words (a tie
goes to the type listed first) and keeps those words, so a person reading the
record sees why.  Nothing matched means 其他.
"""

from __future__ import annotations

import functools
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

from classifiers.text import normalise

BUNDLED_ISSUE_TYPES = Path(__file__).parent / "data" / "issue_types.toml"
OTHER = "其他"


class IssueTypesError(ValueError):
    """The issue-types file is missing, malformed or has an invalid pattern."""


@dataclass(frozen=True)
class IssueVerdict:
    name: str
    matched: tuple[str, ...] = ()


@dataclass(frozen=True)
class IssueType:
    name: str
    description: str
    patterns: tuple[re.Pattern[str], ...]

    def matches(self, text: str) -> list[str]:
        """The distinct words of `text` that this type's patterns match.

        Where two patterns match overlapping text the longer match is kept,
        so one phrase counts once.
        """
        spans = sorted(
            (m.span() for p in self.patterns for m in p.finditer(text) if m.group(0)),
            key=lambda span: span[0] - span[1],
        )
        kept: list[tuple[int, int]] = []
        for start, end in spans:
            if all(end <= s or start >= e for s, e in kept):
                kept.append((start, end))
        words = (text[s:e].strip() for s, e in sorted(kept))
        return list(dict.fromkeys(w for w in words if w))


@dataclass(frozen=True)
class IssueTypeBook:
    types: tuple[IssueType, ...]

    @property
    def names(self) -> tuple[str, ...]:
        return (*(t.name for t in self.types), OTHER)

    def classify(self, text: str) -> IssueVerdict:
        """The best-matching type of `text` (any script, any width)."""
        text = normalise(text)
        best = IssueVerdict(OTHER)
        for issue_type in self.types:
            words = issue_type.matches(text)
            if len(words) > len(best.matched):
                best = IssueVerdict(issue_type.name, tuple(words))
        return best


def classify_issue(text: str, path: Path | None = None) -> IssueVerdict:
    return load_issue_types(path).classify(text)


@functools.lru_cache(maxsize=4)
def load_issue_types(path: Path | None = None) -> IssueTypeBook:
    """Read the issue-types TOML (the bundled one when `path` is None)."""
    path = Path(path or BUNDLED_ISSUE_TYPES)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise IssueTypesError(f"cannot read issue types {path}: {exc}") from exc
    types = tuple(_issue_type(entry, path) for entry in data.get("types", []))
    if not types:
        raise IssueTypesError(f"{path} defines no [[types]]")
    return IssueTypeBook(types)


def _issue_type(entry: dict, path: Path) -> IssueType:
    try:
        name, patterns = entry["name"], entry["patterns"]
    except KeyError as exc:
        raise IssueTypesError(f"{path}: a [[types]] entry lacks {exc}") from exc
    if name == OTHER:
        raise IssueTypesError(f"{path}: {OTHER} is what matches nothing; remove it")
    try:
        compiled = tuple(re.compile(p, re.IGNORECASE) for p in patterns)
    except re.error as exc:
        raise IssueTypesError(f"{path}: type {name}: bad pattern: {exc}") from exc
    return IssueType(name, entry.get("description", ""), compiled)
