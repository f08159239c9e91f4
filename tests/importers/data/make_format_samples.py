"""Small door files shaped like the exports campaigns bring (issue 21), and the one block they lie in.

Column names are those of the tools' own exports, as their help pages and downloaded files show them:

- ``van_export.xls``: a VAN / VoteBuilder "My Voters" export as it downloads: a '.xls' that is really
  UTF-16 (with BOM) tab-separated text; ``Voter File VANID``, a one-string ``vAddress``, ``FirstName``,
  ``MiddleName``, ``LastName``, ``City``, ``Zip5``, ``Latitude``, ``Longitude``, ``Phone``, ``Cell Phone``,
  ``Email``, ``Age``, ``PreferredLanguage``. Some rows have no coordinates (placed from the address), one
  a PO box (can't be split), one an address no door is near (not found).
- ``ecanvasser_export.csv``: Ecanvasser's contact export, number, street and unit in columns of their own:
  ``First Name``, ``Last Name``, ``House Number``, ``Street``, ``Unit``, ``City``, ``Zip Code``,
  ``Latitude``, ``Longitude``, ``Email``, ``Phone``.
- ``nationbuilder_export.csv``: NationBuilder's people export: ``nationbuilder_id``, ``first_name``,
  ``last_name``, ``email``, ``phone_number``, ``mobile_number``, ``primary_address1``,
  ``primary_address2``, ``primary_city``, ``primary_zip``, ``primary_lat``, ``primary_lng``, ``tag_list``.
- ``maple_block.geojson``: one block around Maple St (Minneapolis), where all of them live.

No real person is in any of them.  Run: ``.venv/bin/python tests/importers/data/make_format_samples.py``
"""
from __future__ import annotations

import csv
import io
import json
from pathlib import Path

HERE = Path(__file__).resolve().parent
WEST, EAST, LAT = -93.2800, -93.2700, 44.9725  # Maple St runs west to east; odd numbers north, even south


def point(number: int) -> tuple[float, float]:
    """Where No. ``number`` of Maple St stands: 100 at the west end, 140 at the east."""
    lon = WEST + 0.001 + (number - 100) / 40 * (EAST - WEST - 0.002)
    return round(LAT + (0.00015 if number % 2 else -0.00015), 6), round(lon, 6)


def main() -> None:
    block = {"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {"source_id": "maple-1"},
             "geometry": {"type": "Polygon", "coordinates": [[[WEST, 44.9700], [EAST, 44.9700], [EAST, 44.9750],
                                                              [WEST, 44.9750], [WEST, 44.9700]]]}}]}
    (HERE / "maple_block.geojson").write_text(json.dumps(block), encoding="utf-8")

    van = [["Voter File VANID", "FirstName", "MiddleName", "LastName", "vAddress", "City", "Zip5", "Latitude",
            "Longitude", "Phone", "Cell Phone", "Email", "Age", "PreferredLanguage"]]
    people = [("Ann", "Lee"), ("Bo", "Lee"), ("Cy", "Berg"), ("Di", "Holm"), ("Ed", "Laine"), ("Fay", "Ng"),
              ("Gus", "Oja"), ("Hal", "Puro")]
    for i, number in enumerate((100, 104, 108, 120, 101, 105, 121, 131)):
        lat, lon = point(number)
        first, last = people[i]
        van.append([str(100200 + i), first, "Q", last, f"{number} Maple St", "Minneapolis", "55401", str(lat),
                    str(lon), f"612555{1000 + i}", "", f"{first.lower()}@example.org", str(30 + i), "English"])
    # Households without coordinates: placed from the others. 104 Apt 2 shares the door of 104 (matched);
    # 112 and 113 lie between known numbers on their side (interpolated).
    van.append(["100300", "Ida", "", "Rask", "104 Maple St", "Minneapolis", "55401", "", "", "", "6125559000", "",
                "51", "Spanish"])
    van.append(["100301", "Jon", "", "Salo", "112 Maple St", "Minneapolis", "55401", "", "", "", "", "", "44",
                "English"])
    van.append(["100302", "Kai", "", "Tamm", "113 Maple St Apt 3", "Minneapolis", "55401", "", "", "", "", "",
                "62", ""])
    van.append(["100303", "Lin", "", "Uro", "PO Box 17", "Minneapolis", "55401", "", "", "", "", "", "70", ""])
    van.append(["100304", "Mo", "", "Vik", "9 Nowhere Rd", "Minneapolis", "55401", "", "", "", "", "", "33", ""])
    text = "\r\n".join("\t".join(row) for row in van) + "\r\n"
    (HERE / "van_export.xls").write_bytes(text.encode("utf-16"))  # BOM + UTF-16-LE, as VAN sends it

    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["ID", "First Name", "Last Name", "House Number", "Street", "Unit", "City", "Zip Code",
                     "Latitude", "Longitude", "Email", "Phone", "Support Level"])
    for i, (number, unit) in enumerate(((102, ""), (106, "A"), (106, "B"), (110, ""))):
        lat, lon = point(number)
        writer.writerow([f"ec-{i}", "Nia", f"Wong{i}", str(number), "Maple St", unit, "Minneapolis", "55401",
                         lat, lon, "", "", str(i % 5 + 1)])
    (HERE / "ecanvasser_export.csv").write_text(buffer.getvalue(), encoding="utf-8-sig")  # Excel-friendly BOM

    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["nationbuilder_id", "first_name", "last_name", "email", "phone_number", "mobile_number",
                     "primary_address1", "primary_address2", "primary_city", "primary_zip", "primary_lat",
                     "primary_lng", "tag_list"])
    for i, (number, unit) in enumerate(((115, ""), (117, "Unit 2"), (117, "Unit 3"))):
        lat, lon = point(number)
        writer.writerow([str(5000 + i), "Oli", f"Xu{i}", f"oli{i}@example.org", "", f"+1612555{2000 + i}",
                         f"{number} Maple St", unit, "Minneapolis", "55401", lat, lon, "volunteer, donor"])
    (HERE / "nationbuilder_export.csv").write_text(buffer.getvalue(), encoding="utf-8")


if __name__ == "__main__":
    main()
