"""Which column of a sheet fills which field: recognised from the headers, described for the
secretary, and saved as JSON so next month's file from the same source maps itself."""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from db.errors import UserError
from db.importing.cleaned import cell_text, squash
from db.importing.header_names import FIELD_LABELS, FIELDS, field_for_header, header_key
from db.importing.normalise import normalise_email, normalise_phone, normalise_postcode
from db.importing.workbook import column_letter

# Without one of these a row cannot be told apart from another person, nor matched later.
IDENTIFYING_FIELDS = ("last_name", "full_name", "email", "membership_number")

_JSON_FORMAT = "branchbook-column-mapping"
_JSON_VERSION = 1


class MappingError(UserError):
    """A saved column mapping that cannot be used as it is."""


@dataclass(frozen=True, slots=True)
class PassedOver:
    """A column that could have filled ``field`` but another column's header was better."""

    column: int
    field: str


@dataclass(frozen=True, slots=True)
class ColumnMapping:
    """Each column's field (None: not recognised), by column index (0 is column A)."""

    headers: tuple[str, ...]
    fields: tuple[str | None, ...]
    passed_over: tuple[PassedOver, ...] = ()
    # Unrecognised columns the secretary chose to leave out rather than keep as custom fields.
    ignored: frozenset[int] = frozenset()

    def __post_init__(self) -> None:
        if len(self.headers) != len(self.fields):
            raise ValueError("a column mapping needs one field (or None) per header")
        used = [f for f in self.fields if f is not None]
        unknown = sorted(set(used) - set(FIELDS))
        if unknown:
            raise ValueError(f"not fields a column can fill: {', '.join(unknown)}")
        if len(used) != len(set(used)):
            raise ValueError("a field can be filled by one column only")
        for rival in self.passed_over:
            if not 0 <= rival.column < len(self.headers) or rival.field not in FIELD_LABELS:
                raise ValueError(f"no such column or field: {rival}")

    def field_of(self, column: int) -> str | None:
        return self.fields[column] if 0 <= column < len(self.fields) else None

    def column_of(self, field: str) -> int | None:
        try:
            return self.fields.index(field)
        except ValueError:
            return None

    def as_dict(self) -> dict[int, str | None]:
        return dict(enumerate(self.fields))

    def mapped(self) -> dict[str, int]:
        """Field -> column, for the fields some column fills."""
        return {field: column for column, field in enumerate(self.fields) if field}

    def unmapped_columns(self) -> tuple[int, ...]:
        """Columns with a header but no field: custom fields to keep, or to leave out."""
        return tuple(
            i for i, (h, f) in enumerate(zip(self.headers, self.fields, strict=True)) if h and not f
        )

    def kept_columns(self) -> tuple[int, ...]:
        """The unmapped columns kept as custom fields: all but the ignored ones."""
        return tuple(c for c in self.unmapped_columns() if c not in self.ignored)

    def with_ignored(self, column: int, ignored: bool) -> ColumnMapping:
        """The mapping with unmapped ``column`` left out (True) or kept (False)."""
        if not 0 <= column < len(self.fields):
            raise ValueError(f"there is no column {column}")
        chosen = self.ignored | {column} if ignored else self.ignored - {column}
        return replace(self, ignored=frozenset(chosen))

    def missing_required(self) -> tuple[str, ...]:
        """The fields of which at least one is needed before anyone can be imported (a last
        name, a full name, an email or a membership number); empty when one is mapped."""
        if any(field in self.fields for field in IDENTIFYING_FIELDS):
            return ()
        return IDENTIFYING_FIELDS

    def with_field(self, column: int, field: str | None) -> ColumnMapping:
        """The mapping with ``column`` filling ``field`` (taken from any other column)."""
        if not 0 <= column < len(self.fields):
            raise ValueError(f"there is no column {column}")
        fields = [None if f == field else f for f in self.fields]
        fields[column] = field
        ignored = self.ignored - {column} if field else self.ignored
        passed_over = tuple(p for p in self.passed_over if p.column != column and p.field != field)
        return replace(self, fields=tuple(fields), passed_over=passed_over, ignored=ignored)

    def applies_to(self, headers: Sequence[object]) -> bool:
        """Whether a sheet has the headers this mapping was made for (spelling aside)."""
        return len(headers) == len(self.headers) and all(
            header_key(_header_text(new)) == header_key(old)
            for new, old in zip(headers, self.headers, strict=True)
        )

    def describe(self) -> str:
        """One line per column in the secretary's words, then anything missing."""
        lines = []
        for column, (header, field) in enumerate(zip(self.headers, self.fields, strict=True)):
            letter = column_letter(column)
            name = f'Column {letter} "{header}"' if header else f"Column {letter} (no header)"
            if field:
                lines.append(f"{name}: {FIELD_LABELS[field]}")
                continue
            rival = next((p for p in self.passed_over if p.column == column), None)
            used = self.column_of(rival.field) if rival else None
            if rival and used is not None:
                lines.append(
                    f"{name}: not used, column {column_letter(used)} is already the "
                    f"{FIELD_LABELS[rival.field]}"
                )
            elif column in self.ignored:
                lines.append(f"{name}: left out")
            elif header:
                lines.append(f"{name}: kept as a custom field")
        if self.missing_required():
            lines.append(
                "No column holds a last name, full name, email or membership number, "
                "so people cannot be told apart."
            )
        return "\n".join(lines)

    def to_json(self) -> str:
        return json.dumps(
            {
                "format": _JSON_FORMAT,
                "version": _JSON_VERSION,
                "columns": [
                    {"header": h, "field": f, "ignored": i in self.ignored}
                    for i, (h, f) in enumerate(zip(self.headers, self.fields, strict=True))
                ],
                "passed_over": [{"column": p.column, "field": p.field} for p in self.passed_over],
            },
            ensure_ascii=False,
        )

    @classmethod
    def from_json(cls, text: str) -> ColumnMapping:
        try:
            data = json.loads(text)
            if data.get("format") != _JSON_FORMAT or data.get("version") != _JSON_VERSION:
                raise ValueError("it is not a column mapping this version can read")
            columns = data["columns"]
            headers = tuple(str(c["header"]) for c in columns)
            fields = tuple(None if c["field"] is None else str(c["field"]) for c in columns)
            passed_over = tuple(
                PassedOver(int(p["column"]), str(p["field"])) for p in data.get("passed_over", [])
            )
            ignored = frozenset(i for i, c in enumerate(columns) if c.get("ignored") is True)
            return cls(headers, fields, passed_over, ignored)
        except (ValueError, TypeError, KeyError, AttributeError) as error:
            raise MappingError(
                f"The saved column mapping cannot be used ({error}); choose the columns again."
            ) from error


def recognise(headers: Sequence[object]) -> ColumnMapping:
    """A mapping from a sheet's header row; each field goes to its best-headed column.

    When two columns could fill one field ("Phone" and "Home Phone", CiviCRM's two "Last
    Name" columns), the better-ranked header wins, then the one further left; the other is
    listed in ``passed_over``.
    """
    texts = tuple(_header_text(h) for h in headers)
    claims: dict[str, list[tuple[int, int]]] = {}
    for column, header in enumerate(texts):
        found = field_for_header(header) if header else None
        if found is not None:
            field, rank = found
            claims.setdefault(field, []).append((rank, column))
    fields: list[str | None] = [None] * len(texts)
    passed_over: list[PassedOver] = []
    for field, candidates in claims.items():
        candidates.sort()
        fields[candidates[0][1]] = field
        passed_over.extend(PassedOver(column, field) for _rank, column in candidates[1:])
    passed_over.sort(key=lambda p: p.column)
    return ColumnMapping(texts, tuple(fields), tuple(passed_over))


# Share of a column's sampled values that must look like one field for it to be suggested.
_SUGGEST_SHARE = 0.8
_SUGGEST_SAMPLE = 200
_SUGGEST_MINIMUM = 3
_UK_PHONE_SHAPE = re.compile(r"(?:\+44\s*(?:\(0\)\s*)?|0)[1-9](?:[\s\-()]?[0-9]){8,9}")


def suggest_from_values(values: Sequence[object]) -> str | None:
    """A field to offer for a column whose header said nothing: "email" when nearly all of
    its values are email addresses, likewise "postcode", "mobile" or "phone"."""
    sample = [v for v in values[: _SUGGEST_SAMPLE * 5] if squash(cell_text(v))]
    sample = sample[:_SUGGEST_SAMPLE]
    if len(sample) < _SUGGEST_MINIMUM:
        return None
    needed = _SUGGEST_SHARE * len(sample)
    if sum(not normalise_email(v).rejected for v in sample) >= needed:
        return "email"
    if sum(not normalise_postcode(v).rejected for v in sample) >= needed:
        return "postcode"
    if sum(normalise_phone(v).kind == "mobile" for v in sample) >= needed:
        return "mobile"
    # Written like a UK phone number, whether or not its area code exists (sample data
    # invents them): enough to offer the field; each value is still checked on import.
    if sum(_UK_PHONE_SHAPE.fullmatch(squash(cell_text(v))) is not None for v in sample) >= needed:
        return "phone"
    return None


def _header_text(header: object) -> str:
    # A header cell can be a number (LibreOffice's sample has 0 in A1) or empty.
    return squash(cell_text(header))
