"""Door outcome codes, fixed and ordered as volunteers see them, with every fact that follows from each.

This table is the one source of what an outcome means: the server applies it (re-knocks in
``reknock.py``, bans and people gone in ``consequences.py``, the survey in ``contacts.py``) and the
walk list sends it to the phone as data (``phone_facts``), which applies it to the knocks it makes
offline. The JavaScript names no outcome and restates none of these facts.
"""
from __future__ import annotations

from dataclasses import dataclass

from .text import N_, Refused


@dataclass(frozen=True)
class Outcome:
    code: str
    label: str
    short: str                   # its initials, for paper walk lists and quick keyboard entry
    reached: bool = False        # someone talked with us
    opens_survey: bool = False   # the canvass's questions are asked
    retry: bool = False          # the door comes back after the canvass's hours, up to its attempts
    do_not_contact: bool = False  # the door leaves every later walk list, in every canvass
    person_status: str | None = None  # what it says of the person named: gone from the walk lists
    asks_language: bool = False  # the phone asks which language the household speaks, when none is on file

    @property
    def finishes_door(self) -> bool:
        """No knock again in this canvass: every outcome that is not a retry."""
        return not self.retry


OUTCOMES: tuple[Outcome, ...] = (
    Outcome("talked", N_("Talked"), "T", reached=True, opens_survey=True),
    Outcome("not_home", N_("Not home"), "NH", retry=True),
    Outcome("come_back", N_("Come back later"), "CB", retry=True),
    Outcome("refused", N_("Refused"), "R"),
    Outcome("moved", N_("Moved"), "M", person_status="moved"),
    Outcome("wrong_address", N_("Wrong address"), "WA"),
    Outcome("inaccessible", N_("Inaccessible"), "I"),
    Outcome("deceased", N_("Deceased"), "D", person_status="deceased"),
    Outcome("language_barrier", N_("Language barrier"), "LB", asks_language=True),
    Outcome("hostile", N_("Hostile (do not return)"), "H", do_not_contact=True),
    # Nobody answered and material was left at the door: the door is done for this canvass.
    Outcome("left_literature", N_("Left literature"), "LL"),
)

OUTCOME_CODES: tuple[str, ...] = tuple(o.code for o in OUTCOMES)
BY_CODE: dict[str, Outcome] = {o.code: o for o in OUTCOMES}
REACHED_CODES: frozenset[str] = frozenset(o.code for o in OUTCOMES if o.reached)


def outcome(code: str) -> Outcome:
    """Return the outcome for ``code`` or raise ValueError listing the valid codes."""
    try:
        return BY_CODE[code]
    except (KeyError, TypeError):
        raise Refused(N_("unknown outcome %(code)r: expected one of %(names)s"),
                      code=code, names=', '.join(OUTCOME_CODES)) from None


def phone_facts() -> list[dict]:
    """The table as the phone receives it with every walk list, in the order volunteers see it."""
    return [{"code": o.code, "label": o.label, "short": o.short, "reached": o.reached,
             "opens_survey": o.opens_survey, "retry": o.retry, "finishes_door": o.finishes_door,
             "do_not_contact": o.do_not_contact, "person_status": o.person_status,
             "asks_language": o.asks_language} for o in OUTCOMES]
