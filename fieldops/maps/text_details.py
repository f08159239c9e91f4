"""Folium tooltips and popups that show feature properties as text, never as HTML.

Folium's ``GeoJsonTooltip`` and ``GeoJsonPopup`` build an HTML string from the
properties and put it in with ``innerHTML``: a block id, street or turf name
with markup from an imported file would render (a fake notice, or a
``<meta http-equiv=refresh>`` that sends the organizer elsewhere without a
click). These build the same table with DOM nodes and ``textContent``, so
whatever a property holds reads literally. Every Folium map of ours uses
them; ``tests/maps/test_text_details.py`` fails if one goes back to Folium's.
"""
from __future__ import annotations

import folium
from folium.template import Template

# The function Leaflet calls with the hovered or clicked layer: a <div> holding a table whose cells are text.
_TEXT_TABLE = """
    function(layer){
    let div = L.DomUtil.create('div');
    let fields = {{ this.fields | tojson | safe }};
    let aliases = {{ this.aliases | tojson | safe }};
    let table = L.DomUtil.create('table', '', div);
    let text = (value) => value === null || value === undefined ? ''
        : typeof value === 'object' ? JSON.stringify(value)
        : {% if this.localize %}value.toLocaleString(){% else %}String(value){% endif %};
    fields.forEach((field, i) => {
        let row = table.insertRow();
        {% if this.labels %}
        let head = document.createElement('th');
        head.textContent = text(aliases[i]);
        row.appendChild(head);
        {% endif %}
        row.insertCell().textContent = text(layer.feature.properties[field]);
    });
    return div;
    }
"""


class TextTooltip(folium.GeoJsonTooltip):
    """``folium.GeoJsonTooltip`` with the same arguments, whose values are set as text."""
    _template = Template("""
    {% macro script(this, kwargs) %}
    {{ this._parent.get_name() }}.bindTooltip(""" + _TEXT_TABLE + """,{{ this.tooltip_options | tojavascript }});
    {% endmacro %}
    """)


class TextPopup(folium.GeoJsonPopup):
    """``folium.GeoJsonPopup`` with the same arguments, whose values are set as text."""
    _template = Template("""
    {% macro script(this, kwargs) %}
    {{ this._parent.get_name() }}.bindPopup(""" + _TEXT_TABLE + """,{{ this.popup_options | tojavascript }});
    {% endmacro %}
    """)
