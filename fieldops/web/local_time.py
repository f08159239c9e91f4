"""Times on organizer pages, on the office's clock: the template filters every page uses.

``{{ moment|local_time(office) }}`` shows '2026-11-22 16:03' in the office's zone,
``{{ moment|local_date(office) }}`` its day (a plain date too), ``{{ office|zone_label }}`` 'Helsinki time'
for a column heading. In English they keep that ISO form; in Spanish, Finnish and Swedish the page's
locale writes them its own way ('22.11.2026 klo 16.03', Babel's CLDR formats). ``office`` may be an Office (anything with ``time_zone``), a zone name, or None
(UTC). A moment may be a datetime (naive ones are UTC, as the database keeps them) or ISO-8601 text,
as walk lists carry them.
"""
from __future__ import annotations

from datetime import date, datetime

from babel.dates import format_skeleton
from flask import Flask, has_request_context
from flask_babel import get_locale, gettext as _

from ..domain import time_zones


def zone_of(where) -> str | None:
    """The zone name of an office, a zone name itself, or None."""
    if where is None or isinstance(where, str):
        return where or None
    return getattr(where, "time_zone", None)


def _moment(value) -> datetime | None:
    if value is None or value == "":
        return None
    if isinstance(value, str):
        return datetime.fromisoformat(value.replace("Z", "+00:00"))
    return value


def _locale():
    """The page's locale, or None for English (and outside a request): the ISO forms stay as they were."""
    if not has_request_context():
        return None
    locale = get_locale()
    return None if locale is None or locale.language == "en" else locale


def _in_locale(moment: datetime, fmt: str, locale) -> str:
    """The fields of one of our strftime formats (day, minutes, seconds), as the locale writes them."""
    day = format_skeleton("yMd", moment, tzinfo=moment.tzinfo, locale=locale) if "%d" in fmt else ""
    clock = format_skeleton("Hms" if "%S" in fmt else "Hm", moment, tzinfo=moment.tzinfo,
                            locale=locale) if "%H" in fmt else ""
    if day and clock:  # the locale's own glue: '{1} klo {0}' in Finnish
        return str(locale.datetime_formats["medium"]).replace("'", "").format(clock, day)
    return day or clock


def local_time(value, where=None, fmt: str = "%Y-%m-%d %H:%M") -> str:
    moment = _moment(value)
    if moment is None:
        return ""
    if not isinstance(moment, datetime):  # a plain date has no clock to move
        return local_date(moment)
    local = time_zones.local_moment(moment, zone_of(where))
    locale = _locale()
    if locale is None:
        return local.strftime(fmt)
    return _in_locale(local, fmt, locale)


def local_date(value, where=None) -> date | str:
    moment = _moment(value)
    if moment is None:
        return ""
    day = moment if not isinstance(moment, datetime) else time_zones.local_day(moment, zone_of(where))
    locale = _locale()
    return day if locale is None else format_skeleton("yMd", day, locale=locale)


def zone_label(where) -> str:
    label = time_zones.label(zone_of(where))
    if label.endswith(" time"):  # 'Helsinki time': the city from the zone's name, the words translated
        return _("%(city)s time", city=label[: -len(" time")])
    return label


def register(app: Flask) -> None:
    app.add_template_filter(local_time)
    app.add_template_filter(local_date)
    app.add_template_filter(zone_label)
