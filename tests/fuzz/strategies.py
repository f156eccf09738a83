"""What the fuzz tests feed in: cells as the readers hand them over, and the settings every
fuzz test runs under."""

from __future__ import annotations

import datetime as dt

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

# Reproducible in CI (the same examples every run, no example database to carry about),
# bounded so that all the fuzz tests together take well under a minute.
FUZZ = settings(
    max_examples=100,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)
# For the tests that write a file and a database per example.
FUZZ_SLOW = settings(FUZZ, max_examples=25)

# Text a person might type into a cell, beside text nobody would: the readers' job is both.
TYPED = st.text(
    alphabet=st.sampled_from(
        "0123456789 abcdeflmnoptxyzABCDELMNOPQSTWXYZ+()-./;,:#@'&*<>_\t\n\xa0\u200béñŷ"
    ),
    max_size=40,
)
ANY_TEXT = st.text(max_size=60)
EXCEL_ERRORS = st.sampled_from(["#VALUE!", "#N/A", "#DIV/0!", "#REF!", "Err:502", "\ufeff"])

# Dates and numbers as Excel would write them into a text cell.
DATE_TEXT = st.one_of(
    st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2100, 12, 31)).flatmap(
        lambda day: st.sampled_from(
            [
                day.isoformat(),
                f"{day:%d/%m/%Y}",
                f"{day:%m/%d/%Y}",
                f"{day:%d/%m/%y}",
                f"{day:%d %b %Y}",
                f"{day:%A %d %B %Y}",
                f"{day:%B %d, %Y}",
                f"{day:%Y%m%d}",
                f"{day:%d-%b-%y}",
                f"{day:%d.%m.%Y} 12:30",
            ]
        )
    ),
    st.from_regex(r"\d{1,4}[-/. ]\d{1,2}[-/. ]\d{1,4}", fullmatch=True),
)

CELLS = st.one_of(
    st.none(),
    TYPED,
    ANY_TEXT,
    DATE_TEXT,
    EXCEL_ERRORS,
    st.integers(min_value=-(10**20), max_value=10**20),
    st.integers(min_value=-(10**5000), max_value=10**5000),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.dates(),
    st.datetimes(),
    st.times(),
    st.timedeltas(),
)
