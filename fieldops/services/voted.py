"""Election day: the "has voted" file, and the chase walk lists it moves.

A has-voted file is a CSV of voter ids (the voter import's id column, under any of its names: ``id``,
``voter_id``, ``source_id``...), imported any number of times a day, all or nothing (the unit of work
that runs it commits once). Each known id sets ``Person.voted_at`` once: the earliest time we learnt it
stays. Ids are matched by bulk UPDATEs of chunks of person ids, never one ORM object per row, so a file
of 500,000 ids applies in seconds. Blank and unknown ids are rejects, counted, named in the summary and
written to the rejects file with their CSV line.

A chase canvass (its universe filters ``"voted": false``, see ``domain.universes.CHASE``) lists only the
doors where someone is still to chase; ``chase_turf`` counts what a rebuild leaves on a turf's list and
what dropped off because everyone there voted. Walk lists are evaluated from the universe at each
fetch, so every phone's list follows at its next sync; assignments are never touched.
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

import pandas as pd
from sqlalchemy import Integer, and_, any_, bindparam, exists, func, literal, select, update
from sqlalchemy.dialects.postgresql import ARRAY

from ..domain.universes import before_voting, is_chase
from ..errors import InvalidInput
from ..extensions import db
from ..importers.columns import COLUMN_ALIASES, header_key
from ..importers.tabular import read_table
from ..models import Assignment, Block, Canvass, Door, Office, Person, Turf, TurfDoor
from . import audit, rejects
from .universes import _people, canvasses_with_universe, spec_of
from .users import office_by_name
from ..domain.text import N_

VOTED_STEPS = ("read ids", "match people", "mark voted", "rebuild chase lists")
CHUNK = 5000
PG_CHUNK = 50_000
REJECT_LABELS = {"blank_id": N_("rows without an id"), "unknown_id": N_("ids of nobody in this office")}


def _quiet(_label: str, **_facts) -> None:
    pass


@dataclass
class VotedSummary:
    office: str
    rows: int = 0
    ids: int = 0               # distinct ids found in the office
    marked: int = 0            # people newly marked as having voted
    already: int = 0           # people of the file who had voted already (their earlier time kept)
    rejects: dict[str, int] = field(default_factory=dict)
    reject_examples: dict[str, list[str]] = field(default_factory=dict)  # a few rows per reason, named
    rejects_file: str | None = None
    reject_labels: dict[str, str] = field(default_factory=lambda: dict(REJECT_LABELS))
    chase: list[dict] = field(default_factory=list)   # each chase canvass rebuilt: doors left, dropped
    seconds: dict[str, float] = field(default_factory=dict)

    def lines(self) -> list[str]:
        out = [f"Office {self.office}:",
               f"  has voted: {self.marked} people newly marked, {self.already} already marked, from {self.rows} rows"]
        rejected = sum(self.rejects.values())
        if rejected:
            reasons = ", ".join(f"{count} {self.reject_labels.get(reason, reason)}"
                                f" (e.g. {'; '.join(self.reject_examples.get(reason, [])[:3])})"
                                for reason, count in self.rejects.items() if count)
            out.append(f"  rejected rows: {rejected} ({reasons})"
                       + (f", written to {self.rejects_file}" if self.rejects_file else ""))
        for chase in self.chase:
            out.append(f"  chase {chase['canvass']!r}: {chase['doors']} doors to chase, "
                       f"{chase['dropped_voted']} dropped (everyone there has voted)")
        return out


def _read_ids(path: Path) -> pd.DataFrame:
    """The file's rows as ``row`` (the CSV line) and ``id`` (trimmed text, "" when blank)."""
    frame, _table_format, _name = read_table(path)  # any encoding and separator, as the voter file itself
    frame = frame.fillna("")
    lookup = {header_key(str(c)): c for c in frame.columns}
    column = next((lookup[a] for a in COLUMN_ALIASES["id"] if a in lookup), None)
    if column is None:
        raise InvalidInput(N_("lacks the voter id column (one of: %(names)s; columns: %(names2)s)"),
                           names=', '.join(COLUMN_ALIASES['id']), names2=', '.join(map(str, frame.columns)), file=path.name, field="id")
    if frame.empty:
        raise InvalidInput(N_("has no rows"), file=path.name)
    return pd.DataFrame({"row": range(2, len(frame) + 2), "id": frame[column].str.strip()})


def _people_by_source(office: Office) -> dict[str, list[int]]:
    """The office's people with a voter id: id -> person ids (plain rows, one query)."""
    found: dict[str, list[int]] = {}
    for source_id, person_id in db.session.execute(
            select(Person.source_id, Person.id).join(Door, Door.id == Person.door_id)
            .where(Door.office_id == office.id, Person.source_id.is_not(None))):
        found.setdefault(source_id, []).append(person_id)
    return found


def import_voted(path: str | Path, office_name: str, *, rejects_path: str | Path | None = None,
                 actor_id: int | None = None, at: datetime | None = None, progress=_quiet) -> VotedSummary:
    """Mark the people of a has-voted file as having voted (at ``at``, default now), all or nothing;
    then rebuild the office's chase walk lists."""
    path = Path(path)
    office = office_by_name(office_name)
    at = at or datetime.now(timezone.utc)
    summary = VotedSummary(office=office.name)
    clock = time.perf_counter()

    done_step = "read ids"

    def step(label: str) -> None:  # "" once every step is done
        nonlocal clock, done_step
        now = time.perf_counter()
        summary.seconds[done_step] = round(now - clock, 3)
        clock, done_step = now, label
        progress(label, rows=summary.rows, rejected=sum(summary.rejects.values()))

    progress("read ids", rows=0, rejected=0)
    rows = _read_ids(path)
    summary.rows = len(rows)
    step("match people")
    known = _people_by_source(office)
    blank = rows["id"] == ""
    unknown = ~blank & ~rows["id"].isin(known.keys())
    rejected = pd.concat([rows[blank].assign(reason="blank_id"), rows[unknown].assign(reason="unknown_id")])
    summary.rejects = {"blank_id": int(blank.sum()), "unknown_id": int(unknown.sum())}
    for reason, group in rejected.groupby("reason"):
        summary.reject_examples[reason] = [f"row {r}" + (f": {i!r}" if i else "")
                                           for r, i in zip(group["row"].head(3), group["id"].head(3))]
    if rejected.shape[0] == len(rows):
        raise InvalidInput(N_("matches nobody in office %(office)r: %(unknown_id)s unknown ids, %(blank_id)s blank (e.g. %(names)s)"),
                           office=office.name, unknown_id=summary.rejects['unknown_id'], blank_id=summary.rejects['blank_id'], names='; '.join(sum(summary.reject_examples.values(), [])[:3]), file=path.name, field="id")
    ids = rows.loc[~blank & ~unknown, "id"].unique()
    summary.ids = len(ids)
    person_ids = [person_id for source_id in ids for person_id in known[source_id]]
    step("mark voted")
    # PostgreSQL takes a chunk as one array parameter (one plan, whatever its length); SQLite a list of
    # parameters, under its limit of variables.
    postgres = db.session.get_bind().dialect.name == "postgresql"
    size = PG_CHUNK if postgres else CHUNK
    for start in range(0, len(person_ids), size):
        chunk = person_ids[start:start + size]
        which = Person.id == any_(bindparam("ids", chunk, type_=ARRAY(Integer))) if postgres else Person.id.in_(chunk)
        result = db.session.execute(update(Person).where(which, Person.voted_at.is_(None))
                                    .values(voted_at=at).execution_options(synchronize_session=False))
        summary.marked += result.rowcount
    summary.already = len(person_ids) - summary.marked
    if rejects_path is not None and rejected.shape[0]:
        rejects.write_rejects(rejected.sort_values("row")[["row", "reason", "id"]], rejects_path, REJECT_LABELS)
        summary.rejects_file = str(rejects_path)
    step("rebuild chase lists")
    for canvass in chase_canvasses(office):
        summary.chase.append({"canvass": canvass.name, "canvass_id": canvass.id,
                              **rebuild_chase(canvass, office, actor_id)["totals"]})
    audit.record(actor_id, "import.voted", "office", office.id, file=path.name, marked=summary.marked,
                 rejects=summary.rejects)
    step("")
    return summary


# ---- chase walk lists -------------------------------------------------------------------------------

def chase_canvasses(office: Office) -> list[Canvass]:
    """The office's canvasses (its own and its region's) whose universe is a chase."""
    return [c for c in canvasses_with_universe(office) if is_chase(spec_of(c.id))]


def _anyone(spec, canvass_id: int):
    people, conditions = _people(spec, canvass_id, literal(1))
    return exists(people.where(Person.door_id == Door.id, *conditions))


def chase_turf(turf: Turf, canvass: Canvass, spec=None) -> dict:
    """A chase turf's walk list in counts: doors left to chase, and doors dropped because everyone the
    chase was for there has voted (``{"doors": N, "dropped": {"voted": M}}``)."""
    spec = spec if spec is not None else spec_of(canvass.id)
    if not is_chase(spec):
        return {"doors": None, "dropped": {}}
    still, before = _anyone(spec, canvass.id), _anyone(before_voting(spec), canvass.id)
    door_ids = turf_door_ids(turf)
    row = db.session.execute(
        select(func.count().filter(still), func.count().filter(and_(before, ~still)))
        .select_from(Door).where(Door.id.in_(door_ids), Door.do_not_contact.is_(None))).one() if door_ids else (0, 0)
    return {"doors": int(row[0] or 0), "dropped": {"voted": int(row[1] or 0)}}


def turf_door_ids(turf: Turf) -> list[int]:
    """The turf's doors (``turfs.turf_doors``) as ids, read by key: its blocks' doors by the door's block
    index and its own doors of divided blocks, two look-ups instead of one OR a planner cannot index."""
    listed = list(db.session.scalars(select(TurfDoor.door_id).where(TurfDoor.turf_id == turf.id)))
    if turf.kind == "doors":
        return sorted(listed)
    blocks = list(db.session.scalars(select(Block.id).where(Block.turf_id == turf.id)))
    in_blocks = list(db.session.scalars(select(Door.id).where(Door.block_id.in_(blocks)))) if blocks else []
    return sorted(set(in_blocks) | set(listed))


def rebuild_chase(canvass: Canvass, office: Office, actor_id: int | None) -> dict:
    """Rebuild the chase walk lists of the office's turfs in the canvass from its universe. Assignments
    stay as they are: each volunteer's phone gets the shorter list at its next sync, with the reason."""
    spec = spec_of(canvass.id)
    if not is_chase(spec):
        raise InvalidInput(N_('is not a chase canvass (its universe must leave out people who voted: "voted": false)'), field="canvass")
    turf_ids = list(db.session.scalars(
        select(Assignment.turf_id).join(Turf, Turf.id == Assignment.turf_id)
        .where(Assignment.canvass_id == canvass.id, Assignment.returned_at.is_(None), Turf.office_id == office.id)
        .distinct().order_by(Assignment.turf_id)))
    turfs = []
    for turf_id in turf_ids:
        turf = db.session.get(Turf, turf_id)
        turfs.append({"turf_id": turf.id, "turf": turf.name, **chase_turf(turf, canvass, spec)})
    still, before = _anyone(spec, canvass.id), _anyone(before_voting(spec), canvass.id)
    row = db.session.execute(
        select(func.count().filter(still), func.count().filter(and_(before, ~still))).select_from(Door)
        .where(Door.office_id == office.id, Door.do_not_contact.is_(None))).one()
    totals = {"doors": int(row[0] or 0), "dropped_voted": int(row[1] or 0), "assigned_turfs": len(turfs)}
    audit.record(actor_id, "chase.rebuild", "canvass", canvass.id, office=office.id, **totals)
    return {"turfs": turfs, "totals": totals}
