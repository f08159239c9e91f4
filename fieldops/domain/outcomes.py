"""Door outcome codes, fixed and ordered as volunteers see them."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Outcome:
    code: str
    label: str
    short: str                   # its initials, for paper walk lists and quick keyboard entry
    reached: bool = False        # someone talked with us
    opens_survey: bool = False
    do_not_return: bool = False


OUTCOMES: tuple[Outcome, ...] = (
    Outcome("talked", "Talked", "T", reached=True, opens_survey=True),
    Outcome("not_home", "Not home", "NH"),
    Outcome("come_back", "Come back later", "CB"),
    Outcome("refused", "Refused", "R"),
    Outcome("moved", "Moved", "M"),
    Outcome("wrong_address", "Wrong address", "WA"),
    Outcome("inaccessible", "Inaccessible", "I"),
    Outcome("deceased", "Deceased", "D"),
    Outcome("language_barrier", "Language barrier", "LB"),
    Outcome("hostile", "Hostile (do not return)", "H", do_not_return=True),
)

OUTCOME_CODES: tuple[str, ...] = tuple(o.code for o in OUTCOMES)
BY_CODE: dict[str, Outcome] = {o.code: o for o in OUTCOMES}
REACHED_CODES: frozenset[str] = frozenset(o.code for o in OUTCOMES if o.reached)


def outcome(code: str) -> Outcome:
    """Return the outcome for ``code`` or raise ValueError listing the valid codes."""
    try:
        return BY_CODE[code]
    except (KeyError, TypeError):
        raise ValueError(f"unknown outcome {code!r}: expected one of {', '.join(OUTCOME_CODES)}") from None
