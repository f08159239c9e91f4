"""Small charts drawn on the server as SVG: no chart library to ship, and they print and work offline.

Pure functions: data in, an SVG string out. Every text is escaped. The words are the caller's (English
by default; the dashboards pass them in the page's language), and so is how a day is written
(``day_label``: ISO by default).
"""
from __future__ import annotations

from datetime import date
from html import escape
from typing import Callable

WIDTH, HEIGHT, PAD_LEFT, PAD_BOTTOM, PAD_TOP = 640, 220, 40, 28, 12
LINE_COLOURS = ("#1d4ed8", "#b45309", "#15803d", "#7c3aed", "#be123c", "#0e7490", "#4d7c0f", "#a21caf")


def _anchor(n: int, count: int) -> str:
    """Keep the first and last axis labels inside the picture."""
    return "start" if n == 0 and count > 1 else "end" if n == count - 1 and count > 1 else "middle"


def _scale(top: float) -> float:
    return top if top > 0 else 1.0


def bar_chart(points: list[tuple[str, float, float]], title: str, label_a: str, label_b: str, *,
              empty: str | None = None, day_label: Callable[[str], str] = str) -> str:
    """Bars per day: ``(day, a, b)`` with b part of a (doors knocked, of which reached)."""
    if not points:
        return f'<p class="muted">{escape(empty or f"No {label_a.lower()} in this period.")}</p>'
    top = _scale(max(a for _, a, _ in points))
    plot_w, plot_h = WIDTH - PAD_LEFT - 8, HEIGHT - PAD_BOTTOM - PAD_TOP
    step = plot_w / len(points)
    bar = max(step * 0.8, 1.0)
    parts = [f'<svg class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-label="{escape(title)}">',
             f"<title>{escape(title)}</title>",
             f'<line x1="{PAD_LEFT}" y1="{PAD_TOP + plot_h}" x2="{WIDTH - 8}" y2="{PAD_TOP + plot_h}" stroke="#9ca3af"/>',
             f'<text x="{PAD_LEFT - 6}" y="{PAD_TOP + 4}" text-anchor="end" font-size="11">{int(top)}</text>',
             f'<text x="{PAD_LEFT - 6}" y="{PAD_TOP + plot_h}" text-anchor="end" font-size="11">0</text>']
    for n, (day, a, b) in enumerate(points):
        x = PAD_LEFT + n * step + (step - bar) / 2
        h_a, h_b = plot_h * a / top, plot_h * b / top
        parts.append(f'<rect x="{x:.1f}" y="{PAD_TOP + plot_h - h_a:.1f}" width="{bar:.1f}" height="{h_a:.1f}" '
                     f'fill="#86efac"><title>{escape(day_label(day))}: {a:g} {escape(label_a.lower())}, {b:g} '
                     f'{escape(label_b.lower())}</title></rect>')
        parts.append(f'<rect x="{x:.1f}" y="{PAD_TOP + plot_h - h_b:.1f}" width="{bar:.1f}" height="{h_b:.1f}" '
                     f'fill="#15803d"/>')
    for n in sorted({0, len(points) // 2, len(points) - 1}):
        x = PAD_LEFT + n * step + step / 2
        parts.append(f'<text x="{x:.1f}" y="{HEIGHT - 8}" text-anchor="{_anchor(n, len(points))}" font-size="11">'
                     f"{escape(day_label(points[n][0]))}</text>")
    parts.append("</svg>")
    return "".join(parts)


def line_chart(series: dict[str, list[tuple[str, float]]], title: str, percent: bool = True, *,
               empty: str = "Nothing to draw in this period.", day_label: Callable[[str], str] = str) -> str:
    """One line per series over shared days: ``{name: [(day, value), ...]}``, values 0..1 when ``percent``."""
    days = sorted({day for points in series.values() for day, _ in points})
    if not days:
        return f'<p class="muted">{escape(empty)}</p>'
    top = 1.0 if percent else _scale(max(v for points in series.values() for _, v in points))
    plot_w, plot_h = WIDTH - PAD_LEFT - 8, HEIGHT - PAD_BOTTOM - PAD_TOP
    x_of = {day: PAD_LEFT + (plot_w * n / max(len(days) - 1, 1)) for n, day in enumerate(days)}
    parts = [f'<svg class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-label="{escape(title)}">',
             f"<title>{escape(title)}</title>",
             f'<line x1="{PAD_LEFT}" y1="{PAD_TOP + plot_h}" x2="{WIDTH - 8}" y2="{PAD_TOP + plot_h}" stroke="#9ca3af"/>',
             f'<text x="{PAD_LEFT - 6}" y="{PAD_TOP + 4}" text-anchor="end" font-size="11">'
             f'{"100%" if percent else int(top)}</text>',
             f'<text x="{PAD_LEFT - 6}" y="{PAD_TOP + plot_h}" text-anchor="end" font-size="11">0</text>']
    for n, (name, points) in enumerate(sorted(series.items())):
        colour = LINE_COLOURS[n % len(LINE_COLOURS)]
        path = " ".join(f"{x_of[day]:.1f},{PAD_TOP + plot_h - plot_h * value / top:.1f}" for day, value in points)
        parts.append(f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="2.5">'
                     f"<title>{escape(name)}</title></polyline>")
        parts.append(f'<text x="{PAD_LEFT + 6}" y="{PAD_TOP + 14 + 14 * n}" font-size="12" fill="{colour}">'
                     f"{escape(name)}</text>")
    for n in sorted({0, len(days) // 2, len(days) - 1}):
        parts.append(f'<text x="{x_of[days[n]]:.1f}" y="{HEIGHT - 8}" text-anchor="{_anchor(n, len(days))}" '
                     f'font-size="11">{escape(day_label(days[n]))}</text>')
    parts.append("</svg>")
    return "".join(parts)


def pacing_chart(actual: list[tuple[date, float]], goal: list[tuple[date, float]],
                 projection: list[tuple[date, float]], title: str, *,
                 labels: tuple[str, str, str] = ("Goal", "Done", "Projection at the last 7 days' pace"),
                 empty: str = "No goal to pace against.", day_label: Callable[[date], str] = date.isoformat) -> str:
    """Doors to date against a goal: the actual running total (solid), the goal line from the start to
    the goal on its date (dashed grey) and the projection at the last 7 days' pace (dashed), on one time
    axis of days."""
    points = actual + goal + projection
    if not points:
        return f'<p class="muted">{escape(empty)}</p>'
    first, last = min(d for d, _ in points), max(d for d, _ in points)
    span = max((last - first).days, 1)
    top = _scale(max(v for _, v in points))
    plot_w, plot_h = WIDTH - PAD_LEFT - 8, HEIGHT - PAD_BOTTOM - PAD_TOP

    def xy(day: date, value: float) -> str:
        return f"{PAD_LEFT + plot_w * (day - first).days / span:.1f},{PAD_TOP + plot_h - plot_h * value / top:.1f}"

    parts = [f'<svg class="chart pacing-chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-label="{escape(title)}">',
             f"<title>{escape(title)}</title>",
             f'<line x1="{PAD_LEFT}" y1="{PAD_TOP + plot_h}" x2="{WIDTH - 8}" y2="{PAD_TOP + plot_h}" stroke="#9ca3af"/>',
             f'<text x="{PAD_LEFT - 6}" y="{PAD_TOP + 4}" text-anchor="end" font-size="11">{int(top):,}</text>',
             f'<text x="{PAD_LEFT - 6}" y="{PAD_TOP + plot_h}" text-anchor="end" font-size="11">0</text>']
    lines = (("goal", goal, "#6b7280", ' stroke-dasharray="6 4"', labels[0]),
             ("actual", actual, "#15803d", "", labels[1]),
             ("projection", projection, "#b45309", ' stroke-dasharray="3 3"', labels[2]))
    for n, (kind, series, colour, dash, label) in enumerate(lines):
        if not series:
            continue
        path = " ".join(xy(day, value) for day, value in series)
        parts.append(f'<polyline class="pacing-{kind}" points="{path}" fill="none" stroke="{colour}" '
                     f'stroke-width="2.5"{dash}><title>{escape(label)}</title></polyline>')
        parts.append(f'<text x="{PAD_LEFT + 6}" y="{PAD_TOP + 14 + 14 * n}" font-size="12" fill="{colour}">'
                     f"{escape(label)}</text>")
    for n, day in enumerate((first, last)):
        parts.append(f'<text x="{PAD_LEFT if n == 0 else WIDTH - 8}" y="{HEIGHT - 8}" '
                     f'text-anchor="{"start" if n == 0 else "end"}" font-size="11">{escape(str(day_label(day)))}</text>')
    parts.append("</svg>")
    return "".join(parts)
