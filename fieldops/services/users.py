"""Users and API tokens: create, authenticate, look up by bearer token; passwords changed, sessions ended,
tokens revoked, volunteers deactivated and reactivated."""
from __future__ import annotations

import hashlib
import re
import secrets
from datetime import timedelta

from sqlalchemy import select
from werkzeug.security import check_password_hash, generate_password_hash

from ..domain.roles import WALKERS, Role, home_scope, parse_role
from ..errors import Conflict, InvalidInput, NotFound
from ..extensions import db
from ..models import ApiToken, Assignment, Canvass, Office, Region, Turf, User
from ..models._base import utcnow
from . import access, audit, canvassing
from .inputs import optional_text
from .portable import aware
from ..domain.text import N_

MIN_PASSWORD_LENGTH = 10
TOKEN_USE_RESOLUTION = timedelta(minutes=10)  # how precisely "last used" is kept
EMAIL_PATTERN = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def check_password_rules(password: str) -> None:
    """Raise InvalidInput when a password is too short to protect voter data."""
    if len(password or "") < MIN_PASSWORD_LENGTH:
        raise InvalidInput(N_("a password needs at least %(min_password_length)s characters"),
                           min_password_length=MIN_PASSWORD_LENGTH, field="password")


def office_by_name(name: str) -> Office:
    office = db.session.scalar(select(Office).where(Office.name == name))
    if office is None:
        known = ", ".join(db.session.scalars(select(Office.name).order_by(Office.name))) or "none yet"
        raise NotFound(N_("no office named %(name)r (offices: %(known)s)"), name=name, known=known)
    return office


def region_by_name(name: str) -> Region:
    region = db.session.scalar(select(Region).where(Region.name == name))
    if region is None:
        known = ", ".join(db.session.scalars(select(Region.name).order_by(Region.name))) or "none yet"
        raise NotFound(N_("no region named %(name)r (regions: %(known)s)"), name=name, known=known)
    return region


def build_user(email: str, role: str, password: str, *, name: str | None = None,
               office_name: str | None = None, region_name: str | None = None) -> User:
    """Validate and add a new user to the session, without committing."""
    email = optional_text(email, "email", 254).lower()
    if not EMAIL_PATTERN.match(email):
        raise InvalidInput(N_("%(email)r is not an e-mail address"), email=email, field="email")
    name = optional_text(name, "name", 120) or None  # the column's length
    try:
        role_enum = parse_role(role)
    except ValueError as error:
        raise InvalidInput(error, field="role") from None
    check_password_rules(password)
    office, region = _home(role_enum, office_name, region_name)
    if db.session.scalar(select(User.id).where(User.email == email)) is not None:
        raise Conflict(N_("a user with e-mail %(email)s already exists"), email=email)
    user = User(email=email, name=name or email.split("@")[0], role=role_enum.value,
                password_hash=generate_password_hash(password),
                office_id=office.id if office else None, region_id=region.id if region else None)
    db.session.add(user)
    return user


def _home(role_enum, office_name: str | None, region_name: str | None) -> tuple[Office | None, Region | None]:
    """The office or region a role belongs to, checked: organizers and volunteers an office, leads a region."""
    scope = home_scope(role_enum)
    if scope == "office":
        if not office_name:
            raise InvalidInput(N_("a %(value)s belongs to an office: give --office NAME"),
                               value=role_enum.value, field="office")
        return office_by_name(office_name), None
    if scope == "region":
        if not region_name:
            raise InvalidInput(N_("a lead belongs to a region: give --region NAME"), field="region")
        return None, region_by_name(region_name)
    if office_name or region_name:
        raise InvalidInput(N_("an admin sees every region: give neither --office nor --region"), field="office")
    return None, None


def change_role(email: str, role: str, *, office_name: str | None = None, region_name: str | None = None,
                actor_id: int | None = None) -> User:
    """Give a user another role (and its office or region), recorded in the audit log (no commit)."""
    user = user_by_email(email)
    try:
        role_enum = parse_role(role)
    except ValueError as error:
        raise InvalidInput(error, field="role") from None
    office, region = _home(role_enum, office_name, region_name)
    before = {"role": user.role, "office_id": user.office_id, "region_id": user.region_id}
    user.role = role_enum.value
    user.office_id, user.region_id = (office.id if office else None), (region.id if region else None)
    audit.record(actor_id, "user.role", "user", user.id, email=user.email, before=before,
                 after={"role": user.role, "office_id": user.office_id, "region_id": user.region_id})
    revoke_tokens(user, actor_id, reason="role changed")  # a phone's token must not carry the new powers
    return user


def create_user(email: str, role: str, password: str, *, name: str | None = None,
                office_name: str | None = None, region_name: str | None = None,
                actor_id: int | None = None) -> User:
    """Create a user (no commit); any bad field raises before anything is written."""
    user = build_user(email, role, password, name=name, office_name=office_name, region_name=region_name)
    db.session.flush()
    audit.record(actor_id, "user.create", "user", user.id, role=user.role, email=user.email)
    return user


def authenticate(email: str, password: str) -> User | None:
    """The active user with this e-mail and password, or None."""
    user = db.session.scalar(select(User).where(User.email == (email or "").strip().lower()))
    if user is None or not user.active or not check_password_hash(user.password_hash, password or ""):
        return None
    return user


def _hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_token(email: str, name: str = "cli") -> str:
    """Make a bearer token for the user and return it; only its hash is kept."""
    user = user_by_email(email)
    token = "fo_" + secrets.token_urlsafe(32)
    db.session.add(ApiToken(user_id=user.id, token_hash=_hash_token(token), name=name))
    audit.record(user.id, "token.create", "user", user.id, name=name)
    return token


def user_for_token(token: str) -> User | None:
    """The active user behind a bearer token, or None if unknown or revoked."""
    found = db.session.execute(select(ApiToken, User).join(User, User.id == ApiToken.user_id).where(
        ApiToken.token_hash == _hash_token(token), ApiToken.revoked_at.is_(None))).first()
    if found is None or not found.User.active:
        return None
    row = found.ApiToken
    now = utcnow()
    last = aware(row.last_used_at)
    # A phone syncing every few seconds must not turn each API call into a write.
    if last is None or now - last > TOKEN_USE_RESOLUTION:
        row.last_used_at = now
    return found.User


def tokens_of(user: User) -> list[ApiToken]:
    """The user's API tokens, live ones first, newest first."""
    return list(db.session.scalars(select(ApiToken).where(ApiToken.user_id == user.id).order_by(
        ApiToken.revoked_at.is_not(None), ApiToken.created_at.desc(), ApiToken.id.desc())))


def revoke_token(token: ApiToken, actor_id: int | None) -> None:
    """Stop one token working from the next request on (no commit)."""
    if token.revoked_at is not None:
        raise Conflict(N_("that token was already revoked"))
    token.revoked_at = utcnow()
    audit.record(actor_id, "token.revoke", "user", token.user_id, token_id=token.id, name=token.name)


def revoke_tokens(user: User, actor_id: int | None, reason: str) -> int:
    """Revoke every live token of the user (no commit); how many there were."""
    live = list(db.session.scalars(select(ApiToken).where(ApiToken.user_id == user.id,
                                                          ApiToken.revoked_at.is_(None))))
    now = utcnow()
    for token in live:
        token.revoked_at = now
    if live:
        audit.record(actor_id, "token.revoke", "user", user.id, tokens=len(live), reason=reason)
    return len(live)


def token_for(actor: User, token_id: int) -> ApiToken:
    """A token the actor may see and revoke: their own, or a volunteer's of an office they manage."""
    token = db.session.get(ApiToken, token_id)
    if token is None:
        raise NotFound(N_("no token with id %(token_id)s"), token_id=token_id)
    if token.user_id != actor.id:
        volunteer_for(actor, token.user_id)
    return token


def end_sessions(user: User) -> None:
    """Sign the user out everywhere: every session and remember-me cookie issued so far stops working."""
    user.session_version = (user.session_version or 1) + 1


def set_password(user: User, password: str, actor_id: int | None, how: str) -> None:
    """Give the user a new password (no commit): their other sessions end and their tokens are revoked."""
    check_password_rules(password)
    user.password_hash = generate_password_hash(password)
    end_sessions(user)
    revoke_tokens(user, actor_id, reason="password changed")
    audit.record(actor_id, "user.password", "user", user.id, how=how)


def change_own_password(user: User, current: str, new: str) -> None:
    """Someone signed in changes their password, proving they know the current one (no commit)."""
    if not check_password_hash(user.password_hash, current or ""):
        raise InvalidInput(N_("that is not your current password"), field="current")
    if current == new:
        raise InvalidInput(N_("choose a password other than the current one"), field="password")
    set_password(user, new, user.id, how="changed")


def volunteer_for(actor: User, user_id: int) -> User:
    """A volunteer of an office the actor manages (organizers: their own office), else NotFound/Forbidden."""
    volunteer = db.session.get(User, user_id)
    if volunteer is None or volunteer.role not in (Role.VOLUNTEER.value, Role.TEAM_LEADER.value) \
            or volunteer.office_id is None:
        raise NotFound(N_("no volunteer with id %(user_id)s"), user_id=user_id)
    access.require_office(actor, volunteer.office_id, manage=True)
    return volunteer


def deactivate(volunteer: User, actor_id: int | None) -> int:
    """A volunteer stops: signed out everywhere, tokens revoked, turfs taken back; their contacts stay.
    Returns how many assignments were taken back. No commit."""
    if not volunteer.active:
        raise Conflict(N_("%(volunteer)s is already deactivated"), volunteer=volunteer.name)
    volunteer.active = False
    end_sessions(volunteer)
    revoke_tokens(volunteer, actor_id, reason="deactivated")
    held = open_assignments(volunteer)
    for assignment in held:
        canvassing.take_back(assignment, actor_id)
    audit.record(actor_id, "user.deactivate", "user", volunteer.id, email=volunteer.email,
                 assignments_taken_back=len(held))
    return len(held)


def reactivate(volunteer: User, actor_id: int | None) -> None:
    """A deactivated volunteer may sign in again (no turfs or tokens come back). No commit."""
    if volunteer.active:
        raise Conflict(N_("%(volunteer)s is already active"), volunteer=volunteer.name)
    volunteer.active = True
    audit.record(actor_id, "user.reactivate", "user", volunteer.id, email=volunteer.email)


def open_assignments(user: User) -> list[Assignment]:
    """The turfs in the user's hands right now."""
    return list(db.session.scalars(select(Assignment).where(
        Assignment.volunteer_id == user.id, Assignment.returned_at.is_(None)).order_by(Assignment.id)))


def holdings(user: User) -> list[tuple[int, str, str]]:
    """The turfs in the user's hands as (turf id, turf name, canvass name), for their organizer's page."""
    return [tuple(row) for row in db.session.execute(
        select(Turf.id, Turf.name, Canvass.name).join(Assignment, Assignment.turf_id == Turf.id)
        .join(Canvass, Canvass.id == Assignment.canvass_id)
        .where(Assignment.volunteer_id == user.id, Assignment.returned_at.is_(None)).order_by(Turf.name))]


def create_volunteer(office: Office, email: str, password: str, name: str, actor_id: int | None) -> User:
    """An organizer signs up a volunteer for their office (no commit)."""
    user = build_user(email, "volunteer", password, name=(name or "").strip() or None, office_name=office.name)
    db.session.flush()
    audit.record(actor_id, "user.create", "user", user.id, role=user.role, email=user.email, office_id=office.id)
    return user


WALKER_ROLES = tuple(sorted(role.value for role in WALKERS))


def office_volunteers(office: Office) -> list[User]:
    """The office's active volunteers and organizers: who may walk its turfs."""
    return list(db.session.scalars(select(User).where(
        User.office_id == office.id, User.role.in_(WALKER_ROLES), User.active).order_by(User.name)))


def deactivated_volunteers(office: Office) -> list[User]:
    return list(db.session.scalars(select(User).where(
        User.office_id == office.id, User.role.in_((Role.VOLUNTEER.value, Role.TEAM_LEADER.value)),
        User.active.is_(False)).order_by(User.name)))


def office_walkers(office_id: int, user_ids: list[int]) -> list[User]:
    """The chosen volunteers (or organizers), all of this office; InvalidInput names any that is not."""
    if not user_ids:
        raise InvalidInput(N_("choose at least one volunteer"), field="volunteers")
    found = list(db.session.scalars(select(User).where(User.id.in_(user_ids)).order_by(User.name)))
    strangers = [u for u in found
                 if u.office_id != office_id or u.role not in WALKER_ROLES or not u.active]
    if strangers or len(found) != len(set(user_ids)):
        raise InvalidInput(N_("some of the chosen people are not volunteers of this office"), field="volunteers")
    return found


def volunteer_or_leader(office_id: int, user_id: int | None) -> User:
    """A volunteer or team leader of the office, else InvalidInput naming the field."""
    user = db.session.get(User, user_id) if user_id else None
    if user is None or user.office_id != office_id or user.role not in (Role.VOLUNTEER.value, Role.TEAM_LEADER.value):
        raise InvalidInput(N_("choose a volunteer of this office"), field="user_id")
    return user


def user_by_email(email: str) -> User:
    user = db.session.scalar(select(User).where(User.email == (email or "").strip().lower()))
    if user is None:
        raise NotFound(N_("no user with e-mail %(email)r"), email=email)
    return user


def all_regions() -> list[Region]:
    return list(db.session.scalars(select(Region).order_by(Region.name)))


def region_offices(region: Region) -> list[Office]:
    return list(db.session.scalars(select(Office).where(Office.region_id == region.id).order_by(Office.name)))


def office_organizers(office_id: int) -> list[User]:
    """The office's active organizers: who may owe its promises."""
    return list(db.session.scalars(select(User).where(
        User.office_id == office_id, User.role == Role.ORGANIZER.value, User.active).order_by(User.name)))
