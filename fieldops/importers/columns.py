"""The known spellings of each door-file column, and the guess of a file's mapping to our fields.

Where the spellings come from (headers as the tools export them; compared case-insensitively, with
spaces, dashes and dots read as underscores, so "Zip Code", "zip-code" and "ZIP_CODE" are one):

- our own CSV shape and common spreadsheet headings (``id``, ``street``, ``house_number``, ``lat``...);
- VAN / VoteBuilder "My Voters" exports and reports: ``Voter File VANID``, ``VANID``, ``vAddress`` and
  ``Address`` (a one-string address), ``StreetNo``, ``StreetName``, ``AptNo``, ``FirstName``,
  ``LastName``, ``MiddleName``, ``City``, ``Zip5``, ``Latitude``, ``Longitude``, ``Phone``,
  ``Cell Phone``, ``Email``, ``Age``, ``PreferredLanguage``;
- Ecanvasser contact exports: ``First Name``, ``Last Name``, ``House Number``, ``Street``, ``Unit``,
  ``City``, ``Postcode`` / ``Zip Code``, ``Latitude``, ``Longitude``, ``Email``, ``Phone``;
- NationBuilder people exports: ``nationbuilder_id``, ``first_name``, ``last_name``, ``email``,
  ``phone_number``, ``mobile_number``, ``primary_address1`` (one string), ``primary_address2`` (the
  unit line), ``primary_city``, ``primary_zip``, ``primary_lat`` / ``primary_lng``.

For each field the first spelling found in the file wins; a file column can serve one field only.
``address`` is a one-string address (split by ``domain.address_split``), ``address2`` its unit line.
Columns matching no field are not used (and named in the import summary), the organizer can map them
on the import page or with ``--map "File column=field"``.
"""
from __future__ import annotations

import re

from ..domain.text import N_

FIELDS: dict[str, str] = {  # our field -> how a person reads it (the mapping step's choices, translated there)
    "id": N_("id (voter or person id)"), "address": N_("address (one string: number, street, unit)"),
    "address2": N_("address line 2 (unit)"), "house_number": N_("house number"), "street": N_("street"), "unit": N_("unit"),
    "city": N_("city"), "postcode": N_("postcode"), "lat": N_("latitude"), "lon": N_("longitude"),
    "first_name": N_("first name"), "last_name": N_("last name"), "age": N_("age"), "birth_year": N_("year of birth"),
    "phone": N_("phone"), "email": N_("email"), "language": N_("preferred language"),
}

COLUMN_ALIASES: dict[str, tuple[str, ...]] = {
    "id": ("id", "source_id", "voter_id", "person_id", "customer_id", "record_id",
           "voter_file_vanid", "vanid", "van_id", "nationbuilder_id", "contact_id"),
    "address": ("vaddress", "address", "street_address", "address1", "address_line_1", "primary_address1",
                "full_address"),
    "address2": ("address2", "address_line_2", "primary_address2"),
    "street": ("street", "street_name", "address_street", "streetname"),
    "house_number": ("house_number", "housenumber", "house_no", "number", "street_number", "streetno",
                     "street_no"),
    "unit": ("unit", "apartment", "apt", "unit_number", "suite", "flat", "aptno"),
    "city": ("city", "town", "municipality", "primary_city"),
    "postcode": ("postcode", "zip", "zip_code", "zipcode", "postal_code", "zip5", "primary_zip"),
    "lat": ("lat", "latitude", "y", "primary_lat"),
    "lon": ("lon", "lng", "long", "longitude", "x", "primary_lng", "primary_lon"),
    "first_name": ("first_name", "firstname", "given_name", "first"),
    "last_name": ("last_name", "lastname", "surname", "family_name", "last"),
    "age": ("age",),
    "birth_year": ("birth_year", "year_of_birth", "birthyear", "yob", "born"),
    "phone": ("phone", "phone_number", "telephone", "mobile", "cell_phone", "mobile_number", "cell"),
    "email": ("email", "e_mail", "e-mail", "email_address", "mail"),
    "language": ("language", "preferred_language", "preferredlanguage", "lang", "language_code"),
}
# A second column read where the first is blank: VAN's "Cell Phone" and NationBuilder's "mobile_number"
# when the row has no "Phone" / "phone_number". The column is still listed as not used.
FALLBACKS: dict[str, tuple[str, ...]] = {"phone": ("cell_phone", "mobile_number", "mobile", "cell")}
NOT_USED = ""  # the mapping's value for a column read into nothing and kept nowhere
KEEP_AS_TAG = "tag"  # the mapping's value for a column that is none of ours, kept with each person as a tag


def header_key(column: str) -> str:
    """'ZIP Code', 'zip-code' and 'Zip_Code' are one spelling."""
    return re.sub(r"[\s\-.]+", "_", str(column).strip().lower())


def guess_mapping(columns: list[str]) -> dict[str, str]:
    """{file column: our field} by the known spellings; columns matching none are left out."""
    lookup: dict[str, str] = {}
    for column in columns:
        lookup.setdefault(header_key(column), column)
    mapping: dict[str, str] = {}
    for canonical, aliases in COLUMN_ALIASES.items():
        found = next((lookup[a] for a in aliases if a in lookup and lookup[a] not in mapping), None)
        if found is not None:
            mapping[found] = canonical
    return mapping


def apply_overrides(columns: list[str], guessed: dict[str, str], overrides: dict[str, str] | None,
                    name: str) -> dict[str, str]:
    """The guess with the organizer's choices on top: {file column: field, or NOT_USED}. A choice names
    a column of the file and one of our fields (a field chosen for one column leaves any other), KEEP_AS_TAG
    (none of ours: the column is an extra, kept as tags as an unchosen one is) or NOT_USED (the organizer's
    "not used": read into nothing and not kept, so it stays in the result as NOT_USED)."""
    from ..errors import InvalidInput
    mapping = dict(guessed)
    for column, field in (overrides or {}).items():
        if column not in columns:
            raise InvalidInput(N_("has no column %(column)r to map (columns: %(names)s)"),
                               column=column, names=', '.join(columns), file=name,
                               field=column)
        if field and field != KEEP_AS_TAG and field not in FIELDS:
            raise InvalidInput(N_("can't map %(column)r to %(field_name)r: the fields are %(names)s"),
                               column=column, field_name=field, names=', '.join(FIELDS),
                               file=name, field=column)
        if field == KEEP_AS_TAG:
            mapping.pop(column, None)
        elif field:
            mapping = {c: f for c, f in mapping.items() if f != field}
            mapping[column] = field
        else:
            mapping[column] = NOT_USED
    return mapping


def parse_map_options(values: tuple[str, ...] | list[str]) -> dict[str, str]:
    """``--map "File column=field"`` (field ``tag``: kept as a tag; empty or ``-``: not used, not kept) as
    {file column: field}."""
    out = {}
    for value in values:
        column, sep, field = value.rpartition("=")
        if not sep or not column.strip():
            from ..errors import InvalidInput
            raise InvalidInput(N_("--map %(value)r is not 'File column=field'"), value=value, field="map")
        field = field.strip()
        out[column.strip()] = "" if field in ("", "-") else field
    return out
