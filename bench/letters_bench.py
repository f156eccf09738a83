"""10,000 one-page letters and 10,000 address labels, beside bare reportlab canvas loops that
write the same text in the same embedded font, in the same run.

The letters carry merge fields (salutation, name, membership number, ward, engagement) and a
paragraph only members get; the people are generated with names that need DejaVu (Siân,
Łukasz, Nguyễn), addresses and wards, so no database is involved: the figure is the PDF
writing, which is what the secretary waits for once the people are read.

The bare loops are what a programmer would write by hand for the same pages: register the
font, then per page draw the address lines and the body lines (wrapped with reportlab's
``simpleSplit``) with ``drawString``, and ``showPage``. Each figure is taken in a process of
its own, whose peak resident memory is reported beside it.
"""

from __future__ import annotations

import datetime as dt
import io
import random
import subprocess
import sys
import time
from collections.abc import Callable

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfgen.canvas import Canvas

from db.branch_settings import BranchSettings
from db.letter_templates import compile_template
from db.mailing_data import Gathered, Letter, Recipient, plan_letters
from reports.fonts import register_fonts

LETTERS = 10_000
TEMPLATE = """Dear {{ salutation }},

Thank you for everything you do for the branch in {{ ward }}. Our next general meeting is on
the first Thursday of the month at the community hall, and we would be glad to see you there.

{% if is_member %}As a member (number {{ membership_number }}) you can vote on the motions
on the agenda, and **nominations for the committee** close at the end of the month.{% endif %}

We are asking everyone what matters most to them this year:

- *housing* and the cost of renting in {{ ward }};
- buses and the routes the council wants to cut;
- the future of the library on the high street.

Your engagement with us this year: {{ engagement }}.

Yours sincerely,
"""
_FIRST = ("Siân", "Łukasz", "Zoë", "Nguyễn", "Alan", "Beth", "Dafydd", "Ffion", "Mark", "Priya")
_LAST = ("Llŷr-Jones", "Wójcik", "Ó Dúnlaing", "Thị Hương", "Smith", "Evans", "Khan", "Roberts")
_WARDS = ("Cathays", "Splott", "Grangetown", "Adamsdown", "Roath", "Canton")
BRANCH = BranchSettings(
    branch_name="Cardiff Central Branch",
    address="12 Heol y Bont, Caerdydd, CF10 1AA",
    email="secretary@example.org",
    phone="029 2000 0000",
    secretary_name="Ffion Roberts",
    imprint="Promoted by Ffion Roberts on behalf of the branch, at 12 Heol y Bont, CF10 1AA.",
)


def recipients(count: int = LETTERS, seed: int = 3) -> Gathered:
    rng = random.Random(seed)
    people = []
    for number in range(count):
        first, last = rng.choice(_FIRST), rng.choice(_LAST)
        member = rng.random() < 0.6
        inward = f"{rng.randint(1, 9)}{rng.choice('ABDEFG')}{rng.choice('HJLNPQ')}"
        postcode = f"CF{rng.randint(1, 24)} {inward}"
        people.append(
            Recipient(
                person_id=number + 1,
                title=rng.choice(("Mr", "Ms", "Dr", "")),
                first_name=first,
                preferred_name=first,
                last_name=last,
                full_name=f"{first} {last}",
                membership_number=f"{number:07d}" if member else "",
                status="member" if member else "supporter",
                household_id=number + 1,
                address_lines=(f"{rng.randint(1, 200)} Heol y Bont", "Caerdydd", postcode),
                postcode=postcode,
                ward=rng.choice(_WARDS),
                lives_with_member=False,
                engagement=rng.choice(("Active", "Occasional", "Dormant", "Never seen")),
                last_meeting_attended=None,
            )
        )
    return Gathered(tuple(people), ())


def letters(gathered: Gathered) -> list[Letter]:
    return plan_letters(gathered, compile_template(TEMPLATE), today=dt.date(2026, 11, 27))


def _bare_letters(items: list[Letter]) -> tuple[bytes, int]:
    regular, bold = register_fonts()
    stream = io.BytesIO()
    canvas = Canvas(stream, pagesize=A4, pageCompression=1)
    width, height = A4
    for letter in items:
        canvas.setFont(bold, 16)
        canvas.drawString(20 * mm, height - 18 * mm, BRANCH.branch_name)
        canvas.setFont(regular, 8.5)
        for number, part in enumerate((*BRANCH.address.split(", "), BRANCH.email, BRANCH.phone)):
            canvas.drawRightString(190 * mm, height - (16 + 3.8 * number) * mm, part)
        canvas.setFont(regular, 10.5)
        canvas.drawRightString(190 * mm, height - 104 * mm, "27 November 2026")
        canvas.setFont(bold, 10)
        y = height - 58 * mm
        canvas.drawString(24 * mm, y, letter.addressee)
        canvas.setFont(regular, 10)
        for line in letter.address_lines:
            y -= 4.6 * mm
            canvas.drawString(24 * mm, y, line)
        canvas.setFont(regular, 10.5)
        y = height - 112 * mm
        for paragraph in letter.text.split("\n\n"):
            for line in simpleSplit(" ".join(paragraph.split()), regular, 10.5, 170 * mm):
                canvas.drawString(20 * mm, y, line)
                y -= 14
            y -= 7
        for line in ("", "", "", BRANCH.secretary_name, f"Secretary, {BRANCH.branch_name}"):
            canvas.drawString(20 * mm, y, line)
            y -= 14
        canvas.setFont(regular, 7.5)
        canvas.drawCentredString(width / 2, 12 * mm, BRANCH.imprint)
        canvas.showPage()
    canvas.save()
    return stream.getvalue(), len(items)


def _ours_letters(items: list[Letter]) -> tuple[bytes, int]:
    from reports.letters import LetterRenderer

    renderer = LetterRenderer(items, BRANCH, date=dt.date(2026, 11, 27))
    data = renderer.render()
    return data, renderer.pages


def _bare_labels(lines: list[tuple[str, ...]]) -> tuple[bytes, int]:
    """Labels three across, seven down (L7160's grid), the name in bold."""
    regular, bold = register_fonts()
    stream = io.BytesIO()
    canvas = Canvas(stream, pagesize=A4, pageCompression=1)
    pages = 0
    for start in range(0, len(lines), 21):
        for position, label in enumerate(lines[start : start + 21]):
            column, row = position % 3, position // 3
            x = 7 * mm + column * 66 * mm + 3 * mm
            y = A4[1] - 15 * mm - row * 38.1 * mm - 8 * mm
            for number, line in enumerate(label):
                canvas.setFont(bold if number == 0 else regular, 10)
                canvas.drawString(x, y - number * 12, line)
        canvas.showPage()
        pages += 1
    canvas.save()
    return stream.getvalue(), pages


def _labels_work(count: int) -> tuple[Callable[[], int], Callable[[], int]]:
    from reports.labels import LAYOUTS, LabelRenderer, place_labels, plan_labels

    labels = plan_labels(recipients(count), per_household=False, sort="postcode")
    lines = [label.lines for label in labels]

    def ours() -> int:
        LabelRenderer(place_labels(labels, LAYOUTS["L7160"], 1), LAYOUTS["L7160"]).render()
        return len(labels)

    def bare() -> int:
        _bare_labels(lines)
        return len(lines)

    return ours, bare


def _letters_work(count: int) -> tuple[Callable[[], int], Callable[[], int]]:
    items = letters(recipients(count))
    return (lambda: _ours_letters(items)[1]), (lambda: _bare_letters(items)[1])


def _child(what: str, count: int) -> None:
    """Run one of the four in this process: print items a second and the peak RSS in bytes."""
    import resource

    kind, side = what.split("-")
    ours, bare = (_letters_work if kind == "letters" else _labels_work)(count)
    work = ours if side == "ours" else bare
    register_fonts()
    start = time.perf_counter()
    done = work()
    rate = done / (time.perf_counter() - start)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(rate, peak if sys.platform == "darwin" else peak * 1024)


def _measure(what: str, count: int) -> tuple[float, float]:
    command = [sys.executable, "-m", "bench.letters_bench", what, str(count)]
    done = subprocess.run(command, stdout=subprocess.PIPE, text=True, check=True)
    rate, peak = done.stdout.split()
    return float(rate), float(peak) / 1e6


def report(count: int = LETTERS) -> list[str]:
    """Each figure beside its bare loop, every one in a fresh process (so peaks are its own)."""
    from bench.common import line

    out = []
    for kind, unit, goal in (
        ("letters", "pages/s", "goal >= 0.5x"),
        ("labels", "labels/s", "goal >= 0.5x"),
    ):
        ours, ours_peak = _measure(f"{kind}-ours", count)
        bare, bare_peak = _measure(f"{kind}-bare", count)
        out.append(
            line(
                f"{count:,} {kind}, {unit} (ours)",
                ours,
                "bare reportlab canvas loop",
                bare,
                unit[:5],
                goal,
            )
        )
        out.append(
            f"{'':<4}peak memory: ours {ours_peak:,.0f} MB, bare loop {bare_peak:,.0f} MB "
            f"(whole process)"
        )
    return out


if __name__ == "__main__":
    _child(sys.argv[1], int(sys.argv[2]))
