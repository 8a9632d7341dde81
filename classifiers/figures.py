"""Figures a complaint quotes: amounts, report pages, deadlines, data items.

The level rules need the largest amount *at stake* (a claim, a loss, a
penalty, a disputed fee, the size of an alleged misstatement), not every
number quoted from a report: a decimal-point typo in a revenue line of
12,345,678.90 yuan is still 一级.  So each amount gets a role from the words
around it, and only some roles count.

Callers pass text already normalised by `classifiers.text.normalise`
(Simplified Chinese, half-width ASCII); every pattern here relies on that.
All patterns are compiled at import so one call costs a few regex scans.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

__all__ = [
    "AT_STAKE_ROLES",
    "DEFAULT_RATES_TO_CNY",
    "Amount",
    "Figures",
    "Lexicon",
    "extract_figures",
    "fold_case",
    "load_data_items",
]

AT_STAKE_ROLES = frozenset({"claim", "loss", "penalty", "fee", "misstatement"})

# Fallback rates for currencies the caller's table leaves out, so an amount
# in an unlisted currency still counts instead of silently vanishing.
# Rough mid-2020s values: good enough to compare with a 5,000,000 threshold.
DEFAULT_RATES_TO_CNY: Mapping[str, float] = {
    "CNY": 1.0,
    "HKD": 0.92,
    "USD": 7.2,
    "EUR": 7.8,
    "GBP": 9.1,
    "JPY": 0.048,
    "TWD": 0.22,
    "MOP": 0.89,
    "AUD": 4.7,
    "SGD": 5.4,
}

DATA_ITEMS_FILE = Path(__file__).with_name("data") / "data_items.txt"


@dataclass(frozen=True)
class Amount:
    """One amount of money as the client wrote it."""

    text: str
    value: float
    currency: str
    role: str
    approximate: bool = False

    @property
    def at_stake(self) -> bool:
        return self.role in AT_STAKE_ROLES


@dataclass
class Figures:
    """Everything countable the client named, in the CONTRACT's shape."""

    amounts: list[Amount] = field(default_factory=list)
    pages: list[int] = field(default_factory=list)
    deadlines: list[str] = field(default_factory=list)
    data_items: list[str] = field(default_factory=list)
    percentages: list[float] = field(default_factory=list)

    def to_dict(self) -> dict:
        amounts = [
            {"text": a.text, "value": a.value, "currency": a.currency, "role": a.role}
            for a in self.amounts
        ]
        return {
            "amounts": amounts,
            "pages": list(self.pages),
            "deadlines": list(self.deadlines),
            "data_items": list(self.data_items),
            "percentages": list(self.percentages),
        }

    def largest_at_stake(self, rates_to_cny: Mapping[str, float]) -> float:
        """Largest at-stake amount in CNY; 0.0 when nothing is at stake.

        A currency missing from `rates_to_cny` falls back to
        DEFAULT_RATES_TO_CNY; one missing from both is left out.
        """
        best = 0.0
        for amount in self.amounts:
            if not amount.at_stake:
                continue
            rate = rates_to_cny.get(amount.currency)
            if rate is None:
                rate = DEFAULT_RATES_TO_CNY.get(amount.currency)
            if rate is not None:
                best = max(best, amount.value * rate)
        return best


# --- Literal lexicons ----------------------------------------------------


def fold_case(text: str) -> str:
    """Lower-case `text` without changing its length, so offsets still match."""
    lowered = text.lower()
    if len(lowered) == len(text):
        return lowered
    return "".join(ch.lower() if len(ch.lower()) == 1 else ch for ch in text)


def _trie_regex(node: dict) -> str:
    branches = [
        re.escape(ch) + _trie_regex(child) for ch, child in sorted(node.items()) if ch
    ]
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    return f"(?:{body})?" if "" in node else body


def _is_word_char(text: str, index: int) -> bool:
    return 0 <= index < len(text) and text[index].isascii() and text[index].isalnum()


class Lexicon:
    """Many literal terms found in one pass, longest first.

    The terms compile into one trie-shaped regex: `re` then skips straight to
    positions where a term can start, where a plain alternation of a few
    hundred words tries each one everywhere (some twenty times slower).
    Matching runs on `fold_case` text, so it ignores case.  An ASCII term
    matches whole words only; a trailing "*" makes it a word prefix
    ("compensat*" matches "compensation").
    """

    def __init__(self, terms: Mapping[str, object]) -> None:
        self._values: dict[str, object] = {}
        self._prefixes: set[str] = set()
        trie: dict = {}
        for term, value in terms.items():
            key = term.lower()
            if key.endswith("*"):
                key = key[:-1]
                self._prefixes.add(key)
            self._values[key] = value
            node = trie
            for ch in key:
                node = node.setdefault(ch, {})
            node[""] = {}
        self._pattern = re.compile(_trie_regex(trie))

    def finditer(self, folded: str):
        """(start, end, term, value) for each term in `folded` text."""
        for match in self._pattern.finditer(folded):
            start, end, key = match.start(), match.end(), match[0]
            if key[0].isascii() and key[0].isalnum():
                if _is_word_char(folded, start - 1):
                    continue
                if key not in self._prefixes and _is_word_char(folded, end):
                    continue
            yield start, end, key, self._values[key]


def _split(words: str) -> list[str]:
    """Terms written as one space-separated string, to keep long lists short."""
    return words.split()


def _alt(words) -> str:
    """Regex alternation that tries longer words first."""
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


# --- Numbers -------------------------------------------------------------

_CN_DIGITS = {
    "零": 0, "〇": 0, "一": 1, "壹": 1, "二": 2, "贰": 2, "两": 2,
    "三": 3, "叁": 3, "四": 4, "肆": 4, "五": 5, "伍": 5, "六": 6,
    "陆": 6, "七": 7, "柒": 7, "八": 8, "捌": 8, "九": 9, "玖": 9,
}  # fmt: skip
_CN_SMALL_UNITS = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}
_CN_DIGIT_CHARS = "".join(_CN_DIGITS)
_CN_NUM_CHARS = _CN_DIGIT_CHARS + "".join(_CN_SMALL_UNITS) + "万亿"

# A full-width comma is kept by normalise(), and "５，６００" is a real
# thousands separator, so both commas group digits.
_AR_NUM = (
    r"(?<![\d.])(?<!\d[,，])(?:\d{1,3}(?:[,，]\d{3})+(?!\d)(?:\.\d+)?|\d+(?:\.\d+)?)"
)
# A Chinese numeral starts with a digit or 十 ("十五万"), never with 百/千/万,
# so words such as 万一 or 千万不要 are not numbers; nor does it follow a
# vague 几/数/上 (几十万元 names no value).
_CN_NUM = rf"(?<![{_CN_NUM_CHARS}几数上好成])[{_CN_DIGIT_CHARS}十拾][{_CN_NUM_CHARS}]*"
_NUM = rf"(?:{_AR_NUM}|{_CN_NUM})"
_NUM_TOKEN = re.compile(r"\d+(?:\.\d+)?|.")


def _parse_number(text: str) -> float | None:
    """Value of an Arabic, Chinese or mixed numeral such as 5,600万 or 叁佰伍拾万."""
    text = text.replace(",", "").replace("，", "")
    whole, _, decimals = text.partition("点")
    value = _parse_integer_part(whole)
    if value is None:
        return None
    if decimals:
        digits = "".join(str(_CN_DIGITS.get(ch, ch)) for ch in decimals)
        if not digits.isdigit():
            return None
        value += float("0." + digits)
    return value


def _parse_integer_part(text: str) -> float | None:
    # Sections below 万, between 万 and 亿, and above 亿 are summed separately,
    # the way the numerals are read aloud.
    above_yi = below_yi = section = current = 0.0
    for token in _NUM_TOKEN.findall(text):
        if token[0].isdigit():
            current = float(token)
        elif token in _CN_DIGITS:
            current = current * 10 + _CN_DIGITS[token] if current else _CN_DIGITS[token]
        elif token in _CN_SMALL_UNITS:
            section += (current or 1) * _CN_SMALL_UNITS[token]
            current = 0
        elif token == "万":
            below_yi += (section + current or 1) * 1e4
            section = current = 0
        elif token == "亿":
            above_yi += (below_yi + section + current or 1) * 1e8
            below_yi = section = current = 0
        else:
            return None
    return above_yi + below_yi + section + current


# --- Roles ---------------------------------------------------------------

_ROLE_TERMS = {
    "claim": _split(
        "索赔 赔偿 赔付 追偿 补偿 不低于 诉讼请求 claim* compensat* damages indemn*"
    ),
    "penalty": _split("罚款 罚金 罚没 处以 行政处罚 滞纳金 fine fined fines penalt*"),
    "fee": _split(
        "审计费 服务费 咨询费 鉴证费 业务费 收费 退还 退回 退费 减免 减收 费用 fee fees"
        " refund* billing invoice* charge charged charges"
    ),
    "loss": _split("损失 loss losses lost"),
    "misstatement": _split(
        "错报 差异 差额 调减 调增 少计 多计 漏记 漏计 少记 多记 虚增 虚减 高估 低估"
        " 少确认 多确认 未确认 未入账 未计提 少提 多提 金额错误 数据错误 审计调整"
        " 调整金额 不一致 应为 实际 misstat* understat* overstat* discrepanc*"
        " adjustment*"
    ),
    "report_figure": _split(
        "写成 写为 误写 错写 写错 大写 小写 小数点 列示为 列示 显示为 填列 注册资本"
        " 笔误 打错 错别字 排版 位数 typo* decimal*"
    )
    + ["written as", "shown as", "printed as"],
}
_ROLE_LEXICON = Lexicon(
    {term: role for role, terms in _ROLE_TERMS.items() for term in terms}
)
# Words that make every figure in their sentence a quoted report figure: a
# typo complaint cites both the right and the wrong number, neither at stake.
_TYPO_TERMS = frozenset(
    _split("写成 写为 误写 错写 笔误 小数点 大写 打错 错别字 排版 typo decimal")
)
# Account names that contain a role word but are report lines, not money at
# stake: 管理费用 is an expense line, 资产减值损失 a P&L line.
_ACCOUNT_HEADS = {
    "费用": ("管理", "销售", "财务", "研发", "期间", "所得税", "利息"),
    "损失": ("减值", "处置", "变动", "汇兑"),
}
_PAGE_CUE = re.compile(r"第\s*\d+\s*页|page\s*\d+")

_SENTENCE_END = re.compile(r"[。！？!?；;\n.](?:(?<!\.)|(?=\s|$))")
_CLAUSE_BREAK = re.compile(r"[，,]")
_AFTER_PENALTY = 6  # prefer a cue before the amount ("罚款50万") to one after
_CLAUSE_PENALTY = 15  # prefer a cue in the amount's own clause


def _role_cues(text: str, folded: str) -> list[tuple[int, int, str, bool]]:
    """(start, end, role, is_typo_cue) for every role word, in order."""
    cues = []
    for start, end, term, role in _ROLE_LEXICON.finditer(folded):
        heads = _ACCOUNT_HEADS.get(term, ())
        if any(text.startswith(head, start - len(head)) for head in heads):
            continue
        cues.append((start, end, role, term in _TYPO_TERMS))
    for match in _PAGE_CUE.finditer(folded):
        cues.append((match.start(), match.end(), "report_figure", False))
    cues.sort()
    return cues


class _Context:
    """Sentence bounds and role cues of one text, computed once per call."""

    def __init__(self, text: str, folded: str) -> None:
        self.text = text
        self.ends = [m.end() for m in _SENTENCE_END.finditer(text)]
        self.cues = _role_cues(text, folded)
        self.cue_starts = [cue[0] for cue in self.cues]

    def sentence(self, start: int, end: int) -> tuple[int, int]:
        i = bisect.bisect_right(self.ends, start)
        lo = self.ends[i - 1] if i else 0
        j = bisect.bisect_left(self.ends, end)
        hi = self.ends[j] if j < len(self.ends) else len(self.text)
        return lo, hi

    def role(self, start: int, end: int) -> str:
        """The role of the nearest cue in the sentence, with two overrides."""
        lo, hi = self.sentence(start, end)
        first = bisect.bisect_left(self.cue_starts, lo)
        last = bisect.bisect_left(self.cue_starts, hi)
        cues = [c for c in self.cues[first:last] if not start <= c[0] < end]
        if not cues:
            return "other"
        best = min(cues, key=lambda cue: self._distance(cue, start, end))[2]

        # "要求赔偿损失500万元" asks for the loss: a claim.
        if best == "loss" and any(c[2] == "claim" and c[1] <= start for c in cues):
            best = "claim"
        if best in ("misstatement", "other") and any(c[3] for c in cues):
            best = "report_figure"
        return best

    def _distance(self, cue: tuple, start: int, end: int) -> int:
        cue_start, cue_end = cue[0], cue[1]
        if cue_end <= start:
            gap = self.text[cue_end:start]
            return len(gap) + _CLAUSE_PENALTY * len(_CLAUSE_BREAK.findall(gap))
        gap = self.text[end:cue_start]
        clauses = len(_CLAUSE_BREAK.findall(gap))
        return len(gap) + _AFTER_PENALTY + _CLAUSE_PENALTY * clauses


# --- Amounts -------------------------------------------------------------

_PREFIX_CURRENCY = {
    "人民币": "CNY", "RMB": "CNY", "CNY": "CNY", "¥": "CNY", "￥": "CNY",
    "港币": "HKD", "港元": "HKD", "HK$": "HKD", "HKD": "HKD",
    "美元": "USD", "美金": "USD", "US$": "USD", "USD": "USD", "$": "USD",
    "欧元": "EUR", "EUR": "EUR", "€": "EUR",
    "新台币": "TWD", "台币": "TWD", "NT$": "TWD", "NTD": "TWD", "TWD": "TWD",
    "日元": "JPY", "日币": "JPY", "JPY": "JPY",
    "英镑": "GBP", "GBP": "GBP", "£": "GBP",
    "澳门元": "MOP", "澳门币": "MOP", "葡币": "MOP", "MOP$": "MOP", "MOP": "MOP",
    "澳元": "AUD", "AUD": "AUD", "A$": "AUD",
    "新加坡元": "SGD", "SGD": "SGD", "S$": "SGD",
}  # fmt: skip
_SUFFIX_CURRENCY = {
    "元": "CNY", "圆": "CNY", "块钱": "CNY", "块": "CNY", "人民币": "CNY",
    "港元": "HKD", "港币": "HKD", "美元": "USD", "美金": "USD",
    "欧元": "EUR", "新台币": "TWD", "台币": "TWD", "日元": "JPY",
    "英镑": "GBP", "澳门元": "MOP", "澳门币": "MOP", "澳元": "AUD",
    "新加坡元": "SGD",
    "yuan": "CNY", "RMB": "CNY", "CNY": "CNY", "HKD": "HKD", "USD": "USD",
    "US dollars": "USD", "HK dollars": "HKD", "dollars": "USD",
    "EUR": "EUR", "euros": "EUR", "GBP": "GBP", "pounds": "GBP",
    "TWD": "TWD", "JPY": "JPY", "MOP": "MOP",
}  # fmt: skip
_CURRENCY_LOOKUP = {
    word.upper(): code
    for word, code in {**_SUFFIX_CURRENCY, **_PREFIX_CURRENCY}.items()
}

_RANGE_SEP = r"\s*(?:-|~|—|–|至|到)\s*"
_MAGNITUDE = r"[十百千]?万|[十百千]?亿|千|百"
_EN_MAGNITUDE = {"thousand": 1e3, "k": 1e3, "million": 1e6, "mn": 1e6, "m": 1e6,
                 "billion": 1e9, "bn": 1e9}  # fmt: skip

# Amounts are found from the numbers out: a cheap scan finds where a number
# starts, the number and what follows are matched there, and a currency
# prefix is looked for just before it.  One regex with an optional prefix
# first would be tried at every character of the text.
_NUMBER_START = re.compile(rf"[0-9{_CN_DIGIT_CHARS}十拾]")
_AMOUNT_BODY = re.compile(
    rf"""
    (?P<num>{_NUM})
    (?:{_RANGE_SEP}(?P<num2>{_NUM}))?
    (?P<more1>多|余)?
    (?:(?P<mag>{_MAGNITUDE})|\s*(?P<en_mag>{_alt(_EN_MAGNITUDE)})\b)?
    (?P<more2>多|余)?
    (?:\s*(?P<suf>{_alt(_SUFFIX_CURRENCY)})(?![A-Za-z]))?
    (?:(?P<jiao>[{_CN_DIGIT_CHARS}])角)?(?:(?P<fen>[{_CN_DIGIT_CHARS}])分)?
    整?
    """,
    # ASCII word boundaries: "3.2 million的罚款" ends the word at 的.
    re.VERBOSE | re.IGNORECASE | re.ASCII,
)
_APPROX_WORDS = _split(
    "约 约为 大约 大概 将近 接近 近 逾 超过 超出 超 多达 约合 approximately about"
    " around over nearly almost roughly some"
) + ["more than", "in excess of"]
# 人民币约500万元: an approximation between the currency and the number.
_INNER_APPROX = ("约", "约为", "大约", "近", "逾", "超过")
_PREFIX_BEFORE = re.compile(
    rf"(?P<pre>{_alt(_PREFIX_CURRENCY)})\s*[:：]?\s*"
    rf"(?P<inner_approx>{_alt(_INNER_APPROX)})?\s*$",
    re.IGNORECASE,
)
_PREFIX_REACH = 12


def _last_chars(words) -> frozenset[str]:
    return frozenset(ch for w in words for ch in (w[-1].lower(), w[-1].upper()))


# The lookbehind regexes below are only run when the character before a
# number could end what they look for; most numbers have none of it.
_PREFIX_TAILS = _last_chars(list(_PREFIX_CURRENCY) + list(_INNER_APPROX) + [":", "："])
_APPROX_TAILS = _last_chars(_APPROX_WORDS)
_RANGE_TAILS = frozenset("-~—–至到")

# Units that make a bare 3万 or 两千万 a count of things, not money.
_COUNTER = re.compile(
    r"\s*(?:[人名位家户次个件份条笔张页字股台辆套项吨亩册本篇行只头分平米]|公里|平方)"
)
_APPROX_BEFORE = re.compile(rf"(?:{_alt(_APPROX_WORDS)})\s*$", re.IGNORECASE)
_APPROX_AFTER = re.compile(r"\s*(?:左右|上下|以上|多)")
# The first end of a range such as 100万至200万元, found by looking back
# from the second end.
_RANGE_HEAD = re.compile(
    rf"(?:(?:{_alt(_PREFIX_CURRENCY)})\s*)?(?P<num>{_NUM})"
    rf"(?P<mag>{_MAGNITUDE})?(?:{_alt(_SUFFIX_CURRENCY)})?{_RANGE_SEP}$",
    re.IGNORECASE,
)
_RANGE_REACH = 24
_TRAILING_UNITS = re.compile(r"[十拾百佰千仟万亿]+$")
_BIG_UNIT = re.compile(r"[万亿]")


@dataclass(frozen=True)
class _Hit:
    """A number with whatever currency, unit and markers surround it."""

    start: int
    end: int
    groups: dict


def _char_before(text: str, index: int) -> str:
    """The last character before `index` that is not white space ("" if none).

    A line break counts as space: text taken from an HTML table puts the
    currency, the number and 元 on lines of their own.
    """
    index -= 1
    while index >= 0 and text[index] in " \t\r\n":
        index -= 1
    return text[index] if index >= 0 else ""


def _hits(text: str):
    """Numbers that may be money: with a currency before or after, or a 万/亿.

    Most numbers in a complaint are dates, counts and list markers; they are
    dropped here before any of the slower checks.
    """
    pos = 0
    while (anchor := _NUMBER_START.search(text, pos)) is not None:
        start = anchor.start()
        body = _AMOUNT_BODY.match(text, start)
        if body is None:
            pos = anchor.end()
            continue
        prefix = None
        if _char_before(text, start) in _PREFIX_TAILS:
            lo = max(pos, start - _PREFIX_REACH)
            prefix = _PREFIX_BEFORE.search(text, lo, start)
        pos = body.end()
        if prefix is None and not body["suf"] and not _BIG_UNIT.search(body[0]):
            continue
        groups = body.groupdict()
        if prefix:
            groups.update(prefix.groupdict())
            start = prefix.start()
        else:
            groups.update(pre=None, inner_approx=None)
        if start == 0 or text[start - 1] != "第":  # 第3万名 is a rank
            yield _Hit(start, body.end(), groups)


def _scale(groups: dict) -> float:
    if groups["mag"]:
        return _parse_number("1" + groups["mag"])
    if groups["en_mag"]:
        return _EN_MAGNITUDE[groups["en_mag"].lower()]
    return 1.0


def _borrowed_units(first: str, second: str) -> float:
    """Units the first end of 三至五千万 leaves to the second: 千万 here."""
    theirs = _TRAILING_UNITS.search(second)
    if theirs is None:
        return 1.0
    own = _TRAILING_UNITS.search(first)
    own_units = own[0] if own else ""
    if not theirs[0].startswith(own_units) or theirs[0] == own_units:
        return 1.0  # 五千至一万: each end writes its own unit
    return _parse_number("1" + theirs[0][len(own_units) :])


def _amount_values(groups: dict) -> list[float] | None:
    """One value, or both ends of a range written as 100-200万元."""
    scale = _scale(groups)
    first = _parse_number(groups["num"])
    if first is None:
        return None
    if groups["num2"]:
        second = _parse_number(groups["num2"])
        if second is None:
            return None
        first *= _borrowed_units(groups["num"], groups["num2"])
        return [round(first * scale, 2), round(second * scale, 2)]
    value = first * scale
    for part, unit in (("jiao", 0.1), ("fen", 0.01)):
        if groups[part]:
            value += _CN_DIGITS[groups[part]] * unit
    return [round(value, 2)]


def _is_money(hit: _Hit, text: str) -> bool:
    """A currency makes it money; a bare 万/亿 does unless a counter follows."""
    groups = hit.groups
    if groups["pre"] or groups["suf"]:
        return True
    if groups["en_mag"]:
        return False
    big = (groups["mag"] or "") + groups["num"] + (groups["num2"] or "")
    if "万" not in big and "亿" not in big:
        return False
    return not _COUNTER.match(text, hit.end)


def _currency(groups: dict) -> str:
    # A prefix names the currency even when a bare 元 follows (港币100万元).
    word = groups["pre"] or groups["suf"] or "元"
    return _CURRENCY_LOOKUP[word.upper()]


def _is_approximate(hit: _Hit, text: str) -> bool:
    groups = hit.groups
    if groups["inner_approx"] or groups["more1"] or groups["more2"]:
        return True
    if _APPROX_AFTER.match(text, hit.end):
        return True
    if _char_before(text, hit.start) not in _APPROX_TAILS:
        return False
    return bool(_APPROX_BEFORE.search(text, max(0, hit.start - 16), hit.start))


def _range_head(hit: _Hit, text: str) -> tuple[float, int] | None:
    """Value and start of a range's first end written with its own unit.

    Covers 100万至200万元, where the first end is a number of its own.
    """
    if hit.groups["num2"] or _char_before(text, hit.start) not in _RANGE_TAILS:
        return None
    window_start = max(0, hit.start - _RANGE_REACH)
    head = _RANGE_HEAD.search(text, window_start, hit.start)
    if head is None:
        return None
    value = _parse_number(head["num"])
    if value is None:
        return None
    scale = _parse_number("1" + head["mag"]) if head["mag"] else _scale(hit.groups)
    return round(value * scale, 2), head.start()


_WHITESPACE = re.compile(r"\s+")


def _extract_amounts(text: str, folded: str) -> list[Amount]:
    found: dict[tuple[str, float], Amount] = {}
    context = None
    for hit in _hits(text):
        if not _is_money(hit, text):
            continue
        context = context or _Context(text, folded)
        values = _amount_values(hit.groups)
        if values is None:
            continue
        head = _range_head(hit, text)
        if head:
            values.insert(0, head[0])

        # Both ends of a range share its text, role and currency.
        start = head[1] if head else hit.start
        role = context.role(start, hit.end)
        currency = _currency(hit.groups)
        approximate = _is_approximate(hit, text)
        written = _WHITESPACE.sub(" ", text[start : hit.end])
        for value in values:
            amount = Amount(written, value, currency, role, approximate)
            _keep(found, amount)
    return list(found.values())


def _keep(found: dict, amount: Amount) -> None:
    """Keep the first writing of a value; a later one may only sharpen the role.

    "伍仟万元整（5,000万元）" states one amount twice.
    """
    key = (amount.currency, amount.value)
    first = found.get(key)
    if first is None:
        found[key] = amount
    elif first.role == "other" and amount.role != "other":
        found[key] = Amount(first.text, first.value, first.currency, amount.role,
                            first.approximate)  # fmt: skip


# --- Percentages ---------------------------------------------------------

# Found from the sign: the number is read back from a "%" and forward from a
# 百分之, so the scan costs nothing where there is no sign.
_PERCENT_SIGN = re.compile(r"%|per ?cent\b|百分之", re.ASCII)
_PERCENT_BEFORE = re.compile(
    rf"(?:(?P<low>{_AR_NUM})\s*%?{_RANGE_SEP})?(?P<num>{_AR_NUM})\s*$", re.ASCII
)
_PERCENT_CN = re.compile(rf"[{_CN_NUM_CHARS}点\d.]+")
_PERCENT_REACH = 40


def _percent_numbers(text: str, sign: re.Match) -> tuple[str | None, ...]:
    if sign[0] == "百分之":
        match = _PERCENT_CN.match(text, sign.end())
        return (match[0],) if match else ()
    lo = max(0, sign.start() - _PERCENT_REACH)
    match = _PERCENT_BEFORE.search(text, lo, sign.start())
    return (match["low"], match["num"]) if match else ()


def _extract_percentages(text: str, folded: str) -> list[float]:
    if "%" not in text and "百分之" not in text and "per" not in folded:
        return []  # nearly every email: skip the scan
    values: list[float] = []
    for sign in _PERCENT_SIGN.finditer(folded):
        for part in _percent_numbers(text, sign):
            value = _parse_number(part.replace(".", "点")) if part else None
            if value is not None and value not in values:
                values.append(value)
    return values


# --- Pages ---------------------------------------------------------------

_PAGE_NUM = rf"(?:\d+|[{_CN_DIGIT_CHARS}十百]+)"
_PAGE_ITEM = rf"{_PAGE_NUM}(?:{_RANGE_SEP}第?\s*{_PAGE_NUM})?"
_PAGE_LIST_SEP = r"\s*(?:、|,|，|和|及|与|或)\s*第?\s*"
_PAGES = re.compile(
    rf"第\s*(?P<a>{_PAGE_NUM})\s*页{_RANGE_SEP}第?\s*(?P<b>{_PAGE_NUM})\s*页"
    rf"|第\s*(?P<list>{_PAGE_ITEM}(?:{_PAGE_LIST_SEP}{_PAGE_ITEM})*)\s*页"
    # The lookbehind sits after the "p" so that every branch starts with a
    # literal and `re` can skip ahead to candidate positions.
    r"|p(?<![a-z]p)(?:ages?\s*|p?\.\s*|(?=\d))"
    r"(?P<en>\d+(?:\s*(?:-|–|to)\s*\d+)?(?:\s*(?:,|and|&)\s*\d+"
    r"(?:\s*(?:-|–|to)\s*\d+)?)*)(?![\da-z])"
)
_PAGE_SPLIT = re.compile(r"\s*(?:、|,|，|和|及|与|或|and|&)\s*第?\s*")
_PAGE_RANGE = re.compile(r"\s*(?:-|~|—|–|至|到|to)\s*第?\s*")
_MAX_PAGE_SPAN = 200  # a wider "range" is more likely a typo than 200 pages


def _page_range(low: str, high: str) -> list[int]:
    first, last = _parse_number(low), _parse_number(high)
    if first is None or last is None:
        return []
    first, last = sorted((int(first), int(last)))
    if last - first > _MAX_PAGE_SPAN:
        return [first, last]
    return list(range(first, last + 1))


def _extract_pages(folded: str) -> list[int]:
    pages: set[int] = set()
    for match in _PAGES.finditer(folded):
        if match["a"]:
            pages.update(_page_range(match["a"], match["b"]))
            continue
        for item in _PAGE_SPLIT.split(match["list"] or match["en"]):
            ends = _PAGE_RANGE.split(item)
            pages.update(_page_range(ends[0], ends[-1]))
    return sorted(page for page in pages if page > 0)


# --- Deadlines -----------------------------------------------------------

_CN_SMALL_NUM = r"(?:\d+|[一二两三四五六七八九十半]+)"
_WEEKDAY = r"[一二三四五六日天末]"
_DAY = (
    r"今天|今日|今晚|明天|明日|明早|明晚|后天|当天|当日"
    rf"|(?:本|这|下|下下)(?:周|个?星期|个?礼拜){_WEEKDAY}?|周{_WEEKDAY}"
    rf"|星期{_WEEKDAY}|礼拜{_WEEKDAY}"
    r"|(?:\d{1,2}|[一二三四五六七八九十]{1,3})月(?:底|末|初|上旬|中旬|下旬)"
    r"|(?:本|这个?|下个?)?月底|(?:本|这个?|下个?)?月末|本月|年底|年末|本年度?"
    r"|季度末|(?:\d{4}年)?\d{1,2}月\d{1,2}[日号]|\d{1,2}号|\d{4}-\d{1,2}-\d{1,2}"
)
# A day may name itself twice, the second time in brackets:
# 本周五（3月6日）, 3月6日（周五）, 下周一（即3月9日）.
_DATE = rf"(?:{_DAY})(?:\s*[（(]\s*即?\s*(?:{_DAY})\s*[）)])?"
_DAY_PART = r"上午|中午|下午|晚上|傍晚|早上|早晨|凌晨|下班|上班|午饭|营业结束"
_CLOCK = (
    r"\d{1,2}(?:[:：]\d{2}|点(?:半|\d{1,2}分?)?|时)|[一二三四五六七八九十]{1,3}点半?"
)
_WHEN = (
    rf"(?:{_DATE}\s*(?:{_DAY_PART})?\s*(?:{_CLOCK})?"
    rf"|(?:{_DAY_PART})?\s*(?:{_CLOCK}))"
)
_DEADLINE_END = r"(?:之前|以前|前|为止|之内|以内|内)"
# Chinese deadlines end in 前/内/为止: each such word is an anchor, and the
# phrase is matched backwards from it over a short window.
_CN_END_ANCHOR = re.compile(r"[前内止](?!后)")
_CN_DEADLINE_BEFORE = re.compile(
    rf"(?:{_CN_SMALL_NUM}\s*个?\s*(?:小时|钟头|工作日|自然日|天|日|周|星期|分钟|月)"
    rf"\s*(?:之内|以内|内)|{_DATE}\s*(?:{_DAY_PART})?\s*(?:{_CLOCK})?\s*"
    rf"{_DEADLINE_END}|(?:{_DAY_PART})?\s*(?:{_CLOCK})\s*{_DEADLINE_END})$"
)
_CN_DEADLINE_REACH = 32
_CN_BY = re.compile(
    rf"(?:最迟|最晚|不晚于|截止到?|截至)\s*(?:于|在|到)?\s*{_WHEN}"
    rf"(?:{_DEADLINE_END}(?!后))?"
)
_EN_MONTH = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?"
_EN_DAYNAME = r"(?:mon|tues|wednes|thurs|fri|satur|sun)day"
_EN_NUMBER = r"\d+|one|two|three|four|five|six|seven|ten|twenty-four|forty-eight"
_EN_DEADLINE = re.compile(
    rf"within\s+(?:{_EN_NUMBER})\s+(?:working\s+|business\s+|calendar\s+)?"
    r"(?:hours?|days?|weeks?|minutes?)\b"
    r"|(?:by|before|no later than)\s+(?:the\s+)?"
    r"(?:end\s+of\s+(?:the\s+|this\s+|next\s+)?(?:day|today|week|month|year)"
    r"|eod|cob|close\s+of\s+business"
    r"|tomorrow(?:\s+(?:morning|noon|afternoon|evening))?|today|tonight"
    rf"|(?:this\s+|next\s+)?{_EN_DAYNAME}"
    rf"|\d{{1,2}}(?:st|nd|rd|th)?\s+{_EN_MONTH}|{_EN_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?"
    r"|\d{1,2}(?::\d{2})?\s*(?:am|pm)|noon|midnight)\b",
    re.ASCII,
)


# A date the firm promised, one agreed long ago or one already past is not a
# deadline the client sets now: "贵所承诺2月底前出具报告", "合同约定2月28日前
# 出具".  Unless the client asks for it again: "请贵所书面承诺3月6日前出具".
_CLAUSE_BEFORE = re.compile(r"[^，,。；;！？!?\n]{0,20}$")
_NOT_CLIENT_DEADLINE = re.compile(
    r"承诺|答应|允诺|说好|原定|原计划|约定|本应|本该|早在|已于|已在|已经于|已经在"
)
_ASKED_AGAIN = re.compile(r"请|要求|务必|希望|必须")


def _is_client_deadline(text: str, start: int) -> bool:
    clause = _CLAUSE_BEFORE.search(text, max(0, start - 20), start)
    before = clause[0] if clause else ""
    return not _NOT_CLIENT_DEADLINE.search(before) or bool(_ASKED_AGAIN.search(before))


# The last character a Chinese deadline can have before its 前/内/为止:
# only anchors after one of these are worth the backward match.
_CN_DEADLINE_TAILS = frozenset(
    "0123456789一二两三四五六七八九十半时头日天周期钟月晚早拜末底初旬号年度）)"
    "午上晨班饭束点分"
)


def _deadline_spans(text: str, folded: str):
    for anchor in _CN_END_ANCHOR.finditer(text):
        tail = anchor.start()
        if text[tail - 1 : tail] in ("之", "以", "为"):
            tail -= 1
        if _char_before(text, tail) not in _CN_DEADLINE_TAILS:
            continue
        lo = max(0, anchor.start() - _CN_DEADLINE_REACH)
        match = _CN_DEADLINE_BEFORE.search(text, lo, anchor.end())
        if match:
            yield match.start(), match.end()
    for match in _CN_BY.finditer(text):
        yield match.start(), match.end()
    for match in _EN_DEADLINE.finditer(folded):
        if not _is_word_char(folded, match.start() - 1):
            yield match.start(), match.end()


def _extract_deadlines(text: str, folded: str) -> list[str]:
    # "最迟12月10日前" is found twice (by its 最迟 and by its 前): keep the
    # longest of overlapping phrases.
    spans = sorted(_deadline_spans(text, folded), key=lambda s: (s[0], -s[1]))
    deadlines: list[str] = []
    covered = -1
    for start, end in spans:
        if end <= covered:
            continue
        covered = end
        if not _is_client_deadline(text, start):
            continue
        phrase = text[start:end].strip()
        if phrase not in deadlines:
            deadlines.append(phrase)
    return deadlines


# --- Data items ----------------------------------------------------------


def load_data_items(path: Path = DATA_ITEMS_FILE) -> tuple[str, ...]:
    """Terms from the staff-maintained list, in file order, without repeats."""
    terms = []
    for line in path.read_text(encoding="utf-8").splitlines():
        term = line.strip()
        if term and not term.startswith("#"):
            terms.append(term)
    return tuple(dict.fromkeys(terms))


_DATA_ITEMS = Lexicon({term: term for term in load_data_items()})


def _extract_data_items(folded: str) -> list[str]:
    items = (term for _, _, _, term in _DATA_ITEMS.finditer(folded))
    return list(dict.fromkeys(items))


# --- Entry point ---------------------------------------------------------


def extract_figures(text: str) -> Figures:
    """Amounts, pages, deadlines, data items and percentages in `text`."""
    folded = fold_case(text)
    return Figures(
        amounts=_extract_amounts(text, folded),
        pages=_extract_pages(folded),
        deadlines=_extract_deadlines(text, folded),
        data_items=_extract_data_items(folded),
        percentages=_extract_percentages(text, folded),
    )
