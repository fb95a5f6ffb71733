"""Loopback receivers for alerts: a webhook endpoint that records JSON POSTs, and an SMTP server (aiosmtpd).

    with WebhookReceiver() as hook:            # hook.url; hook.posts: [(path, headers, parsed JSON)]
    with WebhookReceiver(status=500) as hook:  # answers every POST with 500
    with WebhookReceiver(hang=True) as hook:   # accepts the POST and never answers (a notifier timeout)
    with SmtpReceiver(user="u", password="p") as smtp:   # smtp.port; smtp.messages: [email.message.Message]
    with SmtpReceiver(user="u", password="p", tls_dir=tmp_path) as smtp:  # STARTTLS required, AUTH only after it;
                                                          # smtp.ca_file is the certificate to trust (SSL_CERT_FILE)
"""
from __future__ import annotations

import datetime
import email
import ipaddress
import json
import socket
import ssl
import threading
from pathlib import Path

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

from newsarchive.demo.loopback import LoopbackServer, QuietHandler


class WebhookHandler(QuietHandler):
    def do_POST(self) -> None:
        hook: WebhookReceiver = self.app
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length)
        try:
            data = json.loads(body)
        except ValueError:
            data = None
        with hook.lock:
            hook.posts.append((self.path, dict(self.headers), data))
        if hook.hang:
            hook.release.wait(60)  # until the receiver stops
            return
        self.send_body(hook.status, b"ok" if hook.status < 400 else b"no", content_type="text/plain")


class WebhookReceiver(LoopbackServer):
    handler_class = WebhookHandler

    def __init__(self, status: int = 200, hang: bool = False):
        super().__init__("127.0.0.1", 0)
        self.status = status
        self.hang = hang
        self.posts: list[tuple[str, dict, dict | None]] = []
        self.lock = threading.Lock()
        self.release = threading.Event()

    def hook_url(self, path: str = "/hooks/T000/B000/secret-token") -> str:
        return self.url.rstrip("/") + path

    def stop(self) -> None:
        self.release.set()
        super().stop()


class _Collector:
    def __init__(self, receiver: "SmtpReceiver"):
        self.receiver = receiver

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.content)
        self.receiver.messages.append(message)
        self.receiver.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos), session.authenticated))
        return "250 OK"


class SmtpReceiver:
    """aiosmtpd on 127.0.0.1. With `user`/`password`, AUTH LOGIN/PLAIN is required: over plain TCP, or, with
    `tls_dir`, only after STARTTLS with a self-signed certificate for 127.0.0.1 written there (`ca_file`)."""

    def __init__(self, user: str | None = None, password: str | None = None, tls_dir: Path | None = None):
        self.user, self.password = user, password
        self.messages: list[email.message.Message] = []
        self.envelopes: list[tuple[str, list[str], bool]] = []
        self.logins: list[tuple[str, str]] = []
        self.ca_file: Path | None = None
        kwargs = {}
        if user is not None:
            kwargs.update(authenticator=self._authenticate, auth_require_tls=tls_dir is not None, auth_required=True)
        if tls_dir is not None:
            kwargs.update(tls_context=self._tls_context(Path(tls_dir)), require_starttls=True)
        # aiosmtpd's start-up check connects to the port it was given, so it cannot take 0: ask the OS for one.
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        self.controller = Controller(_Collector(self), hostname="127.0.0.1", port=port, **kwargs)

    def _tls_context(self, folder: Path) -> ssl.SSLContext:
        from cryptography import x509
        from cryptography.hazmat.primitives import hashes, serialization
        from cryptography.hazmat.primitives.asymmetric import ec
        from cryptography.x509.oid import NameOID

        key = ec.generate_private_key(ec.SECP256R1())
        name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "newsarchive test SMTP")])
        now = datetime.datetime.now(datetime.timezone.utc)
        cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
                .serial_number(x509.random_serial_number())
                .not_valid_before(now - datetime.timedelta(hours=1)).not_valid_after(now + datetime.timedelta(days=1))
                .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
                               critical=False)
                .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
                .sign(key, hashes.SHA256()))
        folder.mkdir(parents=True, exist_ok=True)
        self.ca_file = folder / "smtp-cert.pem"
        self.ca_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
        key_file = folder / "smtp-key.pem"
        key_file.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                               serialization.NoEncryption()))
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(self.ca_file, key_file)
        return context

    def _authenticate(self, server, session, envelope, mechanism, auth_data):
        if isinstance(auth_data, LoginPassword):
            login, password = auth_data.login.decode(), auth_data.password.decode()
            self.logins.append((login, password))
            return AuthResult(success=(login, password) == (self.user, self.password))
        return AuthResult(success=False)

    @property
    def port(self) -> int:
        return self.controller.port

    def __enter__(self) -> "SmtpReceiver":
        self.controller.start()
        return self

    def __exit__(self, *exc_info) -> None:
        self.controller.stop()
