"""Opening a Branchbook database: where it lives, how its engine is set up, its sessions.

Every caller goes through ``open_database``; the backend (plain SQLite, SQLite encrypted
with SQLCipher, PostgreSQL) is chosen here from the URL, so no caller changes when a new
one is added: a backend is one entry in ``_BACKENDS``. An encrypted file's URL is
``sqlite+pysqlcipher`` with the ``PRAGMA key`` text as its password, as SQLAlchemy's own
SQLCipher dialect has it, so that whoever holds the URL (migrations, jobs) can reconnect;
URLs hide their password when printed, and ``describe`` shows only the path.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import platformdirs
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, OperationalError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import NullPool

from db.errors import DatabaseError, DatabaseLocked
from db.keys import Credentials
from db.schema import SCHEMA_HEAD, stored_revision

APP_NAME = "Branchbook"
DB_FILE_NAME = "branchbook.sqlite3"
ENV_VAR = "BRANCHBOOK_DB"
BUSY_TIMEOUT_MS = 5000
# SQLAlchemy's name for SQLite through SQLCipher; its dialect is not used (see below).
CIPHER_DRIVER = "pysqlcipher"


def default_path() -> Path:
    """The database file in the user's data folder (AppData on Windows)."""
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False)) / DB_FILE_NAME


def resolve_url(target: str | os.PathLike[str] | None = None) -> URL:
    """A URL from ``--db`` (a path or a URL), else BRANCHBOOK_DB, else the default file."""
    raw = os.fspath(target) if target is not None else os.environ.get(ENV_VAR) or None
    if raw is None:
        return _sqlite_url(default_path())
    if "://" in raw:
        try:
            return make_url(raw)
        except ArgumentError as exc:
            raise DatabaseError(f"'{raw}' is not a database path or URL.") from exc
    return _sqlite_url(Path(raw).expanduser())


def _sqlite_url(path: Path) -> URL:
    return URL.create("sqlite", database=str(path.resolve()))


def sqlite_path(url: URL) -> Path | None:
    """The file behind a SQLite URL, or None for a server database or ``:memory:``."""
    if url.get_backend_name() != "sqlite" or url.database in (None, "", ":memory:"):
        return None
    return Path(url.database)


def describe(url: URL) -> str:
    """Where the database is, for people: a file path, or a URL without its password."""
    path = sqlite_path(url)
    if path is not None:
        return str(path)
    return url.render_as_string(hide_password=True)


def _configure_sqlite(url: URL, *, foreign_keys: bool, pooled: bool) -> Engine:
    path = sqlite_path(url)
    if path is not None:
        if path.is_dir():
            raise DatabaseError(f"{path} is a folder, not a database file.")
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise DatabaseError(f"Cannot create the folder {path.parent}: {exc.strerror}.") from exc
    kwargs: dict[str, Any] = {"connect_args": {"timeout": BUSY_TIMEOUT_MS / 1000}}
    if not pooled:
        kwargs["poolclass"] = NullPool
    if url.get_driver_name() == CIPHER_DRIVER:
        # SQLAlchemy's pysqlcipher dialect would pool one connection per thread and key it
        # after the dialect's first queries; here each connection is keyed as it is made,
        # and the plain dialect drives sqlcipher3, whose API is sqlite3's.
        if path is None:
            raise DatabaseError("An encrypted database must be a file.")
        from db.encryption import cipher_module, connect_keyed

        literal = url.password
        assert isinstance(literal, str), "an encrypted URL carries its key as its password"
        keyed_path = path

        def _connect() -> Any:
            return connect_keyed(keyed_path, literal, timeout=BUSY_TIMEOUT_MS / 1000)

        kwargs = {"module": cipher_module(), "creator": _connect}
        if not pooled:
            kwargs["poolclass"] = NullPool
        url = URL.create("sqlite", database=url.database, query=url.query)
    engine = create_engine(url, **kwargs)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: object) -> None:
        # We issue BEGIN ourselves (below) so that DDL in migrations is transactional too;
        # the driver's own implicit transactions begin only before DML.
        dbapi_conn.isolation_level = None
        cursor = dbapi_conn.cursor()
        cursor.execute(f"PRAGMA foreign_keys = {'ON' if foreign_keys else 'OFF'}")
        cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        if path is not None:
            cursor.execute("PRAGMA journal_mode = WAL")
            # NORMAL is durable across application crashes in WAL mode; only a power cut
            # can lose the last commit, never corrupt the file.
            cursor.execute("PRAGMA synchronous = NORMAL")
        # Deleted and overwritten rows are zeroed, not left as free space in the file, so an
        # erased person or an old address cannot be read back from the raw bytes.
        cursor.execute("PRAGMA secure_delete = ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        conn.exec_driver_sql("BEGIN")

    return engine


def _configure_postgresql(url: URL, *, foreign_keys: bool, pooled: bool) -> Engine:
    # Foreign keys are always enforced on PostgreSQL; migrations there need no switch.
    del foreign_keys
    kwargs: dict[str, Any] = {"pool_pre_ping": True}
    if not pooled:
        kwargs["poolclass"] = NullPool
    return create_engine(url, **kwargs)


EngineFactory = Callable[..., Engine]
_BACKENDS: dict[str, EngineFactory] = {
    "sqlite": _configure_sqlite,
    "postgresql": _configure_postgresql,
}


def make_engine(url: URL, *, foreign_keys: bool = True, pooled: bool = True) -> Engine:
    backend = url.get_backend_name()
    factory = _BACKENDS.get(backend)
    if factory is None:
        raise DatabaseError(
            f"Branchbook cannot use a '{backend}' database; use a file path or a "
            "postgresql+psycopg:// URL."
        )
    return factory(url, foreign_keys=foreign_keys, pooled=pooled)


def explain_dbapi_error(exc: DBAPIError, url: URL) -> DatabaseError:
    """One sentence for the driver errors a user can cause by pointing at the wrong file."""
    where = describe(url)
    message = str(exc.orig).lower()
    if "locked" in message or "busy" in message:
        return DatabaseLocked(f"{where} is in use by another program; close it and try again.")
    if "not a database" in message or "encrypted" in message:
        return DatabaseError(f"{where} is not a Branchbook database (or it is encrypted).")
    if "unable to open" in message or "readonly" in message or "read-only" in message:
        return DatabaseError(
            f"{where} cannot be opened for writing; check the folder exists "
            "and you may write to it."
        )
    if "disk" in message and "full" in message:
        return DatabaseError(f"The disk holding {where} is full.")
    return DatabaseError(f"{where} could not be used: {exc.orig}.")


@dataclass
class Database:
    """An open database: its URL, its engine, and a way to get sessions."""

    url: URL
    engine: Engine
    actor: str
    # Set only when this open created an encrypted database: shown once, then forgotten.
    recovery_key: str | None = None

    def __post_init__(self) -> None:
        from db.audit import AuditedSession

        self._sessions = sessionmaker(
            bind=self.engine, class_=AuditedSession, expire_on_commit=False
        )

    @property
    def location(self) -> str:
        return describe(self.url)

    @property
    def path(self) -> Path | None:
        return sqlite_path(self.url)

    @property
    def encrypted(self) -> bool:
        return self.url.get_driver_name() == CIPHER_DRIVER

    def new_session(self) -> Session:
        session = self._sessions()
        session.info["actor"] = self.actor
        return session

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A unit of work: commits if the block finishes, rolls everything back if it raises."""
        session = self.new_session()
        try:
            yield session
            session.commit()
        except OperationalError as exc:
            # Locked, full or unreadable: the user can act on it. An IntegrityError is not
            # caught here: the core checks before writing, so one reaching here is a bug.
            session.rollback()
            raise explain_dbapi_error(exc, self.url) from exc
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()

    def data_version_probe(self) -> Any | None:
        """A driver connection of its own to this SQLite file, outside the pool, for asking
        ``PRAGMA data_version``: its answer moves when any other connection commits. None
        for a server database or one in memory (callers then assume something changed)."""
        path = sqlite_path(self.url)
        if path is None:
            return None
        timeout = BUSY_TIMEOUT_MS / 1000
        if self.encrypted:
            from db.encryption import connect_keyed

            assert isinstance(self.url.password, str), "an encrypted URL carries its key"
            return connect_keyed(path, self.url.password, timeout=timeout)
        import sqlite3

        return sqlite3.connect(path, timeout=timeout, check_same_thread=False)

    def close(self) -> None:
        self.engine.dispose()


def default_actor() -> str:
    try:
        import getpass

        return getpass.getuser()
    except (ImportError, KeyError, OSError):
        return "unknown"


def open_database(
    target: str | os.PathLike[str] | None = None,
    *,
    upgrade: bool = True,
    actor: str | None = None,
    credentials: Credentials | None = None,
    encrypt_new: bool = False,
) -> Database:
    """Open (creating if need be) and bring the schema up to date, after a backup copy.

    An encrypted file is unlocked with ``credentials``, else BRANCHBOOK_PASSPHRASE, else
    the credential store (``KeyNeeded`` if none has its key); a plain file opens as it is,
    whatever credentials are given. A new file is encrypted when credentials are given or
    ``encrypt_new`` asks for it (the window's first run); otherwise it is plain SQLite.
    """
    url = resolve_url(target)
    url, recovery_key = _with_key(url, credentials, encrypt_new=encrypt_new)
    engine = make_engine(url)
    database = Database(
        url=url, engine=engine, actor=actor or default_actor(), recovery_key=recovery_key
    )
    if upgrade:
        try:
            if _stored_revision(database) != SCHEMA_HEAD:
                from db.migrate import upgrade_database

                upgrade_database(database)
        except BaseException:
            engine.dispose()
            raise
    return database


def _stored_revision(database: Database) -> str | None:
    try:
        with database.engine.connect() as connection:
            return stored_revision(connection)
    except DBAPIError as exc:
        raise explain_dbapi_error(exc, database.url) from exc


def _with_key(
    url: URL, credentials: Credentials | None, *, encrypt_new: bool
) -> tuple[URL, str | None]:
    """The URL that opens an encrypted file (or will create one), and a new recovery key."""
    path = sqlite_path(url)
    if path is None or url.get_driver_name() == CIPHER_DRIVER:
        return url, None
    from db import encryption

    if encryption.is_encrypted(path):
        literal = encryption.unlock(path, credentials)
        return url.set(drivername=f"sqlite+{CIPHER_DRIVER}", password=literal), None
    given = credentials is not None and (
        credentials.passphrase is not None or credentials.key is not None
    )
    if (given or encrypt_new) and encryption.is_new(path):
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise DatabaseError(f"Cannot create the folder {path.parent}: {exc.strerror}.") from exc
        new_key = encryption.create_key(path, credentials, use_keyring=encrypt_new)
        url = url.set(drivername=f"sqlite+{CIPHER_DRIVER}", password=new_key.literal)
        return url, new_key.recovery_key
    return url, None
