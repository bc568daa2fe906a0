"""Authenticated encryption at rest (AES-256-GCM) with keys that never enter the database.

A *key ring* is named (``"pair"``): its keys come from the environment variable
``FORUM_<NAME>_KEY`` (urlsafe base64 of 32 bytes; also read from app config) and from an
owner-only (0600) file ``<name>_keys.json`` in the key folder (``FORUM_KEYS_DIR``, else the
instance folder). When neither holds a key, one is generated into the file once.

Every ciphertext carries the id of the key that sealed it (``v1:<kid>:<base64>``), so a rotation
(``rotate``) adds a new current key while older ones still decrypt until everything has been
re-encrypted and ``retire_old_keys`` drops them. ``EncryptedText`` is a column type that seals on
write and opens on read, bound to a ``purpose`` (the AEAD associated data) so a ciphertext copied
into another column does not open.

Several processes or hosts sharing the key folder stay in step without a restart: a ciphertext
with a key id the ring does not know makes it read the file again, and a changed file is read
again before the next encryption, so a rotation on one host fails no request on another.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import secrets
from dataclasses import dataclass, field
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from flask import current_app
from sqlalchemy import Text
from sqlalchemy.types import TypeDecorator

from forum.config import check_shared_secret

PREFIX = "v1"
_EXT_KEY = "forum.crypto.rings"


class DecryptionError(Exception):
    """A ciphertext did not open: unknown key id, tampering, or the wrong purpose."""


def _b64e(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode("ascii").rstrip("=")


def _b64d(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def key_id(key: bytes) -> str:
    """A short public fingerprint of a key (never the key itself)."""
    return hashlib.sha256(b"forum-key-id" + key).hexdigest()[:12]


def new_key() -> str:
    """A fresh 256-bit key, urlsafe base64 (what ``FORUM_<NAME>_KEY`` expects)."""
    return _b64e(secrets.token_bytes(32))


def _parse_key(text: str) -> bytes:
    try:
        key = _b64d(text.strip())
    except (ValueError, TypeError):
        raise ValueError("encryption key is not urlsafe base64") from None
    if len(key) != 32:
        raise ValueError("encryption key must decode to 32 bytes")
    return key


@dataclass
class KeyRing:
    """The keys of one ring: ``current`` seals, every key in ``keys`` opens."""

    name: str
    keys: dict[str, bytes] = field(default_factory=dict)
    current: str = ""
    path: Path | None = None
    stamp: tuple | None = None  # the key file as it was read (see ``_file_stamp``)

    def encrypt(self, plaintext: str, purpose: str) -> str:
        nonce = secrets.token_bytes(12)
        sealed = AESGCM(self.keys[self.current]).encrypt(
            nonce, plaintext.encode("utf-8"), purpose.encode("utf-8")
        )
        return f"{PREFIX}:{self.current}:{_b64e(nonce + sealed)}"

    def decrypt(self, token: str, purpose: str) -> str:
        try:
            prefix, kid, body = token.split(":", 2)
        except ValueError:
            raise DecryptionError("not a ciphertext") from None
        key = self.keys.get(kid)
        if prefix != PREFIX or key is None:
            raise DecryptionError(f"unknown key id {kid!r}")
        raw = _b64d(body)
        try:
            return AESGCM(key).decrypt(raw[:12], raw[12:], purpose.encode("utf-8")).decode("utf-8")
        except InvalidTag:
            raise DecryptionError("ciphertext failed authentication") from None

    @staticmethod
    def key_id_of(token: str | None) -> str | None:
        """The key id a stored ciphertext was sealed with."""
        if not token or token.count(":") < 2:
            return None
        return token.split(":", 2)[1]


def key_dir(app=None) -> Path:
    app = app or current_app
    folder = app.config.get("FORUM_KEYS_DIR")
    if not folder and app.testing and app.config.get("FORUM_TEST_TMP"):
        folder = app.config["FORUM_TEST_TMP"]  # tests never write keys into the real instance
    return Path(folder or app.instance_path)


def _write_file(path: Path, current: str, keys: dict[str, bytes]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    data = json.dumps({"current": current, "keys": {k: _b64e(v) for k, v in keys.items()}})
    tmp = path.with_suffix(".tmp")
    if tmp.exists():
        tmp.unlink()
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as fh:
        fh.write(data)
    os.replace(tmp, path)
    os.chmod(path, 0o600)


def _file_stamp(path: Path | None) -> tuple | None:
    """Identity of the key file's current version: a rotation replaces the file (new inode)."""
    try:
        info = os.stat(path) if path is not None else None
    except OSError:
        return None
    return info and (info.st_ino, info.st_mtime_ns, info.st_size)


def _load(name: str, app) -> KeyRing:
    ring = KeyRing(name=name, path=key_dir(app) / f"{name}_keys.json")
    ring.stamp = _file_stamp(ring.path)
    env_name = f"FORUM_{name.upper()}_KEY"
    env_value = app.config.get(env_name) or os.environ.get(env_name)
    if env_value:
        key = _parse_key(env_value)
        ring.keys[key_id(key)] = key
        ring.current = key_id(key)
    if ring.path.exists():
        data = json.loads(ring.path.read_text())
        for kid, text in data.get("keys", {}).items():
            ring.keys[kid] = _parse_key(text)
        if data.get("current") in ring.keys:
            ring.current = data["current"]  # a rotation recorded in the file wins over the env key
    if not ring.current:
        key = secrets.token_bytes(32)
        if not _create_file(ring.path, key_id(key), {key_id(key): key}):
            return _load(name, app)  # another worker created the key first: use theirs
        ring.current = key_id(key)
        ring.keys[ring.current] = key
    return ring


def _create_file(path: Path, current: str, keys: dict[str, bytes]) -> bool:
    """Create the key file only if absent (atomic ``link``); False when another process won."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as fh:
        fh.write(json.dumps({"current": current, "keys": {k: _b64e(v) for k, v in keys.items()}}))
    try:
        os.link(tmp, path)
        return True
    except FileExistsError:
        return False
    finally:
        os.unlink(tmp)


def keyring(name: str, app=None) -> KeyRing:
    """The app's key ring ``name`` (loaded once per app, or generated on first use)."""
    app = app or current_app._get_current_object()
    rings = app.extensions.setdefault(_EXT_KEY, {})
    if name not in rings:
        rings[name] = _load(name, app)
    return rings[name]


def rotate(name: str, app=None) -> KeyRing:
    """Add a new current key to ring ``name``; old keys stay so existing ciphertexts still open.
    The ring is read afresh first, so a key another host added is never dropped."""
    ring = reload(name, app)
    key = secrets.token_bytes(32)
    ring.keys[key_id(key)] = key
    ring.current = key_id(key)
    _write_file(ring.path, ring.current, ring.keys)
    ring.stamp = _file_stamp(ring.path)
    return ring


def retire_old_keys(name: str, app=None) -> list[str]:
    """Drop every key but the current one (call once nothing is sealed with them any more)."""
    ring = reload(name, app)
    old = [kid for kid in ring.keys if kid != ring.current]
    for kid in old:
        del ring.keys[kid]
    _write_file(ring.path, ring.current, ring.keys)
    ring.stamp = _file_stamp(ring.path)
    return old


def reload(name: str, app=None) -> KeyRing:
    """Read ring ``name`` again: another host or process rotated its key."""
    app = app or current_app._get_current_object()
    ring = app.extensions.setdefault(_EXT_KEY, {})[name] = _load(name, app)
    return ring


def _current_keyring(name: str) -> KeyRing:
    """The ring, re-read if its key file changed since: after a rotation elsewhere, new text is
    sealed with the new current key at once (one ``stat`` per write)."""
    ring = keyring(name)
    if ring.path is not None and _file_stamp(ring.path) != ring.stamp:
        ring = reload(name)
    return ring


def require_shared_key(name: str, app) -> None:
    """Refuse to start a deployment that may run on several hosts (PostgreSQL, not debugging or
    testing) when ring ``name``'s key would be generated on each host for itself: text sealed on
    one host would not open on another."""

    variable = f"FORUM_{name.upper()}_KEY"
    if app.config.get(variable) or os.environ.get(variable) or app.config.get("FORUM_KEYS_DIR"):
        return
    check_shared_secret(
        app.config,
        app.debug,
        (
            f"{variable} is not set. On PostgreSQL the forum may run on several hosts, and a key "
            f"generated into {key_dir(app) / (name + '_keys.json')} would differ from theirs: set "
            f'{variable} (the same key on every host; `python -c "from forum.crypto import new_key; '
            f'print(new_key())"` makes one) or FORUM_KEYS_DIR (a folder every host shares).'
        ),
    )


def encrypt(ring: str, plaintext: str, purpose: str) -> str:
    return _current_keyring(ring).encrypt(plaintext, purpose)


def decrypt(ring: str, token: str, purpose: str) -> str:
    """Open ``token``; a key id this process has not seen means a rotation elsewhere: the ring
    is read again once, so running hosts keep serving while one of them rotates the key."""
    keys = keyring(ring)
    if KeyRing.key_id_of(token) not in keys.keys:
        keys = reload(ring)
    return keys.decrypt(token, purpose)


class EncryptedText(TypeDecorator):
    """A text column stored sealed with ring ``ring``; ``purpose`` binds it to its column."""

    impl = Text
    cache_ok = True

    def __init__(self, ring: str, purpose: str):
        super().__init__()
        self.ring = ring
        self.purpose = purpose

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        return encrypt(self.ring, str(value), self.purpose)

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        return decrypt(self.ring, value, self.purpose)


__all__ = [
    "DecryptionError",
    "EncryptedText",
    "KeyRing",
    "decrypt",
    "encrypt",
    "key_id",
    "keyring",
    "new_key",
    "reload",
    "require_shared_key",
    "retire_old_keys",
    "rotate",
]
