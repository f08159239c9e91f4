"""A turf drawn from our own data: its blocks, its door groups, its doors numbered in walking order, the
route between them and its street names, for the turf page's map and the printed packet's first page.

The same marks serve both: consecutive doors of the walk at one spot (the units of a building's
entrance) are one mark numbered "12–40", every other door is a mark of its own. Street names come
from the doors' own streets (we hold no street lines): each is written once, along the line its
doors make, at their middle. ``svg_map`` projects all of it onto a page, so the
packet prints without map tiles or a network. Pure functions; coordinates are lon/lat degrees
(WGS84) in, SVG user units (1 = 0.1 mm at the packet's size) out.
"""
from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

import shapely
from shapely.geometry.base import BaseGeometry

from .walk_order import EARTH_RADIUS_M

SAME_SPOT_DEG = 1e-5  # doors closer than this (about a metre) are one mark


@dataclass(frozen=True)
class MapDoor:
    """A door of the walk, in walking order."""
    lat: float
    lon: float
    street: str | None
    label: str


@dataclass(frozen=True)
class Mark:
    """One numbered spot on the map: walk positions ``first`` to ``last`` (1-based) stand there."""
    lat: float
    lon: float
    first: int
    last: int
    labels: tuple[str, ...]  # the doors' labels, in walking order

    @property
    def text(self) -> str:
        """What the mark says: '7', or '12–40' for the units of one entrance."""
        return str(self.first) if self.first == self.last else f"{self.first}–{self.last}"


@dataclass(frozen=True)
class StreetLabel:
    name: str
    lat: float
    lon: float
    angle: float  # degrees anticlockwise from east, between -90 and 90 (text is never upside down)


def marks(doors: Sequence[MapDoor]) -> list[Mark]:
    """The doors' marks, in walking order (see the module's docstring)."""
    out: list[Mark] = []
    for number, door in enumerate(doors, start=1):
        last = out[-1] if out else None
        if last is not None and abs(last.lat - door.lat) < SAME_SPOT_DEG and abs(last.lon - door.lon) < SAME_SPOT_DEG:
            out[-1] = Mark(last.lat, last.lon, last.first, number, last.labels + (door.label,))
        else:
            out.append(Mark(door.lat, door.lon, number, number, (door.label,)))
    return out


def street_labels(doors: Sequence[MapDoor]) -> list[StreetLabel]:
    """One label per street name, along its doors' line, at their middle."""
    by_street: dict[str, list[MapDoor]] = defaultdict(list)
    for door in doors:
        if door.street and door.street.strip():
            by_street[door.street.strip()].append(door)
    labels = []
    for name, members in by_street.items():
        lat0 = sum(d.lat for d in members) / len(members)
        lon0 = sum(d.lon for d in members) / len(members)
        kx = math.cos(math.radians(lat0))
        xs = [(d.lon - lon0) * kx for d in members]
        ys = [d.lat - lat0 for d in members]
        sxx, syy = sum(x * x for x in xs), sum(y * y for y in ys)
        sxy = sum(x * y for x, y in zip(xs, ys))
        # The principal axis of the doors' spread: the way the street runs.
        angle = 0.0 if sxx == syy == 0 else math.degrees(0.5 * math.atan2(2 * sxy, sxx - syy))
        if angle > 90:
            angle -= 180
        elif angle < -90:
            angle += 180
        # At the doors' middle: between the street's two sides, where the street itself runs.
        labels.append(StreetLabel(name, lat0, lon0, round(angle, 1)))
    return sorted(labels, key=lambda s: s.name)


@dataclass(frozen=True)
class SvgMap:
    """A turf projected onto a page: path data, points and labels in SVG user units (y down)."""
    width: float
    height: float
    blocks: list[str]        # one path per block
    parts: list[str]         # the hull of the turf's door groups in divided blocks
    route: str               # polyline points, in walking order
    marks: list[tuple[float, float, str, float, float]]  # dot x, y, text, and where the text goes (x, y)
    streets: list[tuple[float, float, float, str]]  # x, y, rotation (SVG: clockwise), name
    metres_per_unit: float   # for a scale bar


def svg_map(blocks: Sequence[BaseGeometry], parts: BaseGeometry | None, doors: Sequence[MapDoor],
            width: float = 1900, height: float = 2200, margin: float = 60) -> SvgMap:
    """The turf fitted into ``width`` x ``height`` units, north up, same scale both ways."""
    shapes = [g for g in blocks if g is not None and not g.is_empty]
    if parts is not None and not parts.is_empty:
        shapes.append(parts)
    points = [(d.lon, d.lat) for d in doors]
    bounds = [g.bounds for g in shapes] + [(x, y, x, y) for x, y in points]
    if not bounds:
        return SvgMap(width, height, [], [], "", [], [], 1.0)
    minx, miny = min(b[0] for b in bounds), min(b[1] for b in bounds)
    maxx, maxy = max(b[2] for b in bounds), max(b[3] for b in bounds)
    kx = math.cos(math.radians((miny + maxy) / 2))
    span_x, span_y = max((maxx - minx) * kx, 1e-6), max(maxy - miny, 1e-6)
    scale = min((width - 2 * margin) / span_x, (height - 2 * margin) / span_y)
    # Centre the drawing in the frame.
    off_x = (width - span_x * scale) / 2
    off_y = (height - span_y * scale) / 2

    def xy(lon: float, lat: float) -> tuple[float, float]:
        return round(off_x + (lon - minx) * kx * scale, 1), round(off_y + (maxy - lat) * scale, 1)

    def path(geometry: BaseGeometry) -> str:
        pieces = []
        for polygon in shapely.get_parts(geometry):
            if polygon.geom_type != "Polygon" or polygon.is_empty:
                continue
            for ring in (polygon.exterior, *polygon.interiors):
                coords = [xy(x, y) for x, y in shapely.get_coordinates(ring)[:-1]]
                if len(coords) >= 3:
                    pieces.append("M" + " L".join(f"{x},{y}" for x, y in coords) + " Z")
        return " ".join(pieces)

    hull = [] if parts is None or parts.is_empty else [path(parts)]
    route = " ".join("{},{}".format(*xy(lon, lat)) for lon, lat in points)
    streets = [(*xy(s.lon, s.lat), -s.angle, s.name) for s in street_labels(doors)]
    spots = [(*xy(m.lon, m.lat), m.text) for m in marks(doors)]
    covered = [box for x, y, rotation, name in streets for box in _label_boxes(x, y, rotation, name)]
    drawn_marks = [(x, y, text, lx, ly) for (x, y, text), (lx, ly) in zip(spots, place_numbers(spots, obstacles=covered))]
    metres_per_unit = math.radians(1) * EARTH_RADIUS_M / scale
    return SvgMap(width, height, [p for p in (path(g) for g in blocks if g is not None) if p], hull, route,
                  drawn_marks, streets, metres_per_unit)


NUMBER_SIZE = 22  # the packet map's door numbers: font size in SVG units (static/css/print.css)
STREET_SIZE = 32  # ... and its street names


def _label_boxes(x: float, y: float, rotation: float, name: str, size: float = STREET_SIZE):
    """A street name written along ``rotation`` (degrees, clockwise) at (x, y), as squares along its line."""
    length = len(name) * 0.55 * size
    steps = max(1, math.ceil(length / size))
    dx, dy = math.cos(math.radians(rotation)), math.sin(math.radians(rotation))
    half = size / 2
    return [(x + t * dx - half, y + t * dy - half, x + t * dx + half, y + t * dy + half)
            for t in (-length / 2 + (i + 0.5) * length / steps for i in range(steps))]


def place_numbers(spots: Sequence[tuple[float, float, str]], size: float = NUMBER_SIZE,
                  obstacles: Sequence[tuple[float, float, float, float]] = ()) -> list[tuple[float, float]]:
    """Where each mark's number goes (its text's middle baseline), beside its dot and clear of the numbers,
    dots and ``obstacles`` (boxes x0, y0, x1, y1: the street names) where it can be: above, below, right,
    left, then further out; the first free place wins, else the least crowded one. Greedy, in walking
    order; boxes are looked up in a grid, so a thousand doors take a fraction of a second."""
    char_w, dot = 0.62 * size, 6.0
    cell = 4 * size
    grid: dict[tuple[int, int], list[tuple[float, float, float, float]]] = defaultdict(list)

    def cells(box):
        for i in range(int(box[0] // cell), int(box[2] // cell) + 1):
            for j in range(int(box[1] // cell), int(box[3] // cell) + 1):
                yield i, j

    def add(box) -> None:
        for key in cells(box):
            grid[key].append(box)

    def crowding(box) -> float:
        seen, total = set(), 0.0
        for key in cells(box):
            for other in grid.get(key, ()):
                if id(other) in seen:
                    continue
                seen.add(id(other))
                w = min(box[2], other[2]) - max(box[0], other[0])
                h = min(box[3], other[3]) - max(box[1], other[1])
                if w > 0 and h > 0:
                    total += w * h
        return total

    for box in obstacles:
        add(tuple(box))
    for x, y, _ in spots:
        add((x - dot, y - dot, x + dot, y + dot))
    out = []
    for x, y, text in spots:
        half = len(text) * char_w / 2
        options = []
        for reach in (1.0, 1.8):
            gap = dot + 3 + (reach - 1) * size
            options += [(x, y - gap), (x, y + gap + size * 0.75),                 # above, below
                        (x + gap + half, y + size * 0.35), (x - gap - half, y + size * 0.35)]  # right, left
        best, best_cost = options[0], math.inf
        for lx, ly in options:
            cost = crowding((lx - half, ly - size * 0.78, lx + half, ly + size * 0.1))
            if cost < best_cost:
                best, best_cost = (lx, ly), cost
                if cost == 0:
                    break
        lx, ly = best
        add((lx - half, ly - size * 0.78, lx + half, ly + size * 0.1))
        out.append((round(lx, 1), round(ly, 1)))
    return out


def scale_bar(metres_per_unit: float, longest: float = 400) -> tuple[float, int]:
    """A round length (metres) whose bar is at most ``longest`` units: (bar length in units, metres)."""
    metres = longest * metres_per_unit
    if metres <= 0:
        return 0.0, 0
    step = 10 ** math.floor(math.log10(metres))
    for factor in (5, 2, 1):
        if factor * step <= metres:
            return round(factor * step / metres_per_unit, 1), int(factor * step)
    return round(step / metres_per_unit, 1), int(step)
