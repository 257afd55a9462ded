"""Natural persons' ID numbers at rest: AES-256-GCM ciphertext plus an HMAC blind index.

The ciphertext is what is stored; the blind index (HMAC-SHA256 of the normalised number) allows an
exact lookup without decrypting every row. Both keys are derived with HKDF from one secret,
`settings.DATA_KEY` (CHENGXIN_DATA_KEY, or a key file generated for the embedded default).
Wherever a number is shown it is masked unless the viewer's role may reveal it, and every full
view is written to the audit log (`reveal_id_number`).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
from functools import lru_cache
from typing import Any

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings

from chengxin.core import auditing, permissions
from chengxin.core.identifiers import mask_id_number, normalise

VERSION = "v1"


@lru_cache(maxsize=4)
def _keys(secret: str) -> tuple[AESGCM, bytes]:
    material = HKDF(
        algorithm=hashes.SHA256(), length=64, salt=b"chengxin-personal-data", info=b"v1"
    ).derive(secret.encode())
    return AESGCM(material[:32]), material[32:]


def encrypt(plaintext: str) -> str:
    """`v1:<base64(nonce || ciphertext+tag)>`; a fresh 96-bit nonce each time."""
    cipher, _ = _keys(settings.DATA_KEY)
    nonce = os.urandom(12)
    sealed = cipher.encrypt(nonce, plaintext.encode(), VERSION.encode())
    return f"{VERSION}:{base64.b64encode(nonce + sealed).decode()}"


def decrypt(token: str) -> str:
    version, _, payload = token.partition(":")
    if version != VERSION:
        raise ValueError(f"Unknown ciphertext version {version!r}")
    cipher, _ = _keys(settings.DATA_KEY)
    raw = base64.b64decode(payload)
    return cipher.decrypt(raw[:12], raw[12:], VERSION.encode()).decode()


def blind_index(value: str) -> str:
    """HMAC-SHA256 of the normalised value: equal numbers, equal index; nothing else leaks."""
    _, key = _keys(settings.DATA_KEY)
    return hmac.new(key, normalise(value).encode(), hashlib.sha256).hexdigest()


# --- an explicitly given key (key rotation: operations/management/commands/rotate_data_key.py) -----


def encrypt_with(secret: str, plaintext: str) -> str:
    """`encrypt` under `secret` instead of settings.DATA_KEY."""
    cipher, _ = _keys(secret)
    nonce = os.urandom(12)
    sealed = cipher.encrypt(nonce, plaintext.encode(), VERSION.encode())
    return f"{VERSION}:{base64.b64encode(nonce + sealed).decode()}"


def decrypt_with(secret: str, token: str) -> str:
    """`decrypt` under `secret`; raises cryptography's InvalidTag when `token` is not under it."""
    version, _, payload = token.partition(":")
    if version != VERSION:
        raise ValueError(f"Unknown ciphertext version {version!r}")
    cipher, _ = _keys(secret)
    raw = base64.b64decode(payload)
    return cipher.decrypt(raw[:12], raw[12:], VERSION.encode()).decode()


def blind_index_with(secret: str, value: str) -> str:
    """`blind_index` under `secret`."""
    _, key = _keys(secret)
    return hmac.new(key, normalise(value).encode(), hashlib.sha256).hexdigest()


class EncryptedIdNumberMixin:
    """For a model with `id_number_ciphertext`, `id_number_index` and `id_number_masked` fields."""

    id_number_ciphertext: str
    id_number_index: str
    id_number_masked: str

    def set_id_number(self, value: str) -> None:
        value = normalise(value)
        self.id_number_ciphertext = encrypt(value) if value else ""
        self.id_number_index = blind_index(value) if value else ""
        self.id_number_masked = mask_id_number(value)

    def reveal_id_number(self, viewer: Any) -> str:
        """The full number for a viewer whose role allows it; the view is audited.

        Raises PermissionError for anyone else: the masked value is always available instead.
        """
        if not permissions.can(viewer, permissions.REVEAL, self):  # type: ignore[arg-type]
            raise PermissionError("This role may not see full ID numbers.")
        auditing.record_sensitive_read(self, "id_number", actor=viewer)  # type: ignore[arg-type]
        return decrypt(self.id_number_ciphertext) if self.id_number_ciphertext else ""
