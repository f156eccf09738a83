"""Who came to each meeting, counted: attendance rows plus the anonymous counts erasures
left behind, so a meeting's figures do not drop when someone who came is erased."""

from __future__ import annotations

from sqlalchemy import Subquery, case, func, literal, select, union_all
from sqlalchemy.orm import Session

from db.models import AnonymousAttendance, Attendance

__all__ = ["anonymous_counts", "attendance_tally", "tally_sums"]


def attendance_tally() -> Subquery:
    """(meeting_id, status, people): one row per attendance, one per anonymous count."""
    named = select(
        Attendance.meeting_id.label("meeting_id"),
        Attendance.status.label("status"),
        literal(1).label("people"),
    )
    anonymous = select(
        AnonymousAttendance.meeting_id,
        AnonymousAttendance.status,
        AnonymousAttendance.people,
    )
    return union_all(named, anonymous).subquery("attendance_tally")


def tally_sums() -> Subquery:
    """(meeting_id, present, apologies) summed over ``attendance_tally``."""
    tally = attendance_tally()
    return (
        select(
            tally.c.meeting_id,
            # A case, not sum(status = ...): a summed comparison keeps the Boolean type.
            func.sum(case((tally.c.status == "present", tally.c.people), else_=0)).label("present"),
            func.sum(case((tally.c.status == "apologies", tally.c.people), else_=0)).label(
                "apologies"
            ),
        )
        .group_by(tally.c.meeting_id)
        .subquery("tally_sums")
    )


def anonymous_counts(
    session: Session, meeting_ids: list[int] | None = None
) -> list[tuple[int, str, bool, int]]:
    """(meeting id, status, was a member, people) for the erased, of the given meetings."""
    statement = select(
        AnonymousAttendance.meeting_id,
        AnonymousAttendance.status,
        AnonymousAttendance.was_member,
        AnonymousAttendance.people,
    )
    if meeting_ids is not None:
        statement = statement.where(AnonymousAttendance.meeting_id.in_(meeting_ids))
    return [(int(m), str(s), bool(w), int(n)) for m, s, w, n in session.execute(statement)]
