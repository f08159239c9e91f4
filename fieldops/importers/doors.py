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

from ..domain.addresses import (DOOR_JOIN_DISTANCE_M, join_households, match_known, normalise_city,
                                normalise_compact, normalise_street, normalise_unit)
from ..domain.languages import parse_language
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
    "language": ("language", "preferred_language", "lang", "language_code"),
}
REQUIRED = ("id", "street", "house_number", "lat", "lon")
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
READ_REJECT_REASONS = ("no_id", "repeated_id", "no_street", "no_house_number", "bad_age", "bad_birth_year",
                       "bad_language", "missing_coordinates", "bad_coordinates")
REJECT_LABELS = {
    "no_coordinates": "no coordinates", "swapped_lat_lon": "swapped lat lon",
    "outside_blocks": "outside blocks", "no_id": "no id", "repeated_id": "id repeated from an earlier row",
    "no_street": "no street", "no_house_number": "no house number", "bad_age": "age not a number from 0 to 130",
    "bad_language": "language not a code like fi, sv or es",
    "bad_birth_year": "year of birth not a year from 1880 to 2100",
    "missing_coordinates": "missing coordinates (N/A)", "bad_coordinates": "coordinates that are not numbers",
}
# Coordinates written as "not there" by spreadsheets and exports (compared case-insensitively).
MISSING_MARKS = ("n/a", "na", "-", "--", "null", "none", "nan", "?", "#n/a")
_DECIMAL_COMMA = r"^([+-]?\d+),(\d+)$"  # 60,1699: a decimal comma, as Finnish or German spreadsheets write
# Words that make an unused column look like part of an address (a warning: it was perhaps meant for one of ours).
ADDRESS_PART_WORDS = ("zip", "postal", "postcode", "plz", "city", "town", "municip", "unit", "apt", "apart",
                      "suite", "flat")


@dataclass
class DoorRows:
    rows: pd.DataFrame  # canonical columns + "row" (the CSV line number, header = 1) + "tag:<name>" columns
    has_people: bool
    rejects: pd.DataFrame = field(default_factory=pd.DataFrame)  # rows set aside while reading, with "reason"
    unused_columns: list[str] = field(default_factory=list)        # the file's columns we read nothing from
    address_like_columns: list[str] = field(default_factory=list)  # of those, the ones that look like an address part
    separator: str = ","
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
    """Parse a CSV, map its columns to ours, and check the required ones; rows with a problem of their own
    (no id, a repeated id, no street or house number, a bad age, coordinates marked missing or unreadable)
    are set aside in ``rejects`` with the reason. The file is refused only when no row is usable."""
    path = Path(path)
    name = path.name
    _check_encoding(path)
    separator = sniff_separator(path)
    try:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""], encoding="utf-8-sig",
                            sep=separator)
    except (pd.errors.ParserError, pd.errors.EmptyDataError, csv.Error) as error:
        raise InvalidInput(f"is not a readable CSV ({str(error).strip()[:200]})", file=name) from None
    columns = [str(c) for c in frame.columns]
    rename = _column_mapping(columns, name, separator)
    unused = [c for c in columns if c not in rename]
    extra = [c for c in unused if c.strip() and not c.startswith("Unnamed:")][:MAX_TAG_COLUMNS]
    tags = {TAG_PREFIX + tag_name(c): frame[c] for c in extra}
    frame = frame.rename(columns=rename)[list(rename.values())]
    for column, values in tags.items():
        frame[column] = values
    frame.insert(0, "row", np.arange(2, len(frame) + 2))  # line 1 is the header
    if frame.empty:
        raise InvalidInput("has a header but no rows", file=name)

    _check_lengths(frame, name)
    reason = pd.Series("", index=frame.index, dtype=object)

    def reject(mask, why: str) -> None:
        reason[mask.to_numpy() & (reason == "").to_numpy()] = why

    reject(frame["id"].isna(), "no_id")
    reject(frame["id"].notna() & frame["id"].duplicated(keep="first"), "repeated_id")
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
        codes = [_language_or_none(value) for value in frame["language"]]
        reject(pd.Series([code is _BAD for code in codes], index=frame.index), "bad_language")
        frame["language"] = [None if code is _BAD else code for code in codes]
    for axis in ("lat", "lon"):
        number = pd.to_numeric(frame[axis], errors="coerce")
        odd = number.isna() & frame[axis].notna()  # only these need a second look (a file has few, if any)
        if odd.any():
            text = frame.loc[odd, axis].str.strip()
            marked = text.str.casefold().isin(MISSING_MARKS)
            reject(odd & marked.reindex(frame.index, fill_value=False), "missing_coordinates")
            number[odd] = pd.to_numeric(text.str.replace(_DECIMAL_COMMA, r"\1.\2", regex=True), errors="coerce")
            reject(number.isna() & odd, "bad_coordinates")
        frame[axis] = number
    bad = (reason != "").to_numpy()
    rejects = frame[bad].assign(reason=reason[bad].to_numpy())
    rows = frame[~bad].reset_index(drop=True)
    if rows.empty:
        first = rejects.iloc[0]
        raise InvalidInput(f"has no usable row (each has a problem; the first: {REJECT_LABELS[first['reason']]})",
                           file=name, row=int(first["row"]))
    return DoorRows(rows=rows, has_people=any(c in frame for c in PERSON_COLUMNS) or bool(extra), rejects=rejects,
                    unused_columns=unused, address_like_columns=[c for c in unused if looks_like_address_part(c)],
                    separator=separator, tag_columns=tuple(extra))


_BAD = object()  # a language cell that names no language


def _language_or_none(value) -> object:
    try:
        return parse_language(value if isinstance(value, str) else None)
    except ValueError:
        return _BAD


def sniff_separator(path: Path, sample_bytes: int = 64 * 1024) -> str:
    """The field separator of a CSV (comma, semicolon, tab or bar), from its first kilobytes."""
    with path.open("rb") as handle:
        sample = handle.read(sample_bytes).decode("utf-8-sig", errors="ignore")
    if not sample.strip():
        return ","
    sample = sample[:sample.rfind("\n")] if "\n" in sample[:-1] else sample  # whole lines only
    try:
        return csv.Sniffer().sniff(sample, delimiters=",;\t|").delimiter
    except csv.Error:
        return ","


def looks_like_address_part(column: str) -> bool:
    """A column name that reads as a postcode, city or unit ('ZIP5', 'Post Code', 'Town name', 'Apt no')."""
    words = re.findall(r"[a-z]+", re.sub(r"([a-z])([A-Z])", r"\1 \2", column).lower())
    joined = "".join(words)
    return any(word.startswith(ADDRESS_PART_WORDS) for word in words) or any(
        part in joined for part in ("postcode", "postalcode", "zipcode"))


def _check_lengths(frame: pd.DataFrame, name: str) -> None:
    """Refuse a value longer than its column holds (a 10 MB street name), naming the row and field."""
    for field, most in TEXT_LIMITS.items():
        if field not in frame:
            continue
        lengths = frame[field].str.len()
        too_long = (lengths > most).to_numpy()
        if too_long.any():
            at = int(too_long.argmax())
            raise InvalidInput(f"is {int(lengths.iloc[at]):,} characters long: at most {most} fit", file=name,
                               row=int(frame["row"].iloc[at]), field=field)


def _check_encoding(path: Path) -> None:
    """Fail early, with a line number, on a file that is not UTF-8 (a common spreadsheet export)."""
    with path.open("rb") as handle:
        for line_number, line in enumerate(handle, start=1):
            try:
                line.decode("utf-8")
            except UnicodeDecodeError as error:
                raise InvalidInput(f"is not UTF-8 text (byte 0x{line[error.start]:02x}); save it as "
                                   "'CSV UTF-8' and import again", file=path.name, row=line_number) from None


def _header_key(column: str) -> str:
    """'ZIP Code', 'zip-code' and 'Zip_Code' are one spelling."""
    return re.sub(r"[\s\-.]+", "_", column.strip().lower())


def _column_mapping(columns: list[str], name: str, separator: str = ",") -> dict[str, str]:
    lookup: dict[str, str] = {}
    for column in columns:
        lookup.setdefault(_header_key(column), column)
    mapping = {}
    for canonical, aliases in COLUMN_ALIASES.items():
        found = next((lookup[a] for a in aliases if a in lookup), None)
        if found is not None:
            mapping[found] = canonical
    missing = [field for field in REQUIRED if field not in mapping.values()]
    if missing:
        hint = ""
        if len(columns) == 1 and any(mark in columns[0] for mark in ";\t|,"):
            hint = "; its header reads as one column: is the separator something else than " + repr(separator) + "?"
        raise InvalidInput(f"lacks the column {missing[0]!r} (columns: {', '.join(columns)}){hint}", file=name,
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
