"""Person search: an FTS5 index over person.search_text, kept current by triggers.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-27

SQLite only: other databases match search_text with LIKE (see db.search). The index is an
external-content table, so it stores no second copy of anyone's details.
"""

from __future__ import annotations

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    op.execute(
        "CREATE VIRTUAL TABLE person_fts USING fts5("
        "search_text, content='person', content_rowid='id', "
        "tokenize='unicode61 remove_diacritics 2', prefix='1 2 3')"
    )
    op.execute(
        "CREATE TRIGGER person_fts_after_insert AFTER INSERT ON person BEGIN "
        "INSERT INTO person_fts(rowid, search_text) VALUES (new.id, new.search_text); END"
    )
    op.execute(
        "CREATE TRIGGER person_fts_after_delete AFTER DELETE ON person BEGIN "
        "INSERT INTO person_fts(person_fts, rowid, search_text) "
        "VALUES ('delete', old.id, old.search_text); END"
    )
    op.execute(
        "CREATE TRIGGER person_fts_after_update AFTER UPDATE OF search_text ON person BEGIN "
        "INSERT INTO person_fts(person_fts, rowid, search_text) "
        "VALUES ('delete', old.id, old.search_text); "
        "INSERT INTO person_fts(rowid, search_text) VALUES (new.id, new.search_text); END"
    )
    # People already present before this revision get indexed too.
    op.execute("INSERT INTO person_fts(person_fts) VALUES ('rebuild')")


def downgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    for trigger in ("insert", "delete", "update"):
        op.execute(f"DROP TRIGGER IF EXISTS person_fts_after_{trigger}")
    op.execute("DROP TABLE IF EXISTS person_fts")
