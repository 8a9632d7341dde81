"""Keyword rules: small named objects loaded from `rules.toml`.

Each rule has a level, a one-line description and its patterns; checking a
message returns a `Hit` that carries the words that matched, so that a
person reading the record sees why the rule fired.
"""

from __future__ import annotations

import functools
import re
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from classifiers.anchors import Finder, anchors, may_match

BUNDLED_RULES = Path(__file__).with_name("rules.toml")
LEVEL_LABELS = {1: "一级", 2: "二级", 3: "三级"}
LEVEL_NAMES = {1: "一般投诉", 2: "重大投诉", 3: "特大投诉"}
_CLAUSE_END = "。！？!?；;\n，,：:"
_SENTENCE_END = "。！？!?\n"
# A line break between two Chinese characters, as PDF text and wrapped mail
# put inside words.
_BROKEN_WORD = re.compile(r"(?<=[\u4e00-\u9fff])[ \t]*\r?\n[ \t]*(?=[\u4e00-\u9fff])")


class RulesError(ValueError):
    """The rules file is missing, malformed or has an invalid pattern."""


@dataclass(frozen=True)
class Negation:
    window: int
    english_window: int
    cues: tuple[str, ...]
    exceptions: tuple[str, ...]
    conditionals: tuple[str, ...]

    def negates(self, text: str, start: int) -> bool:
        """True when the match at `start` is plainly denied ("我们不会起诉")."""
        clause_start = max(text.rfind(ch, 0, start) for ch in _CLAUSE_END) + 1
        window = self.english_window if text[start:start + 1].isascii() else self.window
        before = text[max(clause_start, start - window):start].lower()
        if not any(cue in before for cue in self.cues):
            return False
        if any(word in before for word in self.exceptions):
            return False
        sentence_start = max(text.rfind(ch, 0, start) for ch in _SENTENCE_END) + 1
        sentence = text[sentence_start:start].lower()
        return not any(word in sentence for word in self.conditionals)


@dataclass(frozen=True)
class Hit:
    rule: Rule
    matched: tuple[str, ...]

    @property
    def reason(self) -> str:
        words = "、".join(f"“{w}”" for w in self.matched[:4])
        label = LEVEL_LABELS[self.rule.level]
        return f"{label}规则：{self.rule.description}（原文：{words}）"


@dataclass(frozen=True)
class Rule:
    name: str
    level: int
    description: str
    patterns: tuple[re.Pattern[str], ...]
    field: str | None = None
    negatable: bool = False
    exclude: tuple[re.Pattern[str], ...] = ()
    # Per pattern, words one of which any match contains (see anchors.py).
    anchors: tuple[frozenset[str] | None, ...] = ()

    def check(
        self, text: str, fields: Mapping[str, str | None], negation: Negation,
        present: frozenset[str] | None = None,
    ) -> Hit | None:
        """A Hit with the matched words, or None when the rule does not fire.

        `present` holds the anchors found in `text` (`Finder.present`), so
        that patterns none of whose words are there are skipped; None
        searches with every pattern.
        """
        subject = fields.get(self.field) if self.field else text
        if not subject:
            return None
        if self.field:
            present = self.finder.present(subject)
        if not may_match(self.all_anchors, present):
            return None  # none of any pattern's words is in the text
        words = self.anchors or (None,) * len(self.patterns)
        matched: list[str] = []
        for pattern, needed in zip(self.patterns, words, strict=True):
            if not may_match(needed, present):
                continue
            for match in pattern.finditer(subject):
                if self.negatable and negation.negates(subject, match.start()):
                    continue
                if match.group(0) not in matched:
                    matched.append(match.group(0).strip())
                break
        if not matched or any(p.search(subject) for p in self.exclude):
            return None
        return Hit(self, tuple(matched))

    @functools.cached_property
    def finder(self) -> Finder:
        return Finder(self.anchors)

    @functools.cached_property
    def all_anchors(self) -> frozenset[str] | None:
        """Every pattern's words together; None when some pattern has none."""
        if not self.anchors or any(words is None for words in self.anchors):
            return None
        return frozenset().union(*self.anchors)


@dataclass(frozen=True)
class AmountRule:
    name: str
    level: int
    threshold_cny: float
    description: str
    rates_to_cny: Mapping[str, float]


@dataclass(frozen=True)
class RuleBook:
    rules: tuple[Rule, ...]
    negation: Negation
    amount: AmountRule

    def check(self, text: str, fields: Mapping[str, str | None]) -> list[Hit]:
        """Every rule that fires on `text` (normalised) and `fields`.

        Text from a PDF or a hard-wrapped mail breaks lines inside words
        (起\n诉, 注册会计师协\n会); a rule that does not fire on the text
        is tried again with those breaks removed, where that brings one of
        its words in.
        """
        present = self.finder.present(text)
        hits = {rule.name: rule.check(text, fields, self.negation, present)
                for rule in self.rules}
        joined, spanning = self._joined(text)
        if joined != text:
            # The anchors of the joined text: those of the text, and those
            # that run across a removed break.
            more = None if present is None else present | spanning
            for rule in self.rules:
                if hits[rule.name] is None and not rule.field:
                    hits[rule.name] = rule.check(joined, fields, self.negation, more)
        return [hit for hit in hits.values() if hit is not None]

    def _joined(self, text: str) -> tuple[str, frozenset[str] | None]:
        """`text` with the line breaks removed that split one of the rules'
        words (起\n诉), and those words.  Only such breaks go: joining two
        separate lines would let a pattern's gap run from one to the other."""
        pieces, last, words = [], 0, set()
        reach = self.finder.longest - 1
        for match in _BROKEN_WORD.finditer(text):
            before, after = text[match.start() - 1], text[match.end()]
            if before + after not in self.finder.pairs:
                continue  # no rule word has these two characters side by side
            left = text[max(last, match.start() - reach):match.start()]
            window = left + text[match.end():match.end() + reach]
            found = self.finder.present(window)
            crossing = {w for w in found or () if _crosses(window, w, len(left))}
            if crossing:
                pieces.append(text[last:match.start()])
                last = match.end()
                words |= crossing
        if not words:
            return text, frozenset()
        pieces.append(text[last:])
        return "".join(pieces), frozenset(words)

    @functools.cached_property
    def finder(self) -> Finder:
        return Finder(words for rule in self.rules if not rule.field
                      for words in rule.anchors)


def _crosses(window: str, word: str, at: int) -> bool:
    """Whether an occurrence of `word` in `window` runs across offset `at`."""
    start = window.find(word)
    while start >= 0:
        if start < at < start + len(word):
            return True
        start = window.find(word, start + 1)
    return False


def load_rules(path: Path | None = None) -> RuleBook:
    """Read and compile a rules file; the bundled one when `path` is None."""
    return _load(Path(path or BUNDLED_RULES).resolve())


@functools.lru_cache(maxsize=4)
def _load(path: Path) -> RuleBook:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        negation = data["negation"]
        amount = data["amount"]
        return RuleBook(
            rules=tuple(_rule(entry) for entry in data["rules"]),
            negation=Negation(
                window=int(negation["window"]),
                english_window=int(negation.get("english_window", negation["window"])),
                cues=_lower(negation["cues"]),
                exceptions=_lower(negation.get("exceptions", ())),
                conditionals=_lower(negation.get("conditionals", ())),
            ),
            amount=AmountRule(
                name=amount["name"],
                level=int(amount["level"]),
                threshold_cny=float(amount["threshold_cny"]),
                description=amount["description"],
                rates_to_cny=dict(amount["rates_to_cny"]),
            ),
        )
    except (OSError, tomllib.TOMLDecodeError, KeyError, TypeError) as exc:
        raise RulesError(f"cannot load rules from {path}: {exc!r}") from exc


def _rule(entry: dict) -> Rule:
    name = entry["name"]
    level = int(entry["level"])
    if level not in (2, 3):
        raise RulesError(f"rule {name}: level must be 2 or 3, not {level}")
    try:
        patterns = tuple(re.compile(p, re.IGNORECASE) for p in entry["patterns"])
        exclude = tuple(re.compile(p, re.IGNORECASE) for p in entry.get("exclude", ()))
    except re.error as exc:
        raise RulesError(f"rule {name}: bad pattern: {exc}") from exc
    return Rule(
        name=name,
        level=level,
        description=entry["description"],
        patterns=patterns,
        field=entry.get("field"),
        negatable=bool(entry.get("negatable", False)),
        exclude=exclude,
        anchors=tuple(anchors(p) for p in entry["patterns"]),
    )


def _lower(words: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(w.lower() for w in words))
