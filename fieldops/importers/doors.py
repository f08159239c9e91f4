"""Voter files and customer lists (CSV): rows of people or households with coordinates.

Reading is split in three pure steps so each can be tested and timed:
``read_door_rows`` (parse and check columns), ``place_rows`` (one vectorised
spatial join; rejects by reason) and ``group_households`` (rows at the same
address become one door with several people).
"""
from __future__ import annotations

import csv
import hashlib
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd

from ..domain.addresses import normalise_compact, normalise_street, normalise_unit
from ..domain.universes import tag_name
from ..errors import InvalidInput
from .geo import block_for_points

# Accepted spellings of each column, compared case-insensitively.
COLUMN_ALIASES: dict[str, tuple[str, ...]] = {
    "id": ("id", "source_id", "voter_id", "person_id", "customer_id", "record_id"),
    "street": ("street", "street_name", "address_street", "streetname"),
    "house_number": ("house_number", "housenumber", "house_no", "number", "street_number"),
    "unit": ("unit", "apartment", "apt", "unit_number", "suite", "flat"),
    "city": ("city", "town", "municipality"),
    "postcode": ("postcode", "zip", "zip_code", "zipcode", "postal_code"),
    "lat": ("lat", "latitude", "y"),
    "lon": ("lon", "lng", "long", "longitude", "x"),
    "first_name": ("first_name", "firstname", "given_name", "first"),
    "last_name": ("last_name", "lastname", "surname", "family_name", "last"),
    "age": ("age",),
    "birth_year": ("birth_year", "year_of_birth", "birthyear", "yob", "born"),
    "phone": ("phone", "phone_number", "telephone", "mobile"),
    "email": ("email", "e_mail", "e-mail", "email_address", "mail"),
}
REQUIRED = ("id", "street", "house_number", "lat", "lon")
PERSON_COLUMNS = ("first_name", "last_name", "age", "birth_year", "phone", "email")
TAG_PREFIX = "tag:"  # an extra column of the file, kept with each person as a tag (``Person.tags``)
MAX_TAG_COLUMNS = 30
REJECT_REASONS = ("no_coordinates", "swapped_lat_lon", "outside_blocks")


@dataclass
class DoorRows:
    rows: pd.DataFrame  # canonical columns + "row" (the CSV line number, header = 1) + "tag:<name>" columns
    has_people: bool
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


def read_door_rows(path: str | Path) -> DoorRows:
    """Parse a CSV, map its columns to ours, and check the required ones and the ids."""
    path = Path(path)
    name = path.name
    _check_encoding(path)
    try:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""], encoding="utf-8-sig")
    except (pd.errors.ParserError, pd.errors.EmptyDataError, csv.Error) as error:
        raise InvalidInput(f"is not a readable CSV ({str(error).strip()[:200]})", file=name) from None
    rename = _column_mapping(list(frame.columns), name)
    extra = [c for c in frame.columns if c not in rename and str(c).strip() and not str(c).startswith("Unnamed:")]
    if len(extra) > MAX_TAG_COLUMNS:
        raise InvalidInput(f"has {len(extra)} columns besides ours; at most {MAX_TAG_COLUMNS} are kept as tags",
                           file=name)
    tags = {TAG_PREFIX + tag_name(c): frame[c] for c in extra}
    frame = frame.rename(columns=rename)[list(rename.values())]
    for column, values in tags.items():
        frame[column] = values
    frame.insert(0, "row", np.arange(2, len(frame) + 2))  # line 1 is the header
    if frame.empty:
        raise InvalidInput("has a header but no rows", file=name)

    missing_id = frame["id"].isna()
    if missing_id.any():
        raise InvalidInput("has no id", file=name, row=int(frame.loc[missing_id, "row"].iloc[0]), field="id")
    repeated = frame["id"].duplicated(keep=False)
    if repeated.any():
        first = frame.loc[repeated, "id"].iloc[0]
        lines = frame.loc[frame["id"] == first, "row"].tolist()[:3]
        raise InvalidInput(f"id {first!r} appears on rows {', '.join(map(str, lines))}", file=name,
                           row=lines[1], field="id")
    for field in ("street", "house_number"):
        blank = frame[field].isna()
        if blank.any():
            raise InvalidInput("is empty", file=name, row=int(frame.loc[blank, "row"].iloc[0]), field=field)
    if "age" in frame:
        ages = pd.to_numeric(frame["age"], errors="coerce")
        bad = (ages.isna() & frame["age"].notna()) | (ages < 0) | (ages > 130)
        if bad.any():
            at = frame.loc[bad].iloc[0]
            raise InvalidInput(f"{at['age']!r} is not an age", file=name, row=int(at["row"]), field="age")
        frame["age"] = ages.astype("Int64")
    if "birth_year" in frame:
        years = pd.to_numeric(frame["birth_year"], errors="coerce")
        bad = ((years.isna() & frame["birth_year"].notna()) | (years < 1880) | (years > 2100)
               | (years.notna() & (years % 1 != 0)))
        if bad.any():
            at = frame.loc[bad].iloc[0]
            raise InvalidInput(f"{at['birth_year']!r} is not a year of birth", file=name, row=int(at["row"]),
                               field="birth_year")
        frame["birth_year"] = years.astype("Int64")
    frame["lat"] = pd.to_numeric(frame["lat"], errors="coerce")
    frame["lon"] = pd.to_numeric(frame["lon"], errors="coerce")
    return DoorRows(rows=frame, has_people=any(c in frame for c in PERSON_COLUMNS) or bool(extra),
                    tag_columns=tuple(str(c) for c in extra))


def _check_encoding(path: Path) -> None:
    """Fail early, with a line number, on a file that is not UTF-8 (a common spreadsheet export)."""
    with path.open("rb") as handle:
        for line_number, line in enumerate(handle, start=1):
            try:
                line.decode("utf-8")
            except UnicodeDecodeError as error:
                raise InvalidInput(f"is not UTF-8 text (byte 0x{line[error.start]:02x}); save it as "
                                   "'CSV UTF-8' and import again", file=path.name, row=line_number) from None


def _column_mapping(columns: list[str], name: str) -> dict[str, str]:
    lookup = {c.strip().lower(): c for c in columns}
    mapping = {}
    for canonical, aliases in COLUMN_ALIASES.items():
        found = next((lookup[a] for a in aliases if a in lookup), None)
        if found is not None:
            mapping[found] = canonical
    missing = [field for field in REQUIRED if field not in mapping.values()]
    if missing:
        raise InvalidInput(f"lacks the column {missing[0]!r} (columns: {', '.join(columns)})", file=name,
                           field=missing[0])
    return mapping


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
    if unplaced.any():
        swapped = block_for_points(lat[unplaced], lon[unplaced], blocks) >= 0
        reason[np.flatnonzero(unplaced)] = np.where(swapped, "swapped_lat_lon", "outside_blocks")
    return Placement(block=block, reason=reason)


def _normalised(column: pd.Series, normalise) -> pd.Series:
    """Apply a normaliser once per distinct value: files repeat streets and units a lot."""
    values = column.fillna("")
    mapping = {value: normalise(value) for value in values.unique()}
    return values.map(mapping)


def group_households(placed: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Doors (one per distinct address) and people (one per row), linked by ``door_source_id``.

    A door's source id is a digest of its normalised address, so re-importing
    the same file, or another file spelling the unit differently, finds the
    same door.
    """
    key = _place_key(placed) + "|" + _postcode(placed)
    digests = {k: "addr-" + hashlib.sha1(k.encode()).hexdigest()[:20] for k in key.unique()}
    frame = placed.assign(door_source_id=key.map(digests))
    first = frame.groupby("door_source_id", sort=False).first()
    doors = pd.DataFrame({
        "source_id": first.index.to_numpy(),
        "street": first["street"].to_numpy(), "house_number": first["house_number"].to_numpy(),
        "unit": first["unit"].to_numpy() if "unit" in first else None,
        "city": first["city"].to_numpy() if "city" in first else None,
        "postcode": first["postcode"].to_numpy() if "postcode" in first else None,
        "lat": first["lat"].to_numpy(), "lon": first["lon"].to_numpy(), "block": first["block"].to_numpy(),
    })
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


def same_address(new_doors: pd.DataFrame, known_doors: pd.DataFrame) -> dict[str, str]:
    """New doors (from ``group_households``) at the address of a door already known (from another
    source, such as OpenStreetMap), however either spells it: {new source id: known source id}.

    Street, house number and unit must agree; postcodes too when both have one. Pairs go one to one:
    two households that differ only by a postcode the known door lacks do not both join it.
    """
    if new_doors.empty or known_doors.empty:
        return {}
    new = pd.DataFrame({"new": new_doors["source_id"].to_numpy(), "place": _place_key(new_doors).to_numpy(),
                        "new_postcode": _postcode(new_doors).to_numpy()})
    known = pd.DataFrame({"known": known_doors["source_id"].to_numpy(), "place": _place_key(known_doors).to_numpy(),
                          "known_postcode": _postcode(known_doors).to_numpy()})
    pairs = new.merge(known, on="place")
    agree = (pairs["new_postcode"] == "") | (pairs["known_postcode"] == "") | (
        pairs["new_postcode"] == pairs["known_postcode"])
    pairs = pairs[agree].drop_duplicates("new").drop_duplicates("known")
    return dict(zip(pairs["new"], pairs["known"]))
