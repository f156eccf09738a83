"""Branch-wide settings kept in the database, so a letterhead travels with the data."""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.errors import UserError
from db.models import Setting


@dataclass(frozen=True)
class BranchSettings:
    branch_name: str = ""
    secretary_name: str = ""
    address: str = ""
    email: str = ""
    phone: str = ""
    # "Promoted by ... on behalf of ... at ..." printed on election material.
    imprint: str = ""
    # The letterhead's logo: a PNG or JPEG as base64 text (``db.branch_logo``), kept with the
    # other settings so it travels with the data to a second laptop or a shared server.
    logo: str = ""

    @classmethod
    def field_names(cls) -> list[str]:
        return [f.name for f in fields(cls)]

    @classmethod
    def text_field_names(cls) -> list[str]:
        """The settings typed as text (the logo is chosen as a file)."""
        return [name for name in cls.field_names() if name != "logo"]


SETTING_LABELS = {
    "branch_name": "Branch name",
    "secretary_name": "Secretary",
    "address": "Branch address",
    "email": "Branch email",
    "phone": "Branch phone",
    "imprint": "Imprint",
    "logo": "Logo",
}


def _stored(session: Session) -> list[Setting]:
    wanted = Setting.key.in_(BranchSettings.field_names())
    return list(session.scalars(select(Setting).where(wanted)))


def load_branch_settings(session: Session) -> BranchSettings:
    stored = {s.key: s.value for s in _stored(session)}
    return BranchSettings(**stored)


def save_branch_settings(session: Session, settings: BranchSettings) -> list[str]:
    """Store every field; returns the keys whose value changed."""
    existing = {s.key: s for s in _stored(session)}
    changed: list[str] = []
    for key, value in asdict(settings).items():
        value = value.strip()
        row = existing.get(key)
        if row is None:
            if value:
                session.add(Setting(key=key, value=value))
                changed.append(key)
        elif row.value != value:
            row.value = value
            changed.append(key)
    session.flush()
    return changed


def parse_assignment(text: str) -> tuple[str, str]:
    """``key=value`` from the command line, with the key checked."""
    key, sep, value = text.partition("=")
    key = key.strip()
    if key == "logo":
        raise UserError(
            "The logo is set from an image file: 'branchbook settings logo FILE.png' "
            "(or --clear to remove it)."
        )
    if not sep or key not in BranchSettings.text_field_names():
        raise UserError(
            f"'{text}' is not a setting; use KEY=VALUE with KEY one of "
            f"{', '.join(BranchSettings.text_field_names())}."
        )
    return key, value
