"""Text that a spreadsheet could take for a formula: a name imported as ``=HYPERLINK(...)``
or ``@SUM(...)`` must come out of an export as the text it is, never run when someone opens
or edits the file (CSV/formula injection).

Every text cell of Branchbook's workbooks is stored as a string already, which Excel does
not evaluate on opening; the cells that start like a formula also get Excel's "quote
prefix" (the invisible apostrophe typing '= makes), so editing the cell in Excel or saving
the sheet as CSV and opening that keeps them text too. The value itself is unchanged: a
phone number "+44 7700 900123" reads back as it went out.
"""

from __future__ import annotations

__all__ = ["FORMULA_STARTS", "formula_like"]

# What Excel, LibreOffice and Google Sheets start a formula with (OWASP's list).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def formula_like(text: str) -> bool:
    return text.startswith(FORMULA_STARTS)
