"""The About box's text."""

from __future__ import annotations

from html import escape
from importlib.metadata import PackageNotFoundError, version

from PySide6 import __version__ as pyside_version

from db.database import Database


def app_version() -> str:
    try:
        return version("branchbook")
    except PackageNotFoundError:
        return "development"


def about_text(database: Database) -> str:
    return (
        f"<h3>Branchbook {escape(app_version())}</h3>"
        "<p>The branch secretary's member database, meeting check-in desk and printing "
        "press: offline, on your own computer.</p>"
        f"<p>Database: {escape(database.location)}</p>"
        f"<p style='color:#666'>Qt for Python {escape(pyside_version)}. "
        "Free software under the GNU GPL v3 or later.</p>"
    )
