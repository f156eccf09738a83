"""The one way Branchbook draws a PDF: items one after another on A4 pages, as a generator
the window can show progress for and stop, saved atomically so a cancelled or failed run
leaves no half-written file. Letters, labels, envelopes and reports all build on it."""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import BinaryIO, Generic, TypeVar

from reportlab.lib.pagesizes import A4
from reportlab.pdfgen.canvas import Canvas

from db.errors import Cancelled
from reports.xlsx_table import write_atomically

__all__ = ["Document", "PdfRenderer", "Progress", "check_cancel"]

T = TypeVar("T")
Progress = Callable[[int, int, str], None]  # (done, total, label)


class Document:
    """What every PDF Branchbook writes has: a title, a page count once rendered, and a
    ``write`` that saves it atomically, so a cancelled or failed run leaves no file and
    any earlier one as it was. The branch's own look — letterhead, imprint, the fonts
    that print every name — comes from ``reports.letterhead`` and ``reports.fonts``.

    Two page engines build on it: ``PdfRenderer`` below, an item after another straight
    onto the canvas (letters, labels, envelopes: at 100,000 letters the pace matters), and
    ``reports.report_document.ReportDocument``, reportlab's platypus with tables, charts and
    "Page X of Y" (reports).
    """

    title = "Branchbook"

    def __init__(self) -> None:
        self.pages = 0

    def render(self, progress: Progress | None = None) -> bytes:
        raise NotImplementedError

    def write(self, path: Path, progress: Progress | None = None) -> int:
        """Save the PDF to ``path`` atomically; returns its page count."""
        data = self.render(progress)

        def save(target: Path) -> None:
            target.write_bytes(data)

        write_atomically(path, save)
        return self.pages


class PdfRenderer(Document, Generic[T]):
    """Draws one item after another onto an A4 canvas; subclasses fill in the hooks.

    ``steps`` is the long work as a generator yielding (done, total, label) after each item:
    stop iterating it to cancel. ``render`` returns the PDF's bytes, ``write`` saves them
    atomically: a cancelled or failed run leaves no file and any earlier one as it was.
    """

    pagesize: tuple[float, float] = A4

    def __init__(self, items: Sequence[T]) -> None:
        super().__init__()
        self.items = items

    # --- hooks ------------------------------------------------------------------------
    def begin(self, canvas: Canvas) -> None:
        """Before the first item: register fonts, set document properties."""

    def draw(self, canvas: Canvas, item: T) -> None:
        """Draw ``item`` from a fresh page; call ``self.next_page(canvas)`` between its pages."""
        raise NotImplementedError

    def label(self, item: T, index: int) -> str:
        return f"{index + 1} of {len(self.items)}"

    # --- the run ----------------------------------------------------------------------
    def next_page(self, canvas: Canvas) -> None:
        canvas.showPage()
        self.pages += 1

    def steps(self, stream: BinaryIO) -> Iterator[tuple[int, int, str]]:
        canvas = Canvas(stream, pagesize=self.pagesize, pageCompression=1)
        canvas.setTitle(self.title)
        canvas.setCreator("Branchbook")
        self.pages = 0
        self.begin(canvas)
        total = len(self.items)
        for index, item in enumerate(self.items):
            self.draw(canvas, item)
            self.next_page(canvas)
            yield index + 1, total, self.label(item, index)
        canvas.save()

    def render(self, progress: Progress | None = None) -> bytes:
        """The whole PDF; ``progress`` may raise ``Cancelled`` to stop."""
        stream = io.BytesIO()
        for done, total, label in self.steps(stream):
            if progress is not None:
                progress(done, total, label)
        return stream.getvalue()


def check_cancel(cancelled: Callable[[], bool]) -> Progress:
    """A progress callback that stops the run when ``cancelled()`` says so."""

    def progress(done: int, total: int, label: str) -> None:
        if cancelled():
            raise Cancelled()

    return progress
