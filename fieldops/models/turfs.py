"""Turfs: sets of whole blocks of one office (or, for a re-visit, a list of doors), and their history."""
from __future__ import annotations

from datetime import datetime

from shapely.geometry.base import BaseGeometry
from sqlalchemy import DateTime, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..domain.turf_states import TurfState
from ..extensions import db
from ._base import utcnow
from .types import WKBGeometry


class Turf(db.Model):
    """A walkable piece of one office's territory: whole blocks, and groups of doors of divided blocks."""
    id: Mapped[int] = mapped_column(primary_key=True)
    office_id: Mapped[int] = mapped_column(ForeignKey("office.id"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    state: Mapped[str] = mapped_column(String(16), default=TurfState.DRAFT.value, index=True)
    door_count: Mapped[int] = mapped_column(Integer, default=0)  # cached: services.turfs.door_total
    # What door_count counts: "doors" it holds, or "housing_units" of its blocks where no doors are imported.
    count_basis: Mapped[str] = mapped_column(String(16), default="doors", server_default="doors")
    outline: Mapped[BaseGeometry | None] = mapped_column(WKBGeometry)  # cached: its blocks and door groups
    # "blocks": whole blocks (Block.turf_id) and, for blocks divided between turfs, groups of their
    # doors (TurfDoor); "doors": a re-visit list of chosen doors (TurfDoor), which may overlap others.
    kind: Mapped[str] = mapped_column(String(8), default="blocks", server_default="blocks")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    history: Mapped[list[TurfEvent]] = relationship(order_by="TurfEvent.id", viewonly=True)


class TurfEvent(db.Model):
    """One change to a turf: a state transition or an edit. Never updated, only appended."""
    id: Mapped[int] = mapped_column(primary_key=True)
    turf_id: Mapped[int] = mapped_column(ForeignKey("turf.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"), index=True)
    action: Mapped[str] = mapped_column(String(32))  # "state", "rename", "blocks", ...
    from_state: Mapped[str | None] = mapped_column(String(16))
    to_state: Mapped[str | None] = mapped_column(String(16))
    detail: Mapped[str | None] = mapped_column(String(500))
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)


class TurfDoor(db.Model):
    """A door held one by one: on a re-visit turf (doors picked to see again), or, on a block turf,
    a door of a block divided between turfs (each such door is on exactly one block turf)."""
    turf_id: Mapped[int] = mapped_column(ForeignKey("turf.id", ondelete="CASCADE"), primary_key=True)
    door_id: Mapped[int] = mapped_column(ForeignKey("door.id", ondelete="CASCADE"), primary_key=True, index=True)
