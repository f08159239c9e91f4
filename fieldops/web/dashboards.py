"""Dashboards: an office's coverage (figures, map, doors per day, turfs, volunteers) and a region's offices
side by side. Every number comes from ``services.coverage``, as ``flask coverage --json`` prints it."""
from __future__ import annotations

from flask import Blueprint, Response, redirect, render_template, request, stream_with_context, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..charts import bar_chart, line_chart
from ..maps.coverage_map import (OfficeArea, coverage_legend, goal_legend, office_coverage_map, region_coverage_map,
                                 region_goal_map)
from ..maps.office_map import map_parts
from .labels import TURF_STATES
from .pacing_chart import chart_day as _day, goal_chart
from .security import csp_nonce
from ..services import (access, canvassing, coverage, export_jobs, exports, goals, listening, live,
                        map_view, turfs, users, volunteers)

bp = Blueprint("dashboards", __name__)


@bp.get("/offices/<int:office_id>/dashboard")
@login_required
def office(office_id: int):
    office = access.require_office(current_user, office_id)
    window = coverage.parse_window(request.args, office.region_id)
    figures = coverage.office_coverage(office, window)
    # The page embeds no block: the map asks for what its viewport shows (services/map_view.py).
    fmap = office_coverage_map([], [], vendor_prefix=url_for("static", filename="vendor").rstrip("/"),
                               script_url=url_for("static", filename="js/coverage-map.js"),
                               loader_url=url_for("static", filename="js/viewport-loader.js"),
                               household_url=url_for("households.timeline", door_id=0),
                               data_url=url_for("maps.office_view", office_id=office.id, layer="coverage",
                                                **{k: v for k, v in window.as_dict().items() if v is not None}),
                               extent=map_view.office_extent(office))
    chart = bar_chart([(d["date"], d["knocks"], d["conversations"]) for d in figures["days"]],
                      _("Knocks per day, and of those, conversations"), _("Knocks"), _("Conversations"),
                      empty=_("No knocks in this period."), day_label=_day)
    goal = goals.office_goals([office.id], window.canvass_id).get(office.id) if figures["goal_doors"] else None
    pacing = None
    if goal is not None and goal.doors:
        series = goals.office_chart_series(office, goal)
        pacing = goal_chart(series, goal.doors, goal.due_date)
    return render_template("dashboards/office.html", office=office, figures=figures,
                           map=map_parts(fmap, nonce=csp_nonce()),
                           chart=chart, issues=listening.top_issues([office.id], limit=8)[office.id], legend=coverage_legend(_), window=window,
                           canvasses=canvassing.canvasses_for_office(office), pacing_chart=pacing,
                           turf_states=TURF_STATES)


@bp.get("/offices/<int:office_id>/live")
@login_required
def office_live(office_id: int):
    """The live map: the page loads today's figures, then live-map.js polls the API every 30 s."""
    office = access.require_office(current_user, office_id)
    return render_template("dashboards/live.html", scope_name=office.name, back_url=url_for("main.office", office_id=office.id),
                           data=live.office_live(office), data_url=url_for("api.office_live", office_id=office.id))


@bp.get("/regions/<int:region_id>/live")
@login_required
def region_live(region_id: int):
    region = access.require_region(current_user, region_id)
    return render_template("dashboards/live.html", scope_name=region.name,
                           back_url=url_for("dashboards.region", region_id=region.id),
                           data=live.region_live(region), data_url=url_for("api.region_live", region_id=region.id))


@bp.get("/regions/<int:region_id>/compare")
@login_required
def region(region_id: int):
    region = access.require_region(current_user, region_id)
    window = coverage.parse_window(request.args, region.id)
    figures = coverage.region_coverage(region, window)
    trend = line_chart(coverage.region_trend(region, window), _("Coverage over time, one line per office"),
                       empty=_("Nothing to draw in this period."), day_label=_day)
    outlines = turfs.office_outlines([o["id"] for o in figures["offices"]])
    fmap = region_coverage_map([OfficeArea(o["id"], o["name"], outlines[o["id"]], o["doors"], o["attempted"],
                                           o["reached"]) for o in figures["offices"]],
                               vendor_prefix=url_for("static", filename="vendor").rstrip("/"), say=_)
    fmap_parts = map_parts(fmap, nonce=csp_nonce())
    office_ids = [o["id"] for o in figures["offices"]]
    has_goals = any(o["goal_doors"] is not None for o in figures["offices"])
    goal_map = None
    if has_goals:
        goal_map = map_parts(region_goal_map(
            [OfficeArea(o["id"], o["name"], outlines[o["id"]], o["doors"], o["attempted"], o["reached"],
                        o["percent_of_goal"]) for o in figures["offices"]],
            vendor_prefix=url_for("static", filename="vendor").rstrip("/"), say=_), nonce=csp_nonce())
        # One page, two maps: the second's header without the script and style links the first already has.
        seen = set(fmap_parts["header"].splitlines())
        goal_map["header"] = "\n".join(line for line in goal_map["header"].splitlines()
                                       if line not in seen or not line.strip().startswith(("<script src", "<link")))
    by_id = {o["id"]: o for o in figures["offices"]}
    ranking = {key: [by_id[i] for i in ids] for key, ids in figures["ranking"].items()}
    return render_template("dashboards/region.html", region=region, figures=figures, chart=trend, window=window,
                           goal_map=goal_map, goal_legend=goal_legend(_), ranking=ranking,
                           issues=listening.top_issues(office_ids, limit=3),
                           region_issues=listening.region_issues(office_ids),
                           canvasses=canvassing.canvasses_for_region(region),
                           map=fmap_parts, legend=coverage_legend(_),
                           volunteer_figures=volunteers.lead_figures(users.region_offices(region)))


def _csv_download(office_ids: list[int], window, scope: str, scope_id: int, filename: str) -> Response:
    exports.record_export(current_user.id, scope, scope_id, window, f"download {filename}")
    lines = exports.csv_lines(exports.contact_rows(office_ids, window))
    return Response(stream_with_context(lines), mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})


@bp.get("/offices/<int:office_id>/contacts.csv")
@login_required
def office_contacts(office_id: int):
    """The office's contacts in Fieldops' columns, or (``format=van-bulk|osdi``) in the committee's."""
    office = access.require_office(current_user, office_id, manage=True)
    window = coverage.parse_window(request.args, office.region_id)
    file_format = export_jobs.check_format(request.args.get("format", "csv"))
    filename = export_jobs.file_name(office, file_format)
    exports.record_export(current_user.id, "office", office.id, window, f"download {filename}")
    return Response(stream_with_context(export_jobs.office_lines(office, window, file_format)),
                    mimetype=export_jobs.MIMETYPES[export_jobs.EXTENSIONS[file_format]],
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})


@bp.post("/offices/<int:office_id>/contacts/export")
@login_required
def office_contacts_job(office_id: int):
    """The same file as a background job (services/export_jobs.py): for offices whose export would outlast
    a web request. Its page offers the file when it is written."""
    office = access.require_office(current_user, office_id, manage=True)
    window = coverage.parse_window(request.form, office.region_id)
    job = export_jobs.submit_export(office, current_user, window, request.form.get("format", "csv"))
    return redirect(url_for("jobs.status", job_id=job.id), code=303)


@bp.get("/regions/<int:region_id>/contacts.csv")
@login_required
def region_contacts(region_id: int):
    region = access.require_region(current_user, region_id, manage=True)
    window = coverage.parse_window(request.args, region.id)
    office_ids = [office.id for office in users.region_offices(region)]
    return _csv_download(office_ids, window, "region", region.id, f"contacts-region-{region.id}.csv")
