"""The cost of encryption at rest: the same search keystrokes and the same 100,000-row
import on a SQLCipher file beside a plain SQLite file, in the same run.

Everything is done on copies in a temporary folder: the shared files under bench/out/ are
read, never written (if they are missing, they are made in the temporary folder instead).
The encrypted copy is made by ``encrypt_database``, as a secretary's would be, and opened
with a passphrase through BRANCHBOOK_PASSPHRASE, as headless use does.
"""

from __future__ import annotations

import os
import random
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from bench import import_bench, search
from bench.common import AS_OF, OUT, PEOPLE, line, percentile
from db.keys import PASSPHRASE_ENV, Credentials

PASSPHRASE = "bench passphrase, not a secret"


@contextmanager
def _passphrase_in_environment() -> Iterator[None]:
    previous = os.environ.get(PASSPHRASE_ENV)
    os.environ[PASSPHRASE_ENV] = PASSPHRASE
    try:
        yield
    finally:
        if previous is None:
            os.environ.pop(PASSPHRASE_ENV, None)
        else:
            os.environ[PASSPHRASE_ENV] = previous


def _demo_copy(folder: Path, name: str) -> Path:
    """A copy of the 100,000-person demo branch, brought to this schema."""
    from db.database import open_database

    shared = OUT / f"demo-{PEOPLE}.sqlite3"
    copy = folder / name
    if shared.exists():
        shutil.copyfile(shared, copy)
    else:
        from db.demo import load_demo

        database = open_database(copy, actor="bench")
        try:
            load_demo(database, people=PEOPLE, seed=1, as_of=AS_OF)
        finally:
            database.close()
    open_database(copy, actor="bench").close()  # upgrade now, not inside a measurement
    return copy


def _member_list(folder: Path) -> Path:
    shared = OUT / f"members-{import_bench.ROWS}.xlsx"
    if shared.exists():
        return shared
    made = folder / shared.name
    people = import_bench._MemberList(import_bench.ROWS, random.Random(import_bench.SEED))
    import_bench._write_xlsx(made, people.rows())
    return made


def measure_search(folder: Path) -> tuple[list[float], list[float]]:
    """Keystroke-to-list samples (ms) on the plain copy and on the encrypted copy."""
    from db.encryption import encrypt_database

    plain = _demo_copy(folder, "search-plain.sqlite3")
    encrypted = shutil.copyfile(plain, folder / "search-encrypted.sqlite3")
    encrypt_database(encrypted, Credentials(passphrase=PASSPHRASE))
    plain_samples = search.measure_window(plain)
    with _passphrase_in_environment():
        encrypted_samples = search.measure_window(encrypted)
    return plain_samples, encrypted_samples


def measure_import(folder: Path) -> tuple[float, float]:
    """The import of the 100,000-row list (ms) into an empty plain and an empty encrypted
    database, one after the other."""
    from db.database import open_database

    members = _member_list(folder)
    plain = folder / "import-plain.sqlite3"
    plain_ms = import_bench.measure_import(members, plain).total
    encrypted = folder / "import-encrypted.sqlite3"
    open_database(encrypted, credentials=Credentials(passphrase=PASSPHRASE)).close()
    with _passphrase_in_environment():
        encrypted_ms = import_bench.measure_import(members, encrypted).total
    return plain_ms, encrypted_ms


def report() -> list[str]:
    """The bench's lines, as ``python -m bench`` prints them."""
    with tempfile.TemporaryDirectory(prefix="branchbook-encryption-bench-") as name:
        folder = Path(name)
        plain_keys, cipher_keys = measure_search(folder)
        plain_import, cipher_import = measure_import(folder)
    return [
        line(
            "SQLCipher: search keystroke, p50",
            percentile(cipher_keys, 0.5),
            "plain SQLite: search keystroke, p50",
            percentile(plain_keys, 0.5),
            goal="goal <= 1.3x",
        ),
        line(
            "SQLCipher: search keystroke, p99",
            percentile(cipher_keys, 0.99),
            "plain SQLite: search keystroke, p99",
            percentile(plain_keys, 0.99),
            goal="goal <= 1.3x",
        ),
        line(
            f"SQLCipher: import {import_bench.ROWS:,} rows (s)",
            cipher_import / 1000,
            f"plain SQLite: import {import_bench.ROWS:,} rows",
            plain_import / 1000,
            "s ",
            "goal <= 1.3x",
        ),
        f"({len(plain_keys)} keystrokes each; one import each, plain first)",
    ]


if __name__ == "__main__":
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    for text in report():
        print(text)
