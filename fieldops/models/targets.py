"""Targets: who a canvass is for (its universe, saved as its definition) and what an office must reach by when.

A universe is stored as the filter an organizer wrote, never as a list of people: it is evaluated
against what we hold each time (``services.universes``), so new answers, votes and imports move
people in and out. Pacing is computed from a goal and the summaries, never stored.
"""
from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Date, DateTime, ForeignKey, Index, Integer
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from ._base import utcnow


class Universe(db.Model):
    """A canvass's target: a filter over people and doors (``domain.universes`` checks its definition)."""
    canvass_id: Mapped[int] = mapped_column(ForeignKey("canvass.id", ondelete="CASCADE"), primary_key=True)
    definition: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"), index=True)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Goal(db.Model):
    """Doors to knock and conversations to have by a date, for a canvass and an office, or one of its turfs,
    volunteers or neighborhood teams (``turf_id`` / ``volunteer_id`` / ``team_id`` set: at most one)."""
    __table_args__ = (Index("ix_goal_canvass_office", "canvass_id", "office_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    canvass_id: Mapped[int] = mapped_column(ForeignKey("canvass.id", ondelete="CASCADE"))
    office_id: Mapped[int] = mapped_column(ForeignKey("office.id"), index=True)
    turf_id: Mapped[int | None] = mapped_column(ForeignKey("turf.id", ondelete="CASCADE"), index=True)
    volunteer_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"), index=True)
    team_id: Mapped[int | None] = mapped_column(ForeignKey("team.id", ondelete="CASCADE"), index=True)
    doors: Mapped[int] = mapped_column(Integer)
    conversations: Mapped[int] = mapped_column(Integer)
    due_date: Mapped[date] = mapped_column(Date)
    set_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"), index=True)
    set_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
