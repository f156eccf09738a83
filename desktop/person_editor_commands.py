"""The person editor's undoable edits: each a QUndoCommand whose redo and undo call the core,
each in its own unit of work, the undo making the reverse edit from what the core returned.

A command is applied once by the editor (``apply``) before it is pushed, so an edit the
core refuses never reaches the stack; ``redo`` skips that first call from ``push``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from typing import Any, Protocol

from PySide6.QtGui import QUndoCommand
from sqlalchemy.orm import Session

from db.database import Database
from db.errors import UserError
from db.models import Person
from db.models.vocabulary import CHANNEL_LABELS
from db.person_edit import (
    PERSON_FIELDS,
    Contact,
    add_contact,
    edit_address,
    edit_person,
    move_to_household,
    remove_contact,
    set_primary,
)
from db.person_record import discard_empty_household, set_contact_kind
from db.verification import Preference, mark_verified, set_contact_preference, unmark_verified


class EditorContext(Protocol):
    """What a command needs from the editor that made it."""

    database: Database
    person_id: int

    def person_version(self) -> int | None: ...

    def household_version(self) -> int | None: ...

    def command_failed(self, error: UserError) -> None: ...

    def command_done(self) -> None: ...


class EditorCommand(QUndoCommand):
    """Applied by the editor first (``apply``); afterwards ``redo``/``undo`` from the stack,
    where a refusal is handed to the editor instead of raised into Qt."""

    def __init__(self, editor: EditorContext, text: str) -> None:
        super().__init__(text)
        self.editor = editor
        self._pushed = False

    # The edit itself and its reverse, each given a fresh unit of work.
    def forward(self, session: Session) -> None:
        raise NotImplementedError

    def backward(self, session: Session) -> None:
        raise NotImplementedError

    @property
    def changed(self) -> bool:
        return True

    def apply(self) -> None:
        """The first application: raises a UserError if the core refuses."""
        with self.editor.database.session() as session:
            self.forward(session)

    def redo(self) -> None:
        if not self._pushed:  # push() calls redo: the edit was applied already.
            self._pushed = True
            return
        self._step(self.forward)

    def undo(self) -> None:
        self._step(self.backward)

    def _step(self, step: Callable[[Session], None]) -> None:
        try:
            with self.editor.database.session() as session:
                step(session)
        except UserError as error:
            self.editor.command_failed(error)
        self.editor.command_done()


def _field_names(changes: Mapping[str, Any], labels: Mapping[str, str]) -> str:
    names = [labels.get(name, name) for name in changes]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


class EditPerson(EditorCommand):
    """Change some of the person's own details."""

    def __init__(self, editor: EditorContext, changes: Mapping[str, Any]) -> None:
        super().__init__(editor, f"change {_field_names(changes, PERSON_FIELDS)}")
        self.new: Mapping[str, Any] = dict(changes)
        self.old: Mapping[str, Any] = {}

    @property
    def changed(self) -> bool:
        return dict(self.old) != dict(self.new)

    def forward(self, session: Session) -> None:
        edit = edit_person(
            session,
            self.editor.person_id,
            self.new,
            expected_version=self.editor.person_version(),
        )
        if not self._pushed:
            self.old, self.new = edit.reverse, edit.new

    def backward(self, session: Session) -> None:
        edit_person(
            session,
            self.editor.person_id,
            self.old,
            expected_version=self.editor.person_version(),
        )


class EditAddress(EditorCommand):
    """A new address for everyone in the household."""

    def __init__(
        self, editor: EditorContext, household_id: int, changes: Mapping[str, Any]
    ) -> None:
        super().__init__(editor, "change the household's address")
        self.household_id = household_id
        self.new: Mapping[str, Any] = dict(changes)
        self.old: Mapping[str, Any] = {}

    @property
    def changed(self) -> bool:
        return dict(self.old) != dict(self.new)

    def forward(self, session: Session) -> None:
        edit = edit_address(
            session, self.household_id, self.new, expected_version=self.editor.household_version()
        )
        if not self._pushed:
            self.old, self.new = edit.reverse, edit.new

    def backward(self, session: Session) -> None:
        edit_address(
            session, self.household_id, self.old, expected_version=self.editor.household_version()
        )


class MoveHousehold(EditorCommand):
    """Move the person into another household, or (``address``) out to a new one."""

    def __init__(
        self,
        editor: EditorContext,
        household_id: int | None,
        *,
        address: Mapping[str, Any] | None = None,
        text: str = "move to another household",
    ) -> None:
        super().__init__(editor, text)
        self.target = household_id
        self.address = dict(address or {})
        self.previous: int | None = None
        self.made: int | None = None  # the household a move out made

    def forward(self, session: Session) -> None:
        person_id = self.editor.person_id
        if self.target is None and self.address:
            previous = move_to_household(session, person_id, None, address=self.address)
            self.made = _household_id_of(session, person_id)
        else:
            previous = move_to_household(session, person_id, self.target)
        if not self._pushed:
            self.previous = previous

    def backward(self, session: Session) -> None:
        move_to_household(session, self.editor.person_id, self.previous)
        if self.made is not None:
            discard_empty_household(session, self.made)
            self.made = None


def _household_id_of(session: Session, person_id: int) -> int | None:
    person = session.get(Person, person_id)
    return None if person is None else person.household_id


class AddContact(EditorCommand):
    """Add an email address or phone number; Redo puts back the same row."""

    def __init__(self, editor: EditorContext, what: str, value: str, kind: str) -> None:
        super().__init__(editor, f"add {what} {' '.join(value.split())}")
        self.what, self.value, self.kind = what, value, kind
        self.added: Contact | None = None

    def forward(self, session: Session) -> None:
        restore = self.added.id if self.added is not None else None
        added = add_contact(
            session,
            self.editor.person_id,
            self.what,
            self.value,
            kind=self.kind,
            restore_id=restore,
        )
        if self.added is None:
            self.added = added
            self.setText(f"add {self.what} {added.value}")

    def backward(self, session: Session) -> None:
        assert self.added is not None
        remove_contact(session, self.what, self.added.id)


class RemoveContact(EditorCommand):
    """Remove an email address or phone number; Undo puts back exactly that row."""

    def __init__(self, editor: EditorContext, contact: Contact) -> None:
        super().__init__(editor, f"remove {contact.what} {contact.value}")
        self.contact = contact

    def forward(self, session: Session) -> None:
        removed = remove_contact(session, self.contact.what, self.contact.id)
        if not self._pushed:
            self.contact = removed

    def backward(self, session: Session) -> None:
        c = self.contact
        add_contact(
            session,
            c.person_id,
            c.what,
            c.value,
            kind=c.kind,
            primary=c.is_primary,
            restore_id=c.id,
        )


class MakePrimary(EditorCommand):
    def __init__(self, editor: EditorContext, contact: Contact) -> None:
        super().__init__(editor, f"make {contact.value} the main {contact.what}")
        self.contact = contact
        self.previous: int | None = None

    @property
    def changed(self) -> bool:
        return self.previous is not None

    def forward(self, session: Session) -> None:
        previous = set_primary(session, self.contact.what, self.contact.id)
        if not self._pushed:
            self.previous = previous

    def backward(self, session: Session) -> None:
        if self.previous is not None:
            set_primary(session, self.contact.what, self.previous)


class ChangeContactKind(EditorCommand):
    def __init__(self, editor: EditorContext, contact: Contact, kind: str) -> None:
        super().__init__(editor, f"call {contact.value} {kind}")
        self.contact, self.kind = contact, kind
        self.previous = contact.kind

    @property
    def changed(self) -> bool:
        return self.previous != self.kind

    def forward(self, session: Session) -> None:
        previous = set_contact_kind(session, self.contact.what, self.contact.id, self.kind)
        if not self._pushed:
            self.previous = previous

    def backward(self, session: Session) -> None:
        set_contact_kind(session, self.contact.what, self.contact.id, self.previous)


class MarkVerified(EditorCommand):
    def __init__(self, editor: EditorContext, detail: str, how: str, on: dt.date) -> None:
        super().__init__(editor, f"mark {detail} verified")
        self.detail, self.how, self.on = detail, how, on
        self.verification_id: int | None = None

    def forward(self, session: Session) -> None:
        done = mark_verified(session, self.editor.person_id, self.detail, self.how, on=self.on)
        self.verification_id = done.id

    def backward(self, session: Session) -> None:
        if self.verification_id is not None:
            unmark_verified(session, self.verification_id)
            self.verification_id = None


ANSWER_WORDS = {True: "allowed", False: "not allowed", None: "no answer"}


class SetPreference(EditorCommand):
    """Record whether a channel may be used (or that there is no answer), and how."""

    def __init__(
        self, editor: EditorContext, channel: str, allowed: bool | None, how: str | None
    ) -> None:
        label = CHANNEL_LABELS.get(channel, channel)
        super().__init__(editor, f"set {label} to {ANSWER_WORDS[allowed]}")
        self.channel, self.allowed, self.how = channel, allowed, how
        self.before: Preference | None = None

    def forward(self, session: Session) -> None:
        before = set_contact_preference(
            session, self.editor.person_id, self.channel, self.allowed, how=self.how
        )
        if not self._pushed:
            self.before = before

    def backward(self, session: Session) -> None:
        b = self.before
        set_contact_preference(
            session,
            self.editor.person_id,
            self.channel,
            None if b is None else b.allowed,
            how=None if b is None else b.how,
            at=None if b is None else b.recorded_at,
        )
