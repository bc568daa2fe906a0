"""Under gunicorn, as deployed: request ids in JSON log lines, one Date header on a 304."""

import http.client
import json

import pytest
import servers

from forum.extensions import db


@pytest.fixture
def server(app, database_url, tmp_path, make_characteristic):
    make_characteristic(slug="trust", title="Trust")
    db.session.commit()
    started = servers.Server(database_url, tmp_path, workers=1).start()
    yield started
    started.stop()


def _get(port, path, headers):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request("GET", path, headers=headers)
        response = conn.getresponse()
        response.read()
        return response
    finally:
        conn.close()


def test_revalidation_and_request_ids_through_gunicorn(server):
    first = _get(server.port, "/c/trust", {"X-Request-ID": "gunicorn-1"})
    assert first.status == 200 and first.getheader("X-Request-ID") == "gunicorn-1"
    etag = first.getheader("ETag")
    assert etag and len(first.headers.get_all("Date")) == 1
    again = _get(server.port, "/c/trust", {"If-None-Match": etag, "X-Request-ID": "gunicorn-2"})
    assert again.status == 304 and again.getheader("X-Request-ID") == "gunicorn-2"
    assert len(again.headers.get_all("Date")) == 1
    server.stop()
    lines = [
        json.loads(line) for line in server.log.read_text().splitlines() if line.startswith("{")
    ]
    access = {line["request_id"]: line for line in lines if line["logger"] == "forum.access"}
    assert access["gunicorn-1"]["status"] == 200 and access["gunicorn-1"]["path"] == "/c/trust"
    assert access["gunicorn-2"]["status"] == 304
