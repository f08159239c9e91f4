"""Every Folium map of ours shows its properties as text (issue 15, security): Folium's own tooltips and
popups put the values in with innerHTML, so a block id, turf or office name with markup from an import
or a rename would render. The browser proof is tests/browser/test_map_escaping.py; this is the fast guard."""
from __future__ import annotations

import folium
import shapely

from fieldops.maps.coverage_map import CoverageBlock, OfficeArea, office_coverage_map, region_coverage_map
from fieldops.maps.office_map import MapBlock, MapTurf, map_parts, office_map
from fieldops.maps.text_details import TextPopup, TextTooltip

MARKUP = '<b>bold</b><img src=x><meta http-equiv="refresh" content="0;url=http://example.invalid/">'
SQUARE = shapely.box(24.90, 60.10, 24.901, 60.101)


def built_maps() -> dict[str, folium.Map]:
    turf = MapTurf(id=1, name=MARKUP, state="open", doors=3, outline=SQUARE)
    return {
        "office": office_map([MapBlock(1, MARKUP, SQUARE, 3, 1)], [turf], vendor_prefix="/static/vendor", tiles=None),
        "coverage": office_coverage_map([CoverageBlock(1, MARKUP, SQUARE, 3, 1, 1)], [turf],
                                        vendor_prefix="/static/vendor", script_url="/static/js/coverage-map.js",
                                        loader_url="/static/js/viewport-loader.js",
                                        tiles=None),
        "region": region_coverage_map([OfficeArea(1, MARKUP, SQUARE, 3, 1, 1)], vendor_prefix="/static/vendor",
                                      tiles=None),
    }


def details(element) -> list:
    found = []
    for child in element._children.values():
        if isinstance(child, (folium.GeoJsonTooltip, folium.GeoJsonPopup)):
            found.append(child)
        found += details(child)
    return found


def test_every_tooltip_and_popup_is_text_only():
    for name, fmap in built_maps().items():
        found = details(fmap)
        assert found, name
        assert all(isinstance(d, (TextTooltip, TextPopup)) for d in found), (name, found)
        parts = map_parts(fmap)
        page = parts["header"] + parts["html"] + parts["script"]
        assert "innerHTML" not in page, name
        assert MARKUP not in page and 'http-equiv="refresh"' not in page, name  # the data goes in as escaped JSON
        assert "textContent" in page, name
