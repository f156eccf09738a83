"""``branchbook encrypt`` and ``branchbook change-passphrase``: encryption at rest from the
command line. Headless: no Qt here."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from db.errors import UserError

RECOVERY_NOTE = (
    "Recovery key (write it down and keep it apart from the laptop; it is shown only this "
    "once and opens the database if the passphrase is forgotten):"
)


def add_encryption_commands(commands: Any) -> None:
    encrypt = commands.add_parser(
        "encrypt",
        help="encrypt the database file in place (SQLCipher); prints a recovery key once",
    )
    source = encrypt.add_mutually_exclusive_group()
    source.add_argument(
        "--passphrase-file",
        dest="new_passphrase_file",
        type=Path,
        metavar="FILE",
        help="the passphrase to lock it with, the file's first line "
        "(default: --passphrase-file before the command, else BRANCHBOOK_PASSPHRASE)",
    )
    source.add_argument(
        "--keyring",
        action="store_true",
        help="keep the key in this computer's credential store instead of a passphrase",
    )
    encrypt.add_argument("--json", action="store_true", help="print one JSON document")
    encrypt.set_defaults(handler=_cmd_encrypt)

    change = commands.add_parser(
        "change-passphrase",
        help="give an encrypted database a new passphrase (the old one comes from "
        "--passphrase-file before the command or BRANCHBOOK_PASSPHRASE)",
    )
    change.add_argument(
        "--new-passphrase-file",
        type=Path,
        required=True,
        metavar="FILE",
        help="the new passphrase, the file's first line",
    )
    change.set_defaults(handler=_cmd_change_passphrase)


def _database_file(args: argparse.Namespace) -> Path:
    from db.database import resolve_url, sqlite_path

    path = sqlite_path(resolve_url(args.db))
    if path is None:
        raise UserError("Only a database file can be encrypted; a server keeps its own data.")
    return path


def _cmd_encrypt(args: argparse.Namespace) -> int:
    from db.encryption import encrypt_database
    from db.keys import Credentials, passphrase_from_environment, read_passphrase_file
    from desktop.cli import emit

    path = _database_file(args)
    credentials: Credentials | None = None
    if not args.keyring:
        file = args.new_passphrase_file or args.passphrase_file
        passphrase = read_passphrase_file(file) if file else passphrase_from_environment()
        if passphrase is None:
            raise UserError(
                "Give the passphrase to encrypt with (--passphrase-file FILE or "
                "BRANCHBOOK_PASSPHRASE), or use --keyring."
            )
        credentials = Credentials(passphrase=passphrase)
    outcome = encrypt_database(path, credentials, use_keyring=args.keyring)
    kept = (
        "its key is kept in this computer's credential store"
        if args.keyring
        else "it opens with its passphrase"
    )
    lines = [f"{outcome.path} is encrypted now ({outcome.rows:,} rows checked); {kept}."]
    if outcome.copies:
        lines.append(
            f"The {len(outcome.copies)} safety {'copy' if len(outcome.copies) == 1 else 'copies'}"
            " beside it (made before an upgrade or a restore) are encrypted too."
        )
    lines += [
        f"{copy} could not be encrypted: delete it, it holds the branch unencrypted."
        for copy in outcome.left_plain
    ]
    if outcome.recovery_key is not None:
        lines += [RECOVERY_NOTE, f"    {outcome.recovery_key}"]
    document = {
        "path": str(outcome.path),
        "tables": outcome.tables,
        "rows": outcome.rows,
        "keyring": args.keyring,
        "recovery_key": outcome.recovery_key,
        "copies_encrypted": [str(copy) for copy in outcome.copies],
        "copies_left_plain": [str(copy) for copy in outcome.left_plain],
    }
    emit(args, document, "\n".join(lines))
    return 0


def _cmd_change_passphrase(args: argparse.Namespace) -> int:
    from db.encryption import change_passphrase, is_encrypted
    from db.keys import KeyNeeded, passphrase_from_environment, read_passphrase_file

    path = _database_file(args)
    if not is_encrypted(path):
        raise UserError(f"{path} is not encrypted; encrypt it first with 'branchbook encrypt'.")
    old = (
        read_passphrase_file(args.passphrase_file)
        if args.passphrase_file
        else passphrase_from_environment()
    )
    if old is None:
        raise KeyNeeded(path)
    change_passphrase(path, old, read_passphrase_file(args.new_passphrase_file))
    sys.stdout.write(f"{path} has a new passphrase; the recovery key is unchanged.\n")
    return 0
