"""Several hosts share one key folder: a key rotated on one host fails no request on another,
and a deployment that would generate a key per host refuses to start."""

import pytest
from flask import Flask
from forum_pair_spaces.models import Message
from forum_pair_spaces.services.keys import sealed_columns
from pair_kit import PairKit, fresh, text_of
from sqlalchemy import Text, select, type_coerce

from forum.sdk import db
from forum.testing import ConfigError, crypto


@pytest.fixture
def shared_keys(tmp_path):
    return tmp_path / "shared-keys"


@pytest.fixture
def app_config(shared_keys):
    return {"FORUM_KEYS_DIR": str(shared_keys)}


def _key_ids_of_messages() -> set[str]:
    """Key ids of every stored message body, read raw (as the database holds them)."""
    db.session.commit()
    column = Message.__table__.c.body_source
    assert column in [c for _t, c, _p in sealed_columns()]
    raw = db.session.execute(select(type_coerce(column, Text))).scalars()
    return {crypto.KeyRing.key_id_of(v) for v in raw if v}


def test_rotating_on_one_host_fails_no_request_on_another(
    app, make_app, make_user, login_as, shared_keys
):
    host_a, host_b = app, make_app(FORUM_KEYS_DIR=str(shared_keys))
    on_a, on_b = PairKit(host_a, make_user, login_as), PairKit(host_b, make_user, login_as)
    pair, mentor, mentee = on_a.pair()
    space = f"/p/pair_spaces/{pair.id}"
    on_a.post(mentor, f"{space}/messages", {"body": "written before the rotation"}, status=303)
    assert "written before the rotation" in text_of(
        on_b.get(mentee, space)
    )  # host B holds the old key
    old = crypto.keyring("pair", host_b).current

    result = host_a.test_cli_runner().invoke(args=["forum", "pair-spaces", "rotate-key"])
    assert result.exit_code == 0, result.output
    new = crypto.keyring("pair", host_a).current
    assert new != old and crypto.keyring("pair", host_b).current == old  # B has not noticed yet

    on_a.post(mentor, f"{space}/messages", {"body": "sealed with the new key"}, status=303)
    assert _key_ids_of_messages() == {new}
    page = text_of(
        on_b.get(mentee, space)
    )  # no restart: B meets the new key id and re-reads the file
    assert "sealed with the new key" in page and "written before the rotation" in page
    assert crypto.keyring("pair", host_b).current == new

    on_b.post(mentee, f"{space}/messages", {"body": "answered from host B"}, status=303)
    assert _key_ids_of_messages() == {new}  # B seals with the new key too
    assert len(fresh(Message, Message.pair_id == pair.id)) == 3
    assert "answered from host B" in text_of(on_a.get(mentor, space))


def test_a_host_writing_after_a_rotation_elsewhere_seals_with_the_new_key(
    app, make_app, shared_keys
):
    host_b = make_app(FORUM_KEYS_DIR=str(shared_keys))
    with host_b.app_context():
        before = crypto.encrypt("pair", "x", "p")
    crypto.rotate("pair", app)
    with host_b.app_context():
        after = crypto.encrypt("pair", "y", "p")
        assert crypto.decrypt("pair", before, "p") == "x"
    assert crypto.KeyRing.key_id_of(after) == crypto.keyring("pair", app).current
    assert crypto.KeyRing.key_id_of(before) != crypto.KeyRing.key_id_of(after)


def _site(**config) -> Flask:
    site = Flask("site")
    site.config.update(
        {
            "SQLALCHEMY_DATABASE_URI": "postgresql+psycopg://db.internal/forum",
            "FORUM_TEST_TMP": None,
        }
        | config
    )
    return site


def test_on_postgresql_a_per_host_pair_key_refuses_to_start(monkeypatch, tmp_path):
    monkeypatch.delenv("FORUM_PAIR_KEY", raising=False)
    with pytest.raises(ConfigError, match="FORUM_PAIR_KEY"):
        crypto.require_shared_key("pair", _site())
    crypto.require_shared_key("pair", _site(FORUM_PAIR_KEY=crypto.new_key()))
    crypto.require_shared_key("pair", _site(FORUM_KEYS_DIR=str(tmp_path)))
    crypto.require_shared_key("pair", _site(TESTING=True))
    crypto.require_shared_key("pair", _site(SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path}/f.db"))
    monkeypatch.setenv("FORUM_PAIR_KEY", crypto.new_key())
    crypto.require_shared_key("pair", _site())


def test_the_plugin_checks_its_key_when_the_app_is_built(monkeypatch, tmp_path):
    from forum.testing import create_app

    for name in ("FORUM_PAIR_KEY", "FORUM_KEYS_DIR", "DATABASE_URL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("FORUM_INSTANCE_PATH", str(tmp_path))
    with pytest.raises(ConfigError, match="FORUM_PAIR_KEY"):
        create_app(
            {
                "SECRET_KEY": "shared",
                "SQLALCHEMY_DATABASE_URI": "postgresql+psycopg://db.internal/forum",
            }
        )
    assert not (tmp_path / "pair_keys.json").exists()
