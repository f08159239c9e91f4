"""The organizer's turf map of one office: blocks shaded by doors, turfs outlined and labelled.

Coordinates are lon/lat (WGS84). Blocks not in any turf have an orange,
dashed edge so the organizer sees at a glance what is still unassigned.
The map registers its Leaflet objects in ``window.fieldopsMap`` so that
``static/js/turf-editor.js`` can add drawing and clicking to it.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

import folium
import shapely
from branca.element import MacroElement
from jinja2 import Template
from shapely.geometry.base import BaseGeometry

from ..domain.display import bounded_simplify
from .assets import local_leaflet
from .text_details import TextTooltip

# Doors per block -> fill colour, light to dark green (ColorBrewer Greens, colour-blind safe).
DOOR_CLASSES = ((0, "#f7fcf5"), (10, "#c7e9c0"), (25, "#74c476"), (50, "#31a354"), (10**9, "#006d2c"))
STATE_COLOURS = {"draft": "#6b7280", "open": "#1d4ed8", "checked_out": "#7c3aed", "completed": "#15803d",
                 "archived": "#9ca3af"}
UNASSIGNED_EDGE = "#ea580c"
DISPLAY_TOLERANCE_DEG = 0.00001  # about 1 m: invisible on screen, halves the page for dense blocks


@dataclass(frozen=True)
class MapBlock:
    id: int
    source_id: str
    geometry: BaseGeometry
    doors: int
    turf_id: int | None
    divided: bool = False  # its doors are held door by door by turfs: neither free nor one turf's


@dataclass(frozen=True)
class MapTurf:
    id: int
    name: str
    state: str
    doors: int
    outline: BaseGeometry | None  # its blocks and the cells of its doors in divided blocks
    counts: str = "doors"         # or "housing_units" where no doors are imported


def door_colour(doors: int) -> str:
    for upper, colour in DOOR_CLASSES:
        if doors <= upper:
            return colour
    return DOOR_CLASSES[-1][1]


def door_legend() -> list[tuple[str, str]]:
    """(label, colour) for the map's legend."""
    labels, lower = [], 0
    for upper, colour in DOOR_CLASSES:
        labels.append(("0 doors" if upper == 0 else f"{lower}+ doors" if upper >= 10**9 else f"{lower}–{upper}",
                       colour))
        lower = upper + 1
    return labels


def display_geometry(geometry: BaseGeometry, tolerance: float = DISPLAY_TOLERANCE_DEG) -> dict:
    """GeoJSON of a geometry simplified for the screen (about 1 m, and within a vertex budget) and rounded to
    5 decimals (about 1 m)."""
    simple = bounded_simplify(geometry, tolerance)  # and at most DISPLAY_MAX_VERTICES corners
    return shapely.geometry.mapping(shapely.set_precision(simple, 1e-5))


class _Register(MacroElement):
    """Expose the map and its layers to our static editor script."""
    _template = Template("""
        {% macro script(this, kwargs) %}
        window.fieldopsMap = {map: {{ this._parent.get_name() }}, blocks: {{ this.blocks.get_name() }},
                              turfs: {{ this.turfs.get_name() }}};
        {% endmacro %}
    """)

    def __init__(self, blocks: folium.GeoJson, turfs: folium.GeoJson):
        super().__init__()
        self.blocks, self.turfs = blocks, turfs


class _RegisterViewport(MacroElement):
    """Viewport mode: the editor script loads the blocks and turfs in view from ``data_url`` itself."""
    _template = Template("""
        {% macro script(this, kwargs) %}
        {% if this.extent %}
        {{ this._parent.get_name() }}.fitBounds({{ this.extent|tojson }}, {animate: false});
        {% endif %}
        window.fieldopsMap = {map: {{ this._parent.get_name() }}, dataUrl: {{ this.data_url|tojson }}};
        {% endmacro %}
    """)

    def __init__(self, data_url: str, extent=None):
        super().__init__()
        self.data_url = data_url
        # Fitted without animation: a zoom animation still running would undo the user's first move.
        self.extent = [[extent[1], extent[0]], [extent[3], extent[2]]] if extent else None


def viewport_office_map(data_url: str, extent: tuple[float, float, float, float] | None, *, vendor_prefix: str,
                        tiles: str | None = "OpenStreetMap") -> folium.Map:
    """The office's turf map without a block in the page: ``static/js/turf-editor.js`` asks ``data_url``
    (``/offices/<id>/map/turfs``) for the blocks and turfs of the viewport on every move. ``extent`` is
    (west, south, east, north) of the office's blocks."""
    centre = ((extent[1] + extent[3]) / 2, (extent[0] + extent[2]) / 2) if extent else (0, 0)
    fmap = folium.Map(location=centre, zoom_start=15 if extent else 2, tiles=tiles, control_scale=True)
    local_leaflet(fmap, vendor_prefix)
    fmap.add_child(_RegisterViewport(data_url, extent))
    return fmap


def office_map(blocks: list[MapBlock], turfs: list[MapTurf], *, vendor_prefix: str,
               centre: tuple[float, float] | None = None, tiles: str | None = "OpenStreetMap") -> folium.Map:
    """Build the office's turf map (lon/lat in, Folium map out)."""
    turf_names = {turf.id: turf.name for turf in turfs}
    bounds = shapely.total_bounds([b.geometry for b in blocks]) if blocks else None
    if centre is None and bounds is not None:
        centre = ((bounds[1] + bounds[3]) / 2, (bounds[0] + bounds[2]) / 2)
    fmap = folium.Map(location=centre or (0, 0), zoom_start=15 if centre else 2, tiles=tiles,
                      control_scale=True, prefer_canvas=len(blocks) > 2000)
    local_leaflet(fmap, vendor_prefix)
    block_layer = folium.GeoJson(
        {"type": "FeatureCollection", "features": [
            {"type": "Feature", "id": b.id, "geometry": display_geometry(b.geometry),
             "properties": {"id": b.id, "source_id": b.source_id, "doors": b.doors, "turf_id": b.turf_id,
                            "free": b.turf_id is None and not b.divided,
                            "turf": turf_names.get(b.turf_id, "several turfs (divided door by door)" if b.divided else "none")}}
            for b in blocks]},
        name="Blocks",
        style_function=lambda feature: {
            "fillColor": door_colour(feature["properties"]["doors"]), "fillOpacity": 0.7,
            "color": UNASSIGNED_EDGE if feature["properties"]["free"] else "#4b5563",
            "weight": 2 if feature["properties"]["free"] else 0.5,
            "dashArray": "4 3" if feature["properties"]["free"] else None},
        tooltip=TextTooltip(fields=["source_id", "doors", "turf"], aliases=["Block", "Doors", "Turf"])
        if blocks else None,
    )
    turf_layer = folium.GeoJson(
        {"type": "FeatureCollection", "features": [
            {"type": "Feature", "id": t.id, "geometry": display_geometry(t.outline),
             "properties": {"id": t.id, "name": t.name, "doors": t.doors, "state": t.state,
                            "label": f"{t.name} · {t.doors} {t.counts.replace('_', ' ')} · {t.state.replace('_', ' ')}"}}
            for t in turfs if t.outline is not None]},
        name="Turfs",
        style_function=lambda feature: {"fill": False, "weight": 3,
                                        "color": STATE_COLOURS.get(feature["properties"]["state"], "#111827")},
        tooltip=TextTooltip(fields=["label"], labels=False) if any(t.outline for t in turfs) else None,
    )
    block_layer.add_to(fmap)
    turf_layer.add_to(fmap)
    if bounds is not None:
        fmap.fit_bounds([[bounds[1], bounds[0]], [bounds[3], bounds[2]]])
    fmap.add_child(_Register(block_layer, turf_layer))
    return fmap


# Folium writes these for a page of its own; inside ours they would lock zoom and stretch the body.
_PAGE_ONLY = (re.compile(r"<meta name=\"viewport\"[^>]*>", re.S), re.compile(r"<style>\s*html, body \{.*?</style>", re.S),
              re.compile(r"<style>\s*#map \{.*?</style>", re.S))


def map_parts(fmap: folium.Map, nonce: str | None = None) -> dict[str, str]:
    """The map's header (links, styles), body (its div) and script, to place inside a page of ours.

    With ``nonce``, the header's inline scripts carry it, so a Content-Security-Policy that allows
    only this request's nonce still runs them (the page's template stamps the main script).
    """
    figure = fmap.get_root()
    figure.render()
    header = figure.header.render()
    for pattern in _PAGE_ONLY:
        header = pattern.sub("", header)
    if nonce is not None:
        header = header.replace("<script>", f'<script nonce="{nonce}">')
    return {"header": header, "html": figure.html.render(), "script": figure.script.render()}
