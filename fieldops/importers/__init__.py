"""Readers for the files organizers bring: they return GeoDataFrames or raise InvalidInput.

Pure GeoPandas and Shapely code: no Flask, no database. The services persist
what these return.
"""
