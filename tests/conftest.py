"""Shared fixtures: the bundled demo, configs in tmp_path, the Sheets API emulator, a service account."""

from __future__ import annotations

import ipaddress
import json
import shutil
import socket
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from pathlib import Path
from typing import Any

import pytest
from emulator import SheetsEmulator, write_service_account_key

DEMO = Path(__file__).parent.parent / "sync" / "demo"


@pytest.fixture
def demo(tmp_path: Path) -> Path:
    """The bundled demo's config, in a fresh copy of its folder."""
    for name in ("flowsync.toml", "demo.xlsx"):
        shutil.copyfile(DEMO / name, tmp_path / name)
    return tmp_path / "flowsync.toml"


@pytest.fixture
def make_config(tmp_path: Path) -> Callable[..., Path]:
    """Write a flowsync.toml in tmp_path for teams given as name -> workbook file name."""

    def make(teams: dict[str, str], *, locale: str = "en", extra: str = "") -> Path:
        lines = [f'[service]\nlocale = "{locale}"\ntimezone = "Asia/Seoul"\n', extra]
        for name, workbook in teams.items():
            lines.append(f'[[teams]]\nname = "{name}"\nworkbook = "{workbook}"\n')
        path = tmp_path / "flowsync.toml"
        path.write_text("\n".join(lines), encoding="utf-8")
        return path

    return make


@pytest.fixture
def sheets(monkeypatch: pytest.MonkeyPatch) -> Iterator[SheetsEmulator]:
    """A running Sheets API emulator, with SHEETS_EMULATOR_HOST pointing at it."""
    with SheetsEmulator() as emulator:
        monkeypatch.setenv("SHEETS_EMULATOR_HOST", emulator.host)
        monkeypatch.delenv("GOOGLE_APPLICATION_CREDENTIALS", raising=False)
        yield emulator


@pytest.fixture
def service_account_key(tmp_path: Path, sheets: SheetsEmulator) -> Path:
    """A real service-account JSON key (fresh RSA key) whose token_uri is the emulator's."""
    return write_service_account_key(
        tmp_path / "service-account.json",
        token_uri=sheets.token_uri,
        project="flowsync-test",
        key_id="test-key-1",
        email="flowsync@flowsync-test.iam.gserviceaccount.com",
        client_id="1",
    )


@dataclass
class Received:
    """One message as the SMTP server received it."""

    sender: str
    recipients: list[str]
    message: EmailMessage
    raw: bytes  # as it went over the wire


@dataclass
class SmtpServer:
    host: str
    port: int
    received: list[Received]
    refuse: list[str]  # SMTP replies to give instead of accepting, one per message
    ca_file: Path | None = None


def _tls_files(folder: Path) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1, and its key."""
    import datetime as dt

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.x509.oid import NameOID

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = folder / "smtp-cert.pem", folder / "smtp-key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_path, key_path


@pytest.fixture
def smtp_server(tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[SmtpServer]:
    """A real SMTP server (aiosmtpd) on a free loopback port.

    Parametrize indirectly with "plain", "starttls+auth" or "ssl" (default "plain").
    AUTH accepts user "flowsync" with password "s3cret".
    """
    import ssl

    from aiosmtpd.controller import Controller
    from aiosmtpd.smtp import AuthResult, LoginPassword

    mode = getattr(request, "param", "plain")
    server = SmtpServer("127.0.0.1", _free_port(), [], [])

    class Handler:
        async def handle_DATA(self, srv: object, session: object, envelope: Any) -> str:
            if server.refuse:
                return server.refuse.pop(0)
            message = BytesParser(policy=policy.default).parsebytes(envelope.content)
            server.received.append(
                Received(envelope.mail_from, list(envelope.rcpt_tos), message, envelope.content)  # type: ignore[arg-type]
            )
            return "250 Message accepted for delivery"

    def authenticate(
        srv: object, session: object, envelope: object, mechanism: str, data: object
    ) -> AuthResult:
        ok = isinstance(data, LoginPassword) and (data.login, data.password) == (
            b"flowsync",
            b"s3cret",
        )
        return AuthResult(success=ok)

    kwargs: dict[str, Any] = {}
    if mode != "plain":
        cert, key = _tls_files(tmp_path)
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(cert, key)
        server.ca_file = cert
        if mode == "ssl":
            kwargs["ssl_context"] = context
        else:
            kwargs.update(
                tls_context=context,
                require_starttls=True,
                authenticator=authenticate,
                auth_required=True,
            )
    controller = Controller(Handler(), hostname=server.host, port=server.port, **kwargs)
    if mode == "ssl":  # the controller's own readiness check does not speak TLS
        controller.ready_timeout = 5
    controller.start()
    try:
        yield server
    finally:
        controller.stop()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Hook:
    """One request a webhook receiver got."""

    path: str
    headers: dict[str, str]
    body: Any  # parsed JSON, or the raw text when it is not JSON


class WebhookReceiver:
    """A real HTTP server on 127.0.0.1 that records each POST; ``fail`` answers the next N with 500."""

    def __init__(self) -> None:
        import http.server
        import threading

        self.received: list[Hook] = []
        self.fail = 0
        self.hits = 0  # every POST, failed ones included
        receiver = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                raw = self.rfile.read(int(self.headers.get("Content-Length") or 0)).decode()
                receiver.hits += 1
                if receiver.fail > 0:
                    receiver.fail -= 1
                    self.send_response(500)
                    self.end_headers()
                    return
                try:
                    body: Any = json.loads(raw)
                except ValueError:
                    body = raw
                receiver.received.append(Hook(self.path, dict(self.headers), body))
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(b"{}")

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def url(self, path: str) -> str:
        """An Apprise generic JSON webhook URL to this receiver."""
        return f"json://127.0.0.1:{self.port}/{path.lstrip('/')}"

    def paths(self) -> list[str]:
        return [h.path for h in self.received]

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def webhook() -> Iterator[WebhookReceiver]:
    """A webhook receiver on a loopback port, and Apprise retries without backoff."""
    from sync.notify.channels import set_testing

    set_testing(True)
    receiver = WebhookReceiver()
    try:
        yield receiver
    finally:
        receiver.close()
        set_testing(False)
