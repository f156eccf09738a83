"""Showing errors: a user error as one plain sentence, a bug with its details logged."""

from __future__ import annotations

import sys
from types import TracebackType

from PySide6.QtWidgets import QMessageBox, QWidget

from db.errors import UserError
from desktop.crash_log import write_crash_log


def show_error(parent: QWidget | None, error: BaseException) -> None:
    if isinstance(error, UserError):
        QMessageBox.warning(parent, "Branchbook", str(error))
        return
    log = write_crash_log(error)
    box = QMessageBox(
        QMessageBox.Icon.Critical,
        "Branchbook",
        "Something went wrong inside Branchbook. Your data is safe: the operation was undone.",
        parent=parent,
    )
    box.setInformativeText(
        f"The details were written to {log}. Please send that file to "
        "whoever looks after your Branchbook."
    )
    box.setDetailedText(f"{type(error).__name__}: {error}")
    box.exec()


def install_excepthook() -> None:
    """Unexpected errors in slots reach a dialog instead of killing the window silently."""

    def hook(kind: type[BaseException], value: BaseException, tb: TracebackType | None) -> None:
        if issubclass(kind, KeyboardInterrupt):
            sys.__excepthook__(kind, value, tb)
            return
        show_error(None, value.with_traceback(tb))

    sys.excepthook = hook
