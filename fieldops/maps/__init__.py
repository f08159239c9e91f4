"""Folium map builders: plain data in, a ``folium.Map`` out. No Flask, no database.

Leaflet and its plugins come from ``static/vendor/`` (the caller passes the
URL prefix), never from a CDN, so every map works offline except its tiles.
"""
