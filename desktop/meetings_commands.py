"""The meetings window's undoable edits, each a ``CoreCommand`` calling ``db.meetings`` and
``db.meeting_ledger``.

Each is applied once by the window before it is pushed. Undo makes the reverse from what
the core returned: a deleted meeting, agenda item or ledger line is put back with the same
ids and place; an edit is reversed from the row as it was stored before it.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from db.meeting_ledger import (
    AgendaItemState,
    ContributionState,
    add_agenda_item,
    agenda_item,
    contribution_state,
    copy_meeting,
    delete_agenda_item,
    delete_contribution,
    record_contribution,
    restore_agenda_item,
    restore_contribution,
    update_agenda_item,
    update_contribution,
)
from db.meetings import (
    MeetingState,
    NewMeeting,
    add_meeting,
    delete_meeting,
    meeting_form,
    restore_meeting,
    update_meeting,
)
from db.models.vocabulary import CONTRIBUTION_KIND_LABELS
from desktop.undo_history import CoreCommand

_LONGEST = 40


def quoted(text: str) -> str:
    """A title as an undo menu names it: quoted, a long one by its start."""
    text = " ".join(text.split())
    return f"“{text if len(text) <= _LONGEST else text[: _LONGEST - 1].rstrip() + '…'}”"


def kind_label(kind: str) -> str:
    return CONTRIBUTION_KIND_LABELS.get(kind, kind).lower()


class MeetingCommand(CoreCommand):
    """An edit of one meeting (``meeting_id``, once known), perhaps of one agenda item or
    ledger line of it: what the window shows again after each step."""

    agenda_item_id: int | None = None
    contribution_id: int | None = None

    def __init__(self, text: str, meeting_id: int | None) -> None:
        super().__init__(text)
        self.meeting_id = meeting_id
        self._changed = True

    @property
    def changed(self) -> bool:
        return self._changed


# --- meetings -----------------------------------------------------------------------------


class _MeetingMade(MeetingCommand):
    """A meeting this command made; undone, deleted (only while nobody is recorded at it);
    redone, put back with the same ids."""

    def __init__(self, text: str) -> None:
        super().__init__(text, None)
        self.deleted: MeetingState | None = None

    def make(self, session: Session) -> int:
        raise NotImplementedError

    def forward(self, session: Session) -> None:
        if self.deleted is None:
            self.meeting_id = self.make(session)
        else:
            restore_meeting(session, self.deleted)

    def backward(self, session: Session) -> None:
        assert self.meeting_id is not None
        self.deleted = delete_meeting(session, self.meeting_id)


class AddMeeting(_MeetingMade):
    def __init__(self, new: NewMeeting) -> None:
        super().__init__(f"add the meeting {quoted(new.title)}")
        self.new = new

    def make(self, session: Session) -> int:
        return add_meeting(session, self.new)


class CopyMeeting(_MeetingMade):
    def __init__(self, source_id: int, title: str, starts_at: dt.datetime) -> None:
        when = f"{starts_at:%a} {starts_at.day} {starts_at:%b %Y}"
        super().__init__(f"copy {quoted(title)} to {when}")
        self.source_id, self.starts_at = source_id, starts_at

    def make(self, session: Session) -> int:
        return copy_meeting(session, self.source_id, self.starts_at)


class EditMeeting(MeetingCommand):
    """New details for a meeting; undone, the details it had (``meeting_form``)."""

    def __init__(self, meeting_id: int, changes: NewMeeting) -> None:
        super().__init__(f"edit the meeting {quoted(changes.title)}", meeting_id)
        self.changes = changes
        self.before: NewMeeting | None = None

    def forward(self, session: Session) -> None:
        assert self.meeting_id is not None
        if self.first:
            self.before = meeting_form(session, self.meeting_id)
        edited = update_meeting(session, self.meeting_id, self.changes)
        if self.first:
            self._changed = bool(edited.changed)

    def backward(self, session: Session) -> None:
        assert self.meeting_id is not None and self.before is not None
        update_meeting(session, self.meeting_id, self.before)


# --- the agenda ---------------------------------------------------------------------------


class AddAgendaItem(MeetingCommand):
    """An item or motion at the end of the agenda; undone, taken off again."""

    def __init__(self, meeting_id: int, title: str, motion_text: str | None) -> None:
        what = "the motion" if motion_text else "the agenda item"
        super().__init__(f"add {what} {quoted(title)}", meeting_id)
        self.title, self.motion_text = title, motion_text
        self.deleted: AgendaItemState | None = None

    def forward(self, session: Session) -> None:
        assert self.meeting_id is not None
        if self.deleted is None:
            self.agenda_item_id = add_agenda_item(
                session, self.meeting_id, self.title, motion_text=self.motion_text
            )
        else:
            restore_agenda_item(session, self.deleted)

    def backward(self, session: Session) -> None:
        assert self.agenda_item_id is not None
        self.deleted = delete_agenda_item(session, self.agenda_item_id)


class EditAgendaItem(MeetingCommand):
    """Rename an item or reword a motion; undone, the title and text it had."""

    def __init__(
        self, meeting_id: int, item_id: int, old_title: str, title: str, motion_text: str | None
    ) -> None:
        super().__init__(f"edit the agenda item {quoted(old_title)}", meeting_id)
        self.agenda_item_id = item_id
        self.title, self.motion_text = title, motion_text
        self.before: AgendaItemState | None = None

    def forward(self, session: Session) -> None:
        assert self.agenda_item_id is not None
        if self.first:
            self.before = agenda_item(session, self.agenda_item_id)
        edited = update_agenda_item(
            session, self.agenda_item_id, title=self.title, motion_text=self.motion_text
        )
        if self.first:
            self._changed = bool(edited.changed)

    def backward(self, session: Session) -> None:
        assert self.agenda_item_id is not None and self.before is not None
        update_agenda_item(
            session,
            self.agenda_item_id,
            title=self.before.title,
            motion_text=self.before.motion_text,
        )


class RemoveAgendaItem(MeetingCommand):
    """Take an unused item off the agenda; undone, put back with its id and place."""

    def __init__(self, meeting_id: int, item_id: int, title: str) -> None:
        super().__init__(f"take {quoted(title)} off the agenda", meeting_id)
        self.agenda_item_id = item_id
        self.deleted: AgendaItemState | None = None

    def forward(self, session: Session) -> None:
        assert self.agenda_item_id is not None
        self.deleted = delete_agenda_item(session, self.agenda_item_id)

    def backward(self, session: Session) -> None:
        assert self.deleted is not None
        restore_agenda_item(session, self.deleted)


# --- the ledger ---------------------------------------------------------------------------


class RecordContribution(MeetingCommand):
    """What someone present did (a letter key); undone, exactly that line is deleted."""

    def __init__(
        self, meeting_id: int, person_id: int, name: str, kind: str, item_id: int | None
    ) -> None:
        super().__init__(f"record {name} {kind_label(kind)}", meeting_id)
        self.person_id, self.kind = person_id, kind
        self.agenda_item_id = item_id
        self.deleted: ContributionState | None = None

    def forward(self, session: Session) -> None:
        assert self.meeting_id is not None
        if self.deleted is None:
            self.contribution_id = record_contribution(
                session,
                self.meeting_id,
                self.person_id,
                self.kind,
                agenda_item_id=self.agenda_item_id,
            )
        else:
            restore_contribution(session, self.deleted)

    def backward(self, session: Session) -> None:
        assert self.contribution_id is not None
        self.deleted = delete_contribution(session, self.contribution_id)


class DeleteContribution(MeetingCommand):
    """Delete a ledger line; undone, the same row is put back."""

    def __init__(self, meeting_id: int, contribution_id: int, what: str) -> None:
        super().__init__(f"delete “{what}”", meeting_id)
        self.contribution_id = contribution_id
        self.deleted: ContributionState | None = None

    def forward(self, session: Session) -> None:
        assert self.contribution_id is not None
        self.deleted = delete_contribution(session, self.contribution_id)

    def backward(self, session: Session) -> None:
        assert self.deleted is not None
        restore_contribution(session, self.deleted)


class EditContribution(MeetingCommand):
    """Change what a line records, or its note; undone, the kind and note it had."""

    def __init__(
        self,
        meeting_id: int,
        contribution_id: int,
        name: str,
        *,
        kind: str | None = None,
        note: str | None = None,
    ) -> None:
        words = f"{name} {kind_label(kind)}" if kind is not None else f"the note of {name}'s line"
        super().__init__(
            f"change {words}" if kind is None else f"record {words} instead", meeting_id
        )
        self.contribution_id = contribution_id
        self.kind, self.note = kind, note
        self.before: ContributionState | None = None

    def forward(self, session: Session) -> None:
        assert self.contribution_id is not None
        if self.first:
            self.before = contribution_state(session, self.contribution_id)
        edited = update_contribution(session, self.contribution_id, kind=self.kind, note=self.note)
        if self.first:
            self._changed = bool(edited.changed)

    def backward(self, session: Session) -> None:
        assert self.contribution_id is not None and self.before is not None
        update_contribution(
            session, self.contribution_id, kind=self.before.kind, note=self.before.note or ""
        )
