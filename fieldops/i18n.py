"""The interface in the people's own language: English, Spanish, Finnish and Swedish, with Flask-Babel.

Which language a page speaks: the person's own setting (My account), else the best of ours their
browser asks for (``Accept-Language``), else their office's default (Settings), else English. Dates
and numbers follow the same locale (``format_date``, ``format_decimal`` in templates).

The catalogs are gettext ``.po`` files in ``fieldops/translations/<lang>/LC_MESSAGES/messages.po``,
extracted by ``pybabel extract -F babel.cfg`` from the Python code (``_``, ``lazy_gettext``), the
templates (``{{ _('...') }}``, ``{% trans %}``) and the phone's JavaScript (``t('...')``). They are
compiled to ``.mo`` when the app starts if the ``.po`` is newer (into the instance folder, so a
read-only checkout works and nobody forgets a build step).

The JavaScript can't read gettext catalogs, so every page carries the translations of the strings the
scripts use, as JSON (``js_messages``), and ``static/js/i18n.js`` looks them up: one catalog for both.
"""
from __future__ import annotations

import functools
import json
import os
import re
import tempfile
from pathlib import Path

from babel import Locale
from babel.messages.extract import extract_from_file
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from flask import Flask, request
from flask_babel import Babel, get_locale, get_translations, gettext
from flask_login import current_user

from .config import INSTANCE_DIR, PROJECT_ROOT
from .domain.text import N_, Phrase, Refused
from .errors import FieldopsError, InvalidInput

from .domain.office_settings import LANGUAGE_CODES, language as office_language

LANGUAGES: dict[str, str] = {"en": "English", "es": "Español", "fi": "Suomi", "sv": "Svenska"}
assert tuple(LANGUAGES) == LANGUAGE_CODES
DEFAULT = "en"
CATALOGS = PROJECT_ROOT / "fieldops" / "translations"
JS_SOURCES = PROJECT_ROOT / "static" / "js"
JS_KEYWORDS = {"t": None, "ngettext": (1, 2)}  # t('Saved'), ngettext('%(num)s door', '%(num)s doors', n)
PLURAL_SAMPLES = (1, 0, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 21, 100, 1000000)

babel = Babel()


def check_language(code: str | None) -> str | None:
    """A language we speak, or None for 'no choice' (ValueError for one we don't)."""
    if code in (None, ""):
        return None
    if code not in LANGUAGES:
        raise Refused(N_("language must be one of %(names)s"), names=", ".join(LANGUAGES))
    return code


def select_locale() -> str:
    """The person's setting, else the browser's best match, else the office's default, else English."""
    user = current_user if current_user and current_user.is_authenticated else None
    own = getattr(user, "locale", None)
    if own in LANGUAGES:
        return own
    if request:
        asked = request.accept_languages.best_match(LANGUAGES, default=None)
        if asked:
            return asked
    office = getattr(user, "office", None)
    return (office_language(office.settings) if office is not None else None) or DEFAULT


def compiled_catalogs() -> Path:
    """The instance folder's compiled catalogs, rebuilt from each .po newer than its .mo."""
    target = INSTANCE_DIR / "translations"
    for po in CATALOGS.glob("*/LC_MESSAGES/messages.po"):
        mo = target / po.relative_to(CATALOGS).with_suffix(".mo")
        if mo.exists() and mo.stat().st_mtime >= po.stat().st_mtime:
            continue
        mo.parent.mkdir(parents=True, exist_ok=True)
        with po.open("rb") as handle:
            catalog = read_po(handle, locale=po.parts[-3])
        # Written aside then moved: several workers starting at once never read half a file.
        fd, temporary = tempfile.mkstemp(dir=mo.parent, suffix=".mo")
        with os.fdopen(fd, "wb") as handle:
            write_mo(handle, catalog)
        os.replace(temporary, mo)
    return target


@functools.cache
def js_msgids() -> tuple[str | tuple[str, str], ...]:
    """Every string the scripts translate (``t('...')`` in static/js), and every (singular, plural) pair
    of their ``ngettext(...)``, read once per process."""
    found: set[str | tuple[str, str]] = set()
    for script in sorted(JS_SOURCES.glob("*.js")):
        for _line, message, _comments, _context in extract_from_file("javascript", str(script),
                                                                     keywords=JS_KEYWORDS):
            found.add(message if isinstance(message, str) else tuple(message[:2]))
    return tuple(sorted(found, key=lambda m: m if isinstance(m, str) else m[0]))


@functools.cache
def plural_samples(language: str) -> dict[str, int]:
    """A number of each CLDR plural category of the language ('one': 1, 'many': 1000000, 'other': 0)."""
    rule = Locale.parse(language).plural_form
    samples: dict[str, int] = {}
    for number in PLURAL_SAMPLES:
        samples.setdefault(rule(number), number)
    return samples


def _plural_forms(singular: str, plural: str) -> dict[str, str]:
    """A plural message's forms by CLDR category, for the script's ``Intl.PluralRules`` to pick from."""
    translations = get_translations()
    return {category: translations.ngettext(singular, plural, number)
            for category, number in plural_samples(str(get_locale() or DEFAULT)).items()}


def js_messages() -> str:
    """The scripts' strings in the page's language, as JSON for ``static/js/i18n.js``: a text for each
    ``t()`` string, the forms by plural category for each ``ngettext()`` (keyed by its singular)."""
    messages = {(m if isinstance(m, str) else m[0]): (gettext(m) if isinstance(m, str) else _plural_forms(*m))
                for m in js_msgids()}
    text = json.dumps(messages, ensure_ascii=False)
    return text.replace("<", "\\u003c")  # inside a <script> element: no "</script>" can end it early


def refusal_text(refusal: ValueError) -> str:
    """A domain refusal (``domain.text.Refused``) in the page's language; any other ValueError as it says
    itself. Also for one quoted inside another message ("Alpha 1 cannot be split: <why>")."""
    if not isinstance(refusal, Refused):
        return str(refusal)
    return gettext(refusal.text, **_worded(refusal.values)) if refusal.values else gettext(refusal.text)


def _worded(values: dict) -> dict:
    """A message's values as the page says them: a refusal quoted inside it, and a Phrase, translated too."""
    return {key: refusal_text(value) if isinstance(value, Refused) else gettext(value) if isinstance(value, Phrase)
            else value for key, value in values.items()}


def error_text(error: FieldopsError) -> str:
    """A service's or importer's error as a page shows it, in the page's language: its text translated,
    then its values filled in; for bad input, where it was found too ("rivi 3, kenttä 'street': ...").
    The API keeps ``error.message``, the English."""
    text = gettext(error.text, **_worded(error.values)) if error.values else gettext(error.text)
    where = ", ".join(error.where(gettext)) if isinstance(error, InvalidInput) else ""
    return f"{where}: {text}" if where else text


def table_format_text(text: str) -> str:
    """How an import read its table ("utf-8 text, comma-separated", as the job's result keeps it) in the
    page's language; anything else as it is."""
    from .importers.tabular import SEPARATOR_NAMES, TABLE_FORMAT
    match = re.fullmatch(r"(\S+) text, (\w+)-separated", text or "")
    if not match or match.group(2) not in SEPARATOR_NAMES.values():
        return text
    return gettext(TABLE_FORMAT, encoding=match.group(1), separator=gettext(match.group(2)))


@functools.cache
def _stored_pattern(template: str) -> re.Pattern:
    return re.compile(re.sub(r"%\\\(([a-z_0-9]+)\\\)s", r"(?P<\1>.+?)", re.escape(template)))


def stored_text(text: str) -> str:
    """A sentence a job kept in its result in English (an import's warning), in the page's language when it
    is one of the known ones (``tabular.STORED_WARNINGS``); anything else as it is."""
    from .importers.tabular import STORED_WARNINGS
    for template in STORED_WARNINGS:
        match = _stored_pattern(template).fullmatch(text or "")
        if match:
            return gettext(template, **match.groupdict())
    return text


def init_app(app: Flask) -> None:
    app.config.setdefault("BABEL_DEFAULT_LOCALE", DEFAULT)
    babel.init_app(app, locale_selector=select_locale,
                   default_translation_directories=str(compiled_catalogs()))

    @app.context_processor
    def _language():
        return {"page_language": str(get_locale() or DEFAULT), "js_messages": js_messages,
                "languages": LANGUAGES, "error_text": error_text, "table_format_text": table_format_text,
                "stored_text": stored_text}
