"""Meetings, who came (or sent apologies), and how they took part."""

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
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from db.models.base import Base, Timestamped, Versioned, allowed, utcnow
from db.models.vocabulary import (
    AGENDA_ITEM_KINDS,
    ATTENDANCE_STATUSES,
    CHECKIN_METHODS,
    CONTRIBUTION_KINDS,
    MEETING_KINDS,
)


class Meeting(Versioned, Timestamped, Base):
    __tablename__ = "meeting"
    __table_args__ = (
        CheckConstraint(allowed("kind", MEETING_KINDS), name="kind"),
        CheckConstraint("ends_at IS NULL OR ends_at >= starts_at", name="ends_after_start"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    title: Mapped[str] = mapped_column(String(200))
    starts_at: Mapped[dt.datetime] = mapped_column(index=True)
    ends_at: Mapped[dt.datetime | None]
    venue: Mapped[str | None] = mapped_column(String(200))
    notes: Mapped[str | None] = mapped_column(Text)

    agenda: Mapped[list[AgendaItem]] = relationship(
        back_populates="meeting", cascade="all, delete-orphan", order_by="AgendaItem.position"
    )


class AgendaItem(Versioned, Base):
    __tablename__ = "agenda_item"
    __table_args__ = (CheckConstraint(allowed("kind", AGENDA_ITEM_KINDS), name="kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(
        ForeignKey("meeting.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer, default=0)
    title: Mapped[str] = mapped_column(String(300))
    kind: Mapped[str] = mapped_column(String(10), default="item")
    motion_text: Mapped[str | None] = mapped_column(Text)

    meeting: Mapped[Meeting] = relationship(back_populates="agenda")


class Attendance(Versioned, Base):
    """One person's standing at one meeting; a second check-in finds this row, never a twin."""

    __tablename__ = "attendance"
    __table_args__ = (
        CheckConstraint(allowed("status", ATTENDANCE_STATUSES), name="status"),
        CheckConstraint("method IS NULL OR " + allowed("method", CHECKIN_METHODS), name="method"),
        UniqueConstraint("meeting_id", "person_id"),
        Index("ix_attendance_person", "person_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meeting.id", ondelete="CASCADE"))
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"))
    status: Mapped[str] = mapped_column(String(10))
    checked_in_at: Mapped[dt.datetime | None]
    method: Mapped[str | None] = mapped_column(String(20))
    recorded_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class AnonymousAttendance(Base):
    """How many people, since erased, came to (or apologised for) a meeting: the count an
    erasure keeps so the meeting's figures stay true once nothing says who they were."""

    __tablename__ = "anonymous_attendance"
    __table_args__ = (CheckConstraint(allowed("status", ATTENDANCE_STATUSES), name="status"),)

    meeting_id: Mapped[int] = mapped_column(
        ForeignKey("meeting.id", ondelete="CASCADE"), primary_key=True
    )
    status: Mapped[str] = mapped_column(String(10), primary_key=True)
    # Whether they were members on the day: quorum and absence figures count members.
    was_member: Mapped[bool] = mapped_column(Boolean, primary_key=True)
    people: Mapped[int] = mapped_column(Integer, default=0)


class Contribution(Versioned, Base):
    __tablename__ = "contribution"
    __table_args__ = (
        CheckConstraint(allowed("kind", CONTRIBUTION_KINDS), name="kind"),
        Index("ix_contribution_person", "person_id"),
        Index("ix_contribution_meeting", "meeting_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meeting.id", ondelete="CASCADE"))
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"))
    agenda_item_id: Mapped[int | None] = mapped_column(
        ForeignKey("agenda_item.id", ondelete="SET NULL")
    )
    kind: Mapped[str] = mapped_column(String(20))
    note: Mapped[str | None] = mapped_column(Text)
    recorded_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
