"""Request ids and JSON log lines: echoed, validated, and carried by every line of a request."""

import json
import logging
import re
import subprocess
import sys
import textwrap

import pytest

from forum.ops.logs import JsonFormatter

HEX_ID = re.compile(r"[0-9a-f]{32}")


@pytest.fixture
def app_config(tmp_path):
    return {"FORUM_PAGE_CACHE": True, "FORUM_PAGE_CACHE_DIR": str(tmp_path / "pages")}


@pytest.fixture
def json_lines(caplog):
    """The captured log as parsed JSON objects (each line must parse)."""
    caplog.set_level(logging.INFO)
    caplog.handler.setFormatter(JsonFormatter())
    return lambda: [json.loads(line) for line in caplog.text.splitlines() if line.strip()]


def test_a_good_request_id_is_echoed(client):
    for good in ("abc-123.DEF_9", "0f" * 16, "x"):
        assert (
            client.get("/healthz", headers={"X-Request-ID": good}).headers["X-Request-ID"] == good
        )


def test_a_bad_request_id_is_replaced(client):
    for bad in ("x" * 65, "has space", "<script>", 'quote"d', "semi;colon", "caf\u00e9", ""):
        echoed = client.get("/healthz", headers={"X-Request-ID": bad}).headers["X-Request-ID"]
        assert echoed != bad and HEX_ID.fullmatch(echoed)


def test_an_id_is_made_when_none_is_sent(client):
    first, second = (client.get("/").headers["X-Request-ID"] for _ in range(2))
    assert HEX_ID.fullmatch(first) and HEX_ID.fullmatch(second) and first != second


def test_a_cached_page_carries_this_requests_id(client):
    client.get("/", headers={"X-Request-ID": "first-one"})
    response = client.get("/", headers={"X-Request-ID": "second-one"})
    assert response.headers["X-Page-Cache"] == "hit"
    assert response.headers.getlist("X-Request-ID") == ["second-one"]


def test_a_line_logged_during_a_request_is_json_with_its_id(app, client, json_lines):
    def noisy():
        logging.getLogger("forum.test").warning("hello from a view")
        return "ok"

    app.add_url_rule("/_test/noisy", "test_noisy", noisy)
    response = client.get("/_test/noisy", headers={"X-Request-ID": "req-42"})
    assert response.headers["X-Request-ID"] == "req-42"
    lines = json_lines()
    said = next(line for line in lines if line["message"] == "hello from a view")
    assert (
        said["request_id"] == "req-42"
        and said["level"] == "WARNING"
        and said["logger"] == "forum.test"
    )
    assert said["method"] == "GET" and said["path"] == "/_test/noisy" and said["timestamp"]
    access = next(line for line in lines if line["logger"] == "forum.access")
    assert (
        access["request_id"] == "req-42"
        and access["status"] == 200
        and access["path"] == "/_test/noisy"
    )


def test_secrets_in_paths_and_query_strings_stay_out_of_the_log(client, json_lines):
    client.get("/account/reset/sekrit-reset-token-123?q=private-words")
    access = [line for line in json_lines() if line["logger"] == "forum.access"]
    assert access and access[-1]["path"] == "/account/reset/<token>"
    text = json.dumps(json_lines())
    assert "sekrit-reset-token-123" not in text and "private-words" not in text


def test_probes_log_no_access_line(client, json_lines):
    client.get("/healthz")
    client.get("/readyz")
    assert not [line for line in json_lines() if line["logger"] == "forum.access"]


SCRIPT = textwrap.dedent("""
    import logging, sys
    if sys.argv[1] == "host-configured":
        logging.basicConfig(level=logging.INFO, format="HOST %(name)s %(message)s")
    from forum import create_app

    app = create_app({"SQLALCHEMY_DATABASE_URI": "sqlite:///" + sys.argv[2], "SECRET_KEY": "x",
                      "FORUM_PAGE_CACHE": False, "FORUM_REQUIRE_2FA": False})

    @app.route("/_log")
    def log_something():
        logging.getLogger("forum.test").warning("hello from a bare process")
        return "ok"

    assert app.test_client().get("/_log", headers={"X-Request-ID": "sub-1"}).status_code == 200
""")


def _run(mode: str, tmp_path) -> list[str]:
    env = {"FORUM_INSTANCE_PATH": str(tmp_path), "PATH": "/usr/bin:/bin", "SECRET_KEY": "x"}
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT, mode, str(tmp_path / "x.sqlite3")],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    return [line for line in done.stderr.splitlines() if line.strip()]


@pytest.mark.slow  # a subprocess: runs in `make test`, not in `make check`
def test_a_bare_process_logs_json_lines_to_stderr(tmp_path):
    lines = [json.loads(line) for line in _run("bare", tmp_path)]  # every line parses
    said = next(line for line in lines if line["message"] == "hello from a bare process")
    assert said["request_id"] == "sub-1" and said["path"] == "/_log"
    access = next(line for line in lines if line["logger"] == "forum.access")
    assert access["status"] == 200 and access["request_id"] == "sub-1"


@pytest.mark.slow  # a subprocess: runs in `make test`, not in `make check`
def test_a_host_that_configured_logging_keeps_its_format(tmp_path):
    lines = _run("host-configured", tmp_path)
    assert "HOST forum.test hello from a bare process" in lines
    assert not any(line.startswith("{") for line in lines)
