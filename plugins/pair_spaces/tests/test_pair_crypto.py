"""Encryption at rest: owner-only key file, sealed columns, authenticated, rotation re-seals all."""

import os
import stat

import pytest
from forum_pair_spaces.models import Message
from forum_pair_spaces.services.keys import sealed_columns
from pair_kit import fill_space, rows
from sqlalchemy import Text, select, type_coerce

from forum.sdk import db
from forum.testing import crypto


def _raw_values():
    out = []
    for _table, column, _purpose in sealed_columns():
        out += [v for (v,) in db.session.execute(select(type_coerce(column, Text))) if v]
    return out


def test_key_file_is_generated_once_with_owner_only_permissions(app):
    ring = crypto.keyring("pair")
    mode = stat.S_IMODE(os.stat(ring.path).st_mode)
    assert mode == 0o600
    assert ring.path.parent == crypto.key_dir(app)
    token = ring.encrypt("hello", "p")
    assert ring.decrypt(token, "p") == "hello" and "hello" not in token
    with pytest.raises(crypto.DecryptionError):
        ring.decrypt(token, "another-column")
    tampered = token[:-2] + ("A" if token[-2] != "A" else "B") + token[-1]
    with pytest.raises(crypto.DecryptionError):
        ring.decrypt(tampered, "p")


def test_env_key_is_used(make_app, tmp_path):
    key = crypto.new_key()
    app = make_app(FORUM_PAIR_KEY=key, FORUM_KEYS_DIR=str(tmp_path / "keys"))
    with app.app_context():
        ring = crypto.keyring("pair")
        assert ring.current == crypto.key_id(crypto._b64d(key))
        assert not (tmp_path / "keys" / "pair_keys.json").exists()  # nothing written


def test_space_text_is_sealed_and_rotate_key_reseals_everything(kit, app, make_user):
    pair, mentor, mentee = kit.pair()
    fill_space(kit, pair, mentor, mentee, "ROTCANARY", supervisor=None)
    raw = _raw_values()
    assert raw and all(v.startswith("v1:") and "ROTCANARY" not in v for v in raw)
    old = crypto.keyring("pair").current
    result = app.test_cli_runner().invoke(args=["forum", "pair-spaces", "rotate-key", "--retire"])
    assert result.exit_code == 0, result.output
    assert "ROTCANARY" not in result.output
    ring = crypto.keyring("pair")
    assert ring.current != old and list(ring.keys) == [ring.current]
    assert {crypto.KeyRing.key_id_of(v) for v in _raw_values()} == {ring.current}
    db.session.expire_all()
    assert "ROTCANARY" in rows(Message)[0].body_source
    assert "ROTCANARY-journal-mentee" in kit.get(
        mentee, f"/p/pair_spaces/{pair.id}/journal"
    ).get_data(as_text=True)
