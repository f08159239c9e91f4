"""Geometry helpers shared by the importers: metric areas and point-in-block joins."""
from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

WGS84 = "EPSG:4326"


def metric_crs(gdf: gpd.GeoDataFrame | gpd.GeoSeries):
    """A local UTM CRS for the data, so areas are in square metres and lengths in metres."""
    return gdf.to_crs(WGS84).estimate_utm_crs()


def areas_m2(geoms: gpd.GeoSeries) -> np.ndarray:
    """Areas of lon/lat geometries in square metres."""
    return geoms.to_crs(metric_crs(geoms)).area.to_numpy()


def block_for_points(lon: np.ndarray, lat: np.ndarray, blocks: gpd.GeoDataFrame) -> np.ndarray:
    """For each point (EPSG:4326), the positional index of the block holding it, or -1.

    One vectorised query of the blocks' STRtree (the engine under
    ``geopandas.sjoin``), without building the joined frame. A point on a
    shared edge goes to the lowest-indexed block, so the answer is
    deterministic.
    """
    lon, lat = np.asarray(lon, dtype=float), np.asarray(lat, dtype=float)
    # Each distinct point once: a voter file repeats its households' points (two rows of three, say). Hashed
    # as one complex number per point (np.unique would sort); a point missing a coordinate is in no block.
    row_pair, pairs = pd.factorize(lon + 1j * lat, use_na_sentinel=False)
    points = shapely.points(pairs.real, pairs.imag)
    point_index, block_index = blocks.sindex.query(points, predicate="intersects")
    result = np.full(len(points), np.iinfo(np.int64).max, dtype=np.int64)
    np.minimum.at(result, point_index, block_index)
    result[result == np.iinfo(np.int64).max] = -1
    return result[row_pair]


def bounds_frame(geoms: gpd.GeoSeries) -> pd.DataFrame:
    """Centroid and bounding box columns for block rows (lon/lat)."""
    metric = geoms.to_crs(metric_crs(geoms))
    centroids = metric.centroid.to_crs(WGS84)
    minx, miny, maxx, maxy = shapely.bounds(geoms.to_numpy()).T
    return pd.DataFrame({
        "centroid_lon": centroids.x.to_numpy(), "centroid_lat": centroids.y.to_numpy(),
        "min_lon": minx, "min_lat": miny, "max_lon": maxx, "max_lat": maxy,
    }, index=geoms.index)
