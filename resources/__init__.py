"""Icons, fonts and other files the application ships; located beside this module so that
an installed package and a PyInstaller bundle find them the same way."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent


def path(*parts: str) -> Path:
    return ROOT.joinpath(*parts)
