"""Choosing the letterhead's logo: in the settings dialog with a preview, and from the
command line; both keep it in the database."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from db.branch_logo import logo_bytes
from db.branch_settings import BranchSettings, load_branch_settings
from db.database import Database
from desktop import settings_dialog
from desktop.cli import main
from desktop.settings_dialog import SettingsDialog, save_settings
from tests.helpers.images import png


def test_the_dialog_previews_saves_and_removes_the_logo(
    database: Database, tmp_path: Path, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    image = tmp_path / "logo.png"
    image.write_bytes(png(120, 40))
    monkeypatch.setattr(settings_dialog, "open_remembered", lambda *args: image)
    dialog = SettingsDialog(BranchSettings(branch_name="Cathays"))
    qtbot.addWidget(dialog)
    assert dialog.logo_preview.pixmap().isNull()
    assert not dialog.remove_logo.isEnabled()
    dialog.choose_logo()
    assert dialog.logo_preview.pixmap().size().toTuple() == (192, 64)  # 3:1, 64 high
    save_settings(database, dialog)
    with database.session() as session:
        assert logo_bytes(load_branch_settings(session)) == png(120, 40)
    dialog.remove_logo.click()
    assert dialog.settings().logo == "" and dialog.settings().branch_name == "Cathays"


def test_the_command_line_sets_shows_and_clears_the_logo(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = str(tmp_path / "b.sqlite3")
    image = tmp_path / "crest.png"
    image.write_bytes(png())
    assert main(["--db", db, "settings", "logo", str(image)]) == 0
    capsys.readouterr()
    assert main(["--db", db, "settings", "show", "--json"]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert shown["logo"] == {"format": "PNG", "bytes": len(png())}
    assert main(["--db", db, "settings", "show"]) == 0
    assert f"Logo (logo): PNG, {len(png()):,} bytes" in capsys.readouterr().out
    (tmp_path / "notes.txt").write_text("hello")
    assert main(["--db", db, "settings", "logo", str(tmp_path / "notes.txt")]) == 1
    assert "notes.txt is not a PNG or JPEG image" in capsys.readouterr().err
    assert main(["--db", db, "settings", "logo", "--clear"]) == 0
    capsys.readouterr()
    assert main(["--db", db, "settings", "show", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["logo"] is None
