"""A planar projection in metres for measuring an office's blocks, whatever their extent.

A UTM zone is only good within a few degrees of its meridian: an office that
spans the map (every US county, with the Aleutians across the antimeridian and
Guam) folds over in one zone and its polygons turn invalid. A Lambert
azimuthal equal-area projection centred on the territory keeps every area
exact and every polygon valid over a hemisphere, and at city scale its
shapes are as true as UTM's.
"""
from __future__ import annotations

import numpy as np
import pyproj


def centre_of(lon: np.ndarray, lat: np.ndarray) -> tuple[float, float]:
    """The centre (lon, lat degrees) of points on the sphere: the mean of their unit vectors.

    Unlike the mean of longitudes it is right across the antimeridian
    (179° and -179° have their centre at 180°, not 0°).
    """
    lon_r, lat_r = np.radians(np.asarray(lon, dtype=float)), np.radians(np.asarray(lat, dtype=float))
    x, y, z = (np.cos(lat_r) * np.cos(lon_r)).mean(), (np.cos(lat_r) * np.sin(lon_r)).mean(), np.sin(lat_r).mean()
    if np.hypot(np.hypot(x, y), z) < 1e-9:  # points all around the globe: any centre is as good
        return 0.0, 0.0
    return float(np.degrees(np.arctan2(y, x))), float(np.degrees(np.arctan2(z, np.hypot(x, y))))


def equal_area_crs(lon: np.ndarray, lat: np.ndarray) -> pyproj.CRS:
    """A Lambert azimuthal equal-area CRS (metres) centred on the given points (lon/lat degrees)."""
    centre_lon, centre_lat = centre_of(lon, lat) if len(lon) else (0.0, 0.0)
    return pyproj.CRS.from_proj4(f"+proj=laea +lat_0={centre_lat:.6f} +lon_0={centre_lon:.6f} "
                                 "+x_0=0 +y_0=0 +ellps=WGS84 +units=m +no_defs")
