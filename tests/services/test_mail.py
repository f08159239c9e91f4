"""The mail outbox and its worker, against a real SMTP server on 127.0.0.1 (aiosmtpd)."""
from __future__ import annotations

from datetime import timedelta
from urllib.parse import quote

import pytest
from sqlalchemy import select

from fieldops import unit_of_work
from fieldops.errors import InvalidInput
from fieldops.extensions import db
from fieldops.models import MailMessage, Region
from fieldops.models._base import utcnow
from fieldops.services import mail
from fieldops.services.portable import aware
from tests.mailbox import PASSWORD, USER, free_port, mailbox, mailbox_with_login  # noqa: F401  (fixtures)

SENDER = "Fieldops <noreply@fieldops.example>"


def queued(to="aino@test.example", subject="Hello", body="A body with åäö\n") -> int:
    def work():
        queued_message = mail.queue(to, subject, body)
        db.session.flush()
        return queued_message.id
    return unit_of_work.run(work)


def send(url, now=None):
    return unit_of_work.run(mail.send_due, url, SENDER, now=now)


def message(message_id: int) -> MailMessage:
    db.session.expire_all()
    return db.session.get(MailMessage, message_id)


def test_queued_mail_leaves_only_with_the_work_that_queued_it(app):
    def refused():
        db.session.add(Region(name="Half"))
        mail.queue("someone@test.example", "Never", "sent")
        raise InvalidInput("refused")
    with pytest.raises(InvalidInput):
        unit_of_work.run(refused)
    assert db.session.scalar(select(MailMessage.id)) is None
    with pytest.raises(InvalidInput, match="not an e-mail address"):
        mail.queue("Someone <someone@test.example>", "Hi", "body")


def test_the_worker_sends_what_is_due_through_smtp(app, mailbox):
    first, second = queued(subject="First\nBcc: evil@test.example"), queued(to="b@test.example", subject="Second")
    report = send(mailbox.url)
    assert (report.sent, report.retrying, report.failed) == (2, 0, 0)
    received = mailbox.to("aino@test.example")[0]
    assert received["Subject"] == "First Bcc: evil@test.example"  # one header line: no header injection
    assert received["From"] == SENDER and received["Message-ID"] and received["Date"]
    assert received.get_content().replace("\r\n", "\n") == "A body with åäö\n"  # SMTP lines end in CRLF
    assert mailbox.to("b@test.example")[0]["Subject"] == "Second"
    assert {message(first).state, message(second).state} == {"sent"}
    assert message(first).sent_at is not None and message(first).tries == 1
    assert send(mailbox.url).sent == 0  # nothing is sent twice
    assert len(mailbox.messages) == 2


def test_a_temporary_refusal_is_retried_with_backoff_then_failed_with_the_reason(app, mailbox):
    sent_id = queued()
    mailbox.refusals = ["451 4.3.0 Try again later"] * mail.MAX_TRIES
    now = utcnow()
    report = send(mailbox.url, now)
    assert (report.sent, report.retrying) == (0, 1)
    row = message(sent_id)
    assert (row.state, row.tries, row.last_error) == ("queued", 1, "451 4.3.0 Try again later")
    assert aware(row.next_attempt_at) == now + mail.FIRST_RETRY
    assert send(mailbox.url, now + timedelta(seconds=30)).retrying == 0  # not due yet: not tried
    waits = []
    for _ in range(2, mail.MAX_TRIES + 1):  # each retry when it is due
        now = aware(message(sent_id).next_attempt_at)
        send(mailbox.url, now)
        waits.append(aware(message(sent_id).next_attempt_at) - now)
    row = message(sent_id)
    assert waits[:3] == [timedelta(minutes=2), timedelta(minutes=4), timedelta(minutes=8)]
    assert (row.state, row.tries, row.last_error) == ("failed", mail.MAX_TRIES, "451 4.3.0 Try again later")
    assert mailbox.messages == []


def test_a_permanent_refusal_fails_at_once_and_the_next_message_still_goes(app, mailbox):
    bad, good = queued(to="gone@test.example"), queued(to="here@test.example")
    mailbox.refusals = ["550 5.1.1 No such mailbox"]
    report = send(mailbox.url)
    assert (report.sent, report.failed) == (1, 1)
    assert (message(bad).state, message(bad).last_error) == ("failed", "550 5.1.1 No such mailbox")
    assert message(good).state == "sent" and len(mailbox.to("here@test.example")) == 1


def test_a_server_that_is_down_counts_a_try_for_each_due_message(app):
    first, second = queued(), queued()
    report = send(f"smtp://127.0.0.1:{free_port()}")
    assert report.retrying == 2
    assert message(first).tries == 1 and "ConnectionRefusedError" in message(first).last_error
    assert message(second).state == "queued"


def test_starttls_and_login_from_the_url(app, mailbox_with_login):
    sent_id = queued()
    base = mailbox_with_login.url.replace("smtp://", "")
    credentials = f"{quote(USER, safe='')}:{quote(PASSWORD, safe='')}"
    wrong = send(f"smtp://{quote(USER, safe='')}:nope@{base}?starttls=true")
    assert wrong.retrying == 1 and message(sent_id).last_error.startswith("535")
    no_tls = unit_of_work.run(mail.send_due, f"smtp://{credentials}@{base}", SENDER,
                              now=aware(message(sent_id).next_attempt_at))
    assert no_tls.retrying == 1  # the server insists on STARTTLS first
    report = unit_of_work.run(mail.send_due, f"smtp://{credentials}@{base}?starttls=true", SENDER,
                              now=aware(message(sent_id).next_attempt_at))
    assert report.sent == 1 and len(mailbox_with_login.messages) == 1


@pytest.mark.parametrize("url, reason", [
    (None, "MAIL_URL is not set"),
    ("http://mail.example", "is not smtp://host:port"),
    ("smtp://user:hunter2@mail.example:port", "port that is not a number"),
])
def test_a_bad_mail_url_is_named_and_its_password_never_shown(app, url, reason):
    with pytest.raises(InvalidInput, match=reason) as raised:
        mail.SmtpServer.from_url(url)
    assert "MAIL_URL" in raised.value.message and "hunter2" not in raised.value.message


def test_mail_url_options():
    server = mail.SmtpServer.from_url("smtp://me%40example.org:p%2Fw@mail.example:2525?starttls=true")
    assert (server.host, server.port, server.username, server.password, server.starttls, server.tls) == (
        "mail.example", 2525, "me@example.org", "p/w", True, False)
    assert mail.SmtpServer.from_url("smtps://mail.example").port == 465
    assert mail.SmtpServer.from_url("smtps://mail.example").tls
    assert mail.SmtpServer.from_url("smtp://mail.example").port == 25
