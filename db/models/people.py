"""People, the households they share, and how to reach them."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from db.models.base import Base, Timestamped, Versioned, allowed, utcnow
from db.models.vocabulary import (
    CHANNELS,
    DETAIL_GROUPS,
    EMAIL_KINDS,
    PERSON_STATUSES,
    PHONE_KINDS,
    VERIFICATION_SOURCES,
)


class Ward(Versioned, Base):
    __tablename__ = "ward"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    code: Mapped[str | None] = mapped_column(String(20), unique=True)

    polling_districts: Mapped[list[PollingDistrict]] = relationship(back_populates="ward")


class PollingDistrict(Versioned, Base):
    __tablename__ = "polling_district"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(20), unique=True)
    name: Mapped[str | None] = mapped_column(String(120))
    ward_id: Mapped[int | None] = mapped_column(ForeignKey("ward.id", ondelete="SET NULL"))

    ward: Mapped[Ward | None] = relationship(back_populates="polling_districts")


class Household(Versioned, Timestamped, Base):
    """An address and the people who share it; the postcode is stored normalised."""

    __tablename__ = "household"

    id: Mapped[int] = mapped_column(primary_key=True)
    line1: Mapped[str] = mapped_column(String(200), default="")
    line2: Mapped[str | None] = mapped_column(String(200))
    line3: Mapped[str | None] = mapped_column(String(200))
    town: Mapped[str | None] = mapped_column(String(120))
    county: Mapped[str | None] = mapped_column(String(120))
    postcode: Mapped[str | None] = mapped_column(String(10), index=True)
    ward_id: Mapped[int | None] = mapped_column(
        ForeignKey("ward.id", ondelete="SET NULL"), index=True
    )
    polling_district_id: Mapped[int | None] = mapped_column(
        ForeignKey("polling_district.id", ondelete="SET NULL"), index=True
    )

    ward: Mapped[Ward | None] = relationship()
    polling_district: Mapped[PollingDistrict | None] = relationship()
    people: Mapped[list[Person]] = relationship(back_populates="household")


class Person(Versioned, Timestamped, Base):
    __tablename__ = "person"
    __table_args__ = (
        CheckConstraint(allowed("status", PERSON_STATUSES), name="status"),
        CheckConstraint(
            "lapsed_on IS NULL OR joined_on IS NULL OR lapsed_on >= joined_on",
            name="lapsed_after_joined",
        ),
        Index("ix_person_sort", "sort_key", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str | None] = mapped_column(String(40))
    first_name: Mapped[str] = mapped_column(String(120), default="")
    middle_names: Mapped[str | None] = mapped_column(String(200))
    last_name: Mapped[str] = mapped_column(String(120), default="")
    preferred_name: Mapped[str | None] = mapped_column(String(120))
    date_of_birth: Mapped[dt.date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(20), default="contact", index=True)
    # Text, never a number: national lists use leading zeros ("0805914").
    membership_number: Mapped[str | None] = mapped_column(String(40), unique=True)
    membership_type: Mapped[str | None] = mapped_column(String(60))
    joined_on: Mapped[dt.date | None] = mapped_column(Date)
    lapsed_on: Mapped[dt.date | None] = mapped_column(Date)
    household_id: Mapped[int | None] = mapped_column(
        ForeignKey("household.id", ondelete="SET NULL"), index=True
    )
    follow_up: Mapped[bool] = mapped_column(Boolean, default=False)
    notes: Mapped[str | None] = mapped_column(Text)
    # Folded forms kept by db.search: ordering and accent-blind lookup without per-row Python.
    sort_key: Mapped[str] = mapped_column(String(300), default="")
    search_text: Mapped[str] = mapped_column(Text, default="")

    household: Mapped[Household | None] = relationship(back_populates="people")
    emails: Mapped[list[EmailAddress]] = relationship(
        back_populates="person", cascade="all, delete-orphan", order_by="EmailAddress.id"
    )
    phones: Mapped[list[PhoneNumber]] = relationship(
        back_populates="person", cascade="all, delete-orphan", order_by="PhoneNumber.id"
    )
    contact_preferences: Mapped[list[ContactPreference]] = relationship(
        back_populates="person", cascade="all, delete-orphan"
    )

    @property
    def full_name(self) -> str:
        parts = [self.first_name, self.middle_names or "", self.last_name]
        return " ".join(p for p in parts if p).strip()


class EmailAddress(Versioned, Base):
    __tablename__ = "email_address"
    __table_args__ = (
        CheckConstraint(allowed("kind", EMAIL_KINDS), name="kind"),
        UniqueConstraint("person_id", "address"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), index=True)
    address: Mapped[str] = mapped_column(String(254), index=True)
    kind: Mapped[str] = mapped_column(String(10), default="home")
    is_primary: Mapped[bool] = mapped_column(Boolean, default=False)

    person: Mapped[Person] = relationship(back_populates="emails")


class PhoneNumber(Versioned, Base):
    __tablename__ = "phone_number"
    __table_args__ = (
        CheckConstraint(allowed("kind", PHONE_KINDS), name="kind"),
        UniqueConstraint("person_id", "number"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), index=True)
    number: Mapped[str] = mapped_column(String(40))
    kind: Mapped[str] = mapped_column(String(10), default="mobile")
    is_primary: Mapped[bool] = mapped_column(Boolean, default=False)

    person: Mapped[Person] = relationship(back_populates="phones")


class ContactPreference(Versioned, Base):
    """Whether a channel may be used for this person, and when and how that was recorded."""

    __tablename__ = "contact_preference"
    __table_args__ = (
        CheckConstraint(allowed("channel", CHANNELS), name="channel"),
        UniqueConstraint("person_id", "channel"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"))
    channel: Mapped[str] = mapped_column(String(10))
    allowed: Mapped[bool] = mapped_column(Boolean)
    recorded_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    how: Mapped[str | None] = mapped_column(String(200))

    person: Mapped[Person] = relationship(back_populates="contact_preferences")


class DetailVerification(Base):
    """One confirmation that a group of a person's details was right, kept as history."""

    __tablename__ = "detail_verification"
    __table_args__ = (
        CheckConstraint(allowed("detail", DETAIL_GROUPS), name="detail"),
        CheckConstraint(allowed("source", VERIFICATION_SOURCES), name="source"),
        Index("ix_detail_verification_person_detail", "person_id", "detail", "verified_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"))
    detail: Mapped[str] = mapped_column(String(20))
    verified_on: Mapped[dt.date] = mapped_column(Date)
    source: Mapped[str] = mapped_column(String(20))
    note: Mapped[str | None] = mapped_column(String(200))


class Tag(Versioned, Base):
    __tablename__ = "tag"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(80), unique=True)


class PersonTag(Base):
    __tablename__ = "person_tag"

    person_id: Mapped[int] = mapped_column(
        ForeignKey("person.id", ondelete="CASCADE"), primary_key=True
    )
    tag_id: Mapped[int] = mapped_column(
        ForeignKey("tag.id", ondelete="CASCADE"), primary_key=True, index=True
    )


class CustomFieldValue(Versioned, Base):
    """A column from an imported list that has no home in the model, kept rather than lost."""

    __tablename__ = "custom_field_value"
    __table_args__ = (UniqueConstraint("person_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(120))
    value: Mapped[str | None] = mapped_column(Text)


__all__ = [
    "ContactPreference",
    "CustomFieldValue",
    "DetailVerification",
    "EmailAddress",
    "Household",
    "Person",
    "PersonTag",
    "PhoneNumber",
    "PollingDistrict",
    "Tag",
    "Ward",
]
