"""Keeping the summaries (``models.summaries``) equal to the contact ledger.

Door-keyed summaries (a door per canvass, the household, its supporters) are
recomputed from the ledger for the doors a change touched, never nudged by
increments, so a retry or a correction cannot make them drift. On PostgreSQL
the doors' rows are locked first, in id order: two syncs at the same door
take turns, and the second recomputes with the first's contacts in sight.
SQLite has one writer at a time, so needs no lock. Per-volunteer days are
plain counters, added to atomically by each sync; a day is a day on the
office's clock (``Office.time_zone``), and changing an office's zone counts
its days again (``recount_office_days``).
"""
from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from types import SimpleNamespace

from sqlalchemy import (DateTime, bindparam, case, cast, delete, exists, func, insert, literal, null, select, text,
                        union_all, update)
from sqlalchemy.dialects import postgresql, sqlite

from ..domain.outcomes import REACHED_CODES
from ..domain.relationships import is_supporter
from ..domain.time_zones import days_between, local_day as local_day_of
from ..extensions import db
from ..models import (Contact, ContactFlag, Door, DoorCanvass, Household, HouseholdNote, LatestSupport, Office,
                      Supporter, VolunteerDay)
from .bulk import restoring
from .portable import aware, local_day
from .prepared import per_database, run

SUPPORT_KEY = "support"  # the survey question whose 1-to-5 answer says how much a person supports us
_CHUNK = 500
_REACHED = case((Contact.outcome.in_(sorted(REACHED_CODES)), 1), else_=0)


def counted():
    """Contacts that count: all but those an organizer rejected in review (they stay in the ledger)."""
    return ~exists().where(ContactFlag.contact_id == Contact.id, ContactFlag.state == "rejected")


def forget_doors(door_ids: Iterable[int]) -> None:
    """Drop the doors' summary rows, before recomputing them when a contact stops (or starts) counting."""
    ids = sorted(set(door_ids))
    for model in (DoorCanvass, Household, Supporter, LatestSupport):
        db.session.execute(delete(model).where(model.door_id.in_(ids)))


def lock_doors(door_ids: Iterable[int]) -> None:
    """Hold the doors' rows until commit, so their summaries are recomputed one transaction at a time."""
    ids = sorted(set(door_ids))
    if ids and db.session.get_bind().dialect.name == "postgresql":
        for start in range(0, len(ids), _CHUNK):
            db.session.execute(select(Door.id).where(Door.id.in_(ids[start:start + _CHUNK]))
                               .order_by(Door.id).with_for_update())


def refresh_doors(door_ids: Iterable[int], *, supporters: bool = True) -> None:
    """Recompute the door-keyed summaries of these doors from the ledger (call after ``lock_doors``).
    ``supporters=False`` when nothing new could change a support answer (no answer to the question)."""
    ids = sorted(set(door_ids))
    db.session.flush()  # the statements below run as Core (services.prepared): they see only what is flushed
    for start in range(0, len(ids), _CHUNK):
        _recompute(ids[start:start + _CHUNK], supporters)


def rebuild_all() -> None:
    """Recompute every summary from the ledger: after a restore, a bulk load or the demo."""
    postgres = db.session.get_bind().dialect.name == "postgresql"
    tables = [model.__table__ for model in (DoorCanvass, Household, Supporter, LatestSupport, VolunteerDay)]
    if postgres:
        # Empty at once (no dead rows left behind), and group every contact in memory rather than in
        # sorted runs on disk; both for this transaction only.
        db.session.execute(text(f"TRUNCATE {', '.join(t.name for t in tables)}"))
        db.session.execute(text("SET LOCAL work_mem = '256MB'"))
    else:
        for table in tables:
            db.session.execute(table.delete())
    with restoring([DoorCanvass.__table__, Household.__table__]):  # 5 s instead of 40 s on PostgreSQL
        db.session.execute(insert(DoorCanvass).from_select(_DOOR_CANVASS_COLUMNS, _door_canvass_rows(None)))
        db.session.execute(insert(Household).from_select(_HOUSEHOLD_COLUMNS, _household_rows(None)))
    _add_supporters([])
    _add_volunteer_days(_scan(Contact.office_id, whole_ledger=True))


def recount_volunteer_day(office_id: int, canvass_id: int, volunteer_id: int, moment: datetime) -> None:
    """Count again, from the ledger, the volunteer's day (on the office's clock) that holds ``moment``:
    after one of its contacts stopped (or started) counting. Days are otherwise only added to, by
    ``count_knocks``."""
    zone = db.session.scalar(select(Office.time_zone).where(Office.id == office_id))
    day = local_day_of(moment, zone)
    begins, ends = days_between(day, day, zone)
    db.session.execute(delete(VolunteerDay).where(
        VolunteerDay.office_id == office_id, VolunteerDay.canvass_id == canvass_id,
        VolunteerDay.volunteer_id == volunteer_id, VolunteerDay.day == day))
    _add_volunteer_days(Contact.office_id, Contact.office_id == office_id, Contact.canvass_id == canvass_id,
                        Contact.volunteer_id == volunteer_id, Contact.recorded_at >= begins,
                        Contact.recorded_at < ends)


def recount_office_days(office_id: int) -> None:
    """Count every volunteer day of the office again: after its time zone changed, its days did too."""
    db.session.flush()
    db.session.execute(delete(VolunteerDay).where(VolunteerDay.office_id == office_id))
    _add_volunteer_days(Contact.office_id, Contact.office_id == office_id)


def _add_volunteer_days(office, *where) -> None:
    """Insert the volunteers' days, knocks and conversations counted from the contacts ``where`` picks,
    each contact on its office's clock."""
    day = local_day(Contact.recorded_at, Office.time_zone)
    db.session.execute(insert(VolunteerDay).from_select(
        ["office_id", "canvass_id", "volunteer_id", "day", "knocks", "conversations"],
        select(office, Contact.canvass_id, Contact.volunteer_id, day, func.count(), func.sum(_REACHED))
        .join(Office, Office.id == Contact.office_id)
        .where(*where, counted()).group_by(office, Contact.canvass_id, Contact.volunteer_id, day)
        .having(Contact.volunteer_id.is_not(None))))


def follow_doors(office_id: int) -> None:
    """After an import moved doors between blocks, point their summary rows at the doors' blocks again."""
    # A join (UPDATE ... FROM), not a subquery per row: see territory.refresh_door_counts.
    db.session.execute(update(DoorCanvass).where(DoorCanvass.door_id == Door.id, DoorCanvass.office_id == office_id,
                                                 DoorCanvass.block_id != Door.block_id)
                       .values(block_id=Door.block_id), execution_options={"synchronize_session": False})


def count_knocks(contacts: list[dict]) -> dict[tuple[int, int], tuple[int, int]]:
    """Add newly stored contacts (``office_id``, ``canvass_id``, ``volunteer_id``, ``outcome`` and ``day``,
    the day on the office's clock, else ``recorded_at`` and the office's ``time_zone``) to their
    volunteers' days, with one atomic upsert. Returns what was added: (volunteer, canvass) -> (knocks,
    conversations)."""
    days: dict[tuple, list[int]] = {}
    for contact in contacts:
        if contact.get("volunteer_id") is None:
            continue
        day = contact.get("day") or local_day_of(contact["recorded_at"], contact.get("time_zone"))
        key = (contact["office_id"], contact["canvass_id"], contact["volunteer_id"], day)
        counts = days.setdefault(key, [0, 0])
        counts[0] += 1
        counts[1] += contact["outcome"] in REACHED_CODES
    added: dict[tuple[int, int], tuple[int, int]] = {}
    if days:
        run(_refresh_statements().count_knocks,
            [{"office_id": o, "canvass_id": c, "volunteer_id": v, "day": d, "knocks": k, "conversations": t}
             for (o, c, v, d), (k, t) in days.items()])
        for (_, canvass_id, volunteer_id, _), (knocks, talks) in days.items():
            was = added.get((volunteer_id, canvass_id), (0, 0))
            added[(volunteer_id, canvass_id)] = (was[0] + knocks, was[1] + talks)
    return added


def _scan(column, whole_ledger: bool):
    """``column`` to group by. Reading every contact, SQLite would follow an index on it and fetch each
    row in random order; grouping by ``column + 0`` makes it scan the table and sort, four times faster.
    A few doors' contacts still go by the index."""
    if whole_ledger and db.session.get_bind().dialect.name == "sqlite":
        return (column + 0).label(column.key)
    return column


_DOOR_CANVASS_COLUMNS = ["door_id", "canvass_id", "office_id", "block_id", "attempts", "reached", "first_at",
                         "last_at", "last_reached_at"]
_HOUSEHOLD_COLUMNS = ["door_id", "office_id", "canvasses_reached", "first_knocked_at", "last_knocked_at",
                      "last_spoken_at"]


def _door_canvass_rows(doors=None):
    """One row per door and canvass, from the contacts (of the ``doors`` bind parameter's, or all)."""
    # Naming the doors twice lets the planner look each up by key instead of scanning the door table.
    where = [Contact.door_id.in_(doors), Door.id.in_(doors), counted()] if doors is not None else [counted()]
    door = _scan(Contact.door_id, whole_ledger=doors is None)
    reached_at = case((Contact.outcome.in_(sorted(REACHED_CODES)), Contact.recorded_at))
    return (select(door, Contact.canvass_id, func.max(Contact.office_id), func.max(Door.block_id), func.count(),
                   func.max(_REACHED) == 1, func.min(Contact.recorded_at), func.max(Contact.recorded_at),
                   func.max(reached_at))
            .join(Door, Door.id == Contact.door_id).where(*where).group_by(door, Contact.canvass_id))


def _household_rows(doors=None):
    """One row per door: its canvasses added up, and office notes, which are conversations too."""
    moment = DateTime(timezone=True)
    knocks = select(DoorCanvass.door_id.label("door_id"), DoorCanvass.office_id.label("office_id"),
                    case((DoorCanvass.reached, 1), else_=0).label("reached"), DoorCanvass.first_at.label("first_at"),
                    DoorCanvass.last_at.label("last_at"), DoorCanvass.last_reached_at.label("spoken_at"))
    notes = select(HouseholdNote.door_id, HouseholdNote.office_id, literal(0), cast(null(), moment),
                   cast(null(), moment), HouseholdNote.spoken_at)
    if doors is not None:
        knocks = knocks.where(DoorCanvass.door_id.in_(doors))
        notes = notes.where(HouseholdNote.door_id.in_(doors))
    both = union_all(knocks, notes).subquery()
    return (select(both.c.door_id, func.max(both.c.office_id), func.sum(both.c.reached), func.min(both.c.first_at),
                   func.max(both.c.last_at), func.max(both.c.spoken_at))
            .where(both.c.door_id.is_not(None)).group_by(both.c.door_id))


def _upsert(model, keys: list[str], columns: list[str], rows, dialect):
    """Insert the rows a SELECT computes, replacing the rows already there with the same keys."""
    statement = dialect.insert(model.__table__).from_select(columns, rows)
    return statement.on_conflict_do_update(
        index_elements=keys, set_={c: statement.excluded[c] for c in columns if c not in keys})


@per_database
def _refresh_statements(dialect_name: str) -> SimpleNamespace:
    """The statements that bring some doors' summaries up to date, built once per database kind
    (``services.prepared``): every sync runs them. ``doors`` is bound per call."""
    dialect = postgresql if dialect_name == "postgresql" else sqlite
    doors = bindparam("doors", expanding=True)
    days = VolunteerDay.__table__
    add_days = dialect.insert(days)
    return SimpleNamespace(
        door_canvass=_upsert(DoorCanvass, ["door_id", "canvass_id"], _DOOR_CANVASS_COLUMNS,
                             _door_canvass_rows(doors), dialect),
        household=_upsert(Household, ["door_id"], _HOUSEHOLD_COLUMNS, _household_rows(doors), dialect),
        clear_supporters=delete(Supporter.__table__).where(Supporter.__table__.c.door_id.in_(doors)),
        clear_latest=delete(LatestSupport.__table__).where(LatestSupport.__table__.c.door_id.in_(doors)),
        add_latest=insert(LatestSupport.__table__),
        support_answers=_support_answers([Contact.door_id.in_(doors)]),
        add_supporters=insert(Supporter.__table__),
        count_knocks=add_days.on_conflict_do_update(
            index_elements=["office_id", "canvass_id", "volunteer_id", "day"],
            set_={"knocks": days.c.knocks + add_days.excluded.knocks,
                  "conversations": days.c.conversations + add_days.excluded.conversations}),
    )


def _recompute(door_ids: list[int], supporters: bool) -> None:
    """A door's rows only ever grow with its contacts and notes, so recomputing is an upsert."""
    statements = _refresh_statements()
    run(statements.door_canvass, {"doors": door_ids})
    run(statements.household, {"doors": door_ids})
    if supporters:
        run(statements.clear_supporters, {"doors": door_ids})
        run(statements.clear_latest, {"doors": door_ids})
        latest = _latest_answers(run(statements.support_answers, {"doors": door_ids}))
        found = [row for row in latest if is_supporter(row["support"])]
        if latest:
            run(statements.add_latest, latest)
        if found:
            run(statements.add_supporters, found)


def _add_supporters(where: list) -> None:
    """Each person's (or unnamed household's) last support answer (LatestSupport); those at 4 or 5 become
    Supporters."""
    latest = _latest_answers(db.session.execute(_support_answers(where)))
    found = [row for row in latest if is_supporter(row["support"])]
    if latest:
        run(insert(LatestSupport.__table__), latest)
    if found:
        run(insert(Supporter.__table__), found)


def _support_answers(where: list):
    """The counted conversations with an answer to the support question (of the contacts ``where`` picks)."""
    return (select(Contact.door_id, Contact.person_id, Contact.office_id, Contact.recorded_at, Contact.answers)
            .where(*where, counted(), Contact.outcome.in_(sorted(REACHED_CODES)),
                   cast(Contact.answers, db.Text).like(f'%"{SUPPORT_KEY}"%')))


def _latest_answers(answers: Iterable) -> list[dict]:
    """Each person's last support answer, from support answers (door, person, office, time, answers)."""
    last: dict[tuple[int, int | None], tuple[datetime, int, int]] = {}
    for door_id, person_id, office_id, recorded_at, answers_given in answers:
        value = (answers_given or {}).get(SUPPORT_KEY)
        if not isinstance(value, int) or isinstance(value, bool):
            continue
        at = aware(recorded_at)
        key = (door_id, person_id)
        if key not in last or last[key][0] <= at:
            last[key] = (at, value, office_id)
    return [{"door_id": door_id, "person_id": person_id, "office_id": office_id, "support": value, "answered_at": at}
            for (door_id, person_id), (at, value, office_id) in last.items()]
