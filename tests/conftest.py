"""Shared fixtures: the bundled demo, configs in tmp_path, the Sheets API emulator, a service account."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from emulator import SheetsEmulator

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
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()
    info = {
        "type": "service_account",
        "project_id": "flowsync-test",
        "private_key_id": "test-key-1",
        "private_key": pem,
        "client_email": "flowsync@flowsync-test.iam.gserviceaccount.com",
        "client_id": "1",
        "token_uri": sheets.token_uri,
    }
    path = tmp_path / "service-account.json"
    path.write_text(json.dumps(info))
    return path
