"""The settings dialog: the branch's name, secretary, address, imprint and logo; the quorum of
each kind of meeting; and what counts as active, all stored in the database, so they travel
with it. And, on a tab of its own, what belongs to this computer instead: how soon an idle
Branchbook locks (kept in QSettings, see ``desktop.unlock_dialog``)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from db.branch_logo import logo_bytes, logo_from_file
from db.branch_settings import (
    SETTING_LABELS,
    BranchSettings,
    load_branch_settings,
    save_branch_settings,
)
from db.database import Database
from db.door import quorums, set_quorum
from db.engagement import (
    EngagementThresholds,
    get_engagement_thresholds,
    set_engagement_thresholds,
)
from db.errors import UserError
from db.models.vocabulary import MEETING_KIND_LABELS
from desktop.errors import show_error
from desktop.file_dialogs import open_remembered
from desktop.unlock_dialog import (
    IDLE_LOCK_LEAST,
    IDLE_LOCK_MOST,
    idle_lock_minutes,
    set_idle_lock_minutes,
)

_MULTILINE = {"address", "imprint"}
_IMAGES = "Images (*.png *.jpg *.jpeg)"
_SMOOTH = Qt.TransformationMode.SmoothTransformation


def _note(text: str) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setStyleSheet("color: #555")
    return label


def _spin(value: int, low: int, high: int, *, none_text: str | None = None) -> QSpinBox:
    spin = QSpinBox()
    spin.setRange(low, high)
    if none_text:
        spin.setSpecialValueText(none_text)  # shown for the minimum, 0
    spin.setValue(value)
    return spin


class SettingsDialog(QDialog):
    def __init__(
        self,
        settings: BranchSettings,
        parent: QWidget | None = None,
        *,
        quorum_of: dict[str, int | None] | None = None,
        engagement: EngagementThresholds | None = None,
        idle_minutes: int | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Settings")
        self.setMinimumWidth(520)
        self.tabs = QTabWidget()
        self.tabs.addTab(self._branch_tab(settings), "&Branch")
        self.tabs.addTab(self._meetings_tab(quorum_of or {}), "&Meetings")
        self.tabs.addTab(self._engagement_tab(engagement or EngagementThresholds()), "&Engagement")
        minutes = idle_lock_minutes() if idle_minutes is None else idle_minutes
        self.tabs.addTab(self._computer_tab(minutes), "This &computer")
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs)
        layout.addWidget(buttons)

    def _branch_tab(self, settings: BranchSettings) -> QWidget:
        self._fields: dict[str, QLineEdit | QPlainTextEdit] = {}
        form = QFormLayout()
        for key in BranchSettings.text_field_names():
            value = getattr(settings, key)
            widget: QLineEdit | QPlainTextEdit
            if key in _MULTILINE:
                widget = QPlainTextEdit(value)
                widget.setTabChangesFocus(True)
                widget.setFixedHeight(72)
            else:
                widget = QLineEdit(value)
            widget.setObjectName(key)
            self._fields[key] = widget
            form.addRow(SETTING_LABELS[key] + ":", widget)
        self.logo = settings.logo
        self.logo_preview = QLabel()
        self.logo_preview.setObjectName("logoPreview")
        self.logo_preview.setMinimumHeight(64)
        choose = QPushButton("Choose…")
        choose.setObjectName("chooseLogo")
        choose.clicked.connect(self.choose_logo)
        self.remove_logo = QPushButton("Remove")
        self.remove_logo.setObjectName("removeLogo")
        self.remove_logo.clicked.connect(lambda: self.set_logo(""))
        logo_row = QHBoxLayout()
        logo_row.addWidget(self.logo_preview, 1)
        logo_row.addWidget(choose)
        logo_row.addWidget(self.remove_logo)
        form.addRow(SETTING_LABELS["logo"] + ":", logo_row)
        self.set_logo(self.logo)
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.addLayout(form)
        layout.addWidget(
            _note(
                "Letters and reports print these. The imprint is the “Promoted by … on behalf "
                "of … at …” line election material needs."
            )
        )
        layout.addStretch(1)
        return page

    def _meetings_tab(self, quorum_of: dict[str, int | None]) -> QWidget:
        self.quorum_spins: dict[str, QSpinBox] = {}
        form = QFormLayout()
        for kind, label in MEETING_KIND_LABELS.items():
            spin = _spin(quorum_of.get(kind) or 0, 0, 10_000, none_text="No quorum")
            spin.setObjectName(f"quorum_{kind}")
            self.quorum_spins[kind] = spin
            form.addRow(f"{label}:", spin)
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.addWidget(
            _note(
                "How many people must be present for each kind of meeting "
                "to be quorate; the door screen shows it beside the count."
            )
        )
        layout.addLayout(form)
        layout.addStretch(1)
        return page

    def _engagement_tab(self, thresholds: EngagementThresholds) -> QWidget:
        self.months = _spin(thresholds.months, 1, 120)
        self.months.setSuffix(" months")
        self.active_events = _spin(thresholds.active_events, 1, 1000)
        self.occasional_events = _spin(thresholds.occasional_events, 1, 1000)
        for spin in (self.active_events, self.occasional_events):
            spin.setSuffix(" meetings or activities")
        form = QFormLayout()
        form.addRow("Count over the last:", self.months)
        form.addRow("Active: at least", self.active_events)
        form.addRow("Occasional: at least", self.occasional_events)
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.addWidget(
            _note(
                "A person's engagement counts the meetings they came to or spoke at and the "
                "activities they did. Fewer than the occasional number in that time, but "
                "something before, is dormant; nothing ever is never seen."
            )
        )
        layout.addLayout(form)
        layout.addStretch(1)
        return page

    def _computer_tab(self, minutes: int) -> QWidget:
        self.idle_minutes = _spin(minutes, IDLE_LOCK_LEAST, IDLE_LOCK_MOST)
        self.idle_minutes.setObjectName("idleLockMinutes")
        self.idle_minutes.setSuffix(" minutes")
        form = QFormLayout()
        form.addRow("Lock when not used for:", self.idle_minutes)
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.addWidget(
            _note(
                "A database locked with a passphrase hides every window after this long "
                "with no key pressed or mouse moved, until the passphrase is typed again. "
                f"At least {IDLE_LOCK_LEAST} minute, at most {IDLE_LOCK_MOST // 60} hours. "
                "Kept on this computer, not in the database: another laptop keeps its own."
            )
        )
        layout.addLayout(form)
        layout.addStretch(1)
        return page

    def choose_logo(self) -> None:
        path = open_remembered(
            self,
            "Choose the letterhead's logo",
            "Settings/logoFolder",
            "Images (*.png *.jpg *.jpeg)",
        )
        if path is None:
            return
        try:
            self.set_logo(logo_from_file(path))
        except UserError as error:
            show_error(self, error)

    def set_logo(self, text: str) -> None:
        """Show ``text`` (the setting's base64) as the logo to be saved; "" for none."""
        self.logo = text
        data = logo_bytes(BranchSettings(logo=text))
        pixmap = QPixmap()
        if data is not None and pixmap.loadFromData(data):
            self.logo_preview.setPixmap(
                pixmap.scaled(
                    200,
                    64,
                    Qt.AspectRatioMode.KeepAspectRatio,
                    Qt.TransformationMode.SmoothTransformation,
                )
            )
        else:
            self.logo_preview.setText("No logo: letters show the branch's name alone.")
        self.remove_logo.setEnabled(data is not None)

    def field(self, key: str) -> QLineEdit | QPlainTextEdit:
        return self._fields[key]

    def settings(self) -> BranchSettings:
        values = {
            key: w.toPlainText() if isinstance(w, QPlainTextEdit) else w.text()
            for key, w in self._fields.items()
        }
        return BranchSettings(**values, logo=self.logo)

    def quorums(self) -> dict[str, int | None]:
        return {kind: spin.value() or None for kind, spin in self.quorum_spins.items()}

    def engagement(self) -> EngagementThresholds:
        return EngagementThresholds(
            active_events=self.active_events.value(),
            occasional_events=self.occasional_events.value(),
            months=self.months.value(),
        )


def edit_settings(database: Database, parent: QWidget | None = None) -> bool:
    """Show the dialog and save what was changed, all in one unit of work; True when saved.
    A refusal (an active threshold below the occasional one) is raised as a UserError and
    nothing is saved."""
    with database.session() as session:
        dialog = SettingsDialog(
            load_branch_settings(session),
            parent,
            quorum_of=quorums(session),
            engagement=get_engagement_thresholds(session),
        )
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return False
    save_settings(database, dialog)
    return True


def save_settings(database: Database, dialog: SettingsDialog) -> None:
    with database.session() as session:
        save_branch_settings(session, dialog.settings())
        for kind, needed in dialog.quorums().items():
            set_quorum(session, kind, needed)
        set_engagement_thresholds(session, dialog.engagement())
    # After the database's own settings are saved: a refusal above saves nothing at all.
    set_idle_lock_minutes(dialog.idle_minutes.value())
