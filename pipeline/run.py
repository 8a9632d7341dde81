"""The per-message run: parse, triage, store, queue notifications.

`Pipeline.examine` parses and triages without touching the database (the
`triage` command).  `Pipeline.ingest` does the same and then stores the
outcome in one transaction per message: a new draft record, a follow-up on
an existing one, a non-complaint, or a quarantined message with its raw
bytes and the reason.  Nothing is created twice for the same Message-ID.
Notifications are queued in that transaction and sent after it commits.
"""

from __future__ import annotations

import hashlib
import itertools
import logging
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.parser import BytesHeaderParser
from email.utils import parseaddr
from typing import NamedTuple

from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Session

from classifiers.classifier import load_classifier
from classifiers.rules import LEVEL_LABELS, load_rules
from classifiers.triage import Triage, TriageInput, Verdict
from models import store
from models.db import Database
from models.schema import ComplaintRecord, Deadline, InboundMessage, StatusChange
from notifiers import render
from notifiers.channels import Channels, SmtpServer, is_email
from notifiers.delivery import DeliveryReport, deliver_pending, enqueue
from pipeline import mime
from pipeline.deadlines import WorkingCalendar, deadlines_for
from pipeline.errors import MessageRejected
from pipeline.group_effect import after_new_record
from pipeline.output import triage_json
from pipeline.parse import (
    ParsedMessage,
    is_firm_address,
    message_id_of,
    parse_date,
    parse_message,
)
from pipeline.settings import Settings

log = logging.getLogger(__name__)

# Messages triaged together when a caller has many at hand (files, an IMAP
# FETCH): beyond a few dozen the batch gains nothing more.
EXAMINE_BATCH = 50


class Arrival(NamedTuple):
    """Raw bytes as they came, where from, and the server's arrival time."""

    raw: bytes
    source: str
    internaldate: datetime | None = None


@dataclass
class Examined:
    """A message parsed and triaged, or the reason it could not be."""

    message_id: str
    source: str
    received_at: datetime
    parsed: ParsedMessage | None = None
    verdict: Verdict | None = None
    reason: str | None = None
    subject: str = ""  # read from the headers alone when the message is not parsed

    def as_json(self) -> dict:
        return triage_json(self)


@dataclass
class Outcome:
    message_id: str
    outcome: str  # record, followup, not_complaint, quarantined, duplicate
    reference: str | None = None
    level: int | None = None


def build_triage(settings: Settings) -> Triage:
    return Triage(
        rules=load_rules(settings.triage.rules_path),
        classifier=load_classifier(settings.triage.model_path),
        firm_domains=settings.firm.domains,
    )


class Pipeline:
    """Owns the steps; one per process."""

    def __init__(self, settings: Settings, db: Database | None = None) -> None:
        self.settings = settings
        self.triage = build_triage(settings)
        self._db = db
        self.calendar = WorkingCalendar(settings.calendar, settings.triage.timezone)
        smtp = settings.smtp
        server = None
        if smtp.host:
            server = SmtpServer(smtp.host, smtp.port, smtp.user, smtp.password,
                                smtp.ssl, smtp.starttls, smtp.timeout)
        self.channels = Channels(server, settings.notify.outbox)

    @property
    def db(self) -> Database:
        if self._db is None:
            self._db = Database(self.settings.database.url)
        return self._db

    # -- examine: no database ---------------------------------------------

    def examine(self, raw: bytes, source: str,
                internaldate: datetime | None = None) -> Examined:
        return self.examine_many([Arrival(raw, source, internaldate)])[0]

    def examine_stream(self, arrivals: Iterable[Arrival]) -> Iterator[Examined]:
        """`examine_many` over any number of messages, EXAMINE_BATCH at a time."""
        arrivals = iter(arrivals)
        while batch := list(itertools.islice(arrivals, EXAMINE_BATCH)):
            yield from self.examine_many(batch)

    def examine_many(self, arrivals: Sequence[Arrival]) -> list[Examined]:
        """Parse and triage a batch; triage runs over the whole batch at once
        (see Triage.many), and one message that fails it fails alone."""
        now = datetime.now(UTC)
        examined = [self._parse_safely(arrival, now) for arrival in arrivals]
        ready = [e for e in examined if e.parsed is not None]
        try:
            verdicts = self.triage.many([triage_input(e.parsed) for e in ready])
        except Exception:  # noqa: BLE001 - find the message that fails, below
            log.warning("triage of a batch of %s failed; triaging one by one",
                        len(ready))
            verdicts = [self._triage_alone(e) for e in ready]
        for item, verdict in zip(ready, verdicts, strict=True):
            if verdict is None:
                continue
            item.verdict = verdict
            unread = [a for a in item.parsed.attachments if a.error]
            for attachment in unread:
                # Its content could change the level: a person must open it.
                verdict.reasons.append(
                    f"附件无法自动读取：{attachment.filename or attachment.content_type}"
                    "，请人工查看其内容是否影响分级")
            if unread and verdict.kind == "not_complaint" and _points_to_attachment(
                    item.parsed):
                # The complaint may be in the attachment ("详见附件扫描件"):
                # quarantined, a person is told and decides.
                first = unread[0]
                item.verdict, item.reason = None, (
                    f"not a complaint by its text, but its attachment "
                    f"{first.filename or first.content_type} cannot be read: "
                    f"{first.error}")
        return examined

    def _parse_safely(self, arrival: Arrival, now: datetime) -> Examined:
        try:
            return self._parse(arrival, now)
        except Exception as exc:  # noqa: BLE001 - one bad message must not stop the run
            log.exception("%s: could not be examined", arrival.source)
            return Examined(_cheap_message_id(arrival.raw), arrival.source,
                            arrival.internaldate or now,
                            reason=f"examine failed: {type(exc).__name__}: {exc}")

    def _parse(self, arrival: Arrival, now: datetime) -> Examined:
        raw, source, internaldate = arrival
        try:
            parsed = parse_message(raw, self.settings.limits,
                                   tuple(self.settings.firm.domains))
        except MessageRejected as exc:
            subject, _sender, sent = _cheap_headers(raw)
            sent = sent if sent is not None and sent <= now else None
            return Examined(_cheap_message_id(raw), source, internaldate or sent or now,
                            reason=str(exc), subject=subject)
        received = internaldate or parsed.received_at or parsed.date or now
        received = _first_contact(parsed, received)
        if received > now + timedelta(hours=1):
            # A client's clock (or a forged Date) must not move the plan's
            # deadlines into the future.
            log.info("%s: receipt time %s is in the future; using now",
                     parsed.message_id, received.isoformat())
            received = now
        return Examined(parsed.message_id, source, received, parsed)

    def _triage_alone(self, examined: Examined) -> Verdict | None:
        try:
            return self.triage(triage_input(examined.parsed))
        except Exception as exc:  # noqa: BLE001 - one bad message must not stop the run
            log.exception("%s: triage failed", examined.message_id)
            examined.reason = f"triage failed: {type(exc).__name__}: {exc}"
            return None

    def unreadable(self, source: str, reason: str) -> Examined:
        """What `examine` says of a file that could not even be read."""
        return Examined(f"unreadable:{source}", source, datetime.now(UTC),
                        reason=reason)

    # -- ingest: store and queue ------------------------------------------

    def ingest(self, raw: bytes, source: str, *, mailbox: str | None = None,
               uid: int | None = None, internaldate: datetime | None = None,
               examined: Examined | None = None) -> Outcome:
        """Store one message's outcome; safe to call again with the same message.

        `examined` is this message's result from `examine_many` when the
        caller triaged a batch ahead of storing it one message at a time.
        """
        # Recognise a message already stored before paying for its triage.
        header_id = _cheap_message_id(raw)
        with self.db.session() as session:
            if _seen(session, header_id, raw):
                log.debug("%s: already stored; nothing new", header_id)
                return Outcome(header_id, "duplicate")
        if examined is None:
            examined = self.examine(raw, source, internaldate)
        try:
            with self.db.session() as session:
                if _seen(session, examined.message_id, raw):
                    return Outcome(examined.message_id, "duplicate")
                _separate_conflict(session, examined, raw)
                outcome = self._store(session, examined, raw, mailbox, uid)
        except IntegrityError:
            with self.db.session() as session:
                stored = store.find_message(session, examined.message_id)
            if stored is None:
                return self._quarantine_after_failure(examined, raw, mailbox, uid)
            # Another poller stored the same message first.
            log.info("%s: stored concurrently elsewhere; skipped", examined.message_id)
            return Outcome(examined.message_id, "duplicate")
        except OperationalError:
            raise  # the database is unreachable: nothing can be kept now
        except Exception as exc:  # noqa: BLE001 - one message must not stop the run
            log.exception("%s: could not store the outcome", examined.message_id)
            examined.reason = f"storage error: {type(exc).__name__}: {exc}"[:500]
            return self._quarantine_after_failure(examined, raw, mailbox, uid)
        _log_outcome(examined, outcome)
        return outcome

    def _quarantine_after_failure(self, examined: Examined, raw: bytes,
                                  mailbox: str | None, uid: int | None) -> Outcome:
        """Keep the raw bytes when storing the full outcome failed."""
        examined.verdict = None
        examined.reason = examined.reason or "could not store the triage outcome"
        with self.db.session() as session:
            message = _message_row(examined, raw, mailbox, uid)
            message.outcome, message.reason = "quarantined", examined.reason
            session.add(message)
        _log_outcome(examined, Outcome(examined.message_id, "quarantined"))
        return Outcome(examined.message_id, "quarantined")

    def close(self) -> None:
        if self._db is not None:
            self._db.dispose()

    def deliver(self) -> DeliveryReport:
        notify = self.settings.notify
        return deliver_pending(
            self.db, self.channels, self.settings.smtp.sender,
            notify.max_attempts, notify.retry_after, on_sent=_mark_notified,
        )

    def _store(self, session: Session, examined: Examined, raw: bytes,
               mailbox: str | None, uid: int | None) -> Outcome:
        message = _message_row(examined, raw, mailbox, uid)
        session.add(message)
        verdict, parsed = examined.verdict, examined.parsed
        if examined.reason or verdict is None or parsed is None:
            message.outcome, message.reason = "quarantined", examined.reason
            self._queue_quarantine_notice(session, message)
            return Outcome(examined.message_id, "quarantined")
        # Auto-replies and bulk mail often quote a reference number; they are
        # kept as non-complaints, never as the client's follow-up.
        automatic = verdict.kind in ("auto_reply", "bounce", "bulk")
        record = None if automatic else self._followup_target(session, parsed)
        if record is not None:
            self._attach_followup(session, record, message, verdict)
            return Outcome(examined.message_id, "followup", record.reference,
                           record.level)
        if not verdict.is_complaint:
            message.outcome = "not_complaint"
            return Outcome(examined.message_id, "not_complaint")
        record = self._new_record(session, examined)
        message.outcome, message.record = "record", record
        session.flush()
        after_new_record(self, session, record)
        self._queue_draft(session, record)
        self._queue_acknowledgement(session, record, parsed)
        return Outcome(examined.message_id, "record", record.reference, record.level)

    def _new_record(self, session: Session, examined: Examined) -> ComplaintRecord:
        verdict, parsed = examined.verdict, examined.parsed
        fields, who = verdict.fields, verdict.fields.complainant
        year = examined.received_at.astimezone(render.BEIJING).year
        record = ComplaintRecord(
            reference=store.next_reference(session, self.settings.firm.reference_prefix,
                                           year),
            status="draft", level=verdict.level, confidence=verdict.confidence,
            reasons=verdict.reasons, rules=verdict.rules,
            client_name=fields.client_name, complainant_name=who.name,
            complainant_title=who.title, complainant_phone=who.phone,
            complainant_email=_valid_email(who.email or parsed.client_sender[1]),
            subject=parsed.subject, description=_description(parsed),
            demands=fields.demands, reported_elsewhere=fields.reported_elsewhere,
            figures=verdict.figures.to_dict(), received_at=examined.received_at,
        )
        session.add(record)
        session.flush()
        self._set_deadlines(record)
        session.add(StatusChange(record_id=record.id, from_status=None,
                                 to_status="draft", actor="system"))
        return record

    def _set_deadlines(self, record: ComplaintRecord,
                       since: datetime | None = None) -> None:
        """The clocks of the record's level; kept clocks keep their met time.

        Clocks a raised level adds start at `since`, when the news that raised
        it arrived (a follow-up, a group forming, a person's correction): a
        30-minute meeting cannot be due before anyone knew it was needed.
        """
        current = {d.name: d for d in record.deadlines}
        from_receipt = deadlines_for(record.level, record.received_at, self.calendar)
        from_news = {}
        if since is not None:
            from_news = dict(deadlines_for(record.level, since, self.calendar))
        for clock, due in from_receipt:
            deadline = current.pop(clock.name, None)
            if deadline is None:
                due = from_news.get(clock, due)
                record.deadlines.append(Deadline(name=clock.name, label=clock.label,
                                                 audience=clock.audience, due_at=due))
            else:
                deadline.label, deadline.audience = clock.label, clock.audience
                deadline.due_at = due
        for stale in current.values():
            record.deadlines.remove(stale)

    # -- follow-ups -------------------------------------------------------

    def _followup_target(self, session: Session,
                         parsed: ParsedMessage) -> ComplaintRecord | None:
        sender = parsed.client_sender[1]
        candidates = store.records_for_thread(
            session, [parsed.in_reply_to, *parsed.references])
        prefix = self.settings.firm.reference_prefix
        for reference in store.references_in(parsed.subject, prefix):
            record = store.record_by_reference(session, reference)
            if record is not None and record not in candidates:
                candidates.append(record)
        for record in candidates:
            if store.same_client(record, sender):
                return record
            log.info("%s: refers to %s but comes from another sender; not attached",
                     parsed.message_id, record.reference)
        return None

    def _attach_followup(self, session: Session, record: ComplaintRecord,
                         message: InboundMessage, verdict: Verdict) -> None:
        message.outcome, message.record = "followup", record
        record.demands = list(dict.fromkeys(record.demands + verdict.fields.demands))
        record.description = _with_followup(record.description, message, verdict)
        if not verdict.is_complaint or verdict.level <= record.level:
            return
        previous = record.level
        record.level = verdict.level
        record.confidence = verdict.confidence
        when = render.local(message.received_at)
        why = (f"客户后续来信（{when}，{message.sender or '发件人不详'}）使级别升为"
               f"{LEVEL_LABELS[record.level]}：{verdict.reasons[0]}")
        # The first draft's "no serious sign" and its classifier verdict no
        # longer describe the record.
        kept = [r for r in record.reasons
                if not r.startswith(("一级：", "分类器判断"))]
        record.reasons = list(dict.fromkeys([why, *verdict.reasons, *kept]))
        session.add(StatusChange(record_id=record.id, from_status=record.status,
                                 to_status=record.status, actor="system",
                                 note=f"级别由{LEVEL_LABELS[previous]}升为{LEVEL_LABELS[record.level]}"))
        self._set_deadlines(record, since=message.received_at)
        session.flush()
        self._queue_escalation(session, record, previous, why)

    # -- notifications ----------------------------------------------------

    def _audiences(self, level: int) -> list[tuple[str, list[str]]]:
        notify = self.settings.notify
        groups = [("execution", notify.execution)]
        if level >= 2:
            groups.append(("leadership", notify.leadership))
        return groups

    def _queue_draft(self, session: Session, record: ComplaintRecord) -> None:
        for audience, targets in self._audiences(record.level):
            subject, body = render.draft_notice(record, audience)
            for target in targets:
                self._enqueue(session, record, f"draft:{record.reference}:{target}",
                              "draft", audience, target, subject, body)

    def _queue_escalation(self, session: Session, record: ComplaintRecord,
                          previous: int, why: str) -> None:
        for audience, targets in self._audiences(record.level):
            subject, body = render.escalation_notice(record, audience, previous, why)
            for target in targets:
                key = f"escalation:{record.reference}:{record.level}:{target}"
                self._enqueue(session, record, key, "escalation", audience, target,
                              subject, body)

    def _queue_acknowledgement(self, session: Session, record: ComplaintRecord,
                               parsed: ParsedMessage) -> None:
        ack = self.settings.ack
        address = parsed.client_sender[1]
        # Only a real address is answered: a From header holding a bot URL
        # must never choose the channel the server sends on.
        if not ack.enabled or not is_email(address or "") or self._is_firm(address):
            return
        since = datetime.now(UTC) - timedelta(days=1)
        sent = store.acknowledgements_since(session, address, since)
        if sent >= ack.per_sender_per_day:
            log.info("%s: acknowledgement to sender skipped (daily limit)",
                     record.reference)
            return
        reply_by = next((d.due_at for d in record.deadlines
                         if d.name == "execution_response"),
                        record.received_at + timedelta(hours=24))
        # Mail read late (a mailbox outage) must not promise a time already past.
        reply_by = max(reply_by, datetime.now(UTC) + timedelta(hours=4))
        subject, body = render.acknowledgement(record, self.settings.firm.name,
                                               reply_by)
        headers = {"Auto-Submitted": "auto-replied", "X-Auto-Response-Suppress": "All",
                   "In-Reply-To": f"<{parsed.message_id}>",
                   "References": f"<{parsed.message_id}>"}
        self._enqueue(session, record, f"ack:{record.reference}", "acknowledgement",
                      "client", address, subject, body, headers)

    def _queue_quarantine_notice(self, session: Session,
                                 message: InboundMessage) -> None:
        """A person must see mail the triage could not read: it may be a complaint."""
        subject, body = render.quarantine_notice(message)
        for target in self.settings.notify.execution:
            self._enqueue(session, None, f"quarantine:{message.message_id}:{target}",
                          "quarantine", "execution", target, subject, body)

    def _enqueue(self, session, record, key, kind, audience, target, subject, body,
                 headers=None) -> None:
        domain = self.settings.smtp.sender.rsplit("@", 1)[-1]
        enqueue(session, key=key, record_id=record.id if record else None, kind=kind,
                audience=audience, target=target, subject=subject, body=body,
                sender_domain=domain, headers=headers)

    def _is_firm(self, address: str) -> bool:
        return is_firm_address(address, self.settings.firm.domains)


def triage_input(parsed: ParsedMessage) -> TriageInput:
    """What the triage reads of a parsed message."""
    name, address = parsed.client_sender
    return TriageInput(
        subject=parsed.subject, body_text=parsed.body_text,
        client_text=parsed.client_text, sender_name=name, sender_address=address,
        auto_reply=parsed.auto_reply, bulk=parsed.bulk, bounce=parsed.bounce,
    )


def _message_row(examined: Examined, raw: bytes, mailbox: str | None,
                 uid: int | None) -> InboundMessage:
    parsed = examined.parsed
    subject, sender = (parsed.subject, parsed.sender_address) if parsed else (
        _cheap_headers(raw)[:2])
    return InboundMessage(
        message_id=examined.message_id, raw_sha256=hashlib.sha256(raw).hexdigest(),
        raw=raw, source=examined.source, mailbox=mailbox, uid=uid,
        subject=subject, sender=sender,
        received_at=examined.received_at, outcome="pending",
        triage=examined.as_json(),
    )


def _seen(session: Session, message_id: str, raw: bytes) -> bool:
    """Whether this very message is stored (same id, same content)."""
    stored = store.find_message(session, message_id)
    if stored is None:
        return bool(store.find_message(session, _conflict_id(message_id, raw)))
    return _body_digest(stored.raw) == _body_digest(raw)


def _separate_conflict(session: Session, examined: Examined, raw: bytes) -> None:
    """A different message under a Message-ID already stored is kept apart."""
    if store.find_message(session, examined.message_id) is None:
        return
    log.warning("%s: another message with this Message-ID was stored earlier; "
                "quarantined for a person to compare", examined.message_id)
    examined.message_id = _conflict_id(examined.message_id, raw)
    examined.verdict = None
    examined.reason = ("Message-ID conflict: a different message with the same "
                       "Message-ID was received earlier")


def _conflict_id(message_id: str, raw: bytes) -> str:
    return f"{message_id}#conflict-{_body_digest(raw)[:16]}"


def _body_digest(raw: bytes) -> str:
    """Digest of the body with line ends normalised, so one message read from
    a file (LF) and from IMAP (CRLF) is recognised as the same."""
    normal = raw.replace(b"\r\n", b"\n")
    body = normal.split(b"\n\n", 1)[-1].rstrip()
    return hashlib.sha256(body).hexdigest()


def _cheap_headers(raw: bytes) -> tuple[str, str | None, datetime | None]:
    """Subject, sender and date of a message that could not be parsed, as far
    as the headers alone can be read."""
    try:
        headers = BytesHeaderParser().parsebytes(raw[:65536])
        subject = mime.header(headers, "Subject")[:500]
        sender = parseaddr(mime.header(headers, "From"))[1] or None
        sent = parse_date(mime.header(headers, "Date"))
    except Exception:  # noqa: BLE001 - best effort for a person's overview
        return "", None, None
    return subject, sender, sent


def _cheap_message_id(raw: bytes) -> str:
    """The Message-ID read from the headers alone, for messages that fail to parse."""
    try:
        header = BytesHeaderParser().parsebytes(raw[:65536]).get("Message-ID")
    except Exception:  # noqa: BLE001 - the fallback id is derived from the bytes
        header = None
    return message_id_of(raw, str(header) if header else None)


# Which clock a delivered notice meets: the 30-minute rule for the execution
# group's draft, "leadership informed" for anything sent to the leadership.
_MEETS = {
    ("draft", "execution"): "to_execution",
    ("draft", "leadership"): "leadership_informed",
    ("escalation", "leadership"): "leadership_informed",
    ("group", "leadership"): "leadership_informed",
}


def _mark_notified(session: Session, notification) -> None:
    """Meet the clock a delivered notice satisfies, and time the 30-minute rule."""
    record = notification.record
    clock = _MEETS.get((notification.kind, notification.audience))
    if record is None or clock is None:
        return
    if clock == "to_execution" and record.execution_notified_at is None:
        record.execution_notified_at = notification.sent_at
    for deadline in record.deadlines:
        if deadline.name == clock and deadline.met_at is None:
            deadline.met_at = notification.sent_at


def _log_outcome(examined: Examined, outcome: Outcome) -> None:
    verdict = examined.verdict
    if outcome.outcome == "quarantined":
        log.warning("%s: quarantined: %s", examined.message_id, examined.reason)
        return
    rules = ",".join(verdict.rules) if verdict else ""
    log.info("%s: %s %s level=%s confidence=%.2f rules=%s", examined.message_id,
             outcome.outcome, outcome.reference or "-", outcome.level,
             verdict.confidence if verdict else 0.0, rules or "-")


def _valid_email(address: str | None) -> str | None:
    return address if address and is_email(address) else None


def _with_followup(description: str, message: InboundMessage,
                   verdict: Verdict) -> str:
    """The record's description with the follow-up's own words added."""
    parsed_text = (message.triage or {}).get("body_text", "").strip()
    if not parsed_text:
        return description
    when = render.local(message.received_at)
    return f"{description}\n\n【后续来信 {when}】\n{parsed_text[:4000]}"


_SEE_ATTACHED = re.compile(r"附件|附上|随附|见附|扫描|attach", re.IGNORECASE)


def _points_to_attachment(parsed: ParsedMessage) -> bool:
    """Whether the message sends the reader to its attachments."""
    return bool(_SEE_ATTACHED.search(f"{parsed.subject}\n{parsed.new_text}"))


def _first_contact(parsed: ParsedMessage, received: datetime) -> datetime:
    """首问负责制: a forwarded complaint counts from when the client's original
    reached the firm, if the forward says so and the time is plausible."""
    original = parsed.original
    sent = original.sent if original is not None and not original.resent else None
    if sent is None or not received - timedelta(days=30) <= sent <= received:
        return received
    return sent


def _description(parsed: ParsedMessage) -> str:
    """投诉事项描述: the client's words; for a forward, who forwarded it too."""
    text = parsed.client_text[:8000]
    if parsed.original is None or parsed.original.resent:
        return text
    who = parsed.sender_name or parsed.sender_address or "转发人不详"
    note = parsed.new_text.strip()[:300]
    head = f"（由 {who} 转发" + (f"，附言：{note}" if note else "") + "）"
    return f"{head}\n{text}"
