"""Encryption at rest for health data: column types that encrypt on write and decrypt on read.

Keys are Fernet keys (AES-128-CBC + HMAC-SHA256) from the environment, newest first. The first key
encrypts; every key decrypts, so keys can be rotated: add a new key in front, run
``gutbot rotate-keys`` to re-encrypt every row with it, then drop the old key.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from collections.abc import Sequence
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from sqlalchemy import Text
from sqlalchemy.types import TypeDecorator


class EncryptionKeyError(Exception):
    """No usable key is configured, or a stored value was written with an unknown key."""


_cipher: MultiFernet | None = None
#: The newest key's signing half: the secret behind ``pseudonym``.
_pseudonym_key: bytes | None = None


def generate_key() -> str:
    """A new random key (URL-safe base64, 32 bytes)."""
    return Fernet.generate_key().decode("ascii")


def configure_keys(keys: Sequence[str]) -> None:
    """Set the keys for this process, newest first (raises on a malformed key)."""
    global _cipher, _pseudonym_key
    cleaned = [k.strip() for k in keys if k and k.strip()]
    if not cleaned:
        raise EncryptionKeyError("no encryption key given")
    try:
        _cipher = MultiFernet([Fernet(k.encode("ascii")) for k in cleaned])
        signing = base64.urlsafe_b64decode(cleaned[0].encode("ascii"))[:16]
        _pseudonym_key = hmac.new(signing, b"gutbot pseudonyms", hashlib.sha256).digest()
    except (ValueError, TypeError) as exc:
        raise EncryptionKeyError(
            "an encryption key is malformed: each must be 32 url-safe base64-encoded bytes "
            "(make one with `gutbot new-key`)"
        ) from exc


def _active() -> MultiFernet:
    if _cipher is None:
        raise EncryptionKeyError(
            "encryption keys are not configured (storage.crypto.configure_keys)"
        )
    return _cipher


def pseudonym(kind: str, value: int | str) -> int:
    """A keyed hash of an identifier (a Telegram id), as a positive 63-bit number.

    For rows that must be found by who they belong to without holding who that is (the per-minute
    message counts). Keyed with the newest encryption key, so the database alone does not tell the
    identifier; a key rotation starts new pseudonyms, which only resets counters that live minutes.
    """
    key = _pseudonym_key
    if key is None:
        raise EncryptionKeyError(
            "encryption keys are not configured (storage.crypto.configure_keys)"
        )
    digest = hmac.new(key, f"{kind}:{value}".encode(), hashlib.sha256).digest()
    return int.from_bytes(digest[:8], "big") >> 1


def encrypt_bytes(data: bytes) -> str:
    """Encrypt with the newest key."""
    return _active().encrypt(data).decode("ascii")


def decrypt_bytes(token: str) -> bytes:
    """Decrypt with whichever configured key wrote the value."""
    try:
        return _active().decrypt(token.encode("ascii"))
    except InvalidToken as exc:
        raise EncryptionKeyError(
            "a stored value cannot be decrypted with the configured keys"
        ) from exc


def rotate_token(token: str) -> str:
    """Re-encrypt a stored value with the newest key."""
    return _active().rotate(token.encode("ascii")).decode("ascii")


class _Encrypted(TypeDecorator[Any]):
    impl = Text
    cache_ok = True

    def dump(self, value: Any) -> bytes:
        raise NotImplementedError

    def load(self, data: bytes) -> Any:
        raise NotImplementedError

    def process_bind_param(self, value: Any, dialect: Any) -> str | None:
        if value is None:
            return None
        return encrypt_bytes(self.dump(value))

    def process_result_value(self, value: Any, dialect: Any) -> Any:
        if value is None:
            return None
        return self.load(decrypt_bytes(value))


class EncryptedJSON(_Encrypted):
    """A JSON document, encrypted."""

    cache_ok = True

    def dump(self, value: Any) -> bytes:
        return json.dumps(value, separators=(",", ":"), ensure_ascii=False).encode("utf-8")

    def load(self, data: bytes) -> Any:
        return json.loads(data)


class EncryptedText(_Encrypted):
    """Free text, encrypted."""

    cache_ok = True

    def dump(self, value: Any) -> bytes:
        return str(value).encode("utf-8")

    def load(self, data: bytes) -> str:
        return data.decode("utf-8")


class EncryptedInt(_Encrypted):
    """A small number (a symptom score), encrypted."""

    cache_ok = True

    def dump(self, value: Any) -> bytes:
        return str(int(value)).encode("ascii")

    def load(self, data: bytes) -> int:
        return int(data)


class EncryptedBytes(_Encrypted):
    """Raw bytes (an upload waiting for its second half), encrypted."""

    cache_ok = True

    def dump(self, value: Any) -> bytes:
        return bytes(value)

    def load(self, data: bytes) -> bytes:
        return data


def load_or_create_key_file(path: str) -> str:
    """The key in ``path``, creating it (readable by the owner only) when it does not exist.

    For a single machine without a configured key: production sets DATA_ENCRYPTION_KEYS instead.
    """
    import os
    from pathlib import Path

    key_path = Path(path)
    if key_path.exists():
        return key_path.read_text(encoding="ascii").strip()
    key_path.parent.mkdir(parents=True, exist_ok=True)
    key = generate_key()
    fd = os.open(key_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as handle:
        handle.write(key + "\n")
    return key
