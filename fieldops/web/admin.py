"""Admins: the audit log (exports, role changes, deletions), newest first."""
from __future__ import annotations

from flask import Blueprint, render_template, request
from flask_login import current_user, login_required

from ..services import access, audit

bp = Blueprint("admin", __name__)


@bp.get("/admin/audit")
@login_required
def audit_log():
    access.require_admin(current_user)
    action = request.args.get("action", "").strip()[:48]
    before = request.args.get("before", "")
    events = audit.recent(action, int(before) if before.isdigit() else None)
    return render_template("admin/audit.html", events=events, action=action, page_size=audit.PAGE_SIZE)
