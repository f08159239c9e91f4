"""The mail outbox: a message is queued in the same transaction as the work that causes it (no commit here),
and a worker sends what is due through SMTP, with retries and backoff.

``send_due`` is the whole of one worker round and callable on its own (``flask send-mail``, the
``flask mail-worker`` loop, a background job): run it as one unit of work. On PostgreSQL the due rows are
locked with SKIP LOCKED, so several workers never send the same message; on SQLite run one worker.
"""
from __future__ import annotations

import smtplib
import ssl
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.message import EmailMessage
from email.utils import formatdate, make_msgid, parseaddr
from urllib.parse import parse_qs, unquote, urlsplit

from sqlalchemy import func, select

from ..errors import InvalidInput
from ..extensions import db
from ..models import MailMessage
from ..models._base import utcnow
from .portable import aware
from ..domain.text import N_

MAX_TRIES = 5
FIRST_RETRY = timedelta(minutes=1)  # then 2, 4 and 8 minutes: a quarter of an hour of trying before giving up
SMTP_TIMEOUT_S = 20
BATCH = 50
SCHEMES = {"smtp": 25, "smtps": 465}


@dataclass(frozen=True)
class SmtpServer:
    """Where mail goes, read from ``MAIL_URL``: ``smtp://[user:password@]host[:port][?starttls=true]`` or
    ``smtps://...`` (TLS from the first byte)."""
    host: str
    port: int
    username: str | None = None
    password: str | None = None
    tls: bool = False
    starttls: bool = False

    @classmethod
    def from_url(cls, url: str | None) -> "SmtpServer":
        if not url:
            raise InvalidInput(N_("MAIL_URL is not set: say which SMTP server sends the mail (smtp://host:port)"))
        parts = urlsplit(url)
        if parts.scheme not in SCHEMES or not parts.hostname:
            raise InvalidInput(N_("MAIL_URL %(value)r is not smtp://host:port or smtps://host:port"),
                               value=_without_password(url))
        try:
            port = parts.port or SCHEMES[parts.scheme]
        except ValueError:
            raise InvalidInput(N_("MAIL_URL %(value)r has a port that is not a number"),
                               value=_without_password(url)) from None
        options = {key.lower(): values[-1].lower() for key, values in parse_qs(parts.query).items()}
        return cls(host=parts.hostname, port=port,
                   username=unquote(parts.username) if parts.username else None,
                   password=unquote(parts.password) if parts.password else None,
                   tls=parts.scheme == "smtps", starttls=options.get("starttls") in {"1", "true", "yes", "on"})


def _without_password(url: str) -> str:
    parts = urlsplit(url)
    if parts.password is None:
        return url
    return url.replace(f":{parts.password}@", ":***@", 1)


def queue(to_address: str, subject: str, body: str) -> MailMessage:
    """Put a plain-text message in the outbox (no commit): it leaves when the work that queued it is kept."""
    name, address = parseaddr(to_address or "")
    if "@" not in address or name:
        raise InvalidInput(N_("%(to_address)r is not an e-mail address"), to_address=to_address, field="to")
    subject = " ".join((subject or "").split())[:200]  # one header line, whatever a name held
    message = MailMessage(to_address=address, subject=subject, body=body, state="queued", tries=0,
                          next_attempt_at=utcnow())
    db.session.add(message)
    return message


@dataclass
class SendReport:
    """What one round did: sent, to be tried again later, given up on."""
    sent: int = 0
    retrying: int = 0
    failed: int = 0


def send_due(mail_url: str | None, sender: str, *, now: datetime | None = None, limit: int = BATCH) -> SendReport:
    """Send up to ``limit`` queued messages whose time has come, over one SMTP connection (no commit).

    A refusal that retrying cannot mend (a 5xx for the recipient or the message) fails the message at once;
    anything else (the server down, a 4xx, a timeout) is tried again after 1, 2, 4, 8 minutes, and after
    ``MAX_TRIES`` tries the message is marked failed with the last reason.
    """
    server = SmtpServer.from_url(mail_url)
    now = now or utcnow()
    due = list(db.session.scalars(
        select(MailMessage).where(MailMessage.state == "queued", MailMessage.next_attempt_at <= now)
        .order_by(MailMessage.next_attempt_at, MailMessage.id).limit(limit).with_for_update(skip_locked=True)))
    report = SendReport()
    if not due:
        return report
    connection, down = _connect_or_reason(server)
    try:
        for message in due:
            if connection is None:  # the server cannot be reached this round: try again later
                _record_failure(message, down, now, permanent=False, report=report)
                continue
            try:
                connection.send_message(_email(message, sender))
            except smtplib.SMTPServerDisconnected as error:
                _record_failure(message, _reason(error), now, permanent=False, report=report)
                _quit(connection)
                connection, down = _connect_or_reason(server)
            except (OSError, smtplib.SMTPException) as error:
                _record_failure(message, _reason(error), now, permanent=_permanent(error), report=report)
                _reset(connection)
            else:
                message.tries += 1
                message.state, message.sent_at = "sent", now
                report.sent += 1
    finally:
        _quit(connection)
    return report


def waiting() -> int:
    """How many messages wait in the outbox."""
    return db.session.scalar(select(func.count(MailMessage.id)).where(MailMessage.state == "queued"))


def _connect(server: SmtpServer) -> smtplib.SMTP:
    context = ssl.create_default_context()
    if server.tls:
        connection = smtplib.SMTP_SSL(server.host, server.port, timeout=SMTP_TIMEOUT_S, context=context)
    else:
        connection = smtplib.SMTP(server.host, server.port, timeout=SMTP_TIMEOUT_S)
        if server.starttls:
            connection.starttls(context=context)
    if server.username:
        connection.login(server.username, server.password or "")
    return connection


def _connect_or_reason(server: SmtpServer) -> tuple[smtplib.SMTP | None, str]:
    """A connection, or None and why there is none."""
    try:
        return _connect(server), ""
    except (OSError, smtplib.SMTPException) as error:
        return None, _reason(error)


def _reset(connection: smtplib.SMTP | None) -> None:
    """After a refused message, clear the SMTP transaction so the next message starts afresh."""
    try:
        if connection is not None:
            connection.rset()
    except (OSError, smtplib.SMTPException):
        pass


def _quit(connection: smtplib.SMTP | None) -> None:
    try:
        if connection is not None:
            connection.quit()
    except (OSError, smtplib.SMTPException):
        pass


def _email(message: MailMessage, sender: str) -> EmailMessage:
    email = EmailMessage()
    email["From"] = sender
    email["To"] = message.to_address
    email["Subject"] = message.subject
    email["Date"] = formatdate(localtime=False)
    email["Message-ID"] = make_msgid(domain=parseaddr(sender)[1].rpartition("@")[2] or "localhost")
    email.set_content(message.body)
    return email


def _permanent(error: Exception) -> bool:
    """A 5xx refusal of this recipient or this message: retrying will not change the answer."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return all(code >= 500 for code, _ in error.recipients.values())
    return isinstance(error, smtplib.SMTPDataError) and error.smtp_code >= 500


def _reason(error: Exception) -> str:
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        text = "; ".join(f"{code} {reply.decode(errors='replace')}" for code, reply in error.recipients.values())
    elif isinstance(error, smtplib.SMTPResponseException):
        reply = error.smtp_error.decode(errors="replace") if isinstance(error.smtp_error, bytes) else error.smtp_error
        text = f"{error.smtp_code} {reply}"
    else:
        text = f"{type(error).__name__}: {error}" if str(error) else type(error).__name__
    return text[:500]


def _record_failure(message: MailMessage, reason: str, now: datetime, *, permanent: bool,
                    report: SendReport) -> None:
    message.tries += 1
    message.last_error = reason
    if permanent or message.tries >= MAX_TRIES:
        message.state = "failed"
        report.failed += 1
    else:
        message.next_attempt_at = aware(now) + FIRST_RETRY * 2 ** (message.tries - 1)
        report.retrying += 1
