"""What people at the firm do to a record: confirm, correct, move it on."""

from __future__ import annotations

from models import store
from models.schema import STATUSES, ComplaintRecord
from pipeline.errors import TriageError
from pipeline.run import Pipeline


def confirm_record(
    pipeline: Pipeline, reference: str, actor: str, *, level: int | None = None,
    client: str | None = None, complainant: str | None = None,
    note: str | None = None,
) -> ComplaintRecord:
    """Set a draft to confirmed, applying the corrections given."""
    with pipeline.db.session() as session:
        record = store.record_by_reference(session, reference)
        if record is None:
            raise TriageError(f"no record {reference}")
        if record.status != "draft":
            raise TriageError(f"{reference} is {record.status}, not a draft")
        corrections = []
        if level and level != record.level:
            corrections.append(f"级别 {record.level}→{level}")
            record.level = level
            record.reasons = [f"{actor} 人工确认为{level}级", *record.reasons]
            pipeline._set_deadlines(record)
        if client:
            corrections.append(f"客户名称 {record.client_name}→{client}")
            record.client_name = client
        if complainant:
            corrections.append(f"投诉人 {record.complainant_name}→{complainant}")
            record.complainant_name = complainant
        text = "；".join(filter(None, ["，".join(corrections), note])) or None
        store.change_status(session, record, "confirmed", actor, text)
        return record


def move_record(pipeline: Pipeline, reference: str, status: str, actor: str,
                note: str | None = None) -> ComplaintRecord:
    """Move a record one step along draft → … → archived."""
    if status not in STATUSES:
        raise TriageError(f"unknown status {status}")
    with pipeline.db.session() as session:
        record = store.record_by_reference(session, reference)
        if record is None:
            raise TriageError(f"no record {reference}")
        if STATUSES.index(status) != STATUSES.index(record.status) + 1:
            raise TriageError(f"{reference} cannot go from {record.status} to {status}")
        store.change_status(session, record, status, actor, note)
        return record
