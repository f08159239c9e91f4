"""Voter files and customer lists (CSV): rows of people or households with coordinates.

Reading is split in three pure steps so each can be tested and timed:
``read_door_rows`` (parse and check columns), ``place_rows`` (one vectorised
spatial join; rejects by reason) and ``group_households`` (rows at the same
address become one door with several people).
"""
from __future__ import annotations

import csv
import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyproj

from ..domain.addresses import (DOOR_JOIN_DISTANCE_M, join_households, match_known, normalise_city,
                                normalise_compact, normalise_street, normalise_unit)
from ..domain import placement, projection
from ..domain.address_split import split_address
from ..domain.languages import parse_language
from ..domain.universes import tag_name
from ..errors import InvalidInput
from .columns import (COLUMN_ALIASES, FALLBACKS, NOT_USED, apply_overrides, guess_mapping,  # noqa: F401 (re-exported)
                      header_key)
from .geo import block_for_points
from .tabular import TableFormat, iter_table
from ..domain.text import N_

REQUIRED = ("id", "street", "house_number")  # street and number may come as one ``address`` string
# The most characters each text column holds (the database columns' lengths: tests/test_migrations.py
# checks they agree); a longer value (a 10 MB street name: a broken file, not a row to fix) refuses the file
# with the row and field named, on SQLite as on PostgreSQL.
TEXT_LIMITS = {"id": 64, "street": 200, "house_number": 32, "unit": 32, "city": 120, "postcode": 16,
               "first_name": 80, "last_name": 80, "phone": 40, "email": 254}
PERSON_COLUMNS = ("first_name", "last_name", "age", "birth_year", "phone", "email", "language")
TAG_PREFIX = "tag:"  # an extra column of the file, kept with each person as a tag (``Person.tags``)
MAX_TAG_COLUMNS = 30  # the first this many extra columns are kept as tags; the rest are only listed as unused
REJECT_REASONS = ("no_coordinates", "swapped_lat_lon", "outside_blocks")
# Rows set aside while reading, before any placing: each is a problem of that row alone.
READ_REJECT_REASONS = ("no_id", "repeated_id", "address_not_split", "no_street", "no_house_number", "bad_age",
                       "bad_birth_year", "bad_language", "missing_coordinates", "bad_coordinates")
REJECT_LABELS = {
    "bad_birth_year": N_("year of birth not a year from 1880 to 2100"),
    "bad_language": N_("language not a code like fi, sv or es"),
    "no_coordinates": N_("no coordinates"), "address_not_found": N_("address not found"),
    "address_not_split": N_("address not split into number and street (a PO box, or no number)"), "swapped_lat_lon": N_("swapped lat lon"),
    "outside_blocks": N_("outside blocks"), "no_id": N_("no id"), "repeated_id": N_("id repeated from an earlier row"),
    "no_street": N_("no street"), "no_house_number": N_("no house number"), "bad_age": N_("age not a number from 0 to 130"),
    "missing_coordinates": N_("missing coordinates (N/A)"), "bad_coordinates": N_("coordinates that are not numbers"),
}
# Coordinates written as "not there" by spreadsheets and exports (compared case-insensitively).
MISSING_MARKS = ("n/a", "na", "-", "--", "null", "none", "nan", "?", "#n/a")
_DECIMAL_COMMA = r"^([+-]?\d+),(\d+)$"  # 60,1699: a decimal comma, as Finnish or German spreadsheets write
# Words that make an unused column look like part of an address (a warning: it was perhaps meant for one of ours).
ADDRESS_PART_WORDS = ("zip", "postal", "postcode", "plz", "city", "town", "municip", "unit", "apt", "apart",
                      "suite", "flat")


@dataclass
class DoorRows:
    rows: pd.DataFrame  # canonical columns + "row" (the CSV line number, header = 1)
    has_people: bool
    rejects: pd.DataFrame = field(default_factory=pd.DataFrame)  # rows set aside while reading, with "reason"
    unused_columns: list[str] = field(default_factory=list)        # the file's columns we read nothing from
    address_like_columns: list[str] = field(default_factory=list)  # of those, the ones that look like an address part
    separator: str = ","
    warnings: list[str] = field(default_factory=list)  # e.g. read as Latin-1: accents may be wrong
    mapping: dict[str, str] = field(default_factory=dict)  # {file column: our field}, as used
    table_format: str = ""
    tag_columns: tuple[str, ...] = ()  # the file's extra columns, as it names them, kept as tags


@dataclass
class Placement:
    """Where each row went: ``block`` is the block's position (-1 for a reject), ``reason`` why not."""
    block: np.ndarray
    reason: np.ndarray

    def placed(self, rows: pd.DataFrame) -> pd.DataFrame:
        """The rows inside a block, with their block position in column "block"."""
        inside = self.block >= 0
        return rows[inside].assign(block=self.block[inside])

    def rejects(self, rows: pd.DataFrame) -> pd.DataFrame:
        """The rejected rows with their CSV line ("row") and "reason"."""
        outside = self.block < 0
        return rows[outside].assign(reason=self.reason[outside])

    def reject_counts(self) -> dict[str, int]:
        return {reason: int((self.reason == reason).sum()) for reason in REJECT_REASONS}


def read_door_rows(path: str | Path, mapping: dict[str, str] | None = None, member: str | None = None,
                   chunk_rows: int = 250_000) -> DoorRows:
    """Read a voter file or customer list (``tabular.read_table``: any encoding, separator, a ZIP of it), map
    its columns to ours (the known spellings of ``columns.py``, with the organizer's ``mapping`` on top:
    {file column: field, or "" for not used}) and check the required ones; rows with a problem of their own
    (no id, a repeated id, an address that can't be split, no street or house number, a bad age, coordinates
    marked missing or unreadable) are set aside in ``rejects`` with the reason. Rows without coordinates are
    kept, to be placed by their address. The file is refused only when no row is usable."""
    table_format, name, chunks = iter_table(path, member, chunk_rows)
    seen_ids: set = set()
    parts: list[DoorRows] = []
    rename: dict[str, str] | None = None
    first_row = 2
    for frame in chunks:  # a large file a chunk of rows at a time (tabular.iter_table); a small one whole
        if rename is None:
            rename = file_mapping([str(c) for c in frame.columns], name, table_format, mapping)
        parts.append(prepare_rows(frame, rename, name, table_format, first_row=first_row, seen_ids=seen_ids,
                                  refuse_empty=False))
        first_row += len(frame)
    first = parts[0]
    rows = pd.concat([part.rows for part in parts], ignore_index=True) if len(parts) > 1 else first.rows
    rejects = pd.concat([part.rejects for part in parts], ignore_index=True) if len(parts) > 1 else first.rejects
    del parts
    if rows.empty and rejects.empty:
        raise InvalidInput(N_("has a header but no rows"), file=name)
    if rows.empty:
        top = rejects.iloc[0]
        raise InvalidInput(N_("has no usable row (each has a problem; the first: %(value)s)"),
                           value=REJECT_LABELS[top['reason']],
                           file=name, row=int(top["row"]))
    first.rows, first.rejects = rows, rejects
    return first


def extra_columns(unused: list[str]) -> list[str]:
    """Of the columns read into none of our fields, the ones kept with each person as tags: named ones, the
    first MAX_TAG_COLUMNS."""
    return [c for c in unused if c.strip() and not c.startswith("Unnamed:")][:MAX_TAG_COLUMNS]


def file_mapping(columns: list[str], name: str, table_format: TableFormat | None = None,
                 overrides: dict[str, str] | None = None) -> dict[str, str]:
    """{file column: our field}: the guess, the overrides on top, checked for the fields we need."""
    rename = apply_overrides(columns, guess_mapping(columns), overrides, name)
    fields = set(rename.values()) - {NOT_USED}
    missing = [f for f in REQUIRED if f not in fields and not (f in ("street", "house_number") and "address" in fields)]
    if "lat" in fields and "lon" not in fields:
        missing.append("lon")
    if "lon" in fields and "lat" not in fields:
        missing.append("lat")
    if missing:
        hint = ""
        separator = table_format.separator if table_format else ","
        if len(columns) == 1 and any(mark in columns[0] for mark in ";\t|,"):
            hint = "; its header reads as one column: is the separator something else than " + repr(separator) + "?"
        if missing[0] in ("street", "house_number"):  # what a person would look for: an address
            raise InvalidInput(N_("has no address: it needs one address column (number, street and unit in one) or "
                                  "a house number column and a street column (columns: %(names)s)%(hint)s"),
                               names=', '.join(columns), hint=hint, file=name, field=missing[0])
        if missing[0] == "id":
            raise InvalidInput(N_("has no id column (a voter or person id such as VANID, Voter ID, id) to know each "
                                  "person again on the next import (columns: %(names)s)%(hint)s"),
                               names=', '.join(columns), hint=hint, file=name, field="id")
        raise InvalidInput(N_("lacks the column %(value)r (columns: %(names)s)%(hint)s"),
                           value=missing[0], names=', '.join(columns), hint=hint, file=name,
                           field=missing[0])
    return rename


def prepare_rows(frame: pd.DataFrame, rename: dict[str, str], name: str, table_format: TableFormat | None = None,
                 first_row: int = 2, seen_ids: set | None = None, refuse_empty: bool = True) -> DoorRows:
    """The checks of ``read_door_rows`` on a frame of text cells (a whole file, or one chunk of it starting at
    line ``first_row``; ``seen_ids`` carries the ids of earlier chunks so a repeat is still a reject)."""
    columns = [str(c) for c in frame.columns]
    dropped = {c for c, f in rename.items() if f == NOT_USED}  # the organizer's "not used": not kept as a tag
    rename = {c: f for c, f in rename.items() if f != NOT_USED}
    unused = [c for c in columns if c not in rename]
    fallbacks = {field: [c for c in unused if header_key(c) in keys] for field, keys in FALLBACKS.items()}
    original = frame
    extra = extra_columns([c for c in unused if c not in dropped])
    frame = frame.rename(columns=rename)[list(rename.values())]
    for field_name, spare in fallbacks.items():
        if field_name in frame:
            for column in spare:
                frame[field_name] = frame[field_name].fillna(original[column])
    for column in extra:  # kept with each person as a tag (a target universe filters on them)
        frame[TAG_PREFIX + tag_name(column)] = original[column]
    frame.insert(0, "row", np.arange(first_row, len(frame) + first_row))  # line 1 is the header
    if frame.empty and refuse_empty:
        raise InvalidInput(N_("has a header but no rows"), file=name)
    _check_lengths(frame, name)
    for axis in ("lat", "lon"):
        if axis not in frame:
            frame[axis] = np.nan

    reason = pd.Series("", index=frame.index, dtype=object)

    def reject(mask, why: str) -> None:
        reason[np.asarray(mask, dtype=bool) & (reason == "").to_numpy()] = why

    reject(frame["id"].isna(), "no_id")
    repeated = frame["id"].notna() & frame["id"].duplicated(keep="first")
    if seen_ids is not None:  # a set lookup per id: Series.isin(set) would copy the whole set every chunk
        ids = frame["id"].tolist()
        repeated |= np.fromiter((value in seen_ids for value in ids), dtype=bool, count=len(ids))
        seen_ids.update(value for value in ids if isinstance(value, str))
    reject(repeated, "repeated_id")
    if "address" in frame:
        _split_addresses(frame, reject)
    if "address2" in frame:
        line2 = frame.pop("address2")
        frame["unit"] = frame["unit"].fillna(line2) if "unit" in frame else line2
    reject(frame["street"].isna(), "no_street")
    reject(frame["house_number"].isna(), "no_house_number")
    if "age" in frame:
        ages = pd.to_numeric(frame["age"], errors="coerce")
        reject((ages.isna() & frame["age"].notna()) | (ages < 0) | (ages > 130), "bad_age")
        frame["age"] = ages.round().astype("Int64")
    if "birth_year" in frame:
        years = pd.to_numeric(frame["birth_year"], errors="coerce")
        reject((years.isna() & frame["birth_year"].notna()) | (years < 1880) | (years > 2100)
               | (years.notna() & (years % 1 != 0)), "bad_birth_year")
        frame["birth_year"] = years.where((years >= 1880) & (years <= 2100) & (years % 1 == 0)).astype("Int64")
    if "language" in frame:  # an ISO 639 code ("fi") or a known name ("Finnish"): domain.languages
        # once per distinct cell: a statewide file has millions of rows and a handful of languages
        cells, distinct = pd.factorize(frame["language"], use_na_sentinel=True)
        parsed = np.array([_language_or_none(value) for value in distinct] + [None], dtype=object)
        codes = parsed[cells]  # the sentinel -1 (a blank cell) takes the None at the end
        bad = np.array([code is _BAD for code in parsed], dtype=bool)[cells]
        reject(bad, "bad_language")
        codes[bad] = None
        frame["language"] = codes
    for axis in ("lat", "lon"):
        number = pd.to_numeric(frame[axis], errors="coerce")
        odd = number.isna() & frame[axis].notna()  # only these need a second look (a file has few, if any)
        if odd.any():
            text = frame.loc[odd, axis].astype(str).str.strip()
            marked = text.str.casefold().isin(MISSING_MARKS)
            reject(odd & marked.reindex(frame.index, fill_value=False), "missing_coordinates")
            number[odd] = pd.to_numeric(text.str.replace(_DECIMAL_COMMA, r"\1.\2", regex=True), errors="coerce")
            reject(number.isna() & odd, "bad_coordinates")
        frame[axis] = number
    bad = (reason != "").to_numpy()
    rejects = frame[bad].assign(reason=reason[bad].to_numpy())
    rows = frame[~bad].reset_index(drop=True)
    if rows.empty and refuse_empty:
        first = rejects.iloc[0]
        raise InvalidInput(N_("has no usable row (each has a problem; the first: %(value)s)"),
                           value=REJECT_LABELS[first['reason']],
                           file=name, row=int(first["row"]))
    return DoorRows(rows=rows, has_people=any(c in frame for c in PERSON_COLUMNS) or bool(extra), rejects=rejects,
                    unused_columns=unused, address_like_columns=[c for c in unused if looks_like_address_part(c)],
                    separator=table_format.separator if table_format else ",",
                    warnings=list(table_format.warnings) if table_format else [], mapping=dict(rename),
                    table_format=table_format.describe() if table_format else "", tag_columns=tuple(extra))


_BAD = object()  # a language cell that names no language


def _language_or_none(value) -> object:
    try:
        return parse_language(value if isinstance(value, str) else None)
    except ValueError:
        return _BAD


def _check_lengths(frame: pd.DataFrame, name: str) -> None:
    """Refuse a value longer than its column holds (a 10 MB street name), naming the row and field."""
    for field_name, most in TEXT_LIMITS.items():
        if field_name not in frame:
            continue
        lengths = frame[field_name].str.len()
        too_long = (lengths > most).to_numpy()
        if too_long.any():
            at = int(too_long.argmax())
            raise InvalidInput(N_("is %(value)s characters long: at most %(most)s fit"),
                               value=format(int(lengths.iloc[at]), ','), most=most, file=name,
                               row=int(frame["row"].iloc[at]), field=field_name)


def _split_addresses(frame: pd.DataFrame, reject) -> None:
    """Fill street, house number and unit from the one-string ``address`` (where the file has no column of
    its own for them, or leaves it blank); a cell that can't be split is a reject of its row."""
    text = frame.pop("address")
    # Split once per distinct cell (households repeat their address), then each row takes its cell's parts.
    cells, distinct = pd.factorize(text, use_na_sentinel=True)
    parts = [split_address(value) for value in distinct]
    unsplit = np.array([part is None for part in parts] + [False], dtype=bool)[cells]  # -1: a blank cell
    reject(unsplit & (frame["street"].isna().to_numpy() if "street" in frame else True), "address_not_split")
    for column in ("street", "house_number", "unit"):
        of_cell = np.array([getattr(part, column) if part is not None else None for part in parts] + [None],
                           dtype=object)
        values = pd.Series(of_cell[cells], index=frame.index, dtype=object)
        frame[column] = frame[column].fillna(values) if column in frame else values


def looks_like_address_part(column: str) -> bool:
    """A column name that reads as a postcode, city or unit ('ZIP5', 'Post Code', 'Town name', 'Apt no')."""
    words = re.findall(r"[a-z]+", re.sub(r"([a-z])([A-Z])", r"\1 \2", column).lower())
    joined = "".join(words)
    return any(word.startswith(ADDRESS_PART_WORDS) for word in words) or any(
        part in joined for part in ("postcode", "postalcode", "zipcode"))


@dataclass
class AddressPlacement:
    rows: pd.DataFrame       # every row, address-only ones now with a point and "placed_by"
    rejects: pd.DataFrame    # address-only rows that could not be placed, reason "address_not_found"
    counts: dict[str, int]   # {"matched": n, "interpolated": n}


def place_by_address(rows: pd.DataFrame, known: pd.DataFrame) -> AddressPlacement:
    """Give the rows without coordinates a point from their address (``domain.placement.StreetIndex``):
    matched to a door we hold (``known``: street, house_number, unit, city, postcode, lat, lon) or to a row
    of this file that has coordinates, else interpolated along the street side; else rejected as
    ``address_not_found``. Placed rows say how in ``placed_by`` (None for rows that came with a point) and
    carry the point of the door they were placed from (``near_lon``, ``near_lat``) and, when we hold that door,
    its block (``near_block_id``): a point just outside every block goes to that door's block (``place_rows``;
    a held door may itself stand just outside, in the block of the door it was once placed from).

    Points are projected to metres with ``projection.equal_area_crs`` for the interpolation.
    """
    lat, lon = rows["lat"].to_numpy(float), rows["lon"].to_numpy(float)
    need = ~(np.isfinite(lat) & np.isfinite(lon))
    counts = {placement.MATCHED: 0, placement.INTERPOLATED: 0}
    rows = rows.assign(placed_by=pd.Series([None] * len(rows), index=rows.index, dtype=object))
    if not need.any():
        return AddressPlacement(rows, rows.iloc[:0].assign(reason=[]), counts)
    columns = ["street", "house_number", "unit", "city", "postcode"]
    have = rows[~need]
    pool = pd.concat([known.reindex(columns=[*columns, "lat", "lon", "block_id"]),
                      have.reindex(columns=[*columns, "lat", "lon"])], ignore_index=True)
    pool = pool[np.isfinite(pool["lat"].to_numpy(float)) & np.isfinite(pool["lon"].to_numpy(float))]
    if pool.empty:
        rejected = rows[need].drop(columns="placed_by").assign(reason="address_not_found")
        return AddressPlacement(rows[~need], rejected, counts)
    pool_lon, pool_lat = pool["lon"].to_numpy(float), pool["lat"].to_numpy(float)
    pool_block = pool["block_id"].to_numpy(float)  # NaN for this file's own rows
    crs = projection.equal_area_crs(pool_lon, pool_lat)
    forward = pyproj.Transformer.from_crs("EPSG:4326", crs, always_xy=True)
    back = pyproj.Transformer.from_crs(crs, "EPSG:4326", always_xy=True)
    x, y = forward.transform(pool_lon, pool_lat)
    index = placement.StreetIndex()
    values = pool[columns].astype(object).where(pool[columns].notna(), None).to_numpy()
    for i, (street, number, unit, city, postcode) in enumerate(values):
        index.add(str(i), street, number, unit, city, postcode, float(x[i]), float(y[i]))
    wanted = rows.loc[need].reindex(columns=columns).astype(object)
    wanted = wanted.where(wanted.notna(), None)
    # A row with a postcode but no city is in the city the held doors of that postcode have (when one).
    cities = pool.dropna(subset=["postcode", "city"]).assign(
        postcode=lambda f: f["postcode"].map(normalise_compact), city=lambda f: f["city"].astype(str))
    cities = cities.groupby("postcode")["city"].agg(lambda c: c.iloc[0] if c.map(normalise_city).nunique() == 1
                                                    else None)
    no_city = wanted["city"].isna() & wanted["postcode"].notna()
    if no_city.any() and len(cities):
        wanted.loc[no_city, "city"] = wanted.loc[no_city, "postcode"].map(normalise_compact).map(cities)
        wanted = wanted.where(wanted.notna(), None)
    answers: dict[tuple, placement.Placed | None] = {}
    for key in map(tuple, wanted.to_numpy()):
        if key not in answers:
            answers[key] = index.place(*key)
    found = [answers[tuple(key)] for key in wanted.to_numpy()]
    ok = np.array([p is not None for p in found], dtype=bool)
    positions = np.flatnonzero(need)
    placed_at = positions[ok]
    px = np.array([p.x for p in found if p is not None], dtype=float)
    py = np.array([p.y for p in found if p is not None], dtype=float)
    how = np.array([p.how for p in found if p is not None], dtype=object)
    near = np.array([int(p.door_key if p.how == placement.MATCHED else p.neighbours[0])
                     for p in found if p is not None], dtype=np.int64)
    out = rows.copy()
    out["near_lon"], out["near_lat"], out["near_block_id"] = np.nan, np.nan, np.nan
    if len(placed_at):
        plon, plat = back.transform(px, py)
        out.iloc[placed_at, out.columns.get_loc("lon")] = plon
        out.iloc[placed_at, out.columns.get_loc("lat")] = plat
        out.iloc[placed_at, out.columns.get_loc("placed_by")] = how
        out.iloc[placed_at, out.columns.get_loc("near_lon")] = pool_lon[near]
        out.iloc[placed_at, out.columns.get_loc("near_lat")] = pool_lat[near]
        out.iloc[placed_at, out.columns.get_loc("near_block_id")] = pool_block[near]
        for name in counts:
            counts[name] = int((how == name).sum())
    lost = np.zeros(len(rows), dtype=bool)
    lost[positions[~ok]] = True
    rejected = rows[lost].drop(columns="placed_by").assign(reason="address_not_found")
    return AddressPlacement(out[~lost].reset_index(drop=True), rejected, counts)


def place_rows(rows: pd.DataFrame, blocks: gpd.GeoDataFrame) -> Placement:
    """Put each row in its block with one spatial join; the rest are rejects with a reason.

    A row whose point is in no block, but whose point with latitude and
    longitude swapped is, was typed the wrong way round: it is rejected as
    ``swapped_lat_lon`` so the organizer fixes the source.
    """
    lat, lon = rows["lat"].to_numpy(float), rows["lon"].to_numpy(float)
    has_point = np.isfinite(lat) & np.isfinite(lon)
    block = np.full(len(rows), -1, dtype=np.int64)
    if has_point.any():
        block[has_point] = block_for_points(lon[has_point], lat[has_point], blocks)
    reason = np.full(len(rows), "", dtype=object)
    reason[~has_point] = "no_coordinates"
    unplaced = has_point & (block < 0)
    if unplaced.any() and "near_lon" in rows:  # placed from its address just outside: its neighbour's block
        near_lon, near_lat = rows["near_lon"].to_numpy(float), rows["near_lat"].to_numpy(float)
        fallback = unplaced & np.isfinite(near_lon) & np.isfinite(near_lat)
        if fallback.any():
            block[fallback] = block_for_points(near_lon[fallback], near_lat[fallback], blocks)
        unplaced = has_point & (block < 0)
    if unplaced.any() and "near_block_id" in rows:  # that door stands outside too: the block we hold it in
        position = pd.Series(np.arange(len(blocks)), index=blocks["id"].to_numpy())
        held = rows["near_block_id"].to_numpy(float)
        fallback = unplaced & np.isfinite(held)
        block[fallback] = position.reindex(held[fallback].astype(np.int64)).fillna(-1).to_numpy(np.int64)
        unplaced = has_point & (block < 0)
    if unplaced.any():
        swapped = block_for_points(lat[unplaced], lon[unplaced], blocks) >= 0
        reason[np.flatnonzero(unplaced)] = np.where(swapped, "swapped_lat_lon", "outside_blocks")
    return Placement(block=block, reason=reason)


def _normalised(column: pd.Series, normalise) -> pd.Series:
    """Apply a normaliser once per distinct value: files repeat streets and units a lot."""
    values = column.fillna("")
    mapping = {value: normalise(value) for value in values.unique()}
    # As text even when empty: an empty map is float64, which cannot be joined into a place key.
    return values.map(mapping).astype(object)


def group_households(placed: pd.DataFrame, bound_m: float = DOOR_JOIN_DISTANCE_M) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Doors and people (one per row), linked by ``door_source_id``, by the one rule of
    ``domain/addresses.py``: rows join a door when they have its street address, its town (postcode, else
    city) and lie within ``bound_m`` metres of it; otherwise they make a door of their own.

    A door's source id is a digest of its normalised address, so re-importing the same file, or another file
    spelling the unit differently, finds the same door. The first door of an address and postcode keeps the
    digest of those alone (the ids of earlier imports); another town's door or a far one at the same address
    adds its city and its rank. Doors carry ``near_miss`` (made so, not merged: the summary reports them),
    ``too_far`` (of those, the ones whose address had a door in their own town, too far away) and ``row``
    (the line of their first household).
    """
    frame = placed.reset_index(drop=True)
    place = _place_key(frame)
    postcode = _postcode(frame)
    city = _city(frame)
    join = join_households(place.to_numpy(), city.to_numpy(), postcode.to_numpy(),
                           frame["lat"].to_numpy(float), frame["lon"].to_numpy(float), bound_m)
    leaders = np.flatnonzero(join.door == np.arange(len(frame)))
    base = (place + "|" + postcode).to_numpy()[leaders]
    rank = pd.Series(base).groupby(base).cumcount().to_numpy()
    keys = [b if r == 0 else f"{b}|{c}|{r}" for b, c, r in zip(base, city.to_numpy()[leaders], rank)]
    leader_ids = np.array(["addr-" + hashlib.sha1(k.encode()).hexdigest()[:20] for k in keys], dtype=object)
    id_of = np.empty(len(frame), dtype=object)
    id_of[leaders] = leader_ids
    frame = frame.assign(door_source_id=id_of[join.door])
    first = frame.iloc[leaders]
    doors = pd.DataFrame({
        "source_id": leader_ids,
        "street": first["street"].to_numpy(), "house_number": first["house_number"].to_numpy(),
        "unit": first["unit"].to_numpy() if "unit" in first else None,
        "city": first["city"].to_numpy() if "city" in first else None,
        "postcode": first["postcode"].to_numpy() if "postcode" in first else None,
        "lat": first["lat"].to_numpy(), "lon": first["lon"].to_numpy(), "block": first["block"].to_numpy(),
        "row": first["row"].to_numpy() if "row" in first else leaders + 2,
        "near_miss": join.near_miss[leaders],
        "too_far": join.too_far[leaders],
    })
    if "placed_by" in first:  # address-only rows: how the door's point was found (None: it came with one)
        doors["placed_by"] = first["placed_by"].to_numpy()
    person_columns = ["id", "door_source_id", *[c for c in PERSON_COLUMNS if c in frame]]
    people = frame[person_columns].rename(columns={"id": "source_id"})
    tag_columns = [c for c in frame.columns if c.startswith(TAG_PREFIX)]
    if tag_columns:
        people = people.assign(tags=person_tags(frame[tag_columns]))
    return doors, people


def person_tags(columns: pd.DataFrame) -> list[dict | None]:
    """Each row's extra columns as its tags ({name: value}); blank cells are left out, a row with none is None."""
    names = [c[len(TAG_PREFIX):] for c in columns.columns]
    out = []
    for values in columns.itertuples(index=False, name=None):
        tags = {n: str(v).strip() for n, v in zip(names, values) if isinstance(v, str) and v.strip()}
        out.append(tags or None)
    return out


def _place_key(frame: pd.DataFrame) -> pd.Series:
    """Street, house number and unit, normalised: one spelling per household's place."""
    return (_normalised(frame["street"], normalise_street) + "|"
            + _normalised(frame["house_number"], normalise_compact) + "|"
            + _normalised(frame.get("unit", pd.Series(index=frame.index, dtype=str)), normalise_unit))


def _postcode(frame: pd.DataFrame) -> pd.Series:
    return _normalised(frame.get("postcode", pd.Series(index=frame.index, dtype=str)), normalise_compact)


def _city(frame: pd.DataFrame) -> pd.Series:
    return _normalised(frame.get("city", pd.Series(index=frame.index, dtype=str)), normalise_city)


def _coordinates(frame: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    if "lat" not in frame or "lon" not in frame:  # no place known: the distance cannot hold them apart
        return np.zeros(len(frame)), np.zeros(len(frame))
    return frame["lat"].to_numpy(float), frame["lon"].to_numpy(float)


def same_address(new_doors: pd.DataFrame, known_doors: pd.DataFrame, bound_m: float = DOOR_JOIN_DISTANCE_M,
                 near_misses: list | None = None) -> dict[str, str]:
    """New doors (from ``group_households``) that are a door already known (from another source, such as
    OpenStreetMap), however either spells it: {new source id: known source id}.

    The rule of ``domain/addresses.py``: street, house number and unit agree, the town agrees (postcode when
    both have one, else city) and the known door is within ``bound_m`` metres. Pairs go one to one, nearest
    first. New doors at a known street address that fail the town or the distance are appended to
    ``near_misses`` (their source ids) when a list is given.
    """
    if new_doors.empty or known_doors.empty:
        return {}
    new_lat, new_lon = _coordinates(new_doors)
    known_lat, known_lon = _coordinates(known_doors)
    pairs, missed = match_known(
        _place_key(new_doors).to_numpy(), _city(new_doors).to_numpy(), _postcode(new_doors).to_numpy(),
        new_lat, new_lon,
        _place_key(known_doors).to_numpy(), _city(known_doors).to_numpy(), _postcode(known_doors).to_numpy(),
        known_lat, known_lon, bound_m)
    new_ids, known_ids = new_doors["source_id"].to_numpy(), known_doors["source_id"].to_numpy()
    if near_misses is not None:
        near_misses.extend(new_ids[missed].tolist())
    return {new_ids[a]: known_ids[b] for a, b in sorted(pairs.items())}
