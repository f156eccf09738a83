"""A planned mailing written out: one A4 PDF of every letter, or a folder with one PDF per
letter, and the mailing recorded on each recipient's history in the same transaction.

The record is made first and the PDF after, inside the caller's session: a PDF that cannot
be written, or a run the secretary cancels, rolls the record back with it, and leaves no
file (``PdfRenderer.write`` is atomic; the folder is built under a temporary name and only
renamed into place once every letter is in it). A run killed half way leaves that folder
of plain letters; a marker beside the database names it, and the next start removes it.
"""

from __future__ import annotations

import re
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.orm import Session

from db.branch_settings import BranchSettings
from db.database import sqlite_path
from db.errors import UserError
from db.export_log import record_export
from db.mailing_plan import MailingPlan, record_plan
from db.stale_files import LETTERS_PREFIX, clear_pending, note_pending
from reports.letters import LetterRenderer
from reports.pdf_renderer import Progress

__all__ = ["MailingWritten", "preview_letter", "write_letter_files", "write_letters"]

# Characters Windows refuses in a file name, and control characters.
_UNSAFE = re.compile(r'[<>:"/\\|?*\x00-\x1f]')


@dataclass(frozen=True)
class MailingWritten:
    mailing_id: int
    output: Path
    letters: int
    pages: int
    files: int  # 1 for one PDF, else one per letter


def write_letters(
    session: Session,
    plan: MailingPlan,
    branch: BranchSettings,
    path: Path,
    *,
    qr: bool = False,
    progress: Progress | None = None,
) -> MailingWritten:
    """Every letter in one PDF at ``path``; records the mailing."""
    _refuse_empty(plan)
    mailing_id = record_plan(session, plan)
    renderer = LetterRenderer(plan.letters, branch, date=plan.today, qr=qr)
    pages = renderer.write(path, progress)
    record_export(session, "letters", path, plan.recipients, segment=plan.segment_name)
    return MailingWritten(mailing_id, path, len(plan.letters), pages, 1)


def write_letter_files(
    session: Session,
    plan: MailingPlan,
    branch: BranchSettings,
    folder: Path,
    *,
    qr: bool = False,
    progress: Progress | None = None,
) -> MailingWritten:
    """One PDF per letter ("0001 Ms Siân Llŷr-Jones.pdf", in the mailing's order) in a new
    folder ``folder``, which must not exist yet; records the mailing."""
    _refuse_empty(plan)
    if folder.exists():
        raise UserError(f"{folder} already exists; choose a new folder name for the letters.")
    if not folder.parent.is_dir():
        raise UserError(f"The folder {folder.parent} does not exist.")
    mailing_id = record_plan(session, plan)
    total = len(plan.letters)
    pages = 0
    building = Path(tempfile.mkdtemp(prefix=LETTERS_PREFIX, dir=folder.parent))
    # Plain letters until the rename: if Branchbook is killed, the next start removes them.
    marker = note_pending(sqlite_path(session.connection().engine.url), building)
    try:
        for index, letter in enumerate(plan.letters):
            renderer = LetterRenderer([letter], branch, date=plan.today, qr=qr)
            name = f"{index + 1:0{len(str(total))}d} {_safe(letter.addressee)}.pdf"
            (building / name).write_bytes(renderer.render())
            pages += renderer.pages
            if progress is not None:
                progress(index + 1, total, f"Letter {index + 1} of {total}: {letter.addressee}")
        building.rename(folder)
        record_export(session, "letters", folder, plan.recipients, segment=plan.segment_name)
    except BaseException:
        shutil.rmtree(building, ignore_errors=True)
        raise
    finally:
        # Only once nothing is left to sweep: a letter Windows still holds open (antivirus,
        # the preview pane) keeps the folder, and the marker with it for a later start.
        if not building.exists():
            clear_pending(marker)
    return MailingWritten(mailing_id, folder, total, pages, total)


def preview_letter(plan: MailingPlan, index: int, branch: BranchSettings, *, qr: bool) -> bytes:
    """Letter ``index`` of ``plan`` alone, as a PDF to look at; nothing is recorded."""
    return LetterRenderer([plan.letters[index]], branch, date=plan.today, qr=qr).render()


def _refuse_empty(plan: MailingPlan) -> None:
    if not plan.letters:
        raise UserError(
            f"Nobody in '{plan.segment_name}' can be sent a letter "
            f"({len(plan.left_out)} left out); no PDF was written."
        )


def _safe(text: str) -> str:
    cleaned = " ".join(_UNSAFE.sub(" ", text).split()).strip(". ")
    return cleaned[:80] or "letter"
