"""Languages of households and volunteers: ISO 639-1 codes ("fi", "sv", "es"), checked and named.

A code is two or three lower-case letters; the names below are what pages show (any other well-formed
code is kept and shown as written). English is the fallback of every script and question. Pure.
"""
from __future__ import annotations

import re

from .text import N_, Refused

FALLBACK = "en"
NAMES = {
    "en": N_("English"), "es": N_("Spanish"), "fi": N_("Finnish"), "sv": N_("Swedish"), "ar": N_("Arabic"), "de": N_("German"),
    "et": N_("Estonian"), "fa": N_("Persian"), "fr": N_("French"), "ht": N_("Haitian Creole"), "ko": N_("Korean"), "ku": N_("Kurdish"),
    "pt": N_("Portuguese"), "ru": N_("Russian"), "se": N_("Northern Sami"), "so": N_("Somali"), "tl": N_("Tagalog"), "uk": N_("Ukrainian"),
    "vi": N_("Vietnamese"), "zh": N_("Chinese"),
}
_CODE = re.compile(r"^[a-z]{2,3}$")
MAX_LANGUAGES = 10


def parse_language(value, field: str = "language") -> str | None:
    """A language code, lower-cased, or None when empty; ValueError naming ``field`` otherwise.
    A known name ("Finnish", "suomi" is not known) is taken for its code."""
    if value is None:
        return None
    if not isinstance(value, str):
        raise Refused(N_("%(field_name)s must be a language code like fi, sv or es"), field_name=field)
    text = value.strip().casefold()
    if not text:
        return None
    by_name = {name.casefold(): code for code, name in NAMES.items()}
    text = by_name.get(text, text)
    if not _CODE.match(text):
        raise Refused(N_("%(field_name)s %(value)r is not a language code like fi, sv or es"),
                      field_name=field, value=value)
    return text


def parse_languages(values, field: str = "languages") -> list[str]:
    """A list of language codes (or one text of codes separated by commas or spaces), each once, in order."""
    if isinstance(values, str):
        values = [v for v in re.split(r"[,\s;]+", values) if v]
    if not isinstance(values, list):
        raise Refused(N_("%(field_name)s must be a list of language codes"), field_name=field)
    codes = []
    for value in values:
        code = parse_language(value, field)
        if code and code not in codes:
            codes.append(code)
    if len(codes) > MAX_LANGUAGES:
        raise Refused(N_("%(field_name)s: at most %(max_languages)s languages"),
                      field_name=field, max_languages=MAX_LANGUAGES)
    return codes


def name_of(code: str | None) -> str:
    """What a page shows for a code: its English name, else the code itself."""
    return NAMES.get(code or "", code or "")


def pick_language(household: list[str], volunteer: list[str], available: list[str]) -> str:
    """The language a phone shows a door's script and questions in: the household's when the volunteer
    speaks it and the canvass has it, else the volunteer's first one the canvass has, else English."""
    for code in household:
        if code in volunteer and code in available:
            return code
    for code in volunteer:
        if code in available:
            return code
    return FALLBACK
