"""The JSON shapes that outside checks rely on (CONTRACT.md)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING

from classifiers.rules import LEVEL_NAMES
from models.schema import ComplaintRecord
from notifiers.render import BEIJING

if TYPE_CHECKING:
    from pipeline.run import Examined

EMPTY_FIGURES = {"amounts": [], "pages": [], "deadlines": [], "data_items": [],
                 "percentages": []}


def iso(moment: datetime | None) -> str | None:
    return moment.astimezone(BEIJING).isoformat() if moment else None


def triage_json(examined: Examined) -> dict:
    """One line of `complaint-triage triage --json`."""
    parsed, verdict = examined.parsed, examined.verdict
    result = {
        "source": examined.source,
        "message_id": examined.message_id,
        "subject": parsed.subject if parsed else examined.subject,
        "body_text": parsed.body_text if parsed else "",
        "attachments": [a.as_dict() for a in parsed.attachments] if parsed else [],
        "quarantined": verdict is None,
        "kind": "quarantined" if verdict is None else verdict.kind,
        "reason": examined.reason,
        "is_complaint": False,
        "level": None,
        "level_name": None,
        "confidence": 0.0,
        "reasons": [f"无法分拣，已隔离：{examined.reason}"] if verdict is None else [],
        "client_name": None,
        "complainant": {"name": None, "title": None, "phone": None, "email": None},
        "received_at": iso(examined.received_at),
        "demands": [],
        "reported_elsewhere": None,
        "figures": dict(EMPTY_FIGURES),
    }
    if verdict is None:
        return result
    who = verdict.fields.complainant
    result.update(
        is_complaint=verdict.is_complaint,
        level=verdict.level,
        level_name=LEVEL_NAMES.get(verdict.level) if verdict.level else None,
        confidence=verdict.confidence,
        reasons=verdict.reasons,
        client_name=verdict.fields.client_name,
        complainant={"name": who.name, "title": who.title, "phone": who.phone,
                     "email": who.email or parsed.client_sender[1]},
        demands=verdict.fields.demands,
        reported_elsewhere=verdict.fields.reported_elsewhere,
        figures=verdict.figures.to_dict(),
    )
    return result


def record_json(record: ComplaintRecord) -> dict:
    """One line of `complaint-triage records --json`."""
    now = datetime.now(UTC)
    return {
        "reference": record.reference,
        "level": record.level,
        "level_name": LEVEL_NAMES[record.level],
        "status": record.status,
        "client_name": record.client_name,
        "complainant": {
            "name": record.complainant_name, "title": record.complainant_title,
            "phone": record.complainant_phone, "email": record.complainant_email,
        },
        "message_ids": [m.message_id for m in record.messages],
        "received_at": iso(record.received_at),
        "deadlines": {d.name: iso(d.due_at) for d in record.deadlines},
        "overdue": [d.name for d in record.deadlines
                    if d.met_at is None and d.due_at < now
                    and record.status not in ("resolved", "archived")],
        "notified": [
            {"kind": n.kind, "audience": n.audience, "target": n.target,
             "status": n.status, "sent_at": iso(n.sent_at)}
            for n in record.notifications
        ],
        "execution_notified_at": iso(record.execution_notified_at),
        "minutes_to_execution": _minutes(record.received_at,
                                         record.execution_notified_at),
        "reasons": record.reasons,
        "demands": record.demands,
        "figures": record.figures,
        "issue_type": record.issue_type,
        "issue_words": record.issue_words or [],
        "industry": record.industry,
        "group": record.group.key if record.group_id is not None else None,
    }


def _minutes(start: datetime, end: datetime | None) -> float | None:
    """The 30-minute rule's measure: receipt to the execution group's copy."""
    return None if end is None else round((end - start).total_seconds() / 60, 1)
