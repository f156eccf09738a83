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
import time
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMainWindow
app = QApplication(sys.argv[:1])
window = QMainWindow()
window.resize(1280, 760)
window.show()
def idle():
    print(f"idle-at {time.time():.6f}", flush=True)
    app.quit()
QTimer.singleShot(0, idle)
sys.exit(app.exec())
"""


def _start_to_idle_ms(args: list[str]) -> float:
    """From just before the process is spawned to the moment it reports itself idle.

    Teardown after that moment is not counted: the user is already working.
    """
    env = dict(
        os.environ,
        QT_QPA_PLATFORM=os.environ.get("QT_QPA_PLATFORM", "offscreen"),
        BRANCHBOOK_EXIT_WHEN_IDLE="1",
    )
    start = time.time()
    result = subprocess.run(args, check=True, env=env, capture_output=True, text=True)
    marks = [line for line in result.stdout.splitlines() if line.startswith("idle-at ")]
    if not marks:
        raise RuntimeError(f"{args[1:3]} never reported idle: {result.stderr[-500:]}")
    return (float(marks[-1].split()[1]) - start) * 1000


def measure(database: Path, runs: int = 5) -> tuple[float, float]:
    """Medians in ms: (branchbook, bare PySide6 window), runs interleaved."""
    app: list[float] = []
    bare: list[float] = []
    _start_to_idle_ms([sys.executable, "-m", "desktop", "--db", str(database)])  # warm file caches
    for _ in range(runs):
        app.append(_start_to_idle_ms([sys.executable, "-m", "desktop", "--db", str(database)]))
        bare.append(_start_to_idle_ms([sys.executable, "-c", BARE_WINDOW]))
    return median(app), median(bare)
