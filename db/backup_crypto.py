"""The backup file format: a small header, authenticated metadata, and the sealed database.

    magic      17 bytes  b"BRANCHBOOK-BACKUP"
    version     1 byte   FORMAT_VERSION
    mode        1 byte   0 = not encrypted, 1 = scrypt + AES-256-GCM
    log2(n), r, p        3 bytes, the scrypt cost the key was derived with
    salt       16 bytes  (zeros when not encrypted)
    nonce      12 bytes  (zeros when not encrypted)
    length      4 bytes  big-endian length of the metadata
    size        8 bytes  big-endian length of the payload, so a cut-short file says so
    metadata             UTF-8 JSON: created at, schema revision, people, source file name
    payload              the database image, encrypted when mode is 1
    trailer              the 16-byte GCM tag, or (not encrypted) a SHA-256 of all before it

Version 2 (written only when there is something secret to add, so that a plain image's
backup stays readable by the Branchbook before it) puts inside the payload, ahead of the
image, a 4-byte big-endian length and UTF-8 JSON that is sealed with it: today
``{"image": "sqlcipher", "key": hex}``, an image encrypted by SQLCipher under that raw key.
The key is never in the clear, since the header and metadata are only authenticated.

Everything before the payload is the GCM's associated data, so the metadata can be read
without the passphrase (to list a folder of backups) yet cannot be altered unnoticed.
The payload is sealed in chunks through the streaming cipher so that a 100 MB database is
never held twice in memory and the work can report progress and be cancelled.
"""

from __future__ import annotations

import hashlib
import json
import os
import struct
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

from db.errors import Cancelled, UserError

MAGIC = b"BRANCHBOOK-BACKUP"
# The newest version this program reads; version 1 is still written when it suffices.
FORMAT_VERSION = 2
PLAIN_FORMAT_VERSION = 1
MODE_PLAIN = 0
MODE_SCRYPT_AES_GCM = 1
SCRYPT_LOG2_N = 15
SCRYPT_R = 8
SCRYPT_P = 1
# A header naming a far higher cost would make opening a stranger's file hang for minutes.
MAX_SCRYPT_LOG2_N = 20
SALT_BYTES = 16
NONCE_BYTES = 12
TAG_BYTES = 16
DIGEST_BYTES = 32
MAX_METADATA_BYTES = 64 * 1024
CHUNK_BYTES = 4 * 1024 * 1024
MIN_PASSPHRASE_CHARS = 8

_FIXED = struct.Struct(f">{len(MAGIC)}sBBBBB{SALT_BYTES}s{NONCE_BYTES}sIQ")
_SECRET_LENGTH = struct.Struct(">I")

WRONG_PASSPHRASE = "The passphrase is not right, or the backup file is damaged."

Progress = Callable[[int, int], None]
Cancel = Callable[[], bool]


class BackupDamaged(UserError):
    pass


class WrongPassphrase(UserError):
    pass


@dataclass(frozen=True)
class Header:
    version: int
    encrypted: bool
    log2_n: int
    r: int
    p: int
    salt: bytes
    nonce: bytes
    payload_size: int
    metadata: dict[str, Any]
    raw: bytes  # the bytes the header occupies: the associated data

    @property
    def size(self) -> int:
        return len(self.raw)


def check_new_passphrase(passphrase: str) -> None:
    """A passphrase strong enough to seal a list of people's political views."""
    if len(passphrase) < MIN_PASSPHRASE_CHARS:
        raise UserError(
            f"A backup passphrase needs at least {MIN_PASSPHRASE_CHARS} characters; "
            "a short sentence is easy to remember and hard to guess."
        )


def derive_key(passphrase: str, salt: bytes, log2_n: int = SCRYPT_LOG2_N) -> bytes:
    kdf = Scrypt(salt=salt, length=32, n=2**log2_n, r=SCRYPT_R, p=SCRYPT_P)
    return kdf.derive(passphrase.encode("utf-8"))


def encode_header(
    metadata: dict[str, Any],
    *,
    encrypted: bool,
    salt: bytes,
    nonce: bytes,
    payload_size: int,
    version: int = PLAIN_FORMAT_VERSION,
) -> bytes:
    meta = json.dumps(metadata, ensure_ascii=False, sort_keys=True).encode("utf-8")
    fixed = _FIXED.pack(
        MAGIC,
        version,
        MODE_SCRYPT_AES_GCM if encrypted else MODE_PLAIN,
        SCRYPT_LOG2_N,
        SCRYPT_R,
        SCRYPT_P,
        salt,
        nonce,
        len(meta),
        payload_size,
    )
    return fixed + meta


def write_sealed(
    out: BinaryIO,
    image: bytes | bytearray,
    metadata: dict[str, Any],
    passphrase: str | None,
    progress: Progress | None = None,
    cancelled: Cancel | None = None,
    secret: dict[str, Any] | None = None,
) -> None:
    """Write the whole backup to ``out``: header, payload in chunks, trailer.

    ``secret`` is sealed with the image (format version 2), so it needs a passphrase.
    """
    encrypted = passphrase is not None
    if secret is not None and not encrypted:
        raise ValueError("a backup's secret part is only ever written encrypted")
    salt = os.urandom(SALT_BYTES) if encrypted else bytes(SALT_BYTES)
    nonce = os.urandom(NONCE_BYTES) if encrypted else bytes(NONCE_BYTES)
    view = memoryview(image)
    total = len(view)
    prefix = b"" if secret is None else _encode_secret(secret)
    header = encode_header(
        metadata,
        encrypted=encrypted,
        salt=salt,
        nonce=nonce,
        payload_size=len(prefix) + total,
        version=PLAIN_FORMAT_VERSION if secret is None else FORMAT_VERSION,
    )
    out.write(header)
    if passphrase is not None:
        key = derive_key(passphrase, salt)
        encryptor = Cipher(algorithms.AES(key), modes.GCM(nonce)).encryptor()
        encryptor.authenticate_additional_data(header)
        out.write(encryptor.update(prefix))
        for start in range(0, total, CHUNK_BYTES):
            _check(cancelled)
            out.write(encryptor.update(view[start : start + CHUNK_BYTES]))
            if progress is not None:
                progress(min(start + CHUNK_BYTES, total), total)
        _check(cancelled)
        out.write(encryptor.finalize())
        out.write(encryptor.tag)
        return
    digest = hashlib.sha256(header)
    for start in range(0, total, CHUNK_BYTES):
        _check(cancelled)
        chunk = view[start : start + CHUNK_BYTES]
        digest.update(chunk)
        out.write(chunk)
        if progress is not None:
            progress(min(start + CHUNK_BYTES, total), total)
    _check(cancelled)
    out.write(digest.digest())


def read_header(path: Path) -> Header:
    """The header and metadata alone, without the passphrase (they are not secret)."""
    try:
        with path.open("rb") as source:
            return _parse_header(source, path)
    except FileNotFoundError:
        raise UserError(f"{path} does not exist.") from None
    except IsADirectoryError:
        raise UserError(f"{path} is a folder, not a backup file.") from None
    except PermissionError:
        raise UserError(f"{path} cannot be read; check you may open it.") from None


def _parse_header(source: BinaryIO, path: Path) -> Header:
    fixed = source.read(_FIXED.size)
    if len(fixed) < len(MAGIC) or not fixed.startswith(MAGIC):
        raise UserError(f"{path.name} is not a Branchbook backup.")
    if len(fixed) < _FIXED.size:
        raise BackupDamaged(f"{path.name} is damaged: it ends inside its header.")
    magic, version, mode, log2_n, r, p, salt, nonce, meta_len, size = _FIXED.unpack(fixed)
    del magic
    if version > FORMAT_VERSION:
        raise UserError(
            f"{path.name} was made by a newer Branchbook; install the newer version to restore it."
        )
    if (
        mode not in (MODE_PLAIN, MODE_SCRYPT_AES_GCM)
        or meta_len > MAX_METADATA_BYTES
        or not 1 <= log2_n <= MAX_SCRYPT_LOG2_N
    ):
        raise BackupDamaged(f"{path.name} is damaged: its header makes no sense.")
    meta = source.read(meta_len)
    try:
        metadata = json.loads(meta.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise BackupDamaged(f"{path.name} is damaged: its description cannot be read.") from None
    if not isinstance(metadata, dict):
        raise BackupDamaged(f"{path.name} is damaged: its description cannot be read.")
    return Header(
        version=version,
        encrypted=mode == MODE_SCRYPT_AES_GCM,
        log2_n=log2_n,
        r=r,
        p=p,
        salt=salt,
        nonce=nonce,
        payload_size=size,
        metadata=metadata,
        raw=fixed + meta,
    )


def read_sealed(
    path: Path,
    passphrase: str | None,
    progress: Progress | None = None,
    cancelled: Cancel | None = None,
) -> tuple[Header, bytes | bytearray]:
    """The header and the database image, checked: a wrong passphrase or any changed byte
    is one sentence, and no unchecked byte is handed back."""
    header = read_header(path)
    data = path.read_bytes()
    trailer_bytes = TAG_BYTES if header.encrypted else DIGEST_BYTES
    if len(data) < header.size + header.payload_size + trailer_bytes:
        raise BackupDamaged(f"{path.name} is damaged: it is cut short.")
    if len(data) > header.size + header.payload_size + trailer_bytes:
        raise BackupDamaged(f"{path.name} is damaged: it has bytes added at its end.")
    payload = memoryview(data)[header.size : len(data) - trailer_bytes]
    trailer = data[len(data) - trailer_bytes :]
    total = len(payload)
    if not header.encrypted:
        digest = hashlib.sha256(header.raw)
        for start in range(0, total, CHUNK_BYTES):
            _check(cancelled)
            digest.update(payload[start : start + CHUNK_BYTES])
            if progress is not None:
                progress(min(start + CHUNK_BYTES, total), total)
        if digest.digest() != trailer:
            raise BackupDamaged(f"{path.name} is damaged: its contents do not match its checksum.")
        return header, bytes(payload)
    if passphrase is None:
        raise WrongPassphrase(f"{path.name} is encrypted: give the passphrase it was made with.")
    if header.r != SCRYPT_R or header.p != SCRYPT_P:
        raise BackupDamaged(f"{path.name} is damaged: its header makes no sense.")
    key = derive_key(passphrase, header.salt, header.log2_n)
    decryptor = Cipher(algorithms.AES(key), modes.GCM(header.nonce, trailer)).decryptor()
    decryptor.authenticate_additional_data(header.raw)
    # Decrypted in place of a list of chunks joined later: one copy of the image, not two.
    image = bytearray(total + 15)  # update_into asks for a block's slack at the end
    written = 0
    for start in range(0, total, CHUNK_BYTES):
        _check(cancelled)
        chunk = payload[start : start + CHUNK_BYTES]
        written += decryptor.update_into(chunk, memoryview(image)[written:])
        if progress is not None:
            progress(min(start + CHUNK_BYTES, total), total)
    try:
        decryptor.finalize()
    except InvalidTag:
        raise WrongPassphrase(WRONG_PASSPHRASE) from None
    del image[written:]
    return header, image


def _encode_secret(secret: dict[str, Any]) -> bytes:
    text = json.dumps(secret, sort_keys=True).encode("utf-8")
    return _SECRET_LENGTH.pack(len(text)) + text


def split_secret(
    header: Header, payload: bytes | bytearray, name: str
) -> tuple[dict[str, Any], bytes | bytearray]:
    """The sealed secret part (empty before version 2) and the image after it.

    Only for a payload ``read_sealed`` has checked: its bytes are the ones that were sealed.
    """
    if header.version < 2:
        return {}, payload
    damaged = BackupDamaged(f"{name} is damaged: its sealed description cannot be read.")
    if len(payload) < _SECRET_LENGTH.size:
        raise damaged
    (length,) = _SECRET_LENGTH.unpack_from(payload)
    end = _SECRET_LENGTH.size + length
    if length > MAX_METADATA_BYTES or end > len(payload):
        raise damaged
    try:
        secret = json.loads(bytes(payload[_SECRET_LENGTH.size : end]).decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise damaged from None
    if not isinstance(secret, dict):
        raise damaged
    if isinstance(payload, bytearray):
        del payload[:end]  # in place: a 100 MB image is not copied to drop a few bytes
        return secret, payload
    return secret, payload[end:]


def _check(cancelled: Cancel | None) -> None:
    if cancelled is not None and cancelled():
        raise Cancelled()
