"""Branching scripts: when a question is shown, as data a phone and the server both evaluate.

A condition is ``{"key": "support", "op": ">=", "value": 3}``: shown only if the earlier question
``support`` was answered and its answer compares so. Operators: ``=``, ``!=``, ``>=``, ``<=``, ``>``,
``<`` (numbers) and ``in`` (``value`` a list). An unanswered question never matches. This is the whole
language: static/js/conditions.js evaluates the same data the same way, and tests hold both to
``EXAMPLES``. Pure.
"""
from __future__ import annotations

import re
from typing import Any
from .text import N_, Refused

OPERATORS = ("=", "!=", ">=", "<=", ">", "<", "in")
_TEXT = re.compile(r"^\s*([A-Za-z][A-Za-z0-9_]*)\s*(>=|<=|!=|=|>|<|\bin\b)\s*(.+?)\s*$")


def matches(condition: dict[str, Any] | None, answers: dict[str, Any]) -> bool:
    """Whether a question with this condition is shown, given the answers so far (no condition: shown)."""
    if not condition:
        return True
    if condition["key"] not in answers or answers[condition["key"]] in (None, ""):
        return False
    answer, op, value = answers[condition["key"]], condition["op"], condition["value"]
    if op == "=":
        return answer == value
    if op == "!=":
        return answer != value
    if op == "in":
        return answer in value
    if isinstance(answer, bool) or not isinstance(answer, (int, float)):
        return False
    return {">=": answer >= value, "<=": answer <= value, ">": answer > value, "<": answer < value}[op]


def parse_condition(text: str, questions: list[dict[str, Any]]) -> dict[str, Any] | None:
    """A condition written on the canvass form, "support >= 3", "q1 >= 3" (question 1), "worry = Schools"
    or "worry in Schools, Roads", checked against the earlier ``questions``; None for an empty text."""
    text = (text or "").strip()
    if not text:
        return None
    found = _TEXT.match(text)
    if not found:
        raise Refused(N_("%(text)r: write it like 'support >= 3' (a question, an operator, a value)"),
                      text=text)
    key, op, value = found.group(1), found.group(2), found.group(3)
    numbered = re.fullmatch(r"[qQ](\d+)", key)
    if numbered and 1 <= int(numbered.group(1)) <= len(questions):
        key = questions[int(numbered.group(1)) - 1]["key"]
    earlier = {q["key"]: q for q in questions}
    question = earlier.get(key)
    if question is None:
        raise Refused(N_("%(text)r: %(key)r is not an earlier question"), text=text, key=key)
    if op == "in":
        return {"key": key, "op": op, "value": [_value(v.strip(), question) for v in value.split(",") if v.strip()]}
    return {"key": key, "op": op, "value": _value(value.strip(), question)}


def _value(text: str, question: dict[str, Any]) -> Any:
    kind = question["kind"]
    if kind == "scale":
        if not re.fullmatch(r"-?\d+", text):
            raise Refused(N_("%(key)r is answered with a number, not %(text)r"),
                          key=question['key'], text=text)
        return int(text)
    if kind == "yes_no":
        if text.casefold() not in ("yes", "no", "true", "false"):
            raise Refused(N_("%(key)r is answered yes or no, not %(text)r"),
                          key=question['key'], text=text)
        return text.casefold() in ("yes", "true")
    return text


def check_condition(condition: Any, earlier: list[dict[str, Any]], name: str) -> dict[str, Any]:
    """A condition as stored (from a questions file or the form), checked: it names an earlier question,
    a known operator, and a value that question can have. ``name`` says which question it belongs to."""
    if not isinstance(condition, dict) or set(condition) != {"key", "op", "value"}:
        raise Refused(N_('%(name)s: show_if is {"key", "op", "value"}'), name=name)
    by_key = {q["key"]: q for q in earlier}
    question = by_key.get(condition["key"])
    if question is None:
        raise Refused(N_("%(name)s: show_if names %(key)r, which is not an earlier question"),
                      name=name, key=condition['key'])
    op, value = condition["op"], condition["value"]
    if op not in OPERATORS:
        raise Refused(N_("%(name)s: show_if's op must be one of %(names)s"),
                      name=name, names=', '.join(OPERATORS))
    values = value if op == "in" else [value]
    if op == "in" and not isinstance(value, list):
        raise Refused(N_("%(name)s: show_if with 'in' takes a list of values"), name=name)
    for item in values:
        if question["kind"] == "scale" and (isinstance(item, bool) or not isinstance(item, int)):
            raise Refused(N_("%(name)s: %(key)r is a scale: compare it with a whole number"),
                          name=name, key=condition['key'])
        if question["kind"] == "yes_no" and not isinstance(item, bool):
            raise Refused(N_("%(name)s: %(key)r is yes or no: compare it with true or false"),
                          name=name, key=condition['key'])
        if question["kind"] == "choice" and item not in question["choices"]:
            raise Refused(N_("%(name)s: %(item)r is not a choice of %(key)r"),
                          name=name, item=item, key=condition['key'])
    if op in (">=", "<=", ">", "<") and question["kind"] != "scale":
        raise Refused(N_("%(name)s: only a scale compares with %(op)s"), name=name, op=op)
    return {"key": condition["key"], "op": op, "value": value}


def describe(condition: dict[str, Any] | None) -> str:
    """The condition as the form writes it: 'support >= 3'."""
    if not condition:
        return ""
    value = condition["value"]
    show = (lambda v: "yes" if v is True else "no" if v is False else str(v))
    text = ", ".join(show(v) for v in value) if isinstance(value, list) else show(value)
    return f"{condition['key']} {condition['op']} {text}"


# Shared with the phone's evaluator's test (tests/browser): (condition, answers, shown).
EXAMPLES = [
    ({"key": "support", "op": ">=", "value": 3}, {"support": 4}, True),
    ({"key": "support", "op": ">=", "value": 3}, {"support": 2}, False),
    ({"key": "support", "op": ">=", "value": 3}, {}, False),
    ({"key": "worry", "op": "in", "value": ["Schools", "Roads"]}, {"worry": "Roads"}, True),
    ({"key": "member", "op": "=", "value": True}, {"member": False}, False),
    ({"key": "worry", "op": "!=", "value": "Schools"}, {"worry": "Roads"}, True),
]
