#!/usr/bin/env python3
"""Write the small labelled folder that tests `complaint-triage eval`.

Usage:
    .venv/bin/python tests/data/eval/make_eval.py [--out DIR]

Six fictional client messages to complaints@firm.example, one per line of
truth.jsonl, in the encodings clients send (GB18030 base64, UTF-8
quoted-printable, Big5 base64, UTF-8 8bit, GBK HTML-only, a UTF-8 bulk
newsletter).  The bytes are assembled by hand and are deterministic.

truth.jsonl is what a careful reader would label, except for three
deliberate errors (each line's "note" says which) so that a scorer that
reports everything as correct fails the test:

- e5 is a lawyer's letter (三级) labelled 一级;
- e2's phone in the truth is not the one in the signature;
- e3's claim in the truth is HKD 3,000,000 while the letter says 2,000,000.

All companies, people, addresses and phone numbers are made up.
"""

from __future__ import annotations

import argparse
import base64
import json
import quopri
from email.header import Header
from pathlib import Path

HERE = Path(__file__).resolve().parent
CRLF = "\r\n"
UNSUBSCRIBE = "unsubscribe@caishui-weekly.example.com"
DATE = "Date: Tue, 3 Mar 2026 10:{minute:02d}:00 +0800"


def encoded_word(text: str, charset: str) -> str:
    return Header(text, charset).encode()


def headers(n: int, sender: str, subject: str, charset: str, extra=()) -> list[str]:
    return [
        f"From: {sender}",
        "To: complaints@firm.example",
        f"Subject: {encoded_word(subject, charset)}",
        DATE.format(minute=n),
        f"Message-ID: <eval-{n:02d}@mail.example.cn>",
        "MIME-Version: 1.0",
        *extra,
    ]


def base64_lines(data: bytes) -> str:
    text = base64.b64encode(data).decode("ascii")
    return CRLF.join(text[i:i + 76] for i in range(0, len(text), 76))


def single(head: list[str], ctype: str, charset: str, cte: str, body: str) -> bytes:
    data = body.encode(charset)
    if cte == "base64":
        payload = base64_lines(data).encode("ascii")
    elif cte == "quoted-printable":
        payload = quopri.encodestring(data).replace(b"\n", b"\r\n")
    else:
        payload = data.replace(b"\n", b"\r\n")
    lines = head + [
        f'Content-Type: {ctype}; charset="{charset}"',
        f"Content-Transfer-Encoding: {cte}",
    ]
    return (CRLF.join(lines) + CRLF + CRLF).encode("ascii") + payload + b"\r\n"


def alternative(head: list[str], text: str, html: str) -> bytes:
    boundary = "----=_Part_eval_2_20260303"
    plain = quopri.encodestring(text.encode("utf-8")).decode("ascii")
    rich = quopri.encodestring(html.encode("utf-8")).decode("ascii")
    lines = head + [
        f'Content-Type: multipart/alternative; boundary="{boundary}"',
        "",
        f"--{boundary}",
        'Content-Type: text/plain; charset="utf-8"',
        "Content-Transfer-Encoding: quoted-printable",
        "",
        plain,
        f"--{boundary}",
        'Content-Type: text/html; charset="utf-8"',
        "Content-Transfer-Encoding: quoted-printable",
        "",
        rich,
        f"--{boundary}--",
        "",
    ]
    return "\n".join(lines).replace("\n", CRLF).encode("ascii")


E1 = """王经理：

您好。贵所出具的2025年度审计报告第12页，我司名称"苏州澄湖精工有限公司"被写成了"苏州澄湖精功有限公司"，"工"字错了。
麻烦更正后重新出一版报告，我们下周要报送银行。谢谢！

刘晓梅
苏州澄湖精工有限公司 财务部 会计
手机：13900001234
"""

E2 = """贵所项目合伙人：

我是杭州云帆物流股份有限公司财务总监陈立群。本年度审计中，项目组没有对主要客户的应收账款执行函证，
审计程序明显缺失，现场沟通也很差。我司对此非常不满，要求更换项目经理，并减免本年度审计费用的20%。

请于三个工作日内书面答复。

陈立群
杭州云帆物流股份有限公司 财务总监
电话：13900002345
"""

E3 = """敬啟者：

本公司港灣貿易有限公司委託貴所審計2025年度財務報表。由於貴所未有妥善執行存貨監盤，
導致本公司被監管機構調查並蒙受損失。本公司現正式向貴所索償港幣2,000,000元，
如七日內未獲答覆，將向香港會計師公會投訴並提起訴訟。

何家豪
港灣貿易有限公司 財務總監
電話：+852 9123 4567
"""

E4 = """张老师好：

今年的年报审计已顺利完成，感谢贵所项目组的辛苦付出。想咨询一下明年的审计安排和收费标准，
方便的时候请发一份报价给我们。

赵敏
宁波海曙明远贸易有限公司 财务经理
电话：13900004567
"""

E5 = """<html><body>
<p>致贵所：</p>
<p>本律师事务所受南京金陵宏达建材有限公司委托，就贵所出具的2024年度审计报告存在重大错误一事，
正式致函贵所。因该审计报告错误，委托人在银行融资中遭受直接经济损失人民币1,200,000元。</p>
<p>委托人要求贵所于收到本律师函之日起十日内赔偿上述全部损失，否则委托人将向人民法院提起诉讼，
并向注册会计师协会投诉。</p>
<p>孙志远 律师<br/>南京金陵宏达建材有限公司 委托代理人<br/>电话：13900005678</p>
</body></html>
"""

E6 = """【财税资讯周刊 第118期】

本期要闻：某上市公司因财务造假被处罚；多家会计师事务所遭投资者起诉索赔；新收入准则常见问题解读。
点击下方链接阅读全文。如不希望继续收到本刊，请点击退订。

财税资讯编辑部
"""


def messages() -> dict[str, bytes]:
    return {
        "e1.eml": single(
            headers(1, "=?gb18030?B?wfXP/sO3?= <liuxm@chenghu-jg.example.cn>",
                    "审计报告第12页公司名称错别字", "gb18030"),
            "text/plain", "gb18030", "base64", E1),
        "e2.eml": alternative(
            headers(2, "=?utf-8?B?6ZmI56uL576k?= <chenlq@yunfan-wl.example.cn>",
                    "关于审计程序缺失及更换项目经理的要求", "utf-8"),
            E2, "<html><body><pre>" + E2 + "</pre></body></html>"),
        "e3.eml": single(
            headers(3, "Ho Ka Ho <kaho@harbour-trading.example.hk>",
                    "正式索償及投訴通知", "big5"),
            "text/plain", "big5", "base64", E3),
        "e4.eml": single(
            headers(4, "Zhao Min <zhaomin@mingyuan-trade.example.cn>",
                    "感谢及明年审计安排咨询", "utf-8"),
            "text/plain", "utf-8", "8bit", E4),
        "e5.eml": single(
            headers(5, "Sun Zhiyuan <sunzy@jinling-law.example.cn>",
                    "律师函：关于审计报告错误的赔偿要求", "gbk"),
            "text/html", "gbk", "base64", E5),
        "e6.eml": single(
            headers(6, "Caishui Weekly <news@caishui-weekly.example.com>",
                    "财税资讯周刊第118期", "utf-8",
                    ["Precedence: bulk", f"List-Unsubscribe: <mailto:{UNSUBSCRIBE}>"]),
            "text/plain", "utf-8", "base64", E6),
    }


TRUTH = [
    {"file": "e1.eml", "is_complaint": True, "level": 1, "amounts": [],
     "pages": [12], "phone": "13900001234", "client": "澄湖精工",
     "complainant": "刘晓梅"},
    {"file": "e2.eml", "is_complaint": True, "level": 2, "amounts": [],
     "pages": [], "phone": "13900009999", "client": "云帆物流",
     "complainant": "陈立群",
     "note": "deliberately wrong phone: the signature says 13900002345"},
    {"file": "e3.eml", "is_complaint": True, "level": 3, "amounts": [3000000],
     "pages": [], "phone": "91234567", "client_any": ["港灣貿易", "港湾贸易"],
     "complainant_any": ["何家豪"],
     "note": "deliberately wrong amount: the letter claims HKD 2,000,000"},
    {"file": "e4.eml", "is_complaint": False, "level": None},
    {"file": "e5.eml", "is_complaint": True, "level": 1, "amounts": [1200000],
     "pages": [], "phone": "13900005678", "client": "金陵宏达",
     "note": "deliberately wrong level: a lawyer's letter with a claim is 三级"},
    {"file": "e6.eml", "is_complaint": False, "level": None},
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=HERE)
    out = parser.parse_args().out
    out.mkdir(parents=True, exist_ok=True)
    for name, raw in messages().items():
        (out / name).write_bytes(raw)
    lines = [json.dumps(case, ensure_ascii=False) for case in TRUTH]
    (out / "truth.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
