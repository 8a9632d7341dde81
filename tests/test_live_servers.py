"""The live-server fixtures themselves: a real Dovecot and a real SMTP sink."""

import smtplib
import socket
from email import policy
from email.header import Header
from email.message import EmailMessage
from email.parser import BytesParser

import pytest
from fixtures.imap_server import DovecotError
from imapclient.exceptions import IMAPClientAbortError

CHINESE_FOLDER = "投诉/已处理,天翼云"
GBK_SUBJECT = "投诉：代理记账费用多收"


def _raw_message(subject_header: str, message_id: str) -> bytes:
    """A minimal message with CRLF line ends, as a server stores it."""
    lines = [
        "From: client@example.com",
        "To: complaints@example.com",
        f"Subject: {subject_header}",
        f"Message-ID: <{message_id}@example.com>",
        "",
        "body",
        "",
    ]
    return "\r\n".join(lines).encode("ascii")


def _subject(raw: bytes) -> str:
    return BytesParser(policy=policy.default).parsebytes(raw)["Subject"]


def test_login_then_select_inbox_finds_it_empty(dovecot):
    with dovecot.connect() as client:
        selected = client.select_folder("INBOX")

    assert selected[b"EXISTS"] == 0
    assert selected[b"READ-WRITE"]


def test_append_then_peek_leaves_message_unseen(dovecot):
    gbk_subject = Header(GBK_SUBJECT, "gbk").encode()
    raws = [_raw_message("plain", "one"), _raw_message(gbk_subject, "two")]
    uids = [dovecot.append(raw) for raw in raws]

    with dovecot.connect() as client:
        client.select_folder("INBOX")
        fetched = client.fetch(uids, ["BODY.PEEK[]"])

    assert [fetched[uid][b"BODY[]"] for uid in uids] == raws
    assert _subject(fetched[uids[1]][b"BODY[]"]) == GBK_SUBJECT
    assert all(b"\\Seen" not in dovecot.flags(uid) for uid in uids)


def test_chinese_folder_with_comma_round_trips_through_list(dovecot):
    dovecot.create_folder(CHINESE_FOLDER)
    uid = dovecot.append(_raw_message("filed", "filed"), folder=CHINESE_FOLDER)

    with dovecot.connect() as client:
        names = [name for _, _, name in client.list_folders()]

    assert CHINESE_FOLDER in names
    assert dovecot.uids(CHINESE_FOLDER) == [uid]


def test_restart_keeps_messages_and_uids(dovecot):
    uids = [dovecot.append(_raw_message("kept", str(n))) for n in range(3)]
    uidvalidity = dovecot.uidvalidity()

    dovecot.restart()

    assert dovecot.uids() == uids
    assert dovecot.uidvalidity() == uidvalidity


def test_stop_disconnects_logged_in_client(dovecot):
    client = dovecot.connect()
    client.select_folder("INBOX")

    dovecot.stop()

    with pytest.raises((IMAPClientAbortError, OSError)):
        client.noop()
    client.shutdown()


def test_stopped_server_refuses_connections(dovecot):
    dovecot.stop()

    with pytest.raises(ConnectionRefusedError):
        dovecot.connect()


def test_start_on_busy_port_raises_with_log_tail(dovecot):
    dovecot.stop()

    with socket.socket() as squatter:
        squatter.bind((dovecot.host, dovecot.port))
        squatter.listen()
        with pytest.raises(DovecotError, match="Address already in use"):
            dovecot.start()


def test_reset_uidvalidity_changes_it_and_keeps_messages(dovecot):
    raws = [_raw_message("old", "old"), _raw_message("new", "new")]
    old_uids = [dovecot.append(raws[0], flags=[b"\\Seen"]), dovecot.append(raws[1])]
    old_uidvalidity = dovecot.uidvalidity()

    new_uidvalidity = dovecot.reset_uidvalidity()

    new_uids = dovecot.uids()
    with dovecot.connect() as client:
        client.select_folder("INBOX", readonly=True)
        fetched = client.fetch(new_uids, ["BODY.PEEK[]"])
    assert new_uidvalidity != old_uidvalidity
    assert dovecot.uidvalidity() == new_uidvalidity
    assert set(new_uids).isdisjoint(old_uids)
    assert [fetched[uid][b"BODY[]"] for uid in new_uids] == raws
    assert b"\\Seen" in dovecot.flags(new_uids[0])


def test_reset_uidvalidity_of_chinese_folder_keeps_messages(dovecot):
    dovecot.create_folder(CHINESE_FOLDER)
    dovecot.append(_raw_message("filed", "filed"), folder=CHINESE_FOLDER)
    old_uidvalidity = dovecot.uidvalidity(CHINESE_FOLDER)

    dovecot.reset_uidvalidity(CHINESE_FOLDER)

    assert dovecot.uidvalidity(CHINESE_FOLDER) != old_uidvalidity
    assert len(dovecot.uids(CHINESE_FOLDER)) == 1


def _notification() -> EmailMessage:
    message = EmailMessage()
    message["From"] = "triage@example.com"
    message["To"] = "duty@example.com"
    message["Subject"] = "一级投诉：客户投诉登记表"
    message.set_content("请应急执行小组处理。")
    return message


def test_smtp_sink_records_message_sent_with_smtplib(smtp_sink):
    with smtplib.SMTP(smtp_sink.host, smtp_sink.port, timeout=10) as smtp:
        smtp.send_message(_notification())

    [received] = smtp_sink.wait_for(1)
    assert received.mail_from == "triage@example.com"
    assert received.rcpt_tos == ["duty@example.com"]
    assert received.message["Subject"] == "一级投诉：客户投诉登记表"
    assert received.message.get_content() == "请应急执行小组处理。\n"


def test_fail_next_rejects_one_delivery_then_accepts_the_retry(smtp_sink):
    smtp_sink.fail_next(1)

    with smtplib.SMTP(smtp_sink.host, smtp_sink.port, timeout=10) as smtp:
        with pytest.raises(smtplib.SMTPDataError) as rejection:
            smtp.send_message(_notification())
        smtp.send_message(_notification())

    assert rejection.value.smtp_code == 451
    assert smtp_sink.rejected == 1
    assert len(smtp_sink.wait_for(1)) == 1
