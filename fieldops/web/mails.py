"""The e-mails pages send: written from ``templates/mail/``, queued in the outbox with the page's own unit of
work (they leave only if it is kept), with links to ``BASE_URL``."""
from __future__ import annotations

from flask import current_app, render_template, request, url_for

from ..services import mail


def link(endpoint: str, **values) -> str:
    """An absolute link for an e-mail: on BASE_URL when it is set (never a Host header someone sent us),
    else the address this request came to."""
    base = current_app.config.get("BASE_URL") or request.host_url.rstrip("/")
    return base + url_for(endpoint, **values)


def outside_request():
    """A request context for work with no request (commands, the mail worker): links go to BASE_URL."""
    return current_app.test_request_context(base_url=current_app.config.get("BASE_URL") or "http://localhost:5000")


def send(to_address: str, template: str, **context) -> None:
    """Queue ``templates/mail/<template>.txt``; its first line is the subject."""
    subject, _, body = render_template(f"mail/{template}.txt", **context).strip().partition("\n")
    mail.queue(to_address, subject.strip(), body.strip() + "\n")


def configured() -> bool:
    """Whether a mail server is set: without one, mail waits in the outbox and pages say so."""
    return bool(current_app.config.get("MAIL_URL"))
