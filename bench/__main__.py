"""``python -m bench``: every figure beside its anchor, measured in this same run.

The first run builds a 100,000-person demo database and a 100,000-row membership list
under bench/out/ and keeps them. ``python -m bench import`` (or ``demo``, ``startup``,
``search``) runs only the benches named.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from bench import (  # noqa: E402
    checkin,
    dashboard_bench,
    demo_build,
    encryption_bench,
    import_bench,
    letters_bench,
    search,
    startup,
)
from bench.common import PEOPLE, big_database, line, median  # noqa: E402

BENCHES = (
    "demo",
    "startup",
    "search",
    "door",
    "import",
    "letters",
    "dashboard",
    "encryption",
)


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--runs", type=int, default=5, help="start-up runs to take the median of")
    parser.add_argument("--skip-demo", action="store_true", help="skip the demo build figure")
    parser.add_argument(
        "--import-runs", type=int, default=1, help="import pairs to take the median of (~45 s each)"
    )
    parser.add_argument(
        "benches",
        nargs="*",
        metavar="BENCH",
        help=f"only these benches, of {', '.join(BENCHES)} (default: all)",
    )
    args = parser.parse_args()
    unknown = [name for name in args.benches if name not in BENCHES]
    if unknown:
        parser.error(f"no bench called {', '.join(unknown)}; the benches are {', '.join(BENCHES)}")
    chosen = set(args.benches or BENCHES)
    if args.skip_demo:
        chosen.discard("demo")

    print(f"Branchbook benchmarks at {PEOPLE:,} people (median of runs; ratio = figure/anchor)")
    if chosen & {"startup", "search", "door"}:
        database = big_database()
        print(f"database: {database}", file=sys.stderr)
    if "demo" in chosen:
        demo = demo_build.measure_demo()
        bare = demo_build.measure_bare_insert()
        print(
            line(
                "demo build, 100,000 people (s)",
                demo / 1000,
                "bare executemany of the people",
                bare / 1000,
                "s ",
                "goal: well under 60 s",
            )
        )

    if "startup" in chosen:
        _startup(database, args.runs)
    if "search" in chosen:
        _search(database)

    if "door" in chosen:
        _door(database)

    if "import" in chosen:
        for text in import_bench.report(runs=args.import_runs):
            print(text)
    if "letters" in chosen:
        for text in letters_bench.report():
            print(text)
    if "dashboard" in chosen:
        for text in dashboard_bench.report():
            print(text)
    if "encryption" in chosen:
        for text in encryption_bench.report():
            print(text)
    return 0


def _startup(database: Path, runs: int) -> None:
    app, bare_window = startup.measure(database, runs=runs)
    print(
        line(
            "start to main window shown and idle",
            app,
            "bare PySide6 QMainWindow",
            bare_window,
            goal="goal <= 2.0x",
        )
    )


def _search(database: Path) -> None:
    window = search.measure_window(database)
    sql = search.measure_bare_sql(database)
    w50, w99 = search.summarise(window)
    s50, s99 = search.summarise(sql)
    print(
        line("search keystroke to list updated, p50", w50, "bare SQL count + first page, p50", s50)
    )
    print(
        line(
            "search keystroke to list updated, p99",
            w99,
            "bare SQL count + first page, p99",
            s99,
            goal="goal p99 < 16 ms",
        )
    )
    print(f"({len(window)} keystrokes; median window {median(window):.2f} ms)")


def _door(database: Path) -> None:
    typed = checkin.prefixes(database)
    door, per_minute = checkin.measure_door(database, typed)
    bare = checkin.measure_bare(database, typed)
    d50, d99 = checkin.summarise(door)
    b50, b99 = checkin.summarise(bare)
    print(line("door keystroke to matches shown, p50", d50, "bare FTS5 prefix query, p50", b50))
    print(
        line(
            "door keystroke to matches shown, p99",
            d99,
            "bare FTS5 prefix query, p99",
            b99,
            goal="goal p99 <= 10x and < 16 ms",
        )
    )
    print(
        f"door check-ins typed by number: {per_minute:,.0f} a minute "
        f"(goal: >= 120, the software never the bottleneck)"
    )


if __name__ == "__main__":
    sys.exit(main())
