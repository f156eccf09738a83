"""Importing a 100,000-row membership list, beside python-calamine's bare read of the file.

The list is generated (the same file every time, kept in bench/out/) as a national office
would send it: 19 columns of text cells, membership numbers with their leading zeros, dates
of birth and joining as date cells, households sharing an address, a landline or an email,
some names in capitals and postcodes in any case, and a few values no cleaning can save.
A second file holds the same people with 5% of rows changed (moved house, a new email or
mobile, lapsed or back, another rate), so its re-import must update exactly those rows.

Mobile numbers are random 07 numbers, not Ofcom's thousand drama numbers: a real list's
numbers are all different, and a bench of a thousand repeated numbers would measure the
cache, not the cleaning. The file never leaves bench/out/.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench.common import AS_OF, OUT

ROWS = 100_000
CHANGED_SHARE = 0.05
SEED = 11
SHEET = "Members"
HEADERS = (
    "Membership Number",
    "Title",
    "First Name",
    "Last Name",
    "Known As",
    "Address Line 1",
    "Address Line 2",
    "Address Line 3",
    "Town",
    "Postcode",
    "Ward",
    "Polling District",
    "Email",
    "Mobile",
    "Phone",
    "Date of Birth",
    "Joined",
    "Status",
    "Membership Type",
)
# What the re-import of the changed file must report: every changed row updated, the rest
# unchanged, nobody new, lost or in doubt.
_EXPECTED_CHANGED = round(ROWS * CHANGED_SHARE)

# The stages workflow.prepare_import and run_import go through, by the name they call.
_STAGES = (
    ("read", "read_workbook"),
    ("find table", "find_table"),
    ("clean", "clean_table"),
    ("plan", "plan_import"),
    ("write", "apply_import"),
)


# --- the files ---------------------------------------------------------------------------


def member_files(rows: int = ROWS) -> tuple[Path, Path]:
    """The list and its 5%-changed copy, generated once and reused by later runs."""
    original = OUT / f"members-{rows}.xlsx"
    changed = OUT / f"members-{rows}-changed.xlsx"
    if original.exists() and changed.exists():
        return original, changed
    OUT.mkdir(parents=True, exist_ok=True)
    people = _MemberList(rows, random.Random(SEED))
    first = people.rows()
    _write_xlsx(original, first)
    _write_xlsx(changed, people.changed(first, random.Random(SEED + 1)))
    return original, changed


def _write_xlsx(path: Path, rows: list[list[Any]]) -> None:
    from openpyxl import Workbook

    partial = path.with_suffix(".partial")
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(SHEET)
    sheet.append(list(HEADERS))
    for row in rows:
        sheet.append(row)
    workbook.save(partial)
    partial.replace(path)


class _MemberList:
    """People in households, drawn from the demo branch's word lists in a fixed order."""

    def __init__(self, rows: int, rng: random.Random) -> None:
        from db.demo.names_people import ORIGINS, PREFERRED_NAMES
        from db.demo.names_places import WARDS

        self.count = rows
        self.rng = rng
        self.origins = [name_set for _, name_set, _ in ORIGINS]
        self.origin_weights = [weight for _, _, weight in ORIGINS]
        self.preferred = PREFERRED_NAMES
        self.localities = [
            (ward.name, f"{ward.code}{'ABCD'[i]}", locality)
            for ward in WARDS
            for i, locality in enumerate(ward.localities)
        ]
        self.addresses: set[tuple[str, str]] = set()  # (first line, postcode) taken
        self.numbers = iter(rng.sample(range(1, 3_000_000), rows))
        self.emails: set[str] = set()

    def rows(self) -> list[list[Any]]:
        """Every row, in HEADERS order: households of one to four at one address."""
        out: list[list[Any]] = []
        while len(out) < self.count:
            address = self.address()
            size = self.rng.choices((1, 2, 3, 4), (62, 28, 7, 3))[0]
            landline = self.landline() if self.rng.random() < 0.35 else None
            shared_email: str | None = None
            surnames: tuple[str, str] | None = None
            origin = self.rng.choices(self.origins, self.origin_weights)[0]
            for place in range(min(size, self.count - len(out))):
                female = self.rng.random() < 0.52
                if surnames is None or self.rng.random() > origin.share_surname:
                    surnames = self.rng.choice(origin.surnames)
                surname = surnames[female]
                first = self.rng.choice(origin.female if female else origin.male)
                email = self.email(first, surname)
                if place == 1 and self.rng.random() < 0.25:
                    email = shared_email  # a couple with one address between them
                shared_email = shared_email or email
                out.append(self.person(first, surname, female, address, landline, email))
        return out

    def person(
        self,
        first: str,
        last: str,
        female: bool,
        address: list[str | None],
        landline: str | None,
        email: str | None,
    ) -> list[Any]:
        rng = self.rng
        title = rng.choices(
            ("Mr", "Mrs", "Ms", "Miss", "Dr", "Mx", None), (34, 18, 16, 6, 3, 1, 22)
        )[0]
        if title in ("Mrs", "Ms", "Miss") and not female or title == "Mr" and female:
            title = None
        known_as = None
        if first in self.preferred and rng.random() < 0.4:
            known_as = rng.choice(self.preferred[first])
        if rng.random() < 0.03:  # typed in by a legacy system that only had capitals
            first, last = first.upper(), last.upper()
        born = AS_OF - dt.timedelta(days=rng.randint(16 * 365, 95 * 365))
        # Joined at 15 at the earliest, and at most 40 years ago.
        earliest = max(born + dt.timedelta(days=15 * 365), AS_OF - dt.timedelta(days=40 * 365))
        joined = earliest + dt.timedelta(days=rng.randint(0, (AS_OF - earliest).days - 30))
        number = f"{next(self.numbers):07d}"
        status = rng.choices(("Current", "Lapsed", "Arrears"), (86, 10, 4))[0]
        rate = rng.choices(
            ("Standard", "Reduced", "Unwaged", "Youth", "Student", "Retired", "Trade Union"),
            (55, 12, 8, 5, 6, 10, 4),
        )[0]
        return [
            number,
            title,
            first,
            last,
            known_as,
            *address,
            email,
            self.mobile() if rng.random() < 0.72 else None,
            landline,
            born if rng.random() < 0.92 else None,
            joined,
            status,
            rate,
        ]

    def address(self) -> list[str | None]:
        """Lines 1-3, town, postcode, ward, polling district; no two households alike."""
        from db.demo.names_places import (
            BLOCK_NAMES,
            BLOCK_SUFFIXES,
            HOUSE_NAMES,
            INWARD_LETTERS,
            OUT_OF_AREA,
            OUT_OF_AREA_STREETS,
            STREET_STEMS,
            STREET_SUFFIXES,
        )

        rng = self.rng
        while True:
            ward: str | None
            district: str | None
            ward, district, locality = rng.choice(self.localities)
            if rng.random() < 0.03:
                postcode, town = rng.choice(OUT_OF_AREA)
                street = rng.choice(OUT_OF_AREA_STREETS)
                ward = district = None
            else:
                letters = "".join(rng.choices(INWARD_LETTERS, k=2))
                postcode = f"{rng.choice(locality.outward)} {rng.randint(1, 9)}{letters}"
                town = locality.town
                street = f"{rng.choice(STREET_STEMS)} {rng.choice(STREET_SUFFIXES)}"
            kind = rng.random()
            line3 = locality.name if ward and rng.random() < 0.3 else None
            rest: list[str | None]
            if kind < 0.2:
                block = f"{rng.choice(BLOCK_NAMES)} {rng.choice(BLOCK_SUFFIXES)}"
                first, rest = f"Flat {rng.randint(1, 40)}, {block}", [street, line3]
            elif kind < 0.24:
                first, rest = rng.choice(HOUSE_NAMES), [street, line3]
            else:
                first, rest = f"{rng.randint(1, 250)} {street}", [line3, None]
            key = (first.casefold(), postcode)
            if key in self.addresses:
                continue
            self.addresses.add(key)
            written = postcode
            spelling = rng.random()
            if spelling < 0.03:
                written = postcode.lower()
            elif spelling < 0.05:
                written = postcode.replace(" ", "")
            elif spelling < 0.052 and (first.casefold(), "") not in self.addresses:
                # Cut short: not a postcode. Households are told apart by first line and
                # postcode, so no other household without one may share this first line.
                self.addresses.add((first.casefold(), ""))
                written = postcode[:-1]
            return [first, *rest, town, written, ward, district]

    def email(self, first: str, last: str) -> str | None:
        from db.demo.names_branch import EMAIL_DOMAINS

        rng = self.rng
        if rng.random() < 0.12:
            return None
        domain = rng.choices([d for d, _ in EMAIL_DOMAINS], [w for _, w in EMAIL_DOMAINS])[0]
        local = rng.choice((f"{first}.{last}", f"{first[0]}{last}", f"{first}{last[:1]}"))
        local = "".join(c for c in local if c.isalnum() or c == ".")
        for _ in range(50):
            suffix = "" if rng.random() < 0.3 else str(rng.randint(1, 999))
            address = f"{local}{suffix}@{domain}"
            if address.lower() not in self.emails:
                break
        self.emails.add(address.lower())
        style = rng.random()
        if style < 0.05:
            return address  # as typed: capitals kept
        if style < 0.052:
            return address.replace("@", " at ")  # not an address
        return address.lower()

    def mobile(self) -> str:
        rng = self.rng
        digits = f"07{rng.choice('45789')}{rng.randint(0, 99_999_999):08d}"
        style = rng.random()
        if style < 0.75:
            return f"{digits[:5]} {digits[5:]}"
        if style < 0.92:
            return digits
        return f"+44 {digits[1:5]} {digits[5:]}"

    def landline(self) -> str:
        rng = self.rng
        return f"0113 {rng.choice('23')}{rng.randint(0, 99):02d} {rng.randint(0, 9999):04d}"

    # The changed copy: 5% of rows each changed in one way the planner must notice.
    def changed(self, rows: list[list[Any]], rng: random.Random) -> list[list[Any]]:
        self.rng = rng
        out = [list(row) for row in rows]
        for index in rng.sample(range(len(out)), _EXPECTED_CHANGED):
            row = out[index]
            change = rng.random()
            if change < 0.3:
                row[5:12] = self.address()  # moved house
            elif change < 0.55:
                row[12] = f"member{row[0]}@example.org"  # a new address, and a clean one
            elif change < 0.75:
                row[13] = self.mobile()
            elif change < 0.9:
                row[17] = "Current" if row[17] == "Lapsed" else "Lapsed"
            else:
                row[18] = "Reduced" if row[18] == "Standard" else "Standard"
        return out


# --- measuring ---------------------------------------------------------------------------


def measure_bare_read(path: Path, runs: int = 3) -> float:
    """python-calamine's own read of the whole sheet into Python lists, median ms."""
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        _bare_read(path)
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples)


def _bare_read(path: Path) -> int:
    from python_calamine import CalamineWorkbook

    with CalamineWorkbook.from_path(path) as workbook:
        return len(workbook.get_sheet_by_name(SHEET).to_python(skip_empty_area=False))


@dataclass
class ImportFigures:
    total: float  # ms, prepare_import + run_import
    stages: dict[str, float] = field(default_factory=dict)  # ms by stage, "other" the rest
    counts: dict[str, int] = field(default_factory=dict)


def measure_import(path: Path, database: Path) -> ImportFigures:
    """Import ``path`` into the database file ``database`` (made if missing), timed."""
    from db.database import open_database
    from db.importing.workflow import ImportOptions, prepare_import, run_import

    db = open_database(database, actor="bench")
    stages: dict[str, float] = {}
    try:
        with _stage_clock(stages):
            start = time.perf_counter()
            prepared = prepare_import(db, path, today=AS_OF)
            _plan, result = run_import(db, prepared, ImportOptions(today=AS_OF))
            total = (time.perf_counter() - start) * 1000
    finally:
        db.close()
    stages["other"] = total - sum(stages.values())
    return ImportFigures(total, stages, result.counts)


@contextmanager
def _stage_clock(stages: dict[str, float]) -> Iterator[None]:
    """Time each stage the workflow calls, by wrapping the names it calls them by."""
    from db.importing import workflow

    originals = {name: getattr(workflow, name) for _, name in _STAGES}

    def clocked(stage: str, function: Callable[..., Any]) -> Callable[..., Any]:
        def run(*args: Any, **kwargs: Any) -> Any:
            start = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                stages[stage] = stages.get(stage, 0.0) + (time.perf_counter() - start) * 1000

        return run

    for stage, name in _STAGES:
        setattr(workflow, name, clocked(stage, originals[name]))
    try:
        yield
    finally:
        for name, original in originals.items():
            setattr(workflow, name, original)


def measure_imports(runs: int = 1) -> tuple[ImportFigures, ImportFigures, float, float]:
    """The import into an empty database and the re-import of the changed file into it,
    each the run of median total time; the bare writing of what the import wrote, and of
    its people and households alone."""
    original, changed = member_files()
    imports: list[ImportFigures] = []
    reimports: list[ImportFigures] = []
    with tempfile.TemporaryDirectory() as folder:
        imported = Path(folder) / "imported.sqlite3"
        for run in range(runs):
            database = Path(folder) / f"import-{run}.sqlite3"
            imports.append(measure_import(original, database))
            if run == 0:
                _copy_database(database, imported)
            reimports.append(measure_import(changed, database))
        bare_write = measure_bare_write(imported, Path(folder) / "bare-write.sqlite3")
        bare_people = measure_bare_write(
            imported,
            Path(folder) / "bare-people.sqlite3",
            only=("ward", "polling_district", "household", "person"),
        )
    return _median_run(imports), _median_run(reimports), bare_write, bare_people


def _copy_database(source: Path, target: Path) -> None:
    import sqlite3

    with closing(sqlite3.connect(source)) as connection:
        connection.execute("VACUUM INTO ?", (str(target),))


def measure_bare_write(imported: Path, target: Path, only: tuple[str, ...] | None = None) -> float:
    """Milliseconds to write every row the first import wrote, with sqlite3 and nothing
    else, the fastest way the schema allows: one transaction, the app's pragmas, plain
    indexes and the search index's insert trigger dropped first and made again after in
    one pass each (as the importer does). What the import writes costs at least this.

    ``only``: write just these tables, and no search index: less than any import can."""
    import sqlite3

    from db.database import open_database
    from db.models import Base

    open_database(target, actor="bench").close()  # the schema, migrated, empty
    order = [table.name for table in Base.metadata.sorted_tables]
    with closing(sqlite3.connect(imported)) as source:
        rows = {name: source.execute(f'SELECT * FROM "{name}"').fetchall() for name in order}
    with closing(sqlite3.connect(target, isolation_level=None)) as out:
        for pragma in ("journal_mode = WAL", "synchronous = NORMAL", "foreign_keys = ON"):
            out.execute(f"PRAGMA {pragma}")
        out.execute("PRAGMA secure_delete = ON")
        held = {n: out.execute(f'SELECT count(*) FROM "{n}"').fetchone()[0] for n in order}
        deferred = out.execute(
            "SELECT name, sql FROM sqlite_master WHERE (type = 'index' AND sql IS NOT NULL "
            "AND sql NOT LIKE 'CREATE UNIQUE%') OR (type = 'trigger' "
            "AND name = 'person_fts_after_insert')"
        ).fetchall()
        start = time.perf_counter()
        out.execute("BEGIN")
        for name, _sql in deferred:
            kind = "TRIGGER" if name == "person_fts_after_insert" else "INDEX"
            out.execute(f'DROP {kind} "{name}"')
        for name in order:
            found = rows[name]
            wanted = only is None or name in only
            if found and not held[name] and wanted:  # seeded rows are there already
                marks = ", ".join("?" * len(found[0]))
                out.executemany(f'INSERT INTO "{name}" VALUES ({marks})', found)
        for name, sql in deferred:
            if only is None or name != "person_fts_after_insert":
                out.execute(sql)
        if only is None:
            out.execute(
                "INSERT INTO person_fts(rowid, search_text) SELECT id, search_text FROM person"
            )
        out.execute("COMMIT")
        return (time.perf_counter() - start) * 1000


def _median_run(runs: list[ImportFigures]) -> ImportFigures:
    return sorted(runs, key=lambda figures: figures.total)[(len(runs) - 1) // 2]


def expected_reimport_counts() -> dict[str, int]:
    return {
        "created": 0,
        "updated": _EXPECTED_CHANGED,
        "unchanged": ROWS - _EXPECTED_CHANGED,
        "lapsed": 0,
        "ambiguous": 0,
        "duplicate": 0,
    }


def measure_peaks() -> tuple[float | None, float | None, float | None]:
    """Peak resident memory (MB) of a bare read, an import into an empty database and the
    re-import, each in a child process of its own; None where the platform cannot say."""
    original, changed = member_files()
    with tempfile.TemporaryDirectory() as folder:
        database = Path(folder) / "peak.sqlite3"
        bare = _peak_of("bare", original)
        first = _peak_of("import", original, database)
        again = _peak_of("import", changed, database)
    return bare, first, again


def _peak_of(*args: str | Path) -> float | None:
    """The peak of ``python -m bench.import_bench ARGS``. A go-between process starts it and
    reports RUSAGE_CHILDREN, so no other child this process ever had is counted."""
    command = [sys.executable, "-m", "bench.import_bench", "peak", *map(str, args)]
    done = subprocess.run(command, stdout=subprocess.PIPE, text=True, check=True, env=_child_env())
    value = done.stdout.strip().splitlines()[-1]
    return None if value == "unknown" else int(value) / 1e6


def _child_env() -> dict[str, str]:
    root = str(Path(__file__).resolve().parent.parent)
    path = os.environ.get("PYTHONPATH")
    return dict(os.environ, PYTHONPATH=root + (os.pathsep + path if path else ""))


def _child(argv: list[str]) -> int:
    """``peak WHAT ...``: run ``WHAT ...`` in a child and print its peak bytes;
    ``bare FILE``, ``import FILE DATABASE``: the work whose peak is wanted."""
    what, *rest = argv
    if what == "peak":
        try:
            import resource
        except ImportError:  # Windows
            print("unknown")
            return 0
        subprocess.run([sys.executable, "-m", "bench.import_bench", *rest], check=True)
        peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        # Linux counts kilobytes, macOS bytes.
        print(peak if sys.platform == "darwin" else peak * 1024)
        return 0
    if what == "bare":
        _bare_read(Path(rest[0]))
        return 0
    if what == "import":
        measure_import(Path(rest[0]), Path(rest[1]))
        return 0
    print(f"unknown child task {what!r}", file=sys.stderr)
    return 2


def report(runs: int = 1) -> list[str]:
    """The bench's lines, as ``python -m bench`` prints them."""
    from bench.common import line

    original, _changed = member_files()
    bare = measure_bare_read(original)
    first, again, bare_write, bare_people = measure_imports(runs)
    bare_after = measure_bare_read(original)
    anchor = statistics.median([bare, bare_after])
    lines = [
        line(
            f"import {ROWS:,} rows x {len(HEADERS)} columns (s)",
            first.total / 1000,
            "python-calamine bare read of the sheet",
            anchor / 1000,
            "s ",
            "goal <= 2.0x",
        ),
        "  stages: " + _stages(first),
        line(
            "  bare writing of the rows it wrote (s)",
            bare_write / 1000,
            "python-calamine bare read of the sheet",
            anchor / 1000,
            "s ",
            "what writing them costs at least",
        ),
        # python-calamine hands over no row before the whole sheet is parsed, so no import
        # can start writing before a bare read would have ended: these are its floor.
        line(
            "  bare read, then bare writing (s)",
            (anchor + bare_write) / 1000,
            "python-calamine bare read of the sheet",
            anchor / 1000,
            "s ",
            "the least any import of it can take",
        ),
        line(
            "  bare read, then people and households (s)",
            (anchor + bare_people) / 1000,
            "python-calamine bare read of the sheet",
            anchor / 1000,
            "s ",
            "no search index, emails, phones or record",
        ),
        line(
            f"re-import, {CHANGED_SHARE:.0%} of rows changed (s)",
            again.total / 1000,
            "python-calamine bare read of the sheet",
            anchor / 1000,
            "s ",
            "goal <= 2.5x",
        ),
        "  stages: " + _stages(again),
        "  import counts:    " + _counts(first.counts),
        "  re-import counts: " + _counts(again.counts) + "   " + _check(again.counts),
    ]
    bare_peak, import_peak, reimport_peak = measure_peaks()
    if bare_peak is None or import_peak is None or reimport_peak is None:
        lines.append("peak memory: not measured (no resource module on this platform)")
    else:
        lines.append(
            line(
                "peak memory of the import (MB)",
                import_peak,
                "peak memory of the bare read",
                bare_peak,
                "MB",
                "goal < 500 MB",
            )
        )
        lines.append(
            line(
                "peak memory of the re-import (MB)",
                reimport_peak,
                "peak memory of the bare read",
                bare_peak,
                "MB",
                "goal < 500 MB",
            )
        )
    return lines


def _stages(figures: ImportFigures) -> str:
    total = figures.total or 1.0
    return ", ".join(
        f"{stage} {ms / 1000:.2f} s ({ms / total:.0%})" for stage, ms in figures.stages.items()
    )


def _counts(counts: dict[str, int]) -> str:
    return ", ".join(f"{name} {value:,}" for name, value in counts.items())


def _check(counts: dict[str, int]) -> str:
    wrong = [
        f"{name} {counts.get(name, 0):,} (expected {value:,})"
        for name, value in expected_reimport_counts().items()
        if counts.get(name, 0) != value
    ]
    if not wrong:
        return f"(as the {CHANGED_SHARE:.0%} change implies)"
    return "NOT AS EXPECTED: " + "; ".join(wrong)


if __name__ == "__main__":
    sys.exit(_child(sys.argv[1:]))
