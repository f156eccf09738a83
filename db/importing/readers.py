"""Opening a spreadsheet file of any kind the secretary is sent, or refusing it in one sentence.

The file's first bytes decide how it is read, not its name: an Excel workbook saved as
``.xls`` is still read (Excel itself opens it), while a text file named ``.xlsx`` is refused
with a hint to rename it, because something went wrong when it was made. Every failure is a
``UserError`` naming the file; a library's exception never reaches the secretary alone.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from db.errors import UserError
from db.importing.csv_reader import read_csv
from db.importing.sheet_reader import read_spreadsheet
from db.importing.workbook import Cell, CellError, Sheet, Workbook

__all__ = [
    "MAX_ROWS",
    "Cell",
    "CellError",
    "Sheet",
    "Workbook",
    "read_workbook",
]

# A branch list holds hundreds or a few thousand people; a national or regional extract a
# few hundred thousand at most. Beyond this a file is refused before it fills the laptop's
# memory (a 100,000-row sheet takes about 150 MB as Python objects).
MAX_ROWS = 250_000
# Files larger than this are refused unread: a 250,000-row csv is well under it.
MAX_BYTES = 512 * 1024 * 1024

WORKBOOK_EXTENSIONS = {".xlsx", ".xlsm", ".xls", ".ods", ".xlsb"}
TEXT_EXTENSIONS = {".csv", ".tsv", ".txt"}

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP_MAGIC = b"PK\x03\x04"
_ODS_MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"
# An ODF package saved with a password lists how each part is encrypted in its manifest.
_ODF_MANIFEST = "META-INF/manifest.xml"

_ADVICE = "open it in Excel and save it again as .xlsx or .csv"


def read_workbook(path: Path, *, max_rows: int = MAX_ROWS) -> Workbook:
    """Every sheet of the file at ``path`` as raw cells; a ``UserError`` if it can't be read."""
    path = Path(path)
    name = path.name
    extension = path.suffix.lower()
    if extension not in WORKBOOK_EXTENSIONS | TEXT_EXTENSIONS:
        raise UserError(_unsupported_extension(name, extension))
    head, size = _head_of(path)
    if size == 0:
        raise UserError(f"{name} is empty (0 bytes); ask for the file again.")
    if size > MAX_BYTES:
        raise UserError(
            f"{name} is too large to import ({size // (1024 * 1024):,} MB); "
            f"Branchbook reads files of up to {MAX_BYTES // (1024 * 1024)} MB."
        )
    kind = _workbook_kind(path, head)
    if kind is not None:
        return read_spreadsheet(path, kind, max_rows=max_rows)
    if extension in WORKBOOK_EXTENSIONS:
        raise UserError(_not_a_workbook(name, extension, head))
    return read_csv(path, max_rows=max_rows)


def _head_of(path: Path) -> tuple[bytes, int]:
    try:
        with path.open("rb") as file:
            head = file.read(4096)
            size = file.seek(0, 2)
    except FileNotFoundError:
        raise UserError(f"{path.name} cannot be found at {path.parent}.") from None
    except IsADirectoryError:
        raise UserError(f"{path.name} is a folder, not a spreadsheet file.") from None
    except PermissionError:
        raise UserError(
            f"{path.name} cannot be opened: it may be open in another program, "
            "or you may not have permission to read it."
        ) from None
    except OSError as error:
        raise UserError(f"{path.name} cannot be read ({error.strerror or error}).") from None
    return head, size


def _workbook_kind(path: Path, head: bytes) -> str | None:
    """ "xlsx", "xlsb", "ods" or "xls" from the content; None for anything else."""
    name = path.name
    if head.startswith(_OLE_MAGIC):
        return _ole_kind(path)
    if not head.startswith(_ZIP_MAGIC):
        return None
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
            mimetype = archive.read("mimetype")[:100] if "mimetype" in names else b""
            manifest = archive.read(_ODF_MANIFEST) if _ODF_MANIFEST in names else b""
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError, KeyError):
        raise UserError(
            f"{name} is damaged or incomplete (perhaps cut short while downloading or "
            f"copying); ask for the file again, or {_ADVICE}."
        ) from None
    except Exception:
        # zipfile raises assorted errors on a mangled directory; all mean the same here.
        raise UserError(f"{name} is damaged and cannot be read; {_ADVICE}.") from None
    if "xl/workbook.xml" in names:
        return "xlsx"
    if "xl/workbook.bin" in names:
        return "xlsb"
    if mimetype.startswith(_ODS_MIMETYPE) or (not mimetype and "content.xml" in names):
        if b"encryption-data" in manifest:
            raise UserError(_password(name))
        return "ods"
    if "word/document.xml" in names or mimetype.startswith(
        b"application/vnd.oasis.opendocument.text"
    ):
        raise UserError(f"{name} is a word-processor document, not a spreadsheet.")
    if "ppt/presentation.xml" in names:
        raise UserError(f"{name} is a PowerPoint presentation, not a spreadsheet.")
    raise UserError(f"{name} is a zip archive that holds no spreadsheet.")


def _ole_kind(path: Path) -> str:
    """Old-style Office files share one container; its directory names what is inside."""
    name = path.name
    data = path.read_bytes()
    # Directory entries hold stream names in UTF-16LE. A password-protected xlsx is such a
    # container with an EncryptedPackage stream in place of the zip.
    if "EncryptedPackage".encode("utf-16-le") in data:
        raise UserError(_password(name))
    if "WordDocument".encode("utf-16-le") in data:
        raise UserError(f"{name} is a Word document, not a spreadsheet.")
    return "xls"


def _password(name: str) -> str:
    return (
        f"{name} is protected by a password; open it, remove the password (in Excel: "
        "File > Info > Protect Workbook) and save it again."
    )


def _not_a_workbook(name: str, extension: str, head: bytes) -> str:
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if text.startswith((b"<!doctype html", b"<html", b"<table", b"<meta")):
        return (
            f"{name} is a web page saved with an {extension} name, not a real workbook; {_ADVICE}."
        )
    if text.startswith(b"<?xml") and b"urn:schemas-microsoft-com:office:spreadsheet" in head:
        return f"{name} is an old Excel 2003 XML spreadsheet; {_ADVICE}."
    if head.startswith(b"%PDF"):
        return f"{name} is a PDF document, not a spreadsheet."
    if _looks_like_text(head):
        return (
            f"{name} is a text (CSV) file with an {extension} name; rename it to end in "
            ".csv and import it again."
        )
    return f"{name} is not an Excel or OpenDocument workbook (its content is not a spreadsheet)."


def _looks_like_text(head: bytes) -> bool:
    if b"\x00" in head:
        return False
    controls = sum(1 for byte in head if byte < 32 and byte not in b"\t\r\n")
    return controls <= len(head) // 100


def _unsupported_extension(name: str, extension: str) -> str:
    if extension == ".numbers":
        return f"{name} is an Apple Numbers file; in Numbers choose File > Export To > Excel."
    if not extension:
        return (
            f"{name} has no file extension, so its kind is unknown; Branchbook reads .xlsx, "
            ".xls, .ods and .csv files."
        )
    return (
        f"{name} is not a spreadsheet Branchbook can read ({extension} file); it reads "
        ".xlsx, .xlsm, .xls, .xlsb, .ods, .csv, .tsv and .txt files."
    )
