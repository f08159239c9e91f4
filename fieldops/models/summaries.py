"""Summaries kept beside the contact ledger so the dashboards read one row per door, not every knock.

They hold nothing the ledger does not: ``services.summaries`` rebuilds any of
them from the contacts (and office notes) whenever it is asked, and the sync
refreshes the rows of the doors it touched in the same transaction as the
contacts, so they never disagree with the ledger a reader can see.
"""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, DateTime, ForeignKey, Index, Integer, SmallInteger, text
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db


class DoorCanvass(db.Model):
    """One door in one canvass: how often we knocked, and whether anyone talked with us."""
    # Covers the dashboards' counts per office and per block (and so per turf) of one canvass; and the goals'
    # pacing, which reads only the doors first knocked since a day (the last 7 days), by office.
    __table_args__ = (Index("ix_door_canvass_counts", "canvass_id", "office_id", "block_id", "reached"),
                      Index("ix_door_canvass_first", "canvass_id", "first_at", "office_id"))

    door_id: Mapped[int] = mapped_column(ForeignKey("door.id", ondelete="CASCADE"), primary_key=True)
    canvass_id: Mapped[int] = mapped_column(ForeignKey("canvass.id", ondelete="CASCADE"), primary_key=True)
    office_id: Mapped[int] = mapped_column(ForeignKey("office.id"), index=True)
    block_id: Mapped[int] = mapped_column(ForeignKey("block.id"), index=True)  # the door's, copied: no join to count
    attempts: Mapped[int] = mapped_column(Integer)
    reached: Mapped[bool] = mapped_column(Boolean)
    first_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    last_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    last_reached_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class Household(db.Model):
    """A door's relationship so far, across every canvass: a row once anyone has knocked or noted."""
    __table_args__ = (Index("ix_household_depth", "office_id", "canvasses_reached"),)

    door_id: Mapped[int] = mapped_column(ForeignKey("door.id", ondelete="CASCADE"), primary_key=True)
    office_id: Mapped[int] = mapped_column(ForeignKey("office.id"), index=True)
    canvasses_reached: Mapped[int] = mapped_column(Integer, default=0)
    first_knocked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    last_knocked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # The last conversation: a knock where someone talked, or an office note (call, meeting).
    last_spoken_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class Supporter(db.Model):
    """A person (or, when the volunteer named nobody, the household) whose last support answer was 4 or 5."""
    # The region comparison counts each office's supporters not spoken with lately from this index alone.
    __table_args__ = (Index("ix_supporter_office_door", "office_id", "door_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    door_id: Mapped[int] = mapped_column(ForeignKey("door.id", ondelete="CASCADE"), index=True)
    person_id: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), index=True)
    office_id: Mapped[int] = mapped_column(ForeignKey("office.id"), index=True)
    support: Mapped[int] = mapped_column(SmallInteger)
    answered_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class LatestSupport(db.Model):
    """Each person's (or, when the volunteer named nobody, the household's) last support answer, whatever
    it was: what a target universe's support filter reads."""
    __table_args__ = (
        Index("ix_latest_support_office", "office_id", "support"),
        # Partial: most answers are a household's (no person), and counted with those NULLs a planner with
        # statistics (SQLite after ANALYZE or PRAGMA optimize) judged the index useless and read the whole
        # table for each person a universe looked at: minutes instead of half a second.
        Index("ix_latest_support_person_id", "person_id", postgresql_where=text("person_id IS NOT NULL"),
              sqlite_where=text("person_id IS NOT NULL")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    door_id: Mapped[int] = mapped_column(ForeignKey("door.id", ondelete="CASCADE"), index=True)
    person_id: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"))
    office_id: Mapped[int] = mapped_column(ForeignKey("office.id"))
    support: Mapped[int] = mapped_column(SmallInteger)
    answered_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class VolunteerDay(db.Model):
    """One volunteer's knocks and conversations on one day of one canvass, a day on the office's clock
    (``Office.time_zone``): the ranking and the chart."""
    # Per canvass, covering the goals' pacing: each office's conversations, all and since a day.
    __table_args__ = (Index("ix_volunteer_day_canvass", "canvass_id", "office_id", "day", "conversations"),)

    office_id: Mapped[int] = mapped_column(ForeignKey("office.id"), primary_key=True)
    canvass_id: Mapped[int] = mapped_column(ForeignKey("canvass.id", ondelete="CASCADE"), primary_key=True)
    volunteer_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"), primary_key=True, index=True)
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    knocks: Mapped[int] = mapped_column(Integer)
    conversations: Mapped[int] = mapped_column(Integer)
