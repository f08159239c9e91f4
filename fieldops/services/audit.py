"""Append to the audit log: exports, role changes, deletions."""
from __future__ import annotations

from typing import Any

from ..extensions import db
from ..models import AuditEvent


def record(actor_id: int | None, action: str, target_type: str, target_id: Any = None,
           **details: Any) -> AuditEvent:
    """Add an audit event to the current transaction (the caller commits)."""
    event = AuditEvent(actor_id=actor_id, action=action, target_type=target_type,
                       target_id=None if target_id is None else str(target_id), details=details)
    db.session.add(event)
    return event
