"""A real SMTP server on 127.0.0.1 (aiosmtpd) for the mail tests: it keeps what it receives, and can be told
to refuse the next messages with a reply code. Never an external server."""
from __future__ import annotations

import email
import socket
import subprocess
from email.policy import default

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Mailbox:
    """The SMTP handler: ``messages`` received, ``refusals`` the replies to give the next DATA commands."""

    def __init__(self):
        self.messages: list[email.message.EmailMessage] = []
        self.refusals: list[str] = []
        self.url = ""

    async def handle_DATA(self, server, session, envelope):
        if self.refusals:
            return self.refusals.pop(0)
        self.messages.append(email.message_from_bytes(envelope.content, policy=default))
        return "250 OK"

    def to(self, address: str) -> list[email.message.EmailMessage]:
        return [m for m in self.messages if m["To"] == address]


def start(mailbox: Mailbox, **smtp_options) -> Controller:
    port = free_port()
    controller = Controller(mailbox, hostname="127.0.0.1", port=port, **smtp_options)
    controller.start()
    mailbox.url = f"smtp://127.0.0.1:{port}"
    return controller


@pytest.fixture
def mailbox():
    """A local SMTP server without authentication: MAIL_URL is ``mailbox.url``."""
    box = Mailbox()
    controller = start(box)
    yield box
    controller.stop()


USER, PASSWORD = "fieldops@test.example", "smtp secret/with:odd@chars"


def _check_login(server, session, envelope, mechanism, auth_data):
    ok = isinstance(auth_data, LoginPassword) and auth_data.login.decode() == USER \
        and auth_data.password.decode() == PASSWORD
    return AuthResult(success=ok, handled=False)  # handled=False: the server answers 235 or 535 itself


@pytest.fixture
def mailbox_with_login(tmp_path, monkeypatch):
    """A local SMTP server that offers STARTTLS (a certificate made for the test and trusted through
    SSL_CERT_FILE) and needs a login."""
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1",
                    "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", str(key), "-out", str(cert)],
                   check=True, capture_output=True)
    import ssl
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    monkeypatch.setenv("SSL_CERT_FILE", str(cert))
    box = Mailbox()
    controller = start(box, tls_context=context, require_starttls=True, authenticator=_check_login,
                       auth_require_tls=True)
    yield box
    controller.stop()
