"""Import territory: blocks, doors (voter or customer files) and OpenStreetMap, all or nothing.

Each use case reads the file with a pure importer and writes in bulk into the
current transaction without committing: the unit of work that runs it (the
command, the page, the job) commits once at the end, and any error rolls
everything back.
``progress(label, rows=, rejected=)`` is called as each step starts, with the rows read and
rejected so far, for a CLI bar or a job's page.
"""
from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
from sqlalchemy import select

from ..errors import InvalidInput
from ..extensions import db
from ..importers.blocks import read_blocks
from ..importers.doors import TAG_PREFIX, group_households, place_rows, read_door_rows, same_address
from ..importers.osm import read_osm
from ..models import Office
from . import audit, summaries, territory
from .users import office_by_name, region_by_name

Progress = Callable[..., None]

BLOCK_STEPS = ("read blocks", "write blocks")
DOOR_STEPS = ("read rows", "place in blocks", "group households", "write doors", "write people")
OSM_STEPS = ("read OpenStreetMap", "write blocks", "write doors")


def _quiet(_label: str, **_facts) -> None:
    pass


@dataclass
class ImportSummary:
    office: str
    blocks_created: int = 0
    blocks_updated: int = 0
    repaired_geometries: int = 0
    doors_created: int = 0
    doors_updated: int = 0
    doors_matched: int = 0  # households that joined a door already there from another source
    people_created: int = 0
    people_updated: int = 0
    rows: int = 0
    rejects: dict[str, int] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)
    rejects_file: str | None = None
    tag_columns: list[str] = field(default_factory=list)  # the file's extra columns, kept with people as tags

    def lines(self) -> list[str]:
        """The summary as a person reads it."""
        out = [f"Office {self.office}:"]
        if self.blocks_created or self.blocks_updated:
            out.append(f"  blocks: {self.blocks_created} new, {self.blocks_updated} updated"
                       + (f", {self.repaired_geometries} invalid geometries repaired" if self.repaired_geometries else ""))
        if self.rows or self.doors_created or self.doors_updated:
            out.append(f"  doors: {self.doors_created} new, {self.doors_updated} updated"
                       + (f", {self.doors_matched} already there from another source" if self.doors_matched else "")
                       + (f" from {self.rows} rows" if self.rows else ""))
        if self.people_created or self.people_updated:
            out.append(f"  people: {self.people_created} new, {self.people_updated} updated")
        if self.tag_columns:
            out.append(f"  kept as tags: {', '.join(self.tag_columns)}")
        rejected = sum(self.rejects.values())
        if rejected:
            reasons = ", ".join(f"{count} {reason.replace('_', ' ')}" for reason, count in self.rejects.items() if count)
            out.append(f"  rejected rows: {rejected} ({reasons})"
                       + (f", written to {self.rejects_file}" if self.rejects_file else ""))
        return out


class _Timer:
    def __init__(self, summary: ImportSummary, progress: Progress):
        self.summary, self.progress = summary, progress
        self.label, self.started = None, 0.0

    def step(self, label: str) -> None:
        now = time.perf_counter()
        if self.label:
            self.summary.seconds[self.label] = round(now - self.started, 3)
        self.label, self.started = label, now
        self.progress(label, rows=self.summary.rows, rejected=sum(self.summary.rejects.values()))

    def done(self) -> None:
        self.step("")


def resolve_office(office_name: str, region_name: str | None) -> Office:
    """The named office; a new one needs --region, and an existing one must be in that region."""
    office = db.session.scalar(select(Office).where(Office.name == office_name))
    if office is None:
        if not region_name:
            raise InvalidInput(f"no office named {office_name!r}: give --region NAME to create it", field="office")
        region = territory.get_or_create_region(region_name)
        return territory.get_or_create_office(office_name, region)
    if region_name and region_by_name(region_name).id != office.region_id:
        raise InvalidInput(f"office {office_name!r} belongs to another region", field="region")
    return office


def import_blocks(path: str | Path, office_name: str, *, region_name: str | None = None,
                  id_field: str | None = None, doors_field: str | None = None, actor_id: int | None = None,
                  progress: Progress = _quiet) -> ImportSummary:
    """Read a block file and write its blocks into the office, all or nothing."""
    office = resolve_office(office_name, region_name)
    summary = ImportSummary(office=office.name)
    timer = _Timer(summary, progress)
    timer.step("read blocks")
    block_file = read_blocks(path, id_field=id_field, doors_field=doors_field)
    timer.step("write blocks")
    counts = territory.save_blocks(office, block_file.blocks)
    territory.refresh_door_counts(office)
    summaries.follow_doors(office.id)
    summary.blocks_created, summary.blocks_updated = counts["created"], counts["updated"]
    summary.repaired_geometries = block_file.repaired
    audit.record(actor_id, "import.blocks", "office", office.id, file=Path(path).name, **counts)
    timer.done()
    return summary


def import_doors(path: str | Path, office_name: str, *, rejects_path: str | Path | None = None,
                 actor_id: int | None = None, progress: Progress = _quiet) -> ImportSummary:
    """Read a voter or customer CSV into doors and people of the office, all or nothing."""
    office = office_by_name(office_name)
    summary = ImportSummary(office=office.name)
    timer = _Timer(summary, progress)
    timer.step("read rows")
    door_rows = read_door_rows(path)
    summary.rows = len(door_rows.rows)
    summary.tag_columns = list(door_rows.tag_columns)
    blocks = territory.office_blocks_frame(office)
    if blocks.empty:
        raise InvalidInput(f"office {office.name!r} has no blocks yet: import its blocks first", field="office")
    timer.step("place in blocks")
    placement = place_rows(door_rows.rows, blocks)
    summary.rejects = placement.reject_counts()
    timer.step("group households")
    doors, people = group_households(placement.placed(door_rows.rows))
    doors["block_id"] = blocks["id"].to_numpy()[doors["block"].to_numpy()]
    # A household at the address of a door from OpenStreetMap (or another file) joins that door; the
    # door keeps its place and name.
    already_there = same_address(doors, territory.doors_from_other_sources(office))
    doors = doors[~doors["source_id"].isin(already_there.keys())]
    people["door_source_id"] = people["door_source_id"].replace(already_there)
    timer.step("write doors")
    door_counts = territory.write_doors(office, doors.drop(columns="block"))
    summary.doors_created, summary.doors_updated = door_counts["created"], door_counts["updated"]
    summary.doors_matched = len(already_there)
    territory.refresh_door_counts(office)
    summaries.follow_doors(office.id)
    timer.step("write people")
    if door_rows.has_people:
        people["door_id"] = people["door_source_id"].map(territory.door_ids_by_source(office))
        person_counts = territory.write_people(office, people.drop(columns="door_source_id"))
        summary.people_created, summary.people_updated = person_counts["created"], person_counts["updated"]
    if rejects_path and sum(summary.rejects.values()):
        write_rejects(placement.rejects(door_rows.rows), rejects_path)
        summary.rejects_file = str(rejects_path)
    audit.record(actor_id, "import.doors", "office", office.id, file=Path(path).name,
                 doors=door_counts, rejects=summary.rejects)
    timer.done()
    return summary


def write_rejects(rejects: pd.DataFrame, path: str | Path) -> None:
    """The rejected rows, with their CSV line number and the reason, for the organizer to fix."""
    columns = ["row", "reason", *[c for c in rejects.columns if c not in ("row", "reason")]]
    rejects[columns].rename(columns=lambda c: c[len(TAG_PREFIX):] if c.startswith(TAG_PREFIX) else c) \
        .to_csv(path, index=False)


def import_osm(path: str | Path, office_name: str, *, region_name: str | None = None,
               actor_id: int | None = None, progress: Progress = _quiet) -> ImportSummary:
    """Blocks from the street network and doors from addresses of an .osm.pbf, all or nothing."""
    office = resolve_office(office_name, region_name)
    summary = ImportSummary(office=office.name)
    timer = _Timer(summary, progress)
    timer.step("read OpenStreetMap")
    osm = read_osm(path)
    timer.step("write blocks")
    block_counts = territory.save_blocks(office, osm.blocks)
    summary.blocks_created, summary.blocks_updated = block_counts["created"], block_counts["updated"]
    timer.step("write doors")
    door_counts = territory.save_doors(office, osm.doors)
    summary.doors_created, summary.doors_updated = door_counts["created"], door_counts["updated"]
    summary.rejects = {"outside_blocks": osm.addresses_outside + door_counts["outside"]}
    audit.record(actor_id, "import.osm", "office", office.id, file=Path(path).name,
                 blocks=block_counts, doors=door_counts)
    timer.done()
    return summary
