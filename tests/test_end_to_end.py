"""End to end: a real Dovecot mailbox, the real command, a real SMTP server.

The bundled sample mailbox is delivered to Dovecot; `complaint-triage poll
--once` runs as a separate process against it, stores the outcome in a
database and sends the notifications to an aiosmtpd server.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

SAMPLES = sorted((Path(__file__).parent.parent / "samples" / "mailbox").glob("*.eml"))
EXECUTION = "execution@firm.example"
LEADERSHIP = "leadership@firm.example"

pytestmark = pytest.mark.live


def run_cli(env, *args):
    command = [sys.executable, "-m", "pipeline.cli", *args]
    done = subprocess.run(command, env=env, capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


@pytest.fixture
def environment(dovecot, smtp_sink, db_url, tmp_path):
    env = dict(os.environ)
    env.update({
        "TRIAGE_DATABASE_URL": db_url,
        "TRIAGE_IMAP_HOST": dovecot.host, "TRIAGE_IMAP_PORT": str(dovecot.port),
        "TRIAGE_IMAP_USER": dovecot.user, "TRIAGE_IMAP_PASSWORD": dovecot.password,
        "TRIAGE_IMAP_SSL": "false",
        "TRIAGE_SMTP_HOST": smtp_sink.host, "TRIAGE_SMTP_PORT": str(smtp_sink.port),
        "TRIAGE_SMTP_FROM": "complaints@firm.example",
        "TRIAGE_NOTIFY_EXECUTION": EXECUTION, "TRIAGE_NOTIFY_LEADERSHIP": LEADERSHIP,
        "TRIAGE_NOTIFY_OUTBOX": str(tmp_path / "outbox"),
        "TRIAGE_FIRM_DOMAINS": "firm.example",
    })
    for path in SAMPLES:
        dovecot.append(path.read_bytes())
    return env


def records(env):
    return [json.loads(line) for line in run_cli(env, "records", "--json").splitlines()]


def delivered_to(smtp_sink, address):
    return [m for m in smtp_sink.messages if address in m.rcpt_tos]


def test_poll_once_drafts_records_and_notifies_execution_once_each(
        environment, smtp_sink):
    run_cli(environment, "poll", "--once")

    drafts = records(environment)
    assert len(drafts) == 11
    assert all(r["status"] == "draft" for r in drafts)
    subjects = [m.message["Subject"] for m in delivered_to(smtp_sink, EXECUTION)]
    for record in drafts:
        mine = [s for s in subjects if record["reference"] in s]
        assert len(mine) == 1, record["reference"]
    serious = [r for r in drafts if r["level"] >= 2]
    assert len(delivered_to(smtp_sink, LEADERSHIP)) == len(serious)


def test_second_poll_adds_nothing_and_mail_stays_on_server(
        environment, dovecot, smtp_sink):
    run_cli(environment, "poll", "--once")
    first = (records(environment), len(smtp_sink.messages))

    run_cli(environment, "poll", "--once")

    assert (records(environment), len(smtp_sink.messages)) == first
    uids = dovecot.uids()
    assert len(uids) == len(SAMPLES)
    for uid in uids:
        flags = dovecot.flags(uid)
        assert b"\\Seen" not in flags
        assert b"$Triaged" in flags


def test_client_gets_one_acknowledgement_with_reference(environment, smtp_sink):
    run_cli(environment, "poll", "--once")
    acks = [m for m in smtp_sink.messages
            if m.message["Auto-Submitted"] == "auto-replied"]
    references = {r["reference"] for r in records(environment)}
    acknowledged = {ref for ref in references
                    if any(ref in m.message["Subject"] for m in acks)}
    assert acks and acknowledged
    for message in acks:
        assert not any(addr.endswith("@firm.example") for addr in message.rcpt_tos)
