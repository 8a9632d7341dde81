"""Parsing the mail that breaks today's libraries (tests/data/mail).

Each fixture is a small raw message; expected.json says what a person reads
in it: the subject, the text, the attachments, who sent the original.
"""

import json
import re
from pathlib import Path

import pytest

from pipeline import mime
from pipeline.errors import MessageRejected
from pipeline.parse import parse_message
from pipeline.settings import LimitsSettings

MAIL = Path(__file__).parent / "data" / "mail"
EXPECTED = json.loads((MAIL / "expected.json").read_text(encoding="utf-8"))
FIRM = ("firm.example",)


def parse(name, **limits):
    return parse_message((MAIL / name).read_bytes(), LimitsSettings(**limits), FIRM)


def cases(key):
    return [pytest.param(name, spec, id=name) for name, spec in EXPECTED.items()
            if key in spec and "max_parts" not in spec]


@pytest.mark.parametrize("name, spec", cases("subject_contains"))
def test_subject_decodes(name, spec):
    assert spec["subject_contains"] in parse(name).subject


@pytest.mark.parametrize("name, spec", cases("body_contains"))
def test_body_text_holds_what_the_client_wrote(name, spec):
    body = parse(name).body_text
    for text in spec["body_contains"]:
        assert text in body


@pytest.mark.parametrize("name, spec", cases("body_not_contains"))
def test_body_text_leaves_out_markup_and_control_bytes(name, spec):
    body = parse(name).body_text
    for text in spec["body_not_contains"]:
        assert text not in body


@pytest.mark.parametrize("name, spec", cases("quoted_contains"))
def test_quoted_history_is_not_triaged(name, spec):
    parsed = parse(name)
    for text in spec["quoted_contains"]:
        assert text not in parsed.body_text
    for text in spec["new_text_contains"]:
        assert text in parsed.new_text


@pytest.mark.parametrize("name, spec", cases("from_name"))
def test_sender_name_decodes(name, spec):
    assert parse(name).sender_name == spec["from_name"]


@pytest.mark.parametrize("name, spec", cases("attachments"))
def test_attachment_filenames_decode(name, spec):
    names = [a.filename for a in parse(name).attachments if a.filename]
    assert names == spec["attachments"]


@pytest.mark.parametrize("name, spec", cases("attachment_text_contains"))
def test_attachment_text_is_triaged(name, spec):
    body = parse(name).body_text
    for text in spec["attachment_text_contains"]:
        assert text in body


@pytest.mark.parametrize("name, spec", cases("original_from_email"))
def test_forward_complainant_is_the_original_sender(name, spec):
    name_, address = parse(name).client_sender
    assert (name_, address) == (spec["original_from_name"], spec["original_from_email"])


@pytest.mark.parametrize("name, spec", cases("message_id"))
def test_message_id_keeps_exchange_brackets(name, spec):
    assert parse(name).message_id == spec["message_id"].strip("<>")


def test_absurd_date_year_falls_back_to_received_header():
    spec = EXPECTED["absurd_date_year.eml"]
    parsed = parse("absurd_date_year.eml")
    assert parsed.date is None
    assert parsed.received_at.isoformat() == spec["date_fallback"]


def test_message_over_the_part_limit_is_rejected_with_the_reason():
    with pytest.raises(MessageRejected, match="parts"):
        parse("many_parts.eml", max_parts=1000)


def test_message_over_the_size_limit_is_rejected_with_the_reason():
    with pytest.raises(MessageRejected, match="over the limit"):
        parse("html_only.eml", max_bytes=100)


def test_empty_input_is_rejected():
    with pytest.raises(MessageRejected, match="empty"):
        parse_message(b"  \r\n")


@pytest.mark.parametrize("name", ["forward_inline_original.eml",
                                  "forward_attached_rfc822.eml"])
def test_forward_keeps_when_the_client_sent_the_original(name):
    parsed = parse(name)
    assert parsed.original.sent is not None
    assert parsed.original.sent <= parsed.received_at


@pytest.mark.parametrize("text, expected", [
    ("2026年12月1日(星期二) 上午9:30", "2026-12-01T09:30:00+08:00"),
    ("2026年3月2日 下午3:05", "2026-03-02T15:05:00+08:00"),
    ("Tue, 1 Dec 2026 09:30:00 +0800", "2026-12-01T09:30:00+08:00"),
])
def test_quoted_sent_times_in_chinese_and_rfc_forms(text, expected):
    from pipeline.parse import parse_quoted_date

    assert parse_quoted_date(text).isoformat() == expected


# -- HTML bodies ---------------------------------------------------------------

HTML_CASES = {
    "outlook": ('<html><head><style>p{margin:0}</style><title>t</title></head><body>'
                '<!--[if gte mso 9]><xml>office</xml><![endif]-->'
                '<p>贵所出具的报告第<b>5</b>页有误&nbsp;。</p><div>请回复<br>王先生</div>'
                '<script>alert(1)</script>尾</body></html>'),
    "fragment": "第一行<br/>第二行<br><br><br><br>第三行",
    "unclosed": "<table><tr><td>金额<td>5,600万元<tr><td>页码<td>P15",
    "entities": "<p>&lt;报告&gt; &amp; 附注 &#20013;&#25991;</p>",
}


@pytest.mark.parametrize("name", sorted(HTML_CASES))
def test_html_text_is_what_the_tolerant_parser_reads(name):
    markup = HTML_CASES[name]
    fast = mime.html_to_text(markup)
    slow = "\n".join(mime._html_strings_slowly(markup))
    lines = (line.strip() for line in slow.splitlines())
    assert fast == mime.clean_text(re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip())
    assert "alert" not in fast and "office" not in fast and "margin" not in fast


def test_html_the_fast_parser_refuses_is_still_read():
    declared = ('<?xml version="1.0" encoding="gbk"?>'
                "<html><body><p>第3页错字</p></body></html>")
    assert mime.html_to_text(declared) == "第3页错字"
    assert mime.html_to_text("<p>第3页</p>\x00<p>错字</p>").startswith("第3页")
    assert mime.html_to_text("") == ""


@pytest.mark.parametrize("markup, kept", [
    ("<html><body>" + "".join(f"<font size=2>第{i}行<br>" for i in range(300))
     + "我们将起诉贵所</body></html>", ["第299行", "我们将起诉贵所"]),
    ("<p>浅层开头</p>" + "<div>" * 255 + "深处起诉" + "</div>" * 255 + "<p>浅层结尾</p>",
     ["深处起诉", "浅层结尾"]),
    ("<div>" * 3000 + "很深的起诉" + "</div>" * 3000, ["很深的起诉"]),
    ("<html><body><p>您好，附件是对账单。</p></body></html>\n<p>我们已委托律师，将向法院起诉贵所。</p>",
     ["对账单", "将向法院起诉贵所"]),
    ("<html><body><p>转发的第一封</p></body></html><html><body><p>我们要起诉贵所</p></body></html>",
     ["转发的第一封", "我们要起诉贵所"]),
    ("<p>开头</p><!-- 未闭合的注释 <p>我们将向法院起诉贵所，要求赔偿全部损失，请于三日内答复</p>",
     ["开头", "起诉贵所"]),
    ('<p title="未闭合>正文：我们将向法院起诉贵所，要求赔偿全部损失，请于三日内答复</p>', ["起诉贵所"]),
])
def test_html_text_is_not_lost_where_libxml2_stops_early(markup, kept):
    text = mime.html_to_text(markup)
    for words in kept:
        assert words in text


# -- a wrong Chinese charset label ---------------------------------------------

def _corpus_texts():
    for path in sorted((Path(__file__).parent.parent / "training_data").glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                case = json.loads(line)
                yield case["subject"] + "\n" + case["body"]


@pytest.mark.parametrize("encoding, label", [
    ("big5hkscs", "gb2312"), ("gb18030", "big5"), ("utf-8", "gbk"), ("utf-8", "big5"),
])
def test_chinese_under_the_wrong_label_is_read_in_its_own_encoding(encoding, label):
    tried = recovered = 0
    for text in _corpus_texts():
        try:
            data = text.encode(encoding)
        except UnicodeEncodeError:
            continue
        if mime.chinese_score(text) is None or data.isascii():
            continue
        tried += 1
        recovered += mime.decode_bytes(data, label) == mime.clean_text(text)
    assert tried > 40
    assert recovered / tried >= 0.97, (recovered, tried)


@pytest.mark.parametrize("encoding, label", [
    ("gb18030", "gb2312"), ("big5hkscs", "big5"), ("utf-8", "utf-8"),
])
def test_chinese_under_its_own_label_is_never_read_otherwise(encoding, label):
    for text in _corpus_texts():
        try:
            data = text.encode(encoding)
        except UnicodeEncodeError:
            continue
        assert mime.decode_bytes(data, label) == mime.clean_text(text)


def test_a_short_text_keeps_its_label():
    data = "贵所好".encode("big5hkscs", "replace")
    assert mime.decode_bytes(data, "gb2312") == data.decode("gb18030", "replace")
