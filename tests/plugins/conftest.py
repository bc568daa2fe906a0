"""Fixtures for the plugin-layer tests: an app with the kitchen-sink plugin installed."""

import kitchen_sink
import pytest


@pytest.fixture
def ks_app(make_app):
    """The forum plus the kitchen sink (registered as "kitchen_sink", its table migrated)."""
    kitchen_sink.CALLS.clear()
    app = make_app(extra_plugins=[(kitchen_sink.NAME, kitchen_sink)])
    with app.app_context():
        yield app


@pytest.fixture
def app(ks_app):
    """Factories (make_user, make_part, ...) build on the kitchen-sink app in this folder."""
    return ks_app


@pytest.fixture
def calls():
    """Names of the event hooks the kitchen sink saw."""
    return lambda: [name for name, _ in kitchen_sink.CALLS]


@pytest.fixture
def switch(app):
    """``switch(False)`` disables the kitchen sink (committed, as the admin page does)."""
    from forum.extensions import db
    from forum.kernel.state import set_enabled

    def do(enabled, name=kitchen_sink.NAME):
        set_enabled(name, enabled)
        db.session.commit()

    return do
