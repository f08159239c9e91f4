"""An office's coverage map: each block coloured by the share of its doors knocked, turfs outlined.

Lon/lat in, Folium map out. Blocks without doors are grey; a popup gives
each block's doors, attempted, reached and coverage, and each door's popup
links to its household timeline.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import folium
import shapely
from folium.elements import JSCSSMixin
from jinja2 import Template
from shapely.geometry.base import BaseGeometry

from .assets import local_leaflet, local_marker_cluster
from .office_map import MapTurf, display_geometry
from .packing import pack_geometry, pack_points
from .text_details import TextPopup, TextTooltip
from ..domain.text import N_

# Coverage -> colour, light to dark blue (ColorBrewer Blues, colour-blind safe); no doors: grey.
COVERAGE_CLASSES = ((0.0, "#eff3ff"), (0.25, "#bdd7e7"), (0.5, "#6baed6"), (0.75, "#3182bd"), (1.0, "#08519c"))
NO_DOORS = "#d1d5db"
TURF_TOLERANCE_DEG = 0.00005  # turf outlines over the coloured blocks: 5 m of detail is plenty


@dataclass(frozen=True)
class CoverageBlock:
    id: int
    source_id: str
    geometry: BaseGeometry
    doors: int
    attempted: int
    reached: int


def coverage_colour(doors: int, attempted: int) -> str:
    if not doors:
        return NO_DOORS
    rate = attempted / doors
    for upper, colour in COVERAGE_CLASSES:
        if rate <= upper:
            return colour
    return COVERAGE_CLASSES[-1][1]


def _english(text: str, **values) -> str:
    return text % values if values else text


def coverage_legend(say: Callable[..., str] = _english) -> list[tuple[str, str]]:
    """(label, colour) for the legend, in order; ``say(text, **values)`` words it (a page passes gettext)."""
    labels, lower = [(say(N_("no doors")), NO_DOORS)], 0.0
    for upper, colour in COVERAGE_CLASSES:
        labels.append((say(N_("%(percent)s (none knocked)"), percent="0%") if upper == 0
                       else f"{lower:.0%}–{upper:.0%}", colour))
        lower = upper
    return labels


class _PackedCoverage(JSCSSMixin):
    """The blocks and doors as packed integers (``maps.packing``), drawn by ``static/js/coverage-map.js``."""
    _template = Template("""
        {% macro script(this, kwargs) %}
        {% if this.data.dataUrl %}
        window.fieldopsCoverage.view({{ this._parent.get_name() }}, {{ this.data|tojson }});
        {% else %}
        window.fieldopsCoverage.draw({{ this._parent.get_name() }}, {{ this.data|tojson }});
        {% endif %}
        {% endmacro %}
    """)

    def __init__(self, data: dict, script_url: str, loader_url: str, vendor_prefix: str):
        super().__init__()
        self._name = "PackedCoverage"
        self.data = data
        self.default_js, self.default_css = [], []
        if data["doors"] or data.get("dataUrl"):
            local_marker_cluster(self, vendor_prefix)
        # viewport-loader.js first: it unpacks the integers and follows the viewport for coverage-map.js.
        self.default_js = [*self.default_js, ("fieldops_viewport", loader_url), ("fieldops_coverage", script_url)]


def office_coverage_map(blocks: list[CoverageBlock], turfs: list[MapTurf], *, vendor_prefix: str, script_url: str,
                        loader_url: str, household_url: str = "", doors: list[tuple[float, float, int]] = (),
                        tiles: str | None = "OpenStreetMap", data_url: str | None = None,
                        extent: tuple[float, float, float, float] | None = None) -> folium.Map:
    """Blocks coloured by coverage, turfs outlined, and the doors (lat, lon, id) as clusters that open on zoom.

    With ``data_url`` (``/offices/<id>/map/coverage?...``) the page embeds no block, door or turf: the
    script asks that URL for what the viewport shows on every move, and ``extent`` (west, south, east,
    north) sets the first view.

    An office of 10,000 blocks and 50,000 doors is mostly data: it goes to the
    page as packed integers (about a quarter of the GeoJSON), and
    ``script_url`` (static/js/coverage-map.js) draws it on a canvas, after ``loader_url``
    (static/js/viewport-loader.js, which the turf editor shares).
    """
    bounds = shapely.total_bounds([b.geometry for b in blocks]) if blocks else extent
    centre = ((bounds[1] + bounds[3]) / 2, (bounds[0] + bounds[2]) / 2) if bounds is not None else (0, 0)
    fmap = folium.Map(location=centre, zoom_start=15 if bounds is not None else 2, tiles=tiles, control_scale=True)
    local_leaflet(fmap, vendor_prefix)
    data = {"classes": [list(c) for c in COVERAGE_CLASSES], "noDoors": NO_DOORS, "householdUrl": household_url,
            "dataUrl": data_url,
            "blocks": [[b.id, b.source_id, b.doors, b.attempted, b.reached, pack_geometry(b.geometry)]
                       for b in blocks],
            "doors": pack_points(doors)}
    _PackedCoverage(data, script_url, loader_url, vendor_prefix).add_to(fmap)
    outlines = [{"type": "Feature", "geometry": display_geometry(t.outline, TURF_TOLERANCE_DEG),
                 "properties": {"name": t.name}} for t in turfs if t.outline is not None]
    if outlines:
        folium.GeoJson({"type": "FeatureCollection", "features": outlines}, name="Turfs",
                       style_function=lambda f: {"fill": False, "color": "#111827", "weight": 2},
                       tooltip=TextTooltip(fields=["name"], labels=False)).add_to(fmap)
    if bounds is not None and data_url:
        # Fitted by the script without animation: a zoom animation still running would undo a first move.
        data["extent"] = [[bounds[1], bounds[0]], [bounds[3], bounds[2]]]
    elif bounds is not None:
        fmap.fit_bounds([[bounds[1], bounds[0]], [bounds[3], bounds[2]]])
    return fmap


@dataclass(frozen=True)
class OfficeArea:
    id: int
    name: str
    outline: BaseGeometry | None
    doors: int
    attempted: int
    reached: int
    percent_of_goal: float | None = None  # doors done / goal (None: no goal)


# Percent of goal -> colour, light to dark green (ColorBrewer Greens); no goal: grey.
GOAL_CLASSES = ((0.25, "#edf8e9"), (0.5, "#bae4b3"), (0.75, "#74c476"), (1.0, "#31a354"), (float("inf"), "#006d2c"))
NO_GOAL = "#d1d5db"


def goal_colour(percent: float | None) -> str:
    if percent is None:
        return NO_GOAL
    for upper, colour in GOAL_CLASSES:
        if percent < upper:
            return colour
    return GOAL_CLASSES[-1][1]


def goal_legend(say: Callable[..., str] = _english) -> list[tuple[str, str]]:
    """(label, colour) for the map coloured by percent of goal."""
    labels, lower = [(say(N_("no goal")), NO_GOAL)], 0.0
    for upper, colour in GOAL_CLASSES:
        labels.append((say(N_("%(percent)s or more"), percent=f"{lower:.0%}") if upper == float("inf")
                       else f"{lower:.0%}–{upper:.0%}", colour))
        lower = upper
    return labels


def region_goal_map(offices: list[OfficeArea], *, vendor_prefix: str,
                    tiles: str | None = "OpenStreetMap", say: Callable[..., str] = _english) -> folium.Map:
    """Each office's territory coloured by its percent of goal (doors), with a popup of its figures."""
    return region_coverage_map(offices, vendor_prefix=vendor_prefix, tiles=tiles, by_goal=True, say=say)


def region_coverage_map(offices: list[OfficeArea], *, vendor_prefix: str,
                        tiles: str | None = "OpenStreetMap", by_goal: bool = False,
                        say: Callable[..., str] = _english) -> folium.Map:
    """Each office's territory coloured by its coverage (or, ``by_goal``, its percent of goal), with a popup
    of its figures; ``say(text)`` words the popup's names (a page passes gettext)."""
    shown = [o for o in offices if o.outline is not None and not o.outline.is_empty]
    bounds = shapely.total_bounds([o.outline for o in shown]) if shown else None
    centre = ((bounds[1] + bounds[3]) / 2, (bounds[0] + bounds[2]) / 2) if bounds is not None else (0, 0)
    fmap = folium.Map(location=centre, zoom_start=13 if shown else 2, tiles=tiles, control_scale=True)
    local_leaflet(fmap, vendor_prefix)
    features = [{"type": "Feature", "id": o.id, "geometry": display_geometry(o.outline), "properties": {
        "office": o.name, "doors": o.doors, "attempted": o.attempted, "reached": o.reached,
        "coverage": f"{o.attempted / o.doors:.1%}" if o.doors else "—",
        "contact_rate": f"{o.reached / o.attempted:.1%}" if o.attempted else "—",
        "goal": say(N_("no goal")) if o.percent_of_goal is None else f"{o.percent_of_goal:.0%}",
        "colour": goal_colour(o.percent_of_goal) if by_goal else coverage_colour(o.doors, o.attempted)}}
        for o in shown]
    shown_as = ("goal", say(N_("Percent of goal"))) if by_goal else ("coverage", say(N_("Coverage")))
    if features:
        folium.GeoJson(
            {"type": "FeatureCollection", "features": features}, name="Offices",
            style_function=lambda f: {"fillColor": f["properties"]["colour"], "fillOpacity": 0.75,
                                      "color": "#111827", "weight": 2},
            tooltip=TextTooltip(fields=["office", shown_as[0]], aliases=[say(N_("Office")), shown_as[1]]),
            popup=TextPopup(fields=["office", "doors", "attempted", "reached", "coverage", "contact_rate", "goal"],
                            aliases=[say(N_(name)) for name in ("Office", "Doors", "Attempted", "Reached",
                                                                "Coverage", "Contact rate", "Percent of goal")]),
        ).add_to(fmap)
        fmap.fit_bounds([[bounds[1], bounds[0]], [bounds[3], bounds[2]]])
    return fmap
