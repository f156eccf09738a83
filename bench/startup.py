"""Start of ``branchbook`` to the main window shown and idle, beside a bare QMainWindow."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

from bench.common import median

BARE_WINDOW = """
import sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMainWindow
app = QApplication(sys.argv[:1])
window = QMainWindow()
window.resize(1280, 760)
window.show()
QTimer.singleShot(0, app.quit)
sys.exit(app.exec())
"""


def _wall_ms(args: list[str]) -> float:
    env = dict(
        os.environ,
        QT_QPA_PLATFORM=os.environ.get("QT_QPA_PLATFORM", "offscreen"),
        BRANCHBOOK_EXIT_WHEN_IDLE="1",
    )
    start = time.perf_counter()
    subprocess.run(args, check=True, env=env, stdout=subprocess.DEVNULL)
    return (time.perf_counter() - start) * 1000


def measure(database: Path, runs: int = 5) -> tuple[float, float]:
    """Medians in ms: (branchbook, bare PySide6 window), runs interleaved."""
    app: list[float] = []
    bare: list[float] = []
    _wall_ms([sys.executable, "-m", "desktop", "--db", str(database)])  # warm file caches
    for _ in range(runs):
        app.append(_wall_ms([sys.executable, "-m", "desktop", "--db", str(database)]))
        bare.append(_wall_ms([sys.executable, "-c", BARE_WINDOW]))
    return median(app), median(bare)
