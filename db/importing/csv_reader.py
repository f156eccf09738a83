"""Text files (.csv, .tsv, .txt): which encoding, which delimiter, then the csv module.

Encodings are tried in a fixed order rather than guessed statistically: a byte-order mark
says UTF-8 (or UTF-16, Excel's "Unicode Text"); bytes that decode as UTF-8 are UTF-8, since
other encodings almost never produce valid UTF-8 by accident; anything else comes from an
older Windows program, either the ANSI code page (cp1252, Excel's "CSV") or the DOS one
(cp850, Excel's "CSV (MS-DOS)"). Both decode every byte, so the choice goes to whichever
result reads like names and addresses: Excel's DOS save writes a non-breaking space as byte
0xFF, which is "ÿ" in cp1252, and cp1252's own non-breaking space (0xA0) is "á" in cp850.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import unicodedata
from collections import Counter
from itertools import islice
from pathlib import Path
from typing import cast

from db.errors import UserError
from db.importing.gc_pause import paused_gc
from db.importing.workbook import Cell, Sheet, Workbook

_DELIMITERS = (",", ";", "\t")
_SAMPLE_BYTES = 64 * 1024
_SAMPLE_RECORDS = 50
# A quoted cell running over this many lines is a quote mark that was never closed.
_MAX_LINES_IN_A_CELL = 100
# Characters that real names and addresses practically never hold, but that one code page
# produces from the other's letters and spaces: cp1252 "ÿ" is the DOS page's NBSP, cp850
# "¶", "÷" and "±" are cp1252's "ô", "ö" and "ñ".
_UNLIKELY = set("¤¦¨¯´¸¶÷×±¬µƒ†‡ˆ‰ÿⁿ¹²³‚„")
_HIGH_BYTE = re.compile(rb"[\x80-\xff]")
_MAX_HIGH_BYTES_SCORED = 20_000
_SEP_LINE = re.compile(r"sep=(.)\r?\n?$")


def read_csv(path: Path, *, max_rows: int) -> Workbook:
    name = path.name
    try:
        data = path.read_bytes()
    except OSError as error:
        raise UserError(f"{name} cannot be read ({error.strerror or error}).") from None
    encoding = choose_encoding(name, data)
    if encoding in ("cp1252", "cp850") and data.startswith(codecs.BOM_UTF8):
        data = data[3:]
    stream = io.TextIOWrapper(io.BytesIO(data), encoding=encoding, newline="")
    first_line = stream.readline()
    sep = _SEP_LINE.match(first_line)
    if sep:
        # Excel's "sep=;" hint line: it names the delimiter and Excel does not show it as a row.
        delimiter = sep.group(1)
    else:
        stream.seek(0)
        preferred = "\t" if path.suffix.lower() == ".tsv" else ","
        delimiter = choose_delimiter(_sample(data, encoding), preferred)
    with paused_gc():
        rows = _parse(name, stream, delimiter, max_rows)
    if not any(any(not field.isspace() for field in row if field) for row in rows):
        raise UserError(f"{name} holds no data, only empty lines; ask for the file again.")
    # Text cells are cells; the cast only widens the list's declared type.
    sheet = Sheet(name=name, hidden=False, rows=cast(list[list[Cell]], rows), merged=[])
    return Workbook(
        path=path,
        sheets=[sheet],
        date1904=False,
        kind="csv",
        encoding=encoding,
        delimiter=delimiter,
    )


def choose_encoding(name: str, data: bytes) -> str:
    """The codec name to read ``data`` with; a ``UserError`` for binary content."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    if b"\x00" in data:
        line = data.count(b"\n", 0, data.index(b"\x00")) + 1
        raise UserError(
            f"{name} contains NUL bytes (first on line {line}), so it is not a plain text "
            "file; open it in Excel and save it again as CSV."
        )
    has_bom = data.startswith(codecs.BOM_UTF8)
    utf8 = "utf-8-sig" if has_bom else "utf-8"
    if data.isascii():
        return utf8
    try:
        data.decode(utf8)
    except UnicodeDecodeError:
        pass
    else:
        return utf8
    # Not UTF-8, whatever a BOM claimed (a file pasted together from two sources): the
    # caller drops the BOM's bytes.
    return _ansi_or_dos(data[3:] if has_bom else data)


def _ansi_or_dos(data: bytes) -> str:
    try:
        data.decode("cp1252")
    except UnicodeDecodeError:
        # Five bytes have no cp1252 meaning; the DOS page decodes every byte.
        return "cp850"
    windows = 0
    dos = 0
    for match in islice(_HIGH_BYTE.finditer(data), _MAX_HIGH_BYTES_SCORED):
        start = max(match.start() - 1, 0)
        window = data[start : match.end() + 1]
        offset = match.start() - start
        windows += _implausibility(window.decode("cp1252", "replace"), offset)
        dos += _implausibility(window.decode("cp850"), offset)
    # On a tie, cp1252: Windows' own "Save as CSV" is by far the more common.
    return "cp850" if dos < windows else "cp1252"


def _implausibility(window: str, offset: int) -> int:
    """How unlike text the character at ``offset`` is, seen with its neighbours."""
    char = window[offset]
    before = window[offset - 1] if offset > 0 else " "
    after = window[offset + 1] if offset + 1 < len(window) else " "
    if unicodedata.category(char)[0] == "C" or 0x2500 <= ord(char) <= 0x25FF:
        return 3  # control characters, box drawing, shading blocks
    if char in _UNLIKELY:
        return 2
    if char.isalpha():
        if not before.isalpha() and not after.isalpha():
            return 1  # a lone accented letter: "PO30á3AD" is "PO30 3AD" read as cp850
        if char.isupper() and before.islower():
            return 1  # "CafÚ" is "Café" read as cp850
    return 0


def _sample(data: bytes, encoding: str) -> str:
    head = data[:_SAMPLE_BYTES].decode(encoding, "ignore")
    if len(data) > _SAMPLE_BYTES:
        # Drop the last, probably cut, line.
        cut = max(head.rfind("\n"), head.rfind("\r"))
        if cut > 0:
            head = head[:cut]
    return head


def choose_delimiter(sample: str, preferred: str = ",") -> str:
    """Comma, semicolon or tab: the one that splits the most lines into the same number of
    fields. csv.Sniffer is not used: it reads Preston's CRLF file as delimited by "\\r"."""
    best = preferred
    best_score = (0, 0, 0)
    for delimiter in _DELIMITERS:
        widths: Counter[int] = Counter()
        reader = csv.reader(io.StringIO(sample, newline=""), delimiter=delimiter)
        try:
            for record in islice(reader, _SAMPLE_RECORDS):
                if any(field.strip() for field in record):
                    widths[len(record)] += 1
        except csv.Error:
            continue
        candidates = [(count, width) for width, count in widths.items() if width >= 2]
        if not candidates:
            continue
        count, width = max(candidates)
        score = (count, width, 1 if delimiter == preferred else 0)
        if score > best_score:
            best, best_score = delimiter, score
    return best


def _parse(name: str, stream: io.TextIOWrapper, delimiter: str, max_rows: int) -> list[list[str]]:
    reader = csv.reader(stream, delimiter=delimiter)
    rows: list[list[str]] = []
    line = 0
    try:
        for record in reader:
            if reader.line_num - line > _MAX_LINES_IN_A_CELL:
                raise UserError(
                    f"{name}: a quote mark that opens a cell on line {line + 1} is never "
                    "closed, so the rest of the file would read as one cell; correct that "
                    "line and save the file again."
                )
            line = reader.line_num
            rows.append(record)
            if len(rows) > max_rows:
                raise UserError(
                    f"{name} has more than {max_rows:,} rows, the most Branchbook imports "
                    "from one file; split the list into smaller files."
                )
    except csv.Error as error:
        if reader.line_num - line > _MAX_LINES_IN_A_CELL:
            raise UserError(
                f"{name}: a quote mark that opens a cell on line {line + 1} is never "
                "closed, so the rest of the file would read as one cell; correct that "
                "line and save the file again."
            ) from error
        if "field larger than field limit" in str(error):
            raise UserError(
                f"{name}, line {reader.line_num + 1}: a cell is longer than "
                f"{csv.field_size_limit():,} characters, which no membership list holds; "
                "check the file was exported correctly."
            ) from error
        raise UserError(
            f"{name} is not a well-formed CSV file near line {reader.line_num + 1}; "
            "open it in Excel and save it again as CSV."
        ) from error
    except UnicodeDecodeError as error:
        # Only UTF-16 is decoded without a full check first (its BOM vouches for it).
        raise UserError(
            f"{name} is damaged: it is not valid {stream.encoding} text near line "
            f"{reader.line_num + 1}."
        ) from error
    return rows
