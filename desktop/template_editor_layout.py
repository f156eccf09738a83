"""The widgets of the Letter templates window, laid out, and the highlighting that marks
merge fields and Jinja tags; what they do is ``desktop.template_editor``."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import (
    QAction,
    QColor,
    QFont,
    QFontDatabase,
    QKeySequence,
    QSyntaxHighlighter,
    QTextCharFormat,
    QTextDocument,
)
from PySide6.QtWidgets import (
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QMenu,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTabWidget,
    QTextEdit,
    QToolBar,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from db.letter_templates import FIELDS
from desktop.template_text import FIELD, TAG, TAG_LINE

# Fields that are true or false, for conditions rather than for printing: the segment
# buttons write those conditions, and "True" in a letter is never what was meant.
CONDITIONS = {"is_member", "is_lapsed", "lives_with_member", "in_segment"}
FIELD_BACKGROUND = "#e3ecfa"
FIELD_COLOUR = "#1f3f77"
TAG_COLOUR = "#7a7a7a"


class TemplateHighlighter(QSyntaxHighlighter):
    """Merge fields on a light blue ground, tags in grey italics. Display only: a
    highlighter's formats are not the document's, so the stored text cannot change."""

    def __init__(self, document: QTextDocument) -> None:
        super().__init__(document)
        self.field_format = QTextCharFormat()
        self.field_format.setBackground(QColor(FIELD_BACKGROUND))
        self.field_format.setForeground(QColor(FIELD_COLOUR))
        self.tag_format = QTextCharFormat()
        self.tag_format.setForeground(QColor(TAG_COLOUR))
        self.tag_format.setFontItalic(True)

    def highlightBlock(self, text: str) -> None:
        if TAG_LINE.match(text):
            self.setFormat(0, len(text), self.tag_format)
            return
        for match in TAG.finditer(text):
            self.setFormat(match.start(), match.end() - match.start(), self.tag_format)
        for match in FIELD.finditer(text):
            self.setFormat(match.start(), match.end() - match.start(), self.field_format)


def _button(text: str, name: str) -> QPushButton:
    button = QPushButton(text)
    button.setObjectName(name)
    return button


def _action(parent: QWidget, text: str, name: str, tip: str, checkable: bool = False) -> QAction:
    action = QAction(text, parent)
    action.setObjectName(name)
    action.setToolTip(tip)
    action.setCheckable(checkable)
    return action


class TemplateEditorLayout:
    """Builds the window's widgets onto ``window`` and keeps them as attributes."""

    def __init__(self, window: QWidget) -> None:
        self.template_list = QListWidget()
        self.template_list.setObjectName("templateList")
        self.template_list.setAlternatingRowColors(True)
        self.new_button = _button("&New", "newTemplateButton")
        self.duplicate_button = _button("D&uplicate", "duplicateTemplateButton")
        self.delete_button = _button("&Delete…", "deleteTemplateButton")
        list_buttons = QHBoxLayout()
        for button in (self.new_button, self.duplicate_button, self.delete_button):
            list_buttons.addWidget(button)
        list_buttons.addStretch(1)
        list_box = QGroupBox("Letter templates")
        list_layout = QVBoxLayout(list_box)
        list_layout.addWidget(self.template_list, 1)
        list_layout.addLayout(list_buttons)

        self.name_edit = QLineEdit()
        self.name_edit.setObjectName("templateName")
        self.name_edit.setPlaceholderText("Name for a new template, e.g. “AGM invitation”")
        name_row = QHBoxLayout()
        name_row.addWidget(QLabel("Name:"))
        name_row.addWidget(self.name_edit, 1)

        self.toolbar = QToolBar()
        self.toolbar.setObjectName("templateToolbar")
        self.toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.bold_action = _action(window, "Bold", "boldAction", "Bold (Ctrl+B)", True)
        self.bold_action.setShortcut(QKeySequence.StandardKey.Bold)
        bold_font = QFont()
        bold_font.setBold(True)
        self.bold_action.setFont(bold_font)
        self.italic_action = _action(window, "Italic", "italicAction", "Italic (Ctrl+I)", True)
        self.italic_action.setShortcut(QKeySequence.StandardKey.Italic)
        italic_font = QFont()
        italic_font.setItalic(True)
        self.italic_action.setFont(italic_font)
        self.bullet_action = _action(
            window,
            "• Bullets",
            "bulletAction",
            "Make the paragraphs a bulleted list, or undo it",
            True,
        )
        self.field_menu = QMenu(window)
        self.field_menu.setToolTipsVisible(True)
        self.field_actions: dict[str, QAction] = {}
        for name, description in FIELDS.items():
            if name in CONDITIONS:
                continue
            action = self.field_menu.addAction(name.replace("_", " "))
            action.setObjectName(f"field_{name}")
            action.setToolTip(description)
            action.setData(name)
            self.field_actions[name] = action
        self.field_button = QToolButton()
        self.field_button.setObjectName("insertFieldButton")
        self.field_button.setText("Insert field")
        self.field_button.setToolTip("Put a merge field, such as the person's first name, here")
        self.field_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.field_button.setMenu(self.field_menu)
        self.only_action = _action(
            window,
            "Only for segment…",
            "onlyForSegmentAction",
            "Print the chosen paragraphs only for people in a saved segment",
        )
        self.not_action = _action(
            window,
            "Not for segment…",
            "notForSegmentAction",
            "Leave the chosen paragraphs out for people in a saved segment",
        )
        self.toolbar.addAction(self.bold_action)
        self.toolbar.addAction(self.italic_action)
        self.toolbar.addAction(self.bullet_action)
        self.toolbar.addSeparator()
        self.toolbar.addWidget(self.field_button)
        self.toolbar.addSeparator()
        self.toolbar.addAction(self.only_action)
        self.toolbar.addAction(self.not_action)

        self.editor = QTextEdit()
        self.editor.setObjectName("letterEditor")
        # Pasted Word or web pages would bring tables and pictures the text form cannot
        # hold: paste arrives as plain text, and Bold/Italic/Bullets shape it here.
        self.editor.setAcceptRichText(False)
        body_font = QFont(self.editor.font())
        body_font.setPointSizeF(max(body_font.pointSizeF(), 10.5))
        self.editor.document().setDefaultFont(body_font)
        self.editor.document().setDocumentMargin(12)
        self.text_edit = QPlainTextEdit()
        self.text_edit.setObjectName("templateText")
        self.text_edit.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.text_edit.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self.highlighters = (
            TemplateHighlighter(self.editor.document()),
            TemplateHighlighter(self.text_edit.document()),
        )
        self.tabs = QTabWidget()
        self.tabs.setObjectName("templateTabs")
        self.tabs.addTab(self.editor, "Letter")
        self.tabs.addTab(self.text_edit, "Text (as stored)")

        self.problems = QLabel()
        self.problems.setObjectName("templateProblems")
        self.problems.setWordWrap(True)
        self.problems.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.status = QLabel()
        self.status.setObjectName("templateStatus")
        self.status.setStyleSheet("color: #555;")
        self.undo_delete_button = _button("Undo delete", "undoDeleteTemplateButton")
        self.undo_delete_button.setVisible(False)
        self.save_button = _button("&Save", "saveTemplateButton")
        self.save_button.setToolTip("Save the template (Ctrl+S)")
        self.close_button = _button("Close", "closeTemplateButton")
        bottom = QHBoxLayout()
        bottom.addWidget(self.status, 1)
        bottom.addWidget(self.undo_delete_button)
        bottom.addWidget(self.save_button)
        bottom.addWidget(self.close_button)

        editor_box = QWidget()
        editor_layout = QVBoxLayout(editor_box)
        editor_layout.setContentsMargins(0, 0, 0, 0)
        editor_layout.addLayout(name_row)
        editor_layout.addWidget(self.toolbar)
        editor_layout.addWidget(self.tabs, 1)
        editor_layout.addWidget(self.problems)

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setObjectName("templateSplitter")
        self.splitter.addWidget(list_box)
        self.splitter.addWidget(editor_box)
        self.splitter.setStretchFactor(0, 0)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([260, 760])

        outer = QVBoxLayout(window)
        outer.addWidget(self.splitter, 1)
        outer.addLayout(bottom)
