"""Literal words that a regular expression cannot match without.

A keyword rule has a score of patterns, and most messages match none of
them.  Each pattern is read once, when the rules are loaded, for the plain
strings one of which every match must contain ("(聘请|委托)了?律师" needs
"律师"); a message whose text holds none of a pattern's anchors is not
searched with it.  Python's `in` finds a literal many times faster than the
regex engine tries a pattern at every position.

Anchors are only taken from characters that case-insensitive matching
leaves alone or from ASCII letters (compared in lower case); a pattern that
gives none, or that the analysis does not understand, is always searched.
"""

from __future__ import annotations

import re
from re import _constants as sre  # the parser's own vocabulary
from re import _parser as sre_parse

# Characters outside ASCII that re.IGNORECASE treats as equal to an ASCII
# letter (İ, ı, ſ and the Kelvin sign); a text holding one is searched with
# every pattern.  tests/test_rules.py checks this list against the engine.
UNUSUAL_CASE = "\u0130\u0131\u017f\u212a"
_UNUSUAL = re.compile(f"[{UNUSUAL_CASE}]")

_REPEATS = (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT)


def anchors(pattern: str) -> frozenset[str] | None:
    """Strings, in lower case, one of which every match of `pattern` (compiled
    with re.IGNORECASE) contains; None when there are none to rely on."""
    try:
        found = _sequence(list(sre_parse.parse(pattern, re.IGNORECASE)))
    except (re.error, TypeError, ValueError, AttributeError):
        return None
    if not found or not all(_caseless_or_ascii(word) for word in found):
        return None
    return frozenset(word.lower() for word in found)


class Finder:
    """Which of many anchors a text holds.  Anchors are filed under their
    first character, and only those whose first character occurs in the
    text are looked for."""

    def __init__(self, groups) -> None:
        by_first: dict[str, set[str]] = {}
        for group in groups:
            for word in filter(None, group or ()):
                by_first.setdefault(word[0], set()).add(word)
        self.by_first = {ch: tuple(sorted(words)) for ch, words in by_first.items()}
        self.first = frozenset(self.by_first)
        self.longest = max((len(w) for ws in by_first.values() for w in ws), default=1)
        # Every two characters side by side inside some anchor.
        self.pairs = frozenset(w[i:i + 2] for ws in by_first.values() for w in ws
                               for i in range(len(w) - 1))

    def present(self, text: str) -> frozenset[str] | None:
        """The anchors `text` holds; None when the text must be searched with
        every pattern (it has a character that folds to an ASCII letter)."""
        if _UNUSUAL.search(text):
            return None
        lowered = text.lower()
        return frozenset(word for ch in self.first.intersection(lowered)
                         for word in self.by_first[ch] if word in lowered)


def may_match(words: frozenset[str] | None, present: frozenset[str] | None) -> bool:
    """False only when a text holding just `present` lacks all of `words`."""
    return words is None or present is None or not words.isdisjoint(present)


def _caseless_or_ascii(word: str) -> bool:
    return all(ch.isascii() or ch.lower() == ch == ch.upper() == ch.casefold()
               for ch in word)


def _sequence(items: list) -> set[str] | None:
    """The most selective requirement among a sequence's parts."""
    options: list[set[str]] = []
    run: list[str] = []
    for op, value in items:
        if op is sre.LITERAL:
            run.append(chr(value))
            continue
        if run:
            options.append({"".join(run)})
            run = []
        needed = _item(op, value)
        if needed:
            options.append(needed)
    if run:
        options.append({"".join(run)})
    if not options:
        return None
    # Longer words are rarer; fewer alternatives are cheaper to look for.
    return max(options, key=lambda words: (min(map(len, words)), -len(words)))


def _item(op, value) -> set[str] | None:
    if op is sre.SUBPATTERN:
        return _sequence(list(value[3]))
    if op is sre.ATOMIC_GROUP:
        return _sequence(list(value))
    if op is sre.BRANCH:
        branches = [_sequence(list(branch)) for branch in value[1]]
        if any(not words for words in branches):
            return None
        return set().union(*branches)
    if op in _REPEATS:
        low, _high, body = value
        return _sequence(list(body)) if low >= 1 else None
    if op is sre.IN:
        if all(kind is sre.LITERAL for kind, _ in value):
            return {chr(code) for _, code in value}
        return None
    # Anything else may match nothing (assertions, anchors), something that
    # is no fixed string (., classes, back-references), or is not known here.
    return None
