"""What an office map's viewport shows, as JSON: so no page embeds every block of a statewide office.

The coverage map (office dashboard) and the turf workspace ask for the blocks in their bounding box
at their zoom. Street zooms with at most ``MAX_BLOCKS`` blocks in view get the blocks themselves
(display outlines packed as ``maps.packing`` does, at a tolerance for the zoom) with their doors,
turf and coverage; coarser views get cells: the blocks grouped on a grid of about ``CELLS`` across
the view, each with its blocks, doors, free blocks and doors attempted and reached. Live turfs in
view are outlined at every zoom. Reads only; no commit.
"""
from __future__ import annotations

import math

import shapely
from sqlalchemy import Integer, and_, case, cast, func, select

from ..domain.outcomes import REACHED_CODES
from ..errors import InvalidInput
from ..extensions import db
from ..maps.coverage_map import COVERAGE_CLASSES, NO_DOORS, coverage_colour
from ..maps.office_map import STATE_COLOURS, UNASSIGNED_EDGE, door_colour
from ..maps.packing import pack_geometry, pack_points
from ..models import Block, Contact, Door, DoorCanvass, Household, Office, Turf
from .coverage import Window, _contact_counts, _targeted_doors_by
from .turfs import _display_shape
from ..domain.text import N_

FINE_ZOOM = 15        # from here on, blocks themselves (if few enough in view)
MAX_BLOCKS = 3_000    # blocks in one answer, at most
CELLS = 48            # cells across the view at coarse zooms
MAX_DOORS = 20_000    # door points in one answer, at most
MAX_TURFS = 2_000     # turf outlines in one answer at street zoom, at most
MAX_COARSE_TURFS = 300  # ... and zoomed out (beyond, the cells alone)
LAYERS = ("coverage", "turfs")


WHOLE_WORLD = (-180.0, -90.0, 180.0, 90.0)
DEFAULT_ZOOM = 12  # a whole office, as its map first opens


def parse_view(args, default_box: tuple[float, float, float, float] | None = None
               ) -> tuple[tuple[float, float, float, float], int]:
    """``bbox=west,south,east,north`` (degrees) and ``zoom`` (0-22) from the query string. Without a bbox the
    view is ``default_box`` (the office's extent, else the world), without a zoom DEFAULT_ZOOM."""
    text = (args.get("bbox") or "").strip()
    if not text:
        text = ",".join(str(v) for v in (default_box or WHOLE_WORLD))
    try:
        west, south, east, north = (float(v) for v in text.split(","))
    except ValueError:
        raise InvalidInput(N_("bbox must be west,south,east,north in degrees"), field="bbox") from None
    if not all(math.isfinite(v) for v in (west, south, east, north)) or not (
            -180 <= west < east <= 180 and -90 <= south < north <= 90):
        raise InvalidInput(N_("bbox must be west,south,east,north in degrees, west < east and south < north"),
                           field="bbox")
    try:
        zoom = int((args.get("zoom") or "").strip() or DEFAULT_ZOOM)
    except ValueError:
        raise InvalidInput(N_("zoom must be a whole number from 0 to 22"), field="zoom") from None
    if not 0 <= zoom <= 22:
        raise InvalidInput(N_("zoom must be a whole number from 0 to 22"), field="zoom")
    return (west, south, east, north), zoom


def tolerance_for(zoom: int) -> float:
    """Degrees of simplification invisible at ``zoom``: about a third of a screen pixel, at least 1e-5."""
    return max(1e-5, 360 / (256 * 2 ** zoom) / 3)


def office_extent(office: Office) -> tuple[float, float, float, float] | None:
    """The office's blocks' bounding box (west, south, east, north), one aggregate query."""
    row = db.session.execute(select(func.min(Block.min_lon), func.min(Block.min_lat), func.max(Block.max_lon),
                                    func.max(Block.max_lat)).where(Block.office_id == office.id)).one()
    return None if row[0] is None else tuple(float(v) for v in row)


def free_block_count(office: Office) -> int:
    return db.session.scalar(select(func.count(Block.id)).where(
        Block.office_id == office.id, Block.turf_id.is_(None), ~Block.divided)) or 0


def turf_bounds(turfs) -> dict[int, list[float]]:
    """Each turf's [south, west, north, east], for the workspace's "Add or remove blocks" to zoom to it."""
    out = {}
    for turf in turfs:
        if turf.outline is not None and not turf.outline.is_empty:
            west, south, east, north = shapely.bounds(turf.outline).tolist()
            out[turf.id] = [round(south, 6), round(west, 6), round(north, 6), round(east, 6)]
    return out


def _in_box(office: Office, box):
    """Blocks whose bounding box meets ``box``. Their centres lie at most the office's largest block's size
    outside it: that strip of centres is a range of ``ix_block_office_place``, so the database reads only
    the index entries near the view, not every block of the office."""
    west, south, east, north = box
    wide, high = db.session.execute(select(func.max(Block.max_lon - Block.min_lon), func.max(Block.max_lat - Block.min_lat))
                                    .where(Block.office_id == office.id)).one()
    wide, high = float(wide or 0), float(high or 0)
    return and_(Block.centroid_lon >= west - wide, Block.centroid_lon <= east + wide,
                Block.centroid_lat >= south - high, Block.centroid_lat <= north + high,
                Block.max_lon >= west, Block.min_lon <= east, Block.max_lat >= south, Block.min_lat <= north)


def office_view(office: Office, layer: str, window: Window, box, zoom: int) -> dict:
    """The office's map in ``box`` at ``zoom``: blocks (fine) or cells (coarse), and turf outlines."""
    if layer not in LAYERS:
        raise InvalidInput(N_("layer must be one of %(names)s"), names=', '.join(LAYERS), field="layer")
    tolerance = tolerance_for(zoom)
    in_box = _in_box(office, box)
    in_view = db.session.scalar(select(func.count()).select_from(Block).where(Block.office_id == office.id, in_box))
    fine = zoom >= FINE_ZOOM and in_view <= MAX_BLOCKS
    shown, hidden = _turfs(office, box, tolerance, MAX_TURFS if fine else MAX_COARSE_TURFS)
    answer = {"layer": layer, "zoom": zoom, "blocks_in_view": in_view, "turfs": shown, "turfs_hidden": hidden,
              "classes": [list(c) for c in COVERAGE_CLASSES], "noDoors": NO_DOORS}
    if fine:
        answer.update(mode="blocks", blocks=_blocks(office, layer, window, in_box, tolerance), cells=[],
                      doors=_doors(office, box) if layer == "coverage" else [])
    else:
        answer.update(mode="cells", blocks=[], cells=_cells(office, layer, window, box), doors=[])
    return answer


def _turfs(office: Office, box, tolerance: float, most: int) -> tuple[list[dict], int]:
    """Live turfs in view, outlined at the zoom's tolerance; none (and how many) when more than ``most``
    are in view: zoomed out over a statewide office, thousands of outlines would hide the cells."""
    view = shapely.box(*box)
    turfs = [t for t in db.session.scalars(select(Turf).where(Turf.office_id == office.id, Turf.state != "archived")
                                           .order_by(Turf.id))
             if t.outline is not None and not t.outline.is_empty]
    if turfs:
        bounds = shapely.bounds([t.outline for t in turfs])
        near = (bounds[:, 2] >= box[0]) & (bounds[:, 0] <= box[2]) & (bounds[:, 3] >= box[1]) & (bounds[:, 1] <= box[3])
        turfs = [t for t, keep in zip(turfs, near) if keep and t.outline.intersects(view)]
    if len(turfs) > most:
        return [], len(turfs)
    shown = []
    for turf in turfs:
        outline = turf.outline
        shown.append({"id": turf.id, "name": turf.name, "state": turf.state, "doors": turf.door_count,
                      "colour": STATE_COLOURS.get(turf.state, "#111827"),
                      "label": f"{turf.name} · {turf.door_count} {turf.count_basis.replace('_', ' ')} · "
                               f"{turf.state.replace('_', ' ')}",
                      "shape": pack_geometry(outline, max(tolerance, 5e-5) if tolerance > 1e-5 else 1e-5)})
    return shown, 0


def _blocks(office: Office, layer: str, window: Window, in_box, tolerance: float) -> list[dict]:
    rows = db.session.execute(
        select(Block.id, Block.source_id, _display_shape().label("shape"), Block.door_count, Block.turf_id,
               Block.divided)
        .where(Block.office_id == office.id, in_box).order_by(Block.id)).all()
    names = dict(db.session.execute(select(Turf.id, Turf.name).where(Turf.office_id == office.id)).all())
    # Grows with the doors knocked (and targeted), not with the office's blocks.
    knocked = _contact_counts("block", window, [office.id]) if layer == "coverage" else {}
    targeted = _targeted_doors_by("block", office, window.canvass_id) if layer == "coverage" else None
    out = []
    for row in rows:
        shape = row.shape
        free = row.turf_id is None and not row.divided
        doors = row.door_count if targeted is None else targeted.get(row.id, 0)
        attempted, reached = knocked.get(row.id, (0, 0))
        out.append({"id": row.id, "source_id": row.source_id, "doors": doors, "attempted": attempted,
                    "reached": reached, "turf_id": row.turf_id, "free": free,
                    "turf": names.get(row.turf_id, "several turfs (divided door by door)" if row.divided else "none"),
                    "fill": coverage_colour(doors, attempted) if layer == "coverage" else door_colour(row.door_count),
                    "edge": UNASSIGNED_EDGE if free and layer == "turfs" else "#4b5563",
                    "shape": pack_geometry(shape, tolerance)})
    return out


def _doors(office: Office, box) -> list[int]:
    """The doors in view as packed (lat, lon, id) points, at most ``MAX_DOORS``."""
    west, south, east, north = box
    return pack_points(db.session.execute(
        select(Door.lat, Door.lon, Door.id).where(Door.office_id == office.id, Door.lon >= west, Door.lon <= east,
                                                  Door.lat >= south, Door.lat <= north)
        .order_by(Door.id).limit(MAX_DOORS)).all())


def _cells(office: Office, layer: str, window: Window, box) -> list[dict]:
    west, south, east, north = box
    size = max(east - west, north - south) / CELLS
    cx = cast((Block.centroid_lon - west) / size, Integer)
    cy = cast((Block.centroid_lat - south) / size, Integer)
    inside = [Block.office_id == office.id, Block.centroid_lon >= west, Block.centroid_lon <= east,
              Block.centroid_lat >= south, Block.centroid_lat <= north]
    free = case((and_(Block.turf_id.is_(None), ~Block.divided), 1), else_=0)
    rows = db.session.execute(select(cx, cy, func.count(Block.id), func.sum(Block.door_count), func.sum(free))
                              .where(*inside).group_by(cx, cy)).all()
    knocked = _knocked_by_cell(office, window, box, size) if layer == "coverage" else {}
    cells = []
    for x, y, blocks, doors, free_blocks in rows:
        attempted, reached = knocked.get((x, y), (0, 0))
        doors = int(doors or 0)
        cells.append({"bounds": [round(south + y * size, 5), round(west + x * size, 5),
                                 round(south + (y + 1) * size, 5), round(west + (x + 1) * size, 5)],
                      "blocks": int(blocks), "doors": doors, "free": int(free_blocks or 0),
                      "attempted": attempted, "reached": reached,
                      "fill": coverage_colour(doors, attempted) if layer == "coverage" else
                      door_colour(round(doors / blocks) if blocks else 0)})
    return cells


def _knocked_by_cell(office: Office, window: Window, box, size: float) -> dict:
    """Doors attempted and reached per cell (of the door's block centre), as ``services.coverage`` counts them:
    from the summaries without dates, from the contacts with them. Grows with the doors knocked, not the blocks."""
    west, south = box[0], box[1]
    if window.start is None and window.end is None:
        if window.canvass_id is not None:
            per_door = select(DoorCanvass.door_id.label("door_id"),
                              case((DoorCanvass.reached, 1), else_=0).label("reached")) \
                .where(DoorCanvass.office_id == office.id, DoorCanvass.canvass_id == window.canvass_id)
        else:
            per_door = select(Household.door_id.label("door_id"),
                              case((Household.canvasses_reached > 0, 1), else_=0).label("reached")) \
                .where(Household.office_id == office.id, Household.first_knocked_at.is_not(None))
    else:
        per_door = select(Contact.door_id.label("door_id"),
                          func.max(case((Contact.outcome.in_(sorted(REACHED_CODES)), 1), else_=0)).label("reached")) \
            .where(Contact.office_id == office.id, *window.conditions()).group_by(Contact.door_id)
    per_door = per_door.subquery()
    cx = cast((Block.centroid_lon - west) / size, Integer)
    cy = cast((Block.centroid_lat - south) / size, Integer)
    rows = db.session.execute(
        select(cx, cy, func.count(), func.sum(per_door.c.reached))
        .select_from(per_door).join(Door, Door.id == per_door.c.door_id).join(Block, Block.id == Door.block_id)
        .where(Block.centroid_lon >= box[0], Block.centroid_lon <= box[2], Block.centroid_lat >= box[1],
               Block.centroid_lat <= box[3]).group_by(cx, cy)).all()
    return {(x, y): (int(a), int(r or 0)) for x, y, a, r in rows}
