"""Writing a traceback to the log folder, for errors that are bugs rather than user errors."""

from __future__ import annotations

import datetime as dt
import traceback
from pathlib import Path

import platformdirs

from db.database import APP_NAME


def log_dir() -> Path:
    return Path(platformdirs.user_log_dir(APP_NAME, appauthor=False))


def write_crash_log(exc: BaseException) -> Path:
    folder = log_dir()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "crash.log"
    with path.open("a", encoding="utf-8") as log:
        log.write(f"\n=== {dt.datetime.now().isoformat(timespec='seconds')} ===\n")
        log.write("".join(traceback.format_exception(exc)))
    return path
