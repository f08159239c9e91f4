"""Admins and leads shape the campaign's map of offices, and admins read the audit log.

- Admins create and rename regions (**Regions and offices**, ``/admin/territory``).
- Admins, and a region's lead in their own region, create field offices (name, address, location and
  time zone) and rename them or change their address. Organizers set their office's clock on its
  Settings page.
- Admins read the audit log (exports, role changes, deletions, and every change made here), its times
  on the clock they choose.
"""
from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from .. import unit_of_work
from ..domain import time_zones
from ..errors import FieldopsError
from ..i18n import error_text
from ..services import access, audit, territory, users
from ..services.inputs import parse_coordinate

bp = Blueprint("admin", __name__)


@bp.get("/admin/audit")
@login_required
def audit_log():
    access.require_admin(current_user)
    action = request.args.get("action", "").strip()[:48]
    before = request.args.get("before", "")
    events = audit.recent(action, int(before) if before.isascii() and before.isdigit() and len(before) < 19 else None)
    zones = territory.zones_in_use()
    zone = request.args.get("zone", "")
    if zone not in zones:
        zone = zones[0] if len(zones) == 1 else time_zones.UTC  # one clock for the whole campaign, else UTC
    return render_template("admin/audit.html", events=events, action=action, page_size=audit.PAGE_SIZE,
                           zone=zone, zones=sorted(set(zones) | {time_zones.UTC}))


@bp.get("/admin/territory")
@login_required
def territory_page():
    access.require_regions_shaping(current_user)
    return _territory_page(None, {})


def _territory_page(error: str | None, form, failed: str | None = None):
    regions = [(region, users.region_offices(region)) for region in users.all_regions()]
    return render_template("admin/territory.html", regions=regions, error=error, form=form, failed=failed)


@bp.post("/admin/regions")
@login_required
def create_region():
    access.require_regions_shaping(current_user)
    try:
        region = territory.create_region(request.form.get("name", ""), current_user.id)
    except FieldopsError as error:
        unit_of_work.undo()
        return _territory_page(error_text(error), request.form, failed="new"), error.status
    flash(_("Region %(region)s created. Add its offices, then give it a lead.", region=region.name), "success")
    return redirect(url_for("admin.territory_page", _anchor=f"region-{region.id}"))


@bp.post("/regions/<int:region_id>/rename")
@login_required
def rename_region(region_id: int):
    access.require_regions_shaping(current_user)
    region = access.require_region(current_user, region_id)
    was = region.name
    try:
        territory.rename_region(region, request.form.get("name", ""), current_user.id)
    except FieldopsError as error:
        unit_of_work.undo()
        return _territory_page(error_text(error), request.form, failed=str(region_id)), error.status
    flash(_("Region %(was)s is now %(region)s.", was=was, region=region.name) if was != region.name
          else _("Nothing to change."), "success")
    return redirect(url_for("admin.territory_page", _anchor=f"region-{region.id}"))


@bp.route("/regions/<int:region_id>/offices/new", methods=["GET", "POST"])
@login_required
def new_office(region_id: int):
    region = access.require_region_shaping(current_user, region_id)
    if request.method == "POST":
        try:
            office = territory.create_office(
                region, request.form.get("name", ""), address=request.form.get("address"),
                lat=parse_coordinate(request.form.get("lat"), "lat", 90),
                lon=parse_coordinate(request.form.get("lon"), "lon", 180),
                time_zone=request.form.get("time_zone"), actor_id=current_user.id)
        except FieldopsError as error:
            unit_of_work.undo()
            return _office_form(region, None, error_text(error), request.form), error.status
        flash(_("Office %(office)s created in %(region)s; its clock is %(zone)s. Import its territory next.",
                office=office.name, region=region.name, zone=office.time_zone) if office.time_zone else
              _("Office %(office)s created in %(region)s; it counts UTC days until its territory is imported "
                "(or set its time zone on its Settings page). Import its territory next.",
                office=office.name, region=region.name), "success")
        return redirect(url_for("main.office", office_id=office.id))
    return _office_form(region, None, None, {})


@bp.route("/offices/<int:office_id>/edit", methods=["GET", "POST"])
@login_required
def edit_office(office_id: int):
    office = access.require_office_shaping(current_user, office_id)
    region = access.require_region(current_user, office.region_id)
    if request.method == "POST":
        try:
            territory.update_office(office, name=request.form.get("name", ""), address=request.form.get("address"),
                                    actor_id=current_user.id)
        except FieldopsError as error:
            unit_of_work.undo()
            return _office_form(region, office, error_text(error), request.form), error.status
        flash(_("Office %(office)s saved.", office=office.name), "success")
        return redirect(url_for("main.office", office_id=office.id))
    return _office_form(region, office, None, {"name": office.name, "address": office.address or ""})


def _office_form(region, office, error: str | None, form):
    return render_template("admin/office_form.html", region=region, office=office, error=error, form=form,
                           zone_names=time_zones.zone_names(), usual_zone=territory.usual_zone(region))
