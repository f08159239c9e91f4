"""A turf's own map, from our data: for the turf page (drawn by static/js/turf-map.js on Leaflet) and the
printed packet's first page (inline SVG, no tiles). Both number the doors as the walk list orders
them (``walklists.walklist``) and draw the same route; ``domain/turf_drawing.py`` does the drawing maths.
Reads only; no commit.
"""
from __future__ import annotations

from sqlalchemy import select

from ..domain.turf_drawing import MapDoor, SvgMap, marks, svg_map
from ..extensions import db
from ..models import Block, Turf
from .turf_doors import part_outline

PACKET_MAP = (1900, 1500)  # SVG units (0.1 mm): the packet's map is 190 x 150 mm (static/css/print.css)


def _shapes(turf: Turf):
    """The turf's whole blocks (source id, geometry) and the outline of its door groups (or None).

    A re-visit turf has no blocks of its own: its outline (a hull around its doors) is its door group."""
    if turf.kind == "doors":
        return [], turf.outline
    blocks = db.session.execute(select(Block.source_id, Block.geometry).where(Block.turf_id == turf.id)
                                .order_by(Block.source_id)).all()
    return blocks, part_outline(turf)


def _map_doors(walk: dict) -> list[MapDoor]:
    return [MapDoor(d["lat"], d["lon"], d.get("street"), d["label"]) for d in walk["doors"]
            if d.get("lat") is not None and d.get("lon") is not None]


def _rings(geometry) -> list[list[list[list[float]]]]:
    """A (multi)polygon as Leaflet takes it: polygons of rings of [lat, lon]."""
    out = []
    for polygon in getattr(geometry, "geoms", [geometry]):
        if polygon.geom_type != "Polygon" or polygon.is_empty:
            continue
        out.append([[[round(y, 6), round(x, 6)] for x, y in ring.coords[:-1]]
                    for ring in (polygon.exterior, *polygon.interiors)])
    return out


def page_map(turf: Turf, walk: dict) -> dict:
    """What the turf page's map draws: blocks, door groups, numbered marks and the route, as plain JSON.

    Labels are plain text (the script sets them with textContent)."""
    blocks, parts = _shapes(turf)
    doors = _map_doors(walk)
    return {
        "blocks": [{"id": source_id, "rings": _rings(geometry)} for source_id, geometry in blocks],
        "parts": _rings(parts) if parts is not None and not parts.is_empty else [],
        "route": [[round(d.lat, 6), round(d.lon, 6)] for d in doors],
        "marks": [{"lat": round(m.lat, 6), "lon": round(m.lon, 6), "text": m.text, "labels": list(m.labels)}
                  for m in marks(doors)],
    }


def packet_map(turf: Turf, walk: dict) -> SvgMap:
    """The packet's first-page map: the turf projected onto the page as SVG paths and labels."""
    blocks, parts = _shapes(turf)
    return svg_map([geometry for _, geometry in blocks], parts, _map_doors(walk), width=PACKET_MAP[0],
                   height=PACKET_MAP[1])
