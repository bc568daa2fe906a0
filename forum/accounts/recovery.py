"""Recovery codes: ten single-use codes that stand in for a TOTP code when the phone is lost.

They are shown once, at set-up, and only a salted scrypt hash of each is stored, so the database
does not give them away. A code has 50 random bits, so the scrypt cost can stay modest; it is only
paid when what was typed looks like a recovery code, never for a six-digit TOTP code.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

from sqlalchemy import delete, select, update

from forum.accounts.models import RecoveryCode, User
from forum.db import changed_rows, utcnow
from forum.extensions import db

COUNT = 10
ALPHABET = "abcdefghijkmnpqrstuvwxyz23456789"  # no 0/o, 1/l: easy to copy from paper
LENGTH = 10
SCRYPT = {"n": 2**14, "r": 8, "p": 1, "dklen": 32}


def normalize(code: str) -> str:
    return "".join(ch for ch in (code or "").lower() if ch.isalnum())


def looks_like_one(code: str) -> bool:
    plain = normalize(code)
    return len(plain) == LENGTH and all(ch in ALPHABET for ch in plain)


def _digest(plain: str, salt: bytes) -> bytes:
    return hashlib.scrypt(plain.encode(), salt=salt, maxmem=64 * 1024 * 1024, **SCRYPT)


def hash_code(code: str) -> str:
    salt = secrets.token_bytes(16)
    return f"scrypt${salt.hex()}${_digest(normalize(code), salt).hex()}"


def matches(code: str, stored: str) -> bool:
    _scheme, salt, digest = stored.split("$")
    return hmac.compare_digest(_digest(normalize(code), bytes.fromhex(salt)).hex(), digest)


def _new_code() -> str:
    plain = "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))
    return f"{plain[:5]}-{plain[5:]}"


def issue(user: User) -> list[str]:
    """Replace ``user``'s codes with ten new ones and return them (to show once)."""
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    codes = [_new_code() for _ in range(COUNT)]
    db.session.add_all(RecoveryCode(user_id=user.id, code_hash=hash_code(c)) for c in codes)
    return codes


def use(user: User, code: str) -> bool:
    """Spend ``code`` if it is one of ``user``'s unused codes (the caller commits)."""
    if not looks_like_one(code):
        return False
    unused = db.session.scalars(
        select(RecoveryCode).where(RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None))
    )
    for stored in unused.all():
        if matches(code, stored.code_hash):
            return _spend(stored.id)
    return False


def _spend(code_id: int) -> bool:
    """Mark one code used, only if it still was not: two logins racing with it, one wins."""
    spent = db.session.execute(
        update(RecoveryCode)
        .where(RecoveryCode.id == code_id, RecoveryCode.used_at.is_(None))
        .values(used_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    return changed_rows(spent) == 1


def remaining(user: User) -> int:
    return len(
        db.session.scalars(
            select(RecoveryCode.id).where(
                RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None)
            )
        ).all()
    )


def clear(user: User) -> None:
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
