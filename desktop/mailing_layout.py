"""The widgets of the Letters and labels window, laid out; what they do is
``desktop.mailing_window``."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QSpinBox,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from desktop.pdf_preview import PdfPreview

KINDS = (("letters", "Letters"), ("labels", "Address labels"), ("envelopes", "Envelopes"))


def _button(text: str, name: str) -> QPushButton:
    button = QPushButton(text)
    button.setObjectName(name)
    return button


class MailingLayout:
    """Builds the window's widgets onto ``window`` and keeps them as attributes."""

    def __init__(self, window: QWidget) -> None:
        self.kind_combo = QComboBox()
        self.kind_combo.setObjectName("kindCombo")
        for key, text in KINDS:
            self.kind_combo.addItem(text, key)
        self.segment_combo = QComboBox()
        self.segment_combo.setObjectName("segmentCombo")
        self.segment_combo.setToolTip("Who it is for: a saved segment (Mailings → Segments…).")
        self.per_household = QCheckBox("One per &household")
        self.per_household.setObjectName("perHousehold")
        self.per_household.setToolTip(
            "One envelope per address naming everyone it is for. People at one address whose "
            "letters differ (a member and a non-member) still get a letter each."
        )
        self.sort_combo = QComboBox()
        self.sort_combo.setObjectName("sortCombo")
        self.sort_combo.addItem("Postcode", "postcode")
        self.sort_combo.addItem("Name", "name")
        common = QFormLayout()
        common.addRow("&Print:", self.kind_combo)
        common.addRow("&For:", self.segment_combo)
        common.addRow("", self.per_household)
        common.addRow("&Sorted by:", self.sort_combo)
        self.sort_label = common.labelForField(self.sort_combo)

        # Letters
        self.template_combo = QComboBox()
        self.template_combo.setObjectName("templateCombo")
        self.edit_templates_button = _button("Edit &templates…", "editTemplatesButton")
        template_row = QHBoxLayout()
        template_row.addWidget(self.template_combo, 1)
        template_row.addWidget(self.edit_templates_button)
        self.qr_check = QCheckBox("&QR code for the check-in screen")
        self.qr_check.setObjectName("qrCheck")
        self.each_check = QCheckBox("One PDF &per letter, in a new folder")
        self.each_check.setObjectName("eachCheck")
        letters_page = QWidget()
        letters_form = QFormLayout(letters_page)
        letters_form.setContentsMargins(0, 0, 0, 0)
        template_label = QLabel("Te&mplate:")
        template_label.setBuddy(self.template_combo)
        letters_form.addRow(template_label, template_row)
        letters_form.addRow("", self.qr_check)
        letters_form.addRow("", self.each_check)

        # Labels
        self.layout_combo = QComboBox()
        self.layout_combo.setObjectName("layoutCombo")
        self.start_spin = QSpinBox()
        self.start_spin.setObjectName("startSpin")
        self.start_spin.setMinimum(1)
        self.start_spin.setToolTip(
            "The first free label on a partly used sheet, counting across then down."
        )
        self.grid_edit = QLineEdit()
        self.grid_edit.setObjectName("gridEdit")
        self.grid_edit.setPlaceholderText("e.g. 2x7,99.1x38.1,15.1,4.65 (mm)")
        self.grid_edit.setToolTip(
            "Labels across x down, label width x height, top margin, left margin, and "
            "optionally the distance from one label to the next across and down, in mm."
        )
        self.outlines_check = QCheckBox("Draw each label's &outline (a test print on paper)")
        self.outlines_check.setObjectName("outlinesCheck")
        labels_page = QWidget()
        labels_form = QFormLayout(labels_page)
        labels_form.setContentsMargins(0, 0, 0, 0)
        labels_form.addRow("&Labels:", self.layout_combo)
        labels_form.addRow("&Grid:", self.grid_edit)
        labels_form.addRow("Start at label:", self.start_spin)
        labels_form.addRow("", self.outlines_check)

        # Envelopes
        self.size_combo = QComboBox()
        self.size_combo.setObjectName("sizeCombo")
        self.return_check = QCheckBox("Print the branch's &return address")
        self.return_check.setObjectName("returnCheck")
        envelopes_page = QWidget()
        envelopes_form = QFormLayout(envelopes_page)
        envelopes_form.setContentsMargins(0, 0, 0, 0)
        envelopes_form.addRow("Envelope si&ze:", self.size_combo)
        envelopes_form.addRow("", self.return_check)

        self.options = QStackedWidget()
        for page in (letters_page, labels_page, envelopes_page):
            self.options.addWidget(page)

        self.summary = QLabel()
        self.summary.setObjectName("mailingSummary")
        self.summary.setWordWrap(True)
        self.variants = QListWidget()
        self.variants.setObjectName("variantList")
        self.variants.setToolTip("Each different letter; choose one to see it.")
        self.variants_box = QGroupBox("Variants of the letter")
        variants_layout = QVBoxLayout(self.variants_box)
        variants_layout.addWidget(self.variants)
        self.find_edit = QLineEdit()
        self.find_edit.setObjectName("findRecipient")
        self.find_edit.setPlaceholderText("Find a recipient by name or postcode")
        self.find_edit.setClearButtonEnabled(True)
        self.recipients = QListWidget()
        self.recipients.setObjectName("recipientList")
        self.recipients.setUniformItemSizes(True)
        recipients_box = QGroupBox("Who it goes to")
        recipients_layout = QVBoxLayout(recipients_box)
        recipients_layout.addWidget(self.find_edit)
        recipients_layout.addWidget(self.recipients, 1)

        self.save_button = _button("&Save PDF…", "savePdfButton")
        self.save_button.setDefault(True)
        self.print_button = _button("&Print…", "printButton")
        self.open_button = _button("&Open in PDF viewer", "openViewerButton")
        self.open_button.setEnabled(False)
        self.open_button.setToolTip("Open the saved PDF in the computer's own viewer.")
        buttons = QHBoxLayout()
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.print_button)
        buttons.addWidget(self.open_button)
        buttons.addStretch(1)

        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.addLayout(common)
        left_layout.addWidget(self.options)
        left_layout.addWidget(self.summary)
        left_layout.addWidget(self.variants_box)
        left_layout.addWidget(recipients_box, 1)
        left_layout.addLayout(buttons)

        self.preview = PdfPreview()
        self.preview.setObjectName("mailingPreview")
        self.splitter = QSplitter()
        self.splitter.setObjectName("mailingSplitter")
        self.splitter.addWidget(left)
        self.splitter.addWidget(self.preview)
        self.splitter.setStretchFactor(0, 2)
        self.splitter.setStretchFactor(1, 3)
        self.status = QLabel()
        self.status.setObjectName("mailingStatus")
        self.status.setWordWrap(True)
        outer = QVBoxLayout(window)
        outer.addWidget(self.splitter, 1)
        outer.addWidget(self.status)
