"""flask send-mail (once) and flask mail-worker (a loop), against a local SMTP server."""
from __future__ import annotations

from sqlalchemy import select

from fieldops import unit_of_work
from fieldops.extensions import db
from fieldops.models import MailMessage
from fieldops.services import mail
from tests.mailbox import mailbox  # noqa: F401  (fixture)


def queue(count: int) -> None:
    def work():
        for n in range(count):
            mail.queue(f"person{n}@test.example", f"Message {n}", "Hello\n")
    unit_of_work.run(work)


def with_mail_url(app, url):
    app.config["MAIL_URL"] = url


def test_send_mail_sends_everything_due_in_rounds(app, runner, mailbox):
    queue(mail.BATCH + 3)  # more than one round's worth
    with_mail_url(app, mailbox.url)
    try:
        result = runner.invoke(args=["send-mail"])
    finally:
        with_mail_url(app, None)
    assert result.exit_code == 0, result.output
    assert f"Sent {mail.BATCH + 3}, to retry later 0, failed 0; 0 waiting" in result.output
    assert len(mailbox.messages) == mail.BATCH + 3
    assert set(db.session.scalars(select(MailMessage.state))) == {"sent"}


def test_send_mail_without_mail_url_says_so_and_keeps_the_mail(app, runner):
    queue(1)
    result = runner.invoke(args=["send-mail"])
    assert result.exit_code == 1 and "MAIL_URL is not set" in result.output
    assert len(result.output.strip().splitlines()) == 1
    assert db.session.scalar(select(MailMessage.state)) == "queued"
    worker = runner.invoke(args=["mail-worker", "--rounds", "1"])
    assert worker.exit_code == 1 and "MAIL_URL is not set" in worker.output


def test_the_mail_worker_sends_round_after_round_until_stopped(app, runner, mailbox):
    queue(2)
    with_mail_url(app, mailbox.url)
    try:
        result = runner.invoke(args=["mail-worker", "--interval", "0.1", "--rounds", "3"])
    finally:
        with_mail_url(app, None)
    assert result.exit_code == 0, result.output
    assert "sent 2, to retry 0, failed 0" in result.output and "mail worker stopped" in result.output
    assert len(mailbox.messages) == 2
