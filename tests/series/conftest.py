import pytest


@pytest.fixture(autouse=True)
def _end_open_transaction(app):
    """Close the test's session before the database is wiped (a read left open would hold it)."""
    yield
    from forum.extensions import db

    db.session.remove()
