"""The printable turf packet, printed to PDF by real Chromium and read back with pypdf (issue 17, point 5):
a first page with the turf's map drawn from our own data (no tiles), then the doors in walking order at
15 or more an A4 portrait page, with the codes the paper type-in reads back, nothing cut at the edge."""
from __future__ import annotations

import io
import math
import os
import re

import geopandas as gpd
import pandas as pd
import pytest
import shapely
from pypdf import PdfReader

from fieldops.domain.outcomes import OUTCOMES
from fieldops.domain.paper import door_code, promise_legend
from fieldops.extensions import db
from fieldops.services import canvassing, territory, turfs, walklists
from fieldops.services.demo import QUESTIONS
from fieldops.models import Block, Person
from tests.factories import CELL, PASSWORD, make_user

from .conftest import sign_in

ORIGIN = (24.70, 60.40)
FIRST = ["Aino", "Eero", "Helmi", "Juha", "Kaisa", "Leo", "Maria", "Mikko", "Noora", "Olli"]
LAST = ["Virtanen", "Korhonen", "Mäkinen", "Nieminen", "Laine", "Heikkinen"]


def big_turf(world, doors: int = 166):
    """One turf of ``doors`` doors: two rows of houses on named streets and a block of flats, with residents."""
    office = territory.get_or_create_office("Echo", world.north, lat=ORIGIN[1], lon=ORIGIN[0])
    x0, y0 = ORIGIN
    cells = [shapely.box(x0 + c * CELL, y0 + r * CELL, x0 + (c + 1) * CELL, y0 + (r + 1) * CELL)
             for r in range(2) for c in range(4)]
    ids = [f"echo-{r}-{c}" for r in range(2) for c in range(4)]
    territory.save_blocks(office, gpd.GeoDataFrame({"source_id": ids}, geometry=cells, crs="EPSG:4326"))
    rows = []
    streets = ["Rantakatu", "Koulukatu"]
    for r in range(2):
        for c in range(4):
            if (r, c) == (1, 3):
                continue  # the block of flats
            for n in range(17):  # 7 blocks x 17 houses = 119
                rows.append({"source_id": f"h-{r}-{c}-{n}", "street": streets[r],
                             "house_number": str(c * 40 + n * 2 + 1 + (n % 2)), "unit": None, "city": "Echo",
                             "postcode": "00100", "lat": y0 + (r + 0.3 + 0.4 * (n % 2)) * CELL,
                             "lon": x0 + (c + (n + 0.5) / 17) * CELL})
    for flat in range(doors - len(rows)):
        rows.append({"source_id": f"flat-{flat}", "street": "Torikatu", "house_number": "5",
                     "unit": f"{'AB'[flat % 2]} {flat // 2 + 1}", "city": "Echo", "postcode": "00100",
                     "lat": y0 + 1.5 * CELL, "lon": x0 + 3.5 * CELL + (flat % 2) * CELL / 4})
    territory.save_doors(office, pd.DataFrame(rows))
    block_ids = [b.id for b in territory_blocks(office)]
    turf = turfs.build_turf(office, block_ids, "Echo packet", None)
    walk = walklists.walklist(turf, None)
    for n, door in enumerate(walk["doors"]):
        for k in range(1 + n % 3):  # one to three residents a door
            db.session.add(Person(door_id=door["id"], first_name=FIRST[(n + k) % 10], last_name=LAST[(n * 7 + k) % 6]))
    organizer = make_user("organizer.e@test.example", "organizer", office=office)
    volunteer = make_user("volunteer.e@test.example", "volunteer", office=office)
    world.canvass_north.questions = QUESTIONS
    canvassing.assign(turf.id, volunteer, world.canvass_north, organizer.id)
    db.session.commit()
    return turf


def territory_blocks(office):
    return db.session.scalars(db.select(Block).where(Block.office_id == office.id).order_by(Block.id)).all()


@pytest.fixture
def packet(desktop, live_server, world):
    turf = big_turf(world)
    sign_in(desktop, live_server, "organizer.e@test.example", PASSWORD)
    desktop.wait_for_url("**/offices/*")
    desktop.goto(f"{live_server}/turfs/{turf.id}/print")
    return desktop, turf


def pdf_text(page) -> tuple[PdfReader, list[str]]:
    pdf = page.pdf(format="A4")
    if os.environ.get("PACKET_PDF"):  # to look at it: PACKET_PDF=/tmp/packet.pdf pytest ...
        with open(os.environ["PACKET_PDF"], "wb") as out:
            out.write(pdf)
        page.emulate_media(media="print")
        page.set_viewport_size({"width": 794, "height": 1123})
        page.screenshot(path=os.environ["PACKET_PDF"] + ".cover.png", clip={"x": 0, "y": 0, "width": 794, "height": 1123})
        page.screenshot(path=os.environ["PACKET_PDF"] + ".list.png", full_page=True,
                        clip={"x": 0, "y": 1000, "width": 794, "height": 700})
        page.emulate_media(media="screen")
    reader = PdfReader(io.BytesIO(pdf))
    return reader, [p.extract_text() for p in reader.pages]


def test_a_166_door_turf_prints_a_map_page_and_at_least_15_doors_a_page(packet):
    page, turf = packet
    walk = walklists.walklist(turf, None)
    assert len(walk["doors"]) == 166
    # The map is drawn from our data, in the page itself: no tile or other image is loaded.
    assert page.locator("svg.turf-drawing .blocks path").count() == 8
    assert page.locator("svg.turf-drawing .marks text").first.text_content() == "1"
    assert page.evaluate("document.images.length") == 0
    reader, texts = pdf_text(page)
    assert len(reader.pages) <= math.ceil(166 / 15) + 1, len(reader.pages)
    # A4 portrait: 595 x 842 points.
    box = reader.pages[0].mediabox
    assert abs(float(box.width) - 595) < 2 and abs(float(box.height) - 842) < 2, box
    # Page one is the map, with its street names and door numbers, and the codes' legend; no door rows.
    cover = texts[0]
    for street in ("Rantakatu", "Koulukatu", "Torikatu"):
        assert street in cover, street
    assert "How likely are you to support us?" in cover and "Call back" in cover
    assert door_code(walk["doors"][0]["id"]) not in cover.split()
    # Then every door, in walking order, each with its code, on a page of 15 or more (the last excepted).
    listing = texts[1:]
    text = "\n".join(listing)
    for door in walk["doors"]:
        assert door["address"] in text, door["address"]
    # Each row reads "number code address ...": count the rows on each page, and where they print.
    rows = [re.compile(rf"(?m)^{n} {re.escape(door_code(d['id']))} ") for n, d in enumerate(walk["doors"], start=1)]
    per_page = [sum(1 for row in rows if row.search(t)) for t in listing]
    assert sum(per_page) >= 166 and all(n >= 15 for n in per_page[:-1]), per_page
    print("packet:", len(reader.pages), "pages, doors a page:", per_page)
    # The boxes carry the sheet's short codes: outcomes, answers and promises.
    first_rows = listing[0]
    for short in [o.short for o in OUTCOMES] + [letter for letter, _ in promise_legend()] + ["Q1", "Q2", "Q3", "Q4"]:
        assert re.search(rf"\b{short}\b", first_rows), short
    positions = [row.search(text).start() for row in rows]
    assert positions == sorted(positions), "the doors print in walking order"


def test_nothing_is_cut_at_the_page_edge(packet):
    page, _ = packet
    page.emulate_media(media="print")
    page.set_viewport_size({"width": 718, "height": 1000})  # 190 mm at 96 dpi: the A4 page less its margins
    widths = page.evaluate("""() => ({page: document.documentElement.clientWidth,
        widest: Math.max(...[...document.querySelectorAll('table.walk tr, svg.turf-drawing, .sheet-legend')]
                         .map((e) => e.getBoundingClientRect().right)),
        overflowing: [...document.querySelectorAll('table.walk td')].filter((td) => td.scrollWidth > td.clientWidth + 1).length})""")
    assert widths["widest"] <= widths["page"] + 0.5, widths
    assert widths["overflowing"] == 0, widths
    rows = page.evaluate("getComputedStyle(document.querySelector('table.walk tbody tr')).breakInside")
    assert rows == "avoid"
