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
from flask import current_app
from sqlalchemy import select

from ..errors import InvalidInput
from ..extensions import db
from ..importers.blocks import REJECT_LABELS as BLOCK_REJECT_LABELS
from ..importers.blocks import read_blocks
from ..domain.addresses import DOOR_JOIN_DISTANCE_M
from ..importers.doors import (READ_REJECT_REASONS, REJECT_LABELS, group_households, place_by_address,
                               place_rows,
                               read_door_rows, same_address)
from ..importers.osm import read_osm
from ..importers.tabular import rows_numbered
from ..models import Office
from . import audit, rejects, summaries, territory
from .users import office_by_name, region_by_name
from ..domain.text import N_

Progress = Callable[..., None]

BLOCK_STEPS = ("read blocks", "write blocks")
DOOR_STEPS = ("read rows", "place in blocks", "group households", "write doors", "write people")
OSM_STEPS = ("read OpenStreetMap", "write blocks", "write doors")


def _quiet(_label: str, *_how_far, **_facts) -> None:
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
    doors_unaddressed: int = 0  # OpenStreetMap homes without an address, named by their nearest street
    people_created: int = 0
    people_updated: int = 0
    rows: int = 0
    rejects: dict[str, int] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)
    rejects_file: str | None = None
    reject_labels: dict[str, str] = field(default_factory=dict)  # each reject reason as a person reads it
    # The file's columns (fields) that nothing was read from and nothing kept of (a voter file's extra
    # columns kept with the people as tags are tag_columns, not these); those that look like part of an address
    # (a postcode, city or unit the file spells in a way we do not know) are also a warning of their own.
    unused_columns: list[str] = field(default_factory=list)
    address_like_columns: list[str] = field(default_factory=list)
    tag_columns: list[str] = field(default_factory=list)  # the file's extra columns, kept with people as tags
    # Households at the street address of another door that were kept apart (another town, or farther than
    # join_distance_m): a door of their own each. Examples name the row and the address.
    near_misses: int = 0
    near_misses_too_far: int = 0  # of them, in the same town as the door but farther than the bound
    near_miss_examples: list[str] = field(default_factory=list)
    join_distance_m: float | None = None
    layer: str | None = None  # the layer read from a file of several
    # Door files: how the file was read, what it said to look at, how its columns were mapped, and how
    # its address-only rows were placed ({"matched": n, "interpolated": n}).
    table_format: str | None = None
    warnings: list[str] = field(default_factory=list)
    mapping: dict[str, str] = field(default_factory=dict)
    placed: dict[str, int] = field(default_factory=dict)

    def lines(self) -> list[str]:
        """The summary as a person reads it."""
        out = [f"Office {self.office}:"]
        if self.layer:
            out.append(f"  layer: {self.layer}")
        if self.blocks_created or self.blocks_updated:
            out.append(f"  blocks: {self.blocks_created} new, {self.blocks_updated} updated"
                       + (f", {self.repaired_geometries} invalid geometries repaired" if self.repaired_geometries else ""))
        if self.rows or self.doors_created or self.doors_updated:
            out.append(f"  doors: {self.doors_created} new, {self.doors_updated} updated"
                       + (f", {self.doors_matched} already there from another source" if self.doors_matched else "")
                       + (f" from {self.rows} rows" if self.rows else ""))
        if self.doors_unaddressed:
            out.append(f"  of them {self.doors_unaddressed} homes without an address, named by the nearest street "
                       "(\"near ...\")")
        if self.people_created or self.people_updated:
            out.append(f"  people: {self.people_created} new, {self.people_updated} updated")
        if self.near_misses:
            out.append(f"  kept apart: {self.near_misses} households at the street address of another door but in "
                       f"another town or over {self.join_distance_m:.0f} m from it, each a door of its own"
                       + (f"; {self.near_misses_too_far} of them in the door's own town (or with no town to compare)"
                          if self.near_misses_too_far else "")
                       + (f" (e.g. {'; '.join(self.near_miss_examples[:3])})" if self.near_miss_examples else ""))
        if self.table_format:
            out.append(f"  read as {self.table_format}")
        for warning in self.warnings:
            out.append(f"  warning: {warning}")
        if sum(self.placed.values()):
            out.append(f"  placed from the address: {self.placed.get('matched', 0)} matched to a door we hold, "
                       f"{self.placed.get('interpolated', 0)} interpolated along the street")
        if self.unused_columns:
            out.append(f"  columns not used: {', '.join(self.unused_columns)}")
        if self.tag_columns:
            out.append(f"  kept as tags: {', '.join(self.tag_columns)}")
        for column in self.address_like_columns:
            out.append(f"  warning: column {column!r} looks like part of an address but matched none of ours "
                       "(postcode, city, unit): rename it and import again if it is one")
        rejected = sum(self.rejects.values())
        if rejected:
            reasons = ", ".join(f"{count} {self.reject_labels.get(reason, reason.replace('_', ' '))}"
                                for reason, count in self.rejects.items() if count)
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

    def within(self, done: int, total: int) -> None:
        """How far the current step got (the rows written so far of a long write)."""
        self.progress(self.label, done, total, rows=self.summary.rows, rejected=sum(self.summary.rejects.values()))

    def done(self) -> None:
        self.step("")


def resolve_office(office_name: str, region_name: str | None) -> Office:
    """The named office; a new one needs --region, and an existing one must be in that region."""
    office = db.session.scalar(select(Office).where(Office.name == office_name))
    if office is None:
        if not region_name:
            raise InvalidInput(N_("no office named %(office_name)r: give --region NAME to create it"),
                               office_name=office_name, field="office")
        region = territory.get_or_create_region(region_name)
        return territory.get_or_create_office(office_name, region)
    if region_name and region_by_name(region_name).id != office.region_id:
        raise InvalidInput(N_("office %(office_name)r belongs to another region"),
                           office_name=office_name, field="region")
    return office


def import_blocks(path: str | Path, office_name: str, *, region_name: str | None = None,
                  id_field: str | None = None, doors_field: str | None = None, layer: str | None = None,
                  rejects_path: str | Path | None = None, actor_id: int | None = None,
                  progress: Progress = _quiet) -> ImportSummary:
    """Read a block file (its ``layer`` when it has several) and write its blocks into the office, all or
    nothing; features with a problem of their own are counted and written to ``rejects_path``."""
    office = resolve_office(office_name, region_name)
    summary = ImportSummary(office=office.name, reject_labels=dict(BLOCK_REJECT_LABELS))
    timer = _Timer(summary, progress)
    timer.step("read blocks")
    block_file = read_blocks(path, id_field=id_field, doors_field=doors_field, layer=layer)
    summary.layer = block_file.layer
    summary.unused_columns = block_file.unused_columns
    counted = block_file.rejects["reason"].value_counts().to_dict() if len(block_file.rejects) else {}
    summary.rejects = {reason: int(counted.get(reason, 0)) for reason in BLOCK_REJECT_LABELS}
    if rejects_path and len(block_file.rejects):
        rejects.write_rejects(block_file.rejects, rejects_path, BLOCK_REJECT_LABELS)
        summary.rejects_file = str(rejects_path)
    timer.step("write blocks")
    counts = territory.save_blocks(office, block_file.blocks)
    territory.refresh_door_counts(office)
    summaries.follow_doors(office.id)
    summary.blocks_created, summary.blocks_updated = counts["created"], counts["updated"]
    summary.repaired_geometries = block_file.repaired
    audit.record(actor_id, "import.blocks", "office", office.id, file=Path(path).name, **counts)
    timer.done()
    return summary


def join_distance_m() -> float:
    """How far (metres) a household may be from a door at its address and still join it: the app's
    ``DOOR_JOIN_DISTANCE_M``, else the rule's default."""
    value = current_app.config.get("DOOR_JOIN_DISTANCE_M") if current_app else None
    return float(value) if value not in (None, "") else DOOR_JOIN_DISTANCE_M


def _example(door) -> str:
    """'row 8: Main St 6 (Northfield)': where a person finds a household kept apart."""
    def text(name: str) -> str:
        value = door.get(name)
        return value.strip() if isinstance(value, str) else ""
    where = " ".join(part for part in (text("street"), text("house_number"), text("unit")) if part)
    town = text("city") or text("postcode")
    return f"row {door['row']}: {where}" + (f" ({town})" if town else "")


def import_doors(path: str | Path, office_name: str, *, rejects_path: str | Path | None = None,
                 mapping: dict[str, str] | None = None, actor_id: int | None = None,
                 progress: Progress = _quiet) -> ImportSummary:
    """Read a voter file or customer list into doors and people of the office, all or nothing. ``mapping``
    ({file column: field, "" for not used}) overrides the guessed columns (``importers/columns.py``); rows
    without coordinates are placed from their address (matched to a door we hold, else interpolated)."""
    office = office_by_name(office_name)
    bound_m = join_distance_m()
    summary = ImportSummary(office=office.name, join_distance_m=bound_m, reject_labels=dict(REJECT_LABELS))
    timer = _Timer(summary, progress)
    timer.step("read rows")
    door_rows = read_door_rows(path, mapping)
    summary.rows = len(door_rows.rows) + len(door_rows.rejects)
    summary.table_format, summary.warnings = door_rows.table_format, door_rows.warnings
    summary.mapping = door_rows.mapping
    summary.tag_columns = list(door_rows.tag_columns)
    # A column kept as tags is read: only the others are "not used" (the page and the CLI both say so).
    summary.unused_columns = [c for c in door_rows.unused_columns if c not in door_rows.tag_columns]
    summary.address_like_columns = door_rows.address_like_columns
    blocks = territory.office_blocks_frame(office)
    if blocks.empty:
        raise InvalidInput(N_("office %(office)r has no blocks yet: import its blocks first"),
                           office=office.name, field="office")
    timer.step("place in blocks")
    held = territory.addressed_doors(office)
    by_address = place_by_address(door_rows.rows, held)
    door_rows.rows = by_address.rows
    summary.placed = by_address.counts
    placement = place_rows(door_rows.rows, blocks)
    read_counts = door_rows.rejects["reason"].value_counts().to_dict() if len(door_rows.rejects) else {}
    summary.rejects = {**{reason: int(read_counts.get(reason, 0)) for reason in READ_REJECT_REASONS},
                       **placement.reject_counts(), "address_not_found": len(by_address.rejects)}
    timer.step("group households")
    doors, people = group_households(placement.placed(door_rows.rows), bound_m)
    doors["block_id"] = blocks["id"].to_numpy()[doors["block"].to_numpy()]
    if "placed_by" in doors and len(held):
        # A household matched to a door we hold keeps that door as it was placed (its point is the door's).
        was = doors["source_id"].map(held.set_index("source_id")["placed_by"].to_dict()).to_numpy(object)
        how = doors["placed_by"].to_numpy(object).copy()
        matched = (how == "matched") & doors["source_id"].isin(held["source_id"]).to_numpy()
        how[matched] = [None if pd.isna(value) else value for value in was[matched]]
        doors["placed_by"] = pd.Series(how, index=doors.index, dtype=object)
    # A household at the address of a door from OpenStreetMap (or another file) joins that door when it is
    # the same place by the one rule (domain/addresses.py); the door keeps its place and name.
    missed: list[str] = []
    already_there = same_address(doors, territory.doors_from_other_sources(office), bound_m, near_misses=missed)
    near = doors[doors["near_miss"].to_numpy() | doors["source_id"].isin(missed).to_numpy()]
    summary.near_misses = len(near)
    summary.near_misses_too_far = int(near["too_far"].sum())
    # The examples a person should look at first: same town, too far (a slip of the geocoder, or two
    # streets of one name), then another town's.
    near = near.sort_values("too_far", ascending=False, kind="stable")
    summary.near_miss_examples = [_example(door) for door in near.head(5).to_dict("records")]
    doors = doors[~doors["source_id"].isin(already_there.keys())].drop(columns=["near_miss", "too_far", "row"])
    people["door_source_id"] = people["door_source_id"].replace(already_there)
    timer.step("write doors")
    door_counts = territory.write_doors(office, doors.drop(columns="block"), timer.within)
    summary.doors_created, summary.doors_updated = door_counts["created"], door_counts["updated"]
    summary.doors_matched = len(already_there)
    territory.refresh_door_counts(office)
    summaries.follow_doors(office.id)
    timer.step("write people")
    if door_rows.has_people:
        people["door_id"] = people["door_source_id"].map(territory.door_ids_by_source(office))
        person_counts = territory.write_people(office, people.drop(columns="door_source_id"), timer.within)
        summary.people_created, summary.people_updated = person_counts["created"], person_counts["updated"]
    if rejects_path and sum(summary.rejects.values()):
        reasons = pd.concat([frame[["row", "reason"]] for frame in
                             (door_rows.rejects, by_address.rejects, placement.rejects(door_rows.rows))],
                            ignore_index=True).sort_values("row", kind="stable")
        # Each rejected row as the file has it (its own columns, its one-string address, its cells): what
        # the organizer fixes and imports again is the file's row, not our reading of it.
        own = rows_numbered(path, reasons["row"]).reindex(reasons["row"].to_numpy())
        rejects.write_rejects(reasons, rejects_path, REJECT_LABELS, own=own)
        summary.rejects_file = str(rejects_path)
    audit.record(actor_id, "import.doors", "office", office.id, file=Path(path).name,
                 doors=door_counts, rejects=summary.rejects)
    timer.done()
    return summary


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
    summary.doors_unaddressed = door_counts.get("unaddressed", 0)
    summary.rejects = {"outside_blocks": osm.addresses_outside + door_counts["outside"]}
    audit.record(actor_id, "import.osm", "office", office.id, file=Path(path).name,
                 blocks=block_counts, doors=door_counts)
    timer.done()
    return summary
