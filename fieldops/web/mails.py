"""The e-mails pages send: written from ``templates/mail/``, queued in the outbox with the page's own unit of
work (they leave only if it is kept), with links to ``BASE_URL``."""
from __future__ import annotations

from flask import current_app, render_template, request, url_for
from flask_babel import force_locale
from sqlalchemy import func, select

from ..domain.office_settings import language as office_language
from ..extensions import db
from ..i18n import DEFAULT, LANGUAGES
from ..models import User
from ..services import mail


def link(endpoint: str, **values) -> str:
    """An absolute link for an e-mail: on BASE_URL when it is set (never a Host header someone sent us),
    else the address this request came to."""
    base = current_app.config.get("BASE_URL") or request.host_url.rstrip("/")
    return base + url_for(endpoint, **values)


def outside_request():
    """A request context for work with no request (commands, the mail worker): links go to BASE_URL."""
    return current_app.test_request_context(base_url=current_app.config.get("BASE_URL") or "http://localhost:5000")


def language_of(address: str, office=None, user=None) -> str:
    """The language a mail to ``address`` is written in: the recipient's own setting if they have an account,
    else their office's default (Settings), else English. Never the language of whoever's page sent it."""
    if user is None and address:
        user = db.session.scalar(select(User).where(func.lower(User.email) == address.strip().lower()))
    if user is not None and user.locale in LANGUAGES:
        return user.locale
    office = office if office is not None else getattr(user, "office", None)
    return (office_language(office.settings) if office is not None else None) or DEFAULT


def compose(to_address: str, template: str, recipient=None, **context) -> tuple[str, str]:
    """``templates/mail/<template>.txt`` in the recipient's language: (subject, body); its first line is the
    subject. ``recipient`` is their account when the caller knows it (else it is found by the address)."""
    with force_locale(language_of(to_address, context.get("office"), recipient)):
        subject, _, body = render_template(f"mail/{template}.txt", **context).strip().partition("\n")
    return subject.strip(), body.strip() + "\n"


def send(to_address: str, template: str, **context) -> None:
    """Queue ``templates/mail/<template>.txt`` in the recipient's language."""
    mail.queue(to_address, *compose(to_address, template, **context))


def configured() -> bool:
    """Whether a mail server is set: without one, mail waits in the outbox and pages say so."""
    return bool(current_app.config.get("MAIL_URL"))
