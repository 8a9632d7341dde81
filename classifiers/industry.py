"""The industry (客户行业) of a client, inferred from its company name.

Keywords live in `data/industry_keywords.toml`, which staff may edit.  A
Chinese company name is region + trade name + trade + legal form, so the
keyword nearest the end of the name wins: 中国农业银行 is a bank.  Weak
keywords (科技, 投资, 工程…) count only when no other keyword is present.
"""

from __future__ import annotations

import functools
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

from classifiers.text import normalise

BUNDLED_INDUSTRIES = Path(__file__).parent / "data" / "industry_keywords.toml"


class IndustryError(ValueError):
    """The industry keyword file is missing or malformed."""


@dataclass(frozen=True)
class IndustryGuess:
    industry: str
    keyword: str


@dataclass(frozen=True)
class _Match:
    strong: bool
    end: int
    length: int
    guess: IndustryGuess

    @property
    def rank(self) -> tuple[bool, int, int]:
        return self.strong, self.end, self.length


@dataclass(frozen=True)
class IndustryBook:
    # (industry, keyword, pattern, strong) in file order
    keywords: tuple[tuple[str, str, re.Pattern[str], bool], ...]

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(name for name, *_ in self.keywords))

    def infer(self, company: str | None) -> IndustryGuess | None:
        """The industry that `company`'s name points to, or None."""
        if not company:
            return None
        text = normalise(company).lower()
        matches = [
            _Match(strong, m.end(), len(keyword), IndustryGuess(name, keyword))
            for name, keyword, pattern, strong in self.keywords
            for m in pattern.finditer(text)
        ]
        if not matches:
            return None
        return max(matches, key=lambda m: m.rank).guess


def infer_industry(company: str | None, path: Path | None = None) -> str | None:
    guess = load_industries(path).infer(company)
    return guess.industry if guess else None


@functools.lru_cache(maxsize=4)
def load_industries(path: Path | None = None) -> IndustryBook:
    """Read the industry keyword TOML (the bundled one when `path` is None)."""
    path = Path(path or BUNDLED_INDUSTRIES)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise IndustryError(f"cannot read industries {path}: {exc}") from exc
    keywords = []
    for entry in data.get("industries", []):
        if "name" not in entry:
            raise IndustryError(f"{path}: an [[industries]] entry lacks a name")
        for words, strong in (
            (entry.get("keywords", []), True),
            (entry.get("weak", []), False),
        ):
            keywords += [(entry["name"], w, _pattern(w), strong) for w in words]
    if not keywords:
        raise IndustryError(f"{path} defines no industry keywords")
    return IndustryBook(tuple(keywords))


def _pattern(keyword: str) -> re.Pattern[str]:
    word = re.escape(normalise(keyword).lower())
    # A Latin keyword must start a word: "fund" is not in "refund".
    return re.compile(rf"(?<![a-z]){word}" if keyword.isascii() else word)
