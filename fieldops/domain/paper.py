"""Paper walk lists: what the printed sheet asks, in short codes, and the filled-in sheet read back.

When phones fail, volunteers walk a printed list and write, beside each door,
the outcome's initials (T, NH, CB, R, M, WA, I, D, LB, H), a code per survey
question and the promises made. The sheet prints its legend from the
functions below and the organizer types the same codes back in, so what is
printed and what is read cannot drift apart:

- a scale question: the number (1 to 5 for support);
- yes or no: Y or N;
- one choice of several: the choice's letter (A, B, C ...) or its name;
- free text: as written;
- promises: one letter per promise ticked (C call back, I send information,
  S yard sign, V wants to volunteer), in any order.

The values read here then pass the phone's own checks (``surveys.check_answers``
here for a named field, and again in the sync). Pure functions; errors name the row and field.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from .followups import BY_CODE as FOLLOW_UP_KINDS
from .outcomes import BY_CODE as OUTCOMES_BY_CODE, OUTCOMES
from .surveys import check_answers
from .text import N_, Refused

_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford's base 32: no I, L, O or U to misread
BY_SHORT = {o.short: o.code for o in OUTCOMES}
MAX_NOTE = 2000
# The sheet's promise boxes: letter -> follow-up kind. Letters, not the kinds' initials, so that none
# reads like an outcome (CB is "come back later").
PROMISE_LETTERS: dict[str, str] = {"C": "call_back", "I": "send_info", "S": "yard_sign", "V": "volunteer"}
_YES_NO = {"Y": True, "YES": True, "N": False, "NO": False}


def door_code(door_id: int) -> str:
    """A short code for a door, stable as long as the door exists: 1234 -> '16J'."""
    digits = ""
    while True:
        door_id, rest = divmod(door_id, 32)
        digits = _ALPHABET[rest] + digits
        if not door_id:
            return digits


def choice_letter(position: int) -> str:
    """The letter a choice is written as: 0 -> 'A', 1 -> 'B' (a canvass asks at most 26 choices)."""
    return chr(ord("A") + position)


def answer_codes(question: dict[str, Any]) -> list[tuple[str, str]]:
    """(code, meaning) for each answer the sheet offers to ``question``; empty for free text."""
    kind = question["kind"]
    if kind == "scale":
        return [(str(n), str(n)) for n in range(question["min"], question["max"] + 1)]
    if kind == "yes_no":
        return [("Y", "yes"), ("N", "no")]
    if kind == "choice":
        return [(choice_letter(n), choice) for n, choice in enumerate(question["choices"])]
    return []


def answer_hint(question: dict[str, Any]) -> str:
    """What to write for a question, in a few words: '1 to 5', 'Y or N', 'A to F', 'as written'."""
    codes = answer_codes(question)
    if question["kind"] == "yes_no":
        return "Y or N"
    return f"{codes[0][0]} to {codes[-1][0]}" if codes else "as written"


def promise_legend() -> list[tuple[str, str]]:
    """(letter, what was promised) for the sheet's promise boxes."""
    return [(letter, FOLLOW_UP_KINDS[kind].label) for letter, kind in PROMISE_LETTERS.items()]


class SheetError(ValueError):
    """A row of the sheet that cannot be read: ``row`` is its printed number, ``field`` the column."""

    def __init__(self, row: int, field: str, message: str):
        super().__init__(f"row {row}, {field}: {message}")
        self.row, self.field = row, field


@dataclass(frozen=True)
class SheetRow:
    """One printed row as typed in: the door it is for and what was written beside it."""
    door_id: int
    outcome: str = ""
    note: str = ""
    answers: dict[str, str] = field(default_factory=dict)  # question key -> the code written
    promises: str = ""                                      # promise letters, e.g. "CS"


@dataclass(frozen=True)
class Knock:
    """A row that was knocked, read: what the sync takes as one contact."""
    row: int
    door_id: int
    outcome: str
    note: str = ""
    answers: dict[str, Any] = field(default_factory=dict)  # question key -> the answer, typed
    follow_ups: tuple[str, ...] = ()


def question_name(number: int) -> str:
    """A question's column on the sheet and the type-in page: 'Q1'."""
    return f"Q{number}"


def read_answer(question: dict[str, Any], written: str) -> Any:
    """The answer a code stands for (None when blank), checked as the phone's answers are. ValueError."""
    text = (written or "").strip()
    if not text:
        return None
    kind = question["kind"]
    if kind == "scale":
        value: Any = int(text) if text.isdigit() else None
    elif kind == "yes_no":
        value = _YES_NO.get(text.upper())
    elif kind == "choice":
        letters = dict(answer_codes(question))
        names = {choice.casefold(): choice for choice in question["choices"]}
        value = letters.get(text.upper()) or names.get(text.casefold())
    else:
        value = text
    if value is None:
        raise Refused(N_("%(text)r is not an answer: write %(value)s"),
                      text=text, value=answer_hint(question))
    try:
        return check_answers([question], {question["key"]: value})[question["key"]]
    except ValueError:
        if kind == "text":
            raise
        raise Refused(N_("%(text)r is not an answer: write %(value)s"),
                      text=text, value=answer_hint(question)) from None


def read_promises(written: str) -> tuple[str, ...]:
    """The follow-up kinds of the promise letters written ('C S' or 'cs' -> call back, yard sign)."""
    letters = [c for c in (written or "").upper() if not c.isspace() and c not in ",;"]
    unknown = sorted({c for c in letters if c not in PROMISE_LETTERS})
    if unknown:
        raise ValueError(f"{''.join(unknown)!r} is not a promise: use "
                         + ", ".join(f"{letter} {label.lower()}" for letter, label in promise_legend()))
    return tuple(dict.fromkeys(PROMISE_LETTERS[c] for c in letters))


def read_sheet(rows: list[SheetRow], questions: list[dict[str, Any]] = ()) -> list[Knock]:
    """The knocked rows of a typed-in sheet, numbered as printed; a blank outcome is a door not knocked.
    SheetError names the first row and field that cannot be read."""
    knocked = []
    for number, sheet_row in enumerate(rows, start=1):
        initials = (sheet_row.outcome or "").strip().upper()
        note = (sheet_row.note or "").strip()
        written = {key: code for key, code in sheet_row.answers.items() if (code or "").strip()}
        if not initials:
            if note or written or (sheet_row.promises or "").strip():
                raise SheetError(number, "outcome", "something is written but no outcome: write the outcome's "
                                 "initials, or clear the row")
            continue
        if initials not in BY_SHORT:
            raise SheetError(number, "outcome", f"{sheet_row.outcome.strip()!r} is not an outcome: use "
                             f"{', '.join(BY_SHORT)}")
        outcome = BY_SHORT[initials]
        if len(note) > MAX_NOTE:
            raise SheetError(number, "note", f"a note has at most {MAX_NOTE} characters")
        answers = {}
        for position, question in enumerate(questions, start=1):
            if question["key"] not in written:
                continue
            if not OUTCOMES_BY_CODE[outcome].opens_survey:
                raise SheetError(number, question_name(position),
                                 f"answers are written only for a conversation (T), not {initials}")
            try:
                answers[question["key"]] = read_answer(question, written[question["key"]])
            except ValueError as error:
                raise SheetError(number, question_name(position), str(error)) from None
        try:
            follow_ups = read_promises(sheet_row.promises)
        except ValueError as error:
            raise SheetError(number, "promises", str(error)) from None
        knocked.append(Knock(number, sheet_row.door_id, outcome, note, answers, follow_ups))
    return knocked


def check_day(day: date, today: date) -> date:
    """The date written on the sheet, if it is not still to come (``today`` is the office's). ValueError."""
    if day > today:
        raise Refused(N_("the date written, %(value)s, is after today (%(value2)s): check the date on the sheet"),
                      value=day.isoformat(), value2=today.isoformat())
    return day
