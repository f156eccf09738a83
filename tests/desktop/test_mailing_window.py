"""Mailings → Letters and labels…: the plan shown, every variant and any recipient previewed,
the PDF saved and recorded (or neither, when cancelled), labels and envelopes, printing."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtGui import QAction
from PySide6.QtPrintSupport import QPrinter
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

import desktop.jobs
from db.branch_settings import BranchSettings, save_branch_settings
from db.database import Database
from db.letter_templates import save_template
from db.models import Mailing, MailingRecipient
from desktop import mailing_window
from desktop.mailing_window import MailingWindow
from desktop.main_window import MainWindow
from desktop.pdf_preview import print_document
from reports.labels import GRID_FORMAT
from tests.helpers.mailing_people import NAMES, Branch, seed_branch

TEMPLATE = """Dear {{ salutation }},

{% if is_member %}MEMBER-VARIANT {{ membership_number }}{% else %}SUPPORTER-VARIANT{% endif %}

Yours sincerely,
"""


@pytest.fixture
def branch(database: Database) -> Branch:
    seeded = seed_branch(database)
    with database.session() as session:
        save_template(session, "Autumn", TEMPLATE)
        save_template(session, "Asks about a segment", '{% if in_segment("Nope") %}x{% endif %}')
        save_branch_settings(
            session, BranchSettings(branch_name="Cathays Branch", address="1 High St, CF10 1AA")
        )
    return seeded


@pytest.fixture
def window(database: Database, branch: Branch, qtbot: QtBot) -> MailingWindow:
    shown = MailingWindow(database)
    qtbot.addWidget(shown)
    shown.show()
    shown.choose(kind="letters", segment="Everyone", template="Autumn", per_household=False)
    return shown


def recorded(database: Database) -> tuple[int, int]:
    with database.session() as session:
        return (
            session.scalar(select(func.count()).select_from(Mailing)) or 0,
            session.scalar(select(func.count()).select_from(MailingRecipient)) or 0,
        )


def preview_text(window: MailingWindow) -> str:
    buffer = window.ui.preview._buffer
    assert buffer is not None
    return "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(bytes(buffer.data()))).pages)


def test_the_plan_says_how_many_who_is_left_out_and_lists_the_variants(
    window: MailingWindow,
) -> None:
    ui = window.ui
    assert ui.summary.text() == (
        "6 letters for 6 people. Left out: 1 refused post; 1 no postal address."
    )
    assert ui.variants.count() == 2
    assert [ui.variants.item(i).text()[:39] for i in range(2)] == [
        "Variant 1: 3 letters for 3 people, such",
        "Variant 2: 3 letters for 3 people, such",
    ]
    shown = [ui.recipients.item(i).text() for i in range(ui.recipients.count())]
    assert len(shown) == 6 and "Ms Siân Llŷr-Jones, CF10 1AA" in shown
    assert all("Peter Quiet" not in line and "Nora" not in line for line in shown)

    window.choose(per_household=True)
    assert ui.summary.text().startswith("5 letters for 6 people.")


def test_each_variant_and_any_recipient_can_be_previewed(
    window: MailingWindow, qtbot: QtBot
) -> None:
    ui = window.ui
    for row in range(ui.variants.count()):
        ui.variants.setCurrentRow(row)
        index = ui.recipients.currentItem().data(mailing_window._INDEX)
        letter = window.plan.letters[index]  # type: ignore[union-attr]
        assert window.plan.variants()[row].first == index  # type: ignore[union-attr]
        text = preview_text(window)
        assert letter.addressee in text
        assert ("MEMBER-VARIANT" in text) != ("SUPPORTER-VARIANT" in text)
    qtbot.keyClicks(ui.find_edit, "wojcik ls1")  # as typed on a plain keyboard
    assert ui.recipients.count() == 2
    ui.find_edit.setText("Wójcik Agnieszka")
    assert ui.recipients.count() == 1
    assert "Mrs Agnieszka Wójcik" in preview_text(window)
    assert window.ui.preview.page_count() == 1
    assert recorded(window.database) == (0, 0)


def test_saving_writes_one_pdf_records_the_mailing_and_shows_it(
    window: MailingWindow, tmp_path: Path
) -> None:
    target = tmp_path / "out.pdf"
    assert window.save(target) == target
    reader = PdfReader(target)
    assert len(reader.pages) == 6
    everything = "\n".join(page.extract_text() for page in reader.pages)
    assert all(name in everything for name in NAMES)
    assert recorded(window.database) == (1, 6)
    assert window.ui.preview.page_count() == 6
    assert window.ui.open_button.isEnabled()
    assert "recorded on each person's history" in window.ui.status.text()


def test_one_pdf_per_letter(window: MailingWindow, tmp_path: Path) -> None:
    window.ui.each_check.setChecked(True)
    assert window.ui.save_button.text() == "&Save PDFs…"
    folder = tmp_path / "letters"
    assert window.save(folder) == folder
    assert len(list(folder.glob("*.pdf"))) == 6
    assert recorded(window.database) == (1, 6)


def test_cancelling_writes_and_records_nothing(
    window: MailingWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_run_job = desktop.jobs.run_job

    def cancel_at_once(parent, title, job, **options):  # type: ignore[no-untyped-def]
        return real_run_job(parent, title, lambda progress, _c: job(progress, lambda: True))

    monkeypatch.setattr(mailing_window, "run_job", cancel_at_once)
    assert window.save(tmp_path / "out.pdf") is None
    assert not (tmp_path / "out.pdf").exists()
    assert recorded(window.database) == (0, 0)
    assert window.ui.status.text() == "Cancelled: nothing was written or recorded."


def test_a_plan_that_cannot_be_made_is_said_and_save_stays_off(window: MailingWindow) -> None:
    window.choose(template="Asks about a segment")
    assert window.ui.summary.text() == "There is no segment called 'Nope'."
    assert not window.ui.save_button.isEnabled() and not window.ui.print_button.isEnabled()
    assert window.ui.recipients.count() == 0
    window.choose(template="Autumn")
    assert window.ui.save_button.isEnabled()


def test_labels_and_envelopes_go_to_the_same_people(window: MailingWindow, tmp_path: Path) -> None:
    window.choose(kind="labels", per_household=True)
    assert window.ui.summary.text() == (
        "4 labels for 6 people. Left out: 1 refused post; 1 no postal address. 1 sheet of L7160."
    )
    window.ui.start_spin.setValue(20)
    window.choose()
    assert window.ui.summary.text().endswith("2 sheets of L7160.")
    labels = window.save(tmp_path / "labels.pdf")
    assert labels is not None and len(PdfReader(labels).pages) == 2
    assert "Mr Ł & Mrs A Wójcik" in "".join(p.extract_text() for p in PdfReader(labels).pages)

    window.choose(kind="envelopes")
    window.ui.return_check.setChecked(True)
    assert "If undelivered please return to" in preview_text(window)
    envelopes = window.save(tmp_path / "envelopes.pdf")
    assert envelopes is not None
    reader = PdfReader(envelopes)
    assert len(reader.pages) == 4
    width_mm = float(reader.pages[0].mediabox.width) * 25.4 / 72
    assert round(width_mm) == 220
    assert recorded(window.database) == (0, 0)  # only letters go on people's histories


def test_printing_draws_every_page(window: MailingWindow, tmp_path: Path) -> None:
    window.save(tmp_path / "out.pdf")
    printer = QPrinter(QPrinter.PrinterMode.ScreenResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "printed.pdf"))
    seen: list[int] = []
    assert (
        print_document(window.ui.preview.document, printer, 2, 4, lambda d, t: not seen.append(d))
        == 3
    )
    assert seen == [1, 2, 3]
    assert len(PdfReader(tmp_path / "printed.pdf").pages) == 3
    stopped = QPrinter(QPrinter.PrinterMode.ScreenResolution)
    stopped.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    stopped.setOutputFileName(str(tmp_path / "stopped.pdf"))
    assert print_document(window.ui.preview.document, stopped, progress=lambda d, t: d < 2) == 2


def test_the_mailings_menu_opens_the_window_for_each_kind(
    database: Database, branch: Branch, qtbot: QtBot
) -> None:
    main = MainWindow(database)
    qtbot.addWidget(main)
    main.show()
    for name, kind in (
        ("labelsAction", "labels"),
        ("envelopesAction", "envelopes"),
        ("lettersAction", "letters"),
    ):
        action = main.findChild(QAction, name)
        assert action is not None
        action.trigger()
        shown = [w for w in main.findChildren(MailingWindow) if w.isVisible()]
        assert len(shown) == 1 and shown[0].kind == kind
    assert main.findChild(QAction, "lettersAction").shortcut().toString() == "Ctrl+Shift+M"
    shown[0].close()


def test_the_detail_pane_lists_the_letters_a_person_was_sent(
    window: MailingWindow, branch: Branch, tmp_path: Path, qtbot: QtBot
) -> None:
    from db.participation import person_participation
    from db.people import person_detail
    from db.person_mailings import person_mailings
    from desktop.detail_pane import DetailPane

    window.save(tmp_path / "out.pdf")
    pane = DetailPane()
    qtbot.addWidget(pane)
    person = branch["Łukasz Wójcik"]
    with window.database.session() as session:
        pane.show_person(
            person_detail(session, person),
            person_participation(session, person),
            person_mailings(session, person),
        )
    text = pane.toPlainText()
    assert "Letters sent" in text
    assert "Autumn to Everyone (variant 2 of 2)" in text


def test_labels_on_a_sheet_of_ones_own(window: MailingWindow, tmp_path: Path) -> None:
    ui = window.ui
    window.choose(kind="labels")
    ui.layout_combo.setCurrentIndex(ui.layout_combo.findData(mailing_window.CUSTOM))
    window.choose()
    assert ui.summary.text().endswith(
        "Give the sheet's grid as " + GRID_FORMAT + ", in millimetres."
    )
    assert not ui.save_button.isEnabled()
    ui.grid_edit.setText("2x7,99.1x38.1,15.1,4.65,101.6")
    ui.grid_edit.editingFinished.emit()
    assert ui.summary.text().endswith("1 sheet of custom.") and ui.save_button.isEnabled()
    assert ui.start_spin.maximum() == 14
    labels = window.save(tmp_path / "labels.pdf")
    assert labels is not None and len(PdfReader(labels).pages) == 1
    ui.grid_edit.setText("9x9,99x99,1,1")
    ui.grid_edit.editingFinished.emit()
    assert "does not fit" in ui.summary.text() or "reach" in ui.summary.text()
    assert not ui.save_button.isEnabled()
