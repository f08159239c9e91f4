"""Target universes: who a canvass is for, as a filter over the people and doors we hold.

A universe is saved as its definition (JSON), checked here and turned into SQL by
``services.universes``; evaluating it against what we hold each time means new answers,
votes and imports move people in and out without anyone re-saving it. A door is targeted when
anyone at it is. Do-not-contact doors and people are never in a universe, whatever it says.

The definition, every key optional (an empty definition is everyone we may contact)::

    {"support": [4, 5, "none"],       # latest support answer (1 to 5), "none": never answered
     "contacted_this": false,         # the door was knocked in this canvass (true) or not (false)
     "contacted_other": true,         # ... in another canvass
     "not_spoken_days": 30,           # last conversation more than N days ago, or never
     "age_min": 18, "age_max": 35,    # years, from the birth year when we hold one, else the age
     "status": ["active"],            # person status (default: active only)
     "tags": {"ward": ["7", "8"]},    # import columns kept as tags: any of the values, for every tag named
     "voted": false}                  # has voted (true) or not yet (false)
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable

from ..errors import InvalidInput
from .consequences import ACTIVE
from .text import N_

SUPPORT_VALUES = (1, 2, 3, 4, 5)
NO_ANSWER = "none"
STATUSES = (ACTIVE, "moved", "deceased")  # "do_not_contact" is never targeted
KEYS = ("support", "contacted_this", "contacted_other", "not_spoken_days", "age_min", "age_max", "status",
        "tags", "voted")
MAX_DAYS = 3650
MAX_TAGS = 10

# What each filter means, in the words the canvass page shows.
LABELS = {
    "support": N_("Support answer (latest)"),
    "contacted_this": N_("Knocked in this canvass"),
    "contacted_other": N_("Knocked in another canvass"),
    "not_spoken_days": N_("Last conversation more than N days ago"),
    "age_min": N_("Age from"), "age_max": N_("Age to"),
    "status": N_("Person status"), "tags": N_("Tags from imports"), "voted": N_("Has voted"),
}


@dataclass(frozen=True)
class UniverseSpec:
    """A checked universe definition. ``None`` for a filter means "any"."""
    support: tuple[int, ...] | None = None
    support_none: bool = False  # with ``support``: people who never answered count too
    contacted_this: bool | None = None
    contacted_other: bool | None = None
    not_spoken_days: int | None = None
    age_min: int | None = None
    age_max: int | None = None
    status: tuple[str, ...] = (ACTIVE,)
    tags: tuple[tuple[str, tuple[str, ...]], ...] = ()
    voted: bool | None = None
    extra: dict = field(default_factory=dict, compare=False, repr=False)

    @property
    def filters_support(self) -> bool:
        return self.support is not None or self.support_none

    def as_dict(self) -> dict[str, Any]:
        """The definition as saved: only the filters that are set, in a stable form."""
        out: dict[str, Any] = {}
        if self.filters_support:
            out["support"] = [*(self.support or ()), *([NO_ANSWER] if self.support_none else [])]
        for key in ("contacted_this", "contacted_other", "not_spoken_days", "age_min", "age_max", "voted"):
            if getattr(self, key) is not None:
                out[key] = getattr(self, key)
        if self.status != (ACTIVE,):
            out["status"] = list(self.status)
        if self.tags:
            out["tags"] = {name: list(values) for name, values in self.tags}
        return out


def _flag(raw: dict, key: str) -> bool | None:
    value = raw.get(key)
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.lower() in ("yes", "true", "1", "no", "false", "0"):
        return value.lower() in ("yes", "true", "1")
    raise InvalidInput(N_("must be yes or no (true or false)"), field=key)


def _whole(raw: dict, key: str, low: int, high: int) -> int | None:
    value = raw.get(key)
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise InvalidInput(N_("must be a whole number"), field=key)
    if isinstance(value, str):
        if not value.strip().isdigit():
            raise InvalidInput(N_("%(value)r is not a whole number"), value=value, field=key)
        value = int(value.strip())
    if not isinstance(value, int):
        raise InvalidInput(N_("must be a whole number"), field=key)
    if not low <= value <= high:
        raise InvalidInput(N_("must be between %(low)s and %(high)s"), low=low, high=high, field=key)
    return value


def _support(raw: dict) -> tuple[tuple[int, ...] | None, bool]:
    value = raw.get("support")
    if value is None or value == [] or value == "":
        return None, False
    if not isinstance(value, list):
        raise InvalidInput(N_('must be a list of answers 1 to 5 (and "none" for never answered)'), field="support")
    picked, none = set(), False
    for item in value:
        if item == NO_ANSWER:
            none = True
        elif isinstance(item, str) and item.strip().isdigit() and int(item) in SUPPORT_VALUES:
            picked.add(int(item))
        elif isinstance(item, int) and not isinstance(item, bool) and item in SUPPORT_VALUES:
            picked.add(item)
        else:
            raise InvalidInput(N_('%(item)r is not an answer: use 1 to 5, or "none"'), item=item, field="support")
    return (tuple(sorted(picked)) if picked else None), none


def _status(raw: dict) -> tuple[str, ...]:
    value = raw.get("status")
    if value is None or value == []:
        return (ACTIVE,)
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise InvalidInput(N_("must be a list of statuses"), field="status")
    for item in value:
        if item not in STATUSES:
            raise InvalidInput(f"{item!r} is not a status one may target: use {', '.join(STATUSES)}"
                               + (" (people who asked not to be contacted never are)" if item == "do_not_contact"
                                  else ""), field="status")
    return tuple(sorted(set(value), key=STATUSES.index))


def _tags(raw: dict) -> tuple[tuple[str, tuple[str, ...]], ...]:
    value = raw.get("tags")
    if value is None or value == {}:
        return ()
    if not isinstance(value, dict):
        raise InvalidInput(N_("must map a tag's name to its value or values"), field="tags")
    if len(value) > MAX_TAGS:
        raise InvalidInput(N_("at most %(max_tags)s tags"), max_tags=MAX_TAGS, field="tags")
    out = []
    for name, values in sorted(value.items()):
        if not isinstance(name, str) or not name.strip():
            raise InvalidInput(N_("a tag needs a name"), field="tags")
        values = [values] if isinstance(values, str) else values
        if not isinstance(values, list) or not values or not all(isinstance(v, str) for v in values):
            raise InvalidInput(N_("tag %(name)r needs a value or a list of values"), name=name, field="tags")
        out.append((tag_name(name), tuple(sorted({v.strip() for v in values}))))
    return tuple(out)


def tag_name(column: str) -> str:
    """A tag's name as kept: the import column's name, trimmed and in lower case."""
    return column.strip().lower()


def parse_definition(raw: Any) -> UniverseSpec:
    """Check a universe definition (a dict, as saved or sent); raises ``InvalidInput`` naming the field."""
    if raw is None:
        raw = {}
    if not isinstance(raw, dict):
        raise InvalidInput(N_("a universe is a JSON object of filters"), field="universe")
    unknown = sorted(set(raw) - set(KEYS))
    if unknown:
        raise InvalidInput(N_("is not a filter (filters: %(names)s)"), names=', '.join(KEYS), field=unknown[0])
    support, support_none = _support(raw)
    age_min, age_max = _whole(raw, "age_min", 0, 130), _whole(raw, "age_max", 0, 130)
    if age_min is not None and age_max is not None and age_max < age_min:
        raise InvalidInput(N_("the age range ends before it starts"), field="age_max")
    return UniverseSpec(
        support=support, support_none=support_none,
        contacted_this=_flag(raw, "contacted_this"), contacted_other=_flag(raw, "contacted_other"),
        not_spoken_days=_whole(raw, "not_spoken_days", 1, MAX_DAYS), age_min=age_min, age_max=age_max,
        status=_status(raw), tags=_tags(raw), voted=_flag(raw, "voted"))


def birth_years(spec: UniverseSpec, this_year: int) -> tuple[int | None, int | None]:
    """The birth years an age range covers in ``this_year``: someone born in year Y is taken to be
    ``this_year - Y`` years old (the age they turn this year). (earliest, latest), None where open."""
    earliest = this_year - spec.age_max if spec.age_max is not None else None
    latest = this_year - spec.age_min if spec.age_min is not None else None
    return earliest, latest


@dataclass(frozen=True)
class PersonFacts:
    """What the filters read about one person, as plain values (the reference for the SQL)."""
    status: str = ACTIVE
    door_do_not_contact: bool = False
    support: int | None = None  # their latest answer, else their household's unnamed one
    contacted_this: bool = False
    contacted_other: bool = False
    days_since_spoken: int | None = None  # None: never spoken with
    age: int | None = None
    tags: dict = field(default_factory=dict)
    voted: bool = False


def matches(spec: UniverseSpec, person: PersonFacts) -> bool:
    """Whether one person is in the universe: the one definition the SQL of ``services.universes`` follows."""
    if person.door_do_not_contact or person.status not in spec.status:
        return False
    if spec.filters_support:
        if person.support is None:
            if not spec.support_none:
                return False
        elif spec.support is None or person.support not in spec.support:
            return False
    if spec.contacted_this is not None and person.contacted_this != spec.contacted_this:
        return False
    if spec.contacted_other is not None and person.contacted_other != spec.contacted_other:
        return False
    if spec.not_spoken_days is not None and person.days_since_spoken is not None \
            and person.days_since_spoken <= spec.not_spoken_days:
        return False
    if spec.age_min is not None or spec.age_max is not None:
        if person.age is None:
            return False
        if (spec.age_min is not None and person.age < spec.age_min) or \
                (spec.age_max is not None and person.age > spec.age_max):
            return False
    for name, values in spec.tags:
        if str((person.tags or {}).get(name, "")).strip() not in values:
            return False
    if spec.voted is not None and person.voted != spec.voted:
        return False
    return True


def _english(text: str, **values) -> str:
    return text % values if values else text


def describe(spec: UniverseSpec, say: Callable[..., str] = _english,
             status_labels: dict[str, str] | None = None) -> list[str]:
    """The universe in words, one line per filter, for the canvass page and the CLI.

    ``say(text, **values)`` words each phrase (``N_``-marked, with named placeholders): English by default,
    the page passes its gettext, so the domain stays pure and one function words both."""
    def either(values) -> str:  # "4 or 5", "a, b or c"
        values = [str(v) for v in values]
        return values[0] if len(values) == 1 else say(N_("%(some)s or %(last)s"), some=", ".join(values[:-1]),
                                                      last=values[-1])

    lines = []
    if spec.filters_support:
        answers = [str(v) for v in spec.support or ()] + ([say(N_("never answered"))] if spec.support_none else [])
        lines.append(say(N_("support answer %(answers)s"), answers=either(answers)))
    for key, yes, no in (("contacted_this", N_("knocked in this canvass"), N_("not yet knocked in this canvass")),
                         ("contacted_other", N_("knocked in another canvass"), N_("never knocked in another canvass")),
                         ("voted", N_("has voted"), N_("has not voted yet"))):
        if getattr(spec, key) is not None:
            lines.append(say(yes if getattr(spec, key) else no))
    if spec.not_spoken_days is not None:
        lines.append(say(N_("no conversation in the last %(days)s days"), days=spec.not_spoken_days))
    if spec.age_min is not None or spec.age_max is not None:
        low = spec.age_min if spec.age_min is not None else 0
        lines.append(say(N_("aged %(low)s to %(high)s"), low=low, high=spec.age_max) if spec.age_max is not None
                     else say(N_("aged %(low)s or more"), low=low))
    if spec.status != (ACTIVE,):
        labels = status_labels or {}
        lines.append(say(N_("status %(statuses)s"), statuses=either(labels.get(s, s) for s in spec.status)))
    for name, values in spec.tags:
        lines.append(f"{name}: " + either(values))
    return lines or [say(N_("everyone we may contact"))]


# Election day: the chase universe is the supporters (latest support 4 or 5) who have not voted yet.
CHASE = {"support": [4, 5], "voted": False}
# Why a door left a chase walk list, as the phone says it (the count comes first): the server decides.
DROP_REASONS = {"voted": "doors dropped: everyone there has voted"}


def is_chase(spec: UniverseSpec | None) -> bool:
    """A chase canvass's universe leaves out people who voted: its walk lists drop a door once nobody
    there is left to chase, even a door already knocked in it (election day knocks again and again)."""
    return spec is not None and spec.voted is False


def before_voting(spec: UniverseSpec) -> UniverseSpec:
    """The same universe without its "has not voted" filter: whom the chase was for before anyone voted."""
    from dataclasses import replace
    return replace(spec, voted=None)
