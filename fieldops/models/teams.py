"""Volunteers as relationships: neighborhood teams, canvass shifts and their sign-ups, recruits met at the
door, and the one-on-one notes kept on a volunteer's own timeline."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, DateTime, Float, ForeignKey, Index, Integer, String, Text, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from ._base import utcnow


class Team(db.Model):
    """A neighborhood team of one office: the turfs it owns, its members and its leaders."""
    __table_args__ = (UniqueConstraint("office_id", "name", name="uq_team_office_name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    office_id: Mapped[int] = mapped_column(ForeignKey("office.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    # The organizer's choice: promises made at the team's doors are owed by its (first) leader.
    owns_promises: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class TeamTurf(db.Model):
    """A turf owned by a team: a turf belongs to one team at most."""
    turf_id: Mapped[int] = mapped_column(ForeignKey("turf.id", ondelete="CASCADE"), primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("team.id", ondelete="CASCADE"), index=True)


class TeamMember(db.Model):
    """A person on a team (one team each); ``leader`` for its team leaders."""
    user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id", ondelete="CASCADE"), primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("team.id", ondelete="CASCADE"), index=True)
    leader: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    joined_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Shift(db.Model):
    """A canvass launch: when, where volunteers gather (the staging place), how many, which turfs."""
    __table_args__ = (Index("ix_shift_office_start", "office_id", "starts_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    office_id: Mapped[int] = mapped_column(ForeignKey("office.id", ondelete="CASCADE"))
    canvass_id: Mapped[int] = mapped_column(ForeignKey("canvass.id"), index=True)
    team_id: Mapped[int | None] = mapped_column(ForeignKey("team.id", ondelete="SET NULL"), index=True)
    starts_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    ends_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    place: Mapped[str] = mapped_column(String(255))
    lat: Mapped[float | None] = mapped_column(Float)  # the staging point; None: the turfs' middle
    lon: Mapped[float | None] = mapped_column(Float)
    capacity: Mapped[int] = mapped_column(Integer)
    # The public sign-up link's secret: shared by the office, unguessable (not an id).
    token: Mapped[str] = mapped_column(String(40), unique=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class ShiftTurf(db.Model):
    """A turf a shift will walk."""
    shift_id: Mapped[int] = mapped_column(ForeignKey("shift.id", ondelete="CASCADE"), primary_key=True)
    turf_id: Mapped[int] = mapped_column(ForeignKey("turf.id", ondelete="CASCADE"), primary_key=True, index=True)


class ShiftSignup(db.Model):
    """Someone who said they would come (with or without an account), and whether they came."""
    id: Mapped[int] = mapped_column(primary_key=True)
    shift_id: Mapped[int] = mapped_column(ForeignKey("shift.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    email: Mapped[str | None] = mapped_column(String(254))
    phone: Mapped[str | None] = mapped_column(String(40))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id", ondelete="SET NULL"), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    attended_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    checked_in_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"), index=True)
    turf_id: Mapped[int | None] = mapped_column(ForeignKey("turf.id", ondelete="SET NULL"), index=True)
    reminded_24h_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    reminded_2h_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class Prospect(db.Model):
    """Someone who said at the door they want to volunteer: invited, and linked to their account once they join."""
    id: Mapped[int] = mapped_column(primary_key=True)
    office_id: Mapped[int] = mapped_column(ForeignKey("office.id", ondelete="CASCADE"), index=True)
    door_id: Mapped[int] = mapped_column(ForeignKey("door.id", ondelete="CASCADE"), index=True)
    person_id: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="SET NULL"), index=True)
    follow_up_id: Mapped[int | None] = mapped_column(ForeignKey("follow_up.id", ondelete="SET NULL"), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    invite_id: Mapped[int | None] = mapped_column(ForeignKey("invite.id", ondelete="SET NULL"), index=True)
    invited_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    invited_how: Mapped[str | None] = mapped_column(String(8))  # email, qr
    user_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id", ondelete="SET NULL"), index=True)
    joined_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class VolunteerNote(db.Model):
    """On a volunteer's own timeline: a one-on-one note, or a "check in with them" task (done when kept).
    Seen only by the office's organizers and the volunteer's team leader."""
    __table_args__ = (Index("ix_volunteer_note_volunteer_time", "volunteer_id", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    office_id: Mapped[int] = mapped_column(ForeignKey("office.id", ondelete="CASCADE"), index=True)
    volunteer_id: Mapped[int] = mapped_column(ForeignKey("app_user.id", ondelete="CASCADE"))
    author_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id", ondelete="SET NULL"), index=True)
    kind: Mapped[str] = mapped_column(String(12))  # note, check_in
    note: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    done_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
