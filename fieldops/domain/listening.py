"""What people raise at the door: notes tagged with the issues of the office's keyword list.

An office keeps a list of issues, each with the words that mean it, written
one issue per line: ``schools: school, teacher, kindergarten``. A note
mentions an issue when one of its words starts a word of the note, so
"school" finds "schools" and "schooling" but not "preschool". Pure functions.
"""
from __future__ import annotations

import re
from .text import N_, Refused

DEFAULT_ISSUES: dict[str, tuple[str, ...]] = {
    "housing": ("housing", "rent", "landlord", "evict"),
    "schools": ("school", "teacher", "kindergarten", "daycare"),
    "transport": ("tram", "bus", "metro", "traffic", "parking", "cycle", "bike"),
    "jobs": ("job", "wage", "unemploy", "employ", "shop", "business"),
    "taxes": ("tax",),
    "roads": ("road", "pothole", "pavement", "sidewalk", "deliver"),
    "safety": ("safety", "safe", "crime", "police", "lighting"),
    "environment": ("green", "park", "tree", "climate", "pollution", "noise"),
    "health": ("health", "doctor", "clinic", "hospital", "care"),
}
MAX_ISSUES = 30
MAX_WORDS = 30
_NAME = re.compile(r"^[\w][\w \-]{0,39}$")
_WORD = re.compile(r"\w+")


def parse_issue_list(text: str) -> dict[str, tuple[str, ...]]:
    """The office's issue list from its text form, or ValueError naming the line."""
    issues: dict[str, tuple[str, ...]] = {}
    for number, line in enumerate((text or "").splitlines(), start=1):
        line = line.strip()
        if not line:
            continue
        name, _, words = line.partition(":")
        name = name.strip().casefold()
        if not _NAME.match(name):
            raise Refused(N_("line %(number)s: start with the issue's name (letters, digits, spaces), then a colon"),
                          number=number)
        if name in issues:
            raise Refused(N_("line %(number)s: %(name)r is listed twice"), number=number, name=name)
        keywords = tuple(dict.fromkeys(w.strip().casefold() for w in words.split(",") if w.strip())) or (name,)
        if len(keywords) > MAX_WORDS:
            raise Refused(N_("line %(number)s: at most %(max_words)s words per issue"),
                          number=number, max_words=MAX_WORDS)
        if any(not _WORD.fullmatch(word) for word in keywords):
            raise Refused(N_("line %(number)s: each word is a single word (no spaces or punctuation)"),
                          number=number)
        issues[name] = keywords
    if len(issues) > MAX_ISSUES:
        raise Refused(N_("at most %(max_issues)s issues"), max_issues=MAX_ISSUES)
    return issues


def issue_list_text(issues: dict[str, tuple[str, ...]]) -> str:
    """The text form ``parse_issue_list`` reads back."""
    return "\n".join(f"{name}: {', '.join(words)}" for name, words in issues.items())


def tag_note(note: str, issues: dict[str, tuple[str, ...]]) -> list[str]:
    """The issues a note mentions, in the list's order."""
    words = [word.casefold() for word in _WORD.findall(note or "")]
    if not words:
        return []
    return [name for name, keywords in issues.items()
            if any(word.startswith(keyword) for keyword in keywords for word in words)]
