"""Mailings → Letter templates…: the saved letter templates, one of them in a rich-text
editor (bold, italic, bullets, merge fields, paragraphs only or not for a segment), its
stored text form on a second tab, and a live check of what would stop it printing.

The text form is the truth: it is what is saved, what is checked and what ``Text`` shows.
The rich editor is a way of writing it, converted by ``desktop.template_text``. Whichever
tab was edited last holds the latest words (``source``); the other is brought up to date
when it is shown, and the rich editor's rebuild from edited text is one undoable step.
"""

from __future__ import annotations

import re

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import (
    QAction,
    QCloseEvent,
    QColor,
    QFont,
    QKeySequence,
    QTextBlock,
    QTextCharFormat,
    QTextCursor,
    QTextListFormat,
)
from PySide6.QtWidgets import QInputDialog, QListWidgetItem, QMessageBox, QTextEdit, QWidget

from db.database import Database
from db.errors import UserError
from db.letter_templates import (
    TemplateSummary,
    check_template,
    delete_template,
    get_template,
    list_templates,
    save_template,
)
from db.segments import list_segments
from desktop import window_state
from desktop.errors import show_error
from desktop.template_editor_layout import TemplateEditorLayout
from desktop.template_text import (
    TAG_LINE,
    block_format,
    char_format,
    differences,
    lines_of,
    normalise,
    pieces_of,
    tighten_before,
    to_text,
    write_document,
)

DEBOUNCE_MS = 300
LETTER_TAB, TEXT_TAB = 0, 1
_NAME = Qt.ItemDataRole.UserRole
_LINE = re.compile(r"^Line (\d+):")
PROBLEM_COLOUR = "#a40000"
_Button = QMessageBox.StandardButton


def _underline(block: QTextBlock) -> QTextEdit.ExtraSelection:
    selection = QTextEdit.ExtraSelection()
    cursor = QTextCursor(block)
    cursor.movePosition(QTextCursor.MoveOperation.EndOfBlock, QTextCursor.MoveMode.KeepAnchor)
    selection.cursor = cursor
    wavy = QTextCharFormat()
    wavy.setUnderlineStyle(QTextCharFormat.UnderlineStyle.WaveUnderline)
    wavy.setUnderlineColor(QColor(PROBLEM_COLOUR))
    selection.format = wavy
    return selection


def quoted(name: str) -> str:
    """``name`` as a Jinja string literal, whatever quotes or backslashes it holds."""
    return '"' + name.replace("\\", "\\\\").replace('"', '\\"') + '"'


class TemplateEditorWindow(QWidget):
    OBJECT_NAME = "templateEditorWindow"
    SETTINGS_KEY = "TemplateEditorWindow"

    def __init__(self, database: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.database = database
        self.templates: list[TemplateSummary] = []
        self.current: str | None = None  # the saved template shown; None: a new one
        self.saved_text = ""  # what the shown template holds in the database
        self.source = "letter"  # the tab edited last: "letter" or "text"
        self.problems: list[str] = []
        self.deleted: tuple[str, str] | None = None  # (name, text) the last delete took
        self._loading = False  # set while the window itself replaces text
        self.setObjectName(self.OBJECT_NAME)
        self.setMinimumSize(820, 520)
        self.ui = TemplateEditorLayout(self)
        self.save_action = QAction("Save", self)
        self.save_action.setShortcut(QKeySequence.StandardKey.Save)
        self.addAction(self.save_action)
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(DEBOUNCE_MS)
        self.timer.timeout.connect(self.refresh)
        self._connect()
        if not window_state.restore_geometry(self, self.SETTINGS_KEY):
            self.resize(1100, 660)  # fits a 1366x768 laptop under its taskbar
        window_state.restore_splitter(self.ui.splitter, self.SETTINGS_KEY)
        self.reload()
        self.load(self.templates[0].name if self.templates else None)

    def _connect(self) -> None:
        ui = self.ui
        ui.template_list.currentItemChanged.connect(
            lambda item, previous: self._template_chosen(item, previous)
        )
        ui.new_button.clicked.connect(lambda: self.new_template())
        ui.duplicate_button.clicked.connect(lambda: self.duplicate())
        ui.delete_button.clicked.connect(lambda: self.delete_current())
        ui.undo_delete_button.clicked.connect(lambda: self.undo_delete())
        ui.save_button.clicked.connect(lambda: self.save())
        ui.close_button.clicked.connect(lambda: self.close())
        self.save_action.triggered.connect(lambda: self.save())
        ui.bold_action.triggered.connect(lambda checked: self.set_bold(checked))
        ui.italic_action.triggered.connect(lambda checked: self.set_italic(checked))
        ui.bullet_action.triggered.connect(lambda _checked: self.toggle_bullets())
        for name, action in ui.field_actions.items():
            action.triggered.connect(lambda _checked=False, n=name: self.insert_field(n))
        ui.only_action.triggered.connect(lambda: self.wrap_in_segment(negate=False))
        ui.not_action.triggered.connect(lambda: self.wrap_in_segment(negate=True))
        ui.editor.textChanged.connect(lambda: self._edited("letter"))
        ui.text_edit.textChanged.connect(lambda: self._edited("text"))
        ui.editor.currentCharFormatChanged.connect(lambda fmt: self._show_format(fmt))
        ui.editor.cursorPositionChanged.connect(lambda: self._show_list())
        ui.tabs.currentChanged.connect(lambda index: self._tab_shown(index))
        ui.name_edit.textChanged.connect(lambda _text: self._update_title())

    # the saved templates ---------------------------------------------------------------

    def reload(self, select: str | None = None) -> None:
        """Refill the list, choosing ``select`` (else the template shown) without loading it."""
        keep = select if select is not None else self.current
        with self.database.session() as session:
            self.templates = list_templates(session)
        listing = self.ui.template_list
        listing.blockSignals(True)
        listing.clear()
        for summary in self.templates:
            item = QListWidgetItem(summary.name)
            item.setData(_NAME, summary.name)
            item.setToolTip(f"{summary.lines} lines")
            listing.addItem(item)
        listing.blockSignals(False)
        self._select_in_list(keep)

    def _select_in_list(self, name: str | None) -> None:
        listing = self.ui.template_list
        listing.blockSignals(True)
        listing.clearSelection()
        listing.setCurrentItem(None)  # type: ignore[call-overload]
        for row in range(listing.count()):
            item = listing.item(row)
            if item is not None and item.data(_NAME) == name:
                listing.setCurrentItem(item)
        listing.blockSignals(False)

    def _template_chosen(
        self, item: QListWidgetItem | None, previous: QListWidgetItem | None
    ) -> None:
        name = None if item is None else str(item.data(_NAME))
        if item is None or name == self.current:
            return
        if not self.confirm_discard():
            self._select_in_list(self.current)
            return
        self.load(name)

    def load(self, name: str | None, body: str | None = None) -> None:
        """Show template ``name`` (None: a new one holding ``body``), with nothing to undo."""
        if name is not None and body is None:
            with self.database.session() as session:
                body = get_template(session, name)[1]
        document = self.ui.editor.document()
        self._loading = True
        try:
            write_document(document, body or "")
            # A load is not an edit: Ctrl+Z must not empty the editor.
            document.clearUndoRedoStacks()
            self.ui.text_edit.setPlainText(to_text(document))
        finally:
            self._loading = False
        self.ui.editor.moveCursor(QTextCursor.MoveOperation.Start)
        self.timer.stop()
        self.current = name
        self.saved_text = to_text(document)
        self.source = "letter"
        self.ui.name_edit.setText(name or "")
        self.ui.name_edit.setReadOnly(name is not None)
        self.ui.duplicate_button.setEnabled(name is not None)
        self.ui.delete_button.setEnabled(name is not None)
        self._select_in_list(name)
        self.refresh()

    def confirm_discard(self) -> bool:
        """True when the shown template may be replaced: unchanged, saved now, or the
        changes let go; False when the person cancels (or the save is refused)."""
        if not self.is_modified():
            return True
        answer = QMessageBox.question(
            self,
            "Letter templates",
            f"Save the changes to “{self._shown_name()}”?",
            _Button.Save | _Button.Discard | _Button.Cancel,
            _Button.Save,
        )
        if answer == _Button.Save:
            return self.save()
        return answer == _Button.Discard

    def new_template(self) -> bool:
        if not self.confirm_discard():
            return False
        self.load(None, "")
        self.ui.name_edit.setFocus()
        return True

    def duplicate(self) -> bool:
        """A new, unsaved template holding what the editor shows, named “Copy of …”."""
        if self.current is None or not self.confirm_discard():
            return False
        original, text = self.current, self.current_text()
        self.load(None, text)
        self.saved_text = ""  # nothing of the copy is saved yet
        self.ui.name_edit.setText(f"Copy of {original}")
        self.refresh()
        self.ui.name_edit.setFocus()
        self.ui.name_edit.selectAll()
        return True

    def delete_current(self, confirm: bool = True) -> bool:
        name = self.current
        if name is None:
            return False
        if confirm:
            answer = QMessageBox.question(
                self,
                "Delete letter template",
                f"Delete the letter template “{name}”? Mailings already printed keep "
                "their letters.",
            )
            if answer != _Button.Yes:
                return False
        try:
            with self.database.session() as session:
                text = get_template(session, name)[1]
                delete_template(session, name)
        except UserError as error:
            show_error(self, error)
            return False
        self.deleted = (name, text)
        self.current = None
        self.reload()
        self.load(self.templates[0].name if self.templates else None)
        self.say(f"Deleted the letter template “{name}”.")
        self.ui.undo_delete_button.setVisible(True)
        return True

    def undo_delete(self) -> bool:
        """Save the template the last delete took back under its name (as saved, not with
        any unsaved changes it had), unless a new one has taken the name meanwhile."""
        if self.deleted is None or not self.confirm_discard():
            return False
        name, text = self.deleted
        try:
            if any(t.name == name for t in self.templates):
                raise UserError(f"There is a letter template called “{name}” again.")
            with self.database.session() as session:
                save_template(session, name, text)
        except UserError as error:
            show_error(self, error)
            return False
        self.deleted = None
        self.ui.undo_delete_button.setVisible(False)
        self.reload(select=name)
        self.load(name)
        self.say(f"Put back the letter template “{name}”.")
        return True

    # the text --------------------------------------------------------------------------

    def current_text(self) -> str:
        if self.source == "text":
            return self.ui.text_edit.toPlainText()
        return to_text(self.ui.editor.document())

    def is_modified(self) -> bool:
        return normalise(self.current_text()) != self.saved_text

    def _edited(self, source: str) -> None:
        if self._loading:
            return
        self.source = source
        self.setWindowModified(self.is_modified())
        self.timer.start()

    def refresh(self) -> None:
        """Bring the Text tab up to date and check the template (the timer calls this
        once typing pauses)."""
        self.timer.stop()
        text = self.current_text()
        if self.source == "letter" and self.ui.text_edit.toPlainText() != text:
            self._loading = True
            try:
                self.ui.text_edit.setPlainText(text)
            finally:
                self._loading = False
        self.problems = check_template(text)
        unlike = differences(self.ui.editor.document()) if self.source == "letter" else []
        self._show_problems(text, unlike)
        self._mark_problems()
        self.setWindowModified(self.is_modified())
        self._update_title()

    def _show_problems(self, text: str, unlike: list[int]) -> None:
        lines = list(self.problems)
        if unlike:
            which = ", ".join(str(n) for n in unlike[:5])
            lines.append(
                f"Paragraph {which} will not print quite as shown here (a lone * or a line "
                "typed as “- ”): the Text tab shows what prints."
            )
        if self.problems:
            colour = PROBLEM_COLOUR
        elif unlike:
            colour = "#8a5a00"
        elif not text.strip():
            colour, lines = "#555", ["An empty letter: write it above."]
        else:
            colour, lines = "#1d7a1d", ["Ready to print."]
        self.ui.problems.setStyleSheet(f"color: {colour};")
        self.ui.problems.setText("\n".join(lines))

    def _mark_problems(self) -> None:
        """A red wavy line under each paragraph a problem names, in both tabs, as the
        line numbers are the text form's and the letter has none."""
        numbers = {int(found.group(1)) for p in self.problems if (found := _LINE.match(p))}
        letter = self.ui.editor.document()
        blocks: list[QTextBlock] = []
        if self.source == "letter":
            pieces = pieces_of(letter)
            blocks = [
                letter.findBlockByNumber(piece.block)
                for piece, line in zip(pieces, lines_of(pieces), strict=True)
                if line in numbers
            ]
        self.ui.editor.setExtraSelections([_underline(block) for block in blocks])
        text = self.ui.text_edit.document()
        self.ui.text_edit.setExtraSelections(
            [_underline(text.findBlockByNumber(n - 1)) for n in sorted(numbers)]
        )

    def _tab_shown(self, index: int) -> None:
        editing = index == LETTER_TAB
        for action in (
            self.ui.bold_action,
            self.ui.italic_action,
            self.ui.bullet_action,
            self.ui.only_action,
            self.ui.not_action,
        ):
            action.setEnabled(editing)
        if editing and self.source == "text":
            # One undoable step in the letter, so Ctrl+Z there takes back the text edits.
            write_document(self.ui.editor.document(), self.ui.text_edit.toPlainText())
            self.source = "letter"
        self.refresh()

    def _update_title(self) -> None:
        self.setWindowTitle(f"{self._shown_name()}[*] — Letter templates — Branchbook")

    def _shown_name(self) -> str:
        return self.current or self.ui.name_edit.text().strip() or "New letter template"

    # formatting ------------------------------------------------------------------------

    def set_bold(self, on: bool) -> None:
        fmt = QTextCharFormat()
        fmt.setFontWeight(QFont.Weight.Bold.value if on else QFont.Weight.Normal.value)
        self.ui.editor.mergeCurrentCharFormat(fmt)
        self.ui.editor.setFocus()

    def set_italic(self, on: bool) -> None:
        fmt = QTextCharFormat()
        fmt.setFontItalic(on)
        self.ui.editor.mergeCurrentCharFormat(fmt)
        self.ui.editor.setFocus()

    def _show_format(self, fmt: QTextCharFormat) -> None:
        self.ui.bold_action.setChecked(fmt.fontWeight() >= QFont.Weight.DemiBold.value)
        self.ui.italic_action.setChecked(fmt.fontItalic())

    def _show_list(self) -> None:
        self.ui.bullet_action.setChecked(self._all_listed())

    def _all_listed(self) -> bool:
        return all(
            block.textList() is not None or TAG_LINE.match(block.text())
            for block in self._selected_blocks()
        )

    def toggle_bullets(self) -> None:
        """Bullets off when every chosen paragraph is one already, else on."""
        self.set_bullets(not self._all_listed())

    def _selected_blocks(self) -> list[QTextBlock]:
        cursor = self.ui.editor.textCursor()
        document = self.ui.editor.document()
        first = document.findBlock(cursor.selectionStart())
        last = document.findBlock(cursor.selectionEnd())
        # A selection ending at the very start of a paragraph does not take that paragraph.
        if cursor.hasSelection() and last != first and cursor.selectionEnd() == last.position():
            last = last.previous()
        blocks = [first]
        while blocks[-1] != last and blocks[-1].next().isValid():
            blocks.append(blocks[-1].next())
        return blocks

    def set_bullets(self, on: bool) -> None:
        """The chosen paragraphs as one bulleted list, or back to paragraphs; tag lines
        stay as they are, as a bullet cannot hold one."""
        cursor = self.ui.editor.textCursor()
        cursor.beginEditBlock()
        listed = None
        for block in self._selected_blocks():
            current = block.textList()
            if not on:
                if current is not None:
                    current.remove(block)
                    QTextCursor(block).setBlockFormat(block_format("paragraph"))
            elif current is None and not TAG_LINE.match(block.text()):
                QTextCursor(block).setBlockFormat(block_format("bullet"))
                if listed is None:
                    listed = QTextCursor(block).createList(QTextListFormat.Style.ListDisc)
                else:
                    listed.add(block)
        cursor.endEditBlock()
        self._show_list()
        self.ui.editor.setFocus()

    def insert_field(self, name: str) -> None:
        """``{{ name }}`` at the cursor of the tab showing, in the text's own format."""
        field = f"{{{{ {name} }}}}"
        if self.ui.tabs.currentIndex() == TEXT_TAB:
            self.ui.text_edit.insertPlainText(field)
            self.ui.text_edit.setFocus()
        else:
            self.ui.editor.insertPlainText(field)
            self.ui.editor.setFocus()

    def choose_segment(self, title: str) -> str | None:
        with self.database.session() as session:
            names = [row.name for row in list_segments(session)]
        if not names:
            show_error(self, UserError("There are no saved segments yet (Mailings → Segments…)."))
            return None
        name, ok = QInputDialog.getItem(self, title, "Segment:", names, 0, False)
        return name if ok and name else None

    def wrap_in_segment(self, negate: bool, segment: str | None = None) -> bool:
        """Put the chosen paragraphs between ``{% if [not] in_segment("…") %}`` and
        ``{% endif %}`` lines, as one undoable step."""
        title = "Not for segment" if negate else "Only for segment"
        segment = segment if segment is not None else self.choose_segment(title)
        if not segment:
            return False
        opening = f"{{% if {'not ' if negate else ''}in_segment({quoted(segment)}) %}}"
        blocks = self._selected_blocks()
        first, last = blocks[0], blocks[-1]
        cursor = QTextCursor(self.ui.editor.document())
        cursor.beginEditBlock()
        # The closing line first, so the opening block's position still holds after it.
        cursor.setPosition(last.position() + last.length() - 1)
        self._insert_tag_block(cursor, "{% endif %}", after=True)
        cursor.setPosition(first.position())
        self._insert_tag_block(cursor, opening, after=False)
        cursor.endEditBlock()
        inside = QTextCursor(self.ui.editor.document().findBlock(cursor.position()).next())
        self.ui.editor.setTextCursor(inside)
        self.ui.editor.setFocus()
        return True

    @staticmethod
    def _insert_tag_block(cursor: QTextCursor, tag: str, after: bool) -> None:
        """A plain paragraph holding ``tag``, after the cursor's block or before it."""
        if after:
            cursor.insertBlock(block_format("tag", tag), QTextCharFormat())
            tighten_before(cursor)
        else:
            # Splitting at a paragraph's start moves its text into the new block, which
            # must keep the paragraph's own format (and list); the empty first half that
            # stays behind takes the tag, once out of any list.
            block = cursor.block()
            cursor.insertBlock(block.blockFormat(), block.charFormat())
            cursor.movePosition(QTextCursor.MoveOperation.PreviousBlock)
        listed = cursor.currentList()
        if listed is not None:
            listed.remove(cursor.block())
        cursor.setBlockFormat(block_format("tag", tag))
        cursor.setBlockCharFormat(QTextCharFormat())
        cursor.insertText(tag, char_format(False, False))

    # saving ----------------------------------------------------------------------------

    def save(self) -> bool:
        """Store the template under its name; a template with problems, or no name, is
        refused with the sentence saying why, and nothing is stored."""
        name = " ".join(self.ui.name_edit.text().split())
        text = normalise(self.current_text())
        self.refresh()
        if self.current is None and any(t.name == name for t in self.templates):
            answer = QMessageBox.question(
                self,
                "Letter templates",
                f"There is already a letter template called “{name}”. Replace it?",
            )
            if answer != _Button.Yes:
                return False
        try:
            with self.database.session() as session:
                save_template(session, name, text)
        except UserError as error:
            show_error(self, error)
            return False
        if self.source == "text" and self.ui.text_edit.toPlainText() != text:
            self._loading = True
            try:
                self.ui.text_edit.setPlainText(text)
            finally:
                self._loading = False
        self.current, self.saved_text = name, text
        self.ui.name_edit.setText(name)
        self.ui.name_edit.setReadOnly(True)
        self.ui.duplicate_button.setEnabled(True)
        self.ui.delete_button.setEnabled(True)
        self.reload(select=name)
        self.refresh()
        self.say(f"Saved the letter template “{name}”.")
        return True

    def say(self, text: str) -> None:
        self.ui.status.setText(text)

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self.confirm_discard():
            event.ignore()
            return
        window_state.save_geometry(self, self.SETTINGS_KEY)
        window_state.save_splitter(self.ui.splitter, self.SETTINGS_KEY)
        super().closeEvent(event)


def open_template_editor(parent: QWidget, database: Database) -> TemplateEditorWindow:
    """Mailings → Letter templates…: one window, raised when already open."""
    existing = window_state.raise_open(parent, TemplateEditorWindow)
    if existing is not None:
        return existing
    return window_state.show_owned(TemplateEditorWindow(database, parent), lambda: None)
