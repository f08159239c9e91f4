"""The audit log: exports, role changes, deletions; appended to by services, read by admins."""
from __future__ import annotations

from typing import Any

from sqlalchemy import select

from ..extensions import db
from ..models import AuditEvent, User


def record(actor_id: int | None, action: str, target_type: str, target_id: Any = None,
           **details: Any) -> AuditEvent:
    """Add an audit event to the current transaction (the caller commits)."""
    event = AuditEvent(actor_id=actor_id, action=action, target_type=target_type,
                       target_id=None if target_id is None else str(target_id), details=details)
    db.session.add(event)
    return event


PAGE_SIZE = 100


def recent(action_prefix: str = "", before_id: int | None = None) -> list[tuple[AuditEvent, str | None]]:
    """The newest events first (optionally only actions starting with ``action_prefix``, older than
    ``before_id``), each with its actor's e-mail."""
    query = (select(AuditEvent, User.email).outerjoin(User, User.id == AuditEvent.actor_id)
             .order_by(AuditEvent.id.desc()).limit(PAGE_SIZE))
    if action_prefix:
        query = query.where(AuditEvent.action.startswith(action_prefix, autoescape=True))
    if before_id is not None:
        query = query.where(AuditEvent.id < before_id)
    return [(event, email) for event, email in db.session.execute(query)]
