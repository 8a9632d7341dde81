"""Fuzzing the MIME parser with mutated real messages.

The seeds are the parser fixtures (tests/data/mail) and the sample mailbox.
Each example takes one and applies a few mutations a broken or hostile mail
client could produce: flipped bytes, truncation, duplicated headers, charset
labels Python does not know (or knows as something odd), unusual
Content-Transfer-Encoding values, deep nesting, strange boundaries, garbage
encoded-words and NUL bytes.

Whatever arrives, `parse_message` must return a ParsedMessage whose text is
clean `str` (no NUL, encodable as UTF-8 so it can be stored and printed), or
raise MessageRejected.  Any other exception, or a hang, fails.  So does a
rejection by the parser's safety net ("parser error: …"), which turns an
unexpected exception into MessageRejected so the pipeline keeps running: for
the fuzzer it is still a crash, and the traceback of its cause is shown.

The runs are derandomized with no example database, so CI sees the same
examples every time.  Crashes found while exploring with more examples are
kept in tests/data/fuzz/ and replayed by test_saved_crash_inputs_*.
"""

from __future__ import annotations

import re
import signal
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from pipeline.errors import MessageRejected
from pipeline.parse import ParsedMessage, parse_message
from pipeline.settings import LimitsSettings

ROOT = Path(__file__).resolve().parents[1]
FUZZ = Path(__file__).parent / "data" / "fuzz"
SEED_FILES = sorted((ROOT / "tests" / "data" / "mail").glob("*.eml")) + sorted(
    (ROOT / "samples" / "mailbox").glob("*.eml")
)
# The 700 KB many-parts fixture only slows every mutation down.
SEEDS = [p.read_bytes() for p in SEED_FILES if p.stat().st_size < 100_000]
LIMITS = LimitsSettings(parse_seconds=5.0)
FIRM = ("firm.example",)
HARD_TIMEOUT = 20  # seconds; a real hang fails instead of blocking CI
SAFETY_NET = "parser error"  # how parse_message words an unexpected exception

CHARSETS = [
    "gb2312", "GBK", "gb18030", "big5", "big5-hkscs", "utf-8", "UTF8", "us-ascii",
    "x-gbk", "windows-936", "cp950", "hz-gb-2312", "iso-2022-jp", "euc-kr",
    "utf-7", "utf-16", "utf-16-le", "utf-32", "latin-1", "koi8-r", "cp1252",
    "unknown-8bit", "x-unknown", "default", "x-user-defined", "x-mac-chinesesimp",
    "idna", "punycode", "rot13", "base64", "hex", "uu", "zlib", "bz2", "quopri",
    "unicode_escape", "raw_unicode_escape", "undefined", "mbcs", "oem",
    "", " ", '"', "''", "gb2312'zh'", "utf-8''", "gb\x00k", "\xff\xfe",
    "a" * 300, "=?utf-8?", "charset", "utf-8; format=flowed",
]
ENCODINGS = [
    "base64", "BASE64 ", "quoted-printable", "Quoted-Printable\t", "7bit", "8bit",
    "binary", "x-uuencode", "uuencode", "x-uue", "x-gzip64", "base-64", "b",
    "q", "", "base64; x=1", "\"base64\"", "quoted-printable base64", "\x00",
]
BOUNDARY_ALPHABET = st.sampled_from(list(
    "abcXYZ019-_=+/.:?()',\" \t;\x00\xff--"
))
BAD_WORDS = [
    b"=?x-unknown?B?wfXP/sO3?=", b"=?utf-8?Q?=FF=FE=00?=", b"=?gb2312?B?!!!!?=",
    b"=?idna?B?AAAA?=", b"=?utf-7?B?K0FHRT0t?=", b"=?utf-16?B?/w==?=",
    b"=?rot13?Q?abc?=", b"=??B??=", b"=?utf-8*zh?B?5L2g?=", b"=?utf-8?X?abc?=",
    b"=?big5?B?" + b"A" * 400 + b"?=", b"\xc4\xe3\xba\xc3", b"\x00\x01\x7f",
]


@contextmanager
def hard_timeout(seconds: int):
    """Raise in the test if parsing does not return in `seconds`."""

    def stop(_signum, _frame):
        raise TimeoutError(f"parse_message did not return within {seconds} s")

    previous = signal.signal(signal.SIGALRM, stop)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def parse_or_reject(raw: bytes) -> ParsedMessage | None:
    """The parsed message, or None when it was rejected cleanly."""
    with hard_timeout(HARD_TIMEOUT):
        try:
            return parse_message(raw, LIMITS, FIRM)
        except MessageRejected as exc:
            if str(exc).startswith(SAFETY_NET):
                raise AssertionError(f"the parser crashed: {exc}") from exc
            return None


def assert_clean(parsed: ParsedMessage) -> None:
    required = [parsed.message_id, parsed.subject, parsed.new_text,
                parsed.body_text, parsed.client_text]
    optional = [parsed.sender_name, parsed.sender_address, parsed.in_reply_to,
                *parsed.references, *parsed.client_sender]
    for attachment in parsed.attachments:
        required += [attachment.content_type, attachment.text]
        optional.append(attachment.filename)
    if parsed.original is not None:
        original = parsed.original
        required.append(original.text)
        optional += [original.sender_name, original.sender_address, original.subject]
    for value in required:
        assert isinstance(value, str), value
    for value in required + [v for v in optional if v is not None]:
        assert isinstance(value, str), value
        assert "\x00" not in value
        value.encode("utf-8")  # no lone surrogates left from undecoded bytes


def check(raw: bytes) -> None:
    parsed = parse_or_reject(raw)
    if parsed is not None:
        assert_clean(parsed)


# -- mutations: each takes `draw` and the raw bytes, returns new bytes -------


def _split(raw: bytes) -> tuple[bytes, bytes, bytes]:
    for sep in (b"\r\n\r\n", b"\n\n"):
        head, found, body = raw.partition(sep)
        if found:
            return head, found, body
    return raw, b"", b""


def flip_bytes(draw, raw: bytes) -> bytes:
    data = bytearray(raw)
    for _ in range(draw(st.integers(1, 8))):
        if data:
            data[draw(st.integers(0, len(data) - 1))] = draw(st.integers(0, 255))
    return bytes(data)


def truncate(draw, raw: bytes) -> bytes:
    return raw[: draw(st.integers(0, len(raw)))]


def duplicate_header(draw, raw: bytes) -> bytes:
    head, sep, body = _split(raw)
    lines = head.split(b"\n")
    index = draw(st.integers(0, len(lines) - 1))
    copies = draw(st.integers(1, 40))
    lines[index:index + 1] = [lines[index]] * (copies + 1)
    return b"\n".join(lines) + sep + body


def relabel_charset(draw, raw: bytes) -> bytes:
    label = draw(st.sampled_from(CHARSETS)).encode("latin-1")
    quoted = draw(st.booleans())
    value = b'"' + label + b'"' if quoted else label
    spots = list(re.finditer(rb'charset\s*=\s*"?[^";\s]*"?', raw, re.IGNORECASE))
    if not spots:
        return raw.replace(b"Content-Type: text/plain",
                           b"Content-Type: text/plain; charset=" + value, 1)
    spot = draw(st.sampled_from(spots))
    return raw[:spot.start()] + b"charset=" + value + raw[spot.end():]


def rfc2231_parameter(draw, raw: bytes) -> bytes:
    """A charset or filename in RFC 2231 form with an odd charset."""
    label = draw(st.sampled_from(CHARSETS)).encode("latin-1")
    name = draw(st.sampled_from([b"charset", b"name", b"filename"]))
    param = b"; " + name + b"*=" + label + b"'zh'%FF%FE%C4%E3%00"
    head, sep, body = _split(raw)
    spots = [m.end() for m in re.finditer(rb"(?im)^content-(type|disposition):[^\r\n]*",
                                           raw)]
    if not spots:
        return head + b"\r\nContent-Type: text/plain" + param + sep + body
    at = draw(st.sampled_from(spots))
    return raw[:at] + param + raw[at:]


def set_transfer_encoding(draw, raw: bytes) -> bytes:
    value = draw(st.sampled_from(ENCODINGS)).encode("latin-1")
    spots = list(re.finditer(rb"(?im)^content-transfer-encoding:[^\r\n]*", raw))
    if not spots:
        head, sep, body = _split(raw)
        return head + b"\r\nContent-Transfer-Encoding: " + value + sep + body
    spot = draw(st.sampled_from(spots))
    header = b"Content-Transfer-Encoding: " + value
    return raw[:spot.start()] + header + raw[spot.end():]


def nest(draw, raw: bytes) -> bytes:
    """Wrap the message in many multipart or message/rfc822 layers."""
    for level in range(draw(st.integers(1, 600))):
        if draw(st.booleans()):
            mark = b"b%d" % level
            raw = (b"Content-Type: multipart/mixed; boundary=" + mark + b"\r\n\r\n"
                   b"--" + mark + b"\r\n" + raw + b"\r\n--" + mark + b"--\r\n")
        else:
            raw = b"Content-Type: message/rfc822\r\n\r\n" + raw
    return b"From: a@example.cn\r\nSubject: nested\r\nMIME-Version: 1.0\r\n" + raw


def change_boundary(draw, raw: bytes) -> bytes:
    spots = list(re.finditer(rb'boundary\s*=\s*("[^"]*"|[^;\s]*)', raw, re.IGNORECASE))
    if not spots:
        return raw
    spot = draw(st.sampled_from(spots))
    old = spot.group(1).strip(b'"')
    new = draw(st.text(BOUNDARY_ALPHABET, max_size=80)).encode("latin-1")
    if draw(st.booleans()):
        new = b"A" * draw(st.integers(70, 2000))
    raw = raw[:spot.start()] + b'boundary="' + new + b'"' + raw[spot.end():]
    if old and draw(st.booleans()):
        raw = raw.replace(b"--" + old, b"--" + new)  # keep the parts delimited
    return raw


def garbage_encoded_words(draw, raw: bytes) -> bytes:
    word = draw(st.sampled_from(BAD_WORDS))
    header = draw(st.sampled_from([b"Subject", b"From", b"Message-ID", b"Date",
                                   b"Received", b"Content-Type", b"References"]))
    head, sep, body = _split(raw)
    return head + b"\r\n" + header + b": " + word + b" " + word + sep + body


def deep_brackets(draw, raw: bytes) -> bytes:
    """An address header of thousands of nested comments, groups or quotes."""
    opener = draw(st.sampled_from([b"(", b"<", b'"', b"\\(", b"=?utf-8?Q?(", b":"]))
    header = draw(st.sampled_from([b"From", b"Reply-To", b"Sender"]))
    value = opener * draw(st.integers(1, 5000)) + b"zhao@client.example.cn"
    head, sep, body = _split(raw)
    head = re.sub(rb"(?im)^" + header + rb":[^\r\n]*", b"", head)
    return head + b"\r\n" + header + b": " + value + sep + body


def insert_nul(draw, raw: bytes) -> bytes:
    at = draw(st.integers(0, len(raw)))
    return raw[:at] + b"\x00" * draw(st.integers(1, 16)) + raw[at:]


MUTATIONS = [flip_bytes, truncate, duplicate_header, relabel_charset,
             rfc2231_parameter, set_transfer_encoding, nest, change_boundary,
             garbage_encoded_words, deep_brackets, insert_nul]


@st.composite
def mutated(draw, mutations=tuple(MUTATIONS), most: int = 4) -> bytes:
    raw = draw(st.sampled_from(SEEDS))
    for mutate in draw(st.lists(st.sampled_from(mutations), min_size=1,
                                max_size=most)):
        raw = mutate(draw, raw)
    return raw


CI = settings(
    max_examples=120,
    derandomize=True,
    database=None,
    deadline=timedelta(seconds=5),
    # No shrinking: CI stays fast when something fails; the saved inputs in
    # tests/data/fuzz are already small.  Drop this line to shrink locally.
    phases=[Phase.explicit, Phase.reuse, Phase.generate],
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                           HealthCheck.large_base_example],
)


# -- the properties --------------------------------------------------------


@CI
@given(mutated())
def test_mutated_message_parses_cleanly_or_is_rejected(raw):
    check(raw)


@settings(CI, max_examples=60)
@given(mutated((relabel_charset, rfc2231_parameter, garbage_encoded_words), 3))
def test_unknown_or_odd_charset_labels_never_crash(raw):
    check(raw)


@settings(CI, max_examples=60)
@given(mutated((set_transfer_encoding, flip_bytes), 3))
def test_unusual_transfer_encodings_never_crash(raw):
    check(raw)


@settings(CI, max_examples=30)
@given(mutated((nest, change_boundary, duplicate_header, deep_brackets), 3))
def test_deep_nesting_and_odd_boundaries_never_crash(raw):
    check(raw)


@pytest.mark.parametrize("seed", SEED_FILES, ids=lambda p: p.name)
def test_unmutated_seed_parses_cleanly(seed):
    check(seed.read_bytes())


# -- crashes found while exploring, kept as files --------------------------


@pytest.mark.parametrize("path", sorted(FUZZ.glob("*.eml")), ids=lambda p: p.name)
def test_saved_crash_inputs_parse_cleanly_or_are_rejected(path):
    check(path.read_bytes())
