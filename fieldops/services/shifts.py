"""Canvass shifts: a launch with a time, a staging place, a capacity and the turfs it walks; a public sign-up
(no account needed) with a calendar file; reminders through the mail outbox; the check-in list, where each
arriving volunteer with an account is handed the nearest free turf of the shift. No commit here."""
from __future__ import annotations

import secrets
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import func, select, update

from ..domain import shifts as rules
from ..domain.roles import WALKERS
from ..domain.time_zones import zone
from ..errors import Conflict, InvalidInput, NotFound
from ..extensions import db
from ..models import Assignment, Canvass, Office, Shift, ShiftSignup, ShiftTurf, Team, Turf, User
from ..models._base import utcnow
from . import audit, canvassing, mail
from .inputs import required_text
from .portable import aware
from ..domain.text import N_, Refused

MAX_NAME, MAX_PLACE, MAX_PHONE = 120, 255, 40


def parse_moment(text: str | None, field: str, time_zone: str | None) -> datetime:
    """An ISO 8601 time (``2026-12-05T10:00``, with or without its offset): without one, on the office's clock."""
    text = (text or "").strip()
    if not text:
        raise InvalidInput(N_("give a date and time, e.g. 2026-12-05T10:00"), field=field)
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise InvalidInput(N_("%(text)r is not a date and time such as 2026-12-05T10:00"), text=text, field=field) from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=zone(time_zone))
    return moment.astimezone(ZoneInfo("UTC"))


def _middle(turfs: list[Turf]) -> tuple[float, float] | None:
    points = [t.outline.centroid for t in turfs if t.outline is not None and not t.outline.is_empty]
    if not points:
        return None
    return sum(p.y for p in points) / len(points), sum(p.x for p in points) / len(points)


def create_shift(office: Office, canvass: Canvass, *, starts_at: datetime, ends_at: datetime, place: str,
                 capacity: int, turf_ids: list[int], actor_id: int | None, lat: float | None = None,
                 lon: float | None = None, team: Team | None = None, now: datetime | None = None) -> Shift:
    """A new shift of the office for the canvass (no commit). Without a staging point, the middle of its
    turfs (else the office's place) stands for it."""
    place = required_text(place, "place", MAX_PLACE, "say where volunteers meet (an address)")
    if canvass.region_id != office.region_id or canvass.office_id not in (None, office.id):
        raise InvalidInput(N_("that canvass is not one this office works on"), field="canvass")
    try:
        rules.check_plan(starts_at, ends_at, capacity, now or utcnow())
    except ValueError as error:  # the domain's refusals name their field
        if isinstance(error, Refused):
            raise InvalidInput(error, field=error.field) from None
        field, _, message = str(error).partition(": ")
        raise InvalidInput(message, field=field) from None
    turfs = list(db.session.scalars(select(Turf).where(Turf.id.in_(turf_ids)))) if turf_ids else []
    if len(turfs) != len(set(turf_ids)) or any(t.office_id != office.id for t in turfs):
        raise InvalidInput(N_("some of the chosen turfs are not this office's"), field="turfs")
    if team is not None and team.office_id != office.id:
        raise InvalidInput(N_("that team is another office's"), field="team")
    if lat is None or lon is None:
        middle = _middle(turfs) or ((office.lat, office.lon) if office.lat is not None else None)
        lat, lon = middle if middle else (None, None)
    shift = Shift(office_id=office.id, canvass_id=canvass.id, team_id=team.id if team else None, starts_at=starts_at,
                  ends_at=ends_at, place=place, lat=lat, lon=lon, capacity=capacity,
                  token=secrets.token_urlsafe(24), created_by_id=actor_id)
    db.session.add(shift)
    db.session.flush()
    db.session.add_all(ShiftTurf(shift_id=shift.id, turf_id=t.id) for t in turfs)
    audit.record(actor_id, "shift.create", "shift", shift.id, office_id=office.id, canvass_id=canvass.id,
                 starts_at=starts_at.isoformat(), capacity=capacity, turfs=sorted(set(turf_ids)))
    return shift


def parse_capacity(text: str | None) -> int:
    text = (text or "").strip()
    if not text.isdigit():
        raise InvalidInput(N_("a whole number from 1 to %(max_capacity)s"),
                           max_capacity=rules.MAX_CAPACITY, field="capacity")
    return int(text)


def shift_for_token(token: str) -> Shift:
    shift = db.session.scalar(select(Shift).where(Shift.token == (token or "")))
    if shift is None:
        raise NotFound(N_("this sign-up link is not valid: ask the office for the link again"))
    return shift


def _locked(shift_id: int) -> Shift:
    """The shift, locked for the rest of the transaction. A no-op UPDATE first, as ``turfs.lock_turf`` does: on
    PostgreSQL the row lock, on SQLite (no row locks, reads outside transactions) the one write lock, so the
    places counted next are what the other sign-up committed."""
    db.session.execute(update(Shift).where(Shift.id == shift_id).values(capacity=Shift.capacity),
                       execution_options={"synchronize_session": False})
    return db.session.scalar(select(Shift).where(Shift.id == shift_id).with_for_update()
                             .execution_options(populate_existing=True))


def signups(shift: Shift) -> list[ShiftSignup]:
    return list(db.session.scalars(select(ShiftSignup).where(ShiftSignup.shift_id == shift.id)
                                   .order_by(ShiftSignup.name, ShiftSignup.id)))


def signed_up(shift_id: int) -> int:
    return db.session.scalar(select(func.count(ShiftSignup.id)).where(ShiftSignup.shift_id == shift_id))


def sign_up(token: str, name: str, email: str | None, phone: str | None, now: datetime | None = None, *,
            walk_in: bool = False) -> ShiftSignup:
    """Someone signs up from the public page, with a name and an e-mail or phone (no commit). The shift's row
    is locked first, so two people taking the last place at once are served one after the other. A ``walk_in``
    (added at the check-in list: they came without signing up) is welcome whatever the capacity and the hour."""
    from .users import EMAIL_PATTERN
    now = now or utcnow()
    shift = _locked(shift_for_token(token).id)
    name = required_text(name, "name", MAX_NAME, "your name")
    email = (email or "").strip().lower() or None
    phone = " ".join((phone or "").split()) or None
    if email is None and phone is None:
        raise InvalidInput(N_("an e-mail or a phone number, so the office can reach you"), field="email")
    if email is not None and (not EMAIL_PATTERN.match(email) or len(email) > 254):
        raise InvalidInput(N_("%(email)r is not an e-mail address"), email=email, field="email")
    if phone is not None and (len(phone) > MAX_PHONE or sum(c.isdigit() for c in phone) < 5
                              or any(not (c.isdigit() or c in "+-() ") for c in phone)):
        raise InvalidInput(N_("%(phone)r is not a phone number"), phone=phone, field="phone")
    if aware(shift.starts_at) <= now and not walk_in:
        raise Conflict(N_("this shift has already started: sign up for another one"))
    same = [s for s in signups(shift) if (email and s.email == email) or (phone and s.phone == phone)]
    if same:
        return same[0]  # signing up twice is one place
    if signed_up(shift.id) >= shift.capacity and not walk_in:
        raise Conflict(N_("this shift is full: ask the office for another one"))
    user = None
    if email is not None:
        user = db.session.scalar(select(User).where(User.email == email, User.office_id == shift.office_id,
                                                    User.active.is_(True)))
    signup = ShiftSignup(shift_id=shift.id, name=name, email=email, phone=phone, user_id=user.id if user else None,
                         created_at=now)
    db.session.add(signup)
    db.session.flush()
    return signup


def calendar(shift: Shift, url: str, now: datetime | None = None) -> str:
    office = db.session.get(Office, shift.office_id)
    canvass = db.session.get(Canvass, shift.canvass_id)
    return rules.calendar_file(f"shift-{shift.id}-{shift.token[:8]}@fieldops", aware(shift.starts_at),
                               aware(shift.ends_at), f"Canvassing with {office.name}: {canvass.name}", shift.place,
                               f"Meet at {shift.place}. Sign-up page: {url}", url, now or utcnow(),
                               shift.lat, shift.lon)


def queue_reminders(render, now: datetime | None = None) -> int:
    """Queue the reminders due now (24 hours and 2 hours before each shift) for every sign-up with an e-mail,
    each once (no commit). ``render(signup, shift, kind)`` gives (subject, body). Returns how many were queued.

    The sign-up rows are locked (SKIP LOCKED on PostgreSQL), so two workers never queue one reminder twice."""
    now = now or utcnow()
    # SQLite has no row locks and its driver reads outside transactions: a no-op UPDATE takes its one write lock
    # first, so a second worker waits and then sees the reminders marked (on PostgreSQL it touches nothing).
    db.session.execute(update(ShiftSignup).where(ShiftSignup.id == -1).values(name=ShiftSignup.name),
                       execution_options={"synchronize_session": False})
    rows = db.session.execute(
        select(ShiftSignup, Shift).join(Shift, Shift.id == ShiftSignup.shift_id)
        .where(Shift.starts_at > now, Shift.starts_at <= now + rules.REMINDERS[0][1], ShiftSignup.email.is_not(None),
               ShiftSignup.reminded_2h_at.is_(None))
        .order_by(Shift.starts_at, ShiftSignup.id).with_for_update(of=ShiftSignup, skip_locked=True)).all()
    queued = 0
    for signup, shift in rows:
        sent = {kind for kind, at in (("24h", signup.reminded_24h_at), ("2h", signup.reminded_2h_at)) if at}
        for kind in rules.reminders_due(aware(shift.starts_at), now, sent):
            subject, body = render(signup, shift, kind)
            mail.queue(signup.email, subject, body)
            for done in rules.superseded(kind):
                setattr(signup, f"reminded_{done}_at", getattr(signup, f"reminded_{done}_at") or now)
            queued += 1
    return queued


def office_shifts(office: Office) -> list[dict]:
    """The office's shifts, soonest first, with their sign-ups and attendance counted."""
    counts = {shift_id: (int(n), int(came or 0)) for shift_id, n, came in db.session.execute(
        select(ShiftSignup.shift_id, func.count(ShiftSignup.id), func.count(ShiftSignup.attended_at))
        .join(Shift, Shift.id == ShiftSignup.shift_id).where(Shift.office_id == office.id)
        .group_by(ShiftSignup.shift_id))}
    turfs: dict[int, list[int]] = {}
    for shift_id, turf_id in db.session.execute(
            select(ShiftTurf.shift_id, ShiftTurf.turf_id).join(Shift, Shift.id == ShiftTurf.shift_id)
            .where(Shift.office_id == office.id).order_by(ShiftTurf.turf_id)):
        turfs.setdefault(shift_id, []).append(turf_id)
    out = []
    for shift, canvass_name in db.session.execute(
            select(Shift, Canvass.name).join(Canvass, Canvass.id == Shift.canvass_id)
            .where(Shift.office_id == office.id).order_by(Shift.starts_at, Shift.id)):
        n, came = counts.get(shift.id, (0, 0))
        out.append({"id": shift.id, "canvass_id": shift.canvass_id, "canvass": canvass_name,
                    "team_id": shift.team_id, "starts_at": aware(shift.starts_at), "ends_at": aware(shift.ends_at),
                    "place": shift.place, "lat": shift.lat, "lon": shift.lon, "capacity": shift.capacity,
                    "signed_up": n, "attended": came, "turf_ids": turfs.get(shift.id, []), "token": shift.token})
    return out


def shift_turfs(shift: Shift) -> list[Turf]:
    return list(db.session.scalars(select(Turf).join(ShiftTurf, ShiftTurf.turf_id == Turf.id)
                                   .where(ShiftTurf.shift_id == shift.id).order_by(Turf.name)))


def free_turfs(shift: Shift) -> list[rules.TurfPoint]:
    """The shift's turfs, each with its middle and whether nobody holds it now."""
    held = set(db.session.scalars(select(Assignment.turf_id).where(Assignment.returned_at.is_(None))
                                  .where(Assignment.turf_id.in_(select(ShiftTurf.turf_id)
                                                                .where(ShiftTurf.shift_id == shift.id)))))
    points = []
    for turf in shift_turfs(shift):
        if turf.outline is None or turf.outline.is_empty or turf.state not in ("draft", "open", "checked_out"):
            continue
        middle = turf.outline.centroid
        points.append(rules.TurfPoint(turf.id, middle.y, middle.x, turf.id not in held))
    return points


def check_in(shift: Shift, signup_id: int, actor: User, *, hand_turf: bool = False,
             now: datetime | None = None) -> tuple[ShiftSignup, Turf | None]:
    """Mark that someone came (no commit); with ``hand_turf``, hand them the free turf of the shift nearest
    the staging place, for the shift's canvass. Only someone with an account of the office can be handed one."""
    signup = db.session.get(ShiftSignup, signup_id)
    if signup is None or signup.shift_id != shift.id:
        raise NotFound(N_("no sign-up with id %(signup_id)s for this shift"), signup_id=signup_id)
    now = now or utcnow()
    if signup.attended_at is None:
        signup.attended_at, signup.checked_in_by_id = now, actor.id
    turf = None
    if hand_turf:
        if signup.turf_id is not None:
            raise Conflict(N_("%(signup)s was already handed a turf"), signup=signup.name)
        walker = db.session.get(User, signup.user_id) if signup.user_id else None
        if walker is None or walker.role not in {r.value for r in WALKERS} or walker.office_id != shift.office_id:
            raise InvalidInput(N_("%(signup)s has no volunteer account yet: invite them, or hand a turf later"),
                               signup=signup.name,
                               field="turf")
        points = free_turfs(shift)
        if shift.lat is None:
            raise InvalidInput(N_("this shift has no staging place on the map"), field="turf")
        turf_id = rules.nearest_free_turf(shift.lat, shift.lon, points)
        if turf_id is None:
            raise Conflict(N_("every turf of this shift is already handed out"))
        canvass = db.session.get(Canvass, shift.canvass_id)
        canvassing.hand_out(turf_id, [walker], canvass, actor.id)
        signup.turf_id = turf_id
        turf = db.session.get(Turf, turf_id)
    return signup, turf


def walk_in(shift: Shift, name: str, email: str | None, phone: str | None, actor: User,
            now: datetime | None = None) -> ShiftSignup:
    """Someone came without signing up: on the list, and checked in (no commit)."""
    signup = sign_up(shift.token, name, email, phone, now, walk_in=True)
    if signup.attended_at is None:
        signup.attended_at, signup.checked_in_by_id = now or utcnow(), actor.id
    return signup


def no_shows(shift: Shift, now: datetime | None = None) -> list[ShiftSignup]:
    """Who signed up and did not come, once the shift has started."""
    now = now or utcnow()
    if aware(shift.starts_at) > now:
        return []
    return [s for s in signups(shift) if s.attended_at is None]


def upcoming_for_team(office_id: int, team_id: int | None, now: datetime | None = None) -> list[Shift]:
    """Shifts to come of the office, those of the team first (a new volunteer's neighborhood)."""
    now = now or utcnow()
    shifts = list(db.session.scalars(select(Shift).where(Shift.office_id == office_id, Shift.starts_at > now)
                                     .order_by(Shift.starts_at, Shift.id)))
    return sorted(shifts, key=lambda s: (s.team_id != team_id if team_id else False, s.starts_at))


def team_shifts(team: Team, now: datetime | None = None, days_back: int = 14) -> list[Shift]:
    """The team's shifts from ``days_back`` days ago on, soonest first: what its leaders check in."""
    from datetime import timedelta
    since = (now or utcnow()) - timedelta(days=days_back)
    return list(db.session.scalars(select(Shift).where(Shift.team_id == team.id, Shift.ends_at >= since)
                                   .order_by(Shift.starts_at, Shift.id)))
