"""From raw bytes to a ParsedMessage: the text to triage and who sent it.

The standard library's bytes parser builds the MIME tree (mail-parser's own
decoding turns GB2312-labelled GBK into mojibake, so its text is not used);
mail-parser reads the Received hops.  The walk and every decode go through
`pipeline.mime`, which fixes what both get wrong for Chinese mail.  A message
that cannot be read raises `MessageRejected` with the reason; the caller
quarantines it with its raw bytes.
"""

from __future__ import annotations

import email
import hashlib
import io
import logging
import re
import time
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from email.message import Message
from email.utils import getaddresses, parsedate_to_datetime

from mailparser import utils as mailparser_utils

from models.store import PUBLIC_MAIL_DOMAINS
from pipeline import mime, quoting
from pipeline.errors import MessageRejected
from pipeline.settings import LimitsSettings

log = logging.getLogger(__name__)

CHINA = timezone(timedelta(hours=8))
_MESSAGE_ID = re.compile(r"<([^<>\s]+)>")
_SEMICOLON_RUNS = re.compile(rb";[;\s]*;")
_HEADER_NAMES = re.compile(
    rb"(?im)^(from|to|subject|date|message-id|received|content-type|mime-version"
    rb"|return-path|sender|reply-to|cc)[ \t]*:"
)
MAX_NESTING = 8
_BOUNDARY = re.compile(rb'boundary\s*=\s*"?([^";\r\n]{1,200})', re.IGNORECASE)
MAX_DOCX_INFLATED = 20 * 1024 * 1024
# A complaint letter is a few pages; a PDF of hundreds is a report, whose
# first pages say what it is.
MAX_PDF_PAGES = 30
_AUTO_SUBJECT = re.compile(
    r"^\s*(自动回复|自動回覆|自动答复|外出|休假"
    r"|auto(matic)?[ -]?reply|out of (the )?office)",
    re.IGNORECASE,
)
_BOUNCE_SUBJECT = re.compile(
    r"(退信|系统退回|投递失败|无法投递|undeliver|delivery status notification|"
    r"mail delivery failed|returned mail|delivery failure)",
    re.IGNORECASE,
)
# The first delimiter line of a multipart body: "--" and the boundary, then
# a part's header ("-----Original Message-----" and "-- " are text).
_DELIMITER = re.compile(
    r"^--(\S[^\r\n]{0,69}?)[ \t]*\r?\n(?=content-[\w-]+[ \t]*:)",
    re.MULTILINE | re.IGNORECASE,
)
_DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@dataclass
class Attachment:
    filename: str | None
    content_type: str
    size: int
    text: str = ""
    error: str | None = None  # why its text could not be read

    def as_dict(self) -> dict:
        item = {"filename": self.filename, "content_type": self.content_type,
                "size": self.size}
        if self.error:
            item["error"] = self.error
        return item


@dataclass
class Original:
    """The client's own message inside a staff member's forward."""

    sender_name: str | None
    sender_address: str | None
    subject: str | None
    text: str
    sent: datetime | None = None  # when the client sent it to the firm
    # The client quoting its own earlier mail ("上周已发过一次"), not a
    # forward: the firm may never have had it, so no clock starts from it.
    resent: bool = False


@dataclass
class ParsedMessage:
    message_id: str
    subject: str
    sender_name: str | None
    sender_address: str | None
    date: datetime | None
    received_at: datetime | None
    in_reply_to: str | None
    references: list[str]
    new_text: str
    attachments: list[Attachment] = field(default_factory=list)
    original: Original | None = None
    auto_reply: bool = False
    bulk: bool = False
    bounce: bool = False
    defects: list[str] = field(default_factory=list)

    @property
    def client_text(self) -> str:
        """The client's own words: the forwarded original, else this message
        (with the earlier mail it quotes when it sends that again)."""
        if self.original is None:
            parts = [self.new_text]
        elif self.original.resent:
            parts = [self.new_text, self.original.text]
        else:
            parts = [self.original.text]
        parts += [a.text for a in self.attachments if a.text]
        return "\n\n".join(p for p in parts if p)

    @property
    def body_text(self) -> str:
        """Everything triaged: new text, the forwarded original, attachments."""
        parts = [self.new_text]
        if self.original:
            parts.append(self.original.text)
        parts += [a.text for a in self.attachments if a.text]
        return "\n\n".join(p for p in parts if p)

    @property
    def client_sender(self) -> tuple[str | None, str | None]:
        if self.original and self.original.sender_address and not self.original.resent:
            return self.original.sender_name, self.original.sender_address
        return self.sender_name, self.sender_address


@dataclass
class _Walk:
    """What the MIME walk collects; `deadline` bounds the parse time."""

    deadline: float
    max_parts: int
    attachment_chars: int
    texts: list[str] = field(default_factory=list)
    attachments: list[Attachment] = field(default_factory=list)
    inner: list[tuple[Message, int]] = field(default_factory=list)
    parts: int = 0
    reread: bool = False  # a multipart body was re-read with its real boundary


def message_id_of(raw: bytes, header: str | None) -> str:
    """The Message-ID without brackets, or a stable id from the raw bytes."""
    if header:
        match = _MESSAGE_ID.search(header)
        value = match.group(1) if match else header.strip().strip("<>")
        if value and " " not in value:
            return value
    # Line ends are normalised: the same file and the same IMAP message (CRLF)
    # must get the same id.
    digest = hashlib.sha256(raw.replace(b"\r\n", b"\n")).hexdigest()
    return f"sha256-{digest[:32]}@complaint-triage"


def parse_message(
    raw: bytes,
    limits: LimitsSettings | None = None,
    firm_domains: tuple[str, ...] = (),
) -> ParsedMessage:
    """Parse raw RFC 5322 bytes; raise MessageRejected when that is not possible."""
    try:
        return _parse(raw, limits or LimitsSettings(), firm_domains)
    except MessageRejected:
        raise
    except RecursionError as exc:
        raise MessageRejected("message structure nested too deeply") from exc
    except Exception as exc:  # noqa: BLE001 - library failures end here
        log.warning("parser failure: %s: %s", type(exc).__name__, exc, exc_info=True)
        raise MessageRejected(f"parser error: {type(exc).__name__}: {exc}") from exc


def _parse(raw: bytes, limits: LimitsSettings,
           firm_domains: tuple[str, ...]) -> ParsedMessage:
    _check_size(raw, limits)
    msg = _read(raw, limits)
    walk = _Walk(
        deadline=time.monotonic() + limits.parse_seconds,
        max_parts=limits.max_parts,
        attachment_chars=limits.attachment_text_chars,
    )
    _walk(msg, walk, depth=0)

    sender_name, sender_address = _sender(msg)
    subject = mime.header(msg, "Subject")
    text, history = quoting.split_history("\n\n".join(walk.texts))
    forwarded = quoting.is_forward_subject(subject) or is_firm_address(
        sender_address, firm_domains
    )
    original = _original(walk, history, forwarded, firm_domains, sender_address)
    auto_reply, bulk = _is_auto_reply(msg, subject), _is_bulk(msg)
    bounce = _is_bounce(msg, subject, sender_address)
    if not (auto_reply or bulk or bounce):  # their pictures are nobody's letter
        _check_readable(text, original, walk.attachments)
    return ParsedMessage(
        message_id=message_id_of(raw, _header(msg, "Message-ID")),
        subject=subject,
        sender_name=sender_name,
        sender_address=sender_address,
        date=parse_date(_header(msg, "Date")),
        received_at=_received_at(msg),
        in_reply_to=_first_id(_header(msg, "In-Reply-To")),
        references=_MESSAGE_ID.findall(_header(msg, "References") or ""),
        new_text=text,
        attachments=walk.attachments,
        original=original,
        auto_reply=auto_reply,
        bulk=bulk,
        bounce=bounce,
        defects=[type(d).__name__ for d in getattr(msg, "defects", [])],
    )


def _check_readable(text: str, original: Original | None,
                    attachments: list[Attachment]) -> None:
    """A person must look when the complaint sits in an unreadable attachment."""
    broken = [a for a in attachments if a.error]
    own_words = len((text + (original.text if original else "")).strip())
    if broken and own_words < 40 and not any(a.text for a in attachments):
        first = broken[0]
        raise MessageRejected(
            f"the message says little ({own_words} characters) and its attachment "
            f"{first.filename or first.content_type} cannot be read: {first.error}"
        )


def _check_size(raw: bytes, limits: LimitsSettings) -> None:
    if not raw.strip():
        raise MessageRejected("empty message")
    if len(raw) > limits.max_bytes:
        raise MessageRejected(
            f"message is {len(raw)} bytes, over the limit of {limits.max_bytes}"
        )
    # A cheap upper bound on MIME parts before the parser builds them all:
    # lines that start with one of the declared boundaries.
    declared = set(_BOUNDARY.findall(raw[:1_000_000]))
    boundaries = sum(raw.count(b"\n--" + marker) for marker in declared)
    if boundaries > 2 * limits.max_parts + 2:
        raise MessageRejected(
            f"message has about {boundaries // 2} MIME parts, over the limit of "
            f"{limits.max_parts}"
        )


def _read(raw: bytes, limits: LimitsSettings) -> Message:
    """Parse the MIME tree with the standard library's tolerant bytes parser."""
    # NUL bytes end header lines early in the parser; the stored raw bytes
    # keep them, the parsed copy does not.
    raw = raw.replace(b"\x00", b"")
    head, sep, body = raw.partition(b"\r\n\r\n")
    if not sep:
        head, sep, body = raw.partition(b"\n\n")
    if len(head) > limits.max_header_bytes:
        raise MessageRejected(
            f"header section is {len(head)} bytes, over the limit of "
            f"{limits.max_header_bytes}"
        )
    if not _HEADER_NAMES.search(head):
        raise MessageRejected("no mail headers found: not an email message")
    # Runs of empty parameters (";;;;…") make parameter parsing quadratic.
    head = _SEMICOLON_RUNS.sub(b";", head)
    cleaned = head + sep + body
    try:
        return email.message_from_bytes(cleaned)
    except RecursionError as exc:
        raise MessageRejected("MIME parts nested too deeply") from exc
    except Exception as exc:  # noqa: BLE001 - any parser failure quarantines
        raise MessageRejected(f"unparseable MIME structure: {exc}") from exc


def _walk(part: Message, walk: _Walk, depth: int) -> None:
    walk.parts += 1
    if walk.parts > walk.max_parts:
        raise MessageRejected(f"more than {walk.max_parts} MIME parts")
    if time.monotonic() > walk.deadline:
        raise MessageRejected("parse time limit exceeded")
    ctype = part.get_content_type()
    if ctype == "message/rfc822":
        _walk_rfc822(part, walk, depth)
    elif ctype == "multipart/alternative" and part.is_multipart():
        _walk_alternative(part, walk, depth)
    elif part.is_multipart():
        for child in part.get_payload():
            _walk(child, walk, depth)
    elif ctype.startswith("multipart/"):
        # The declared boundary never came: the parser kept the body as one
        # string.  Its own delimiter lines usually name the real boundary
        # (once per message: a re-read costs a parse of the whole body).
        rebuilt = None if walk.reread else _with_boundary_found(part, ctype)
        if rebuilt is not None:
            walk.reread = True
            preamble = (rebuilt.preamble or "").strip()
            if preamble:  # text before the first delimiter is the writer's too
                walk.texts.append(mime.decode_bytes(
                    preamble.encode("utf-8", "surrogateescape"),
                    mime.param(part, "charset")))
            _walk(rebuilt, walk, depth + 1)
            return
        text = mime.part_text(part).strip()
        if text:
            walk.texts.append(text)
    elif _is_body_text(part, ctype):
        text = _text_of(part, ctype)
        if text:
            walk.texts.append(text)
    else:
        walk.attachments.append(_attachment(part, ctype, walk))


def _with_boundary_found(part: Message, ctype: str) -> Message | None:
    """The multipart body parsed again with the boundary its first delimiter
    line uses; None when there is none or it gives no parts either."""
    payload = part._payload  # noqa: SLF001 - the raw body, surrogate-escaped
    if not isinstance(payload, str):
        return None
    found = _DELIMITER.search(payload[:100_000])
    if found is None:
        return None
    boundary = found.group(1).strip()
    if not boundary or '"' in boundary or boundary == mime.param(part, "boundary"):
        return None
    head = f'Content-Type: {ctype}; boundary="{boundary}"\r\n\r\n'
    raw = (head + payload).encode("utf-8", "surrogateescape")
    try:
        rebuilt = email.message_from_bytes(raw)
    except Exception:  # noqa: BLE001 - the plain-text fallback remains
        return None
    log.info("multipart body read with the boundary it uses (%r), not the "
             "declared one", boundary)
    return rebuilt if rebuilt.is_multipart() and rebuilt.get_payload() else None


def _walk_alternative(part: Message, walk: _Walk, depth: int) -> None:
    """Take the plain text when it has content, else the richest other form."""
    if not part.is_multipart():
        return
    children = part.get_payload()
    for preferred in ("text/plain", "text/html", None):
        for child in children:
            ctype = child.get_content_type()
            if preferred is None and child.is_multipart():
                before = len(walk.texts)
                _walk(child, walk, depth)
                if len(walk.texts) > before:
                    return
            elif ctype == preferred:
                text = _text_of(child, ctype)
                if text.strip():
                    walk.texts.append(text)
                    return


def _walk_rfc822(part: Message, walk: _Walk, depth: int) -> None:
    payload = part.get_payload()
    inner = payload[0] if isinstance(payload, list) and payload else None
    if inner is None:
        walk.attachments.append(_attachment(part, "message/rfc822", walk))
        return
    if depth >= MAX_NESTING:
        raise MessageRejected(f"attached messages nested more than {MAX_NESTING} deep")
    walk.inner.append((inner, depth + 1))
    walk.attachments.append(
        Attachment(mime.filename_of(part), "message/rfc822", _size_of(inner)))


def _size_of(message: Message) -> int:
    try:
        return len(message.as_bytes())
    except (RecursionError, ValueError, TypeError, LookupError, UnicodeError):
        return 0


def _is_body_text(part: Message, ctype: str) -> bool:
    if ctype not in ("text/plain", "text/html"):
        return False
    disposition = str(part.get("Content-Disposition", "")).lower()
    return "attachment" not in disposition and mime.filename_of(part) is None


def _text_of(part: Message, ctype: str) -> str:
    text = mime.part_text(part).replace("\r\n", "\n").replace("\r", "\n")
    return mime.html_to_text(text) if ctype == "text/html" else text.strip()


def _attachment(part: Message, ctype: str, walk: _Walk) -> Attachment:
    data = mime.payload_bytes(part)
    item = Attachment(mime.filename_of(part), ctype, len(data))
    if time.monotonic() > walk.deadline:
        item.error = "parse time limit reached before this attachment"
        return item
    try:
        text = _attachment_text(data, ctype, item.filename, walk.deadline)
        item.text = text[: walk.attachment_chars]
    except Exception as exc:  # noqa: BLE001 - document libraries fail in many ways
        item.error = f"{type(exc).__name__}: {exc}"[:300]
        log.info("attachment %r unreadable: %s", item.filename, item.error)
    if not item.text and not item.error and _may_hold_words(part, ctype, item):
        # A photo or scan of a letter, an old .doc: nothing here reads it.
        item.error = f"this kind of attachment ({ctype}) is not read automatically"
    return item


# Attachments that may be the letter itself, by type or by name.
_LETTER_TYPES = ("application/msword", "application/rtf", "text/rtf",
                 "application/vnd.ms-works", "application/kswps")
_LETTER_SUFFIXES = (".doc", ".rtf", ".wps", ".pdf", ".docx")
_IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png", ".tif", ".tiff", ".bmp", ".heic", ".gif")
_PICTURE_IN_TEXT = 20_000  # bytes: smaller loose pictures are logos
_ICON = 2_000  # bytes: an attached picture smaller than this is an icon


def _may_hold_words(part: Message, ctype: str, item: Attachment) -> bool:
    """Whether an attachment nothing here reads may be the client's letter:
    a picture or scan, an old Word or RTF file (spreadsheets, calendars,
    archives and signatures are everyday traffic, not letters)."""
    size = item.size
    if not size:
        return False
    name = (item.filename or "").lower()
    if ctype in _LETTER_TYPES or name.endswith(_LETTER_SUFFIXES):
        return True
    if not (ctype.startswith("image/") or name.endswith(_IMAGE_SUFFIXES)):
        return False
    disposition = str(part.get("Content-Disposition", "")).lower()
    if part.get("Content-ID") is not None or "inline" in disposition:
        return False  # a picture shown in the text: a logo, a banner
    # Attached on purpose it may be a photo of the letter; otherwise only a
    # picture too big for an icon.
    return size >= (_ICON if "attachment" in disposition else _PICTURE_IN_TEXT)


def _attachment_text(data: bytes, ctype: str, name: str | None,
                     deadline: float) -> str:
    """Text of the attachment kinds clients send complaints in."""
    lower = (name or "").lower()
    # What the bytes are comes first: a PDF sent as octet-stream without a
    # name, or a Word file named .pdf, is still read.
    if data.startswith(b"%PDF-"):
        return _pdf_text(data, deadline)
    if _is_docx(data):
        return _docx_text(data)
    if ctype == _DOCX or lower.endswith(".docx"):
        return _docx_text(data)
    if ctype == "text/html" or lower.endswith((".htm", ".html")):
        return mime.html_to_text(mime.decode_bytes(data))
    if ctype.startswith("text/") or lower.endswith(".txt"):
        return mime.decode_bytes(data).strip()
    if ctype == "application/pdf" or lower.endswith(".pdf"):
        return _pdf_text(data, deadline)
    # Old binary Word (.doc), images and the rest are listed, not read.
    return ""


def _is_docx(data: bytes) -> bool:
    if not data.startswith(b"PK\x03\x04"):
        return False
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return "word/document.xml" in archive.namelist()
    except (zipfile.BadZipFile, ValueError, OSError, EOFError):
        return False


def _pdf_text(data: bytes, deadline: float) -> str:
    """The text layer of a PDF; an error when there is none to read (a scan,
    a password), so that a person opens it."""
    from pypdf import PdfReader  # only mail with a PDF pays for the import

    reader = PdfReader(io.BytesIO(data))
    if reader.is_encrypted and not reader.decrypt(""):
        raise ValueError("the PDF is protected by a password")
    pages = []
    for page in reader.pages[:MAX_PDF_PAGES]:
        if time.monotonic() > deadline:
            log.info("PDF read in part: the parse time limit came first")
            break
        pages.append(page.extract_text() or "")
    if not pages and reader.pages:
        raise ValueError("the parse time limit came before the PDF could be read")
    text = mime.clean_text("\n".join(pages))
    if len(reader.pages) > len(pages) and text.strip():
        # First, so that cutting the text to its limit keeps it.
        text = (f"（附件共 {len(reader.pages)} 页，仅自动读取了前 {len(pages)} 页）\n"
                + text)
    if not text.strip():
        raise ValueError("the PDF has no text layer (a scanned image?)")
    return text


def _docx_text(data: bytes) -> str:
    # A document whose XML inflates beyond this is a zip bomb or a book,
    # not a complaint letter; reading it would stall the whole mailbox.
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        inflated = sum(info.file_size for info in archive.infolist())
    if inflated > MAX_DOCX_INFLATED:
        raise ValueError(f"document inflates to {inflated} bytes")

    import docx  # python-docx is heavy to import; only complaints in Word pay

    document = docx.Document(io.BytesIO(data))
    lines = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            lines.append(" ".join(cell.text for cell in row.cells))
    return mime.clean_text("\n".join(line for line in lines if line.strip()))


def _original(
    walk: _Walk, history: str | None, forwarded: bool, firm_domains: tuple[str, ...],
    sender_address: str | None,
) -> Original | None:
    """The client's message inside a forward: attached first, then inline.

    A quoted message is the client's own words too when the client wrote
    it (the same mailbox, or the same company domain): a complaint sent again
    under "-----Original Message-----" must not be read as history.
    """
    if walk.inner:
        return _attached_original(walk, walk.inner[0], firm_domains)
    if not history:
        return None
    inline = quoting.parse_inline_original(history)
    if not inline.text or is_firm_address(inline.sender_address, firm_domains):
        return None
    resent = not forwarded and _same_sender(inline.sender_address, sender_address)
    if not (forwarded or resent):
        return None
    return Original(
        inline.sender_name, inline.sender_address, inline.subject, inline.text,
        parse_quoted_date(inline.sent), resent=resent,
    )


def _same_sender(quoted: str | None, sender: str | None) -> bool:
    """The same mailbox, or the same company domain (not a public mail service)."""
    if not quoted or not sender or "@" not in quoted or "@" not in sender:
        return False
    quoted, sender = quoted.lower(), sender.lower()
    if quoted == sender:
        return True
    domain = sender.rsplit("@", 1)[1]
    # Many unrelated people write from a public mail service's domain.
    return domain == quoted.rsplit("@", 1)[1] and domain not in PUBLIC_MAIL_DOMAINS


def _attached_original(
    walk: _Walk, item: tuple[Message, int], firm_domains: tuple[str, ...]
) -> Original:
    """Read an attached message; a forward of a forward is followed inward."""
    inner, depth = item
    sub = _Walk(walk.deadline, walk.max_parts, walk.attachment_chars)
    sub.parts = walk.parts
    _walk(inner, sub, depth)
    walk.parts = sub.parts
    walk.attachments.extend(sub.attachments)
    name, address = _sender(inner)
    subject = mime.header(inner, "Subject")
    text = quoting.new_text("\n\n".join(sub.texts))
    relayed = is_firm_address(address, firm_domains) or quoting.is_forward_subject(subject)
    if sub.inner and (relayed or len(text) < 200):
        return _attached_original(walk, sub.inner[0], firm_domains)
    return Original(name, address, subject, text, parse_date(_header(inner, "Date")))


def _sender(msg: Message) -> tuple[str | None, str | None]:
    value = mime.header(msg, "From")
    try:
        pairs = getaddresses([value]) if value else []
    except (RecursionError, ValueError, IndexError):
        return None, None
    if not pairs:
        return None, None
    name, address = (part.strip().strip('"') for part in pairs[0])
    if "@" not in address:
        # "From: 陈镕" or a URL: a name (or nothing) but no address to answer.
        return (name or address or None), None
    return (name or None), address.lower()


def is_firm_address(address: str | None, firm_domains: Iterable[str]) -> bool:
    """Whether `address` is at one of the firm's domains or their subdomains."""
    if not address or "@" not in address:
        return False
    domain = address.rsplit("@", 1)[1].lower()
    return any(domain == d or domain.endswith("." + d) for d in firm_domains)


def _header(msg: Message, name: str) -> str | None:
    return mime.header(msg, name) or None


def _first_id(value: str | None) -> str | None:
    if not value:
        return None
    match = _MESSAGE_ID.search(value)
    return match.group(1) if match else value.strip() or None


def parse_date(value: str | None) -> datetime | None:
    """An RFC 5322 date, or None when absent or absurd (year outside 1990-2100)."""
    if not value:
        return None
    try:
        parsed = parsedate_to_datetime(value.strip())
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if parsed is None or not 1990 <= parsed.year <= 2100:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=CHINA)



_CHINESE_DATE = re.compile(
    r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日[^\d上下午]*"
    r"(上午|下午|中午|晚上)?\s*(\d{1,2})[:：](\d{2})"
)


def parse_quoted_date(value: str | None) -> datetime | None:
    """The sent time in a quoted header block: RFC 5322, or the Chinese form
    mail clients write ("2026年12月1日(星期二) 上午9:30"), in Beijing time."""
    if not value:
        return None
    match = _CHINESE_DATE.search(value)
    if not match:
        return parse_date(value)
    year, month, day, half, hour, minute = match.groups()
    hour = int(hour) + (12 if half in ("下午", "晚上") and int(hour) < 12 else 0)
    try:
        return datetime(int(year), int(month), int(day), hour, int(minute),
                        tzinfo=CHINA)
    except ValueError:
        return None


def _received_at(msg: Message) -> datetime | None:
    """When the topmost Received hop (our own server) took the message."""
    received = mime.header_all(msg, "Received")
    if not received:
        return None
    # The usual form ends in "; <date>": read it directly, and leave the odd
    # forms to mail-parser's hop parser.
    stamp = parse_date(received[0].rsplit(";", 1)[-1]) if ";" in received[0] else None
    if stamp is not None:
        return stamp
    try:
        hops = mailparser_utils.receiveds_parsing(received[:30])
    except Exception:  # noqa: BLE001 - hop parsing is best effort
        log.debug("unparseable Received headers", exc_info=True)
        return None
    # mail-parser numbers hops from the origin, so the last is the topmost.
    for hop in reversed(hops):
        stamp = parse_date(hop.get("date"))
        if stamp is not None:
            return stamp
    return None


def _is_auto_reply(msg: Message, subject: str) -> bool:
    auto = str(msg.get("Auto-Submitted", "")).strip().lower()
    if auto and auto != "no":
        return True
    if msg.get("X-Autoreply") or msg.get("X-Autorespond"):
        return True
    if str(msg.get("Precedence", "")).strip().lower() == "auto_reply":
        return True
    return bool(_AUTO_SUBJECT.match(subject))


def _is_bulk(msg: Message) -> bool:
    precedence = str(msg.get("Precedence", "")).strip().lower()
    return precedence in ("bulk", "list", "junk") or bool(
        msg.get("List-Id") or msg.get("List-Unsubscribe")
    )


def _is_bounce(msg: Message, subject: str, sender: str | None) -> bool:
    if msg.get_content_type() == "multipart/report":
        return True
    local = (sender or "").split("@", 1)[0].lower()
    if local in ("mailer-daemon", "postmaster"):
        return True
    return bool(_BOUNCE_SUBJECT.search(subject))
