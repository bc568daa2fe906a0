"""Key rotation: re-seal every stored ciphertext of the plugin under a new key."""

from __future__ import annotations

from sqlalchemy import Text, select, type_coerce, update

from forum.sdk import EncryptedText, KeyRing, db, retire_old_keys, rotate_ring
from forum_pair_spaces.models import RING, SPACE_MODELS, GuidanceMessage, GuidanceRequest


def sealed_columns():
    """``(table, column, purpose)`` for every sealed column of the plugin."""
    for model in (*SPACE_MODELS, GuidanceRequest, GuidanceMessage):
        table = model.__table__
        for column in table.columns:
            if isinstance(column.type, EncryptedText):
                yield table, column, column.type.purpose


def rotate_key(retire: bool = False) -> int:
    """Add a new current key, re-seal everything under it, and optionally retire old keys.

    Old keys stay in the key ring until ``retire``, so an interrupted rotation loses nothing.
    Works on raw ciphertext (Core statements), never on decrypted ORM objects.
    """
    ring = rotate_ring(RING)
    changed = 0
    for table, column, purpose in sealed_columns():
        raw = type_coerce(column, Text)
        rows = db.session.execute(
            select(table.c.id, raw.label("v")).where(column.is_not(None))
        ).all()
        for row_id, token in rows:
            if KeyRing.key_id_of(token) == ring.current:
                continue
            fresh = ring.encrypt(ring.decrypt(token, purpose), purpose)
            db.session.execute(
                update(table)
                .where(table.c.id == row_id)
                .values({column.name: type_coerce(fresh, Text)})
            )
            changed += 1
    db.session.commit()
    if retire:
        retire_old_keys(RING)
    return changed
