"""Archived records as training cases: the firm's confirmed decisions.

The bundled model is trained on `training_data/` alone so that it can be
reproduced from the repository; a firm's own model (`triage.model_path`)
adds every archived record, whose level a person confirmed.
"""

from __future__ import annotations

from sqlalchemy import select

from classifiers.training import Example
from models.db import Database
from models.schema import ComplaintRecord


def archived_examples(db: Database) -> list[Example]:
    with db.session() as session:
        records = session.scalars(
            select(ComplaintRecord).where(ComplaintRecord.status == "archived")
        )
        return [Example(r.subject, r.description, r.level) for r in records]
