"""File → Data protection: the tools for the secretary's data-protection duties — the audit
trail, the export log, the retention review, encryption at rest — kept here so the main
window only places the submenu.

A tool joins the submenu with one block in ``privacy_actions`` (its QAction under a key)
and its key in ``MENU_GROUPS``; a key with no action is skipped, and so is a group left
empty, so keys may be placed before their tool exists.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu

from desktop.audit_window import open_audit_window
from desktop.encryption_actions import encryption_actions, update_encryption_actions
from desktop.export_log_window import open_export_log
from desktop.retention_window import open_retention

if TYPE_CHECKING:
    from desktop.main_window import MainWindow

# The submenu's entries in order, a separator between groups.
MENU_GROUPS: list[list[str]] = [
    ["audit", "exports"],
    ["retention"],
    ["encrypt", "passphrase"],
]


def privacy_actions(window: MainWindow) -> dict[str, QAction]:
    actions: dict[str, QAction] = {}

    audit = QAction("&Audit trail…", window)
    audit.setObjectName("auditTrailAction")
    audit.setStatusTip(
        "Every change to the data, who made it and when, old → new: read it and export it."
    )
    audit.triggered.connect(lambda: open_audit_window(window))
    actions["audit"] = audit

    exports = QAction("&Export log…", window)
    exports.setObjectName("exportLogAction")
    exports.setStatusTip(
        "Every file with people's data in it that left Branchbook: when, what, how many people."
    )
    exports.triggered.connect(lambda: open_export_log(window))
    actions["exports"] = exports

    retention = QAction("&Retention review…", window)
    retention.setObjectName("retentionAction")
    retention.setStatusTip(
        "Guests and lapsed members not seen for the branch's period: review, export, erase; "
        "and the erasures made so far."
    )
    retention.triggered.connect(lambda: open_retention(window))
    actions["retention"] = retention

    actions.update(encryption_actions(window))

    return actions


def add_privacy_menu(file_menu: QMenu, window: MainWindow, actions: dict[str, QAction]) -> QMenu:
    """The "Data protection" submenu, added at the end of ``file_menu``."""
    menu = file_menu.addMenu("Da&ta protection")
    menu.setObjectName("privacyMenu")
    menu.setToolTipsVisible(True)  # a greyed entry's tooltip says why it is greyed
    fill_privacy_menu(menu, actions)
    menu.aboutToShow.connect(lambda: update_privacy_actions(window, actions))
    update_privacy_actions(window, actions)
    return menu


def fill_privacy_menu(menu: QMenu, actions: dict[str, QAction]) -> None:
    groups = [[actions[key] for key in group if key in actions] for group in MENU_GROUPS]
    for number, group in enumerate(group for group in groups if group):
        if number:
            menu.addSeparator()
        for action in group:
            menu.addAction(action)


def update_privacy_actions(window: MainWindow, actions: dict[str, QAction]) -> None:
    """Enable what the open database allows (checked each time the submenu opens)."""
    if "encrypt" in actions:
        update_encryption_actions(window.database, actions)
