"""People → Organisations and unions…: the unions, co-ops, campaigns and community groups
the branch knows; one person's affiliations (add one with role and since-when, end one on
a date, kept as history); and how many of the branch's members are in each trade union.

Each change is its own short transaction; a refusal is said in one sentence and nothing
changes. Each change can be undone (Ctrl+Z) and redone (Ctrl+Shift+Z, Ctrl+Y). The widgets
are laid out in ``organisations_layout``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QListWidgetItem, QTreeWidgetItem, QWidget
from sqlalchemy.orm import Session

from db.activity_log import person_names
from db.database import Database
from db.organisations import (
    Affiliated,
    AffiliationRow,
    OrganisationRow,
    UnionMembers,
    add_organisation,
    affiliate,
    delete_affiliation,
    delete_organisation,
    end_affiliation,
    list_organisations,
    person_affiliations,
    reopen_affiliation,
    union_members,
)
from desktop import window_state
from desktop.activity_dialog import pydate
from desktop.bar_chart import Bar
from desktop.organisations_layout import OrganisationsLayout
from desktop.undo_history import CoreCommand, UndoHistory

if TYPE_CHECKING:
    from desktop.main_window import MainWindow

SHOWN = 1000  # members listed for one union; the count above says how many in all
_ID = Qt.ItemDataRole.UserRole
_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter


def date_text(day: dt.date | None) -> str:
    return "" if day is None else f"{day.day} {day:%b %Y}"


def union_name(union: UnionMembers) -> str:
    """ "Unite the Union (Unite)": the short name too, as members say it."""
    if union.short_name and union.short_name.casefold() != union.name.casefold():
        return f"{union.name} ({union.short_name})"
    return union.name


class AddOrganisation(CoreCommand):
    """Add an organisation; undone, it is deleted (refused once anyone is affiliated to
    it), redone, put back with the same id."""

    def __init__(self, name: str, kind: str, short_name: str | None) -> None:
        super().__init__(f"add organisation “{' '.join(name.split())}”")
        self.name, self.kind, self.short_name = name, kind, short_name
        self.organisation_id: int | None = None

    def forward(self, session: Session) -> None:
        self.organisation_id = add_organisation(
            session, self.name, self.kind, self.short_name, restore_id=self.organisation_id
        )

    def backward(self, session: Session) -> None:
        assert self.organisation_id is not None
        gone = delete_organisation(session, self.organisation_id)
        self.name, self.kind, self.short_name = gone.name, gone.kind, gone.short_name


class AddAffiliation(CoreCommand):
    """Record that someone belongs to an organisation; undone, the affiliation is deleted,
    redone, put back as it was, with the same id."""

    def __init__(self, person: str, organisation: str, row: Affiliated) -> None:
        """``row`` is what to add; its id (0 until then) is given by the core."""
        super().__init__(f"add {person} to {organisation}")
        self.row = row

    def forward(self, session: Session) -> None:
        r = self.row
        restore = None if self.first else r.id
        new_id = affiliate(
            session, r.person_id, r.organisation_id, r.role, r.since, restore_id=restore
        )
        self.row = Affiliated(new_id, r.person_id, r.organisation_id, r.role, r.since, None)

    def backward(self, session: Session) -> None:
        self.row = delete_affiliation(session, self.row.id)


class EndAffiliation(CoreCommand):
    """End an affiliation on a day; undone, it is current again (its end as it was)."""

    def __init__(self, person: str, chosen: AffiliationRow, until: dt.date) -> None:
        super().__init__(f"end {person}'s affiliation to {chosen.organisation}")
        self.affiliation_id, self.until = chosen.id, until
        self.previous = chosen.until

    def forward(self, session: Session) -> None:
        end_affiliation(session, self.affiliation_id, self.until)

    def backward(self, session: Session) -> None:
        reopen_affiliation(session, self.affiliation_id, self.previous)


class OrganisationsWindow(OrganisationsLayout):
    OBJECT_NAME = "organisationsWindow"
    SETTINGS_KEY = "OrganisationsWindow"

    def __init__(
        self,
        database: Database,
        parent: QWidget | None = None,
        today: dt.date | None = None,
        changed: Callable[[], None] | None = None,
    ) -> None:
        super().__init__(database, today or dt.date.today(), parent)
        self.database = database
        self._today = today
        self._changed = changed  # the main window's refresh: its pane shows affiliations
        self.organisations: list[OrganisationRow] = []
        self.affiliations: list[AffiliationRow] = []
        self.unions: list[UnionMembers] = []
        self.person_id: int | None = None
        self.person_name = ""
        self.setObjectName(self.OBJECT_NAME)
        self.setWindowTitle("Organisations and unions — Branchbook")
        self.setMinimumSize(900, 540)
        self.history = UndoHistory(self, database, lambda _command: self._refresh())
        self.history.said.connect(self.say)
        self.addActions(self.history.actions())  # Ctrl+Z anywhere in the window
        self.undo_button.setDefaultAction(self.history.undo_action)
        self.redo_button.setDefaultAction(self.history.redo_action)
        self._connect()
        if not window_state.restore_geometry(self, self.SETTINGS_KEY):
            self.resize(1180, 700)
        self.reload()

    def _connect(self) -> None:
        self.add_organisation_button.clicked.connect(lambda: self.add_organisation())
        self.name_edit.returnPressed.connect(lambda: self.add_organisation())
        self.finder.picked.connect(self.show_person)
        self.affiliate_button.clicked.connect(lambda: self.add_affiliation())
        self.end_button.clicked.connect(lambda: self.end_selected())
        self.affiliation_list.currentItemChanged.connect(lambda *_: self._update_buttons())
        self.union_list.currentItemChanged.connect(lambda *_: self._union_chosen())
        self.close_button.clicked.connect(lambda: self.close())

    def reload(self) -> None:
        with self.database.session() as session:
            self.organisations = list_organisations(session, today=self._today)
            self.unions = union_members(session, today=self._today)
        self._show_organisations()
        self._show_unions()
        self._show_affiliations()

    # organisations -------------------------------------------------------------------

    def _show_organisations(self) -> None:
        self.organisation_list.clear()
        keep = self.organisation_combo.currentData()
        self.organisation_combo.clear()
        for org in self.organisations:
            item = QTreeWidgetItem(
                [org.name, org.short_name or "", org.kind_label, f"{org.current:,}"]
            )
            item.setData(0, _ID, org.id)
            item.setTextAlignment(3, _RIGHT)
            self.organisation_list.addTopLevelItem(item)
            self.organisation_combo.addItem(f"{org.name}  ·  {org.kind_label}", org.id)
        if keep is not None:
            self.organisation_combo.setCurrentIndex(max(0, self.organisation_combo.findData(keep)))

    def add_organisation(self) -> None:
        name, short = self.name_edit.text(), self.short_edit.text()
        kind = str(self.kind_combo.currentData())
        command = AddOrganisation(name, kind, short)
        if not self.history.run(command):
            return
        new_id = command.organisation_id
        self.name_edit.clear()
        self.short_edit.clear()
        for row in range(self.organisation_list.topLevelItemCount()):
            item = self.organisation_list.topLevelItem(row)
            if item is not None and item.data(0, _ID) == new_id:
                self.organisation_list.setCurrentItem(item)
        self.say(f"Added “{' '.join(name.split())}”.")

    # one person's affiliations -------------------------------------------------------

    def show_person(self, person_id: int, name: str) -> None:
        self.person_id, self.person_name = person_id, name
        self._show_affiliations()

    def _show_affiliations(self) -> None:
        self.affiliation_list.clear()
        self.affiliations = []
        if self.person_id is not None:
            with self.database.session() as session:
                self.affiliations = person_affiliations(session, self.person_id, today=self._today)
        for row in self.affiliations:
            item = QTreeWidgetItem(
                [
                    row.organisation,
                    row.role or "",
                    date_text(row.since) or "not known",
                    date_text(row.until),
                    "yes" if row.current else "no",
                ]
            )
            item.setData(0, _ID, row.id)
            if not row.current:
                for column in range(5):
                    item.setForeground(column, Qt.GlobalColor.gray)
            self.affiliation_list.addTopLevelItem(item)
        if self.person_id is None:
            self.person_label.setText("Find someone on the left and press Enter.")
        elif self.affiliations:
            self.person_label.setText(f"{self.person_name} belongs to (or belonged to):")
        else:
            self.person_label.setText(f"{self.person_name}: no organisations recorded yet.")
        who = f"{self.person_name} belongs" if self.person_name else "they belong"
        self.add_box.setTitle(f"Add an organisation {who} to")
        self._update_buttons()

    def selected_affiliation(self) -> AffiliationRow | None:
        item = self.affiliation_list.currentItem()
        if item is None:
            return None
        wanted = item.data(0, _ID)
        return next((row for row in self.affiliations if row.id == wanted), None)

    def _update_buttons(self) -> None:
        chosen = self.selected_affiliation()
        self.end_button.setEnabled(chosen is not None and chosen.until is None)
        self.affiliate_button.setEnabled(
            self.person_id is not None and self.organisation_combo.count() > 0
        )

    def add_affiliation(self) -> None:
        person_id, org_id = self.person_id, self.organisation_combo.currentData()
        if person_id is None or org_id is None:
            return
        role = self.role_edit.text()
        since = pydate(self.since_edit.date()) if self.since_check.isChecked() else None
        org = self.organisation_combo.currentText().split("  ·  ")[0]
        wanted = Affiliated(0, person_id, int(org_id), role, since, None)
        if not self.history.run(AddAffiliation(self.person_name, org, wanted)):
            return
        self.role_edit.clear()
        self.say(f"{self.person_name} now belongs to {org}.")

    def end_selected(self) -> None:
        chosen = self.selected_affiliation()
        if chosen is None:
            return
        until = pydate(self.until_edit.date())
        if not self.history.run(EndAffiliation(self.person_name, chosen, until)):
            return
        self.say(
            f"{self.person_name} left {chosen.organisation} on {date_text(until)}; "
            "it stays as history."
        )

    def _refresh(self) -> None:
        """After a change, its undo or its redo: this window and the main window's pane,
        which shows affiliations, as the database has them now."""
        self.reload()
        if self._changed is not None:
            self._changed()

    # union members -------------------------------------------------------------------

    def _show_unions(self) -> None:
        keep = self.selected_union()
        self.union_chart.set_bars(
            [Bar(u.short_name or u.name, u.members, f"{u.members:,}") for u in self.unions]
        )
        total = sum(u.members for u in self.unions)
        self.union_list.blockSignals(True)
        self.union_list.clear()
        for union in self.unions:
            item = QTreeWidgetItem([union_name(union), f"{union.members:,}"])
            item.setData(0, _ID, union.organisation_id)
            item.setTextAlignment(1, _RIGHT)
            self.union_list.addTopLevelItem(item)
            if union.organisation_id == (keep.organisation_id if keep else None):
                self.union_list.setCurrentItem(item)
        self.union_list.blockSignals(False)
        first = self.union_list.topLevelItem(0)
        if self.union_list.currentItem() is None and first is not None:
            self.union_list.setCurrentItem(first)
        self.union_note.setText(
            f"Branch members (not supporters or contacts) in each trade union today: "
            f"{total:,} memberships in {len(self.unions)} unions."
        )
        self._union_chosen()

    def selected_union(self) -> UnionMembers | None:
        item = self.union_list.currentItem()
        if item is None:
            return None
        wanted = item.data(0, _ID)
        return next((u for u in self.unions if u.organisation_id == wanted), None)

    def _union_chosen(self) -> None:
        union = self.selected_union()
        self.member_list.clear()
        if union is None:
            self.members_box.setTitle("Members")
            return
        with self.database.session() as session:
            names = person_names(session, union.person_ids[:SHOWN])
        for pid in union.person_ids[:SHOWN]:
            item = QListWidgetItem(names.get(pid, f"Person {pid}"))
            item.setData(_ID, pid)
            self.member_list.addItem(item)
        more = f", the first {SHOWN:,} shown" if union.members > SHOWN else ""
        self.members_box.setTitle(f"Members in {union_name(union)} ({union.members:,}{more})")

    # the rest ------------------------------------------------------------------------

    def say(self, text: str) -> None:
        self.status.setText(text)

    def closeEvent(self, event: QCloseEvent) -> None:
        window_state.save_geometry(self, self.SETTINGS_KEY)
        super().closeEvent(event)


def open_organisations(window: MainWindow) -> None:
    """People → Organisations and unions…: one window, raised when already open."""
    if window_state.raise_open(window, OrganisationsWindow) is not None:
        return
    window_state.show_owned(
        OrganisationsWindow(window.database, window, changed=window.refresh), lambda: None
    )
