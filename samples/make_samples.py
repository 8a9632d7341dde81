#!/usr/bin/env python3
"""Write the bundled sample mailbox, samples/mailbox/NN-short-name.eml.

Usage:
    .venv/bin/python samples/make_samples.py [--out DIR]

Every message is assembled byte by byte, the way the mail client named in its
headers (Outlook, Foxmail, QQ/Exmail, Apple Mail, Thunderbird, iPhone Mail,
Exchange auto-replies, a bulk mailer...) really writes it: CRLF line ends,
folded headers, RFC 2047 encoded-words, RFC 2231 parameters, base64 at 76
columns, quoted-printable with soft breaks, and the charset labels Chinese
clients actually use -- including the common lie of labelling GBK bytes as
gb2312.  Nothing goes through email.generator, which would normalise exactly
the quirks a parser has to survive.

Output is deterministic (fixed dates, boundaries, ids and .docx zip
timestamps), so re-running the script reproduces the committed files byte
for byte.  All companies, people, addresses and phone numbers are fictional.

Needs only the standard library and python-docx.
"""

from __future__ import annotations

import argparse
import base64
import datetime as dt
import html
import io
import math
import urllib.parse
import zipfile
from email import quoprimime
from pathlib import Path

import docx
from docx.shared import Pt

CRLF = b"\r\n"
CST = dt.timezone(dt.timedelta(hours=8))
FIRM = "明衡会计师事务所"
MX = "mx1.firm.example"
_DAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
_MONTHS = [
    "Jan",
    "Feb",
    "Mar",
    "Apr",
    "May",
    "Jun",
    "Jul",
    "Aug",
    "Sep",
    "Oct",
    "Nov",
    "Dec",
]


# --------------------------------------------------------------------------
# Low-level helpers: dates, encoded-words, bodies, MIME assembly
# --------------------------------------------------------------------------


def t(day: int, hh: int, mm: int, ss: int, month: int = 3) -> dt.datetime:
    return dt.datetime(2026, month, day, hh, mm, ss, tzinfo=CST)


def rfc_date(when: dt.datetime) -> str:
    """'Mon, 2 Mar 2026 09:12:45 +0800' (no leading zero, as most clients)."""
    return (
        f"{_DAYS[when.weekday()]}, {when.day} {_MONTHS[when.month - 1]} "
        f"{when.year} {when:%H:%M:%S} +0800"
    )


def postfix_date(when: dt.datetime) -> str:
    """Postfix pads the day with a space: 'Mon,  2 Mar 2026 ... (CST)'."""
    return (
        f"{_DAYS[when.weekday()]}, {when.day:2d} {_MONTHS[when.month - 1]} "
        f"{when.year} {when:%H:%M:%S} +0800 (CST)"
    )


def received(
    host: str, ip: str, queue_id: str, when: dt.datetime, tls: bool = True
) -> str:
    """The Received header our MX (Postfix) puts at the top."""
    proto = "ESMTPS" if tls else "ESMTP"
    return (
        f"Received: from {host} ({host} [{ip}])\r\n"
        f"\tby {MX} (Postfix) with {proto} id {queue_id}\r\n"
        f"\tfor <complaints@firm.example>; {postfix_date(when)}"
    )


def _q_bytes(data: bytes) -> str:
    out = []
    for byte in data:
        ch = chr(byte)
        if ch == " ":
            out.append("_")
        elif ch.isascii() and (ch.isalnum() or ch in "!*+-/"):
            out.append(ch)
        else:
            out.append(f"={byte:02X}")
    return "".join(out)


def encoded_words(
    text: str,
    charset: str,
    enc: str = "B",
    codec: str | None = None,
    fold: str = "\r\n\t",
) -> str:
    """RFC 2047 encoded-words, split between characters so that each word
    stays within 75 columns, joined with a folding whitespace."""
    codec = codec or charset
    room = 75 - len(charset) - 7

    def size(chunk: str) -> int:
        raw = chunk.encode(codec)
        if enc == "B":
            return 4 * math.ceil(len(raw) / 3)
        return len(_q_bytes(raw))

    def word(chunk: str) -> str:
        raw = chunk.encode(codec)
        body = base64.b64encode(raw).decode() if enc == "B" else _q_bytes(raw)
        return f"=?{charset}?{enc}?{body}?="

    words, chunk = [], ""
    for ch in text:
        if chunk and size(chunk + ch) > room:
            words.append(word(chunk))
            chunk = ch
        else:
            chunk += ch
    words.append(word(chunk))
    return fold.join(words)


def mailbox(
    name: str,
    addr: str,
    charset: str,
    enc: str = "B",
    codec: str | None = None,
    quoted: bool = False,
) -> str:
    """'=?cs?B?..?= <addr>'; Foxmail and QQ put the encoded-word in quotes,
    which RFC 2047 forbids but every Chinese mailbox receives daily."""
    words = encoded_words(name, charset, enc, codec, fold=" ")
    return f'"{words}" <{addr}>' if quoted else f"{words} <{addr}>"


def crlf(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\n", "\r\n")


def b64_body(data: bytes, width: int = 76) -> bytes:
    enc = base64.b64encode(data)
    lines = [enc[i : i + width] for i in range(0, len(enc), width)]
    return CRLF.join(lines) + CRLF


def qp_body(data: bytes) -> bytes:
    """Quoted-printable with '=' soft breaks at 76 columns and CRLF ends."""
    text = quoprimime.body_encode(data.decode("latin-1"), maxlinelen=76, eol="\r\n")
    return text.encode("latin-1") + CRLF


def headers(items: list[str | bytes]) -> bytes:
    out = []
    for item in items:
        if isinstance(item, str):
            item.encode("ascii")  # raw non-ASCII must be passed as bytes
            item = item.encode("ascii")
        out.append(item)
    return CRLF.join(out) + CRLF


def entity(head: list[str | bytes], body: bytes) -> bytes:
    return headers(head) + CRLF + body


def multipart(
    boundary: str,
    parts: list[bytes],
    preamble: str | None = "This is a multi-part message in MIME format.",
) -> bytes:
    out = b""
    if preamble is not None:
        out += preamble.encode("ascii") + CRLF + CRLF
    for part in parts:
        out += b"--" + boundary.encode("ascii") + CRLF + part + CRLF
    out += b"--" + boundary.encode("ascii") + b"--" + CRLF
    return out


# --------------------------------------------------------------------------
# Client-flavoured HTML renderings of a plain-text body
# --------------------------------------------------------------------------


def outlook_html(text: str, charset: str) -> str:
    paras = []
    for line in text.split("\n"):
        body = html.escape(line) if line else "<o:p>&nbsp;</o:p>"
        paras.append(
            f"<p class=MsoNormal><span style='font-family:DengXian'>"
            f"{body}<o:p></o:p></span></p>"
        )
    return (
        '<html xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-'
        'microsoft-com:office:office" xmlns:w="urn:schemas-microsoft-com:'
        'office:word" xmlns="http://www.w3.org/TR/REC-html40"><head>'
        f'<meta http-equiv=Content-Type content="text/html; charset={charset}">'
        '\n<meta name=Generator content="Microsoft Word 15 (filtered medium)">'
        "\n<style><!--\n/* Font Definitions */\n@font-face\n\t{font-family:"
        "DengXian;\n\tpanose-1:2 1 6 0 3 1 1 1 1 1;}\np.MsoNormal\n\t{margin:"
        "0cm;\n\ttext-align:justify;\n\tfont-size:10.5pt;\n\tfont-family:"
        'DengXian;}\n--></style></head><body lang=ZH-CN link="#0563C1" '
        "vlink=\"#954F72\" style='text-justify-trim:punctuation'>"
        "<div class=WordSection1>" + "".join(paras) + "</div></body></html>\n"
    )


def foxmail_html(text: str, charset: str) -> str:
    lines = "".join(
        f"<div>{html.escape(x) if x else '&nbsp;'}</div>" for x in text.split("\n")
    )
    return (
        f'<html><head>\n<meta http-equiv="content-type" content="text/html; '
        f'charset={charset}"><style>body {{ line-height: 1.5; }} body {{ '
        'font-size: 14px; font-family: "Microsoft YaHei UI"; color: rgb(0, 0, '
        "0); line-height: 1.5; }}</style></head><body>\n"
        f"<div><span></span></div>{lines}\n"
        '<hr style="width: 210px; height: 1px;" color="#b5c4df" size="1" '
        'align="left">\n</body></html>\n'
    )


def alternative(
    boundary: str,
    text: str,
    html_text: str,
    charset: str,
    codec: str | None = None,
    fold_params: bool = True,
    cte: str = "base64",
) -> bytes:
    """multipart/alternative body with a text/plain and a text/html part."""
    codec = codec or charset
    sep = ";\r\n\tcharset=" if fold_params else "; charset="

    def one(subtype: str, content: str) -> bytes:
        raw = crlf(content).encode(codec)
        body = b64_body(raw) if cte == "base64" else qp_body(raw)
        return entity(
            [
                f'Content-Type: text/{subtype}{sep}"{charset}"',
                f"Content-Transfer-Encoding: {cte}",
            ],
            body,
        )

    return multipart(boundary, [one("plain", text), one("html", html_text)])


# --------------------------------------------------------------------------
# A deterministic .docx made with python-docx
# --------------------------------------------------------------------------


def make_docx(
    title: str, paragraphs: list[str], author: str, when: dt.datetime
) -> bytes:
    document = docx.Document()
    style = document.styles["Normal"]
    style.font.name = "SimSun"
    style.font.size = Pt(12)
    document.add_heading(title, level=1)
    for text in paragraphs:
        document.add_paragraph(text)
    props = document.core_properties
    naive = when.astimezone(dt.UTC).replace(tzinfo=None)
    props.author = author
    props.last_modified_by = author
    props.title = title
    props.created = naive
    props.modified = naive
    props.revision = 3
    buf = io.BytesIO()
    document.save(buf)
    # python-docx stamps every zip member with the current time; rewrite the
    # archive with a fixed time so the output is reproducible.
    stamp = (when.year, when.month, when.day, when.hour, when.minute, 0)
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(buf.getvalue())) as zin,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout,
    ):
        for info in zin.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=stamp)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = info.external_attr
            zout.writestr(fixed, zin.read(info.filename))
    return out.getvalue()


def rfc2231_continuations(
    param: str, value: str, charset: str = "UTF-8", width: int = 60
) -> str:
    """Thunderbird-style 'filename*0*=UTF-8''%..; filename*1*=%..' lines."""
    quoted = urllib.parse.quote(value.encode(charset.lower()), safe="")
    # tokens are single ASCII characters or whole %XX escapes
    tokens, i = [], 0
    while i < len(quoted):
        step = 3 if quoted[i] == "%" else 1
        tokens.append(quoted[i : i + step])
        i += step
    pieces, piece = [], ""
    for token in tokens:
        if piece and len(piece) + len(token) > width:
            pieces.append(piece)
            piece = ""
        piece += token
    pieces.append(piece)
    lines = []
    for n, piece in enumerate(pieces):
        prefix = f"{charset}''" if n == 0 else ""
        lines.append(f" {param}*{n}*={prefix}{piece}")
    return ";\r\n".join(lines)


# --------------------------------------------------------------------------
# Shared texts
# --------------------------------------------------------------------------

SIG_CHENRONG = """陈镕
浙江喆和科技股份有限公司 财务经理
电话：0571-8800 0000  手机：13800001234
地址：杭州市滨江区长河路88号喆和大厦6楼"""

BODY_01 = f"""王经理：

您好！我司今天收到贵所出具的2025年度审计报告（明衡审字[2026]第0318号）正式版，核对后发\
现以下问题：

1. 第7页财务报表附注三（二）中，“应收帐款”应为“应收账款”，同一段还有一处“帐龄”；
2. 第7页页脚页码显示为“6”，与目录不一致。

报告需要在3月6日前报送开户银行，请尽快更正后重新出具，更正后的电子版请先发我确认。

谢谢！

{SIG_CHENRONG}
"""

SUBJECT_01 = "2025年度审计报告第7页错别字及页码问题"
MSGID_01 = "<000001dca9b2$5c1e4f30$145aed90$@zhehe-tech.example.cn>"


# --------------------------------------------------------------------------
# The messages
# --------------------------------------------------------------------------


def m01_typo_page_gb2312() -> bytes:
    """Outlook, charset label gb2312 but cp936 (GBK) bytes: 镕 and 喆."""
    when = t(2, 9, 12, 45)
    bnd = "----=_NextPart_000_0001_01DCA9F5.6A81D640"
    head = [
        received(
            "mail.zhehe-tech.example.cn",
            "203.0.113.25",
            "4R2mKx3Zq1z9sXY",
            when + dt.timedelta(seconds=4),
        ),
        "From: "
        + mailbox("陈镕", "chenrong@zhehe-tech.example.cn", "gb2312", codec="gbk"),
        "To: <complaints@firm.example>",
        "Cc: " + mailbox("王建国", "wangjg@firm.example", "gb2312"),
        "Subject: " + encoded_words(SUBJECT_01, "gb2312"),
        f"Date: {rfc_date(when)}",
        f"Message-ID: {MSGID_01}",
        "MIME-Version: 1.0",
        f'Content-Type: multipart/alternative;\r\n\tboundary="{bnd}"',
        "X-Mailer: Microsoft Outlook 16.0",
        "Thread-Index: AdypsliLv2Q3mW8eQ8aYk0b3xZ1s2A==",
        "Content-Language: zh-cn",
    ]
    body = alternative(
        bnd, BODY_01, outlook_html(BODY_01, "gb2312"), "gb2312", codec="gbk"
    )
    return entity(head, body)


def m02_wrong_address_gbk_8bit() -> bytes:
    """Old in-house mail system: GBK 8-bit body, no Content-Transfer-Encoding."""
    when = t(2, 10, 35, 27)
    text = """王经理：

贵所出具的审计报告（明衡审字[2026]第0275号）首页和附注一“公司基本情况”中，我司注册地址\
写成了“广州市天河区禾丰路101号1302室”，正确的是“1203室”，与营业执照不一致，开户银行不\
接受。

请按营业执照更正后重新出具报告。营业执照扫描件之前已经发给项目组了。

谢谢！
刘珺
广州市粤禾食品有限公司 财务主管 13800002345
"""
    head = [
        received(
            "oa.yuehe-food.example.cn",
            "198.51.100.40",
            "4R2nQw0Hd7z9sZb",
            when + dt.timedelta(seconds=2),
            tls=False,
        ),
        "Date: " + rfc_date(when),
        "From: " + mailbox("刘珺", "liujun@yuehe-food.example.cn", "GBK", "Q"),
        "To: complaints@firm.example",
        "Subject: " + encoded_words("审计报告上的公司地址写错了，请更正", "GBK"),
        "Message-ID: <20260302103527.5E1C3A0412@oa.yuehe-food.example.cn>",
        "MIME-Version: 1.0",
        "Content-Type: text/plain; charset=GBK",
    ]
    return entity(head, crlf(text).encode("gbk"))


def m03_missing_confirmations_gb18030() -> bytes:
    """Apple Mail on a Mac: GB18030 label, base64; 二级 missing 函证."""
    when = t(2, 14, 48, 9)
    text = """明衡会计师事务所：

我是苏州澄川精密机械有限公司内审部负责人。我们在复核贵所2025年度审计工作底稿时发现以下\
问题：

1. 应收账款函证：前五大客户中有三家未发函询证，这三家的余额占应收账款总额的41%，底稿里\
只有销售合同和发票复印件，也没有记录任何替代程序；
2. 银行函证：公司共有7个银行账户（含2个年内已注销的账户），只对基本户发了询证函，其余6\
个账户均未函证。

函证是审计的核心程序，缺失这些程序让我们无法信赖审计结论。请贵所于3月6日前：
（1）书面说明未执行上述函证的原因；
（2）补充执行函证程序，并告知对审计意见的影响。

杨静
苏州澄川精密机械有限公司 内审部经理
电话：0512-6500 0000 转 8012
手机：13800003456
"""
    head = [
        received(
            "smtp.chengchuan.example.cn",
            "192.0.2.61",
            "4R2wB51Tc0z9sbM",
            when + dt.timedelta(seconds=3),
        ),
        "From: " + mailbox("杨静", "yangjing@chengchuan.example.cn", "gb18030"),
        "Content-Type: text/plain;\r\n\tcharset=gb18030",
        "Content-Transfer-Encoding: base64",
        "Mime-Version: 1.0 (Mac OS X Mail 16.0 \\(3776.700.51\\))",
        "Subject: "
        + encoded_words(
            "关于贵所2025年度审计未执行函证程序的问题", "gb18030", fold="\r\n "
        ),
        "Message-Id: <6F1B2C8E-4D3A-4B7E-9C21-8A5D3E7F1B20@chengchuan.example.cn>",
        "Date: " + rfc_date(when),
        "To: complaints@firm.example",
        "X-Mailer: Apple Mail (2.3776.700.51)",
    ]
    return entity(head, b64_body(crlf(text).encode("gb18030")))


def m04_cfo_fee_reduction_utf8_qp() -> bytes:
    """Outlook with UTF-8 quoted-printable parts and a Q-encoded subject."""
    when = t(3, 8, 56, 40)
    text = """明衡会计师事务所 张合伙人、王经理：

作为公司财务总监，我对贵所本年度的审计服务非常不满意：

1. 进度严重滞后：合同约定2月28日前出具审计报告，至今仍未定稿，直接影响我司向股东会报送\
年度财务报告；
2. 项目组人员频繁更换：现场负责人先后换了三次，同样的资料我们被要求重复提供了至少两次；
3. 沟通不畅：我司2月中旬提出的调整意见，至今没有书面回复。

为此，我司要求：
一、本年度审计费用（合同金额人民币480,000元）下调20%；
二、3月13日前出具正式审计报告；
三、更换现场负责人，由有经验的经理全程负责。

请于3月5日前书面回复。

周立群
财务总监
上海瀚舟物流股份有限公司
电话：021-6800 0000  手机：13800004567
"""
    bnd = "----=_NextPart_000_0012_01DCAA0A.19B16C30"
    head = [
        received(
            "mail.hanzhou-logistics.example.com",
            "198.51.100.77",
            "4R3NfZ6vGbz9sdP",
            when + dt.timedelta(seconds=5),
        ),
        "From: " + mailbox("周立群", "zhoulq@hanzhou-logistics.example.com", "utf-8"),
        "To: <complaints@firm.example>",
        "Cc: " + mailbox("王建国", "wangjg@firm.example", "utf-8", "Q"),
        "Subject: "
        + encoded_words("关于2025年度审计服务质量及审计费用的意见", "utf-8", "Q"),
        "Date: " + rfc_date(when),
        ("Message-ID: <001201dca9c7$0b8e2a10$22aa7e30$@hanzhou-logistics.example.com>"),
        "MIME-Version: 1.0",
        f'Content-Type: multipart/alternative;\r\n\tboundary="{bnd}"',
        "X-Mailer: Microsoft Outlook 16.0",
        "Thread-Index: AdyqCgtZ3c1xYk2vSSaD2dGjqk7pTg==",
        "Content-Language: zh-cn",
    ]
    body = alternative(
        bnd, text, outlook_html(text, "utf-8"), "utf-8", cte="quoted-printable"
    )
    return entity(head, body)


def m05_hk_stocktake_big5() -> bytes:
    """Hong Kong Outlook: Traditional Chinese in Big5, HKD amount, 二级."""
    when = t(3, 11, 20, 3)
    text = """明衡會計師事務所 王經理：

本公司董事會於3月2日審閱貴所提交之2025年度審計報告初稿時，發現貴所項目組並未於2025年12\
月31日派員出席本公司深圳附屬公司之存貨監盤，工作底稿中僅以倉庫照片及管理層提供之盤點表\
代替。該附屬公司存貨賬面值約為港幣8,600,000元，佔集團總資產逾三成。

本公司董事會對此表示嚴重關注，並要求：
一、貴所於三個工作日內提供書面解釋，說明未執行監盤之原因及已執行之替代程序；
二、安排項目合夥人於下星期內與本公司董事會會面；
三、在問題釐清前，暫停出具正式審計報告。

如有疑問，請致電本人。

梁志恆
財務總監
恆晉貿易有限公司
電話：+852 2555 0188  傳真：+852 2555 0189
香港九龍觀塘開源道18號12樓
"""
    bnd = "----=_NextPart_000_0008_01DCAAA1.8F4E2B60"
    head = [
        received(
            "mail.hangchun-trading.example.hk",
            "203.0.113.140",
            "4R3TlW2kqLz9sfR",
            when + dt.timedelta(seconds=6),
        ),
        "From: "
        + mailbox("梁志恆", "leung.chihang@hangchun-trading.example.hk", "big5"),
        "To: <complaints@firm.example>",
        "Subject: " + encoded_words("有關2025年度審計未有進行存貨監盤之投訴", "big5"),
        "Date: " + rfc_date(when),
        ("Message-ID: <000801dcaa5e$7d3c1b20$77b45160$@hangchun-trading.example.hk>"),
        "MIME-Version: 1.0",
        f'Content-Type: multipart/alternative;\r\n\tboundary="{bnd}"',
        "X-Mailer: Microsoft Outlook 16.0",
        "Thread-Index: AdyqXn08G1p0Vt7lRtqP3Wc1B9nTkQ==",
        "Content-Language: zh-hk",
    ]
    body = alternative(bnd, text, outlook_html(text, "big5"), "big5")
    return entity(head, body)


def m06_misstatement_html_only() -> bytes:
    """A single text/html part, no text/plain alternative; 二级 amount."""
    when = t(3, 16, 5, 31)
    page = """\
<html><head><meta http-equiv="Content-Type" content="text/html; charset=utf-8">
<style>body{font-family:"Microsoft YaHei",sans-serif;font-size:14px;}
table{border-collapse:collapse;}td{border:1px solid #999;padding:4px 8px;}</style>
</head><body>
<div>王经理：</div><div><br></div>
<div>我们在年报披露前复核时发现，贵所审计调整分录&nbsp;AJE-12&nbsp;对存货跌价准备多计\
提了人民币<b>6,320,000.00</b>元，导致归属于母公司股东的净利润少计同等金额。具体如下：<\
/div>
<table>
<tr><td>项目</td><td>我司测算（元）</td><td>贵所调整后（元）</td><td>差异（元）</td></\
tr>
<tr><td>存货跌价准备</td><td>4,150,000.00</td><td>10,470,000.00</td><td>6,320,000.00</\
td></tr>
</table>
<div><br></div>
<div>该调整事前没有与我们沟通，所依据的可变现净值测算也没有提供给我们。632万元已经超过\
重要性水平，属于重要错报，我们无法接受。</div>
<div>请贵所项目合伙人于3月10日前给出书面复核意见，并重新出具审计报告。</div>
<div><br></div>
<div>唐敏</div>
<div>成都蜀源新材料股份有限公司&nbsp;财务部&nbsp;会计主管</div>
<div>电话：028-8600&nbsp;0000&nbsp;&nbsp;手机：13800005678</div>
</body></html>
"""
    head = [
        received(
            "mx.shuyuan-materials.example.cn",
            "192.0.2.88",
            "4R3hZs0QdVz9shT",
            when + dt.timedelta(seconds=2),
        ),
        "Date: " + rfc_date(when),
        "From: " + mailbox("唐敏", "tangmin@shuyuan-materials.example.cn", "UTF-8"),
        "To: complaints@firm.example",
        "Subject: "
        + encoded_words(
            "存货跌价准备审计调整金额有误，影响年报披露", "UTF-8", fold="\r\n "
        ),
        (
            "Message-ID: <1772525131.8842.1a2b3c4d5e6f@mail.shuyuan-materials"
            ".example.cn>"
        ),
        "MIME-Version: 1.0",
        'Content-Type: text/html; charset="UTF-8"',
        "Content-Transfer-Encoding: base64",
    ]
    return entity(head, b64_body(crlf(page).encode("utf-8")))


def m07_lawyer_letter_docx() -> bytes:
    """Thunderbird: one-line body, the complaint is a .docx lawyer's letter
    whose Chinese filename is RFC 2231-encoded with continuations."""
    when = t(4, 9, 40, 12)
    letter = make_docx(
        "律师函",
        [
            "（2026）启衡律函字第027号",
            "致：明衡会计师事务所（特殊普通合伙）",
            (
                "北京启衡律师事务所（以下简称“本所”）接受深圳市鹏远电子有限公司"
                "（以下简称“委托人”）的委托，就贵所出具的《深圳市鹏远电子有限公司"
                "2024年度审计报告》（明衡审字[2025]第0562号）相关事宜，郑重致函如下："
            ),
            (
                "一、经委托人核查，上述审计报告对委托人子公司东莞鹏远精密制造有限公司"
                "的存货未实施监盘，亦未执行替代程序，致使存货账实不符的问题未被发现。"
            ),
            (
                "二、委托人依据该审计报告向银行申请的综合授信因上述问题被撤销，由此产生"
                "提前还款违约金、融资成本增加等直接经济损失共计人民币3,860,000元。"
            ),
            (
                "三、本所律师认为，贵所未勤勉尽责，应依法承担赔偿责任。现要求贵所自收到"
                "本函之日起七日内：1. 向委托人书面说明情况；2. 赔偿上述经济损失人民币"
                "3,860,000元。"
            ),
            (
                "逾期未获答复，委托人将依法向人民法院提起诉讼，并向中国注册会计师协会"
                "投诉，由此产生的一切法律后果由贵所承担。"
            ),
            "北京启衡律师事务所    律师：何思远    电话：010-8500 0000",
            "2026年3月3日",
        ],
        author="何思远",
        when=t(3, 17, 30, 0),
    )
    filename = "律师函-关于鹏远电子2024年度审计报告.docx"
    bnd = "------------8Fk2JqO0b7XcV1sE3mYzQ4hA"
    ctype = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    name_words = encoded_words(filename, "UTF-8", fold=" ")
    attachment = entity(
        [
            f'Content-Type: {ctype};\r\n name="{name_words}"',
            "Content-Disposition: attachment;\r\n"
            + rfc2231_continuations("filename", filename),
            "Content-Transfer-Encoding: base64",
        ],
        b64_body(letter, width=72),
    )
    text_part = entity(
        [
            "Content-Type: text/plain; charset=UTF-8; format=flowed",
            "Content-Transfer-Encoding: 8bit",
        ],
        "详见附件\r\n".encode(),
    )
    head = [
        received(
            "mail.pengyuan-elec.example.cn",
            "203.0.113.9",
            "4R47cM1yNnz9sjV",
            when + dt.timedelta(seconds=3),
        ),
        'Content-Type: multipart/mixed; boundary="' + bnd + '"',
        ("Message-ID: <8c4f2a71-3e5d-4b9a-a6e2-5f0d1c7b9e34@pengyuan-elec.example.cn>"),
        "Date: " + rfc_date(when),
        "MIME-Version: 1.0",
        "User-Agent: Mozilla Thunderbird",
        "Content-Language: zh-CN",
        "To: complaints@firm.example",
        "From: " + mailbox("杨帆", "yangfan@pengyuan-elec.example.cn", "UTF-8"),
        "Subject: "
        + encoded_words(
            "关于贵所出具的2024年度审计报告的律师函", "UTF-8", fold="\r\n "
        ),
    ]
    return entity(head, multipart(bnd, [text_part, attachment]))


def m08_media_threat_forward_inline() -> bytes:
    """QQ/Exmail forward by a staff member, original inline; 三级 (微博)."""
    when = t(4, 15, 52, 16)
    original = """李经理：

这是我第三次写邮件催促了。贵所承诺2月底前出具2025年度审计报告，到今天已经拖了一周，项\
目组每次都说“在走复核流程”，却给不出具体时间。我们的融资材料3月10日必须提交，报告迟迟\
出不来，已经影响了与投资方的谈判。

我们要求贵所在本周五（3月6日）下班前出具正式报告，并由合伙人给我们一个书面说明。如果到\
时候还是没有结果，我们会把整个经过发到微博和行业群里，让同行都看看贵所是怎么做事的。

郑海燕
厦门鹭禾文旅发展有限公司 总经理助理
手机：13800006789"""
    note = """\
客户厦门鹭禾文旅发展有限公司郑海燕（总经理助理）来信，情绪很激动，提到要发微博。我已电\
话沟通，客户不接受解释。转投诉邮箱，请执行小组尽快跟进。

李婷
明衡会计师事务所 客户服务部
手机：13800007001
"""
    orig_subject = "关于2025年度审计报告迟迟未出具的严重不满"
    fields = [
        ("发件人", '"郑海燕"<zhenghy@luhe-travel.example.cn>;'),
        ("发送时间", "2026年3月4日(星期三) 下午3:27"),
        ("收件人", '"李婷"<liting@firm.example>;'),
        ("抄送", '"王建国"<wangjg@firm.example>;'),
        ("主题", orig_subject),
    ]
    text = (
        note
        + "\n\n------------------ 原始邮件 ------------------\n"
        + "".join(f"{k}: {v}\n" for k, v in fields)
        + "\n"
        + original
        + "\n"
    )
    quoted_html = "".join(
        f"<div><b>{k}:</b>&nbsp;{html.escape(v)}</div>" for k, v in fields
    )
    orig_html = "".join(
        f"<div>{html.escape(x) if x else '<br>'}</div>" for x in original.split("\n")
    )
    note_html = "".join(
        f"<div>{html.escape(x) if x else '<br>'}</div>" for x in note.split("\n")
    )
    page = (
        '<meta http-equiv="Content-Type" content="text/html; charset=GB18030">'
        f"{note_html}<div><br></div>"
        '<div style="font-size: 12px;font-family: Arial Narrow;padding:2px 0 '
        '2px 0;">------------------&nbsp;原始邮件&nbsp;------------------</div>'
        '<div style="font-size: 12px;background:#efefef;padding:8px;">'
        f"{quoted_html}</div><div><br></div>{orig_html}\n"
    )
    bnd = "----=_NextPart_69A7E4F0_0C2B7D38_5A1E3C29"
    head = [
        received(
            "smtp.firm.example",
            "192.0.2.10",
            "4R4MzJ5xq8z9slX",
            when + dt.timedelta(seconds=1),
        ),
        "X-QQ-mid: bizesmtp32t1772610736t7k2m9pq",
        "From: " + mailbox("李婷", "liting@firm.example", "gb18030", quoted=True),
        "To: " + mailbox("投诉邮箱", "complaints@firm.example", "gb18030", quoted=True),
        "Subject: " + encoded_words("转发：" + orig_subject, "gb18030"),
        "Mime-Version: 1.0",
        f'Content-Type: multipart/alternative;\r\n\tboundary="{bnd}"',
        "Content-Transfer-Encoding: 8Bit",
        "Date: " + rfc_date(when),
        "X-Priority: 3",
        "Message-ID: <tencent_6B2F8C1D4E5A7B9C0D1E2F3A4B5C@firm.example>",
        "X-QQ-MIME: TCMime 1.0 by Tencent",
        "X-Mailer: QQMail 2.x",
        "X-QQ-Mailer: QQMail 2.x",
    ]
    body = multipart(
        bnd,
        [
            entity(
                [
                    'Content-Type: text/plain;\r\n\tcharset="gb18030"',
                    "Content-Transfer-Encoding: base64",
                ],
                b64_body(crlf(text).encode("gb18030")),
            ),
            entity(
                [
                    'Content-Type: text/html;\r\n\tcharset="gb18030"',
                    "Content-Transfer-Encoding: base64",
                ],
                b64_body(crlf(page).encode("gb18030")),
            ),
        ],
    )
    return entity(head, body)


def m09_regulator_forward_attached() -> bytes:
    """Outlook 'forward as attachment': the client's mail is a message/rfc822
    part (GBK, Coremail); 三级 regulator investigation."""
    when = t(5, 8, 31, 4)
    inner_when = t(5, 8, 5, 47)
    inner_text = """赵经理：

我公司于3月4日收到中国证券监督管理委员会安徽监管局送达的《立案告知书》，因公司2024年年\
度报告涉嫌信息披露违法违规，证监局决定对公司立案调查。

从调查人员的问询内容看，问题集中在2024年度收入确认和应收账款坏账准备，这两项正是贵所审\
计报告中的关键审计事项，而贵所当时出具的是标准无保留意见。我们认为贵所在审计过程中未能\
发现并提示相关风险，对公司目前的处境负有不可推卸的责任。

请贵所：
1. 3月6日前派项目合伙人到公司当面沟通；
2. 提供2024年度审计工作底稿目录，配合我们准备向证监局提交的说明材料。

公司保留追究贵所法律责任的权利。

方卫东
董事会秘书
安徽皖江化工股份有限公司
电话：0551-6300 0000  手机：13800008012
"""
    inner_subject = "紧急：关于我公司被证监局立案调查事宜"
    inner_bnd = "----=_Part_428771_1609423380.1772669147215"
    inner = entity(
        [
            "Received: from wanjiang-chem.example.cn (unknown [198.51.100.23])\r\n"
            "\tby EXCH01.firm.example with ESMTPS; " + rfc_date(inner_when),
            "Date: " + rfc_date(inner_when),
            "From: " + mailbox("方卫东", "fangwd@wanjiang-chem.example.cn", "GBK"),
            "To: " + mailbox("赵磊", "zhaolei@firm.example", "GBK"),
            (
                "Message-ID: <4f1e2a3b.6c7d.19c8e2a1b3f.Coremail.fangwd@wanjiang-chem"
                ".example.cn>"
            ),
            "Subject: " + encoded_words(inner_subject, "GBK", fold="\r\n "),
            "MIME-Version: 1.0",
            'Content-Type: multipart/alternative; \r\n\tboundary="' + inner_bnd + '"',
            (
                "X-Mailer: Coremail Webmail Server Version XT5.0.14 build 20230109"
                "(dcb5de15)"
            ),
        ],
        multipart(
            inner_bnd,
            [
                entity(
                    [
                        "Content-Type: text/plain; charset=GBK",
                        "Content-Transfer-Encoding: base64",
                    ],
                    b64_body(crlf(inner_text).encode("gbk")),
                ),
                entity(
                    [
                        "Content-Type: text/html; charset=GBK",
                        "Content-Transfer-Encoding: base64",
                    ],
                    b64_body(crlf(foxmail_html(inner_text, "GBK")).encode("gbk")),
                ),
            ],
            preamble=None,
        ),
    )

    note = """应急执行小组：

附件是安徽皖江化工股份有限公司董秘方卫东今早发给我的邮件，客户被证监局立案调查，认为与\
我所2024年度审计有关，请按特大投诉处理。我已电话回复客户，会尽快安排合伙人联系。

赵磊
明衡会计师事务所 审计三部 高级经理
手机：13800009001
"""
    outer_bnd = "----=_NextPart_000_0041_01DCAC4E.2C3B7A10"
    alt_bnd = "----=_NextPart_001_0042_01DCAC4E.2C3B7A10"
    head = [
        received(
            "EXCH01.firm.example",
            "192.0.2.20",
            "4R4zP93Qxbz9snZ",
            when + dt.timedelta(seconds=2),
        ),
        "From: " + mailbox("赵磊", "zhaolei@firm.example", "utf-8"),
        "To: " + mailbox("投诉邮箱", "complaints@firm.example", "utf-8"),
        "Subject: " + encoded_words("转发: " + inner_subject, "utf-8"),
        "Date: " + rfc_date(when),
        "Message-ID: <a1b2c3d4e5f64789a0b1c2d3e4f5a6b7@EXCH01.firm.example>",
        "MIME-Version: 1.0",
        f'Content-Type: multipart/mixed;\r\n\tboundary="{outer_bnd}"',
        "X-Mailer: Microsoft Outlook 16.0",
        "Thread-Index: AdysTiw7fRBCk0xWTnOSb3vR2HcC0Q==",
        "Content-Language: zh-cn",
    ]
    alt = entity(
        [f'Content-Type: multipart/alternative;\r\n\tboundary="{alt_bnd}"'],
        alternative(alt_bnd, note, outlook_html(note, "utf-8"), "utf-8"),
    )
    attached = entity(
        ["Content-Type: message/rfc822", "Content-Disposition: attachment"], inner
    )
    return entity(head, multipart(outer_bnd, [alt, attached]))


def m10_reply_quoted_history() -> bytes:
    """Outlook reply in gb2312 quoted-printable: two new lines on top of an
    '-----Original Message-----' block that itself holds '> ' quotes and a
    legal disclaimer (法律责任) that must not raise the level."""
    when = t(5, 11, 47, 22)
    text = """王经理：
改后的版本附注第23页关联方名称还是不对，“南京禾盛医药销售有限公司”写成了“南京禾盛医药\
销售公司”，麻烦再改一下，今天下班前发我。
南京禾盛医药有限公司 财务部 吴倩 13800001357

-----Original Message-----
发件人: 王建国 <wangjg@firm.example> 
发送时间: 2026年3月5日 10:12
收件人: 吴倩 <wuqian@hesheng-pharma.example.cn>
抄送: 李婷 <liting@firm.example>
主题: Re: 答复: 审计报告附注几处笔误

吴会计，您好：

已按您指出的三处问题修改，更正后的报告电子版见附件，请查收确认。

王建国
明衡会计师事务所 审计二部 项目经理
电话：025-8300 0000

本邮件及其附件可能含有保密信息，仅供指定收件人使用。如您并非指定收件人，请立即通知发件\
人并删除本邮件，任何未经授权的使用、披露或复制均属违法，并可能承担法律责任。

在 2026/3/4 17:40, 吴倩 写道:
> 王经理：
> 报告附注有几处笔误：
> 1. 第12页固定资产附注中，“累计折旧”本期增加数与合计数对不上；
> 2. 第18页标题“应付职工薪酬”写成了“应付职工新酬”；
> 3. 第23页关联方名称有误。
> 麻烦尽快修改。
> 吴倩
"""
    bnd = "----=_NextPart_000_0057_01DCAC5B.A1F3E2C0"
    head = [
        received(
            "mail.hesheng-pharma.example.cn",
            "203.0.113.77",
            "4R5CtV7mHwz9sqB",
            when + dt.timedelta(seconds=4),
        ),
        "From: " + mailbox("吴倩", "wuqian@hesheng-pharma.example.cn", "gb2312"),
        "To: "
        + mailbox("王建国", "wangjg@firm.example", "gb2312")
        + ",\r\n\t<complaints@firm.example>",
        "References: <9d3c1f7a-2b4e-4c1d-8f0a-6e5b4c3d2a1f@firm.example>",
        "In-Reply-To: <9d3c1f7a-2b4e-4c1d-8f0a-6e5b4c3d2a1f@firm.example>",
        "Subject: " + encoded_words("答复: 答复: 审计报告附注几处笔误", "gb2312", "Q"),
        "Date: " + rfc_date(when),
        "Message-ID: <003101dcac3b$0e9d7a40$2bd86ec0$@hesheng-pharma.example.cn>",
        "MIME-Version: 1.0",
        f'Content-Type: multipart/alternative;\r\n\tboundary="{bnd}"',
        "X-Mailer: Microsoft Outlook 16.0",
        "Thread-Index: AQHcrDbP5Zx0tFmN7E2wZk1rC3YqGAADc2Hg",
        "Content-Language: zh-cn",
    ]
    body = alternative(
        bnd,
        text,
        outlook_html(text, "gb2312"),
        "gb2312",
        codec="gbk",
        cte="quoted-printable",
    )
    return entity(head, body)


def m11_follow_up_ts_ref() -> bytes:
    """The 01 complainant chases: reference number in the subject and
    In-Reply-To/References pointing at sample 01's Message-ID."""
    when = t(5, 16, 20, 38)
    quoted = BODY_01.rstrip("\n")
    text = f"""王经理：

我司3月2日反馈的审计报告问题（投诉编号：TS-2026-00001），至今未收到更正后的报告。银行\
要求3月6日前报送，时间很紧，请明天上午10点前给我一个明确答复。

{SIG_CHENRONG}

-----Original Message-----
发件人: 陈镕 <chenrong@zhehe-tech.example.cn> 
发送时间: 2026年3月2日 9:12
收件人: complaints@firm.example
抄送: 王建国 <wangjg@firm.example>
主题: {SUBJECT_01}

{quoted}
"""
    bnd = "----=_NextPart_000_0063_01DCAC85.7E2D9B10"
    subject = "答复: " + SUBJECT_01 + "（投诉编号TS-2026-00001）"
    head = [
        received(
            "mail.zhehe-tech.example.cn",
            "203.0.113.25",
            "4R5QhG2yTfz9ssD",
            when + dt.timedelta(seconds=3),
        ),
        "From: "
        + mailbox("陈镕", "chenrong@zhehe-tech.example.cn", "gb2312", codec="gbk"),
        "To: <complaints@firm.example>",
        "Cc: " + mailbox("王建国", "wangjg@firm.example", "gb2312"),
        "References: " + MSGID_01,
        "In-Reply-To: " + MSGID_01,
        "Subject: " + encoded_words(subject, "gb2312"),
        "Date: " + rfc_date(when),
        "Message-ID: <000601dcac65$4c2a8e70$e47fab50$@zhehe-tech.example.cn>",
        "MIME-Version: 1.0",
        f'Content-Type: multipart/alternative;\r\n\tboundary="{bnd}"',
        "X-Mailer: Microsoft Outlook 16.0",
        "Thread-Index: AdypsliLv2Q3mW8eQ8aYk0b3xZ1s2AB0kFLw",
        "Content-Language: zh-cn",
    ]
    body = alternative(bnd, text, outlook_html(text, "gb2312"), "gb2312", codec="gbk")
    return entity(head, body)


def m12_enquiry_gbk() -> bytes:
    """Coremail webmail, GBK base64: an enquiry about fees -- not a complaint."""
    when = t(6, 9, 3, 55)
    text = """您好！

我们是杭州云帆软件有限公司，今年准备申报高新技术企业，想咨询一下：
1. 贵所能否出具高新技术企业专项审计报告和研发费用专项审计报告？
2. 收费标准大概是多少？一般需要多长时间？
3. 需要我们提前准备哪些资料？

如方便，请安排相关老师与我联系。谢谢！

孙悦 杭州云帆软件有限公司 行政财务部 13800002468
"""
    bnd = "----=_Part_513202_1893347011.1772759035781"
    head = [
        received(
            "mail.example.com",
            "198.51.100.150",
            "4R5vXq6Jk3z9svF",
            when + dt.timedelta(seconds=2),
        ),
        "Date: " + rfc_date(when),
        "From: " + mailbox("孙悦", "sunyue@yunfan-soft.example.com", "GBK"),
        "To: complaints@firm.example",
        (
            "Message-ID: <7a2c41e5.3b9f.19cc1d2e8a4.Coremail.sunyue@yunfan-soft"
            ".example.com>"
        ),
        "Subject: " + encoded_words("咨询高新技术企业专项审计收费", "GBK"),
        "MIME-Version: 1.0",
        'Content-Type: multipart/alternative; \r\n\tboundary="' + bnd + '"',
        "X-Originating-IP: [198.51.100.150]",
        ("X-Mailer: Coremail Webmail Server Version XT5.0.14 build 20230109(dcb5de15)"),
    ]
    body = multipart(
        bnd,
        [
            entity(
                [
                    "Content-Type: text/plain; charset=GBK",
                    "Content-Transfer-Encoding: base64",
                ],
                b64_body(crlf(text).encode("gbk")),
            ),
            entity(
                [
                    "Content-Type: text/html; charset=GBK",
                    "Content-Transfer-Encoding: base64",
                ],
                b64_body(crlf(foxmail_html(text, "GBK")).encode("gbk")),
            ),
        ],
        preamble=None,
    )
    return entity(head, body)


def m13_out_of_office() -> bytes:
    """Exchange out-of-office reply; it carries a reference number in the
    subject but Auto-Submitted says it must not count as a follow-up."""
    when = t(6, 9, 5, 2)
    text = """\
您好，我于3月6日至3月13日休假，期间不便查收邮件。如有紧急事项，请联系财务部黄丽，电话 \
020-3800 0000。谢谢！

刘珺
广州市粤禾食品有限公司 财务主管
"""
    subject = "自动答复: 【TS-2026-00002】关于贵司审计报告地址更正的书面回复"
    head = [
        received(
            "mail.yuehe-food.example.cn",
            "198.51.100.41",
            "4R5vZb1Lm7z9swG",
            when + dt.timedelta(seconds=1),
        ),
        "From: " + mailbox("刘珺", "liujun@yuehe-food.example.cn", "utf-8"),
        "To: " + mailbox("投诉邮箱", "complaints@firm.example", "utf-8"),
        "Subject: " + encoded_words(subject, "utf-8"),
        "Thread-Topic: " + encoded_words(subject[6:], "utf-8"),
        "Date: " + rfc_date(when),
        ("Message-ID: <1f2e3d4c5b6a4978a1b2c3d4e5f60718@EXCH02.yuehe-food.example.cn>"),
        "Auto-Submitted: auto-replied",
        "X-Auto-Response-Suppress: All",
        "X-MS-Exchange-Inbox-Rules-Loop: liujun@yuehe-food.example.cn",
        "Content-Language: zh-CN",
        'Content-Type: text/plain; charset="utf-8"',
        "Content-Transfer-Encoding: base64",
        "MIME-Version: 1.0",
    ]
    return entity(head, b64_body(crlf(text).encode("utf-8")))


def m14_newsletter_bulk() -> bytes:
    """Bulk newsletter full of trigger words (律师, 处罚, 索赔); List-* and
    Precedence: bulk show it is not a complaint."""
    when = t(6, 10, 0, 0)
    text = """财税前沿 第112期 | 2026年3月6日

【本期要闻】
1. 律师解读：新《公司法》下会计师事务所被起诉索赔的五大风险点
2. 证监会2025年处罚案例汇总：审计机构未勤勉尽责的典型情形
3. 3月申报期提醒：个人所得税综合所得汇算清缴3月1日起开始

【线上课程】
“审计底稿质量提升实务”3月线上班报名中，原价1,980元，本周报名享8折优惠。

如不想再收到本刊，请点击退订：https://caishui-daily.example.com/u/8f3a2c
财税前沿编辑部 | 上海市静安区某某路100号
"""
    page = """\
<!DOCTYPE html><html><head><meta charset="utf-8"><title>财税前沿 第112期</title></head>
<body style="margin:0;background:#f4f4f4;">
<div style="display:none;max-height:0;overflow:hidden;">律师解读：会计师事务所被起诉索\
赔的五大风险点</div>
<table width="600" align="center" cellpadding="0" cellspacing="0" style="background:#f\
fffff;font-family:'PingFang SC','Microsoft YaHei',sans-serif;">
<tr><td style="background:#0b5394;color:#fff;padding:16px;font-size:20px;">财税前沿 第\
112期</td></tr>
<tr><td style="padding:16px;font-size:14px;line-height:1.8;">
<p><b>【本期要闻】</b></p>
<p>1. <a href="https://caishui-daily.example.com/a/20260306-1">律师解读：新《公司法》\
下会计师事务所被起诉索赔的五大风险点</a></p>
<p>2. <a href="https://caishui-daily.example.com/a/20260306-2">证监会2025年处罚案例汇\
总：审计机构未勤勉尽责的典型情形</a></p>
<p>3. 3月申报期提醒：个人所得税综合所得汇算清缴3月1日起开始</p>
<p><b>【线上课程】</b>“审计底稿质量提升实务”3月线上班报名中，原价1,980元，本周报名享<s\
pan style="color:#cc0000;">8折</span>优惠。</p>
</td></tr>
<tr><td style="padding:12px;font-size:12px;color:#999;">如不想再收到本刊，请<a href="h\
ttps://caishui-daily.example.com/u/8f3a2c">点击退订</a>。财税前沿编辑部</td></tr>
</table><img src="https://caishui-daily.example.com/o/8f3a2c.gif" width="1" height="1"\
 alt="">
</body></html>
"""
    bnd = "=_mb_7c1f0e9a2d4b4e6f8a3c5d7e9f1a2b3c"
    subject = "【财税前沿】第112期：新《公司法》下审计机构的法律责任 | 3月线上课程8折"
    head = [
        received(
            "out-17.mailer.caishui-daily.example.com",
            "192.0.2.217",
            "4R5wL04Hq2z9sxH",
            when + dt.timedelta(seconds=9),
        ),
        "From: "
        + mailbox("财税前沿", "news@caishui-daily.example.com", "UTF-8", quoted=True),
        "To: complaints@firm.example",
        "Subject: " + encoded_words(subject, "UTF-8", fold="\r\n "),
        "Date: " + rfc_date(when),
        ("Message-ID: <20260306020000.8f3a2c.112@mailer.caishui-daily.example.com>"),
        "List-Id: "
        + encoded_words("财税前沿", "UTF-8")
        + " <news.caishui-daily.example.com>",
        (
            "List-Unsubscribe: <mailto:unsubscribe@caishui-daily.example.com"
            "?subject=unsubscribe-8f3a2c>,\r\n"
            " <https://caishui-daily.example.com/u/8f3a2c>"
        ),
        "List-Unsubscribe-Post: List-Unsubscribe=One-Click",
        "Precedence: bulk",
        "X-Campaign-Id: cs-112",
        "MIME-Version: 1.0",
        f'Content-Type: multipart/alternative; boundary="{bnd}"',
    ]
    body = multipart(
        bnd,
        [
            entity(
                [
                    'Content-Type: text/plain; charset="UTF-8"',
                    "Content-Transfer-Encoding: base64",
                ],
                b64_body(crlf(text).encode("utf-8")),
            ),
            entity(
                [
                    'Content-Type: text/html; charset="UTF-8"',
                    "Content-Transfer-Encoding: base64",
                ],
                b64_body(crlf(page).encode("utf-8")),
            ),
        ],
        preamble=None,
    )
    return entity(head, body)


def m15_thank_you() -> bytes:
    """Foxmail thank-you note; quoted encoded-word names, gb2312 Q subject."""
    when = t(6, 17, 30, 12)
    text = """王经理、各位老师：

2025年度审计报告已收到，我们已按时报送税务局和银行。感谢项目组在春节前后加班配合，尤其\
是盘点那几天冒雨到仓库现场，辛苦了！明年的审计还请继续支持。

祝工作顺利！

高岩
青岛澜海船舶配件有限公司 财务负责人
0532-8600 0000
"""
    bnd = "----=_001_NextPart572816345732_=----"
    head = [
        received(
            "mail.lanhai-marine.example.cn",
            "203.0.113.201",
            "4R6JrS8Nw5z9t0K",
            when + dt.timedelta(seconds=2),
        ),
        "Date: " + rfc_date(when),
        "From: "
        + mailbox("高岩", "gaoyan@lanhai-marine.example.cn", "gb2312", quoted=True),
        "To: " + mailbox("王建国", "wangjg@firm.example", "gb2312", quoted=True),
        "Cc: complaints <complaints@firm.example>",
        "Subject: " + encoded_words("感谢项目组的辛苦付出", "gb2312", "Q"),
        "X-Priority: 3",
        "X-GUID: 7E0C5B2A-3D4F-4A1B-9C8E-2F6D1A0B3C4E",
        "X-Has-Attach: no",
        "X-Mailer: Foxmail 7.2.25.331[cn]",
        "Mime-Version: 1.0",
        "Message-ID: <2026030617301241852910@lanhai-marine.example.cn>",
        f'Content-Type: multipart/alternative;\r\n\tboundary="{bnd}"',
    ]
    body = alternative(bnd, text, foxmail_html(text, "gb2312"), "gb2312")
    return entity(head, body)


def m16_decimal_typo_large_figure() -> bytes:
    """iPhone Mail, UTF-8 base64: a decimal-point typo in an 8-digit figure;
    the figure is quoted from the report, not at stake, so still 一级."""
    when = t(9, 9, 25, 41)
    text = """王经理好，
审计报告第5页利润表“营业成本”本期金额应为86,420,315.70元，报告里印成了8,642,031.57元，\
小数点错了一位，合计数是对的。麻烦改一下后重新发一版PDF给我，下周三董事会要用。
谢谢！

黄志明
江西瑞鑫农业发展有限公司
财务部副经理
手机：13800003579

发自我的iPhone
"""
    head = [
        received(
            "mail.ruixin-agri.example.cn",
            "198.51.100.91",
            "4R8Pq1Y7fJz9t2M",
            when + dt.timedelta(seconds=3),
        ),
        "Content-Type: text/plain;\r\n\tcharset=utf-8",
        "Content-Transfer-Encoding: base64",
        "From: " + mailbox("黄志明", "huangzm@ruixin-agri.example.cn", "utf-8"),
        "Mime-Version: 1.0 (1.0)",
        "Date: " + rfc_date(when),
        "Subject: "
        + encoded_words("审计报告第5页营业成本小数点错位", "utf-8", fold="\r\n "),
        ("Message-Id: <3E8B7C2A-91D4-4F6B-A0C3-5D2E1F7B8A96@ruixin-agri.example.cn>"),
        "To: complaints@firm.example",
        "X-Mailer: iPhone Mail (21D61)",
    ]
    return entity(head, b64_body(crlf(text).encode("utf-8")))


MESSAGES = {
    "01-typo-page-gb2312.eml": m01_typo_page_gb2312,
    "02-wrong-address-gbk-8bit.eml": m02_wrong_address_gbk_8bit,
    "03-missing-confirmations-gb18030.eml": m03_missing_confirmations_gb18030,
    "04-cfo-fee-reduction-utf8-qp.eml": m04_cfo_fee_reduction_utf8_qp,
    "05-hk-stocktake-big5.eml": m05_hk_stocktake_big5,
    "06-misstatement-html-only.eml": m06_misstatement_html_only,
    "07-lawyer-letter-docx.eml": m07_lawyer_letter_docx,
    "08-media-threat-forward-inline.eml": m08_media_threat_forward_inline,
    "09-regulator-forward-attached.eml": m09_regulator_forward_attached,
    "10-reply-quoted-history.eml": m10_reply_quoted_history,
    "11-follow-up-ts-ref.eml": m11_follow_up_ts_ref,
    "12-enquiry-gbk.eml": m12_enquiry_gbk,
    "13-out-of-office.eml": m13_out_of_office,
    "14-newsletter-bulk.eml": m14_newsletter_bulk,
    "15-thank-you.eml": m15_thank_you,
    "16-decimal-typo-large-figure.eml": m16_decimal_typo_large_figure,
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--out", type=Path, default=Path(__file__).resolve().parent / "mailbox"
    )
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    for name, build in MESSAGES.items():
        data = build()
        (args.out / name).write_bytes(data)
        print(f"{name:42} {len(data):7d} bytes")


if __name__ == "__main__":
    main()
