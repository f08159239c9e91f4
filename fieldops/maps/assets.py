"""Point Folium at the vendored Leaflet instead of its CDNs, and drop what our maps do not use."""
from __future__ import annotations

import folium


def local_leaflet(element: folium.Map, vendor_prefix: str) -> None:
    """Replace the map's script and style links with our copies under ``vendor_prefix`` (e.g. /static/vendor).

    Folium's defaults also pull jQuery, Bootstrap and Font Awesome from CDNs;
    none of our maps needs them.
    """
    element.default_js = [("leaflet", f"{vendor_prefix}/leaflet/leaflet.js")]
    element.default_css = [("leaflet_css", f"{vendor_prefix}/leaflet/leaflet.css")]


def local_marker_cluster(element, vendor_prefix: str) -> None:
    """Point a MarkerCluster or FastMarkerCluster at our copy of Leaflet.markercluster."""
    folder = f"{vendor_prefix}/leaflet.markercluster"
    element.default_js = [("markerclusterjs", f"{folder}/leaflet.markercluster.js")]
    element.default_css = [("markerclustercss", f"{folder}/MarkerCluster.css"),
                           ("markerclusterdefaultcss", f"{folder}/MarkerCluster.Default.css")]
