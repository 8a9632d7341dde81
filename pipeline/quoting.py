"""Telling new text from quoted history and inline forwards.

Chinese clients mostly use QQ Mail, NetEase, Foxmail and Outlook.  Each marks
an earlier message differently: a "原始邮件" rule, an Outlook header block
(发件人/发送时间/收件人/主题), a "在…写道：" line, or "> " prefixes.  In a
reply that block is history and is left out; in a staff member's forward it
is the client's original complaint and becomes the text to triage.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from email.utils import parseaddr

_MARKER = re.compile(
    r"^[ \t]*[-—_=]{2,}[ \t]*(?:原始邮件|原邮件|转发邮件信息|转发的邮件|邮件原文|"
    r"Original Message|Forwarded message|Forwarded Message|Weitergeleitete Nachricht)"
    r"[ \t]*[-—_=]{2,}[ \t]*$",
    re.IGNORECASE | re.MULTILINE,
)
_FROM_LINE = re.compile(r"^[ \t]*\**(?:发件人|寄件者|寄件人|From)\**[ \t]*[:：]", re.M)
_HEADER_LINE = re.compile(
    r"^[ \t]*\**(发件人|寄件者|寄件人|From|发送时间|发件时间|日期|时间|Sent|Date|"
    r"收件人|To|抄送|Cc|主题|主旨|Subject)\**[ \t]*[:：][ \t]*(.*)$",
    re.IGNORECASE,
)
_REPLY_INTRO = re.compile(
    r"^[^\n]{0,120}(?:写道|寫道)[ \t]*[:：][ \t]*$|^On [^\n]{0,240}wrote:[ \t]*$",
    re.MULTILINE,
)
_FORWARD_SUBJECT = re.compile(r"^\s*(?:fw|fwd|转发|轉寄|转寄)\s*[:：]", re.IGNORECASE)
_HEADER_KEYS = {
    "发件人": "from", "寄件者": "from", "寄件人": "from", "from": "from",
    "主题": "subject", "主旨": "subject", "subject": "subject",
    "发送时间": "sent", "发件时间": "sent", "日期": "sent", "时间": "sent",
    "sent": "sent", "date": "sent",
}


@dataclass
class InlineOriginal:
    """A message quoted whole inside a forward."""

    sender_name: str | None
    sender_address: str | None
    subject: str | None
    sent: str | None
    text: str


def is_forward_subject(subject: str) -> bool:
    return bool(_FORWARD_SUBJECT.match(subject or ""))


def split_history(text: str) -> tuple[str, str | None]:
    """Split `text` into new text and the quoted block after it (or None)."""
    start = _history_start(text)
    if start is None:
        return _drop_quote_lines(text), None
    return _drop_quote_lines(text[:start]), text[start:]


def new_text(text: str) -> str:
    """Only what the sender wrote now: history and "> " lines left out."""
    return split_history(text)[0]


def parse_inline_original(block: str) -> InlineOriginal:
    """Read the header lines of a quoted block, then the original's text."""
    lines = _MARKER.sub("", block, count=1).lstrip("\n").splitlines()
    headers: dict[str, str] = {}
    index = 0
    while index < len(lines):
        line = lines[index]
        match = _HEADER_LINE.match(line)
        if match:
            key = _HEADER_KEYS.get(match.group(1).lower())
            if key and key not in headers:
                headers[key] = match.group(2).strip().rstrip(";；")
        elif line.strip() or headers:
            break
        index += 1
    body = "\n".join(lines[index:]).strip()
    name, address = parseaddr(headers.get("from", ""))
    return InlineOriginal(
        sender_name=name.strip('"') or None,
        sender_address=address or None,
        subject=headers.get("subject"),
        sent=headers.get("sent"),
        text=new_text(body),
    )


def _history_start(text: str) -> int | None:
    starts = []
    for pattern in (_MARKER, _REPLY_INTRO):
        match = pattern.search(text)
        if match:
            starts.append(match.start())
    for match in _FROM_LINE.finditer(text):
        if _looks_like_header_block(text[match.start():]):
            starts.append(match.start())
            break
    return min(starts) if starts else None


def _looks_like_header_block(text: str) -> bool:
    """A From line followed closely by a date or subject line."""
    lines = text.splitlines()[:6]
    keys = set()
    for line in lines:
        match = _HEADER_LINE.match(line)
        if match:
            keys.add(_HEADER_KEYS.get(match.group(1).lower(), "other"))
    return "from" in keys and bool(keys & {"sent", "subject"})


def _drop_quote_lines(text: str) -> str:
    kept = [line for line in text.splitlines() if not line.lstrip().startswith(">")]
    return "\n".join(kept).strip()
