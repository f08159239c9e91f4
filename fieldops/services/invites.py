"""Invitation links: an organizer shares a link and people join the office as volunteers, up to its use limit.

Joining proves the e-mail address first. The join page only ever answers "check your e-mail", whether or
not the address already has an account (so an invite cannot tell anyone who is signed up): a new address
gets a signed link to choose a password, which makes the account; a known one gets a reminder to sign in.
Only the invite's hash is stored; a use is counted when an account is made.
"""
from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta

from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import select

from ..errors import Conflict, InvalidInput, NotFound
from ..extensions import db
from ..models import Invite, Office, User
from ..models._base import utcnow
from . import access, audit, users
from .portable import aware
from ..domain.text import N_

INVITE_DAYS = 14
MOST_USES = 500
JOIN_SALT = "fieldops-join"
JOIN_LINK = timedelta(days=2)  # from the e-mail to choosing a password
NAME_LENGTH = 120


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def parse_uses(text: str | None) -> int:
    """How many accounts an invite may make, from a form field (blank: one)."""
    text = (text or "").strip()
    if not text:
        return 1
    if not text.isdigit() or not 1 <= int(text) <= MOST_USES:
        raise InvalidInput(N_("a whole number from 1 to %(most_uses)s"), most_uses=MOST_USES, field="uses")
    return int(text)


def create_invite(office: Office, actor_id: int | None, max_uses: int = 1) -> str:
    """A join link's secret for the office, valid for 14 days and ``max_uses`` accounts. No commit."""
    if not 1 <= max_uses <= MOST_USES:
        raise InvalidInput(N_("a whole number from 1 to %(most_uses)s"), most_uses=MOST_USES, field="uses")
    token = secrets.token_urlsafe(24)
    invite = Invite(office_id=office.id, token_hash=_hash(token), created_by_id=actor_id, uses=0, max_uses=max_uses,
                    expires_at=utcnow() + timedelta(days=INVITE_DAYS))
    db.session.add(invite)
    db.session.flush()
    audit.record(actor_id, "invite.create", "office", office.id, invite_id=invite.id, max_uses=max_uses)
    return token


def _is_live(invite: Invite) -> bool:
    return invite.revoked_at is None and aware(invite.expires_at) > utcnow() and invite.uses < invite.max_uses


def live_invites(office: Office) -> list[tuple[Invite, str | None]]:
    """The office's invites that can still make accounts, newest first, each with who made it."""
    rows = db.session.execute(select(Invite, User.name).outerjoin(User, User.id == Invite.created_by_id).where(
        Invite.office_id == office.id, Invite.revoked_at.is_(None), Invite.uses < Invite.max_uses)
        .order_by(Invite.created_at.desc(), Invite.id.desc())).all()
    return [(invite, maker) for invite, maker in rows if _is_live(invite)]


def invite_to_manage(actor: User, invite_id: int) -> Invite:
    """An invite of an office the actor manages."""
    invite = db.session.get(Invite, invite_id)
    if invite is None:
        raise NotFound(N_("no invitation with id %(invite_id)s"), invite_id=invite_id)
    access.require_office(actor, invite.office_id, manage=True)
    return invite


def revoke(invite: Invite, actor_id: int | None) -> None:
    """The link stops working at once, and so do join links sent from it not yet used. No commit."""
    if invite.revoked_at is not None:
        raise Conflict(N_("that invitation was already revoked"))
    invite.revoked_at = utcnow()
    audit.record(actor_id, "invite.revoke", "office", invite.office_id, invite_id=invite.id)


def invite_for(token: str) -> Invite:
    """The live invite behind a join link, or NotFound with the reason."""
    invite = db.session.scalar(select(Invite).where(Invite.token_hash == _hash(token or "")))
    return _checked(invite)


def _checked(invite: Invite | None) -> Invite:
    if invite is None or invite.revoked_at is not None:
        raise NotFound(N_("this invitation link is not valid: ask your organizer for a new one"))
    if aware(invite.expires_at) < utcnow():
        raise NotFound(N_("this invitation link has expired: ask your organizer for a new one"))
    if invite.uses >= invite.max_uses:
        raise NotFound(N_("this invitation link has been used as often as it may: ask your organizer for a new one"))
    return invite


@dataclass(frozen=True)
class JoinRequest:
    """Someone asked to join with an e-mail: what to send them."""
    email: str
    name: str
    existing: User | None  # already has an account: remind them to sign in, make nothing
    token: str | None      # else the secret of the link that finishes joining


def request_to_join(token: str, email: str, name: str, secret: str) -> JoinRequest:
    """Check the join form and say what to e-mail; writes nothing (an account is made only from the e-mail)."""
    invite = invite_for(token)
    email = (email or "").strip().lower()
    name = (name or "").strip()
    if not users.EMAIL_PATTERN.match(email) or len(email) > 254:
        raise InvalidInput(N_("%(email)r is not an e-mail address"), email=email, field="email")
    if not name or len(name) > NAME_LENGTH:
        raise InvalidInput(N_("your name, up to %(name_length)s characters"), name_length=NAME_LENGTH, field="name")
    existing = db.session.scalar(select(User).where(User.email == email))
    if existing is not None:
        return JoinRequest(email, name, existing, None)
    link = URLSafeTimedSerializer(secret, salt=JOIN_SALT).dumps({"i": invite.id, "e": email, "n": name})
    return JoinRequest(email, name, None, link)


@dataclass(frozen=True)
class PendingJoin:
    invite: Invite
    office: Office
    email: str
    name: str


def pending_join(join_token: str, secret: str) -> PendingJoin:
    """What an e-mailed join link is for, if it still works (the invite live, the e-mail still free)."""
    try:
        payload = URLSafeTimedSerializer(secret, salt=JOIN_SALT).loads(
            join_token or "", max_age=int(JOIN_LINK.total_seconds()))
    except SignatureExpired:
        raise NotFound(N_("this link to finish joining has expired: open the invitation link again")) from None
    except BadSignature:
        raise NotFound(N_("this link to finish joining is not valid: open the invitation link again")) from None
    invite = _checked(db.session.get(Invite, payload.get("i")) if isinstance(payload, dict) else None)
    if db.session.scalar(select(User.id).where(User.email == payload["e"])) is not None:
        raise Conflict(N_("you already have an account with this e-mail: sign in instead"))
    return PendingJoin(invite, db.session.get(Office, invite.office_id), payload["e"], payload["n"])


def finish_join(join_token: str, secret: str, password: str) -> User:
    """Make the volunteer's account from their e-mailed link and the password they chose. No commit.

    The invite row is locked first, so two people finishing at once never pass its use limit.
    """
    pending = pending_join(join_token, secret)
    invite = _checked(db.session.scalar(select(Invite).where(Invite.id == pending.invite.id).with_for_update()
                                        .execution_options(populate_existing=True)))
    user = users.build_user(pending.email, "volunteer", password, name=pending.name, office_name=pending.office.name)
    invite.uses += 1
    db.session.flush()
    audit.record(user.id, "user.join", "user", user.id, office_id=invite.office_id, invite_id=invite.id)
    from . import recruits
    recruits.joined(user, invite.id)  # a recruit met at a door: linked to it, their promise kept
    return user
