"""Segments and mailings, import batches, the audit trail and branch settings."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import Mapped, mapped_column

from db.models.base import Base, Timestamped, Versioned, allowed, utcnow
from db.models.vocabulary import (
    AUDIT_ACTIONS,
    IMPORT_BATCH_STATUSES,
    IMPORT_CHANGE_ACTIONS,
    MAILING_MODES,
)


class Segment(Versioned, Timestamped, Base):
    """A saved, named filter; ``definition`` is its JSON rule tree."""

    __tablename__ = "segment"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    description: Mapped[str | None] = mapped_column(Text)
    definition: Mapped[str] = mapped_column(Text, default="{}")
    builtin: Mapped[bool] = mapped_column(Boolean, default=False)


class LetterTemplate(Versioned, Timestamped, Base):
    __tablename__ = "letter_template"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    body: Mapped[str] = mapped_column(Text, default="")


class Mailing(Base):
    __tablename__ = "mailing"
    __table_args__ = (CheckConstraint(allowed("mode", MAILING_MODES), name="mode"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    template_id: Mapped[int | None] = mapped_column(
        ForeignKey("letter_template.id", ondelete="SET NULL")
    )
    segment_id: Mapped[int | None] = mapped_column(ForeignKey("segment.id", ondelete="SET NULL"))
    mode: Mapped[str] = mapped_column(String(10), default="person")
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    recipient_count: Mapped[int] = mapped_column(Integer, default=0)
    left_out_count: Mapped[int] = mapped_column(Integer, default=0)


class MailingRecipient(Base):
    """Which letter, and which variant of it, one person received."""

    __tablename__ = "mailing_recipient"
    __table_args__ = (
        UniqueConstraint("mailing_id", "person_id"),
        Index("ix_mailing_recipient_person", "person_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    mailing_id: Mapped[int] = mapped_column(ForeignKey("mailing.id", ondelete="CASCADE"))
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"))
    variant: Mapped[str] = mapped_column(String(64))


class ImportSource(Versioned, Base):
    """Where lists come from, with the column mapping to reuse next month."""

    __tablename__ = "import_source"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    mapping: Mapped[str] = mapped_column(Text, default="{}")


class ImportBatch(Base):
    """One import: one transaction, one record, and the unit a rollback undoes."""

    __tablename__ = "import_batch"
    __table_args__ = (CheckConstraint(allowed("status", IMPORT_BATCH_STATUSES), name="status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    source_id: Mapped[int | None] = mapped_column(
        ForeignKey("import_source.id", ondelete="SET NULL")
    )
    file_name: Mapped[str] = mapped_column(String(500))
    sheet_name: Mapped[str | None] = mapped_column(String(200))
    started_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    finished_at: Mapped[dt.datetime | None]
    status: Mapped[str] = mapped_column(String(20), default="running")
    row_count: Mapped[int] = mapped_column(Integer, default=0)
    actor: Mapped[str | None] = mapped_column(String(120))
    checksum: Mapped[str | None] = mapped_column(String(64))  # SHA-256 of the file, hex
    mapping: Mapped[str | None] = mapped_column(Text)  # ColumnMapping.to_json()
    counts: Mapped[str | None] = mapped_column(Text)  # JSON: ImportPlan.counts() as applied
    full_list: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    supporters: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    undone_at: Mapped[dt.datetime | None]


class ImportChange(Base):
    __tablename__ = "import_change"
    __table_args__ = (
        CheckConstraint(allowed("action", IMPORT_CHANGE_ACTIONS), name="action"),
        Index("ix_import_change_batch", "batch_id"),
        Index("ix_import_change_person", "person_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    batch_id: Mapped[int] = mapped_column(ForeignKey("import_batch.id", ondelete="CASCADE"))
    person_id: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="SET NULL"))
    action: Mapped[str] = mapped_column(String(20))
    field: Mapped[str | None] = mapped_column(String(80))
    old_value: Mapped[str | None] = mapped_column(Text)
    new_value: Mapped[str | None] = mapped_column(Text)
    source_row: Mapped[int | None] = mapped_column(Integer)


class AuditEntry(Base):
    """Who changed what, when, from what to what. Written by db.audit, never edited."""

    __tablename__ = "audit_entry"
    __table_args__ = (
        CheckConstraint(allowed("action", AUDIT_ACTIONS), name="action"),
        Index("ix_audit_entry_person", "person_id", "at"),
        Index("ix_audit_entry_at", "at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    actor: Mapped[str] = mapped_column(String(120))
    action: Mapped[str] = mapped_column(String(20))
    table_name: Mapped[str] = mapped_column(String(60))
    row_id: Mapped[int | None] = mapped_column(Integer)
    person_id: Mapped[int | None] = mapped_column(Integer)
    summary: Mapped[str | None] = mapped_column(String(500))
    # JSON object {column: [old, new]}: the old -> new the secretary reads in the trail.
    changes: Mapped[str | None] = mapped_column(Text)
    batch_id: Mapped[int | None] = mapped_column(ForeignKey("import_batch.id", ondelete="SET NULL"))


class ExportLog(Base):
    """A file with people's data in it that left Branchbook: when, by whom, what kind, where
    to, for which segment, about how many people. Written by db.export_log, never edited."""

    __tablename__ = "export_log"
    __table_args__ = (Index("ix_export_log_at", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    actor: Mapped[str] = mapped_column(String(120))
    kind: Mapped[str] = mapped_column(String(40))
    file_name: Mapped[str] = mapped_column(String(500))
    segment: Mapped[str | None] = mapped_column(String(200))
    people: Mapped[int] = mapped_column(Integer, default=0)


class Erasure(Base):
    """One erasure of personal data: when, by whom, why, and how much went. It names nobody:
    the number is the erased record's old id, which nothing else points at any more."""

    __tablename__ = "erasure"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    actor: Mapped[str] = mapped_column(String(120))
    reason: Mapped[str] = mapped_column(String(500))
    people: Mapped[int] = mapped_column(Integer, default=0)
    # JSON: {what: rows removed}, e.g. {"attendance": 12, "email_address": 1}.
    removed: Mapped[str] = mapped_column(Text, default="{}")


class Setting(Versioned, Base):
    """Branch-wide settings that belong with the data (letterhead, imprint), not the machine."""

    __tablename__ = "setting"

    key: Mapped[str] = mapped_column(String(80), primary_key=True)
    value: Mapped[str] = mapped_column(Text, default="")


__all__ = [
    "AuditEntry",
    "Erasure",
    "ExportLog",
    "ImportBatch",
    "ImportChange",
    "ImportSource",
    "LetterTemplate",
    "Mailing",
    "MailingRecipient",
    "Segment",
    "Setting",
]
