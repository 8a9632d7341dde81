"""Complaint letters sent as PDF: the text layer is read and triaged; a PDF
that cannot be read (a scan, a password, not a PDF) is named for a person."""

from __future__ import annotations

import hashlib
import io
from email.message import EmailMessage

import pytest
from fixtures.pdf import scanned_pdf, text_pdf
from fixtures.pipelines import make_settings
from pypdf import PdfReader, PdfWriter

from pipeline.parse import parse_message
from pipeline.run import Pipeline

LETTER = [
    "律师函",
    "致：测试会计师事务所",
    "我司已委托律师事务所，就贵所出具的2025年度审计报告未实施存货监盘一事，",
    "保留向法院提起诉讼并索赔人民币800万元的权利。",
    "鸿远精密制造有限公司 财务总监 周伟 电话：0512-6688 1234",
]
COMPLAINT_BODY = (
    "贵所出具的2025年度审计报告第7页“应收帐款”应为“应收账款”，请于3月6日前更正。\n"
    "陈镕\n浙江喆和科技股份有限公司 财务经理\n电话：0571-8800 0000\n"
)


def mail(body: str, attachment: bytes, filename: str = "律师函.pdf",
         ctype: str = "application/pdf") -> bytes:
    message = EmailMessage()
    message["From"] = "周伟 <zhouwei@hongyuan-precision.example.cn>"
    message["To"] = "complaints@firm.example"
    message["Subject"] = "律师函"
    message["Date"] = "Tue, 03 Mar 2026 09:12:00 +0800"
    digest = hashlib.sha1(body.encode() + attachment).hexdigest()[:16]
    message["Message-ID"] = f"<pdf-{digest}@example.cn>"
    message.set_content(body)
    maintype, subtype = ctype.split("/")
    message.add_attachment(attachment, maintype=maintype, subtype=subtype,
                           filename=filename)
    return message.as_bytes()


def encrypted(pdf: bytes) -> bytes:
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf)))
    writer.encrypt("密码123", algorithm="RC4-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


@pytest.fixture(scope="module")
def pipeline(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("pdf")
    built = Pipeline(make_settings(f"sqlite:///{tmp / 'triage.db'}", tmp))
    yield built
    built.close()


def test_the_text_of_a_pdf_letter_is_read():
    parsed = parse_message(mail("请见附件。", text_pdf(LETTER)))
    [attachment] = parsed.attachments
    assert attachment.error is None
    assert "提起诉讼并索赔人民币800万元" in attachment.text
    assert "提起诉讼" in parsed.body_text and "提起诉讼" in parsed.client_text


def test_a_lawyer_letter_in_a_pdf_is_a_level_3_complaint(pipeline):
    examined = pipeline.examine(mail("请见附件。", text_pdf(LETTER)), "test")
    output = examined.as_json()
    assert output["is_complaint"] and output["level"] == 3
    assert any("法律纠纷" in reason for reason in output["reasons"])
    assert output["complainant"]["phone"] == "0512-66881234"
    assert 8_000_000 in [a["value"] for a in output["figures"]["amounts"]]


def test_a_pdf_is_recognised_by_its_name_when_labelled_octet_stream():
    raw = mail("请见附件。", text_pdf(LETTER), "投诉函.PDF", "application/octet-stream")
    [attachment] = parse_message(raw).attachments
    assert "索赔" in attachment.text


@pytest.mark.parametrize("make, why", [
    (scanned_pdf, "no text layer"),
    (lambda: encrypted(text_pdf(LETTER)), "password"),
    (lambda: b"%PDF-1.4\n" + bytes(range(256)) * 20, ""),
])
def test_an_unreadable_pdf_beside_a_one_line_body_is_quarantined(pipeline, make, why):
    examined = pipeline.examine(mail("请见附件。", make()), "test")
    assert examined.verdict is None
    assert "律师函.pdf" in examined.reason and why in examined.reason


def test_an_unreadable_pdf_beside_a_complaint_is_named_in_the_reasons(pipeline):
    examined = pipeline.examine(mail(COMPLAINT_BODY, scanned_pdf()), "test")
    assert examined.verdict.is_complaint
    assert any("附件无法自动读取：律师函.pdf" in r for r in examined.verdict.reasons)


def test_a_pdf_without_a_name_or_type_is_known_by_its_bytes():
    raw = mail("请见附件。", text_pdf(LETTER), "", "application/octet-stream")
    [attachment] = parse_message(raw).attachments
    assert "索赔" in attachment.text


def test_a_word_file_named_pdf_is_read_as_word():
    import docx

    document = docx.Document()
    document.add_paragraph("我司将向法院起诉贵所，并索赔人民币800万元。")
    out = io.BytesIO()
    document.save(out)
    [attachment] = parse_message(mail("请见附件。", out.getvalue())).attachments
    assert attachment.error is None and "起诉贵所" in attachment.text


@pytest.mark.parametrize("filename, ctype", [
    ("投诉函.doc", "application/msword"),
    ("投诉函照片.jpg", "image/jpeg"),
    ("投诉函.wps", "application/octet-stream"),
])
def test_a_letter_in_a_form_not_read_is_named_for_a_person(pipeline, filename, ctype):
    content = bytes(range(256)) * 200  # 51 KB, no text to find
    alone = pipeline.examine(mail("请见附件。", content, filename, ctype), "test")
    assert alone.verdict is None and filename in alone.reason
    beside = pipeline.examine(mail(COMPLAINT_BODY, content, filename, ctype), "test")
    assert any(f"附件无法自动读取：{filename}" in r for r in beside.verdict.reasons)


def test_a_picture_shown_in_the_text_is_not_taken_for_a_letter():
    raw = mail(COMPLAINT_BODY, b"\x89PNG" + b"0" * 30000, "logo.png", "image/png")
    raw = raw.replace(b"Content-Disposition: attachment",
                      b"Content-ID: <logo@client>\nContent-Disposition: inline")
    [attachment] = parse_message(raw).attachments
    assert attachment.error is None


def test_a_thanks_mail_with_an_unreadable_scan_goes_to_a_person(pipeline):
    body = ("王经理：\n您好！今年的审计工作辛苦了，详细情况见附件扫描件，"
            "请查收并回复。\n谢谢！\n陈镕 浙江喆和科技股份有限公司\n")
    examined = pipeline.examine(mail(body, scanned_pdf(), "扫描件.pdf"), "test")
    assert examined.verdict is None
    assert "扫描件.pdf" in examined.reason and "no text layer" in examined.reason


def test_only_the_first_pages_of_a_long_pdf_are_read_and_that_is_said(monkeypatch):
    from pipeline import parse

    monkeypatch.setattr(parse, "MAX_PDF_PAGES", 1)
    many = PdfWriter(clone_from=PdfReader(io.BytesIO(text_pdf(LETTER))))
    many.add_blank_page()
    out = io.BytesIO()
    many.write(out)
    [attachment] = parse_message(mail("请见附件。", out.getvalue())).attachments
    assert "索赔" in attachment.text
    assert "附件共 2 页，仅自动读取了前 1 页" in attachment.text


def test_a_pdf_protected_only_against_editing_is_read():
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(text_pdf(LETTER))))
    writer.encrypt(user_password="", owner_password="所有者", algorithm="AES-256")
    out = io.BytesIO()
    writer.write(out)
    [attachment] = parse_message(mail("请见附件。", out.getvalue())).attachments
    assert attachment.error is None and "索赔" in attachment.text


@pytest.mark.parametrize("filename, ctype", [
    ("科目余额表.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    ("invite.ics", "application/ics"),
    ("底稿扫描.zip", "application/zip"),
    ("winmail.dat", "application/ms-tnef"),
])
def test_everyday_attachments_are_not_taken_for_letters(pipeline, filename, ctype):
    content = bytes(range(256)) * 200
    examined = pipeline.examine(mail("附件是明细表，请查收。", content, filename, ctype),
                                "test")
    assert examined.verdict is not None
    assert not any("附件无法自动读取" in r for r in examined.verdict.reasons)


def test_an_auto_reply_with_a_picture_is_not_quarantined(pipeline):
    raw = mail("我休假至3月9日，期间邮件不能及时回复。", b"\xff\xd8" + b"0" * 30000,
               "banner.jpg", "image/jpeg")
    raw = raw.replace(b"Subject:", b"Auto-Submitted: auto-replied\nSubject:")
    examined = pipeline.examine(raw, "test")
    assert examined.verdict is not None and examined.verdict.kind == "auto_reply"
