"""Territory: regions, field offices, blocks, doors and the people behind them."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from shapely.geometry.base import BaseGeometry
from sqlalchemy import JSON, Boolean, DateTime, Float, ForeignKey, Index, Integer, String, UniqueConstraint, false, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ._base import utcnow
from .types import WKBGeometry


class Region(db.Model):
    """A group of field offices that one lead compares."""
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    offices: Mapped[list[Office]] = relationship(back_populates="region", order_by="Office.name")


class Office(db.Model):
    """A field office: it owns its blocks, doors and turfs."""
    id: Mapped[int] = mapped_column(primary_key=True)
    region_id: Mapped[int] = mapped_column(ForeignKey("region.id"), index=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    address: Mapped[str | None] = mapped_column(String(255))
    lat: Mapped[float | None] = mapped_column(Float)
    lon: Mapped[float | None] = mapped_column(Float)
    # The office's clock (an IANA name, domain.time_zones): its days and the times its pages show.
    # Set from its location when it gets one; None until then, which counts as UTC.
    time_zone: Mapped[str | None] = mapped_column(String(64))
    # Per-office preferences (follow-up due days, issue keywords, ...).
    settings: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    region: Mapped[Region] = relationship(back_populates="offices")


class Block(db.Model):
    """The smallest unit of territory: a census block or a street-bounded city block."""
    __table_args__ = (
        UniqueConstraint("office_id", "source_id"),
        # Covering indexes (issue 18): a statewide office's door and turf totals, extent and viewport
        # queries read these instead of every block row with its shapes.
        Index("ix_block_office_turf_doors", "office_id", "turf_id", "door_count", "divided"),
        Index("ix_block_office_place", "office_id", "centroid_lon", "centroid_lat", "min_lon", "min_lat",
              "max_lon", "max_lat", "door_count", "turf_id", "divided"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    office_id: Mapped[int] = mapped_column(ForeignKey("office.id"), index=True)
    source_id: Mapped[str] = mapped_column(String(64))
    geometry: Mapped[BaseGeometry] = mapped_column(WKBGeometry)
    # What maps draw: the shape simplified once at import (domain/display.py), with a vertex budget, so
    # no page's time or size follows one block's detail. Empty for blocks stored before it existed.
    display_outline: Mapped[BaseGeometry | None] = mapped_column(WKBGeometry, nullable=True)
    centroid_lat: Mapped[float] = mapped_column(Float)
    centroid_lon: Mapped[float] = mapped_column(Float)
    min_lon: Mapped[float] = mapped_column(Float)
    min_lat: Mapped[float] = mapped_column(Float)
    max_lon: Mapped[float] = mapped_column(Float)
    max_lat: Mapped[float] = mapped_column(Float)
    housing_units: Mapped[int | None] = mapped_column(Integer)  # as the source counts them
    door_count: Mapped[int] = mapped_column(Integer, default=0)  # doors we hold in this block
    turf_id: Mapped[int | None] = mapped_column(ForeignKey("turf.id", ondelete="SET NULL"), index=True)
    # Divided between turfs door by door (TurfDoor rows of block turfs): never handed out whole,
    # so turf_id stays empty while it is divided.
    divided: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())


class Door(db.Model):
    """A household address inside one block."""
    __table_args__ = (
        UniqueConstraint("office_id", "source_id"),
        Index("ix_door_office_street", "office_id", "street", "house_number"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # Denormalised from the block so that scoping and dashboards group without a join. No index of its own:
    # the two above lead with it (one index fewer to update per door of a statewide import).
    office_id: Mapped[int] = mapped_column(ForeignKey("office.id"))
    block_id: Mapped[int] = mapped_column(ForeignKey("block.id"), index=True)
    source_id: Mapped[str] = mapped_column(String(64))
    name: Mapped[str | None] = mapped_column(String(200))  # a business or building name, if any
    street: Mapped[str] = mapped_column(String(200))
    house_number: Mapped[str] = mapped_column(String(32))
    unit: Mapped[str | None] = mapped_column(String(32))
    city: Mapped[str | None] = mapped_column(String(120))
    postcode: Mapped[str | None] = mapped_column(String(16))
    lat: Mapped[float] = mapped_column(Float)
    lon: Mapped[float] = mapped_column(Float)
    # Off every walk list: "hostile" (outcome) or "request" (the household asked); None: knock as usual.
    do_not_contact: Mapped[str | None] = mapped_column(String(16))
    do_not_contact_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # A residential building with no address in OpenStreetMap: its street is the nearest one, no house number.
    unaddressed: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    # How a door from an address-only row got its point (domain/placement.py): "matched" (a door we held
    # at that address) or "interpolated" (along the street side); None: the row came with coordinates.
    placed_by: Mapped[str | None] = mapped_column(String(16))

    people: Mapped[list[Person]] = relationship(back_populates="door", order_by="Person.id")

    @property
    def address(self) -> str:
        """One line a canvasser reads: 'Mannerheimintie 5 B 12', or 'near Kauppalankatu' for a building
        without an address."""
        if self.unaddressed:
            return f"near {self.street}" + (f" ({self.name})" if self.name else "")
        text = f"{self.street} {self.house_number}".strip()
        return f"{text} {self.unit}" if self.unit else text


class Person(db.Model):
    """Someone who lives at a door (a voter-file or customer-list row, or added at the door)."""
    # The three columns only people added at the door fill are indexed where they are filled: a statewide
    # voter file's millions of imported people (all NULL there) then update two indexes, not five.
    __table_args__ = (
        Index("uq_person_added_id", "added_id", unique=True, postgresql_where=text("added_id IS NOT NULL"),
              sqlite_where=text("added_id IS NOT NULL")),
        Index("ix_person_added_by_id", "added_by_id", postgresql_where=text("added_by_id IS NOT NULL"),
              sqlite_where=text("added_by_id IS NOT NULL")),
        Index("ix_person_merged_into_id", "merged_into_id", postgresql_where=text("merged_into_id IS NOT NULL"),
              sqlite_where=text("merged_into_id IS NOT NULL")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    door_id: Mapped[int] = mapped_column(ForeignKey("door.id"), index=True)
    source_id: Mapped[str | None] = mapped_column(String(64), index=True)
    first_name: Mapped[str | None] = mapped_column(String(80))
    last_name: Mapped[str | None] = mapped_column(String(80))
    age: Mapped[int | None] = mapped_column(Integer)
    birth_year: Mapped[int | None] = mapped_column(Integer)  # from the voter file, when it has one
    phone: Mapped[str | None] = mapped_column(String(40))
    email: Mapped[str | None] = mapped_column(String(254))
    # "active", or gone from walk lists: "moved", "deceased", "do_not_contact" (domain.consequences)
    status: Mapped[str] = mapped_column(String(16), default="active", server_default="active")
    status_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # Preferred language, an ISO 639 code ("fi", "sv", "es"; domain.languages), from the import or the door.
    language: Mapped[str | None] = mapped_column(String(8))
    # When they agreed, at the door, to be contacted by phone / e-mail (None: no consent recorded).
    consent_phone_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    consent_email_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # A person added at the door: the UUID the phone made (a repeated sync never adds them twice),
    # who added them and with which contact. None for imported people.
    added_id: Mapped[str | None] = mapped_column(String(36))
    added_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    added_contact_id: Mapped[str | None] = mapped_column(String(36))
    # Merged by an organizer into an imported person (status "merged"): that person now stands for them.
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"))
    # The import's extra columns, kept as they came ({"ward": "7", "party": "Green"}): a universe filters on them.
    tags: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    voted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))  # when we learnt they voted

    door: Mapped[Door] = relationship(back_populates="people")

    @property
    def full_name(self) -> str:
        return " ".join(part for part in (self.first_name, self.last_name) if part) or "Resident"


class PersonChange(db.Model):
    """A person added, corrected, marked gone or merged: append-only, like the contact ledger.

    ``before`` and ``after`` hold the fields that changed (all of them for an addition), so the person's
    original details always stay readable here, whatever the Person row says now.
    """
    __table_args__ = (Index("ix_person_change_office_time", "office_id", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    office_id: Mapped[int] = mapped_column(ForeignKey("office.id"))
    door_id: Mapped[int] = mapped_column(ForeignKey("door.id"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    kind: Mapped[str] = mapped_column(String(12))  # added, corrected, status, merged (domain.people.KINDS)
    contact_id: Mapped[str | None] = mapped_column(String(36), index=True)  # the knock it came with, if any
    by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"), index=True)
    before: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    after: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))  # on the phone's clock, or the server's
    received_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class BuildingNote(db.Model):
    """What every volunteer should know before entering a building: door code, doorman, elevator."""
    __table_args__ = (UniqueConstraint("office_id", "building_key", name="uq_building_note_office_building"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    office_id: Mapped[int] = mapped_column(ForeignKey("office.id"))
    building_key: Mapped[str] = mapped_column(String(240))  # domain.buildings.building_key
    note: Mapped[str] = mapped_column(String(1000))
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"), index=True)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
