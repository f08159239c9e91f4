"""Web pages: blueprints, sign-in wiring, CSRF, and the one error handler."""
from __future__ import annotations

from flask import Flask, jsonify, redirect, render_template, request, url_for
from flask_babel import force_locale, gettext as _, lazy_gettext as _l
from flask_login import current_user
from markupsafe import escape
from sqlalchemy.exc import InterfaceError, OperationalError
from werkzeug.exceptions import HTTPException

from ..errors import FieldopsError
from ..i18n import DEFAULT as DEFAULT_LANGUAGE, LANGUAGES, error_text
from .. import unit_of_work
from ..extensions import csrf, login_manager
from ..services import inputs
from . import sessions
from .security import wire_security


def wants_json() -> bool:
    """API callers and the pages' own scripts (which send JSON) get JSON errors; people get pages."""
    return request.path.startswith("/api/") or request.is_json


def register_web(app: Flask) -> None:
    from .account import bp as account_bp
    from .admin import bp as admin_bp
    from .auth import bp as auth_bp
    from .dashboards import bp as dashboards_bp
    from .field import bp as field_bp
    from .main import bp as main_bp
    from .territory import bp as territory_bp
    from .households import bp as households_bp
    from .jobs import bp as jobs_bp
    from .paper import bp as paper_bp
    from .maps import bp as maps_bp
    from .people import bp as people_bp
    from .recruits import bp as recruits_bp
    from .relationships import bp as relationships_bp
    from .shifts import bp as shifts_bp
    from .teams import bp as teams_bp
    from .targets import bp as targets_bp
    from .turfs import bp as turfs_bp
    from .volunteers import bp as volunteers_bp

    app.register_blueprint(admin_bp)
    app.register_blueprint(auth_bp)
    app.register_blueprint(account_bp)
    app.register_blueprint(main_bp)
    app.register_blueprint(territory_bp)
    app.register_blueprint(turfs_bp)
    app.register_blueprint(field_bp)
    app.register_blueprint(people_bp)
    app.register_blueprint(targets_bp)
    app.register_blueprint(dashboards_bp)
    app.register_blueprint(maps_bp)
    app.register_blueprint(households_bp)
    app.register_blueprint(jobs_bp)
    app.register_blueprint(paper_bp)
    app.register_blueprint(relationships_bp)
    app.register_blueprint(teams_bp)
    app.register_blueprint(shifts_bp)
    app.register_blueprint(recruits_bp)
    app.register_blueprint(volunteers_bp)
    _wire_login(app)
    _wire_csrf(app)
    _wire_errors(app)
    wire_security(app)

    @app.context_processor
    def _globals():
        return {"current_user": current_user}


def _wire_login(app: Flask) -> None:
    login_manager.login_view = "auth.login"
    login_manager.login_message = "Please sign in to continue."
    login_manager.session_protection = "basic"
    login_manager.user_loader(sessions.user_for_session)
    # Before anything asks who is signed in: a bearer header decides alone, ahead of any cookie.
    app.before_request(sessions.authenticate_bearer)

    @login_manager.unauthorized_handler
    def _unauthorized():
        if wants_json():
            return jsonify(error="sign in or send an Authorization: Bearer token"), 401
        return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))


def _wire_csrf(app: Flask) -> None:
    @app.before_request
    def _check_csrf():
        # A request authenticated by its bearer token alone cannot be forged by a third-party page
        # (browsers never add that header on their own), so it skips CSRF; cookie sessions never do.
        if request.method in {"GET", "HEAD", "OPTIONS"} or not app.config.get("WTF_CSRF_ENABLED", True):
            return
        if sessions.by_bearer() or (request.path.startswith("/api/") and not current_user.is_authenticated):
            return  # a good bearer token, or nobody at all: the route answers 401 itself
        csrf.protect()


def _database_down_page() -> str:
    """The page shown while the database is down, in the browser's language: the person's own setting is in
    the database, so it is not asked for."""
    language = request.accept_languages.best_match(LANGUAGES, default=None) or DEFAULT_LANGUAGE
    with force_locale(language):
        title = escape(_("Try again shortly"))
        text = escape(_("The database is unavailable for a moment; nothing was saved. Try again shortly."))
    return f'<!doctype html><html lang="{language}"><title>{title}</title><h1>{title}</h1><p>{text}</p></html>'


def _wire_errors(app: Flask) -> None:
    @app.before_request
    def _refuse_nul():
        # One place for what no field may hold, whichever page reads it: a 400 naming the field.
        inputs.refuse_nul(request.args.items(multi=True))
        if request.method == "POST" and request.mimetype in ("application/x-www-form-urlencoded", "multipart/form-data"):
            inputs.refuse_nul(request.form.items(multi=True))

    @app.errorhandler(FieldopsError)
    def _domain_error(error: FieldopsError):
        unit_of_work.undo()
        if wants_json():
            return jsonify(error=error.message), error.status
        return render_template("error.html", status=error.status, message=error_text(error)), error.status

    @app.errorhandler(OperationalError)
    @app.errorhandler(InterfaceError)
    def _database_down(error):
        # The database is stopped or unreachable: say so and ask to retry, rather than a bare 500.
        unit_of_work.undo()
        app.logger.warning("database unavailable: %s", error.__class__.__name__)
        if wants_json():  # the API's errors are English; the phone says its own words
            response = jsonify(error="the database is unavailable for a moment; nothing was saved, try again shortly")
        else:  # not the usual page: its header would ask the database who is signed in
            response = app.make_response(_database_down_page())
        response.status_code = 503
        response.headers["Retry-After"] = "5"
        return response

    # Werkzeug's own descriptions are English: an abort() that gave none reads ours, in the page's language.
    plain_messages = {400: _l("the request could not be understood"), 403: _l("you may not see this page"),
                      404: _l("there is nothing at this address"),
                      405: _l("this address does not take that kind of request")}

    @app.errorhandler(HTTPException)
    def _http_error(error: HTTPException):
        message = error.description or error.name
        if error.description == type(error).description and error.code in plain_messages:
            message = str(plain_messages[error.code])
        if error.code == 413:
            limit_mb = (app.config.get("MAX_CONTENT_LENGTH") or 0) // (1024 * 1024)
            message = _("the upload is too large: the limit is %(limit)s MB", limit=limit_mb)
        if error.code == 429:
            message = _("too many attempts: wait a few minutes and try again (forgotten your password? "
                        "\"Forgot your password?\" on the sign-in page sends you a link to choose a new one)")
        if wants_json():
            return jsonify(error=message), error.code
        return render_template("error.html", status=error.code, message=message), error.code
