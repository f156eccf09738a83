"""A PDF shown inside the window (QtPdf) and printed through Qt's print dialog.

``PdfPreview`` holds its document's bytes in a QBuffer for as long as the document shows
them: QPdfDocument reads the device lazily, page by page, so a buffer freed early would
show blank pages. ``print_document`` draws each page as an image at the printer's
resolution, capped at 300 dpi (a 1200 dpi A4 page is a 560 MB image; 300 dpi is what an
office laser prints text at), and can be cancelled between pages.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QRect, QSize, QUrl
from PySide6.QtGui import QDesktopServices, QPainter
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import QDialog, QLabel, QProgressDialog, QVBoxLayout, QWidget

__all__ = ["PdfPreview", "open_in_viewer", "print_document", "print_with_dialog"]

_MAX_DPI = 300


class PdfPreview(QWidget):
    """A PDF's pages one under another, fitted to the width, with a line saying what it is."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.document = QPdfDocument(self)
        self.view = QPdfView(self)
        self.view.setObjectName("pdfView")
        self.view.setDocument(self.document)
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self.caption = QLabel("Nothing to preview yet.", self)
        self.caption.setObjectName("previewCaption")
        self.caption.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.caption)
        layout.addWidget(self.view, 1)
        self._buffer: QBuffer | None = None

    def show_pdf(self, data: bytes, caption: str) -> None:
        self.document.close()
        if self._buffer is not None:
            self._buffer.close()
        buffer = QBuffer(self)
        buffer.setData(QByteArray(data))
        buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        self._buffer = buffer
        self.document.load(buffer)
        self.caption.setText(caption)

    def clear(self, caption: str) -> None:
        self.document.close()
        self.caption.setText(caption)

    def page_count(self) -> int:
        return int(self.document.pageCount())


def print_document(
    document: QPdfDocument,
    printer: QPrinter,
    first: int = 1,
    last: int = 0,
    progress: Callable[[int, int], bool] | None = None,
) -> int:
    """Pages ``first``..``last`` (1-based; 0 is the last page) on ``printer``; ``progress``
    (done, total) returning False stops between pages. Returns the pages printed."""
    count = document.pageCount()
    last = min(last or count, count)
    painter = QPainter()
    if not painter.begin(printer):
        raise OSError("The printer could not be started.")
    printed = 0
    try:
        dpi = min(printer.resolution(), _MAX_DPI)
        for page in range(first - 1, last):
            if printed:
                printer.newPage()
            points = document.pagePointSize(page)
            image = document.render(
                page, QSize(round(points.width() * dpi / 72), round(points.height() * dpi / 72))
            )
            area = painter.viewport()
            scale = min(area.width() / image.width(), area.height() / image.height())
            target = QRect(0, 0, round(image.width() * scale), round(image.height() * scale))
            painter.drawImage(target, image)
            printed += 1
            if progress is not None and not progress(printed, last - first + 1):
                break
    finally:
        painter.end()
    return printed


def print_with_dialog(parent: QWidget, document: QPdfDocument, title: str) -> int:
    """Qt's print dialog for ``document``, then the pages chosen, with a Cancel button."""
    count = document.pageCount()
    if count == 0:
        return 0
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setDocName(title)
    dialog = QPrintDialog(printer, parent)
    dialog.setMinMax(1, count)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return 0
    first, last = printer.fromPage() or 1, printer.toPage() or count
    bar = QProgressDialog(f"Printing {title}…", "Cancel", 0, last - first + 1, parent)
    bar.setWindowTitle("Branchbook")
    bar.setMinimumDuration(500)

    def progress(done: int, total: int) -> bool:
        bar.setValue(done)
        bar.setLabelText(f"Printing page {done} of {total}…")
        return not bar.wasCanceled()

    try:
        return print_document(document, printer, first, last, progress)
    finally:
        bar.close()


def open_in_viewer(path: Path) -> bool:
    """The PDF in the computer's own PDF viewer."""
    return bool(QDesktopServices.openUrl(QUrl.fromLocalFile(str(path))))
