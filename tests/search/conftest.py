"""Helpers for the search tests: fire the lifecycle events that keep the index current."""

import pytest

from forum.extensions import db
from forum.kernel.events import emit


@pytest.fixture
def publish():
    """``publish(obj, ...)`` fires ``content_published`` for each object, as the services do."""

    def do(*objects):
        for obj in objects:
            emit("content_published", content=obj)
        db.session.commit()

    return do


@pytest.fixture
def search_page(client):
    """``search_page("words", kind="part")`` returns the results page's HTML (asserts 200)."""

    def do(q, **params):
        response = client.get("/search", query_string={"q": q, **params})
        assert response.status_code == 200, response.data[:500]
        return response.get_data(as_text=True)

    return do
