"""Mailings → Letters and labels…: choose what to print and for whom, look at it, then save
or print it.

Letters: a template and a segment make a plan (``db.mailing_plan``) at once: how many letters
for how many people, who is left out and why, and every variant of the letter; choosing a
variant or any recipient previews their letter (QtPdf). Saving writes one A4 PDF (or one per
letter) and records the mailing on each recipient's history, as one job with progress and
Cancel; a cancelled run writes and records nothing. Labels and envelopes go to the same
people the same way, with their own options, and record nothing.

A plan that cannot be made (a template with a problem, a segment that needs a field it
cannot read) is said in the window's summary, not in a pop-up, and Save stays off until the
choices change.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import QFileDialog, QListWidgetItem, QWidget

from db.branch_settings import BranchSettings, load_branch_settings
from db.database import Database
from db.errors import Cancelled, UserError
from db.export_log import record_export
from db.folding import fold
from db.letter_templates import get_template, list_templates
from db.mailing_data import LeftOut, gather_recipients
from db.mailing_plan import MailingPlan, plan_mailing
from db.segments import list_segments, segment_ids
from desktop import window_state
from desktop.errors import show_error
from desktop.file_dialogs import save_remembered
from desktop.jobs import Progress, run_job
from desktop.mailing_layout import MailingLayout
from desktop.pdf_preview import open_in_viewer, print_with_dialog
from reports.envelopes import ENVELOPES, EnvelopeRenderer, return_address
from reports.labels import (
    GRID_FORMAT,
    LAYOUTS,
    AddressLabel,
    LabelLayout,
    LabelRenderer,
    SortOrder,
    parse_grid,
    place_labels,
    plan_labels,
)
from reports.mailing_output import preview_letter, write_letter_files, write_letters
from reports.pdf_renderer import PdfRenderer

if TYPE_CHECKING:
    from desktop.main_window import MainWindow

SHOWN = 300  # recipients listed at once; finding narrows them
CUSTOM = "custom"  # the label layout that is a grid of one's own
FOLDER_KEY = "Mailing/folder"
_INDEX = Qt.ItemDataRole.UserRole


@dataclass(frozen=True)
class _Addressed:
    """Labels or envelopes: one per person or household, and who is left out."""

    labels: tuple[AddressLabel, ...]
    left_out: tuple[LeftOut, ...]


class MailingWindow(QWidget):
    OBJECT_NAME = "mailingWindow"
    SETTINGS_KEY = "MailingWindow"

    def __init__(self, database: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.database = database
        self.today = dt.date.today()
        self.plan: MailingPlan | None = None
        self.addressed: _Addressed | None = None
        self.saved: Path | None = None
        self.names: list[str] = []  # each letter's or label's name and postcode, folded
        self.setObjectName(self.OBJECT_NAME)
        self.setWindowTitle("Letters and labels — Branchbook")
        self.setMinimumSize(980, 620)
        self.ui = MailingLayout(self)
        ui = self.ui
        for name, layout in LAYOUTS.items():
            ui.layout_combo.addItem(
                f"{name}: {layout.per_sheet} a sheet ({layout.label_width:g} × "
                f"{layout.label_height:g} mm)",
                name,
            )
        ui.layout_combo.addItem("A sheet of my own (give its grid)", CUSTOM)
        for name, size in ENVELOPES.items():
            ui.size_combo.addItem(f"{name} ({size.width:g} × {size.height:g} mm)", name)
        self._fill_choices()
        self._replan_timer = QTimer(self, singleShot=True, interval=0)
        self._replan_timer.timeout.connect(self.replan)
        for combo in (ui.kind_combo, ui.segment_combo, ui.template_combo, ui.sort_combo):
            combo.currentIndexChanged.connect(self._choices_changed)
        for combo in (ui.layout_combo, ui.size_combo):
            combo.currentIndexChanged.connect(self._choices_changed)
        ui.per_household.toggled.connect(self._choices_changed)
        ui.start_spin.valueChanged.connect(self._sheet_changed)
        ui.grid_edit.editingFinished.connect(self._sheet_changed)
        ui.qr_check.toggled.connect(self._show_selected)
        ui.each_check.toggled.connect(self._kind_shown)
        ui.outlines_check.toggled.connect(self._show_selected)
        ui.return_check.toggled.connect(self._show_selected)
        ui.variants.currentRowChanged.connect(self._variant_chosen)
        ui.recipients.currentRowChanged.connect(self._show_selected)
        ui.find_edit.textChanged.connect(self._fill_recipients)
        ui.save_button.clicked.connect(lambda: self.save())
        ui.print_button.clicked.connect(lambda: self.print_mailing())
        ui.open_button.clicked.connect(self._open_saved)
        ui.edit_templates_button.clicked.connect(self._edit_templates)
        for key, slot in (
            (QKeySequence.StandardKey.Save, lambda: self.save()),
            (QKeySequence.StandardKey.Print, lambda: self.print_mailing()),
            (QKeySequence.StandardKey.Find, ui.find_edit.setFocus),
            (QKeySequence.StandardKey.Close, self.close),
        ):
            QShortcut(QKeySequence(key), self).activated.connect(slot)
        if not window_state.restore_geometry(self, self.SETTINGS_KEY):
            self.resize(1200, 760)
        window_state.restore_splitter(ui.splitter, self.SETTINGS_KEY)
        self._kind_shown()
        self._replan_timer.start()

    # --- choices ----------------------------------------------------------------------
    @property
    def kind(self) -> str:
        return str(self.ui.kind_combo.currentData())

    def _fill_choices(self) -> None:
        """Segments and templates as they are now, keeping what was chosen."""
        ui = self.ui
        with self.database.session() as session:
            segments = [row.name for row in list_segments(session)]
            templates = [row.name for row in list_templates(session)]
        for combo, names, preferred in (
            (ui.segment_combo, segments, "Members"),
            (ui.template_combo, templates, ""),
        ):
            chosen = combo.currentText() or preferred
            combo.blockSignals(True)
            combo.clear()
            combo.addItems(names)
            combo.setCurrentIndex(max(0, names.index(chosen) if chosen in names else 0))
            combo.blockSignals(False)

    def choose(self, *, kind: str | None = None, segment: str | None = None, **more: Any) -> None:
        """Set choices as a user would (tests and the menu use it); the plan follows."""
        ui = self.ui
        if kind is not None:
            ui.kind_combo.setCurrentIndex(ui.kind_combo.findData(kind))
        if segment is not None:
            ui.segment_combo.setCurrentText(segment)
        if "template" in more:
            ui.template_combo.setCurrentText(more["template"])
        if "per_household" in more:
            ui.per_household.setChecked(bool(more["per_household"]))
        self.replan()

    def _choices_changed(self) -> None:
        self._kind_shown()
        self._replan_timer.start()

    def _kind_shown(self) -> None:
        ui = self.ui
        letters = self.kind == "letters"
        ui.options.setCurrentIndex(ui.kind_combo.currentIndex())
        ui.variants_box.setVisible(letters)
        ui.sort_combo.setVisible(not letters)
        if ui.sort_label is not None:
            ui.sort_label.setVisible(not letters)
        custom = ui.layout_combo.currentData() == CUSTOM
        ui.grid_edit.setEnabled(custom)
        try:
            ui.start_spin.setMaximum(self.label_layout().per_sheet)
        except UserError:
            ui.start_spin.setMaximum(1)
        ui.save_button.setText(
            "&Save PDFs…" if letters and ui.each_check.isChecked() else "&Save PDF…"
        )

    def label_layout(self) -> LabelLayout:
        """The chosen sheet of labels; a grid of one's own that will not do is a UserError."""
        chosen = str(self.ui.layout_combo.currentData())
        if chosen != CUSTOM:
            return LAYOUTS[chosen]
        text = self.ui.grid_edit.text().strip()
        if not text:
            raise UserError(f"Give the sheet's grid as {GRID_FORMAT}, in millimetres.")
        return parse_grid(text)

    def _sheet_changed(self) -> None:
        """A new grid or start changes the sheet count and the preview, not who gets one."""
        self._kind_shown()
        if self.addressed is not None:
            self._show_plan()

    def _edit_templates(self) -> None:
        from desktop.template_editor import open_template_editor

        editor = open_template_editor(self, self.database)
        editor.destroyed.connect(lambda: self._templates_edited())

    def _templates_edited(self) -> None:
        self._fill_choices()
        self._replan_timer.start()

    # --- the plan ---------------------------------------------------------------------
    def replan(self) -> None:
        """Who gets what, for the current choices; the summary says it or what is wrong."""
        self._replan_timer.stop()
        self.plan, self.addressed, self.saved = None, None, None
        self.ui.open_button.setEnabled(False)
        segment = self.ui.segment_combo.currentText()
        kind = self.kind
        template = self.ui.template_combo.currentText()
        per_household = self.ui.per_household.isChecked()
        sort: SortOrder = "name" if self.ui.sort_combo.currentData() == "name" else "postcode"
        database, today = self.database, self.today
        if kind == "letters" and not template:
            self._cannot("There are no letter templates yet: Edit templates… writes one.")
            return

        def job(progress: Progress, cancelled: object) -> MailingPlan | _Addressed:
            with database.session() as session:
                if kind == "letters":
                    template_id, body = get_template(session, template)
                    return plan_mailing(
                        session,
                        template_name=template,
                        body=body,
                        segment=segment,
                        template_id=template_id,
                        per_household=per_household,
                        today=today,
                    )
                people = segment_ids(session, segment, today)
                gathered = gather_recipients(session, people, today=today)
            labels = plan_labels(gathered, per_household=per_household, sort=sort)
            return _Addressed(tuple(labels), gathered.left_out)

        outcome = run_job(self, f"Reading who {segment} are…", job, cancellable=False)
        if isinstance(outcome.error, UserError):
            self._cannot(str(outcome.error))
            return
        if outcome.error is not None:
            show_error(self, outcome.error)
            self._cannot("The mailing could not be prepared.")
            return
        if isinstance(outcome.result, MailingPlan):
            self.plan = outcome.result
            self.names = [
                fold(f"{letter.addressee} {letter.address_lines[-1]}")
                for letter in self.plan.letters
            ]
        else:
            self.addressed = outcome.result
            self.names = [
                fold(f"{label.name} {label.address_lines[-1]}") for label in self.addressed.labels
            ]
        self._show_plan()

    def _cannot(self, why: str) -> None:
        self.names = []
        self.ui.summary.setText(why)
        self.ui.summary.setStyleSheet("color: #a40000;")
        self.ui.variants.clear()
        self.ui.recipients.clear()
        self.ui.preview.clear("Nothing to preview.")
        self.ui.save_button.setEnabled(False)
        self.ui.print_button.setEnabled(False)

    def _show_plan(self) -> None:
        ui = self.ui
        ui.summary.setStyleSheet("")
        count = self._item_count()
        if self.plan is not None:
            people, left_out = self.plan.recipients, self.plan.left_out
        else:
            assert self.addressed is not None
            people = sum(len(label.person_ids) for label in self.addressed.labels)
            left_out = self.addressed.left_out
        noun = {"letters": "letter", "labels": "label", "envelopes": "envelope"}[self.kind]
        text = f"{_count(count, noun)} for {_count(people, 'person', 'people')}."
        reasons: dict[str, int] = {}
        for left in left_out:
            reasons[left.reason] = reasons.get(left.reason, 0) + 1
        if reasons:
            text += " Left out: " + "; ".join(f"{n:,} {why}" for why, n in reasons.items()) + "."
        usable = count > 0
        if self.kind == "labels":
            try:
                layout = self.label_layout()
            except UserError as error:
                text += f" {error}"
                usable = False
                ui.summary.setStyleSheet("color: #a40000;")
            else:
                sheets = -(-(count + ui.start_spin.value() - 1) // layout.per_sheet)
                text += f" {sheets:,} sheet{'' if sheets == 1 else 's'} of {layout.name}."
        ui.summary.setText(text)
        ui.variants.blockSignals(True)
        ui.variants.clear()
        if self.plan is not None:
            for number, variant in enumerate(self.plan.variants(), start=1):
                example = self.plan.letters[variant.first].addressee
                item = QListWidgetItem(
                    f"Variant {number}: {_count(variant.letters, 'letter')} for "
                    f"{_count(variant.people, 'person', 'people')}, such as {example}"
                )
                item.setData(_INDEX, variant.first)
                item.setToolTip(self.plan.letters[variant.first].text[:400])
                ui.variants.addItem(item)
        ui.variants.blockSignals(False)
        ui.save_button.setEnabled(usable)
        ui.print_button.setEnabled(usable)
        self._fill_recipients()

    def _item_count(self) -> int:
        if self.plan is not None:
            return len(self.plan.letters)
        return len(self.addressed.labels) if self.addressed is not None else 0

    def _fill_recipients(self) -> None:
        ui = self.ui
        words = fold(ui.find_edit.text()).split()
        shown = 0
        ui.recipients.blockSignals(True)
        ui.recipients.clear()
        matches = 0
        for index, name in enumerate(self.names):
            if all(word in name for word in words):
                matches += 1
                if shown < SHOWN:
                    item = QListWidgetItem(self._describe(index))
                    item.setData(_INDEX, index)
                    ui.recipients.addItem(item)
                    shown += 1
        if matches > shown:
            more = QListWidgetItem(f"… and {matches - shown:,} more: type to find one")
            more.setFlags(Qt.ItemFlag.NoItemFlags)
            ui.recipients.addItem(more)
        ui.recipients.blockSignals(False)
        if shown:
            ui.recipients.setCurrentRow(0)
        else:
            ui.preview.clear("Nobody matches." if words else "Nothing to preview.")

    def _describe(self, index: int) -> str:
        if self.plan is not None:
            letter = self.plan.letters[index]
            return f"{letter.addressee}, {letter.address_lines[-1]}"
        assert self.addressed is not None
        label = self.addressed.labels[index]
        return f"{label.name}, {label.address_lines[-1]}"

    # --- preview ----------------------------------------------------------------------
    def _variant_chosen(self, row: int) -> None:
        """The variant's first letter, chosen in the list of recipients when it is shown."""
        item = self.ui.variants.item(row)
        if item is None:
            return
        index = int(item.data(_INDEX))
        if self.ui.find_edit.text():
            self.ui.find_edit.clear()  # refills the list
        recipients = self.ui.recipients
        for number in range(recipients.count()):
            if recipients.item(number).data(_INDEX) == index:
                recipients.setCurrentRow(number)
                recipients.scrollToItem(recipients.item(number))
                return
        recipients.setCurrentRow(-1)
        self._preview(index)

    def _show_selected(self) -> None:
        self._kind_shown()
        item = self.ui.recipients.currentItem()
        if item is not None and item.data(_INDEX) is not None:
            self._preview(int(item.data(_INDEX)))
        elif self.addressed is not None and self.kind == "labels":
            self._preview(0)

    def _preview(self, index: int) -> None:
        if self._item_count() == 0:
            return
        branch = self._branch()
        try:
            if self.plan is not None:
                letter = self.plan.letters[index]
                data = preview_letter(self.plan, index, branch, qr=self.ui.qr_check.isChecked())
                caption = f"Letter {index + 1:,} of {len(self.plan.letters):,}: {letter.addressee}"
            else:
                data, caption = self._preview_addressed(index, branch)
        except UserError as error:
            self.ui.preview.clear(str(error))
            return
        self.ui.preview.show_pdf(data, caption)

    def _preview_addressed(self, index: int, branch: BranchSettings) -> tuple[bytes, str]:
        assert self.addressed is not None
        labels = self.addressed.labels
        if self.kind == "envelopes":
            renderer: PdfRenderer[Any] = self._envelopes([labels[index]], branch)
            return renderer.render(), f"Envelope {index + 1:,} of {len(labels):,}"
        layout = self.label_layout()
        start = self.ui.start_spin.value()
        sheet = (start - 1 + index) // layout.per_sheet
        first = max(0, sheet * layout.per_sheet - (start - 1))
        on_sheet = labels[first : (sheet + 1) * layout.per_sheet - (start - 1)]
        sheets = place_labels(list(on_sheet), layout, start if sheet == 0 else 1)
        renderer = LabelRenderer(sheets, layout, outlines=self.ui.outlines_check.isChecked())
        total = -(-(len(labels) + start - 1) // layout.per_sheet)
        return renderer.render(), f"Sheet {sheet + 1:,} of {total:,} ({layout.name})"

    def _envelopes(self, labels: list[AddressLabel], branch: BranchSettings) -> EnvelopeRenderer:
        size = ENVELOPES[str(self.ui.size_combo.currentData())]
        lines = return_address(branch) if self.ui.return_check.isChecked() else ()
        return EnvelopeRenderer(labels, size, return_lines=lines)

    def _branch(self) -> BranchSettings:
        with self.database.session() as session:
            return load_branch_settings(session)

    # --- saving and printing ----------------------------------------------------------
    def save(self, target: Path | None = None) -> Path | None:
        """Write the whole mailing where the secretary chooses; the path, or None."""
        if self._item_count() == 0:
            return None
        each = self.kind == "letters" and self.ui.each_check.isChecked()
        if target is None:
            target = self._choose_target(each)
            if target is None:
                return None
        branch = self._branch()
        try:
            job = self._write_job(target, branch, each)
        except UserError as error:
            show_error(self, error)
            return None
        outcome = run_job(self, f"Writing {target.name}…", job)
        if isinstance(outcome.error, Cancelled):
            self.say("Cancelled: nothing was written or recorded.")
            return None
        if outcome.error is not None:
            show_error(self, outcome.error)
            return None
        pages = int(outcome.result)
        self.saved = target
        self.ui.open_button.setEnabled(not each)
        recorded = " and recorded on each person's history" if self.kind == "letters" else ""
        self.say(f"Saved {target} ({pages:,} page{'' if pages == 1 else 's'}){recorded}.")
        if not each:
            self.ui.preview.show_pdf(target.read_bytes(), f"Saved: {target.name}, {pages:,} pages")
        return target

    def _choose_target(self, each: bool) -> Path | None:
        segment = self.ui.segment_combo.currentText()
        name = f"{self.ui.kind_combo.currentText()} for {segment} {self.today.isoformat()}"
        if self.plan is not None:
            name = f"{self.plan.template_name} to {segment} {self.today.isoformat()}"
        if not each:
            return save_remembered(self, "Save the PDF", FOLDER_KEY, name, ".pdf", "PDF (*.pdf)")
        folder = QFileDialog.getExistingDirectory(self, "Put a folder of letters in…")
        return Path(folder) / name if folder else None

    def _write_job(self, target: Path, branch: BranchSettings, each: bool) -> Any:
        database, plan, qr = self.database, self.plan, self.ui.qr_check.isChecked()
        if plan is not None:

            def write(progress: Progress, cancelled: Any) -> int:
                with database.session() as session:
                    writer = write_letter_files if each else write_letters
                    return writer(
                        session,
                        plan,
                        branch,
                        target,
                        qr=qr,
                        progress=_cancelling(progress, cancelled),
                    ).pages

            return write
        assert self.addressed is not None
        labels = list(self.addressed.labels)
        renderer: PdfRenderer[Any]
        if self.kind == "envelopes":
            renderer = self._envelopes(labels, branch)
        else:
            layout = self.label_layout()
            sheets = place_labels(labels, layout, self.ui.start_spin.value())
            renderer = LabelRenderer(sheets, layout, outlines=self.ui.outlines_check.isChecked())

        kind, segment = self.kind, self.ui.segment_combo.currentText()
        people = sum(len(label.person_ids) for label in labels)

        def draw(progress: Progress, cancelled: Any) -> int:
            with database.session() as session:
                pages = renderer.write(target, _cancelling(progress, cancelled))
                record_export(session, kind, target, people, segment=segment)
            return pages

        return draw

    def print_mailing(self) -> int:
        """Save the mailing (so what is printed is what is recorded), then Qt's print dialog."""
        if self.kind == "letters" and self.ui.each_check.isChecked():
            self.ui.each_check.setChecked(False)
        target = self.saved if self.saved is not None and self.saved.is_file() else self.save()
        if target is None:
            return 0
        self.ui.preview.show_pdf(target.read_bytes(), f"Saved: {target.name}")
        return print_with_dialog(self, self.ui.preview.document, target.stem)

    def _open_saved(self) -> None:
        if self.saved is not None:
            open_in_viewer(self.saved)

    def say(self, text: str) -> None:
        self.ui.status.setText(text)

    def closeEvent(self, event: QCloseEvent) -> None:
        window_state.save_geometry(self, self.SETTINGS_KEY)
        window_state.save_splitter(self.ui.splitter, self.SETTINGS_KEY)
        super().closeEvent(event)


def _cancelling(progress: Progress, cancelled: Any) -> Progress:
    def report(done: int, total: int, label: str) -> None:
        if cancelled():
            raise Cancelled()
        progress(done, total, label)

    return report


def _count(count: int, one: str, many: str = "") -> str:
    return f"{count:,} {one if count == 1 else many or one + 's'}"


def open_mailing(window: MainWindow, kind: str = "letters") -> MailingWindow:
    """Mailings → Letters and labels…: one window, raised when already open."""
    found = window_state.raise_open(window, MailingWindow)
    if found is None:
        found = window_state.show_owned(MailingWindow(window.database, window), lambda: None)
    if found.kind != kind:
        found.choose(kind=kind)
    return found
