"""``branchbook backup`` and ``branchbook restore``: sealed backups from the command line.

Registered by ``desktop.cli``; like it, nothing here imports Qt. The passphrase never comes
from the command line itself (it would sit in the shell's history and the process list):
from ``--passphrase-file``, from BRANCHBOOK_BACKUP_PASSPHRASE, or typed at a terminal.
"""

from __future__ import annotations

import argparse
import os
import sys
from dataclasses import asdict
from pathlib import Path
from typing import Any

from db.errors import UserError
from desktop.cli import JSON_HELP, ask_first, emit, open_database_for, progress_printer

PASSPHRASE_ENV = "BRANCHBOOK_BACKUP_PASSPHRASE"
_FILE_HELP = "read the passphrase from the first line of this file"


def add_backup_commands(commands: Any) -> None:
    backup = commands.add_parser(
        "backup",
        help="an encrypted backup of the database: to a file (-o) or a rotated folder (--folder)",
        description="Seal the whole database into one encrypted file. The passphrase comes "
        f"from --passphrase-file, else {PASSPHRASE_ENV}, else is asked for on a terminal.",
    )
    where = backup.add_mutually_exclusive_group()
    where.add_argument("-o", "--output", type=Path, metavar="FILE.bbk", help="the backup file")
    where.add_argument(
        "--folder",
        type=Path,
        metavar="DIR",
        help="a dated backup in DIR, keeping 7 daily and 4 weekly of Branchbook's own there",
    )
    _add_passphrase_options(backup, allow_plain=True)
    backup.add_argument("--json", action="store_true", help=JSON_HELP)
    backup.set_defaults(handler=_cmd_backup, parser=backup)
    actions = backup.add_subparsers(dest="backup_action", metavar="ACTION")
    listing = actions.add_parser("list", help="the backups in a folder, newest first")
    listing.add_argument("folder", type=Path, metavar="DIR")
    listing.add_argument("--json", action="store_true", help=JSON_HELP)
    listing.set_defaults(handler=_cmd_list)

    restore = commands.add_parser(
        "restore",
        help="replace the database with a backup (the current one is kept beside it)",
    )
    restore.add_argument("source", type=Path, metavar="FILE.bbk")
    _add_passphrase_options(restore, allow_plain=False)
    restore.add_argument("--yes", action="store_true", help="do not ask before replacing")
    restore.add_argument("--json", action="store_true", help=JSON_HELP)
    restore.set_defaults(handler=_cmd_restore)


def _add_passphrase_options(parser: argparse.ArgumentParser, *, allow_plain: bool) -> None:
    # Their own dest: a global --passphrase-file (the database's key) must not be overwritten
    # by this subcommand's default.
    group = parser.add_mutually_exclusive_group()
    group.add_argument(
        "--passphrase-file", dest="backup_passphrase_file", type=Path, metavar="F", help=_FILE_HELP
    )
    if allow_plain:
        group.add_argument(
            "--no-encryption",
            action="store_true",
            help="write the backup unencrypted (anyone holding the file can read it)",
        )


def _passphrase(args: argparse.Namespace, *, confirm: bool) -> str | None:
    if getattr(args, "no_encryption", False):
        return None
    source: Path | None = args.backup_passphrase_file
    if source is not None:
        try:
            text = source.read_text(encoding="utf-8-sig")
        except FileNotFoundError:
            raise UserError(f"The passphrase file {source} does not exist.") from None
        except (OSError, UnicodeDecodeError) as exc:
            raise UserError(f"The passphrase file {source} cannot be read: {exc}.") from None
        lines = text.splitlines()
        if not lines or not lines[0]:
            raise UserError(f"The passphrase file {source} is empty.")
        return lines[0]
    from_env = os.environ.get(PASSPHRASE_ENV)
    if from_env:
        return from_env
    if sys.stdin.isatty() and sys.stderr.isatty():
        import getpass

        typed = getpass.getpass("Backup passphrase: ")
        if confirm and getpass.getpass("The same passphrase again: ") != typed:
            raise UserError("The two passphrases are not the same; nothing was written.")
        return typed
    plain = " (or --no-encryption)" if confirm else ""
    raise UserError(
        f"Give the backup passphrase with --passphrase-file or {PASSPHRASE_ENV}{plain}."
    )


def _size(size: int) -> str:
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):.1f} MB"
    return f"{max(size // 1024, 1)} KB"


def _document(info: Any) -> dict[str, Any]:
    document = asdict(info)
    for key, value in document.items():
        if isinstance(value, Path):
            document[key] = str(value)
    document["created_at"] = info.created_at.isoformat()
    return document


def _cmd_backup(args: argparse.Namespace) -> int:
    from db.backup import backup_to_folder, make_backup

    if args.output is None and args.folder is None:
        args.parser.error("give -o FILE.bbk, --folder DIR, or: backup list DIR")
    passphrase = _passphrase(args, confirm=True)
    database = open_database_for(args)
    try:
        if args.folder is not None:
            done = backup_to_folder(
                database, args.folder, passphrase=passphrase, progress=progress_printer()
            )
            info, removed = done.backup, done.removed
        else:
            info = make_backup(
                database, args.output, passphrase=passphrase, progress=progress_printer()
            )
            removed = []
    finally:
        database.close()
    sealed = "encrypted" if info.encrypted else "NOT encrypted"
    text = f"Backed up {info.people:,} people to {info.path} ({_size(info.size_bytes)}, {sealed})."
    if removed:
        text += f" Removed {len(removed)} older backup{'s' if len(removed) != 1 else ''}."
    document = _document(info) | {"removed": [str(path) for path in removed]}
    emit(args, document, text)
    return 0


def _cmd_list(args: argparse.Namespace) -> int:
    from db.backup import list_backups

    if not args.folder.is_dir():
        raise UserError(f"{args.folder} is not a folder.")
    listed = list_backups(args.folder)
    lines = [
        f"{info.created_at:%Y-%m-%d %H:%M}  {info.people:>7,} people  "
        f"{'encrypted' if info.encrypted else 'plain    '}  {_size(info.size_bytes):>9}  "
        f"{info.path.name}"
        for info in listed
    ]
    lines.append(f"({len(listed)} backup{'s' if len(listed) != 1 else ''} in {args.folder})")
    emit(args, [_document(info) for info in listed], "\n".join(lines))
    return 0


def _cmd_restore(args: argparse.Namespace) -> int:
    from db.backup import backup_info, open_backup, restore_opened
    from db.database import open_database, resolve_url, sqlite_path
    from db.encryption import is_encrypted, unlock
    from db.keys import Credentials, read_passphrase_file

    target = sqlite_path(resolve_url(args.db))
    if target is None:
        raise UserError(
            "Restore a shared PostgreSQL database with the server's own tools (pg_restore)."
        )
    # An encrypted database is restored under its own key, so it is unlocked first: a
    # wrong --passphrase-file is said before the backup is even read.
    file = getattr(args, "passphrase_file", None)
    credentials = Credentials(passphrase=read_passphrase_file(file)) if file else None
    key = unlock(target, credentials) if is_encrypted(target) else None
    encrypted = backup_info(args.source).encrypted
    passphrase = _passphrase(args, confirm=False) if encrypted else None
    opened = open_backup(args.source, passphrase=passphrase, progress=progress_printer())
    info = opened.info
    made = f"{info.created_at:%d %B %Y at %H:%M}"
    if not args.yes:
        ask_first(
            f"Replace {target} with the backup made on {made}, holding {info.people:,} "
            "people? The current database is kept beside it.",
            doing="restore",
            done="changed",
        )
    restored = restore_opened(opened, target, key=key, credentials=credentials)
    # Opening brings an older backup's schema up to date, as the window would.
    open_database(target, credentials=credentials).close()
    aside = restored.set_aside
    text = (
        f"Restored {info.people:,} people from {args.source.name} (made on {made}) into {target}."
    )
    if aside is not None:
        text += f" The database as it was is kept as {aside}."
    if restored.recovery_key is not None:
        from desktop.cli_encryption import RECOVERY_NOTE

        # The restored branch was given a key of its own: its recovery key exists only here.
        sys.stderr.write(f"branchbook: {target} was restored encrypted.\n")
        sys.stderr.write(f"{RECOVERY_NOTE}\n    {restored.recovery_key}\n")
    document = {
        "database": str(target),
        "set_aside": str(aside) if aside is not None else None,
        "backup": _document(info),
    }
    emit(args, document, text)
    return 0
