"""Service-account keys the emulator issues tokens for: a fresh RSA key in Google's JSON shape."""

from __future__ import annotations

import json
from pathlib import Path


def write_service_account_key(
    path: Path, *, token_uri: str, project: str, key_id: str, email: str, client_id: str
) -> Path:
    """A real service-account JSON key at ``path`` whose ``token_uri`` is the emulator's."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()
    info = {
        "type": "service_account",
        "project_id": project,
        "private_key_id": key_id,
        "private_key": pem,
        "client_email": email,
        "client_id": client_id,
        "token_uri": token_uri,
    }
    path.write_text(json.dumps(info))
    return path
