"""Survey questions a canvass asks at the door, and the answers a phone sends back.

A question is a dict: ``key`` (letters, digits, underscores), ``label`` (what
the volunteer reads), ``kind``, for ``choice`` its ``choices``, and ``hidden``
when new contacts no longer ask it (answers to it stay valid). Kinds:

- ``scale``: a whole number from ``min`` to ``max`` (support: 1 to 5);
- ``yes_no``: true or false;
- ``choice``: one of ``choices``;
- ``text``: free text, at most 1,000 characters.

A question may carry ``show_if``, a condition on an earlier answer (``domain.conditions``: "only if
support >= 3"): the phone shows it only then, and the server drops an answer to a question its
conditions did not show (a phone offline since an edit is not refused for it). A canvass may have the
script and each label and choice in other languages (``check_translations``); answers are stored by the
question's key and the English choice, whatever language the phone showed.

Pure functions; errors are ValueError with a message that names the question.
"""
from __future__ import annotations

import re
from typing import Any

from .conditions import check_condition, matches, parse_condition
from .languages import FALLBACK, parse_language
from .payloads import shown as shown_value
from .text import N_, Refused

KINDS = ("scale", "yes_no", "choice", "text")
KIND_LABELS = {"scale": N_("Scale (1 to 5)"), "yes_no": N_("Yes or no"), "choice": N_("One choice of several"),
               "text": N_("Free text")}  # translated where shown
MAX_TEXT = 1000
MAX_QUESTIONS = 20
_KEY = re.compile(r"^[a-z][a-z0-9_]{0,39}$")


def question_key(label: str) -> str:
    """A key made from a label: 'How likely to support?' -> 'how_likely_to_support'."""
    key = re.sub(r"[^a-z0-9]+", "_", label.casefold()).strip("_")[:40].rstrip("_")
    return key if key and key[0].isalpha() else f"q_{key}"[:40]


def check_questions(questions: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The questions, cleaned (keys made where missing, scale bounds filled in), or ValueError."""
    if not isinstance(questions, list):
        raise Refused(N_("questions must be a list"))
    if len(questions) > MAX_QUESTIONS:
        raise Refused(N_("a canvass asks at most %(max_questions)s questions"),
                      max_questions=MAX_QUESTIONS)
    cleaned, keys = [], set()
    for number, question in enumerate(questions, start=1):
        label = str(question.get("label", "")).strip()
        if not label:
            raise Refused(N_("question %(number)s needs a label"), number=number)
        kind = question.get("kind")
        if kind not in KINDS:
            raise Refused(N_("question %(number)s (%(label)r): kind must be one of %(names)s"),
                          number=number, label=label, names=', '.join(KINDS))
        key = str(question.get("key") or question_key(label))
        if not _KEY.match(key):
            raise Refused(N_("question %(number)s (%(label)r): key %(key)r must be lower-case letters, digits and _"),
                          number=number, label=label, key=key)
        if key in keys:
            raise Refused(N_("question %(number)s (%(label)r): another question already uses the key %(key)r"),
                          number=number, label=label, key=key)
        keys.add(key)
        item: dict[str, Any] = {"key": key, "label": label, "kind": kind}
        if kind == "scale":
            low, high = int(question.get("min", 1)), int(question.get("max", 5))
            if not low < high:
                raise Refused(N_("question %(number)s (%(label)r): the scale needs min below max"),
                              number=number, label=label)
            item.update(min=low, max=high)
        if kind == "choice":
            choices = [str(c).strip() for c in question.get("choices", []) if str(c).strip()]
            if len(choices) < 2 or len(set(choices)) != len(choices):
                raise Refused(N_("question %(number)s (%(label)r): give at least two different choices"),
                              number=number, label=label)
            item["choices"] = choices
        if question.get("hidden"):
            item["hidden"] = True
        show_if = question.get("show_if")
        if isinstance(show_if, str):
            show_if = parse_condition(show_if, cleaned) if show_if.strip() else None
        if show_if:
            item["show_if"] = check_condition(show_if, cleaned, f"question {number} ({label!r})")
        cleaned.append(item)
    return cleaned


def check_translations(questions: list[dict[str, Any]], translations: Any) -> dict[str, Any]:
    """The script and questions in other languages, cleaned: ``{"fi": {"script": "...", "questions":
    {key: {"label": "...", "choices": [...]}}}}``. A translated choice list has one entry per choice, in
    the same order (the answer stored is the English choice). Missing parts fall back to English."""
    if translations in (None, "", {}):
        return {}
    if not isinstance(translations, dict):
        raise Refused(N_('translations are an object: {"fi": {"script": "...", "questions": {...}}}'))
    by_key = {q["key"]: q for q in questions}
    cleaned: dict[str, Any] = {}
    for raw_code, part in translations.items():
        code = parse_language(raw_code, "translations")
        if code is None or code == FALLBACK:
            raise Refused(N_("translations: %(raw_code)r is not another language (English is the questions themselves)"),
                          raw_code=raw_code)
        if not isinstance(part, dict) or set(part) - {"script", "questions"}:
            raise Refused(N_('translations %(code)s: give "script" and/or "questions"'), code=code)
        item: dict[str, Any] = {}
        if part.get("script"):
            if not isinstance(part["script"], str):
                raise Refused(N_("translations %(code)s: the script is text"), code=code)
            item["script"] = part["script"].strip()
        texts = part.get("questions") or {}
        if not isinstance(texts, dict):
            raise Refused(N_("translations %(code)s: questions are an object of question key -> label and choices"),
                          code=code)
        item["questions"] = {}
        for key, text in texts.items():
            question = by_key.get(key)
            if question is None:
                raise Refused(N_("translations %(code)s: no question %(key)r in this canvass"),
                              code=code, key=key)
            if isinstance(text, str):
                text = {"label": text}
            if not isinstance(text, dict) or set(text) - {"label", "choices"}:
                raise Refused(N_('translations %(code)s, %(key)r: give "label" and/or "choices"'),
                              code=code, key=key)
            entry: dict[str, Any] = {}
            if text.get("label"):
                entry["label"] = str(text["label"]).strip()
            if text.get("choices") is not None:
                choices = [str(c).strip() for c in text["choices"]] if isinstance(text["choices"], list) else None
                if question["kind"] != "choice" or choices is None or len(choices) != len(question["choices"]) \
                        or not all(choices):
                    raise Refused(N_("translations %(code)s, %(key)r: translate each of its %(count)s choices, in order"),
                                  code=code, key=key, count=len(question.get('choices', [])))
                entry["choices"] = choices
            item["questions"][key] = entry
        cleaned[code] = item
    return cleaned


def shown_keys(questions: list[dict[str, Any]], answers: dict[str, Any]) -> set[str]:
    """The questions a phone shows, given these answers: each question's condition on earlier answers,
    in order (a question not shown counts as unanswered for the questions after it)."""
    shown, given = set(), {}
    for question in questions:
        if matches(question.get("show_if"), given):
            shown.add(question["key"])
            if question["key"] in answers:
                given[question["key"]] = answers[question["key"]]
    return shown


def unanswered(questions: list[dict[str, Any]], answers: dict[str, Any]) -> list[str]:
    """The asked (not hidden) questions these answers leave unanswered among those shown: what a canvass
    whose survey is not optional refuses in a conversation. Free text is never required."""
    shown = shown_keys(questions, answers)
    return [q["key"] for q in asked_questions(questions)
            if q["key"] in shown and q["kind"] != "text" and answers.get(q["key"]) in (None, "")]


def asked_questions(questions: list[dict[str, Any]] | None) -> list[dict[str, Any]]:
    """The questions new contacts are asked: all but the hidden ones."""
    return [q for q in questions or [] if not q.get("hidden")]


def check_question_edit(before: list[dict[str, Any]], after: list[dict[str, Any]],
                        answered: set[str]) -> list[dict[str, Any]]:
    """The edited questions of a canvass, cleaned, or ValueError naming the question.

    Answers already given stay valid: a question with answers (its key in ``answered``) keeps its key,
    its kind, every choice and its scale; it may be relabelled, gain choices, or be hidden from new
    contacts, but not removed. A question nobody has answered may change in any way. A question keeps
    its key when edited (the form carries it), so relabelling never orphans its answers.
    """
    old_by_key = {q["key"]: q for q in before}
    merged = []
    for question in after:
        old = old_by_key.get(question.get("key"))
        if old is not None and old["kind"] == "scale" and question.get("kind") == "scale":
            question = {"min": old["min"], "max": old["max"], **question}  # the form does not show the bounds
        merged.append(question)
    cleaned = check_questions(merged)
    new_by_key = {q["key"]: q for q in cleaned}
    for old in before:
        if old["key"] not in answered:
            continue
        name = f"question {old['label']!r}"
        new = new_by_key.get(old["key"])
        if new is None:
            raise Refused(N_("%(name)s has answers: hide it from new contacts instead of removing it"),
                          name=name)
        if new["kind"] != old["kind"]:
            raise Refused(N_("%(name)s has answers: its answer stays %(value)s"),
                          name=name, value=KIND_LABELS[old['kind']].lower())
        if old["kind"] == "choice":
            dropped = [c for c in old["choices"] if c not in new["choices"]]
            if dropped:
                raise Refused(N_("%(name)s has answers: keep the choice %(value)r (you may add others)"),
                              name=name, value=dropped[0])
        if old["kind"] == "scale" and (new["min"] > old["min"] or new["max"] < old["max"]):
            raise Refused(N_("%(name)s has answers: its scale stays %(min)s to %(max)s"),
                          name=name, min=old['min'], max=old['max'])
    return cleaned


def check_answers(questions: list[dict[str, Any]], answers: dict[str, Any]) -> dict[str, Any]:
    """The answers, checked against the questions; unanswered questions are left out."""
    if not isinstance(answers, dict):
        raise Refused(N_("answers must be an object of question key -> answer"))
    by_key = {q["key"]: q for q in questions}
    unknown = sorted(set(answers) - set(by_key))
    if unknown:
        raise Refused(N_("no question %(value)s in this canvass"), value=shown_value(unknown[0]))
    cleaned = {}
    for key, value in answers.items():
        if value is None or value == "":
            continue
        question = by_key[key]
        kind = question["kind"]
        if kind == "scale":
            if isinstance(value, bool) or not isinstance(value, int) or not question["min"] <= value <= question["max"]:
                raise Refused(N_("answer to %(key)r must be a whole number from %(min)s to %(max)s"),
                              key=key, min=question['min'], max=question['max'])
        elif kind == "yes_no":
            if not isinstance(value, bool):
                raise Refused(N_("answer to %(key)r must be true or false"), key=key)
        elif kind == "choice":
            if value not in question["choices"]:
                raise Refused(N_("answer to %(key)r must be one of %(names)s"),
                              key=key, names=', '.join(question['choices']))
        elif not isinstance(value, str) or len(value) > MAX_TEXT:
            raise Refused(N_("answer to %(key)r must be text of at most %(max_text)s characters"),
                          key=key, max_text=MAX_TEXT)
        cleaned[key] = value.strip() if isinstance(value, str) else value
    # A question its conditions did not show has no answer: the phone never sends one, and one sent
    # anyway (a phone offline since the condition changed) is dropped, never stored.
    visible = shown_keys(questions, cleaned)
    return {key: value for key, value in cleaned.items() if key in visible}
