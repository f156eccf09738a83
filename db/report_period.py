"""The period a report covers, as the command line and the window give it: either end may be
left out, and a period that runs backwards is one sentence, not an empty report."""

from __future__ import annotations

import datetime as dt

from db.errors import UserError
from db.membership_figures import Period, default_period

__all__ = ["Period", "report_period"]


def report_period(
    start: dt.date | None, end: dt.date | None, *, today: dt.date | None = None
) -> Period:
    """From ``start`` to ``end``; by default the last twelve months up to ``end`` or today,
    as the membership report counts them."""
    default = default_period(end or today or dt.date.today())
    period = Period(start or default.start, end or default.end)
    if period.start > period.end:
        raise UserError(
            f"The period starts on {period.start.isoformat()}, after it ends on "
            f"{period.end.isoformat()}; give --from before --to."
        )
    return period
