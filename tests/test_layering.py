"""Qt lives only in desktop/: the core and the reports never load it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_no_source_file_under_db_or_reports_mentions_qt_or_desktop() -> None:
    forbidden = ("PySide6", "from desktop", "import desktop")
    offenders = [
        str(path.relative_to(ROOT))
        for package in ("db", "reports")
        for path in (ROOT / package).rglob("*.py")
        if any(word in path.read_text(encoding="utf-8") for word in forbidden)
    ]
    assert offenders == []


def _modules_after(code: str) -> set[str]:
    result = subprocess.run(
        [sys.executable, "-c", code + "\nimport sys\nprint('\\n'.join(sorted(sys.modules)))"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=True,
    )
    return set(result.stdout.split())


def test_importing_every_core_and_report_module_loads_no_qt() -> None:
    modules = [
        ".".join(path.relative_to(ROOT).with_suffix("").parts)
        for package in ("db", "reports")
        for path in (ROOT / package).rglob("*.py")
        if "migrations" not in path.parts
    ]
    loaded = _modules_after("\n".join(f"import {m}" for m in modules))
    assert set(modules) <= loaded
    assert not {m for m in loaded if m.startswith(("PySide6", "shiboken6", "desktop.app"))}
