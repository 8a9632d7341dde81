"""Decoding what Chinese mail clients really send.

The standard library and mail-parser trust charset labels.  Chinese mail
lies about them: "gb2312" bodies hold GBK and GB18030 characters, "big5"
holds HKSCS, labels such as x-gbk or windows-936 are unknown to Python, and
8-bit headers arrive with no label at all.  Everything here decodes with the
widest compatible codec first and falls back by trying, never by guessing
silently into mojibake.
"""

from __future__ import annotations

import base64
import binascii
import codecs
import functools
import logging
import math
import quopri
import re
from email.errors import HeaderParseError
from email.header import decode_header
from email.message import Message
from html import unescape

import lxml.html
from bs4 import BeautifulSoup
from lxml import etree

from classifiers.segment import tokenizer
from classifiers.text import to_simplified

log = logging.getLogger(__name__)

# A label maps to the superset that decodes everything the label's users send.
_SUPERSETS = {
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "x-gbk": "gb18030",
    "cp936": "gb18030",
    "windows-936": "gb18030",
    "ms936": "gb18030",
    "euc-cn": "gb18030",
    "x-euc-cn": "gb18030",
    "csgb2312": "gb18030",
    "gb_2312-80": "gb18030",
    "hz-gb-2312": "hz",
    "big5": "big5hkscs",
    "x-big5": "big5hkscs",
    "cn-big5": "big5hkscs",
    "big5-hkscs": "big5hkscs",
    "cp950": "big5hkscs",
    "windows-950": "big5hkscs",
    "ks_c_5601-1987": "cp949",
    "utf8": "utf-8",
    "unicode-1-1-utf-8": "utf-8",
    # A missing or ASCII label on 8-bit text: try the usual suspects.
    "us-ascii": None,
    "ascii": None,
    "unknown-8bit": None,
    "x-unknown": None,
    "default": None,
}
_FALLBACKS = ("utf-8", "gb18030", "big5hkscs")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_SURROGATE = re.compile("[\udc80-\udcff]")


def codec_for(label: str | None) -> str | None:
    """The Python codec to use for a MIME charset label, or None to sniff."""
    if isinstance(label, tuple):  # an RFC 2231 form: (charset, language, value)
        label = label[2]
    if not label or not isinstance(label, str):
        return None
    label = label.strip().strip('"').lower()
    if label in _SUPERSETS:
        return _SUPERSETS[label]
    try:
        return codecs.lookup(label).name
    except (LookupError, ValueError):  # unknown, or not even a name (NUL)
        return None


def decode_bytes(data: bytes, label: str | None = None) -> str:
    """Decode `data` declared as `label`; when the label is wrong, find out.

    A label that decodes with at most a couple of bad sequences is trusted
    (a truncated quoted-printable line must not turn UTF-8 into GB18030
    mojibake); otherwise UTF-8, GB18030 and Big5-HKSCS are tried strictly.
    """
    codec = _plausible_codec(data, codec_for(label))
    if codec:
        text = _decode(data, codec)
        if text is not None and text.count("\ufffd") <= max(2, len(data) // 400):
            return clean_text(_likelier_chinese(data, codec, text))
    for candidate in _FALLBACKS:
        if candidate == codec:
            continue
        try:
            return clean_text(data.decode(candidate))
        except UnicodeError:
            continue
    log.debug("undecodable bytes under %r; replacing bad sequences", label)
    return clean_text(_decode(data, codec or "") or data.decode("gb18030", "replace"))


# Chinese text as people write it scores about 8 to 10 (the mean log
# frequency of its characters in jieba's dictionary); the same bytes read
# under the wrong one of GBK, Big5 and UTF-8 score 2 to 7.
_CHINESE_CODECS = ("gb18030", "big5hkscs")
_PLAUSIBLE_CHINESE = 7.5
_CJK_OR_PRIVATE = re.compile("[\u3400-\u9fff\ue000-\uf8ff]")


def _likelier_chinese(data: bytes, codec: str, text: str) -> str:
    """`text`, or the same bytes read as another Chinese encoding when the
    label is plainly wrong: Big5 mail labelled gb2312, UTF-8 labelled GBK."""
    if codec not in _CHINESE_CODECS:
        return text
    score = chinese_score(text)
    if score is None or score >= _PLAUSIBLE_CHINESE:
        return text
    for other in ("utf-8", *_CHINESE_CODECS):
        if other == codec:
            continue
        try:
            candidate = data.decode(other)
        except UnicodeError:
            continue
        better = chinese_score(candidate)
        if better is not None and better >= max(_PLAUSIBLE_CHINESE, score + 1.5):
            log.info("text labelled %s reads as %s (%.1f against %.1f)",
                     codec, other, better, score)
            return candidate
    return text


def chinese_score(text: str) -> float | None:
    """How much `text` reads like Chinese: the mean log frequency of its first
    200 Chinese (or private-use) characters; None when it has fewer than 6."""
    found = _CJK_OR_PRIVATE.findall(text, 0, 2000)[:200]
    if len(found) < 6:
        return None
    weights, seen = _character_weights()
    total = 0.0
    for ch in found:
        weight = seen.get(ch)
        if weight is None:  # the first time: as written or as Simplified
            weight = seen[ch] = max(weights.get(ch, 0.0),
                                    weights.get(to_simplified(ch), 0.0))
        total += weight
    return total / len(found)


@functools.lru_cache(maxsize=1)
def _character_weights() -> tuple[dict[str, float], dict[str, float]]:
    """log(1 + frequency) of each single character in jieba's dictionary, and
    a cache of the weights of characters met so far."""
    weights = {word: math.log(count + 1) for word, count in tokenizer().FREQ.items()
               if len(word) == 1}
    return weights, {}


def _decode(data: bytes, codec: str) -> str | None:
    """`data` decoded with replacement, or None when the codec itself fails."""
    try:
        return data.decode(codec, errors="replace")
    except (UnicodeError, LookupError, TypeError):
        return None


_SINGLE_BYTE = ("latin_1", "iso8859-1", "cp1252", "ascii")
_WIDE = ("utf-16", "utf-16-le", "utf-16-be", "utf-32", "utf-32-le", "utf-32-be")


def _plausible_codec(data: bytes, codec: str | None) -> str | None:
    """Drop labels Chinese mail misuses: Latin-1 on GBK, UTF-16 on 8-bit text."""
    if codec in _WIDE and b"\x00" not in data[:200]:
        return None
    if codec in _SINGLE_BYTE and not data.isascii():
        return None
    return codec


def clean_text(text: str) -> str:
    """Drop NUL and other control characters that databases and people reject."""
    return _CONTROL.sub("", text).replace("\u00a0", " ")


def decode_header_value(value: object) -> str:
    """Decode a header value: RFC 2047 words, raw 8-bit bytes, or plain text."""
    if value is None:
        return ""
    text = str(value)
    # The bytes parser keeps raw 8-bit header bytes as surrogate escapes.
    raw = text.encode("utf-8", "surrogateescape") if _has_surrogates(text) else None
    if raw is not None:
        text = decode_bytes(raw)
    if "=?" not in text:
        return _unfold(text)
    try:
        chunks = decode_header(text)
    except (ValueError, binascii.Error, AssertionError, HeaderParseError):
        return _unfold(text)
    # decode_header already joins adjacent words of one charset, so a
    # character split across two encoded-words comes back whole.
    parts = []
    for chunk, charset in chunks:
        if isinstance(chunk, str):
            parts.append(chunk)
        else:
            parts.append(decode_bytes(chunk, charset))
    return _unfold("".join(parts))


def header(msg: Message, name: str) -> str:
    """A header's decoded value, read from the raw bytes.

    Message.get() wraps raw 8-bit values (RFC 6532 UTF-8, or GBK from old
    mailers) in a Header object whose text already holds U+FFFD.
    """
    raw = _raw_header(msg, name.lower())
    return "" if raw is None else decode_header_value(raw)


def header_all(msg: Message, name: str) -> list[str]:
    name = name.lower()
    return [decode_header_value(v) for k, v in msg._headers  # noqa: SLF001
            if k.lower() == name and isinstance(v, str)]


def _has_surrogates(text: str) -> bool:
    return not text.isascii() and _SURROGATE.search(text) is not None


def _unfold(text: str) -> str:
    return clean_text(re.sub(r"\r?\n[ \t]+", " ", text)).strip()


def payload_bytes(part: Message) -> bytes:
    """The decoded body of a non-multipart part, tolerant of sloppy encodings."""
    # get_payload() would already decode 8-bit bytes by the (lying) charset
    # label and ignores a transfer-encoding name with trailing spaces, so the
    # raw payload is read and decoded here.
    payload = part._payload  # noqa: SLF001 - the raw bytes, surrogate-escaped
    if not isinstance(payload, str):
        return b""
    raw = payload.encode("utf-8", "surrogateescape")
    cte = str(part.get("Content-Transfer-Encoding", "")).strip().lower()
    if cte == "base64":
        return _lenient_base64(raw)
    if cte == "quoted-printable":
        return quopri.decodestring(raw)
    return raw


def _lenient_base64(raw: bytes) -> bytes:
    """Decode base64 that may be several separately padded chunks.

    8-bit bytes cannot be base64, nor can text that is more than a tenth
    punctuation: such a body was sent as it is under a wrong label, and is
    returned unchanged.
    """
    if not raw.isascii():
        return raw
    compact = re.sub(rb"[^A-Za-z0-9+/=]", b"", raw)
    visible = len(re.sub(rb"\s", b"", raw))
    if visible and len(compact) < 0.9 * visible:
        # Punctuation everywhere: plain text under a wrong label, not base64.
        log.info("a body labelled base64 is not base64; read as it is")
        return raw
    out = []
    for chunk in re.findall(rb"[A-Za-z0-9+/]+=*", compact):
        chunk = chunk.rstrip(b"=")
        usable = len(chunk) - len(chunk) % 4
        if len(chunk) % 4 == 1:
            chunk = chunk[:usable]  # one stray character carries no byte
        chunk += b"=" * (-len(chunk) % 4)
        try:
            out.append(base64.b64decode(chunk))
        except (binascii.Error, ValueError):
            log.debug("skipping an undecodable base64 chunk")
    return b"".join(out)


def part_text(part: Message) -> str:
    """The text of a text/* part, decoded by its label or by trying."""
    return decode_bytes(payload_bytes(part), param(part, "charset"))


def param(part: Message, name: str, header: str = "content-type"):
    """A header parameter; None when the header's parameters are unparseable
    (the standard library raises on some malformed RFC 2231 continuations)."""
    try:
        value = part.get_param(name, header=header)
    except (TypeError, ValueError, IndexError, LookupError, UnicodeError):
        return None
    if isinstance(value, tuple) or value is None:
        return value
    return str(value)


_TAG = re.compile(r"<(script|style)\b.*?</\1\s*>|<[^>]*>", re.IGNORECASE | re.DOTALL)
_BLOCK = re.compile(r"<(br|/p|/div|/tr|/li|/h\d)\b[^>]*>", re.IGNORECASE)
MAX_HTML_FOR_PARSER = 512 * 1024
_HIDDEN = ("script", "style", "head", "title")
_HIDDEN_BLOCKS = re.compile(r"<(script|style|head|title)\b.*?</\1\s*>",
                            re.IGNORECASE | re.DOTALL)
_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
_DOCUMENT_END = re.compile(r"</(?:html|body)\s*>", re.IGNORECASE)
_WHITESPACE = re.compile(r"\s+")


def html_to_text(html: str) -> str:
    """Readable text of an HTML body: scripts and styles dropped, blocks on lines."""
    if len(html) > MAX_HTML_FOR_PARSER:
        # A full parse of megabytes of HTML takes seconds; tags are stripped.
        text = _TAG.sub("", _BLOCK.sub("\n", html))
        return clean_text(unescape(re.sub(r"\n\s*\n+", "\n\n", text)).strip())
    strings = _html_strings(html)
    if strings is None or _lost_text(strings, html):
        # Beautiful Soup's own parser reads anything, ten times slower.
        strings = _html_strings_slowly(html)
    lines = (line.strip() for line in "\n".join(strings).splitlines())
    return clean_text(re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip())


def _html_strings(html: str) -> list[str] | None:
    """The text of `html` as libxml2 reads it; None when it cannot be trusted
    to have read all of it."""
    if "\x00" in html or _has_surrogates(html):
        return None  # libxml2 replaces the one and stops at the other
    parser = lxml.html.HTMLParser(huge_tree=True)
    try:
        # A second document after </html> (a gateway's disclaimer, forwards
        # pasted together) is still body text; libxml2 would drop it.
        root = lxml.html.document_fromstring(_DOCUMENT_END.sub("", html), parser=parser)
    except (ValueError, etree.LxmlError):
        return None  # an encoding declaration in a str, nothing to parse
    if any(error.level >= etree.ErrorLevels.FATAL for error in parser.error_log):
        return None  # e.g. nesting deeper than libxml2 goes: the rest is lost
    etree.strip_elements(root, etree.Comment, etree.ProcessingInstruction, *_HIDDEN,
                         with_tail=False)
    for br in root.iter("br"):
        br.tail = "\n" + (br.tail or "")
    return list(root.itertext())


def _lost_text(strings: list[str], html: str) -> bool:
    """Whether the parsed text is well short of what the markup shows: libxml2
    stops without a word at an unclosed comment or attribute quote."""
    rough = _TAG.sub("", _HIDDEN_BLOCKS.sub("", _COMMENT.sub("", html)))
    shown = len(_WHITESPACE.sub("", unescape(rough)))
    found = sum(len(_WHITESPACE.sub("", s)) for s in strings)
    return found < 0.9 * shown - 20


def _html_strings_slowly(html: str) -> list[str]:
    soup = BeautifulSoup(html, "html.parser")
    for tag in soup(list(_HIDDEN)):
        tag.decompose()
    for br in soup.find_all("br"):
        br.replace_with("\n")
    return [soup.get_text("\n")]


def filename_of(part: Message) -> str | None:
    """The decoded attachment filename: RFC 2231, RFC 2047 or raw 8-bit."""
    for header, key in (("content-disposition", "filename"), ("content-type", "name")):
        raw = _raw_header(part, header)
        if raw is not None and _has_surrogates(raw):
            # Raw 8-bit bytes: the library would turn them into U+FFFD.
            match = re.search(rf'{key}\s*=\s*"?([^";\r\n]+)', raw, re.IGNORECASE)
            if match:
                return decode_header_value(match.group(1).strip()) or None
        value = param(part, key, header)
        if value is None:
            continue
        if isinstance(value, tuple):
            charset, _lang, text = value
            try:
                data = text.encode("latin-1", "surrogateescape")
            except UnicodeEncodeError:  # already text: the library decoded it
                return clean_text(text).strip() or None
            return decode_bytes(data, charset).strip() or None
        return decode_header_value(_unquote(value)) or None
    return None


def _raw_header(part: Message, name: str) -> str | None:
    """A header exactly as received (surrogate-escaped), before any decoding."""
    for key, value in part._headers:  # noqa: SLF001 - get() would mangle 8-bit
        if key.lower() == name:
            return value if isinstance(value, str) else None
    return None


def _unquote(value: str) -> str:
    if len(value) >= 2 and value[0] == value[-1] == '"':
        return value[1:-1]
    return value
