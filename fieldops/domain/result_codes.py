"""How an office's results read in the committee's own systems: VAN bulk-upload rows and OSDI canvasses.

Committees name their canvass result codes, survey questions and responses their own way, so each
office keeps a mapping (``Office.settings["results_for_committee"]``) from our outcomes and answers to
those names. Without one, our outcome labels, question labels and answers go out as they are.

The mapping as stored::

    {"results": {"not_home": "Not Home", ...},        # outcome code -> result code name
     "questions": {"support": "Support 2026"},         # question key -> survey question name
     "responses": {"support=5": "Strong Support"}}     # question key=answer -> response name

Pure functions: rows and documents are built from ``ExportedContact`` records the service reads.
Errors are ``Refused`` with the form's field (``field``) and, for the survey names, the line.
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, timezone
from typing import Any

from .outcomes import BY_CODE, OUTCOMES
from .text import N_, Phrase, Refused

SETTINGS_KEY = "results_for_committee"
MAX_NAME = 100
VAN_FIXED_COLUMNS = ("VAN ID", "Date Contacted", "Canvass Result")
_MAPPING_LINE = re.compile(r"^\s*(?P<key>[a-z][a-z0-9_]*)\s*(?:=\s*(?P<answer>[^:]+?))?\s*:\s*(?P<name>.+?)\s*$")


@dataclass(frozen=True)
class ExportedContact:
    """One contact as the exports need it; ``van_ids`` are the people it speaks for (a household knock
    speaks for everyone at the door with an id)."""
    contact_id: str
    recorded_at: datetime
    local_date: date
    outcome: str
    answers: dict[str, Any]
    van_ids: tuple[str, ...]


@dataclass(frozen=True)
class Mapping:
    results: dict[str, str]
    questions: dict[str, str]
    responses: dict[str, str]
    # The responses by their key case-folded: a line saved before answers were checked may spell the answer
    # another way ("yard_sign=yes"). Built once here, not per contact of a statewide export.
    folded: dict[str, str]

    def result(self, outcome: str) -> str:
        if outcome in self.results:
            return self.results[outcome]
        return BY_CODE[outcome].label if outcome in BY_CODE else outcome

    def question(self, question: dict[str, Any]) -> str:
        return self.questions.get(question["key"]) or question["label"]

    def response(self, question: dict[str, Any], answer: Any) -> str:
        text = answer_text(answer)
        key = f"{question['key']}={text}"
        return self.responses.get(key) or self.folded.get(key.casefold()) or text


def answer_text(answer: Any) -> str:
    """An answer as the mapping and the files write it: yes/no for booleans, the value otherwise."""
    if isinstance(answer, bool):
        return "Yes" if answer else "No"
    return "" if answer is None else str(answer)


def mapping(settings: dict[str, Any] | None) -> Mapping:
    """The office's mapping, with our names wherever it names none."""
    own = (settings or {}).get(SETTINGS_KEY) or {}
    responses = dict(own.get("responses", {}))
    return Mapping(results=dict(own.get("results", {})), questions=dict(own.get("questions", {})),
                   responses=responses, folded={key.casefold(): name for key, name in responses.items()})


def form_values(settings: dict[str, Any] | None) -> dict[str, str]:
    """The mapping as the settings form shows it: one field per outcome, the survey names as lines."""
    own = mapping(settings)
    values = {f"result_{o.code}": own.results.get(o.code, o.label) for o in OUTCOMES}
    lines = [f"{key}: {name}" for key, name in sorted(own.questions.items())]
    lines += [f"{key}: {name}" for key, name in sorted(own.responses.items())]
    values["survey_names"] = "\n".join(lines)
    return values


def parse_form(fields: dict[str, str], questions: Iterable[dict[str, Any]] = ()) -> dict[str, Any]:
    """The mapping from the form's fields, checked against the office's survey ``questions``: what the office's
    settings store under SETTINGS_KEY. A line naming a question no canvass asks, or an answer the question
    can't have, is refused with its line: saved, it would silently never match, and VAN would get our words.
    Answers are matched whatever their case ("yes", "Yes") and stored as the exports write them."""
    by_key: dict[str, list[dict[str, Any]]] = {}  # a key two canvasses ask differently: each way counts
    for question in questions:
        by_key.setdefault(question["key"], []).append(question)
    results = {}
    for o in OUTCOMES:
        field = f"result_{o.code}"
        name = _clean_name(fields.get(field, ""), field, Phrase(o.label))
        if name and name != o.label:
            results[o.code] = name
    questions_named, responses = {}, {}
    for number, line in enumerate((fields.get("survey_names") or "").splitlines(), start=1):
        if not line.strip():
            continue
        match = _MAPPING_LINE.match(line)
        if not match:
            raise Refused(N_("line %(number)s of the survey names (%(value)r) should read 'question_key: Survey "
                             "question name' or 'question_key=answer: Response name'"),
                          field="survey_names", number=number, value=line.strip()[:40])
        where = {"field": "survey_names", "number": number}
        name = _clean_name(match["name"], "survey_names", Refused(N_("line %(number)s of the survey names"),
                                                                   number=number))
        asked = by_key.get(match["key"])
        if not asked:
            raise Refused(N_("line %(number)s of the survey names: no survey question has the key %(key)r (the "
                             "keys: %(names)s)"), key=match["key"], names=", ".join(by_key) or "—", **where)
        if match["answer"] is None:
            questions_named[match["key"]] = name
        else:
            for answer in _known_answers(asked, match["answer"].strip(), where):
                responses[f"{match['key']}={answer}"] = name
    return {"results": results, "questions": questions_named, "responses": responses}


def _known_answers(asked: list[dict[str, Any]], answer: str, where: dict[str, Any]) -> list[str]:
    """The answer as each way the key is asked writes it, where it can have it; refused (as the newest
    way would refuse it) when none can."""
    found, refusal = [], None
    for question in asked:
        try:
            found.append(_known_answer(question, answer, where))
        except Refused as why:
            refusal = refusal or why
    if not found:
        raise refusal
    return list(dict.fromkeys(found))


def _known_answer(question: dict[str, Any], answer: str, where: dict[str, Any]) -> str:
    """The answer as the exports write it (``answer_text``), if the question can have it."""
    kind, key = question["kind"], question["key"]
    if kind == "yes_no":
        spelled = {"yes": "Yes", "true": "Yes", "no": "No", "false": "No"}.get(answer.casefold())
        if spelled is None:
            raise Refused(N_("line %(number)s of the survey names: %(key)r is a yes/no question: write "
                             "%(key)s=Yes or %(key)s=No"), key=key, **where)
        return spelled
    if kind == "scale":
        if not re.fullmatch(r"\d+", answer) or not question["min"] <= int(answer) <= question["max"]:
            raise Refused(N_("line %(number)s of the survey names: %(key)r is answered %(min)s to %(max)s"),
                          key=key, min=question["min"], max=question["max"], **where)
        return str(int(answer))
    if kind == "choice":
        for choice in question["choices"]:
            if choice.casefold() == answer.casefold():
                return choice
        raise Refused(N_("line %(number)s of the survey names: %(key)r is answered one of %(names)s"),
                      key=key, names=", ".join(question["choices"]), **where)
    raise Refused(N_("line %(number)s of the survey names: %(key)r is answered in words, which go out as "
                     "written: name the question only"), key=key, **where)


def _clean_name(value: str, field: str, named) -> str:
    """A committee's name, spaces tidied; ``named`` is what the refusal calls the field (an outcome's label,
    or the line of the survey names)."""
    name = " ".join(str(value).split())
    if len(name) > MAX_NAME:
        raise Refused(N_("%(field_name)s: at most %(max_name)s characters"),
                      field=field, field_name=named, max_name=MAX_NAME)
    if any(ord(ch) < 32 for ch in name):
        raise Refused(N_("%(field_name)s: no control characters"), field=field, field_name=named)
    return name


def utc_timestamp(moment: datetime) -> str:
    """ISO 8601 in UTC with its "Z", as OSDI's examples write it: a time without a zone would be read as the
    receiving system's local time. Stored times without a zone are UTC (SQLite keeps none)."""
    moment = moment.replace(tzinfo=timezone.utc) if moment.tzinfo is None else moment.astimezone(timezone.utc)
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def van_header(questions: list[dict[str, Any]], own: Mapping) -> list[str]:
    """VAN's bulk-upload columns: the id, the date, the result, then one column per survey question."""
    return [*VAN_FIXED_COLUMNS, *(own.question(q) for q in questions)]


def van_rows(contacts: Iterable[ExportedContact], questions: list[dict[str, Any]], own: Mapping) -> Iterator[list]:
    """One row per person a contact speaks for; the survey cells hold the response names."""
    for contact in contacts:
        result = own.result(contact.outcome)
        cells = [own.response(q, contact.answers[q["key"]]) if q["key"] in contact.answers else ""
                 for q in questions]
        for van_id in contact.van_ids:
            yield [van_id, contact.local_date.strftime("%m/%d/%Y"), result, *cells]


def osdi_canvasses(contacts: Iterable[ExportedContact], questions: list[dict[str, Any]], own: Mapping,
                   reached: frozenset[str]) -> Iterator[dict[str, Any]]:
    """OSDI record_canvass helper bodies, one per person a contact speaks for, each with the person's
    identifier (the body is POSTed to ``people/{identifier}/record_canvass_helper``)."""
    by_key = {q["key"]: q for q in questions}
    for contact in contacts:
        success = contact.outcome in reached
        answers = []
        for key, answer in contact.answers.items():
            question = by_key.get(key)
            if question is None:
                continue
            entry: dict[str, Any] = {"question": own.question(question)}
            if question["kind"] == "text":
                entry["value"] = answer_text(answer)
            else:
                entry["responses"] = [own.response(question, answer)]
            answers.append(entry)
        for van_id in contact.van_ids:
            yield {"person_identifiers": [f"VAN:{van_id}"],
                   "identifiers": [f"fieldops:{contact.contact_id}"],
                   "canvass": {"origin_system": "Fieldops", "action_date": utc_timestamp(contact.recorded_at),
                               "contact_type": "in-person", "input_type": "mobile", "success": success,
                               "status_code": "" if success else own.result(contact.outcome)},
                   "add_answers": answers}
