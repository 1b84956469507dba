"""Secrets at rest: Fernet with the keys in settings.DRSUI_SECRET_KEYS (newest first).

Encrypting always uses the newest key; decrypting tries every key, so a key is rotated by
putting a new one first and keeping the old one until `manage.py drsui_rotate_keys` has run.
"""

import json
from functools import cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


class SecretUnreadable(Exception):
    """Stored ciphertext that no configured key opens."""


@cache
def _fernet(keys: tuple[str, ...]) -> MultiFernet:
    if not keys:
        raise ImproperlyConfigured("DRSUI_SECRET_KEYS is empty: set at least one Fernet key.")
    return MultiFernet([Fernet(k) for k in keys])


def _current() -> MultiFernet:
    return _fernet(tuple(settings.DRSUI_SECRET_KEYS))


def encrypt_text(plain: str) -> str:
    return _current().encrypt(plain.encode()).decode()


def decrypt_text(token: str) -> str:
    try:
        return _current().decrypt(token.encode()).decode()
    except InvalidToken as exc:
        raise SecretUnreadable("no configured key opens this secret") from exc  # not translated


def encrypt_json(value) -> str:
    return encrypt_text(json.dumps(value, separators=(",", ":")))


def decrypt_json(token: str):
    return json.loads(decrypt_text(token)) if token else {}


def rotate(token: str) -> str:
    """Re-encrypt under the newest key."""
    try:
        return _current().rotate(token.encode()).decode()
    except InvalidToken as exc:
        raise SecretUnreadable("no configured key opens this secret") from exc  # not translated
