"""Shared pieces: the 100,000-person database, medians, and the report line format."""

from __future__ import annotations

import datetime as dt
import statistics
import time
from pathlib import Path

from db.database import open_database

OUT = Path(__file__).resolve().parent / "out"
PEOPLE = 100_000
AS_OF = dt.date(2026, 11, 1)


def big_database(people: int = PEOPLE) -> Path:
    """A demo branch of ``people``, built once and reused by later runs."""
    from db.demo import load_demo

    path = OUT / f"demo-{people}.sqlite3"
    if path.exists():
        return path
    OUT.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".partial")
    for leftover in OUT.glob(partial.name + "*"):
        leftover.unlink()
    database = open_database(partial, actor="bench")
    try:
        load_demo(database, people=people, seed=1, as_of=AS_OF)
    finally:
        database.close()
    partial.rename(path)
    return path


def median(samples: list[float]) -> float:
    return statistics.median(samples)


def percentile(samples: list[float], fraction: float) -> float:
    ordered = sorted(samples)
    index = min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))
    return ordered[index]


def line(
    name: str, figure: float, anchor_name: str, anchor: float, unit: str = "ms", goal: str = ""
) -> str:
    ratio = figure / anchor if anchor else float("inf")
    text = (
        f"{name:<44} {figure:9.2f} {unit}   vs {anchor_name:<34} {anchor:9.2f} {unit}"
        f"   ratio {ratio:6.2f}x"
    )
    return text + (f"   ({goal})" if goal else "")


def timed(fn: object) -> float:
    start = time.perf_counter()
    fn()  # type: ignore[operator]
    return (time.perf_counter() - start) * 1000
