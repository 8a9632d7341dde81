#!/usr/bin/env python3
"""Write the hostile-mail fixtures in this folder (tests/test_bad_mail.py).

Usage:
    .venv/bin/python tests/data/bad/make_fixtures.py

Each case is a message that a broken mail client, a careless tool or a
hostile sender could produce: garbage, missing headers, lying charset labels,
broken transfer encodings, multiparts without a usable boundary, deep
nesting, unreadable Word attachments, NUL bytes, raw 8-bit headers, a From
header that is a notification URL, two messages under one Message-ID and
mbox files with unescaped "From " lines.  Most carry a fictional complaint in
Chinese, so a test can check that the text was decoded, not only survived.

The small cases are written here and committed.  The large ones (a 40 MB
attachment, a 5 MB header, Word zip bombs, 1,500 nested multiparts, 200
nested forwards) and the folder entries git cannot hold (an upper-case .EML
name, a directory named like a message, a dangling symlink) are made by the
tests in a temporary folder with `write_large` and `write_folder_entries`.

The bytes are assembled by hand, never through email.generator, so the
faults survive; every run writes the same bytes.  Needs only the standard
library.
"""

from __future__ import annotations

import base64
import io
import random
import zipfile
from collections.abc import Callable
from email.header import Header
from pathlib import Path

HERE = Path(__file__).resolve().parent

CLIENT = "陈镕 <chenrong@zhehe-tech.example.cn>"
LAWSUIT_CLIENT = "杨帆 <yangfan@pengyuan-elec.example.cn>"
STAFF = "李婷 <liting@firm.example>"
DATE = "Mon, 2 Mar 2026 09:12:45 +0800"
# The tests replace this port with the one of a listener they start.
HOOK_URL = "json://127.0.0.1:8099/hook"

# A 一级 complaint (a typo in a report) and a 三级 one (a lawsuit threatened).
MINOR = (
    "王经理：\n您好！贵所出具的2025年度审计报告第7页“应收帐款”应为“应收账款”，"
    "请于3月6日前更正后重新出具。\n陈镕\n浙江喆和科技股份有限公司 财务经理\n"
    "电话：0571-8800 0000\n"
)
LAWSUIT = (
    "贵所出具的审计报告未实施存货监盘，导致我司损失人民币3,860,000元。"
    "我司已委托律师，如七日内不赔偿，将向人民法院提起诉讼，"
    "并向中国注册会计师协会投诉。\n深圳市鹏远电子有限公司 董事长 杨帆\n"
)

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
_W = b'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
_PARAGRAPH = (b"<w:p><w:r><w:t>" + "审计报告错误，要求赔偿。".encode()
              + b"</w:t></w:r></w:p>")
_CONTENT_TYPES = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    b'<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    b'<Default Extension="rels" ContentType="application/'
    b'vnd.openxmlformats-package.relationships+xml"/>'
    b'<Default Extension="xml" ContentType="application/xml"/>'
    b'<Override PartName="/word/document.xml" ContentType="application/'
    b'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
    b"</Types>"
)
_RELATIONSHIPS = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
    b'relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats'
    b'.org/officeDocument/2006/relationships/officeDocument" '
    b'Target="word/document.xml"/></Relationships>'
)
_ZIP_TIME = (2026, 3, 4, 9, 40, 0)


# -- building blocks ----------------------------------------------------------

def encoded(value: str) -> str:
    """RFC 2047 form of non-ASCII header text; an <address> stays outside."""
    if value.isascii():
        return value
    name, sep, address = value.partition(" <")
    if sep:
        return Header(name, "utf-8").encode() + " <" + address
    return Header(value, "utf-8", maxlinelen=76).encode()


def headers(*, mid: str | None, subject: str | None = "审计报告错误",
            sender: str | None = CLIENT, date: str | None = DATE,
            extra: str = "", raw8: bool = False) -> str:
    """The header section; `mid` "07" gives <bad-07@bad.example>, None none.

    `raw8` leaves Subject and From as raw 8-bit text, as webmails send them.
    """
    if not raw8:
        subject = encoded(subject) if subject is not None else None
        sender = encoded(sender) if sender is not None else None
    lines = [f"From: {sender}"] if sender is not None else []
    lines.append("To: complaints@firm.example")
    if subject is not None:
        lines.append(f"Subject: {subject}")
    if date is not None:
        lines.append(f"Date: {date}")
    if mid is not None:
        lines.append(f"Message-ID: <bad-{mid}@bad.example>")
    lines.append("MIME-Version: 1.0")
    if extra:
        lines.append(extra.rstrip("\r\n"))
    return "\r\n".join(lines) + "\r\n"


def crlf(text: str) -> str:
    return text.replace("\n", "\r\n")


def plain(text: str, *, charset: str = "utf-8", cte: str = "8bit",
          body: bytes | None = None, **head) -> bytes:
    """A text/plain message; `body` replaces the UTF-8 bytes of `text`."""
    top = headers(**head) + (f'Content-Type: text/plain; charset="{charset}"\r\n'
                             f"Content-Transfer-Encoding: {cte}\r\n\r\n")
    return top.encode() + (crlf(text).encode() if body is None else body)


def with_attachment(data: bytes, filename: str, ctype: str,
                    text: str = "详见附件", **head) -> bytes:
    """A short text part and one base64 attachment."""
    b = "BOUNDARY-att-1"
    top = headers(**head) + f'Content-Type: multipart/mixed; boundary="{b}"\r\n\r\n'
    parts = (
        f"--{b}\r\nContent-Type: text/plain; charset=utf-8\r\n"
        f"Content-Transfer-Encoding: 8bit\r\n\r\n{crlf(text)}\r\n"
        f'--{b}\r\nContent-Type: {ctype}; name="{filename}"\r\n'
        f'Content-Disposition: attachment; filename="{filename}"\r\n'
        f"Content-Transfer-Encoding: base64\r\n\r\n"
    )
    encoded_data = base64.encodebytes(data).replace(b"\n", b"\r\n")
    return (top + parts).encode() + encoded_data + f"--{b}--\r\n".encode()


def docx(document_xml: bytes, level: int | None = None) -> bytes:
    """A minimal .docx package around `document_xml`, deflated at `level`."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED,
                         compresslevel=level) as archive:
        for name, data in (("[Content_Types].xml", _CONTENT_TYPES),
                           ("_rels/.rels", _RELATIONSHIPS),
                           ("word/document.xml", document_xml)):
            archive.writestr(zipfile.ZipInfo(name, _ZIP_TIME), data,
                             compress_type=zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


def word_body(body_xml: bytes) -> bytes:
    return b"<w:document " + _W + b"><w:body>" + body_xml + b"</w:body></w:document>"


def word_text(text: bytes) -> bytes:
    return word_body(b"<w:p><w:r><w:t>" + text + b"</w:t></w:r></w:p>")


def word_attachment(document: bytes, filename: str = "律师函.docx",
                    **kw) -> bytes:
    return with_attachment(document, filename, DOCX, **kw)


def noise(size: int, seed: int) -> bytes:
    """Random bytes, the same on every run."""
    return random.Random(seed).randbytes(size)


def nested_multipart(depth: int, mid: str) -> bytes:
    """The complaint inside `depth` multipart/mixed levels."""
    inner = f"Content-Type: text/plain; charset=utf-8\r\n\r\n{MINOR}\r\n"
    for level in range(depth, 0, -1):
        b = f"B{level}"
        inner = (f'Content-Type: multipart/mixed; boundary="{b}"\r\n\r\n'
                 f"--{b}\r\n{inner}\r\n--{b}--\r\n")
    return (headers(mid=mid) + inner).encode()


def nested_forwards(depth: int, mid: str) -> bytes:
    """The client's lawsuit threat forwarded by staff `depth` times over."""
    message = plain(LAWSUIT, mid=f"{mid}-client", subject="最里层",
                    sender=LAWSUIT_CLIENT)
    for level in range(depth):
        b = f"R{level}"
        top = headers(mid=f"{mid}-{level}", subject=f"转发: 第{level}层",
                      sender=STAFF)
        top += (f'Content-Type: multipart/mixed; boundary="{b}"\r\n\r\n'
                f"--{b}\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n转发\r\n"
                f"--{b}\r\nContent-Type: message/rfc822\r\n\r\n")
        message = top.encode() + message + f"\r\n--{b}--\r\n".encode()
    return message


def mbox(*messages: bytes, separator: bytes) -> bytes:
    """An mbox file: each message after its separator line, LF line ends."""
    return b"".join(separator + m.replace(b"\r\n", b"\n") + b"\n" for m in messages)


# -- the committed cases ------------------------------------------------------

def small_cases() -> dict[str, bytes]:
    """Every committed case: file name -> raw bytes."""
    cases = {}
    for group in (_garbage, _missing_headers, _charsets, _transfer_encodings,
                  _structure, _attachments, _odd_bytes, _senders, _mboxes):
        cases.update(group())
    return cases


def _garbage() -> dict[str, bytes]:
    return {
        "01-empty.eml": b"",
        "02-binary-garbage.eml": noise(8192, seed=2),
        # No blank line and no body at all.
        "03-headers-only.eml": headers(mid="03", subject="只有邮件头").encode(),
        "03b-whitespace-only.eml": b"\r\n\r\n   \t\r\n",
    }


def _missing_headers() -> dict[str, bytes]:
    return {
        "04-no-from.eml": plain(MINOR, mid="04", sender=None),
        "05-no-subject.eml": plain(MINOR, mid="05", subject=None),
        "06-no-date.eml": plain(MINOR, mid="06", date=None),
        "06b-date-2099.eml": plain(MINOR, mid="06b",
                                   date="Thu, 01 Jan 2099 09:00:00 +0800"),
        "06c-date-garbage.eml": plain(MINOR, mid="06c", date="明天上午"),
        "06d-date-1970.eml": plain(MINOR, mid="06d",
                                   date="Thu, 01 Jan 1970 00:00:00 +0000"),
        "07b-no-headers-at-all.eml": ("\r\n" + MINOR).encode(),
        "07d-message-id-with-space.eml": plain(MINOR, mid="07d with space"),
        # Two messages without a Message-ID must not collapse into one.
        "08a-no-message-id-body-a.eml": plain(MINOR, mid=None),
        "08b-no-message-id-body-b.eml": plain(LAWSUIT, mid=None, subject="律师函"),
        # The same Message-ID on a different message, from another client.
        "09a-same-message-id-first.eml": plain(MINOR, mid="09"),
        "09b-same-message-id-other-content.eml": plain(
            LAWSUIT, mid="09", subject="律师函", sender=LAWSUIT_CLIENT),
    }


def _charsets() -> dict[str, bytes]:
    gbk = crlf(MINOR).encode("gbk")
    complaint = base64.b64encode("投诉".encode()).decode()
    complaint_gbk = base64.b64encode("投诉".encode("gbk")).decode()
    filename = b"filename*=undefined''%E6%8A%95%E8%AF%89.txt"
    english = b"Dear sirs, please send us the invoice for the audit fee. Thanks.\r\n"
    return {
        "10-charset-foo.eml": plain("", mid="10", charset="foo", body=gbk),
        "11-utf8-label-gbk-bytes.eml": plain("", mid="11", body=gbk),
        "12-latin1-label-gbk-bytes.eml": plain("", mid="12", charset="iso-8859-1",
                                               body=gbk),
        "13-charset-undefined-body.eml": plain("", mid="13", charset="undefined",
                                               body=gbk),
        "14-charset-undefined-subject.eml": plain(
            MINOR, mid="14", subject=f"=?undefined?B?{complaint}?="),
        "14b-charset-undefined-filename.eml": with_attachment(
            b"hello", "x.txt", "text/plain", mid="14b",
        ).replace(b'filename="x.txt"', filename),
        "14c-utf16-label-ascii-body.eml": plain("", mid="14c", charset="utf-16",
                                                body=english),
        "14d-subject-foo-charset.eml": plain(
            MINOR, mid="14d", subject=f"=?foo?B?{complaint_gbk}?="),
    }


def _transfer_encodings() -> dict[str, bytes]:
    good = base64.b64encode(MINOR.encode()).decode()
    # Junk characters, a stray "=" in the middle and a cut-off end.
    broken = good[:37] + "!!@@##" + good[37:200] + "=\r\n" + good[200:-3]
    raw_chinese = "这不是base64，是直接写的中文投诉：审计报告错误\r\n".encode()
    # UTF-8 quoted-printable with a bad escape and a truncated last character.
    qp = ("=E7=8E=8B=E7=BB=8F=E7=90=86=EF=BC=9A=ZZ=E8=B4=B5=E6=89=80=E5=87=BA=\r\n"
          "=E5=85=B7=E7=9A=84=E5=AE=A1=E8=AE=A1=E6=8A=A5=E5=91=8A=E6=9C=89=E9=94"
          "=99=E8=AF=AF=E4=B8")
    return {
        "15-broken-base64.eml": plain("", mid="15", cte="base64",
                                      body=broken.encode()),
        "15b-base64-label-on-8bit-text.eml": plain("", mid="15b", cte="base64",
                                                   body=raw_chinese),
        "16-truncated-quoted-printable.eml": plain(
            "", mid="16", cte="quoted-printable", body=qp.encode()),
        "16b-cte-unknown.eml": plain(MINOR, mid="16b", cte="x-uuencode-bogus"),
    }


def _structure() -> dict[str, bytes]:
    b = "UNTERMINATED"
    unterminated = (
        headers(mid="17") + f'Content-Type: multipart/mixed; boundary="{b}"\r\n\r\n'
        f"--{b}\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n{MINOR}\r\n"
        f"--{b}\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n第二部分没有结尾"
    )
    never = (headers(mid="17b") + 'Content-Type: multipart/mixed; boundary="NOPE"'
             "\r\n\r\n" + MINOR)
    no_param = (headers(mid="17c") + "Content-Type: multipart/mixed\r\n\r\n"
                "--x\r\n\r\n" + MINOR)

    def mismatched(kind: str, mid: str) -> str:
        # The header names one boundary, the body uses another.
        used = "----=_Part_124_1740"
        return (headers(mid=mid) + f'Content-Type: multipart/{kind}; '
                'boundary="----=_Part_123_1740"\r\n\r\n'
                f"--{used}\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"
                f"{LAWSUIT}\r\n--{used}\r\nContent-Type: text/html; charset=utf-8"
                f"\r\n\r\n<p>{LAWSUIT}</p>\r\n--{used}--\r\n")
    return {
        "17-unterminated-multipart.eml": unterminated.encode(),
        "17b-boundary-never-appears.eml": never.encode(),
        "17c-multipart-no-boundary-param.eml": no_param.encode(),
        "17d-alternative-other-boundary.eml": mismatched("alternative", "17d").encode(),
        "17e-mixed-other-boundary.eml": mismatched("mixed", "17e").encode(),
        "18-nested-multipart-50.eml": nested_multipart(50, "18"),
        "18b-nested-multipart-400.eml": nested_multipart(400, "18b"),
        "20-forwards-nested-3.eml": nested_forwards(3, "20"),
    }


def _attachments() -> dict[str, bytes]:
    letter = word_text(LAWSUIT.encode())
    plain_zip = io.BytesIO()
    with zipfile.ZipFile(plain_zip, "w") as archive:
        archive.writestr(zipfile.ZipInfo("hello.txt", _ZIP_TIME),
                         "not a word document")
    html = ("<html><head><script>alert('投诉')</script></head><body><script>"
            "var a='起诉 律师函 索赔 5000万';</script></body></html>")
    words = " ".join(
        "=?UTF-8?B?" + base64.b64encode(f"投诉{i}".encode()).decode() + "?="
        for i in range(1000))
    gbk_word = "=?GBK?Q?" + "".join(f"={x:02X}" for x in "投诉".encode("gbk")) + "?="
    return {
        # A one-line body beside a Word letter that cannot be read.
        "23-corrupt-docx.eml": word_attachment(noise(5000, seed=23), mid="23"),
        "23b-docx-truncated-zip.eml": word_attachment(docx(letter)[:-40], mid="23b"),
        # The document element is never closed.
        "24-docx-bad-xml.eml": word_attachment(
            docx(letter.removesuffix(b"</w:document>")), mid="24"),
        "24b-docx-is-plain-zip.eml": word_attachment(plain_zip.getvalue(),
                                                     mid="24b"),
        "26-html-script-only.eml": (
            headers(mid="26") + "Content-Type: text/html; charset=utf-8\r\n\r\n"
            + html).encode(),
        "27-subject-1000-encoded-words.eml": plain(
            MINOR, mid="27", subject=words.replace(" ", "\r\n ")),
        "27b-subject-1000-gbk-q-words.eml": plain(
            MINOR, mid="27b", subject=" ".join([gbk_word] * 1000)),
    }


def _odd_bytes() -> dict[str, bytes]:
    message = plain(MINOR, mid="28")
    with_nuls = b"\x00".join(message[i:i + 7] for i in range(0, len(message), 7))
    nul_body = MINOR.encode().replace("。".encode(), b"\x00") + b"\x00" * 100
    separator = b"From chenrong@zhehe-tech.example.cn Mon Mar  2 09:12:45 2026\r\n"
    return {
        "28-nul-bytes-everywhere.eml": with_nuls,
        "28b-nul-in-body-only.eml": plain("", mid="28b", body=nul_body),
        "29-cr-only-line-endings.eml": plain(MINOR, mid="29").replace(b"\r\n", b"\r"),
        "29b-lf-only-line-endings.eml": plain(MINOR, mid="29b").replace(b"\r\n",
                                                                        b"\n"),
        "29c-mixed-line-endings.eml": plain(MINOR, mid="29c").replace(b"\r\n",
                                                                      b"\n", 3),
        # Some clients save a single message with its mbox separator line.
        "31-eml-starting-with-from-line.eml": separator + plain(MINOR, mid="31"),
    }


def _senders() -> dict[str, bytes]:
    raw_gbk = (headers(mid="40b", raw8=True).encode("gbk")
               + b"Content-Type: text/plain; charset=gbk\r\n\r\n"
               + crlf(MINOR).encode("gbk"))
    return {
        "40-raw-utf8-subject-and-from.eml": plain(MINOR, mid="40", raw8=True),
        "40b-raw-gbk-subject-and-from.eml": raw_gbk,
        "40c-from-name-only-no-address.eml": plain(MINOR, mid="40c", sender="陈镕"),
        # An acknowledgement to this "sender" would be a request to the URL.
        "50-from-is-notification-url.eml": plain(MINOR, mid="50",
                                                 sender=f'"{HOOK_URL}"'),
    }


def _mboxes() -> dict[str, bytes]:
    separator = b"From sender@example.com Mon Mar  2 09:12:45 2026\n"
    quoting = ("第二封邮件正文第一行\nFrom here on I quote the report:\n"
               "审计报告第3页有误，请更正。\n")
    not_a_message = b"this is not a message header at all\n\x00\xff\xfe garbage\n"
    five = mbox(
        plain(MINOR, mid="30-1"),
        plain(quoting, mid="30-2", subject="正文中有 From 行"),
        not_a_message,
        plain(LAWSUIT, mid="30-4", subject="律师函"),
        plain("谢谢项目组的辛苦付出。\n", mid="30-5", subject="感谢"),
        separator=separator,
    )
    refusal = MINOR + "\nFrom now on we refuse to pay.\n\nFrom the CFO\n"
    one = mbox(plain(refusal, mid="30b"),
               separator=b"From a@b Mon Mar  2 09:12:45 2026\n")
    return {
        "30-mbox-5-messages.mbox": five,
        # One message whose body has unescaped "From " lines.
        "30b-mbox-unescaped-from-in-body.mbox": one,
    }


# -- the cases made at test time ----------------------------------------------

def _huge_header() -> bytes:
    return plain(MINOR, mid="21", extra="X-Junk: " + "A" * (5 * 1024 * 1024))


def _many_headers() -> bytes:
    extra = "\r\n".join(f"X-H{i}: v" for i in range(200_000))
    return plain(MINOR, mid="21c", extra=extra)


def _deep_html() -> bytes:
    html = "<div>" * 100_000 + MINOR + "</div>" * 100_000
    return (headers(mid="26b") + "Content-Type: text/html; charset=utf-8\r\n\r\n"
            + html).encode()


def _billion_laughs() -> bytes:
    entities = b"".join(
        b'<!ENTITY %s "%s">' % (bytes([98 + i]), (b"&" + bytes([97 + i]) + b";") * 10)
        for i in range(8))
    document = (b'<?xml version="1.0"?><!DOCTYPE w:document [<!ENTITY a "'
                + b"x" * 1000 + b'">' + entities + b"]>" + word_text(b"&i;"))
    return word_attachment(docx(document), "lol.docx", text=MINOR, mid="25c")


LARGE: dict[str, Callable[[], bytes]] = {
    "18c-nested-multipart-1500.eml": lambda: nested_multipart(1500, "18c"),
    "20b-forwards-nested-200.eml": lambda: nested_forwards(200, "20b"),
    "21-huge-single-line-header.eml": _huge_header,
    "21b-huge-subject.eml": lambda: plain(MINOR, mid="21b", subject="投诉" * 300_000),
    "21c-many-headers.eml": _many_headers,
    "22-40mb-attachment.eml": lambda: with_attachment(
        noise(40 * 1024 * 1024, seed=22), "big.bin", "application/octet-stream",
        mid="22"),
    # Word zip bombs beside a real complaint in the body.  They only need to
    # inflate big, so the fastest deflate level builds them.
    "25-docx-many-paragraphs.eml": lambda: word_attachment(
        docx(word_body(_PARAGRAPH * 1_500_000), level=1), "大文件.docx",
        text=LAWSUIT, mid="25"),
    "25b-docx-one-huge-text-node.eml": lambda: word_attachment(
        docx(word_text(LAWSUIT.encode() + b"A" * (60 * 1024 * 1024)), level=1),
        "大文件.docx", text=LAWSUIT, mid="25b"),
    "25c-docx-billion-laughs.eml": _billion_laughs,
    "26b-html-deeply-nested-tags.eml": _deep_html,
}
UPPERCASE = "60-uppercase-extension.EML"
UNREADABLE = ("70-directory.eml", "71-dangling-symlink.eml")
NOT_MAIL = ("72-notes.txt", "73-backup.eml.bak", "74-subfolder")


def write_large(folder: Path) -> None:
    for name, build in LARGE.items():
        (folder / name).write_bytes(build())


def write_folder_entries(folder: Path) -> None:
    """What a mailbox folder also holds: entries to read, to skip, or broken."""
    (folder / UPPERCASE).write_bytes(
        plain(LAWSUIT, mid="60", subject="律师函", sender=LAWSUIT_CLIENT))
    (folder / UNREADABLE[0]).mkdir()
    (folder / UNREADABLE[1]).symlink_to(folder / "no-such-target.eml")
    (folder / NOT_MAIL[0]).write_text("not mail", encoding="utf-8")
    (folder / NOT_MAIL[1]).write_bytes(plain(MINOR, mid="73"))
    (folder / NOT_MAIL[2]).mkdir()
    (folder / NOT_MAIL[2] / "75-nested.eml").write_bytes(plain(MINOR, mid="75"))


def main() -> None:
    for name, data in small_cases().items():
        (HERE / name).write_bytes(data)


if __name__ == "__main__":
    main()
