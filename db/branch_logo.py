"""The letterhead's logo: an image file checked and kept as base64 text in the branch
settings, and turned back into bytes for the PDFs and the settings dialog's preview."""

from __future__ import annotations

import base64
import binascii
from pathlib import Path

from db.branch_settings import BranchSettings
from db.errors import UserError

__all__ = ["MAX_LOGO_BYTES", "logo_bytes", "logo_format", "logo_from_file"]

# A letterhead logo is a few tens of kilobytes; a photograph straight off a phone is not a
# logo, and every letter's PDF would carry it.
MAX_LOGO_BYTES = 1_000_000
_FORMATS = {b"\x89PNG\r\n\x1a\n": "PNG", b"\xff\xd8\xff": "JPEG"}


def logo_format(data: bytes) -> str | None:
    """ "PNG" or "JPEG" by the file's first bytes; None for anything else."""
    return next((name for magic, name in _FORMATS.items() if data.startswith(magic)), None)


def logo_from_file(path: Path) -> str:
    """The image at ``path`` as the setting's text; a file that will not do is one sentence."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise UserError(f"There is no file {path}.") from None
    except OSError as error:
        raise UserError(f"{path} cannot be read: {error.strerror or error}.") from None
    if logo_format(data) is None:
        raise UserError(f"{path.name} is not a PNG or JPEG image; save the logo as one of those.")
    if len(data) > MAX_LOGO_BYTES:
        raise UserError(
            f"{path.name} is {len(data) / 1e6:.1f} MB; a logo must be under 1 MB "
            "(save it smaller, about 600 pixels wide is plenty)."
        )
    return base64.b64encode(data).decode("ascii")


def logo_bytes(settings: BranchSettings) -> bytes | None:
    """The logo's image, or None when there is none (or the stored text is damaged)."""
    if not settings.logo:
        return None
    try:
        data = base64.b64decode(settings.logo, validate=True)
    except (binascii.Error, ValueError):
        return None
    return data if logo_format(data) else None
