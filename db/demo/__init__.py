"""Demo data: a believable local branch, built fast and the same every time.

``generate_demo`` writes a branch into a session with Core bulk inserts (the ORM's unit of
work is an order of magnitude slower at 100,000 people) and yields its progress;
``load_demo`` drives it in one transaction that is committed only when everything is
written, so a cancelled or failed load leaves the database exactly as it was.

Everything is drawn from one ``random.Random(seed)`` in a fixed order, and every date is
counted from ``as_of``: the same seed and the same day give the same rows. Primary keys are
assigned here, so child rows refer to their parents without a round trip.

The branch is in north-west Leeds. Its people are mostly English, Scottish and Irish, with
Welsh, Polish, South Asian, Nigerian, Vietnamese, Irish-speaking, Nordic and German
neighbours; members live with partners who are not members; a small core comes to every
meeting and most people never come. Telephone numbers and e-mail domains are the ones kept
for fiction, so nobody real can be rung or mailed from a demo database.

This package re-exports the public API. ``builder`` runs the stages in order; each
stage is a mixin on ``state.BuildState`` in a module named for what it writes
(``reference``, ``meetings``, ``households``, ``people``, ``attendance``, ``activities``,
``answers``); the word lists are the ``names_*`` modules.
"""

from db.demo.builder import DemoSummary
from db.demo.loading import generate_demo, load_demo
from db.demo.state import (
    CHUNK_PEOPLE,
    DEFAULT_PEOPLE,
    HISTORY_DAYS,
    MAX_ATTENDEES,
    TARGET_BRANCH_ATTENDANCE,
)
from db.errors import Cancelled

__all__ = [
    "CHUNK_PEOPLE",
    "DEFAULT_PEOPLE",
    "HISTORY_DAYS",
    "MAX_ATTENDEES",
    "TARGET_BRANCH_ATTENDANCE",
    "Cancelled",
    "DemoSummary",
    "generate_demo",
    "load_demo",
]
