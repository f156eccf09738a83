"""The imports made so far, newest first, as the command line and the window list them."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import ImportBatch

__all__ = ["ImportSummary", "list_imports"]

_STATUS_LABELS = {
    "running": "running",
    "committed": "imported",
    "rolled_back": "undone",
    "failed": "failed",
}
_SUMMARISED = ("created", "updated", "lapsed", "conflicts", "rejected")
_SINGULAR = {"conflicts": "conflict"}


@dataclass(frozen=True)
class ImportSummary:
    id: int
    started_at: dt.datetime
    status: str
    file_name: str
    sheet_name: str | None
    counts: dict[str, int]
    full_list: bool
    supporters: bool

    @property
    def status_label(self) -> str:
        return _STATUS_LABELS.get(self.status, self.status)

    @property
    def summary(self) -> str:
        parts = []
        for name in _SUMMARISED:
            count = self.counts.get(name, 0)
            if count:
                word = _SINGULAR.get(name, name) if count == 1 else name
                parts.append(f"{count:,} {word}")
        return ", ".join(parts) or "no changes"

    @property
    def started_local(self) -> dt.datetime:
        """When it started on this computer's clock (stored as naive UTC, see utcnow)."""
        return self.started_at.replace(tzinfo=dt.UTC).astimezone()

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "started_at": self.started_at.isoformat(),
            "status": self.status,
            "file_name": self.file_name,
            "sheet_name": self.sheet_name,
            "counts": self.counts,
            "full_list": self.full_list,
            "supporters": self.supporters,
        }


def list_imports(session: Session, limit: int = 200) -> list[ImportSummary]:
    rows = session.scalars(select(ImportBatch).order_by(ImportBatch.id.desc()).limit(limit))
    return [
        ImportSummary(
            id=batch.id,
            started_at=batch.started_at,
            status=batch.status,
            file_name=batch.file_name,
            sheet_name=batch.sheet_name,
            counts=_counts(batch.counts),
            full_list=batch.full_list,
            supporters=batch.supporters,
        )
        for batch in rows
    ]


def _counts(text: str | None) -> dict[str, int]:
    try:
        data = json.loads(text or "{}")
    except ValueError:
        return {}
    return (
        {str(k): int(v) for k, v in data.items() if isinstance(v, int)}
        if isinstance(data, dict)
        else {}
    )
