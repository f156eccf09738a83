"""``python -m bench``: every figure beside its anchor, measured in this same run.

The first run builds a 100,000-person demo database under bench/out/ and keeps it.
"""

from __future__ import annotations

import argparse
import os
import sys

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from bench import demo_build, search, startup  # noqa: E402
from bench.common import PEOPLE, big_database, line, median  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--runs", type=int, default=5, help="start-up runs to take the median of")
    parser.add_argument("--skip-demo", action="store_true", help="skip the demo build figure")
    args = parser.parse_args()

    print(f"Branchbook benchmarks at {PEOPLE:,} people (median of runs; ratio = figure/anchor)")
    database = big_database()
    print(f"database: {database}", file=sys.stderr)

    if not args.skip_demo:
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

    app, bare_window = startup.measure(database, runs=args.runs)
    print(
        line(
            "start to main window shown and idle",
            app,
            "bare PySide6 QMainWindow",
            bare_window,
            goal="goal <= 2.0x",
        )
    )

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
    return 0


if __name__ == "__main__":
    sys.exit(main())
