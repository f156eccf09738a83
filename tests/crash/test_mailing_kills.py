"""``branchbook letters`` to the members of an 800-person branch killed at 12 moments from
start-up to the end: every time the branch opens, passes SQLite's checks and holds the whole
mailing (its record, every recipient, the export log line) or none of it, and the PDF under
its own name is either absent or complete, never half written."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from pypdf import PdfReader
from sqlalchemy import func, select

from db.models import Mailing, MailingRecipient
from tests.crash.conftest import PEOPLE, TEMPLATE_NAME
from tests.crash.kills import (
    INTERRUPTED_SHARE,
    cli,
    copy_database,
    kill_spread,
    leftovers,
    opened_and_sound,
    table_counts,
    timed_alongside,
)
from tests.helpers.checks import dump_tables

KILLS = 12
SEED = 5_002
OUTPUT = "letters.pdf"
# Not Everyone: the members' letters take half as long to print as everyone's, and
# a kill lands in the same stages of the run either way.
SEGMENT = "Members"


def _letters(database: Path, folder: Path) -> list[str]:
    return cli(
        "--db", database, "letters", "--template", TEMPLATE_NAME, "--segment", SEGMENT,
        "--date", "2026-11-27", "-o", folder / OUTPUT,
    )  # fmt: skip


def _complete_pdf(path: Path, pages: int) -> bool:
    """True when ``path`` is the whole PDF: every page there, the last one readable."""
    reader = PdfReader(path, strict=True)
    assert len(reader.pages) == pages, path
    assert "the secretary" in reader.pages[-1].extract_text(), path
    return True


def test_a_killed_mailing_leaves_all_of_it_or_none(
    crash_branch: Path, startup_seconds: float, tmp_path: Path
) -> None:
    with opened_and_sound(copy_database(crash_branch, tmp_path)) as database:
        before = dump_tables(database)
    before_counts = table_counts(tmp_path / "branch.sqlite3")

    def prepare(folder: Path) -> list[str]:
        return _letters(copy_database(crash_branch, folder), folder)

    finished = timed_alongside(prepare, tmp_path)
    after = table_counts(finished.folder / "branch.sqlite3")
    recipients = after["mailing_recipient"] - before_counts["mailing_recipient"]
    pages = len(PdfReader(finished.folder / OUTPUT).pages)
    # Thousands of letters, or the kills below would interrupt nothing worth checking.
    assert recipients > PEOPLE // 3 and pages >= recipients // 2
    assert after["mailing"] == before_counts["mailing"] + 1

    moments, runs = kill_spread(prepare, SEED, KILLS, (startup_seconds, finished.seconds), tmp_path)

    outcomes: Counter[str] = Counter()
    for run in runs:
        path, pdf = run.folder / "branch.sqlite3", run.folder / OUTPUT
        with opened_and_sound(path) as database:
            counts = table_counts(path)
            if counts["mailing"] == before_counts["mailing"]:
                assert dump_tables(database) == before, run.folder
                # The PDF is renamed into place before the commit: a kill between the two
                # leaves a complete PDF and no record, which a re-run replaces.
                outcomes["none, PDF complete" if pdf.exists() else "none, no PDF"] += 1
                assert not pdf.exists() or _complete_pdf(pdf, pages)
            else:
                assert counts == after, run.folder
                with database.session() as session:
                    newest = session.scalar(select(func.max(Mailing.id)))
                    sent = session.scalar(
                        select(func.count())
                        .select_from(MailingRecipient)
                        .where(MailingRecipient.mailing_id == newest)
                    )
                assert sent == recipients, run.folder
                assert _complete_pdf(pdf, pages)
                outcomes["all"] += 1
        # A killed child cannot remove its half-written temporary file; it must never be
        # the PDF's own name (checked above), and is hidden, beside it.
        outcomes["temporary PDFs left"] += len(leftovers(run.folder, f".{pdf.stem}.*.tmp"))
    # Shown with -rP: how many kills left the whole mailing, and how many left none of it.
    print(f"mailing kills at {[round(m, 2) for m in moments]}s: {dict(outcomes)}")
    assert sum(run.interrupted for run in runs) >= KILLS * INTERRUPTED_SHARE, moments
