"""The README's first command, served the way a newcomer gets it: ``make run``'s own commands
(migrate, seed the demo, then ``flask run``, threaded), read by many readers at once.

The recipe is read from the Makefile, so this test follows it when it changes; only the port
and the instance folder differ (a free port, a temporary folder)."""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from servers import Browser, free_port, request

from forum import crypto
from forum.testing import fresh_postgres_database

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
POOL_ERRORS = ("QueuePool limit", "TimeoutError", "Traceback", "too many clients")

pytestmark = pytest.mark.slow


def run_recipe() -> list[list[str]]:
    """The commands of the Makefile's ``run`` target, as argument lists."""
    recipe = re.search(r"^run:.*\n((?:\t.*\n)+)", (ROOT / "Makefile").read_text(), re.M).group(1)
    return [shlex.split(line.strip().replace("$(BIN)/", f"{BIN}/")) for line in recipe.splitlines()]


@pytest.fixture
def server_database():
    """SQLite by default (the newcomer's case); a fresh PostgreSQL database when the suite runs
    on PostgreSQL."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql")):
        yield None
        return
    with fresh_postgres_database(url) as fresh:
        yield fresh


SERVERS = {
    "flask run (make run)": None,  # the recipe's own last line
    "gunicorn sync": ["gunicorn", "-w", "2", "-b", "127.0.0.1:5000", "forum.wsgi:app"],
    "gunicorn gthread": [
        "gunicorn",
        "-w",
        "2",
        "-k",
        "gthread",
        "--threads",
        "8",
        "-b",
        "127.0.0.1:5000",
        "forum.wsgi:app",
    ],
}


@pytest.fixture(params=list(SERVERS))
def readme_server(request, tmp_path, server_database):
    """The demo forum set up by ``make run``'s recipe, served by each server people run."""
    port = free_port()
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("FORUM_", "FLASK_", "DATABASE_URL"))
    }
    env |= {"FLASK_APP": "forum", "FORUM_INSTANCE_PATH": str(tmp_path / "instance")}
    if server_database:  # several hosts share PostgreSQL: keys must not be generated per host
        env |= {
            "DATABASE_URL": server_database,
            "SECRET_KEY": "readme-server-secret",
            "FORUM_PAIR_KEY": crypto.new_key(),
        }
    *setup, serve = run_recipe()
    assert serve[:2] == [f"{BIN}/flask", "run"], serve
    for command in setup:
        subprocess.run(command, cwd=ROOT, env=env, check=True, capture_output=True, timeout=300)
    if SERVERS[request.param]:
        serve = [str(BIN / SERVERS[request.param][0]), *SERVERS[request.param][1:]]
    serve = [arg.replace("5000", str(port)) for arg in serve]
    log = tmp_path / "server.log"
    with log.open("wb") as out:
        proc = subprocess.Popen(serve, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    try:
        _wait_until_serving(port, proc, log)
        yield port, log
    finally:
        proc.terminate()
        proc.wait(15)


def _wait_until_serving(port, proc, log, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert proc.poll() is None, log.read_text()[-3000:]
        try:
            request(port, "GET", "/login")
            return
        except OSError:
            time.sleep(0.2)
    raise AssertionError(f"flask run did not answer: {log.read_text()[-3000:]}")


def reader_paths(port) -> list[str]:
    """The pages a reader clicks through: home, every thread and part linked from it, a feed."""
    status, _h, home = request(port, "GET", "/")
    assert status == 200
    threads = sorted(set(re.findall(r'href="(/c/[^"/?#]+)"', home)))
    assert threads, "the home page links no thread"
    parts = []
    for thread in threads[:3]:
        parts += re.findall(r'href="(/c/[^"?#]+/part/\d+)"', request(port, "GET", thread)[2])
    assert parts, "no thread links a part"
    return ["/", *threads, *sorted(set(parts)), "/search?q=trust", "/feeds/site.atom"]


def test_the_readme_server_keeps_answering_readers(readme_server):
    port, log = readme_server
    paths = reader_paths(port)
    guest_urls = [paths[i % len(paths)] for i in range(500)]
    with ThreadPoolExecutor(16) as pool:
        statuses = list(pool.map(lambda path: (path, request(port, "GET", path)[0]), guest_urls))
    assert [s for s in statuses if s[1] != 200] == []

    reader = Browser(port)
    token = reader.csrf_token("/login")
    status, headers, _ = reader.post(
        "/login", {"csrf_token": token, "username": "reader", "password": "demo-reader-password"}
    )
    assert status == 302, "the demo reader could not log in"
    member_urls = [paths[i % len(paths)] for i in range(100)]
    with ThreadPoolExecutor(16) as pool:
        answers = list(
            pool.map(
                lambda path: (path, request(port, "GET", path, reader._headers())), member_urls
            )
        )
    assert [(p, a[0]) for p, a in answers if a[0] != 200] == []
    assert all("Log out" in a[2] for p, a in answers if not p.startswith("/feeds/")), (
        "served as a guest"
    )
    text = log.read_text(errors="replace")
    assert not [e for e in POOL_ERRORS if e in text], text[-3000:]
