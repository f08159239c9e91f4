"""The pacing chart of a goal as a page shows it (the office dashboard, a team's page): the pure SVG builder
(``charts.pacing_chart``) given its title, legend and days in the page's language."""
from __future__ import annotations

from datetime import date

from flask_babel import format_decimal, gettext as _

from ..charts import pacing_chart
from .local_time import local_date


def chart_day(day) -> str:
    """A chart's day as the page's language writes it (ISO in English)."""
    return str(local_date(day))


def goal_chart(series: dict, goal_doors: int, due: date) -> str:
    """The SVG of ``series`` (``actual``, ``goal``, ``projection`` from ``services.goals``) toward the goal."""
    return pacing_chart(series["actual"], series["goal"], series["projection"],
                        _("Doors knocked toward %(doors)s by %(date)s", doors=format_decimal(goal_doors),
                          date=chart_day(due)),
                        labels=(_("Goal"), _("Done"), _("Projection at the last 7 days' pace")),
                        empty=_("No goal to pace against."), day_label=chart_day)
