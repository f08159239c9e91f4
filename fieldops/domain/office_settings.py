"""An office's own settings, from the settings form: promise due days, the neglect window, the days after
which a quiet turf is listed, the issue list.

Stored in ``Office.settings`` (JSON). Pure functions; errors are ValueError
naming the field.
"""
from __future__ import annotations

from typing import Any

from .followups import FOLLOW_UP_KINDS
from .listening import DEFAULT_ISSUES, issue_list_text, parse_issue_list
from .relationships import DEFAULT_NEGLECT_DAYS, MAX_NEGLECT_DAYS
from .volunteers import DEFAULT_QUIET_DAYS
from .text import N_, Refused

MAX_DUE_DAYS = 60
DEFAULT_IDLE_DAYS = 7  # a turf in a volunteer's hands with no knock for this long is listed for its organizer


def follow_up_days(settings: dict[str, Any] | None) -> dict[str, int]:
    """Days to keep each kind of promise: the office's own, else the defaults."""
    own = (settings or {}).get("follow_up_days", {})
    return {kind.code: int(own.get(kind.code, kind.due_days)) for kind in FOLLOW_UP_KINDS}


def neglect_days(settings: dict[str, Any] | None) -> int:
    return int((settings or {}).get("neglect_days", DEFAULT_NEGLECT_DAYS))


def idle_days(settings: dict[str, Any] | None) -> int:
    return int((settings or {}).get("idle_days", DEFAULT_IDLE_DAYS))


def quiet_volunteer_days(settings: dict[str, Any] | None) -> int:
    """Days without a shift after which a volunteer is listed for a check-in (21 unless the office sets another)."""
    return int((settings or {}).get("quiet_volunteer_days", DEFAULT_QUIET_DAYS))


def issues(settings: dict[str, Any] | None) -> dict[str, tuple[str, ...]]:
    own = (settings or {}).get("issues")
    return {name: tuple(words) for name, words in own.items()} if own is not None else dict(DEFAULT_ISSUES)


LANGUAGE_CODES = ("en", "es", "fi", "sv")  # the interface's languages (fieldops/i18n.py names them)


def language(settings: dict[str, Any] | None) -> str | None:
    """The language the office's pages speak to people whose browser asks for none of ours."""
    own = (settings or {}).get("language")
    return own if own in LANGUAGE_CODES else None


def form_values(settings: dict[str, Any] | None) -> dict[str, str]:
    """The settings as the form shows them."""
    values = {f"due_{code}": str(days) for code, days in follow_up_days(settings).items()}
    values["language"] = language(settings) or ""
    values["neglect_days"] = str(neglect_days(settings))
    values["idle_days"] = str(idle_days(settings))
    values["quiet_volunteer_days"] = str(quiet_volunteer_days(settings))
    values["issues"] = issue_list_text(issues(settings))
    return values


def parse_form(fields: dict[str, str]) -> dict[str, Any]:
    """New settings from the form's fields, checked."""
    days = {kind.code: _whole(fields.get(f"due_{kind.code}"), f"due_{kind.code}", 0, MAX_DUE_DAYS)
            for kind in FOLLOW_UP_KINDS}
    neglect = _whole(fields.get("neglect_days"), "neglect_days", 1, MAX_NEGLECT_DAYS)
    idle = _whole(fields.get("idle_days") or str(DEFAULT_IDLE_DAYS), "idle_days", 1, MAX_NEGLECT_DAYS)
    quiet = _whole(fields.get("quiet_volunteer_days") or str(DEFAULT_QUIET_DAYS), "quiet_volunteer_days", 1,
                   MAX_NEGLECT_DAYS)
    try:
        issue_list = parse_issue_list(fields.get("issues", ""))
    except ValueError as error:
        raise Refused(N_("issues: %(error)s"), error=error) from None
    chosen = fields.get("language") or None
    if chosen is not None and chosen not in LANGUAGE_CODES:
        raise Refused(N_("language: must be one of %(names)s"), names=', '.join(LANGUAGE_CODES))
    return {"follow_up_days": days, "neglect_days": neglect, "idle_days": idle, "language": chosen,
            "quiet_volunteer_days": quiet,
            "issues": {name: list(words) for name, words in issue_list.items()}}


def _whole(raw: str | None, field: str, low: int, high: int) -> int:
    text = (raw or "").strip()
    if not text.isdigit() or not low <= int(text) <= high:
        raise Refused(N_("%(field_name)s: a whole number of days from %(low)s to %(high)s"),
                      field_name=field, low=low, high=high)
    return int(text)
