"""Text normalisation shared by every classifier step.

Traditional Chinese is converted to Simplified (OpenCC) so that one set of
rules, one dictionary and one model serve both; the original text is kept by
the caller for display.  Full-width ASCII (ＡＢＣ１２３, full-width spaces) is
folded to half-width so patterns need not list both forms.
"""

import functools
import re
import unicodedata

import opencc

_FULLWIDTH = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)}
_FULLWIDTH[0x3000] = 0x20
# Chinese punctuation that carries meaning for rules stays as it is; only the
# full-width forms of ASCII letters, digits and symbols are folded.
_KEEP = {ord(ch) for ch in "，。；：？！（）【】“”‘’、《》"}
for _code in list(_FULLWIDTH):
    if _code in _KEEP:
        del _FULLWIDTH[_code]

_SPACES = re.compile(r"[ \t\u00a0\u2002\u2003\u2009]+")


@functools.lru_cache(maxsize=1)
def _converter() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


def to_simplified(text: str) -> str:
    """Return `text` in Simplified Chinese; other scripts pass through."""
    if not text:
        return ""
    return _converter().convert(text)


def normalise(text: str) -> str:
    """Simplified Chinese, half-width ASCII, one space between words."""
    text = unicodedata.normalize("NFC", text or "")
    text = text.translate(_FULLWIDTH)
    text = to_simplified(text)
    return _SPACES.sub(" ", text)


def as_written(value: str | None, original: str,
               normalised: str | None = None) -> str | None:
    """`value`, found in normalised text, as the writer spelled it in `original`
    (大華實業 rather than 大华实业), so a Hong Kong client sees its own name.
    `normalised` is `normalise(original)` when the caller already has it."""
    if not value or value in original:
        return value
    # Conversion is character for character almost always, so the name sits
    # at the same place in both texts; anything else keeps the normalised form.
    normalised = normalise(original) if normalised is None else normalised
    start = normalised.find(value)
    candidate = original[start:start + len(value)] if start >= 0 else ""
    return candidate if candidate and normalise(candidate) == value else value
