"""Notifications reach their groups; failures are retried and stay visible."""

import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path

import pytest

from models import store
from pipeline.output import record_json
from pipeline.sources import iter_path

SAMPLES = Path(__file__).parent.parent / "samples" / "mailbox"
SERIOUS = SAMPLES / "04-cfo-fee-reduction-utf8-qp.eml"
MINOR = SAMPLES / "01-typo-page-gb2312.eml"


def ingest(pipeline, path):
    message = next(iter_path(path))
    return pipeline.ingest(message.raw, message.source)


def smtp_settings(sink):
    return {"host": sink.host, "port": sink.port, "from": "complaints@firm.example"}


def notified(pipeline, reference):
    with pipeline.db.session() as session:
        return record_json(store.record_by_reference(session, reference))["notified"]


def test_serious_draft_reaches_both_groups_in_chinese(sqlite_url, make_pipeline,
                                                      smtp_sink):
    pipeline = make_pipeline(sqlite_url, smtp=smtp_settings(smtp_sink))
    reference = ingest(pipeline, SERIOUS).reference
    pipeline.deliver()

    received = smtp_sink.wait_for(3)
    by_rcpt = {m.rcpt_tos[0]: m.message for m in received}
    draft = by_rcpt["execution@firm.example"]
    assert "【客户投诉登记表·待确认】" in draft["Subject"]
    assert reference in draft["Subject"]
    assert "二级 重大投诉" in draft.get_content()
    assert "应急领导小组知悉" in draft.get_content()
    assert "leadership@firm.example" in by_rcpt


def test_acknowledgement_is_marked_auto_replied_and_threads_to_the_complaint(
        sqlite_url, make_pipeline, smtp_sink):
    pipeline = make_pipeline(sqlite_url, smtp=smtp_settings(smtp_sink))
    reference = ingest(pipeline, MINOR).reference
    pipeline.deliver()

    [ack] = [m.message for m in smtp_sink.wait_for(2)
             if m.message["Auto-Submitted"] == "auto-replied"]
    assert reference in ack["Subject"]
    assert ack["In-Reply-To"]
    assert "将于" in ack.get_content()


def test_failed_delivery_is_retried_and_the_record_is_kept(sqlite_url, make_pipeline,
                                                           smtp_sink):
    pipeline = make_pipeline(sqlite_url, smtp=smtp_settings(smtp_sink),
                             ack={"enabled": False})
    smtp_sink.fail_next(1)
    reference = ingest(pipeline, MINOR).reference

    first = pipeline.deliver()
    assert (first.sent, first.retrying) == (0, 1)
    [pending] = notified(pipeline, reference)
    assert pending["status"] == "pending"

    second = pipeline.deliver()
    assert second.sent == 1
    assert notified(pipeline, reference)[0]["status"] == "sent"


def test_delivery_gives_up_after_the_last_attempt_and_says_so(sqlite_url,
                                                              make_pipeline, smtp_sink):
    pipeline = make_pipeline(sqlite_url, smtp=smtp_settings(smtp_sink),
                             ack={"enabled": False}, notify={"max_attempts": 2})
    smtp_sink.fail_next(5)
    reference = ingest(pipeline, MINOR).reference
    pipeline.deliver()
    report = pipeline.deliver()
    assert report.failed == 1
    assert notified(pipeline, reference)[0]["status"] == "failed"


def test_without_smtp_host_mail_is_written_to_the_outbox(sqlite_url, make_pipeline,
                                                         tmp_path):
    pipeline = make_pipeline(sqlite_url)
    reference = ingest(pipeline, MINOR).reference
    pipeline.deliver()
    files = sorted(p.name for p in (tmp_path / "outbox").glob("*.eml"))
    assert any(name.startswith(f"{reference}-draft-execution") for name in files)
    assert any(name.startswith(f"{reference}-acknowledgement") for name in files)


class _Hook(BaseHTTPRequestHandler):
    received: list = []

    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        _Hook.received.append(json.loads(body))
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def webhook():
    server = HTTPServer(("127.0.0.1", 0), _Hook)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    _Hook.received = []
    yield f"json://127.0.0.1:{server.server_port}/hook", _Hook.received
    server.shutdown()


def test_group_bot_url_is_delivered_through_apprise(sqlite_url, make_pipeline, webhook):
    url, received = webhook
    pipeline = make_pipeline(sqlite_url, notify={"execution": [url]},
                             ack={"enabled": False})
    reference = ingest(pipeline, MINOR).reference
    assert pipeline.deliver().sent == 1
    assert reference in received[0]["title"]
    assert "客户名称" in received[0]["message"]


def complaint_from(sender: str, number: int) -> bytes:
    return (
        f"From: {sender}\r\nMessage-ID: <ack-{number}@client.example.cn>\r\n"
        f"Subject: 报告第{number}页有错字\r\nContent-Type: text/plain; charset=utf-8"
        f"\r\n\r\n贵所出具的审计报告第{number}页公司名称写错了，请尽快更正。\r\n"
    ).encode()


def acknowledgements(pipeline):
    with pipeline.db.session() as session:
        return [n for r in store.list_records(session) for n in r.notifications
                if n.kind == "acknowledgement"]


def test_acknowledgements_are_rate_limited_per_sender(sqlite_url, make_pipeline):
    pipeline = make_pipeline(sqlite_url, ack={"per_sender_per_day": 2})
    for number in range(1, 5):
        pipeline.ingest(complaint_from("wang@client.example.cn", number), "t")
    assert len(acknowledgements(pipeline)) == 2


@pytest.mark.parametrize("sender, ack", [
    ("staff@firm.example", {}),
    ("wang@client.example.cn", {"enabled": False}),
    ("json://127.0.0.1:9/hook", {}),
])
def test_no_acknowledgement_to_the_firm_when_disabled_or_to_non_addresses(
        sqlite_url, make_pipeline, sender, ack):
    pipeline = make_pipeline(sqlite_url, ack=ack)
    assert pipeline.ingest(complaint_from(sender, 3), "t").outcome == "record"
    assert acknowledgements(pipeline) == []


def test_auto_reply_quoting_a_reference_gets_no_acknowledgement(sqlite_url,
                                                                make_pipeline):
    pipeline = make_pipeline(sqlite_url)
    reference = ingest(pipeline, MINOR).reference
    auto = (
        "From: chenrong@zhehe-tech.example.cn\r\nAuto-Submitted: auto-replied\r\n"
        f"Message-ID: <ooo@zhehe-tech.example.cn>\r\nSubject: 自动回复: {reference}\r\n"
        "Content-Type: text/plain; charset=utf-8\r\n\r\n本人休假中，邮件延迟处理。\r\n"
    ).encode()
    assert pipeline.ingest(auto, "t").outcome == "not_complaint"
    assert len(acknowledgements(pipeline)) == 1
