"""Where an encrypted database's key comes from, and how it is kept.

Every encrypted database has one random 32-byte key that SQLCipher is given raw, so no
connection pays SQLCipher's own key derivation (a quarter of a second each). The key is kept

- in the operating system's credential store (``keyring``: service "Branchbook", username
  the database file's resolved path), when the secretary chose no passphrase; and/or
- in a small file beside the database, ``<name>.keys``, wrapped (scrypt + AES-GCM) once
  under the secretary's passphrase and once under a recovery key that is shown once.

The key file holds nothing readable without the passphrase or the recovery key, so it may
travel with the database (and must: without it a passphrase opens nothing). A database with
no key file that is opened with a passphrase was keyed with that passphrase directly, the
way SQLCipher's own tools do it; that works too.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import json
import os
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from db.errors import DatabaseError

SERVICE = "Branchbook"
PASSPHRASE_ENV = "BRANCHBOOK_PASSPHRASE"
KEY_FILE_SUFFIX = ".keys"
KEY_BYTES = 32
_KEY_FILE_FORMAT = "branchbook-keys"
_PASSPHRASE_SLOT = "passphrase"
_RECOVERY_SLOT = "recovery"
# scrypt's cost: 32 MiB and about a tenth of a second, once per unlock, not per connection.
_SCRYPT_N = 2**15
_SCRYPT_R = 8
_SCRYPT_P = 1
# 20 random bytes: 32 base32 letters, written down as eight groups of four.
_RECOVERY_BYTES = 20


class KeyNeeded(DatabaseError):
    """The database is (or is to be) encrypted and no passphrase or key was found for it."""

    def __init__(self, path: Path, *, creating: bool = False) -> None:
        if creating:
            message = (
                f"Choose a passphrase for the new encrypted database {path} "
                f"(--passphrase-file FILE or {PASSPHRASE_ENV})."
            )
        else:
            message = (
                f"{path} is encrypted: give its passphrase "
                f"(--passphrase-file FILE or {PASSPHRASE_ENV})."
            )
        super().__init__(message)
        self.path = path
        self.creating = creating


class WrongKey(DatabaseError):
    """The passphrase or key given does not open the database."""

    def __init__(self, path: Path, what: str = "passphrase") -> None:
        super().__init__(f"The {what} for {path} is not right.")
        self.path = path


@dataclass(frozen=True)
class Credentials:
    """What the caller knows: a passphrase (or recovery key) typed or read, or a raw key."""

    passphrase: str | None = None
    key: bytes | None = None


def generate_key() -> bytes:
    return secrets.token_bytes(KEY_BYTES)


def key_literal(key: bytes) -> str:
    """The text SQLCipher's ``PRAGMA key`` takes for a raw key (no key derivation)."""
    return f"x'{key.hex()}'"


def key_file_path(database: Path) -> Path:
    return database.with_name(database.name + KEY_FILE_SUFFIX)


def read_passphrase_file(path: Path) -> str:
    """A passphrase kept in a file: its first line, without the line ending."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise DatabaseError(f"The passphrase file {path} does not exist.") from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise DatabaseError(f"The passphrase file {path} cannot be read.") from exc
    lines = text.splitlines()
    passphrase = lines[0] if lines else ""
    if not passphrase:
        raise DatabaseError(f"The passphrase file {path} is empty.")
    return passphrase


def passphrase_from_environment() -> str | None:
    return os.environ.get(PASSPHRASE_ENV) or None


# The credential store ------------------------------------------------------------------


def _keyring_user(database: Path) -> str:
    return str(database.resolve())


def stored_key(database: Path) -> bytes | None:
    """The key kept in the credential store for this file, or None (none kept, no store)."""
    try:
        import keyring
        from keyring.errors import KeyringError

        try:
            text = keyring.get_password(SERVICE, _keyring_user(database))
        except KeyringError:
            return None
    except ImportError:
        return None
    if not text:
        return None
    try:
        key = bytes.fromhex(text)
    except ValueError:
        return None
    return key if len(key) == KEY_BYTES else None


def store_key(database: Path, key: bytes) -> None:
    """Keep ``key`` in the credential store; a sentence if there is no usable store."""
    import keyring
    from keyring.errors import KeyringError

    try:
        keyring.set_password(SERVICE, _keyring_user(database), key.hex())
    except KeyringError as exc:
        raise DatabaseError(
            "This computer has no credential store Branchbook can use; choose a passphrase instead."
        ) from exc


def forget_key(database: Path) -> None:
    """Remove the key file and the credential store's entry for a database that is plain."""
    key_file_path(database).unlink(missing_ok=True)
    try:
        import keyring
        from keyring.errors import KeyringError
    except ImportError:
        return
    # Nothing kept there, or no store at all: either way nothing is left behind.
    with contextlib.suppress(KeyringError):
        keyring.delete_password(SERVICE, _keyring_user(database))


def credential_store_available() -> bool:
    try:
        import keyring
        from keyring.backends.fail import Keyring as FailKeyring
    except ImportError:
        return False
    backend = keyring.get_keyring()
    return not isinstance(backend, FailKeyring) and backend.priority > 0


# The key file: the key wrapped under a passphrase and under a recovery key -----------------


def new_recovery_key() -> str:
    letters = base64.b32encode(secrets.token_bytes(_RECOVERY_BYTES)).decode("ascii")
    return "-".join(letters[i : i + 4] for i in range(0, len(letters), 4))


def _normalise_recovery_key(text: str) -> str | None:
    """The recovery key as it was made, from what someone typed, or None if it is not one."""
    letters = "".join(ch for ch in text.upper() if ch.isalnum())
    # Base32 has no 0, 1 or 8: someone reading from paper means O, I and B.
    letters = letters.translate(str.maketrans("018", "OIB"))
    if len(letters) != len(base64.b32encode(bytes(_RECOVERY_BYTES))):
        return None
    try:
        base64.b32decode(letters)
    except binascii.Error:
        return None
    return "-".join(letters[i : i + 4] for i in range(0, len(letters), 4))


def _derive(secret: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

    return Scrypt(salt=salt, length=32, n=n, r=r, p=p).derive(secret.encode("utf-8"))


def _wrap(key: bytes, secret: str, slot: str) -> dict[str, Any]:
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    salt = secrets.token_bytes(16)
    nonce = secrets.token_bytes(12)
    wrapping = _derive(secret, salt, _SCRYPT_N, _SCRYPT_R, _SCRYPT_P)
    wrapped = AESGCM(wrapping).encrypt(nonce, key, _associated_data(slot))
    return {
        "kdf": "scrypt",
        "n": _SCRYPT_N,
        "r": _SCRYPT_R,
        "p": _SCRYPT_P,
        "salt": _b64(salt),
        "nonce": _b64(nonce),
        "wrapped": _b64(wrapped),
    }


def _unwrap(slot_data: dict[str, Any], secret: str, slot: str) -> bytes | None:
    from cryptography.exceptions import InvalidTag
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    wrapping = _derive(
        secret,
        base64.b64decode(slot_data["salt"]),
        int(slot_data["n"]),
        int(slot_data["r"]),
        int(slot_data["p"]),
    )
    try:
        return AESGCM(wrapping).decrypt(
            base64.b64decode(slot_data["nonce"]),
            base64.b64decode(slot_data["wrapped"]),
            _associated_data(slot),
        )
    except InvalidTag:
        return None


def _associated_data(slot: str) -> bytes:
    # Binds each wrapped copy to its slot: a passphrase slot cannot be passed off as recovery.
    return f"{_KEY_FILE_FORMAT}/1/{slot}".encode("ascii")


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _read_slots(database: Path) -> dict[str, dict[str, Any]] | None:
    path = key_file_path(database)
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise DatabaseError(f"The key file {path} cannot be read.") from exc
    if not isinstance(document, dict) or document.get("format") != _KEY_FILE_FORMAT:
        raise DatabaseError(f"{path} is not a Branchbook key file.")
    slots = document.get("slots")
    if not isinstance(slots, dict):
        raise DatabaseError(f"{path} is not a Branchbook key file.")
    return slots


def _write_slots(database: Path, slots: dict[str, dict[str, Any]]) -> None:
    path = key_file_path(database)
    document = {"format": _KEY_FILE_FORMAT, "version": 1, "slots": slots}
    partial = path.with_name(path.name + ".partial")
    try:
        partial.write_text(json.dumps(document, indent=2), encoding="utf-8")
        os.replace(partial, path)
    except OSError as exc:
        partial.unlink(missing_ok=True)
        raise DatabaseError(f"Cannot write the key file {path}: {exc.strerror}.") from exc


def has_key_file(database: Path) -> bool:
    return key_file_path(database).exists()


def write_key_file(database: Path, key: bytes, passphrase: str | None) -> str:
    """Keep ``key`` beside the database under ``passphrase`` (if any) and a new recovery
    key; the recovery key is returned, to be shown once and written down."""
    recovery = new_recovery_key()
    slots = {_RECOVERY_SLOT: _wrap(key, recovery, _RECOVERY_SLOT)}
    if passphrase is not None:
        slots[_PASSPHRASE_SLOT] = _wrap(key, passphrase, _PASSPHRASE_SLOT)
    _write_slots(database, slots)
    return recovery


def has_passphrase(database: Path) -> bool:
    slots = _read_slots(database)
    return slots is not None and _PASSPHRASE_SLOT in slots


def key_from_passphrase(database: Path, passphrase: str) -> bytes | None:
    """The key the key file holds, unwrapped by a passphrase or the recovery key; None when
    there is no key file (the passphrase is then SQLCipher's own)."""
    slots = _read_slots(database)
    if slots is None:
        return None
    if _PASSPHRASE_SLOT in slots:
        key = _unwrap(slots[_PASSPHRASE_SLOT], passphrase, _PASSPHRASE_SLOT)
        if key is not None:
            return key
    recovery = _normalise_recovery_key(passphrase)
    if recovery is not None and _RECOVERY_SLOT in slots:
        key = _unwrap(slots[_RECOVERY_SLOT], recovery, _RECOVERY_SLOT)
        if key is not None:
            return key
    raise WrongKey(database)


def set_passphrase(database: Path, key: bytes, passphrase: str) -> None:
    """Wrap ``key`` under a new passphrase, keeping the recovery key as it was."""
    slots = _read_slots(database) or {}
    slots[_PASSPHRASE_SLOT] = _wrap(key, passphrase, _PASSPHRASE_SLOT)
    _write_slots(database, slots)


def copy_key_file(database: Path, copy: Path) -> None:
    """Give a copy of the database (same key) the key file that opens it."""
    source = key_file_path(database)
    if source.exists():
        target = key_file_path(copy)
        target.write_bytes(source.read_bytes())
