"""Canvassing: rounds of work, turfs handed to volunteers, every knock and every promise.

The contact log is a ledger: rows are appended, never edited; a correction is
a new row.
"""
from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Date, DateTime, Float, ForeignKey, Index, Integer, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from ._base import utcnow


class Canvass(db.Model):
    """A round of work over an office or a whole region, with a script and survey questions."""
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    region_id: Mapped[int] = mapped_column(ForeignKey("region.id"), index=True)
    office_id: Mapped[int | None] = mapped_column(ForeignKey("office.id"), index=True)  # None: the whole region
    start_date: Mapped[date | None] = mapped_column(Date)
    end_date: Mapped[date | None] = mapped_column(Date)
    script: Mapped[str] = mapped_column(Text, default="")
    # [{"key": "support", "label": "...", "kind": "scale" | "yes_no" | "choice" | "text", "choices": [...]}]
    questions: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    # Not home / Come back later doors return to the list after this many hours, up to this many knocks.
    reknock_hours: Mapped[int] = mapped_column(Integer, default=4, server_default="4")
    max_attempts: Mapped[int] = mapped_column(Integer, default=3, server_default="3")
    # The survey is asked once per household unless the organizer wants each resident's own answers.
    per_person: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    # Talked may be recorded without answers (the default); off, a conversation answers every question shown.
    survey_optional: Mapped[bool] = mapped_column(Boolean, default=True, server_default="1")
    # The script and questions in other languages: {"fi": {"script": "...", "questions": {key: {"label": "...",
    # "choices": [...]}}}} (domain.surveys.check_translations); English, the columns above, is the fallback.
    translations: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict, server_default=text("'{}'"))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Assignment(db.Model):
    """A turf handed to a volunteer for a canvass; open until ``returned_at`` is set."""
    __table_args__ = (Index("ix_assignment_volunteer_open", "volunteer_id", "returned_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    turf_id: Mapped[int] = mapped_column(ForeignKey("turf.id", ondelete="CASCADE"), index=True)
    canvass_id: Mapped[int] = mapped_column(ForeignKey("canvass.id"), index=True)
    volunteer_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"), index=True)
    assigned_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"), index=True)
    assigned_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    returned_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class Contact(db.Model):
    """One knock, written whole by the phone that made it (its UUID is the phone's)."""
    # Few indexes, because every sync writes here: the office's contacts by canvass and time (date-ranged
    # dashboards, exports) and a door's history by time. The dashboards' other counts read the summaries.
    __table_args__ = (
        Index("ix_contact_office_canvass_time", "office_id", "canvass_id", "recorded_at"),
        Index("ix_contact_door_time", "door_id", "recorded_at"),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True)  # UUID made on the phone
    office_id: Mapped[int] = mapped_column(ForeignKey("office.id"))
    door_id: Mapped[int] = mapped_column(ForeignKey("door.id"))
    person_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"), index=True)
    volunteer_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"), index=True)
    turf_id: Mapped[int | None] = mapped_column(ForeignKey("turf.id", ondelete="SET NULL"), index=True)
    canvass_id: Mapped[int] = mapped_column(ForeignKey("canvass.id"), index=True)
    outcome: Mapped[str] = mapped_column(String(24))
    answers: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    note: Mapped[str] = mapped_column(Text, default="")
    lat: Mapped[float | None] = mapped_column(Float)
    lon: Mapped[float | None] = mapped_column(Float)
    accuracy_m: Mapped[float | None] = mapped_column(Float)
    # The household's language, when a Language barrier knock says which (domain.outcomes asks_language).
    language: Mapped[str | None] = mapped_column(String(8))
    distance_m: Mapped[float | None] = mapped_column(Float)  # from the door, when the phone shared its place
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)  # the phone's clock
    received_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)  # the server's


class FollowUp(db.Model):
    """A promise made at a door: who owes it, by when, and how it was kept."""
    __table_args__ = (Index("ix_followup_owner_open", "owner_id", "done_at", "due_date"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    office_id: Mapped[int] = mapped_column(ForeignKey("office.id"), index=True)
    door_id: Mapped[int] = mapped_column(ForeignKey("door.id"), index=True)
    person_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"), index=True)
    contact_id: Mapped[str | None] = mapped_column(ForeignKey("contact.id"), index=True)
    kind: Mapped[str] = mapped_column(String(24))  # call_back, send_info, yard_sign, volunteer
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    due_date: Mapped[date] = mapped_column(Date, index=True)
    done_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    result: Mapped[str | None] = mapped_column(Text)


class HouseholdNote(db.Model):
    """What an organizer heard away from the door (a phone call, a meeting at the office).

    A conversation for the household's relationship and timeline, but not a
    knock: it never counts toward coverage.
    """
    id: Mapped[int] = mapped_column(primary_key=True)
    office_id: Mapped[int] = mapped_column(ForeignKey("office.id"), index=True)
    door_id: Mapped[int] = mapped_column(ForeignKey("door.id", ondelete="CASCADE"), index=True)
    person_id: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="SET NULL"), index=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"), index=True)
    channel: Mapped[str] = mapped_column(String(16))  # phone, meeting, other
    note: Mapped[str] = mapped_column(Text)
    spoken_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class NoteIssue(db.Model):
    """One issue (from the office's keyword list) that one note mentions: what people raised, countable."""
    __table_args__ = (Index("ix_note_issue_office", "office_id", "issue"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    office_id: Mapped[int] = mapped_column(ForeignKey("office.id"))
    contact_id: Mapped[str | None] = mapped_column(ForeignKey("contact.id", ondelete="CASCADE"), index=True)
    note_id: Mapped[int | None] = mapped_column(ForeignKey("household_note.id", ondelete="CASCADE"), index=True)
    issue: Mapped[str] = mapped_column(String(40))
    said_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class ContactFlag(db.Model):
    """A contact that needs an organizer's look (too far, too fast, too good), and what they decided.

    The contact itself is never changed: a rejected one stays in the ledger and on the household's
    timeline, and only stops counting toward coverage.
    """
    __table_args__ = (Index("ix_contact_flag_office_state", "office_id", "state"),)

    contact_id: Mapped[str] = mapped_column(ForeignKey("contact.id", ondelete="CASCADE"), primary_key=True)
    office_id: Mapped[int] = mapped_column(ForeignKey("office.id"))
    volunteer_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"), index=True)
    flags: Mapped[list[str]] = mapped_column(JSON, default=list)  # domain.trust.FLAG_LABELS keys
    state: Mapped[str] = mapped_column(String(10), default="pending")  # pending, accepted, rejected
    reviewed_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"), index=True)
    reviewed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
