"""Promises made at the door: their kinds and when each falls due."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from .text import N_, Refused


@dataclass(frozen=True)
class FollowUpKind:
    code: str
    label: str
    due_days: int  # days after the knock, unless the office sets its own


FOLLOW_UP_KINDS: tuple[FollowUpKind, ...] = (
    FollowUpKind("call_back", N_("Call back"), 2),
    FollowUpKind("send_info", N_("Send information"), 3),
    FollowUpKind("yard_sign", N_("Yard sign"), 7),
    FollowUpKind("volunteer", N_("Wants to volunteer"), 2),
)
BY_CODE = {kind.code: kind for kind in FOLLOW_UP_KINDS}


def due_date(kind: str, made_on: date, office_days: dict[str, int] | None = None) -> date:
    """When a promise of ``kind`` made on ``made_on`` falls due; the office's own days win."""
    if kind not in BY_CODE:
        raise Refused(N_("unknown follow-up %(kind)r: expected one of %(names)s"),
                      kind=kind, names=', '.join(BY_CODE))
    days = (office_days or {}).get(kind, BY_CODE[kind].due_days)
    return made_on + timedelta(days=int(days))
