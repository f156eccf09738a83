"""Free labels on people: "has a car", "Welsh speaker", "can host a street stall".

A label is one tag whatever its case: tagging someone "welsh speaker" when "Welsh speaker"
exists reuses it, so the branch never ends up with two half-lists of its Welsh speakers.
Branches keep a few dozen labels, so matching them in Python (with full Unicode case
folding, which SQLite's ``lower()`` lacks) reads one small table.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from db.activities import check_people_exist
from db.bulk import chunked
from db.errors import Conflict, NotFound, UserError
from db.meetings import Edited
from db.models import Person, PersonTag, Tag

__all__ = [
    "DeletedTag",
    "TagRow",
    "Tagged",
    "add_tag",
    "delete_tag",
    "forget_tag",
    "list_tags",
    "people_with_tag",
    "person_tags",
    "rename_tag",
    "restore_tag",
    "tag_people",
    "untag_people",
]

_MAX_LABEL = 80


@dataclass(frozen=True)
class TagRow:
    id: int
    name: str
    people: int


@dataclass(frozen=True)
class Tagged:
    """What tagging or untagging did: the tag, and which of the people asked for changed."""

    tag_id: int
    name: str
    changed: tuple[int, ...]  # tagged (or untagged) now
    unchanged: tuple[int, ...]  # had it already (or never had it): nothing written
    created: bool = False  # the label was new, and the tag was made for it


@dataclass(frozen=True)
class DeletedTag:
    """A tag as it was before it was deleted: what ``restore_tag`` puts back."""

    id: int
    name: str
    person_ids: tuple[int, ...]


def tag_people(session: Session, label: str, person_ids: Iterable[int]) -> Tagged:
    """Give each person the tag ``label``, made when no tag of that name (any case) exists."""
    name = _label(label)
    people = list(dict.fromkeys(person_ids))
    if not people:
        raise UserError("Name at least one person to tag.")
    check_people_exist(session, people)
    tag = _find(session, name)
    created = tag is None
    if tag is None:
        tag = Tag(name=name)
        session.add(tag)
        session.flush()
    had = _holders(session, tag.id, people)
    added = tuple(pid for pid in people if pid not in had)
    session.add_all(PersonTag(person_id=pid, tag_id=tag.id) for pid in added)
    session.flush()
    return Tagged(tag.id, tag.name, added, tuple(pid for pid in people if pid in had), created)


def untag_people(session: Session, label: str, person_ids: Iterable[int]) -> Tagged:
    """Take the tag ``label`` off each person; the tag stays, for the next person."""
    tag = _existing(session, label)
    people = list(dict.fromkeys(person_ids))
    if not people:
        raise UserError("Name at least one person to untag.")
    check_people_exist(session, people)
    rows = {
        row.person_id: row
        for chunk in chunked(sorted(people))
        for row in session.scalars(
            select(PersonTag).where(PersonTag.tag_id == tag.id, PersonTag.person_id.in_(chunk))
        )
    }
    for row in rows.values():
        session.delete(row)
    session.flush()
    removed = tuple(pid for pid in people if pid in rows)
    return Tagged(tag.id, tag.name, removed, tuple(pid for pid in people if pid not in rows))


def list_tags(session: Session) -> list[TagRow]:
    """Every tag with how many people have it, alphabetical."""
    rows = session.execute(
        select(Tag.id, Tag.name, func.count(PersonTag.person_id))
        .outerjoin(PersonTag, PersonTag.tag_id == Tag.id)
        .group_by(Tag.id, Tag.name)
    )
    found = [TagRow(tid, name, int(count)) for tid, name, count in rows]
    return sorted(found, key=lambda row: (row.name.casefold(), row.id))


def people_with_tag(session: Session, label: str) -> list[int]:
    """The ids of everyone with the tag, in the order of the people list."""
    tag = _existing(session, label)
    return list(
        session.scalars(
            select(Person.id)
            .join(PersonTag, PersonTag.person_id == Person.id)
            .where(PersonTag.tag_id == tag.id)
            .order_by(Person.sort_key, Person.id)
        )
    )


def person_tags(session: Session, person_id: int) -> list[str]:
    names = list(
        session.scalars(
            select(Tag.name)
            .join(PersonTag, PersonTag.tag_id == Tag.id)
            .where(PersonTag.person_id == person_id)
        )
    )
    if not names and session.get(Person, person_id) is None:
        raise NotFound(f"There is no person with id {person_id}.")
    return sorted(names, key=str.casefold)


def rename_tag(session: Session, label: str, new_label: str) -> Edited:
    """Call the tag something else; everyone keeps it. A change of case alone is allowed."""
    tag = _existing(session, label)
    name = _label(new_label)
    other = _find(session, name)
    if other is not None and other.id != tag.id:
        raise Conflict(f"There is already a tag '{other.name}'.")
    if tag.name == name:
        return Edited(tag.id, ())
    tag.name = name
    session.flush()
    return Edited(tag.id, ("name",))


def delete_tag(session: Session, label: str) -> int:
    """Remove the tag from everyone and forget it; how many people had it."""
    return len(forget_tag(session, label).person_ids)


def forget_tag(session: Session, label: str, *, unused_only: bool = False) -> DeletedTag:
    """Delete the tag as ``delete_tag`` does, saying what it was (for ``restore_tag``).

    ``unused_only`` refuses while anyone carries it: the undo of making a tag must not
    take it off people someone has given it to since."""
    tag = _existing(session, label)
    # Row by row through the ORM, not the foreign key's cascade: each untagging is audited.
    rows = list(session.scalars(select(PersonTag).where(PersonTag.tag_id == tag.id)))
    if unused_only and rows:
        count = f"{len(rows)} {'person has' if len(rows) == 1 else 'people have'}"
        raise Conflict(f"{count} the tag '{tag.name}' now, so it was kept.")
    deleted = DeletedTag(tag.id, tag.name, tuple(sorted(row.person_id for row in rows)))
    for row in rows:
        session.delete(row)
    session.flush()
    session.delete(tag)
    session.flush()
    return deleted


def restore_tag(session: Session, tag_id: int, name: str, person_ids: Iterable[int]) -> None:
    """Put back a deleted tag (``forget_tag``'s report): the same id, name and people."""
    label = _label(name)
    if session.get(Tag, tag_id) is not None:
        raise Conflict(f"The tag '{label}' cannot be put back: its number is in use.")
    other = _find(session, label)
    if other is not None:
        raise Conflict(f"There is already a tag '{other.name}'.")
    people = list(dict.fromkeys(person_ids))
    check_people_exist(session, people)
    session.add(Tag(id=tag_id, name=label))
    session.flush()
    session.add_all(PersonTag(person_id=pid, tag_id=tag_id) for pid in people)
    session.flush()


def _label(text: str) -> str:
    name = " ".join(text.split())
    if not name:
        raise UserError("A tag needs a label.")
    if len(name) > _MAX_LABEL:
        raise UserError(f"A tag's label is at most {_MAX_LABEL} characters.")
    return name


def _find(session: Session, name: str) -> Tag | None:
    wanted = name.casefold()
    for tag in session.scalars(select(Tag)):
        if tag.name.casefold() == wanted:
            return tag
    return None


def _existing(session: Session, label: str) -> Tag:
    name = " ".join(label.split())
    tag = _find(session, name)
    if tag is None:
        raise NotFound(f"There is no tag '{name}'.")
    return tag


def _holders(session: Session, tag_id: int, people: list[int]) -> set[int]:
    found: set[int] = set()
    for chunk in chunked(sorted(people)):
        found.update(
            session.scalars(
                select(PersonTag.person_id).where(
                    PersonTag.tag_id == tag_id, PersonTag.person_id.in_(chunk)
                )
            )
        )
    return found


def add_tag(session: Session, label: str) -> int:
    """A new tag nobody carries yet (the Tags window's "New tag…", set up before the first
    form comes back); its id. A tag of that name in any case is refused."""
    name = _label(label)
    existing = _find(session, name)
    if existing is not None:
        raise Conflict(f"There is already a tag '{existing.name}'.")
    tag = Tag(name=name)
    session.add(tag)
    session.flush()
    return tag.id
