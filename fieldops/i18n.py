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
import tempfile
from pathlib import Path

from babel.messages.extract import extract_from_file
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from flask import Flask, request
from flask_babel import Babel, get_locale, gettext
from flask_login import current_user

from .config import INSTANCE_DIR, PROJECT_ROOT

from .domain.office_settings import LANGUAGE_CODES, language as office_language

LANGUAGES: dict[str, str] = {"en": "English", "es": "Español", "fi": "Suomi", "sv": "Svenska"}
assert tuple(LANGUAGES) == LANGUAGE_CODES
DEFAULT = "en"
CATALOGS = PROJECT_ROOT / "fieldops" / "translations"
JS_SOURCES = PROJECT_ROOT / "static" / "js"
JS_KEYWORDS = {"t": None}

babel = Babel()


def check_language(code: str | None) -> str | None:
    """A language we speak, or None for 'no choice' (ValueError for one we don't)."""
    if code in (None, ""):
        return None
    if code not in LANGUAGES:
        raise ValueError(f"language must be one of {', '.join(LANGUAGES)}")
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
def js_msgids() -> tuple[str, ...]:
    """Every string the scripts translate (``t('...')`` in static/js), read once per process."""
    found: set[str] = set()
    for script in sorted(JS_SOURCES.glob("*.js")):
        for _line, message, _comments, _context in extract_from_file("javascript", str(script),
                                                                     keywords=JS_KEYWORDS):
            found.add(message if isinstance(message, str) else message[0])
    return tuple(sorted(found))


def js_messages() -> str:
    """The scripts' strings in the page's language, as JSON for ``static/js/i18n.js``."""
    text = json.dumps({msgid: gettext(msgid) for msgid in js_msgids()}, ensure_ascii=False)
    return text.replace("<", "\\u003c")  # inside a <script> element: no "</script>" can end it early


def init_app(app: Flask) -> None:
    app.config.setdefault("BABEL_DEFAULT_LOCALE", DEFAULT)
    babel.init_app(app, locale_selector=select_locale,
                   default_translation_directories=str(compiled_catalogs()))

    @app.context_processor
    def _language():
        return {"page_language": str(get_locale() or DEFAULT), "js_messages": js_messages,
                "languages": LANGUAGES}
