"""Keeping the summaries (``models.summaries``) equal to the contact ledger.

Door-keyed summaries (a door per canvass, the household, its supporters) are
recomputed from the ledger for the doors a change touched, never nudged by
increments, so a retry or a correction cannot make them drift. On PostgreSQL
the doors' rows are locked first, in id order: two syncs at the same door
take turns, and the second recomputes with the first's contacts in sight.
SQLite has one writer at a time, so needs no lock. Per-volunteer days are
plain counters, added to atomically by each sync.
"""
from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timezone

from sqlalchemy import case, cast, delete, func, insert, select, text, update
from sqlalchemy.dialects import postgresql, sqlite

from ..domain.outcomes import REACHED_CODES
from ..domain.relationships import is_supporter
from ..extensions import db
from ..models import Contact, Door, DoorCanvass, Household, HouseholdNote, Supporter, VolunteerDay
from .bulk import restoring
from .portable import aware, utc_day

SUPPORT_KEY = "support"  # the survey question whose 1-to-5 answer says how much a person supports us
_CHUNK = 500
_REACHED = case((Contact.outcome.in_(sorted(REACHED_CODES)), 1), else_=0)


def lock_doors(door_ids: Iterable[int]) -> None:
    """Hold the doors' rows until commit, so their summaries are recomputed one transaction at a time."""
    ids = sorted(set(door_ids))
    if ids and db.session.get_bind().dialect.name == "postgresql":
        for start in range(0, len(ids), _CHUNK):
            db.session.execute(select(Door.id).where(Door.id.in_(ids[start:start + _CHUNK]))
                               .order_by(Door.id).with_for_update())


def refresh_doors(door_ids: Iterable[int]) -> None:
    """Recompute every door-keyed summary of these doors from the ledger (call after ``lock_doors``)."""
    ids = sorted(set(door_ids))
    for start in range(0, len(ids), _CHUNK):
        _recompute(Contact.door_id.in_(ids[start:start + _CHUNK]), ids[start:start + _CHUNK])


def rebuild_all() -> None:
    """Recompute every summary from the ledger: after a restore, a bulk load or the demo."""
    postgres = db.session.get_bind().dialect.name == "postgresql"
    tables = [model.__table__ for model in (DoorCanvass, Household, Supporter, VolunteerDay)]
    if postgres:
        # Empty at once (no dead rows left behind), and group every contact in memory rather than in
        # sorted runs on disk; both for this transaction only.
        db.session.execute(text(f"TRUNCATE {', '.join(t.name for t in tables)}"))
        db.session.execute(text("SET LOCAL work_mem = '256MB'"))
    else:
        for table in tables:
            db.session.execute(table.delete())
    with restoring([DoorCanvass.__table__, Household.__table__]):  # 5 s instead of 40 s on PostgreSQL
        _recompute(None, None)
    day, office = utc_day(Contact.recorded_at), _scan(Contact.office_id, whole_ledger=True)
    db.session.execute(insert(VolunteerDay).from_select(
        ["office_id", "canvass_id", "volunteer_id", "day", "knocks", "conversations"],
        select(office, Contact.canvass_id, Contact.volunteer_id, day, func.count(), func.sum(_REACHED))
        .group_by(office, Contact.canvass_id, Contact.volunteer_id, day)
        .having(Contact.volunteer_id.is_not(None))))


def follow_doors(office_id: int) -> None:
    """After an import moved doors between blocks, point their summary rows at the doors' blocks again."""
    # A join (UPDATE ... FROM), not a subquery per row: see territory.refresh_door_counts.
    db.session.execute(update(DoorCanvass).where(DoorCanvass.door_id == Door.id, DoorCanvass.office_id == office_id,
                                                 DoorCanvass.block_id != Door.block_id)
                       .values(block_id=Door.block_id), execution_options={"synchronize_session": False})


def count_knocks(contacts: list[dict]) -> None:
    """Add newly stored contacts (``office_id``, ``canvass_id``, ``volunteer_id``, ``recorded_at``,
    ``outcome``) to their volunteers' days, with one atomic upsert."""
    days: dict[tuple, list[int]] = {}
    for contact in contacts:
        if contact.get("volunteer_id") is None:
            continue
        key = (contact["office_id"], contact["canvass_id"], contact["volunteer_id"],
               contact["recorded_at"].astimezone(timezone.utc).date())
        counts = days.setdefault(key, [0, 0])
        counts[0] += 1
        counts[1] += contact["outcome"] in REACHED_CODES
    if not days:
        return
    rows = [{"office_id": o, "canvass_id": c, "volunteer_id": v, "day": d, "knocks": k, "conversations": t}
            for (o, c, v, d), (k, t) in days.items()]
    dialect = postgresql if db.session.get_bind().dialect.name == "postgresql" else sqlite
    statement = dialect.insert(VolunteerDay).values(rows)
    db.session.execute(statement.on_conflict_do_update(
        index_elements=["office_id", "canvass_id", "volunteer_id", "day"],
        set_={"knocks": VolunteerDay.knocks + statement.excluded.knocks,
              "conversations": VolunteerDay.conversations + statement.excluded.conversations}))


def _scan(column, whole_ledger: bool):
    """``column`` to group by. Reading every contact, SQLite would follow an index on it and fetch each
    row in random order; grouping by ``column + 0`` makes it scan the table and sort, four times faster.
    A few doors' contacts still go by the index."""
    if whole_ledger and db.session.get_bind().dialect.name == "sqlite":
        return (column + 0).label(column.key)
    return column


def _recompute(contact_filter, door_ids: list[int] | None) -> None:
    where = [contact_filter] if contact_filter is not None else []
    if door_ids is not None:
        for model in (DoorCanvass, Household, Supporter):
            db.session.execute(delete(model).where(model.door_id.in_(door_ids)))
    reached_at = case((Contact.outcome.in_(sorted(REACHED_CODES)), Contact.recorded_at))
    door = _scan(Contact.door_id, whole_ledger=not where)
    db.session.execute(insert(DoorCanvass).from_select(
        ["door_id", "canvass_id", "office_id", "block_id", "attempts", "reached", "first_at", "last_at",
         "last_reached_at"],
        select(door, Contact.canvass_id, func.max(Contact.office_id), func.max(Door.block_id), func.count(),
               func.max(_REACHED) == 1, func.min(Contact.recorded_at), func.max(Contact.recorded_at),
               func.max(reached_at))
        .join(Door, Door.id == Contact.door_id).where(*where).group_by(door, Contact.canvass_id)))
    # A household is its doors' canvasses added up: one row per door and canvass, read in key order.
    per_door = [DoorCanvass.door_id.in_(door_ids)] if door_ids is not None else []
    db.session.execute(insert(Household).from_select(
        ["door_id", "office_id", "canvasses_reached", "first_knocked_at", "last_knocked_at", "last_spoken_at"],
        select(DoorCanvass.door_id, func.max(DoorCanvass.office_id),
               func.sum(case((DoorCanvass.reached, 1), else_=0)), func.min(DoorCanvass.first_at),
               func.max(DoorCanvass.last_at), func.max(DoorCanvass.last_reached_at))
        .where(*per_door).group_by(DoorCanvass.door_id)))
    _add_notes(door_ids)
    _add_supporters(where)


def _add_notes(door_ids: list[int] | None) -> None:
    """Office notes are conversations too: they move a household's last spoken time on."""
    query = select(HouseholdNote.door_id, func.max(HouseholdNote.office_id), func.max(HouseholdNote.spoken_at))
    if door_ids is not None:
        query = query.where(HouseholdNote.door_id.in_(door_ids))
    latest = {door_id: (office_id, aware(at)) for door_id, office_id, at in
              db.session.execute(query.group_by(HouseholdNote.door_id))}
    if not latest:
        return
    households = {h.door_id: h for h in db.session.scalars(select(Household).where(Household.door_id.in_(latest)))}
    for door_id, (office_id, spoken_at) in latest.items():
        household = households.get(door_id)
        if household is None:
            db.session.add(Household(door_id=door_id, office_id=office_id, canvasses_reached=0,
                                     last_spoken_at=spoken_at))
        elif household.last_spoken_at is None or aware(household.last_spoken_at) < spoken_at:
            household.last_spoken_at = spoken_at
    db.session.flush()


def _add_supporters(where: list) -> None:
    """Each person's (or unnamed household's) last support answer; those at 4 or 5 become Supporters."""
    last: dict[tuple[int, int | None], tuple[datetime, int, int]] = {}
    rows = db.session.execute(
        select(Contact.door_id, Contact.person_id, Contact.office_id, Contact.recorded_at, Contact.answers)
        .where(*where, Contact.outcome.in_(sorted(REACHED_CODES)),
               cast(Contact.answers, db.Text).like(f'%"{SUPPORT_KEY}"%')))
    for door_id, person_id, office_id, recorded_at, answers in rows:
        value = (answers or {}).get(SUPPORT_KEY)
        if not isinstance(value, int) or isinstance(value, bool):
            continue
        at = aware(recorded_at)
        key = (door_id, person_id)
        if key not in last or last[key][0] <= at:
            last[key] = (at, value, office_id)
    supporters = [{"door_id": door_id, "person_id": person_id, "office_id": office_id, "support": value,
                   "answered_at": at}
                  for (door_id, person_id), (at, value, office_id) in last.items() if is_supporter(value)]
    if supporters:
        db.session.execute(insert(Supporter), supporters)

