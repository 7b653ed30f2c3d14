"""AES-256-GCM sealing of secrets at rest (Plex tokens, API keys, webhook secrets).

An envelope is `mn1.<key id>.<base64url(nonce || ciphertext+tag)>`. Every seal uses a fresh random 96-bit
nonce and associated data naming what the value is for and which row holds it (for example
`service_config.api_key:overseerr`), so a ciphertext copied to another row or column fails to open.
The key id says which key sealed it, so keys can rotate: the first configured key seals, any opens.
"""

from __future__ import annotations

import base64
import os
from collections.abc import Sequence

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

PREFIX = "mn1"
NONCE_BYTES = 12


class CryptoError(Exception):
    """A value could not be opened: unknown key, tampered, or sealed for another purpose."""


def _b64e(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _b64d(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def aad(purpose: str, row_id: object) -> bytes:
    """Associated data binding a value to its purpose (`table.column`) and its row."""
    return f"{purpose}:{row_id}".encode()


class Sealer:
    def __init__(self, keys: Sequence[tuple[str, bytes]]) -> None:
        if not keys:
            raise ValueError("at least one encryption key is required")
        self._keys = {kid: AESGCM(key) for kid, key in keys}
        self.current_kid = keys[0][0]

    def seal(self, plaintext: str, associated_data: bytes) -> str:
        nonce = os.urandom(NONCE_BYTES)
        ciphertext = self._keys[self.current_kid].encrypt(nonce, plaintext.encode(), associated_data)
        return f"{PREFIX}.{self.current_kid}.{_b64e(nonce + ciphertext)}"

    def open(self, envelope: str, associated_data: bytes) -> str:
        try:
            prefix, kid, body = envelope.split(".", 2)
            raw = _b64d(body)
        except (ValueError, TypeError):
            raise CryptoError("malformed sealed value") from None
        if prefix != PREFIX:
            raise CryptoError("unknown envelope version")
        key = self._keys.get(kid)
        if key is None:
            raise CryptoError(f"sealed with unknown key id {kid!r}")
        if len(raw) < NONCE_BYTES + 16:
            raise CryptoError("malformed sealed value")
        try:
            return key.decrypt(raw[:NONCE_BYTES], raw[NONCE_BYTES:], associated_data).decode()
        except InvalidTag:
            raise CryptoError("sealed value failed authentication") from None

    def key_id(self, envelope: str) -> str:
        return envelope.split(".", 2)[1] if envelope.count(".") >= 2 else ""

    def needs_rotation(self, envelope: str) -> bool:
        return self.key_id(envelope) != self.current_kid

    def reseal(self, envelope: str, associated_data: bytes) -> str:
        return self.seal(self.open(envelope, associated_data), associated_data)


def generate_key() -> str:
    """A new random key, base64 as MEDIANEST_ENCRYPTION_KEYS expects it."""
    return base64.b64encode(os.urandom(32)).decode()
