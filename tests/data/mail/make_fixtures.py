#!/usr/bin/env python3
"""Write the MIME-parser regression fixtures in this folder.

Usage:
    .venv/bin/python tests/data/mail/make_fixtures.py [--out DIR] [--check]

Each case is a small raw message, <case_name>.eml, that breaks at least one
widely used parser (Python's email package included), plus expected.json with
what a correct parser must extract.  The bytes are assembled by hand, never
through email.generator, so the quirks survive exactly.  Every message is a
plausible (fictional) client complaint in Chinese so that the expected
substrings mean something.

expected.json maps file name -> object with:
    subject_contains          str, substring of the decoded Subject
    body_contains             [str], substrings of the decoded body text
                              (text/plain, or text extracted from HTML)
    attachments               [str], optional: exact decoded attachment names
    from_name                 str, optional: decoded display name in From
    note                      str, what is tricky and what the right decoding is
  optional extras, used by some cases:
    body_not_contains         [str], must not appear in the body text
    new_text_contains         [str], in the new text of a reply or forward
    quoted_contains           [str], only in the quoted history
    original_from_name/_email the complainant inside a staff forward
    attached_message          {subject_contains, body_contains, from_name}
    attachment_text_contains  [str], text inside the attached document
    message_id                str, the Message-ID exactly as it should be kept
    date                      str|null, ISO 8601 date, null if unusable
    date_fallback             str, the time to use instead (Received header)
    max_parts                 int, parts a parser should look at, at most

--check parses every fixture with Python's email package (policy.default)
and prints, per case, which expectations the standard library misses.  That
it misses many is the point of these fixtures.

Needs only the standard library, python-docx and tests/fixtures/pdf.py.
"""

from __future__ import annotations

import argparse
import base64
import datetime as dt
import io
import json
import sys
import time
import urllib.parse
import zipfile
from email import quoprimime
from pathlib import Path

import docx

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # tests/
from fixtures.pdf import text_pdf  # noqa: E402 - the PDF writer the tests share

CRLF = b"\r\n"
HERE = Path(__file__).resolve().parent
TO = "To: complaints@firm.example"


# --------------------------------------------------------------------------
# Helpers (same conventions as samples/make_samples.py, kept independent)
# --------------------------------------------------------------------------


def received(host: str, ip: str, queue_id: str, when: str) -> str:
    return (
        f"Received: from {host} ({host} [{ip}])\r\n"
        f"\tby mx1.firm.example (Postfix) with ESMTPS id {queue_id}\r\n"
        f"\tfor <complaints@firm.example>; {when}"
    )


def b64_word(raw: bytes, charset: str) -> str:
    return f"=?{charset}?B?{base64.b64encode(raw).decode()}?="


def q_word(raw: bytes, charset: str) -> str:
    out = []
    for byte in raw:
        ch = chr(byte)
        if ch == " ":
            out.append("_")
        elif ch.isascii() and (ch.isalnum() or ch in "!*+-/"):
            out.append(ch)
        else:
            out.append(f"={byte:02X}")
    return f"=?{charset}?Q?{''.join(out)}?="


def encoded_words(
    text: str,
    charset: str,
    codec: str | None = None,
    enc: str = "B",
    fold: str = "\r\n ",
) -> str:
    """Encoded-words split between characters, each within 75 columns."""
    codec = codec or charset
    make = b64_word if enc == "B" else q_word
    words, chunk = [], ""
    for ch in text:
        if chunk and len(make((chunk + ch).encode(codec), charset)) > 75:
            words.append(make(chunk.encode(codec), charset))
            chunk = ch
        else:
            chunk += ch
    words.append(make(chunk.encode(codec), charset))
    return fold.join(words)


def crlf(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\n", "\r\n")


def b64_body(data: bytes, width: int = 76) -> bytes:
    enc = base64.b64encode(data)
    lines = [enc[i : i + width] for i in range(0, len(enc), width)]
    return CRLF.join(lines) + CRLF


def qp_body(data: bytes) -> bytes:
    text = quoprimime.body_encode(data.decode("latin-1"), maxlinelen=76, eol="\r\n")
    return text.encode("latin-1") + CRLF


def headers(items: list[str | bytes]) -> bytes:
    out = []
    for item in items:
        out.append(item.encode("ascii") if isinstance(item, str) else item)
    return CRLF.join(out) + CRLF


def entity(head: list[str | bytes], body: bytes) -> bytes:
    return headers(head) + CRLF + body


def multipart(boundary: str, parts: list[bytes], preamble: bool = True) -> bytes:
    out = b"This is a multi-part message in MIME format.\r\n\r\n" if preamble else b""
    for part in parts:
        out += b"--" + boundary.encode() + CRLF + part + CRLF
    return out + b"--" + boundary.encode() + b"--" + CRLF


def common(
    sender: str,
    subject: str,
    date: str,
    msgid: str,
    queue_id: str,
    host: str = "mail.client.example.cn",
    ip: str = "203.0.113.50",
) -> list[str | bytes]:
    """Received, From, To, Subject, Date, Message-ID, MIME-Version."""
    return [
        received(host, ip, queue_id, date + " (CST)"),
        "From: " + sender,
        TO,
        "Subject: " + subject,
        "Date: " + date,
        "Message-ID: " + msgid,
        "MIME-Version: 1.0",
    ]


def make_docx(title: str, paragraphs: list[str]) -> bytes:
    """A small .docx with fixed metadata and zip timestamps (reproducible)."""
    document = docx.Document()
    document.add_heading(title, level=1)
    for text in paragraphs:
        document.add_paragraph(text)
    props = document.core_properties
    props.author = "顾晓岚"
    props.last_modified_by = "顾晓岚"
    props.title = title
    props.created = dt.datetime(2026, 3, 9, 1, 0, 0)
    props.modified = dt.datetime(2026, 3, 9, 1, 30, 0)
    props.revision = 1
    buf = io.BytesIO()
    document.save(buf)
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(buf.getvalue())) as zin,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout,
    ):
        for info in zin.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=(2026, 3, 9, 9, 30, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = info.external_attr
            zout.writestr(fixed, zin.read(info.filename))
    return out.getvalue()


# A tiny but well-formed one-page PDF, used where an attachment's content
# does not matter, only its name.
# A one-page letter with a text layer, as office software exports it.
TINY_PDF = text_pdf([
    "审计报告问题清单",
    "1. 第5页应收账款余额与附注七不一致；",
    "2. 第9页存货跌价准备计提比例未说明。",
])


# --------------------------------------------------------------------------
# The cases.  Each returns (raw bytes, expectations).
# --------------------------------------------------------------------------

Case = tuple[bytes, dict]


def gb2312_label_gbk_chars_base64() -> Case:
    text = """王经理：
贵所出具的审计报告附注第9页，我司全资子公司“上海喆镕精工有限公司”被写成了“上海哲榕精工\
有限公司”，请更正后重新出具。
许镕 财务经理 13800010001
"""
    head = common(
        encoded_words("许镕", "gb2312", "gbk") + " <xurong@zherong.example.cn>",
        encoded_words("审计报告附注第9页子公司名称错误", "gb2312"),
        "Mon, 9 Mar 2026 09:01:12 +0800",
        "<000101dcaf5e$1a2b3c40$4e5f6a70$@zherong.example.cn>",
        "4R9a0X1bCdz9t01",
    ) + [
        'Content-Type: text/plain;\r\n\tcharset="gb2312"',
        "Content-Transfer-Encoding: base64",
    ]
    raw = entity(head, b64_body(crlf(text).encode("gbk")))
    return raw, {
        "subject_contains": "子公司名称错误",
        "body_contains": ["上海喆镕精工有限公司", "上海哲榕精工有限公司", "许镕"],
        "from_name": "许镕",
        "note": "charset=gb2312 but the bytes are GBK (cp936), as Outlook and "
        "Foxmail send: 喆 (86 B4) and 镕 (E9 46) are not in GB2312, in the "
        "body and in the From encoded-word. Decode any gb2312 label as GB18030 "
        "(a superset of GBK); a strict gb2312 decoder gives U+FFFD and, after "
        "the lead byte 0x86, loses sync and garbles the following characters.",
    }


def html_only() -> Case:
    page = """\
<html><head><meta http-equiv="Content-Type" content="text/html; charset=utf-8">
<style>p{font-family:"Microsoft YaHei";font-size:14px;margin:0}</style>
<script>var tracking = "open-pixel";</script></head>
<body><p>王经理：</p><p><br></p>
<p>审计报告第15页现金流量表&ldquo;支付的各项税费&rdquo;本期金额少写了一个零，\
应为&yen;1,200,000.00，报告上是&yen;120,000.00。</p>
<p>请今天内更正。</p><p>&nbsp;</p>
<p>卢思远&nbsp;财务部&nbsp;13800010002</p>
</body></html>
"""
    head = common(
        encoded_words("卢思远", "UTF-8") + " <lusiyuan@siyuan.example.com>",
        encoded_words("现金流量表金额少写一个零", "UTF-8"),
        "Mon, 9 Mar 2026 09:15:40 +0800",
        "<1773018940.5521.c0ffee42@mail.siyuan.example.com>",
        "4R9a0X2cDez9t02",
        host="mail.siyuan.example.com",
    ) + [
        'Content-Type: text/html; charset="utf-8"',
        "Content-Transfer-Encoding: quoted-printable",
    ]
    raw = entity(head, qp_body(crlf(page).encode("utf-8")))
    return raw, {
        "subject_contains": "少写一个零",
        "body_contains": [
            "“支付的各项税费”",
            "¥1,200,000.00",
            "卢思远 财务部 13800010002",
        ],
        "body_not_contains": ["font-family", "tracking", "&ldquo;", "<p>"],
        "from_name": "卢思远",
        "note": "Only a text/html part, quoted-printable, no text/plain: the "
        "body must be extracted from HTML, with entities (&ldquo; &yen; "
        "&nbsp;) decoded, <style> and <script> dropped and &nbsp; read as a "
        "space. msg.get_body(('plain',)) returns None.",
    }


def docx_attachment_one_line_body() -> Case:
    filename = "关于审计报告货币资金差异的投诉函.docx"
    letter = make_docx(
        "投诉函",
        [
            "明衡会计师事务所：",
            (
                "贵所出具的我司2025年度审计报告第4页资产负债表中，“货币资金”期末余额"
                "为8,652,300.00元，与银行对账单8,600,000.00元不符，差额52,300.00元，"
                "项目组至今未给出解释。"
            ),
            "请于3月12日前书面说明差异原因并更正报告。",
            "苏州恒泰包装材料有限公司 财务部 顾晓岚 13800010003",
        ],
    )
    ctype = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    quoted = urllib.parse.quote(filename.encode("utf-8"), safe="")
    cut = quoted.index("%E8%B4%A7")  # continue the parameter at 货
    bnd = "------------Xc9Qm2Lr7TfA0pWz3NbK"
    head = common(
        encoded_words("顾晓岚", "UTF-8") + " <guxiaolan@hengtai-pack.example.cn>",
        encoded_words("投诉函（审计报告货币资金差异）", "UTF-8"),
        "Mon, 9 Mar 2026 09:40:03 +0800",
        "<5b1d9e2c-7f3a-4c8e-b1a6-2d4f6e8a0c13@hengtai-pack.example.cn>",
        "4R9a0X3dEfz9t03",
    ) + [f'Content-Type: multipart/mixed; boundary="{bnd}"']
    body = multipart(
        bnd,
        [
            entity(
                [
                    "Content-Type: text/plain; charset=UTF-8; format=flowed",
                    "Content-Transfer-Encoding: base64",
                ],
                b64_body("详见附件\r\n".encode()),
            ),
            entity(
                [
                    (
                        f"Content-Type: {ctype};\r\n"
                        f' name="{encoded_words(filename, "UTF-8", fold=" ")}"'
                    ),
                    (
                        "Content-Disposition: attachment;\r\n"
                        f" filename*0*=UTF-8''{quoted[:cut]};\r\n"
                        f" filename*1*={quoted[cut:]}"
                    ),
                    "Content-Transfer-Encoding: base64",
                ],
                b64_body(letter, width=72),
            ),
        ],
    )
    return entity(head, body), {
        "subject_contains": "货币资金差异",
        "body_contains": ["详见附件"],
        "attachments": [filename],
        "attachment_text_contains": ["差额52,300.00元", "3月12日前"],
        "from_name": "顾晓岚",
        "note": "The body is one line; the complaint is in the .docx. Its name "
        "is given twice: RFC 2231 filename*0*/filename*1* continuations "
        "(authoritative) and an RFC 2047 name= inside quotes (Thunderbird "
        "style). Complaint text has to come from the document.",
    }


def forward_inline_original() -> Case:
    text = """请投诉小组跟进，客户已打过两次电话。

周琳
明衡会计师事务所 审计一部

------------------ 原始邮件 ------------------
发件人: "钱伟"<qianwei@jiahe-foods.example.cn>;
发送时间: 2026年3月9日(星期一) 上午8:52
收件人: "周琳"<zhoulin@firm.example>;
主题: 审计报告签字页缺少合伙人签章

周经理：
昨天收到的审计报告正式版，签字页只有一位注册会计师的签章，另一位合伙人的签章漏盖了，银\
行退回来了。请今天安排补盖并快递给我们。
钱伟 嘉禾食品有限公司 财务经理 13800010004
"""
    head = common(
        '"' + encoded_words("周琳", "UTF-8", fold=" ") + '" <zhoulin@firm.example>',
        encoded_words("转发：审计报告签字页缺少合伙人签章", "UTF-8"),
        "Mon, 9 Mar 2026 09:05:27 +0800",
        "<tencent_1E2D3C4B5A69788796A5B4C3@firm.example>",
        "4R9a0X4eFgz9t04",
        host="smtp.firm.example",
        ip="192.0.2.10",
    ) + [
        'Content-Type: text/plain;\r\n\tcharset="utf-8"',
        "Content-Transfer-Encoding: 8bit",
    ]
    return entity(head, crlf(text).encode("utf-8")), {
        "subject_contains": "签字页缺少合伙人签章",
        "body_contains": ["请投诉小组跟进", "另一位合伙人的签章漏盖了"],
        "new_text_contains": ["请投诉小组跟进"],
        "from_name": "周琳",
        "original_from_name": "钱伟",
        "original_from_email": "qianwei@jiahe-foods.example.cn",
        "note": "A staff member (firm.example) forwards a client's mail inline, "
        "QQ-mail style, header lines 发件人/发送时间/收件人/主题 with ASCII "
        "colons and a trailing ';' after each address. "
        "The complainant is the original sender 钱伟, not the From header; "
        "the complaint text is below the 原始邮件 separator.",
    }


def forward_attached_rfc822() -> Case:
    inner_text = """各位好：
我们公司今年的审计费比合同约定多收了人民币36,000元，发票金额与合同不符，已经跟项目经理\
说过两次，一直没有处理。请尽快退还多收的费用。
冯建华 远航船务有限公司 财务总监 13800010005
"""
    inner_bnd = "----=_NextPart_000_00A1_01DCAF60.11223340"
    inner = entity(
        [
            "Date: Fri, 6 Mar 2026 16:44:10 +0800",
            "From: "
            + encoded_words("冯建华", "gb2312")
            + " <fengjh@yuanhang-ship.example.cn>",
            "To: " + encoded_words("郑明", "gb2312") + " <zhengming@firm.example>",
            "Subject: " + encoded_words("关于审计费多收的投诉", "gb2312"),
            "Message-ID: <00a101dcad4f$9e8d7c60$dba87520$@yuanhang-ship.example.cn>",
            "MIME-Version: 1.0",
            f'Content-Type: multipart/alternative;\r\n\tboundary="{inner_bnd}"',
        ],
        multipart(
            inner_bnd,
            [
                entity(
                    [
                        'Content-Type: text/plain;\r\n\tcharset="gb2312"',
                        "Content-Transfer-Encoding: base64",
                    ],
                    b64_body(crlf(inner_text).encode("gb2312")),
                ),
            ],
        ),
    )
    note = "客户的原邮件见附件，涉及退费，请投诉小组处理。\r\n郑明\r\n"
    eml_name = "关于审计费多收的投诉.eml"
    bnd = "------------2hG7sK1pQ9vW4xZ8cB0nM6dT"
    head = common(
        encoded_words("郑明", "UTF-8") + " <zhengming@firm.example>",
        encoded_words("Fwd: 关于审计费多收的投诉", "UTF-8"),
        "Mon, 9 Mar 2026 10:12:55 +0800",
        "<e4a7c1d2-5b6f-4a3e-9d8c-7b6a5f4e3d2c@firm.example>",
        "4R9a0X5fGhz9t05",
        host="smtp.firm.example",
        ip="192.0.2.10",
    ) + [f'Content-Type: multipart/mixed; boundary="{bnd}"']
    body = multipart(
        bnd,
        [
            entity(
                [
                    "Content-Type: text/plain; charset=UTF-8",
                    "Content-Transfer-Encoding: base64",
                ],
                b64_body(note.encode()),
            ),
            entity(
                [
                    (
                        "Content-Type: message/rfc822;\r\n"
                        f' name="{encoded_words(eml_name, "UTF-8", fold=" ")}"'
                    ),
                    "Content-Disposition: attachment;\r\n"
                    " filename*=UTF-8''"
                    + urllib.parse.quote(eml_name.encode(), safe=""),
                ],
                inner,
            ),
        ],
    )
    return entity(head, body), {
        "subject_contains": "关于审计费多收的投诉",
        "body_contains": ["涉及退费"],
        "attachments": [eml_name],
        "from_name": "郑明",
        "attached_message": {
            "subject_contains": "关于审计费多收的投诉",
            "body_contains": ["多收了人民币36,000元", "财务总监"],
            "from_name": "冯建华",
        },
        "original_from_name": "冯建华",
        "original_from_email": "fengjh@yuanhang-ship.example.cn",
        "note": "Forward as attachment: the client's mail is a message/rfc822 "
        "part with its own gb2312 headers and multipart body. Its payload is a "
        "Message, not bytes (get_content() returns an EmailMessage); the "
        "complainant and the complaint text are inside it.",
    }


def reply_with_quoted_history() -> Case:
    text = """第3页报告日期还是错的，应为2026年2月28日，请再改。
韩冰

-----Original Message-----
发件人: 明衡会计师事务所 刘洋 <liuyang@firm.example>
发送时间: 2026年3月6日 18:20
收件人: 韩冰 <hanbing@beiyang-steel.example.cn>
主题: 答复: 审计报告日期错误

韩总，已更正，请查收。

> 发件人: 韩冰
> 报告日期写成了2026年2月18日，这已经是第二次出错了。如果再拖延，我们将考虑发律师函。
"""
    head = common(
        encoded_words("韩冰", "GBK") + " <hanbing@beiyang-steel.example.cn>",
        encoded_words("答复: 答复: 审计报告日期错误", "GBK"),
        "Mon, 9 Mar 2026 10:30:18 +0800",
        "<000e01dcaf6a$5d4c3b20$18b4b260$@beiyang-steel.example.cn>",
        "4R9a0X6gHiz9t06",
    ) + [
        "In-Reply-To: <7f6e5d4c-3b2a-4190-8f7e-6d5c4b3a2918@firm.example>",
        "References: <7f6e5d4c-3b2a-4190-8f7e-6d5c4b3a2918@firm.example>",
        'Content-Type: text/plain;\r\n\tcharset="GBK"',
        "Content-Transfer-Encoding: base64",
    ]
    return entity(head, b64_body(crlf(text).encode("gbk"))), {
        "subject_contains": "审计报告日期错误",
        "body_contains": ["应为2026年2月28日"],
        "new_text_contains": ["第3页报告日期还是错的，应为2026年2月28日"],
        "quoted_contains": ["考虑发律师函", "已更正，请查收"],
        "from_name": "韩冰",
        "note": "Short new text above an Outlook '-----Original Message-----' "
        "block (发件人:/发送时间:/收件人:/主题:) that contains '> ' quoted "
        "lines. The old threat of a 律师函 is quoted history only: a classifier "
        "that reads the whole body would wrongly see a legal threat. The body "
        "text that is triaged leaves the quoted block out.",
    }


def subject_gb2312_label_gb18030_fourbyte() -> Case:
    subject = "关于𠮷田精工（苏州）有限公司审计报告的投诉"
    text = """您好：
贵所为𠮷田精工（苏州）有限公司出具的审计报告中，公司名称里的“𠮷”字被印成了“吉”字，与营\
业执照不一致，外汇管理局不受理。请更正。
沈佳 财务部 13800010006
"""
    head = common(
        encoded_words("沈佳", "gb2312") + " <shenjia@yoshida-seiko.example.cn>",
        encoded_words(subject, "GB2312", "gb18030"),
        "Mon, 9 Mar 2026 10:45:00 +0800",
        "<20260309104500.27F3A1@yoshida-seiko.example.cn>",
        "4R9a0X7hIjz9t07",
    ) + [
        "Content-Type: text/plain; charset=gb18030",
        "Content-Transfer-Encoding: base64",
    ]
    return entity(head, b64_body(crlf(text).encode("gb18030"))), {
        "subject_contains": "𠮷田精工（苏州）有限公司",
        "body_contains": ["𠮷田精工（苏州）有限公司", "印成了“吉”字"],
        "from_name": "沈佳",
        "note": "The subject encoded-word says GB2312 but holds a GB18030 "
        "four-byte sequence (95 34 B2 35 = U+20BB7 𠮷, outside the BMP). "
        "Decode gb2312/gbk labels as GB18030 and keep non-BMP characters.",
    }


def gbk_8bit_no_cte() -> Case:
    text = """王经理：
审计报告第2页审计意见段中，我司名称“杭州堃珺智能科技有限公司”少了“智能”两个字。请改正。
赵堃 13800010007
"""
    head = common(
        encoded_words("赵堃", "gbk") + " <zhaokun@kunjun-ai.example.cn>",
        encoded_words("审计意见段公司名称漏字", "gbk"),
        "Mon, 9 Mar 2026 11:02:33 +0800",
        "<20260309110233.9C1D2E@kunjun-ai.example.cn>",
        "4R9a0X8iJkz9t08",
    ) + ["Content-Type: text/plain; charset=gbk"]
    return entity(head, crlf(text).encode("gbk")), {
        "subject_contains": "公司名称漏字",
        "body_contains": ["杭州堃珺智能科技有限公司", "赵堃"],
        "from_name": "赵堃",
        "note": "Raw 8-bit GBK body with no Content-Transfer-Encoding header "
        "(defaults to 7bit, which it is not). Decode the bytes with the "
        "declared charset; do not assume ASCII or UTF-8.",
    }


def charset_x_gbk() -> Case:
    text = """您好：
审计报告附注第6页“存货”明细表中，原材料和库存商品两行的金额写反了，合计数没错。请更正。
吕晨 13800010008
"""
    head = common(
        encoded_words("吕晨", "x-gbk", "gbk") + " <lvchen@chenxi-trade.example.com>",
        encoded_words("存货明细表金额写反", "x-gbk", "gbk"),
        "Mon, 9 Mar 2026 11:20:45 +0800",
        "<CAF3a9b2c1d0e8f7a6b5c4d3e2f1a0b9c8@mail.chenxi-trade.example.com>",
        "4R9a0X9jKlz9t09",
        host="mail.chenxi-trade.example.com",
    ) + [
        'Content-Type: text/plain; charset="x-gbk"',
        "Content-Transfer-Encoding: base64",
    ]
    return entity(head, b64_body(crlf(text).encode("gbk"))), {
        "subject_contains": "存货明细表金额写反",
        "body_contains": ["原材料和库存商品两行的金额写反了"],
        "from_name": "吕晨",
        "note": "charset x-gbk (old Java and Mac mailers) in the body and in "
        "encoded-words. Python has no codec of that name: get_content() "
        "raises LookupError. Map x-gbk (and x-gb2312, gb_2312-80) to GB18030.",
    }


def charset_windows_936() -> Case:
    text = """王经理：
报告第11页“营业外支出”附注的编号从（十二）直接跳到了（十四），缺了（十三），请核对后更\
正。
孟瑶 13800010009
"""
    head = common(
        encoded_words("孟瑶", "windows-936", "gbk", "Q")
        + " <mengyao@yaoguang-med.example.cn>",
        encoded_words("附注编号跳号", "windows-936", "gbk", "Q"),
        "Mon, 9 Mar 2026 11:35:09 +0800",
        "<000c01dcaf73$aa1b2c30$fe518490$@yaoguang-med.example.cn>",
        "4R9a0XAkLmz9t0A",
    ) + [
        'Content-Type: text/plain; charset="windows-936"',
        "Content-Transfer-Encoding: quoted-printable",
    ]
    return entity(head, qp_body(crlf(text).encode("gbk"))), {
        "subject_contains": "附注编号跳号",
        "body_contains": ["缺了（十三）"],
        "from_name": "孟瑶",
        "note": "charset windows-936 (quoted-printable body, Q encoded-words). "
        "Python knows cp936 and ms936 but not windows-936: LookupError. It "
        "is GBK; decode as GB18030.",
    }


def gb2312_char_split_across_encoded_words() -> Case:
    subject = "关于审计报告第12页数据错误的投诉"
    raw = subject.encode("gb2312")
    cut = 7  # inside 计 (bytes 5-6 are 审, 7-8 计): cuts a character in two
    split = b64_word(raw[:cut], "gb2312") + "\r\n " + b64_word(raw[cut:], "gb2312")
    text = """您好：
审计报告第12页利润表“财务费用”本期金额与附注不一致，附注是356,780.12元，报表是365,780.\
12元。请核实。
邱明 13800010010
"""
    head = common(
        encoded_words("邱明", "gb2312") + " <qiuming@mingda-tex.example.cn>",
        split,
        "Mon, 9 Mar 2026 13:10:40 +0800",
        "<20260309131040.4A5B6C@mingda-tex.example.cn>",
        "4R9a0XBlMnz9t0B",
    ) + [
        "Content-Type: text/plain; charset=gb2312",
        "Content-Transfer-Encoding: base64",
    ]
    return entity(head, b64_body(crlf(text).encode("gb2312"))), {
        "subject_contains": subject,
        "body_contains": ["财务费用", "356,780.12元"],
        "from_name": "邱明",
        "note": "The two bytes of 计 (BC C6) are split between two adjacent "
        "B encoded-words (RFC 2047 forbids it; byte-counting mailers do it). "
        "Join the bytes of adjacent encoded-words with the same charset "
        "before decoding. policy.default decodes each word alone: "
        "'关于审' + U+FFFD + garbage.",
    }


def filename_raw_gbk_bytes() -> Case:
    filename = "审计报告问题清单.pdf"
    raw_name = filename.encode("gbk")
    text = "王经理：\r\n问题清单见附件，共5项，请逐项回复。\r\n柏涛 13800010011\r\n"
    bnd = "----=_NextPart_5F0E1D2C_3B4A5968"
    head = common(
        encoded_words("柏涛", "gbk") + " <baitao@taiyue-build.example.cn>",
        encoded_words("审计报告问题清单", "gbk"),
        "Mon, 9 Mar 2026 13:25:00 +0800",
        "<20260309132500.7D8E9F@taiyue-build.example.cn>",
        "4R9a0XCmNoz9t0C",
    ) + [f'Content-Type: multipart/mixed;\r\n\tboundary="{bnd}"']
    body = multipart(
        bnd,
        [
            entity(
                [
                    "Content-Type: text/plain; charset=gbk",
                    "Content-Transfer-Encoding: base64",
                ],
                b64_body(text.encode("gbk")),
            ),
            entity(
                [
                    b'Content-Type: application/pdf; name="' + raw_name + b'"',
                    b'Content-Disposition: attachment; filename="' + raw_name + b'"',
                    b"Content-Transfer-Encoding: base64",
                ],
                b64_body(TINY_PDF),
            ),
        ],
    )
    return entity(head, body), {
        "subject_contains": "审计报告问题清单",
        "body_contains": ["问题清单见附件，共5项"],
        "attachments": [filename],
        "attachment_text_contains": ["第5页应收账款余额与附注七不一致"],
        "from_name": "柏涛",
        "note": "Attachment name as raw 8-bit GBK bytes inside the header, no "
        "encoding at all (old Foxmail, some webmails). Headers parsed as str "
        "carry surrogate escapes; recover the bytes and decode with the "
        "part's or message's charset (gbk), falling back to GB18030.",
    }


def filename_rfc2231_gb2312_gbk_chars() -> Case:
    filename = "喆和科技审计问题说明.pdf"
    quoted = urllib.parse.quote(filename.encode("gbk"), safe="")
    # 喆 is 86 B4: cut between its two bytes so the charset decode must
    # happen after the continuations are joined (RFC 2231 section 4.1).
    cut = quoted.index("%B4")
    text = "您好：\r\n问题说明见附件，请于本周内回复。\r\n蒋涛 13800010012\r\n"
    bnd = "----=_001_NextPart384716250933_=----"
    head = common(
        encoded_words("蒋涛", "gb2312") + " <jiangtao@zhehe-tech.example.cn>",
        encoded_words("审计问题说明（喆和科技）", "gb2312", "gbk"),
        "Mon, 9 Mar 2026 13:40:21 +0800",
        "<2026030913402198765432@zhehe-tech.example.cn>",
        "4R9a0XDnOpz9t0D",
    ) + [f'Content-Type: multipart/mixed;\r\n\tboundary="{bnd}"']
    body = multipart(
        bnd,
        [
            entity(
                [
                    'Content-Type: text/plain;\r\n\tcharset="gb2312"',
                    "Content-Transfer-Encoding: base64",
                ],
                b64_body(text.encode("gb2312")),
            ),
            entity(
                [
                    "Content-Type: application/pdf",
                    (
                        "Content-Disposition: attachment;\r\n"
                        f"\tfilename*0*=gb2312''{quoted[:cut]};\r\n"
                        f"\tfilename*1*={quoted[cut:]}"
                    ),
                    "Content-Transfer-Encoding: base64",
                ],
                b64_body(TINY_PDF),
            ),
        ],
    )
    return entity(head, body), {
        "subject_contains": "喆和科技",
        "body_contains": ["问题说明见附件"],
        "attachments": [filename],
        "attachment_text_contains": ["第9页存货跌价准备计提比例未说明"],
        "from_name": "蒋涛",
        "note": "RFC 2231 filename*0*=gb2312''...; filename*1*=... whose bytes "
        "are GBK (喆 = 86 B4 is not GB2312) and whose split falls between the "
        "two bytes of 喆. Join the continuations as bytes, then decode as "
        "GB18030. The subject's gb2312 encoded-word also holds 喆.",
    }


def base64_two_padded_chunks() -> Case:
    part1 = (
        "王经理：\r\n审计报告第8页“应交税费”附注，"
        "增值税期末余额应为 128,400.50 元。\r\n"
    )
    part2 = "报告中写成了182,400.50元，请更正。\r\n杜鹃 13800010013\r\n"
    body1 = part1.encode("utf-8")
    body2 = part2.encode("utf-8")
    assert len(body1) % 3 and len(body2) % 3, "both chunks must end in padding"
    encoded = b64_body(body1) + b64_body(body2)
    head = common(
        encoded_words("杜鹃", "UTF-8") + " <dujuan@juanxiu-garden.example.cn>",
        encoded_words("应交税费附注数字错误", "UTF-8"),
        "Mon, 9 Mar 2026 14:02:14 +0800",
        "<20260309140214.1F2E3D@juanxiu-garden.example.cn>",
        "4R9a0XEoPqz9t0E",
    ) + [
        "Content-Type: text/plain; charset=UTF-8",
        "Content-Transfer-Encoding: base64",
    ]
    return entity(head, encoded), {
        "subject_contains": "应交税费附注数字错误",
        "body_contains": ["应为 128,400.50 元", "报告中写成了182,400.50元", "杜鹃"],
        "from_name": "杜鹃",
        "note": "The body is base64(part1) followed by base64(part2), each "
        "padded with '=' (streaming encoders that flush per chunk). "
        "binascii.a2b_base64 stops at the first padding, so Python returns "
        "only part1. Decode each '='-terminated run separately and join.",
    }


def cte_trailing_space() -> Case:
    text = (
        "您好：\r\n审计报告封面上的报告文号重复了，与去年的文号相同，"
        "请重新编号。\r\n袁野 13800010014\r\n"
    )
    head = common(
        encoded_words("袁野", "UTF-8") + " <yuanye@yeyuan-agri.example.cn>",
        encoded_words("审计报告文号重复", "UTF-8"),
        "Mon, 9 Mar 2026 14:18:50 +0800",
        "<20260309141850.6B7C8D@yeyuan-agri.example.cn>",
        "4R9a0XFpQrz9t0F",
    ) + [
        "Content-Type: text/plain; charset=utf-8",
        "Content-Transfer-Encoding: base64 ",
    ]
    return entity(head, b64_body(text.encode())), {
        "subject_contains": "审计报告文号重复",
        "body_contains": ["报告文号重复了", "请重新编号"],
        "from_name": "袁野",
        "note": "'Content-Transfer-Encoding: base64 ' has a trailing space. "
        "Python compares the raw value, does not recognise 'base64 ' and "
        "returns the base64 text undecoded. Strip and lower-case the value.",
    }


def nul_bytes_in_text() -> Case:
    text = (
        "王经理：\r\n审计报告第20页“长期股权投资”附注中，被投资单位持股比例应为35%，"
        "报告写成了53%。\x00\x00\r\n请更正。\x00\r\n"
        "潘越 13800010015\r\n\x00\x00\x00\x00"
    )
    head = common(
        encoded_words("潘越", "UTF-8") + " <panyue@yuecheng-inv.example.cn>",
        encoded_words("长期股权投资持股比例错误", "UTF-8"),
        "Mon, 9 Mar 2026 14:33:07 +0800",
        "<20260309143307.3C4D5E@yuecheng-inv.example.cn>",
        "4R9a0XGqRsz9t0G",
    ) + [
        "Content-Type: text/plain; charset=utf-8",
        "Content-Transfer-Encoding: base64",
    ]
    return entity(head, b64_body(text.encode())), {
        "subject_contains": "持股比例错误",
        "body_contains": ["持股比例应为35%，报告写成了53%。", "请更正。", "潘越"],
        "body_not_contains": ["\u0000"],
        "from_name": "潘越",
        "note": "The decoded text contains NUL characters (a broken client pads "
        "with them). PostgreSQL text columns reject U+0000, so the stored body "
        "must have them removed; everything else is ordinary.",
    }


def rfc822_no_disposition() -> Case:
    inner = entity(
        [
            "From: "
            + encoded_words("常青", "UTF-8")
            + " <changqing@qingshan.example.cn>",
            "To: " + encoded_words("许可", "UTF-8") + " <xuke@firm.example>",
            "Subject: " + encoded_words("审计报告关联方交易披露遗漏", "UTF-8"),
            "Date: Fri, 6 Mar 2026 11:02:00 +0800",
            "Message-ID: <20260306110200.0A1B2C@qingshan.example.cn>",
            "MIME-Version: 1.0",
            "Content-Type: text/plain; charset=UTF-8",
            "Content-Transfer-Encoding: base64",
        ],
        b64_body(
            "许经理：\r\n报告附注关联方交易部分漏掉了我司向青山物业支付的租金"
            "1,080,000元，请补充披露。\r\n常青 13800010016\r\n".encode()
        ),
    )
    bnd = "=_b7c2e1a94f3d"
    head = common(
        encoded_words("许可", "UTF-8") + " <xuke@firm.example>",
        encoded_words("转发客户来信：关联方交易披露遗漏", "UTF-8"),
        "Mon, 9 Mar 2026 14:50:31 +0800",
        "<c7d1e2f3a4b54c6d8e9f0a1b2c3d4e5f@firm.example>",
        "4R9a0XHrStz9t0H",
        host="smtp.firm.example",
        ip="192.0.2.10",
    ) + [f'Content-Type: multipart/mixed; boundary="{bnd}"']
    body = multipart(
        bnd,
        [
            entity(
                [
                    "Content-Type: text/plain; charset=UTF-8",
                    "Content-Transfer-Encoding: base64",
                ],
                b64_body("客户来信附后，请登记。\r\n许可\r\n".encode()),
            ),
            entity(["Content-Type: message/rfc822"], inner),
        ],
        preamble=False,
    )
    return entity(head, body), {
        "subject_contains": "关联方交易披露遗漏",
        "body_contains": ["客户来信附后，请登记"],
        "attachments": [],
        "from_name": "许可",
        "attached_message": {
            "subject_contains": "审计报告关联方交易披露遗漏",
            "body_contains": ["租金1,080,000元"],
            "from_name": "常青",
        },
        "original_from_name": "常青",
        "original_from_email": "changqing@qingshan.example.cn",
        "note": "A message/rfc822 part with no Content-Disposition and no name. "
        "Python: is_attachment() is False and get_filename() None, so code "
        "that keys on either drops it; mail-parser 4.8 pastes its text into "
        "the outer body and lists no attachment, losing the complainant "
        "(常青). Treat every message/rfc822 part as an attached message "
        "whatever its disposition; it is not a named file (attachments: []).",
    }


def empty_plain_beside_html() -> Case:
    page = """<html><body>
<div>王经理：</div>
<div>审计报告第16页“研发费用”附注，本期发生额应为4,265,000.00元，报告是4,625,000.00元\
。</div>
<div>请核对更正。</div>
<div>白露&nbsp;13800010017</div>
</body></html>
"""
    bnd = "000000000000a1b2c3d4e5f60718"
    head = common(
        encoded_words("白露", "UTF-8") + " <bailu@lushan-pharm.example.com>",
        encoded_words("研发费用附注金额有误", "UTF-8"),
        "Mon, 9 Mar 2026 15:05:44 +0800",
        "<CAB9x1y2z3-Q4w5e6r7t8y9u0i1o2p3@mail.lushan-pharm.example.com>",
        "4R9a0XIsTuz9t0I",
        host="mail.lushan-pharm.example.com",
    ) + [f'Content-Type: multipart/alternative; boundary="{bnd}"']
    body = multipart(
        bnd,
        [
            entity(['Content-Type: text/plain; charset="UTF-8"'], b"\r\n"),
            entity(
                [
                    'Content-Type: text/html; charset="UTF-8"',
                    "Content-Transfer-Encoding: base64",
                ],
                b64_body(crlf(page).encode()),
            ),
        ],
        preamble=False,
    )
    return entity(head, body), {
        "subject_contains": "研发费用附注金额有误",
        "body_contains": ["本期发生额应为4,265,000.00元", "白露 13800010017"],
        "from_name": "白露",
        "note": "multipart/alternative whose text/plain part is empty (a blank "
        "line) while text/html carries the message. Preferring text/plain "
        "gives an empty body; fall back to the HTML when the plain part is "
        "blank.",
    }


def exchange_bracket_message_id() -> Case:
    msgid = "<[a3f9c2e1b7d04f2a]@EXCH01.yhgroup.example.cn>"
    text = (
        "您好：\r\n合并报表附注第30页少数股东权益的期初数与上年报告不一致，"
        "请核对。\r\n伍芳 13800010018\r\n"
    )
    head = common(
        encoded_words("伍芳", "utf-8") + " <wufang@yhgroup.example.cn>",
        encoded_words("少数股东权益期初数不一致", "utf-8"),
        "Mon, 9 Mar 2026 15:20:16 +0800",
        msgid,
        "4R9a0XJtUvz9t0J",
        host="EXCH01.yhgroup.example.cn",
    ) + [
        'Content-Type: text/plain; charset="utf-8"',
        "Content-Transfer-Encoding: base64",
    ]
    return entity(head, b64_body(text.encode())), {
        "subject_contains": "少数股东权益期初数不一致",
        "body_contains": ["少数股东权益的期初数与上年报告不一致"],
        "from_name": "伍芳",
        "message_id": msgid,
        "note": "Message-ID with a bracketed left part, as some Exchange "
        "gateways write it; not RFC 5322 dot-atom. Keep it verbatim "
        "(threading and de-duplication key on it). In Python 3.11, "
        "msg['Message-ID'] with policy.default raises IndexError; read the raw "
        "value (msg.raw_items(); get_all() raises too) instead.",
    }


def absurd_date_year() -> Case:
    text = (
        "王经理：\r\n审计报告第1页的报告日期是2026年2月30日，这个日期不存在，"
        "请更正。\r\n戴静 13800010019\r\n"
    )
    head = common(
        encoded_words("戴静", "utf-8") + " <daijing@jingda-logi.example.cn>",
        encoded_words("报告日期不存在", "utf-8"),
        "Mon, 2 Mar 99999 09:30:00 +0800",
        "<20260309153000.5E6F7A@jingda-logi.example.cn>",
        "4R9a0XKuVwz9t0K",
    )
    # The MX stamped the real time; the client's clock is nonsense.
    head[0] = received(
        "mail.client.example.cn",
        "203.0.113.50",
        "4R9a0XKuVwz9t0K",
        "Mon,  9 Mar 2026 15:30:12 +0800 (CST)",
    )
    head += [
        "Content-Type: text/plain; charset=utf-8",
        "Content-Transfer-Encoding: base64",
    ]
    return entity(head, b64_body(text.encode())), {
        "subject_contains": "报告日期不存在",
        "body_contains": ["2026年2月30日，这个日期不存在"],
        "from_name": "戴静",
        "date": None,
        "date_fallback": "2026-03-09T15:30:12+08:00",
        "note": "Date: Mon, 2 Mar 99999 09:30:00 +0800. datetime cannot hold "
        "year 99999: Python returns datetime None with InvalidDateDefect, other "
        "libraries raise or clamp. Treat as no date and use the newest "
        "Received header's time (2026-03-09 15:30:12 +08:00). Beware year 0000: "
        "Python silently reads it as 2000.",
    }


def semicolon_header() -> Case:
    text = (
        "您好：\r\n审计报告附注第14页固定资产折旧年限写成了“50年”，"
        "我司机器设备的折旧年限是5年。请更正。\r\n贺明 13800010020\r\n"
    )
    head = common(
        encoded_words("贺明", "utf-8") + " <heming@mingguang-mach.example.cn>",
        encoded_words("固定资产折旧年限错误", "utf-8"),
        "Mon, 9 Mar 2026 15:44:28 +0800",
        "<20260309154428.8A9B0C@mingguang-mach.example.cn>",
        "4R9a0XLvWxz9t0L",
    )
    head += [
        'Content-Type: text/plain; charset="utf-8"' + ";" * 50_000,
        "Content-Transfer-Encoding: base64",
    ]
    return entity(head, b64_body(text.encode())), {
        "subject_contains": "固定资产折旧年限错误",
        "body_contains": ["折旧年限写成了“50年”"],
        "from_name": "贺明",
        "note": "Content-Type followed by 50,000 ';' on one 50 kB line. "
        "Python's header parser (policy.default) is quadratic in the number "
        "of empty parameters: parsing Content-Type took 45-65 s on a 2-core "
        "machine with 3.11. Cap header length / collapse ';' runs before "
        "parsing; the charset (utf-8) is still the first parameter.",
    }


def many_parts() -> Case:
    count = 20_000
    bnd = "p"
    first = entity(
        [
            "Content-Type: text/plain; charset=utf-8",
            "Content-Transfer-Encoding: base64",
        ],
        b64_body(
            "王经理：\r\n审计报告第3页资产负债表“预付款项”期末余额应为2,380,000.00元，"
            "报告漏记。\r\n曹阳 13800010021\r\n".encode()
        ),
    )
    tiny = b"Content-Type: text/plain\r\n\r\n."
    parts = [first] + [tiny] * (count - 1)
    head = common(
        encoded_words("曹阳", "utf-8") + " <caoyang@yangfan-chem.example.cn>",
        encoded_words("预付款项期末余额漏记", "utf-8"),
        "Mon, 9 Mar 2026 16:01:55 +0800",
        "<20260309160155.1D2E3F@yangfan-chem.example.cn>",
        "4R9a0XMwXyz9t0M",
    ) + [f"Content-Type: multipart/mixed; boundary={bnd}"]
    return entity(head, multipart(bnd, parts, preamble=False)), {
        "subject_contains": "预付款项期末余额漏记",
        "body_contains": ["“预付款项”期末余额应为2,380,000.00元"],
        "from_name": "曹阳",
        "max_parts": 1000,
        "note": "20,000 tiny text/plain parts (one real part, then 19,999 "
        "containing '.'). A parser must stop walking after a bound (we suggest "
        "1,000 parts), keep the first text part as the body and not build "
        "20,000 records or attachment rows. Concatenating every text part "
        "into the body is also wrong.",
    }


def big5_hkscs() -> Case:
    text = """王經理：
你哋份審計報告第5頁嘅應收賬款數字錯咗，應該係港幣1,250,000元，唔係125,000元。我哋下星\
期要交畀銀行，麻煩盡快改好㗎。
何嘉欣 財務部 +852 2555 0123
"""
    head = common(
        encoded_words("何嘉欣", "big5") + " <ho.kayan@kayan-trading.example.hk>",
        encoded_words("審計報告應收賬款數字錯咗", "big5", "big5hkscs"),
        "Mon, 9 Mar 2026 16:20:03 +0800",
        "<001a01dcaf9b$2c3d4e50$8697a8b0$@kayan-trading.example.hk>",
        "4R9a0XNxYzz9t0N",
        host="mail.kayan-trading.example.hk",
    ) + [
        'Content-Type: text/plain;\r\n\tcharset="big5"',
        "Content-Transfer-Encoding: base64",
    ]
    return entity(head, b64_body(crlf(text).encode("big5hkscs"))), {
        "subject_contains": "應收賬款數字錯咗",
        "body_contains": [
            "你哋份審計報告第5頁嘅應收賬款數字錯咗",
            "改好㗎",
            "港幣1,250,000元",
        ],
        "from_name": "何嘉欣",
        "note": "Labelled big5, but the Cantonese characters 哋 嘅 咗 㗎 are "
        "only in Big5-HKSCS (e.g. 嘅 = 9D EF), in the body and the subject. "
        "Decode big5 labels as big5hkscs (a superset); plain big5/cp950 gives "
        "U+FFFD.",
    }


CASES = [
    gb2312_label_gbk_chars_base64,
    html_only,
    docx_attachment_one_line_body,
    forward_inline_original,
    forward_attached_rfc822,
    reply_with_quoted_history,
    subject_gb2312_label_gb18030_fourbyte,
    gbk_8bit_no_cte,
    charset_x_gbk,
    charset_windows_936,
    gb2312_char_split_across_encoded_words,
    filename_raw_gbk_bytes,
    filename_rfc2231_gb2312_gbk_chars,
    base64_two_padded_chunks,
    cte_trailing_space,
    nul_bytes_in_text,
    rfc822_no_disposition,
    empty_plain_beside_html,
    exchange_bracket_message_id,
    absurd_date_year,
    semicolon_header,
    many_parts,
    big5_hkscs,
]


# --------------------------------------------------------------------------
# --check: what Python's own email package makes of each fixture
# --------------------------------------------------------------------------


def stdlib_report(path: Path, want: dict) -> list[str]:
    """Expectations that email (policy.default, get_body) does not meet."""
    import email
    from email import policy

    problems = []
    started = time.monotonic()
    msg = email.message_from_bytes(path.read_bytes(), policy=policy.default)

    def attempt(label, func):
        try:
            return func()
        except Exception as exc:  # noqa: BLE001 - reporting, not handling
            problems.append(f"{label}: {type(exc).__name__}: {exc}"[:120])
            return None

    subject = attempt("Subject", lambda: str(msg["Subject"]))
    if subject is not None and want["subject_contains"] not in subject:
        problems.append(f"subject is {subject!r}")
    part = attempt("get_body", lambda: msg.get_body(("plain", "html")))
    body = attempt("get_content", part.get_content) if part is not None else None
    if part is None:
        problems.append("get_body found no text part")
    elif isinstance(body, str):
        missing = [s for s in want["body_contains"] if s not in body]
        if missing:
            problems.append(f"body lacks {missing}")
        if part.get_content_type() == "text/html":
            problems.append("body is raw HTML")
        bad = [s for s in want.get("body_not_contains", []) if s in body]
        if bad:
            problems.append(f"body contains {bad!r}")
    if "from_name" in want:
        name = attempt("From", lambda: msg["From"].addresses[0].display_name)
        if name is not None and name != want["from_name"]:
            problems.append(f"from_name is {name!r}")
    if "attachments" in want:
        names = attempt(
            "attachments",
            lambda: [a.get_filename() for a in msg.iter_attachments()],
        )
        if names is not None and names != want["attachments"]:
            problems.append(f"attachments are {names!r}")
    if "message_id" in want:
        attempt("Message-ID", lambda: str(msg["Message-ID"]))
    if "date" in want:
        attempt("Date", lambda: msg["Date"].datetime)
    elapsed = time.monotonic() - started
    if elapsed > 2:
        problems.append(f"took {elapsed:.1f} s")
    return problems


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, default=HERE)
    parser.add_argument(
        "--check", action="store_true", help="report what Python's email gets wrong"
    )
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    expected = {}
    for case in CASES:
        raw, want = case()
        name = f"{case.__name__}.eml"
        (args.out / name).write_bytes(raw)
        expected[name] = want
        print(f"{name:48} {len(raw):9d} bytes")
    text = json.dumps(expected, ensure_ascii=False, indent=2) + "\n"
    (args.out / "expected.json").write_text(text, encoding="utf-8")
    if args.check:
        print()
        for name, want in expected.items():
            problems = stdlib_report(args.out / name, want)
            verdict = "; ".join(problems) if problems else "ok"
            print(f"{name}: {verdict}")


if __name__ == "__main__":
    main()
