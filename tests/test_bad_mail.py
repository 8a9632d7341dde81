"""Broken and hostile mail never stops the run and never disappears.

The inputs are in tests/data/bad (its make_fixtures.py says what each one
is); the large ones and the folder entries git cannot hold are made at test
time.  Every message is examined without raising and gives a JSON object of
the contract's shape; the `triage` command prints one line for each; the
folder ingested twice stores one outcome per message, then nothing more.
The other tests pin down what a person should read in each case.
"""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import subprocess
import sys
import threading
import time
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path

import pytest
from fixtures.pipelines import make_settings
from sqlalchemy import func, select

from models.schema import ComplaintRecord, InboundMessage, Notification
from pipeline.run import Arrival, Pipeline
from pipeline.sources import iter_path, iter_paths

BAD = Path(__file__).parent / "data" / "bad"


def _load_generator():
    path = BAD / "make_fixtures.py"
    spec = importlib.util.spec_from_file_location("bad_mail_fixtures", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


make = _load_generator()
SMALL = sorted(p.name for p in BAD.glob("*.eml"))
MBOXES = sorted(p.name for p in BAD.glob("*.mbox"))
MESSAGES = [*SMALL, *make.LARGE, make.UPPERCASE]

# What the decoded text must hold: the two complaints of make_fixtures.py.
MINOR = "贵所出具的2025年度审计报告第7页"
LAWSUIT = "未实施存货监盘"
LAWSUIT_ADDRESS = "yangfan@pengyuan-elec.example.cn"
SLOW = 5.0  # seconds; one message taking longer stalls the whole mailbox
STORED = {"record", "followup", "not_complaint", "quarantined"}
CONTRACT_KEYS = {
    "source", "message_id", "subject", "body_text", "attachments", "quarantined",
    "is_complaint", "level", "level_name", "confidence", "reasons", "client_name",
    "complainant", "received_at", "demands", "reported_elsewhere", "figures",
}
LEVEL_NAMES = {None: None, 1: "一般投诉", 2: "重大投诉", 3: "特大投诉"}
# How Pipeline.examine words an exception it did not expect.
SAFETY_NETS = ("parser error", "triage failed")


def by_name(*cases: tuple) -> list:
    """Parameters named by their file, which says what is wrong with it."""
    return [pytest.param(*case, id=case[0]) for case in cases]


def assert_contract(data: dict) -> None:
    """One object of `triage --json` has the keys and types of CONTRACT.md."""
    assert CONTRACT_KEYS <= data.keys()
    assert isinstance(data["source"], str) and data["source"]
    assert isinstance(data["message_id"], str) and data["message_id"]
    assert isinstance(data["subject"], str)
    assert isinstance(data["body_text"], str) and "\x00" not in data["body_text"]
    for attachment in data["attachments"]:
        assert {"filename", "content_type", "size"} <= attachment.keys()
    assert isinstance(data["quarantined"], bool)
    assert isinstance(data["is_complaint"], bool)
    if data["quarantined"]:
        assert data["reason"], "a quarantined message must say why"
        assert not data["is_complaint"]
    # An exception caught by a safety net is still a crash to be fixed.
    assert not (data["reason"] or "").startswith(SAFETY_NETS), data["reason"]
    assert data["level"] in LEVEL_NAMES
    assert (data["level"] is None) == (not data["is_complaint"])
    assert data["level_name"] == LEVEL_NAMES[data["level"]]
    assert isinstance(data["confidence"], int | float)
    assert all(isinstance(reason, str) for reason in data["reasons"])
    assert set(data["complainant"]) == {"name", "title", "phone", "email"}
    assert datetime.fromisoformat(data["received_at"]).utcoffset() is not None
    assert isinstance(data["demands"], list)
    assert data["reported_elsewhere"] in (True, False, None)
    assert {"amounts", "pages", "deadlines", "data_items",
            "percentages"} <= data["figures"].keys()


# -- fixtures -----------------------------------------------------------------

@pytest.fixture(scope="module")
def hook():
    """A loopback listener standing in for a bot URL; it records every request."""
    requests = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            requests.append(self.path)
            self.send_response(200)
            self.end_headers()

        do_GET = do_PUT = do_POST

        def log_message(self, *args):
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"json://127.0.0.1:{server.server_port}/hook", requests
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def mailbox(tmp_path_factory, hook):
    """One folder with every bad message and the entries a real folder holds."""
    folder = tmp_path_factory.mktemp("bad-mailbox")
    for name in SMALL:
        shutil.copyfile(BAD / name, folder / name)

    # The From header names our listener, so a request to it would be seen.
    url, _ = hook
    sender = folder / "50-from-is-notification-url.eml"
    sender.write_bytes(sender.read_bytes().replace(make.HOOK_URL.encode(),
                                                   url.encode()))

    make.write_large(folder)
    make.write_folder_entries(folder)
    return folder


@pytest.fixture(scope="module")
def pipeline(tmp_path_factory):
    """A pipeline on its own SQLite database, shared by the module's tests."""
    tmp = tmp_path_factory.mktemp("bad-pipeline")
    built = Pipeline(make_settings(f"sqlite:///{tmp / 'triage.db'}", tmp))
    yield built
    built.close()


@pytest.fixture(scope="module")
def examine(pipeline, mailbox):
    """Examine one file of the folder, once; later calls reuse the result."""
    done = {}

    def run(name: str):
        if name not in done:
            [message] = iter_path(mailbox / name)
            done[name] = pipeline.examine(message.raw, message.source)
        return done[name]

    return run


@dataclass
class Ingested:
    pipeline: Pipeline
    first: dict[str, str]  # source -> outcome of the first pass
    second: dict[str, str]
    raw: dict[str, bytes]  # source -> the bytes that were ingested
    counts_after_first: tuple[int, int, int]
    counts_after_second: tuple[int, int, int]


def ingest_all(pipeline: Pipeline, paths: list[Path], raw: dict) -> dict[str, str]:
    """What `complaint-triage ingest` does: unreadable files are only logged."""
    outcomes = {}
    for item in iter_paths(paths):
        raw[item.source] = item.raw
        outcomes[item.source] = "unreadable" if item.error else pipeline.ingest(
            item.raw, item.source).outcome
    return outcomes


def counts(pipeline: Pipeline) -> tuple[int, int, int]:
    with pipeline.db.session() as session:
        return tuple(session.scalar(select(func.count()).select_from(model))
                     for model in (InboundMessage, ComplaintRecord, Notification))


@pytest.fixture(scope="module")
def ingested(pipeline, mailbox):
    """The folder and the mbox files ingested twice, then notifications sent."""
    paths = [mailbox, *(BAD / name for name in MBOXES)]
    raw = {}
    first = ingest_all(pipeline, paths, raw)
    after_first = counts(pipeline)
    second = ingest_all(pipeline, paths, raw)
    after_second = counts(pipeline)
    pipeline.deliver()
    return Ingested(pipeline, first, second, raw, after_first, after_second)


def stored(ingested: Ingested) -> dict[str, InboundMessage]:
    """Source -> its stored message row (detached, attributes loaded)."""
    with ingested.pipeline.db.session() as session:
        rows = session.scalars(select(InboundMessage)).all()
        sources = Counter(row.source for row in rows)
        assert max(sources.values()) == 1, sources.most_common(3)
        for row in rows:
            session.expunge(row)
    return {row.source: row for row in rows}


def record_of(ingested: Ingested, source: str) -> ComplaintRecord:
    with ingested.pipeline.db.session() as session:
        message = session.scalar(
            select(InboundMessage).where(InboundMessage.source == source))
        record = message.record
        assert record is not None, f"{source}: {message.outcome} {message.reason}"
        record.notifications  # noqa: B018 - loaded before the session closes
        session.expunge_all()
    return record


def mbox_sources(name: str, count: int) -> list[str]:
    return [f"{BAD / name}#{index}" for index in range(count)]


def expected_sources(mailbox: Path) -> list[str]:
    """Every message of the folder and the mbox files, as `source` names it."""
    names = [*MESSAGES, *make.UNREADABLE]
    mboxes = mbox_sources(MBOXES[0], 5) + mbox_sources(MBOXES[1], 1)
    return sorted([str(mailbox / name) for name in names] + mboxes)


# -- every message: no exception, the contract's shape, no stall --------------

@pytest.mark.parametrize("name", MESSAGES)
def test_every_bad_message_is_examined_without_raising(pipeline, mailbox, name):
    [message] = iter_path(mailbox / name)
    started = time.monotonic()
    examined = pipeline.examine(message.raw, message.source)
    elapsed = time.monotonic() - started

    assert_contract(json.loads(json.dumps(examined.as_json(), ensure_ascii=False)))
    assert elapsed < SLOW, f"{name} took {elapsed:.1f} s"


@pytest.mark.parametrize("name", MBOXES)
def test_every_mbox_message_is_examined_without_raising(pipeline, name):
    for message in iter_path(BAD / name):
        examined = pipeline.examine(message.raw, message.source)
        assert_contract(json.loads(json.dumps(examined.as_json())))


def run_triage_command(tmp_path, *paths) -> subprocess.CompletedProcess:
    """`complaint-triage triage --json PATHS` in its own working folder."""
    command = Path(sys.executable).with_name("complaint-triage")
    argv = [str(command)] if command.exists() else [sys.executable, "-m",
                                                    "pipeline.cli"]
    env = dict(os.environ, TRIAGE_DATABASE_URL=f"sqlite:///{tmp_path / 'cli.db'}",
               TRIAGE_NOTIFY_OUTBOX=str(tmp_path / "outbox"))
    return subprocess.run([*argv, "triage", "--json", *map(str, paths)], env=env,
                          cwd=tmp_path, capture_output=True, timeout=120, check=False)


def test_triage_command_prints_one_json_line_per_message(mailbox, tmp_path):
    done = run_triage_command(tmp_path, mailbox, *(BAD / name for name in MBOXES))
    assert done.returncode == 0, done.stderr.decode(errors="replace")[-3000:]

    lines = done.stdout.decode("utf-8").splitlines()
    results = {}
    for line in lines:
        data = json.loads(line)
        assert_contract(data)
        results[data["source"]] = data
    assert len(lines) == len(expected_sources(mailbox))
    assert sorted(results) == expected_sources(mailbox)

    for name in make.UNREADABLE:
        unreadable = results[str(mailbox / name)]
        assert unreadable["quarantined"]
        assert "cannot be read" in unreadable["reason"]
    assert results[str(mailbox / make.UPPERCASE)]["is_complaint"]
    # Not ASCII-escaped: the decoded Chinese is on the line as it is.
    assert any("审计报告错误" in line for line in lines)


def test_messages_before_a_missing_path_are_still_triaged(tmp_path):
    folder = Path(__file__).parent.parent / "samples" / "mailbox"
    samples = sorted(folder.glob("*.eml"))
    missing = tmp_path / "no-such-folder"
    done = run_triage_command(tmp_path, *samples[:3], missing)
    assert done.returncode != 0
    assert str(missing) in done.stderr.decode()
    sources = [json.loads(line)["source"] for line in done.stdout.splitlines()]
    assert sources == [str(path) for path in samples[:3]]


# -- ingesting twice: one stored outcome each, then nothing new ---------------

def test_first_ingest_stores_exactly_one_outcome_per_message(ingested, mailbox):
    readable = {s for s, o in ingested.first.items() if o != "unreadable"}
    unreadable = set(ingested.first) - readable
    rows = stored(ingested)

    assert sorted(ingested.first) == expected_sources(mailbox)
    assert {Path(source).name for source in unreadable} == set(make.UNREADABLE)
    assert set(rows) == readable
    assert "duplicate" not in ingested.first.values()
    for source, row in rows.items():
        assert row.outcome in STORED
        assert row.outcome == ingested.first[source]


def test_quarantined_messages_keep_their_raw_bytes_and_reason(ingested):
    rows = stored(ingested)
    quarantined = [row for row in rows.values() if row.outcome == "quarantined"]
    assert quarantined
    for row in quarantined:
        assert row.reason, row.source
        assert row.raw == ingested.raw[row.source], row.source


def test_second_ingest_of_the_same_folder_creates_nothing(ingested):
    outcomes = {o for o in ingested.second.values() if o != "unreadable"}
    assert outcomes == {"duplicate"}
    assert ingested.counts_after_second == ingested.counts_after_first


def test_same_message_id_with_other_content_is_kept_as_a_conflict(ingested,
                                                                   mailbox):
    rows = stored(ingested)
    first = rows[str(mailbox / "09a-same-message-id-first.eml")]
    second = rows[str(mailbox / "09b-same-message-id-other-content.eml")]

    assert first.message_id == "bad-09@bad.example"
    assert first.outcome == "record"
    assert second.message_id.startswith("bad-09@bad.example#")
    assert second.outcome == "quarantined"
    assert "Message-ID conflict" in second.reason


def test_mbox_messages_are_stored_under_path_and_index(ingested):
    rows = stored(ingested)
    # The unescaped "From here on" and "From now on" lines split nothing.
    for name, count in zip(MBOXES, (5, 1), strict=True):
        sources = sorted(s for s in rows if s.startswith(f"{BAD / name}#"))
        assert sources == mbox_sources(name, count)


def test_date_in_2099_gives_a_reference_of_the_current_year(ingested, mailbox):
    record = record_of(ingested, str(mailbox / "06b-date-2099.eml"))
    now = datetime.now(UTC)
    year = now.astimezone(timezone(timedelta(hours=8))).year
    prefix = ingested.pipeline.settings.firm.reference_prefix

    assert record.reference.startswith(f"{prefix}-{year}-")
    assert record.received_at <= now


@pytest.mark.parametrize("name", ["40c-from-name-only-no-address.eml",
                                  "50-from-is-notification-url.eml"])
def test_sender_that_is_no_address_gets_no_acknowledgement(ingested, mailbox,
                                                           name):
    record = record_of(ingested, str(mailbox / name))
    assert record.complainant_email is None
    assert [n for n in record.notifications if n.kind == "acknowledgement"] == []


def test_notification_url_in_from_receives_no_request(ingested, hook):
    _url, requests = hook
    with ingested.pipeline.db.session() as session:
        targets = set(session.scalars(select(Notification.target)))
        kinds = set(session.scalars(select(Notification.kind)))

    # Acknowledgements do go out in this run, only not to the URL.
    assert "acknowledgement" in kinds
    assert not any("127.0.0.1" in target for target in targets)
    assert requests == []


# -- what a person reads in each case -----------------------------------------

@pytest.mark.parametrize("name", [
    "10-charset-foo.eml", "11-utf8-label-gbk-bytes.eml",
    "12-latin1-label-gbk-bytes.eml", "13-charset-undefined-body.eml",
])
def test_gbk_body_under_a_wrong_or_undefined_label_reads_as_chinese(examine,
                                                                     name):
    body = examine(name).parsed.body_text
    assert MINOR in body
    assert "\ufffd" not in body


@pytest.mark.parametrize("name, text", by_name(
    ("15-broken-base64.eml", MINOR),
    ("15b-base64-label-on-8bit-text.eml", "是直接写的中文投诉"),
))
def test_broken_base64_body_reads_as_chinese(examine, name, text):
    body = examine(name).parsed.body_text
    assert text in body
    assert "\ufffd" not in body


def test_utf16_label_on_ascii_text_reads_as_english(examine):
    body = examine("14c-utf16-label-ascii-body.eml").parsed.body_text
    assert "please send us the invoice for the audit fee" in body


def test_truncated_quoted_printable_stays_utf8_without_gb18030_mojibake(examine):
    body = examine("16-truncated-quoted-printable.eml").parsed.body_text
    assert "王经理" in body
    assert "贵所出具的审计报告有错误" in body
    assert "鐜嬬粡" not in body


@pytest.mark.parametrize("name", [
    "16b-cte-unknown.eml", "28b-nul-in-body-only.eml",
    "29-cr-only-line-endings.eml", "29b-lf-only-line-endings.eml",
    "29c-mixed-line-endings.eml", "31-eml-starting-with-from-line.eml",
    "18-nested-multipart-50.eml", "18b-nested-multipart-400.eml",
    "26b-html-deeply-nested-tags.eml",
])
def test_odd_encoding_line_ends_or_nesting_keep_the_complaint_text(examine, name):
    examined = examine(name)
    assert examined.reason is None
    assert MINOR in examined.parsed.body_text
    assert examined.verdict.is_complaint


@pytest.mark.parametrize("name", [
    "17-unterminated-multipart.eml", "17b-boundary-never-appears.eml",
    "17c-multipart-no-boundary-param.eml",
])
def test_multipart_without_a_usable_boundary_keeps_the_text_as_body(examine,
                                                                    name):
    examined = examine(name)
    assert examined.reason is None
    assert MINOR in examined.parsed.body_text


@pytest.mark.parametrize("name", ["17d-alternative-other-boundary.eml",
                                  "17e-mixed-other-boundary.eml"])
def test_multipart_body_is_read_with_the_boundary_it_uses(examine, name):
    examined = examine(name)
    assert examined.parsed.body_text.startswith(make.LAWSUIT[:30])
    assert "Content-Type" not in examined.parsed.body_text
    assert examined.verdict.level == 3


@pytest.mark.parametrize("name, subject", by_name(
    ("14-charset-undefined-subject.eml", "投诉"),
    ("14d-subject-foo-charset.eml", "投诉"),
    ("27-subject-1000-encoded-words.eml", "投诉0投诉1投诉2"),
    ("27b-subject-1000-gbk-q-words.eml", "投诉" * 1000),
))
def test_subject_encoded_words_in_odd_charsets_decode(examine, name, subject):
    decoded = examine(name).parsed.subject
    assert decoded.startswith(subject)
    assert "\ufffd" not in decoded


def test_rfc2231_filename_with_undefined_charset_decodes(examine):
    examined = examine("14b-charset-undefined-filename.eml")
    assert [a.filename for a in examined.parsed.attachments] == ["投诉.txt"]


@pytest.mark.parametrize("name", ["40-raw-utf8-subject-and-from.eml",
                                  "40b-raw-gbk-subject-and-from.eml"])
def test_raw_8bit_subject_and_from_decode(examine, name):
    parsed = examine(name).parsed
    assert parsed.subject == "审计报告错误"
    assert parsed.sender_name == "陈镕"
    assert parsed.sender_address == "chenrong@zhehe-tech.example.cn"


def test_nul_bytes_everywhere_still_leave_the_headers_readable(examine):
    examined = examine("28-nul-bytes-everywhere.eml")
    assert examined.message_id == "bad-28@bad.example"
    assert examined.parsed.subject == "审计报告错误"
    assert examined.parsed.sender_address == "chenrong@zhehe-tech.example.cn"
    assert MINOR in examined.parsed.body_text


@pytest.mark.parametrize("name, reason", by_name(
    ("01-empty.eml", "empty message"),
    ("03b-whitespace-only.eml", "empty message"),
    ("02-binary-garbage.eml", "no mail headers found"),
    ("07b-no-headers-at-all.eml", "no mail headers found"),
))
def test_garbage_without_mail_headers_is_quarantined_with_the_reason(examine,
                                                                     name, reason):
    examined = examine(name)
    assert examined.verdict is None
    assert reason in examined.reason


def test_html_of_scripts_only_triages_no_script_text(examine):
    body = examine("26-html-script-only.eml").parsed.body_text
    assert "起诉" not in body
    assert "alert" not in body


def test_three_nested_forwards_triage_the_innermost_client(examine):
    examined = examine("20-forwards-nested-3.eml")
    assert LAWSUIT in examined.parsed.body_text
    assert examined.parsed.client_sender[1] == LAWSUIT_ADDRESS
    assert examined.as_json()["complainant"]["email"] == LAWSUIT_ADDRESS
    assert examined.verdict.is_complaint


def test_forwards_nested_200_deep_are_quarantined_with_the_reason(examine):
    examined = examine("20b-forwards-nested-200.eml")
    assert examined.verdict is None
    assert "nested" in examined.reason


@pytest.mark.parametrize("name", [
    "23-corrupt-docx.eml", "23b-docx-truncated-zip.eml", "24-docx-bad-xml.eml",
    "24b-docx-is-plain-zip.eml",
])
def test_unreadable_word_letter_beside_a_one_line_body_is_quarantined(examine,
                                                                      name):
    examined = examine(name)
    assert examined.verdict is None
    assert "律师函.docx" in examined.reason


BOMBS = {"25-docx-many-paragraphs.eml": LAWSUIT,
         "25b-docx-one-huge-text-node.eml": LAWSUIT,
         "25c-docx-billion-laughs.eml": MINOR}


@pytest.mark.parametrize("name, text", by_name(*BOMBS.items()))
def test_word_bomb_beside_a_complaint_is_triaged_from_the_body(examine, name,
                                                               text):
    examined = examine(name)
    assert examined.reason is None
    assert text in examined.parsed.body_text
    assert examined.verdict.is_complaint
    [attachment] = examined.parsed.attachments
    assert attachment.error and not attachment.text


@pytest.mark.parametrize("name", BOMBS)
def test_word_bomb_is_reported_unreadable_in_the_triage_output(examine, name):
    data = examine(name).as_json()
    [attachment] = data["attachments"]
    mentioned = [r for r in data["reasons"] if attachment["filename"] in r]
    assert attachment.get("error") or mentioned


def test_date_in_2099_is_not_taken_as_the_receipt_time(examine):
    examined = examine("06b-date-2099.eml")
    assert examined.parsed.date.year == 2099
    assert examined.received_at <= datetime.now(UTC)


@pytest.mark.parametrize("name, limit", by_name(
    ("21-huge-single-line-header.eml", "max_header_bytes"),
    ("21b-huge-subject.eml", "max_header_bytes"),
    ("21c-many-headers.eml", "max_header_bytes"),
    ("22-40mb-attachment.eml", "max_bytes"),
    ("18c-nested-multipart-1500.eml", "max_parts"),
))
def test_message_over_a_limit_is_quarantined_naming_the_limit(pipeline, examine,
                                                              name, limit):
    examined = examine(name)
    assert examined.verdict is None
    assert f"limit of {getattr(pipeline.settings.limits, limit)}" in examined.reason


@pytest.mark.parametrize("name", ["40c-from-name-only-no-address.eml",
                                  "50-from-is-notification-url.eml"])
def test_sender_that_is_no_address_has_no_complainant_email(examine, name):
    assert examine(name).as_json()["complainant"]["email"] is None


def test_mbox_body_lines_starting_with_from_split_no_message(pipeline):
    [message] = iter_path(BAD / MBOXES[1])
    assert [message.source] == mbox_sources(MBOXES[1], 1)
    body = pipeline.examine(message.raw, message.source).parsed.body_text
    assert "From now on we refuse to pay." in body
    assert "From the CFO" in body

    five = list(iter_path(BAD / MBOXES[0]))
    assert [m.source for m in five] == mbox_sources(MBOXES[0], 5)
    assert b"From here on I quote the report" in five[1].raw


# -- batches: the same outcome as one at a time -----------------------------

def _comparable(examined) -> dict:
    output = examined.as_json()
    output.pop("received_at")  # "now" for a message without any date
    return output


def test_a_batch_gives_each_message_what_it_gets_alone(pipeline, mailbox, examine):
    names = [name for name in MESSAGES if (mailbox / name).is_file()]
    arrivals = [Arrival(message.raw, message.source)
                for name in names for message in iter_path(mailbox / name)]
    together = pipeline.examine_many(arrivals)
    assert len(together) == len(arrivals) > 10
    assert any(e.verdict is None for e in together)  # quarantined ones included
    assert any(e.verdict is not None and e.verdict.is_complaint for e in together)
    for name, examined in zip(names, together, strict=True):
        assert _comparable(examined) == _comparable(examine(name)), name


def test_a_message_whose_triage_fails_fails_alone(pipeline, mailbox, monkeypatch):
    names = sorted(p.name for p in mailbox.glob("*.eml"))[:6]
    arrivals = [Arrival(m.raw, m.source) for n in names for m in iter_path(mailbox / n)]
    alone = [pipeline.examine(*arrival) for arrival in arrivals]
    doomed = next(e for e in alone if e.verdict is not None)
    real_verdict = type(pipeline.triage)._fields

    def failing(triage, item, *args):
        if item.subject == doomed.parsed.subject:
            raise RuntimeError("a bug met on one message")
        return real_verdict(triage, item, *args)

    monkeypatch.setattr(type(pipeline.triage), "_fields", failing)
    together = pipeline.examine_many(arrivals)
    for before, after in zip(alone, together, strict=True):
        if before.parsed is not None and before.parsed.subject == doomed.parsed.subject:
            assert after.verdict is None
            assert after.reason == ("triage failed: RuntimeError: "
                                    "a bug met on one message")
        else:
            assert _comparable(after) == _comparable(before)


# -- what a file holds, whatever its name says ----------------------------------

def test_an_mbox_saved_as_eml_gives_every_message(tmp_path):
    # The fixture's third entry is a separator and garbage, no headers: in a
    # file named .eml that is body text of the message before it.
    disguised = tmp_path / "mailbox-export.eml"
    disguised.write_bytes((BAD / MBOXES[0]).read_bytes())
    messages = list(iter_path(disguised))
    assert [m.source for m in messages] == [f"{disguised}#{i}" for i in range(4)]
    assert b"not a message header" in messages[1].raw
    folder = tmp_path / "folder"
    folder.mkdir()
    (folder / "export.eml").write_bytes(disguised.read_bytes())
    assert len(list(iter_path(folder))) == 4


def test_a_bounce_quoted_in_a_saved_message_does_not_split_it(tmp_path):
    saved = tmp_path / "saved.eml"
    saved.write_bytes(
        b"From - Mon Mar  2 09:00:00 2026\nFrom: a@client.example.cn\n"
        b"Subject: complaint\nMessage-ID: <one@client.example.cn>\n\n"
        + make.LAWSUIT.encode() + b"\n\n"
        b"From MAILER-DAEMON Mon Mar  2 08:00:00 2026\nSubject: undelivered\n\n"
        b"The earlier copy bounced.\n")
    [message] = iter_path(saved)
    assert b"The earlier copy bounced" in message.raw


def test_an_unreadable_eml_does_not_stop_the_others(tmp_path):
    unreadable = tmp_path / "a.eml"
    unreadable.symlink_to("/proc/self/mem")  # opens, then every read fails
    readable = tmp_path / "b.eml"
    readable.write_bytes(b"From: a@client.example.cn\nSubject: x\n\nhello\n")
    for items in (list(iter_paths([unreadable, readable])), list(iter_path(tmp_path))):
        assert [item.source for item in items] == [str(unreadable), str(readable)]
        assert items[0].error and items[1].error is None


def test_one_message_saved_with_its_separator_line_stays_one(mailbox):
    [message] = iter_path(mailbox / "31-eml-starting-with-from-line.eml")
    assert not message.raw.startswith(b"From ")


def test_text_under_a_base64_label_is_read_as_text(pipeline):
    raw = ("From: a@client.example.cn\r\nTo: complaints@firm.example\r\n"
           "Subject: complaint\r\nMessage-ID: <b64-label@client.example.cn>\r\n"
           "Content-Type: text/plain\r\nContent-Transfer-Encoding: base64\r\n\r\n"
           "!!! We will sue your firm over page 5 of the audit report. !!!\r\n")
    examined = pipeline.examine(raw.encode(), "test")
    assert "We will sue your firm" in examined.parsed.body_text


def test_a_quarantined_message_keeps_its_subject_and_date(pipeline):
    raw = b"From: a@client.example.cn\r\nSubject: x\r\n\r\n" + make.LAWSUIT.encode()
    for _ in range(12):  # forwards nested deeper than are followed
        raw = (b"From: a@client.example.cn\r\nSubject: =?utf-8?b?5oqV6K+J?=\r\n"
               b"Date: Mon, 02 Mar 2026 09:00:00 +0800\r\n"
               b"Content-Type: message/rfc822\r\n\r\n" + raw)
    output = pipeline.examine(raw, "test").as_json()
    assert output["quarantined"] and output["kind"] == "quarantined"
    assert output["subject"] == "投诉"
    assert output["received_at"] == "2026-03-02T09:00:00+08:00"


@pytest.mark.parametrize("separator", ["--------------------", "-----Original Message-----",
                                       "-- "])
def test_a_dash_line_in_a_body_is_not_taken_for_a_boundary(pipeline, separator):
    raw = ("From: a@client.example.cn\r\nTo: complaints@firm.example\r\n"
           "Subject: complaint\r\nMessage-ID: <dash-line@client.example.cn>\r\n"
           'Content-Type: multipart/mixed; boundary="abc"\r\n\r\n'
           f"{make.LAWSUIT}\r\n{separator}\r\nFrom: someone\r\nSubject: old\r\n"
           "\r\n上次的邮件\r\n")
    examined = pipeline.examine(raw.encode(), "test")
    assert make.LAWSUIT[:30] in examined.parsed.body_text
    assert examined.verdict.level == 3


# -- a complaint sent again under its own quoted copy ----------------------------

def _resent(note: str, quoted_from: str) -> bytes:
    return ("From: 杨帆 <yangfan@pengyuan-elec.example.cn>\r\n"
            "To: complaints@firm.example\r\nSubject: 投诉：审计报告问题（第二次发送）\r\n"
            "Date: Tue, 10 Mar 2026 09:00:00 +0800\r\n"
            "Message-ID: <resent-{}@pengyuan-elec.example.cn>\r\n"
            "Content-Type: text/plain; charset=utf-8\r\n\r\n"
            f"{note}\r\n\r\n-----Original Message-----\r\n"
            f"From: {quoted_from}\r\nSent: Monday, March 2, 2026 9:00 AM\r\n"
            "To: complaints@firm.example\r\nSubject: 投诉：审计报告问题\r\n\r\n"
            f"{make.LAWSUIT}\r\n").format(len(note) * 1000 + len(quoted_from)).encode()


@pytest.mark.parametrize("note, quoted_from", [
    ("上周已发过一次，至今未见回复，请尽快处理！", "yangfan@pengyuan-elec.example.cn"),
    ("再发一次。", "杨帆 <yangfan@pengyuan-elec.example.cn>"),
    ("这是我们财务部上周发给贵所的邮件，至今没有任何回复，我们非常失望，"
     "请贵所领导重视并在三日内给出书面答复。", "caiwu@pengyuan-elec.example.cn"),
])
def test_a_complaint_sent_again_is_read_with_the_copy_it_quotes(pipeline, note,
                                                                  quoted_from):
    examined = pipeline.examine(_resent(note, quoted_from), "test")
    assert make.LAWSUIT[:20] in examined.parsed.client_text
    assert note[:6] in examined.parsed.client_text
    assert examined.verdict.level == 3
    # The firm may never have had the first copy: the clock starts now.
    assert examined.received_at.isoformat().startswith("2026-03-10")


@pytest.mark.parametrize("note, quoted_from", [
    ("王经理：您好！附件中的确认函已经盖章寄出，请注意查收。另外，下周二的现场"
     "盘点时间我们已经安排好，届时财务部会有两位同事全程陪同。谢谢！",
     "someone@another-company.example.com"),
    ("收到，谢谢王经理。", "王明"),  # Outlook quotes the firm by name only
    ("再发一次。", "other.person@example.net"),
])
def test_a_reply_above_someone_elses_mail_keeps_that_mail_as_history(pipeline, note,
                                                                    quoted_from):
    examined = pipeline.examine(_resent(note, quoted_from), "test")
    assert make.LAWSUIT[:20] not in examined.parsed.client_text
    assert examined.parsed.client_sender[1] == "yangfan@pengyuan-elec.example.cn"
