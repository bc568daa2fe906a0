"""Real servers for the durability and multi-process tests: gunicorn processes and a tiny HTTP
client (http.client, one connection per request, cookies kept by hand)."""

from __future__ import annotations

import http.client
import os
import re
import signal
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import pytest
import redis

ROOT = Path(__file__).resolve().parents[1]
GUNICORN = Path(sys.executable).with_name("gunicorn")


@contextmanager
def spare_redis_database(number: int):
    """Redis database ``number`` of ``FORUM_TEST_REDIS`` (default the local server) for one test
    module's servers, emptied before and after; skips the test when there is no Redis."""
    url = os.environ.get("FORUM_TEST_REDIS", "redis://127.0.0.1:6379") + f"/{number}"
    client = redis.Redis.from_url(url)
    try:
        client.ping()
    except redis.ConnectionError:
        pytest.skip("no Redis at " + url)
    client.flushdb()
    try:
        yield url
    finally:
        client.flushdb()
        client.close()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """``gunicorn forum.wsgi:app`` with ``workers`` processes on a free port; ``config`` is a
    gunicorn config file (its settings apply except the ones given here), ``host`` the Host
    header the start-up probe sends."""

    def __init__(
        self,
        database_url: str,
        tmp_path: Path,
        workers: int = 3,
        config: Path | None = None,
        host: str | None = None,
        **env,
    ):
        self.port = free_port()
        self.workers = workers
        self.config, self.host = config, host
        instance = tmp_path / f"instance-{self.port}"
        instance.mkdir(parents=True, exist_ok=True)
        # (every server of a test is another "host": they share the secret and the key folder)
        self.env = {
            **os.environ,
            "DATABASE_URL": database_url,
            "SECRET_KEY": "test-secret-key",
            "FORUM_KEYS_DIR": str(tmp_path / "keys"),
            "FORUM_INSTANCE_PATH": str(instance),
            "FORUM_RATELIMIT": "0",
            **env,
        }
        self.env.pop("FLASK_DEBUG", None)
        self.log = tmp_path / f"gunicorn-{self.port}.log"
        self.proc: subprocess.Popen | None = None

    def start(self, timeout: float = 60) -> Server:
        return self.launch().wait_ready(timeout)

    def launch(self) -> Server:
        """Start gunicorn without waiting (several servers then boot side by side)."""
        with self.log.open("ab") as log:
            self.proc = subprocess.Popen(
                [
                    str(GUNICORN),
                    *(["-c", str(self.config)] if self.config else []),
                    "-w",
                    str(self.workers),
                    "-b",
                    f"127.0.0.1:{self.port}",
                    "--timeout",
                    "60",
                    "--graceful-timeout",
                    "5",
                    "forum.wsgi:app",
                ],
                cwd=ROOT,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        return self

    def wait_ready(self, timeout: float = 60) -> Server:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"gunicorn exited: {self.log.read_text()[-2000:]}")
            try:
                if (
                    request(self.port, "GET", "/login", {"Host": self.host} if self.host else None)[
                        0
                    ]
                    == 200
                ):
                    return self
            except OSError:
                time.sleep(0.2)
        raise RuntimeError(f"gunicorn did not start: {self.log.read_text()[-2000:]}")

    def kill(self) -> None:
        """SIGKILL the whole process group: master and workers, mid-request, no cleanup."""
        if self.proc is not None and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(10)

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                self.kill()


def request(
    port: int,
    method: str,
    path: str,
    headers: dict | None = None,
    body: bytes | None = None,
    timeout: float = 30,
    source: str | None = None,
) -> tuple[int, dict, str]:
    """One request to 127.0.0.1:``port``, sent from the local address ``source`` if given (any
    127.x.y.z: a client address of its own)."""
    conn = http.client.HTTPConnection(
        "127.0.0.1", port, timeout=timeout, source_address=(source, 0) if source else None
    )
    try:
        conn.request(method, path, body=body, headers=headers or {})
        response = conn.getresponse()
        data = response.read().decode("utf-8", "replace")
        return (
            response.status,
            {k.lower(): v for k, v in response.getheaders()}
            | {"set-cookie-all": response.headers.get_all("Set-Cookie") or []},
            data,
        )
    finally:
        conn.close()


class Browser:
    """Cookies and CSRF tokens across requests to one server, like a browser tab; ``host`` is the
    Host header it sends, ``source`` the local address it connects from (see ``request``)."""

    def __init__(
        self,
        port: int,
        cookies: dict | None = None,
        host: str | None = None,
        source: str | None = None,
    ):
        self.port, self.cookies = port, dict(cookies or {})
        self.host, self.source = host, source

    def _headers(self, extra=None) -> dict:
        headers = (
            {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
            if self.cookies
            else {}
        )
        if self.host:
            headers["Host"] = self.host
        return headers | (extra or {})

    def _keep(self, headers):
        for cookie in headers["set-cookie-all"]:
            name, _, rest = cookie.partition("=")
            self.cookies[name] = rest.split(";", 1)[0]

    def get(self, path):
        status, headers, body = request(self.port, "GET", path, self._headers(), source=self.source)
        self._keep(headers)
        return status, headers, body

    def post(self, path, fields: dict, headers: dict | None = None):
        from urllib.parse import urlencode

        status, headers, body = request(
            self.port,
            "POST",
            path,
            self._headers({"Content-Type": "application/x-www-form-urlencoded"} | (headers or {})),
            urlencode(fields).encode(),
            source=self.source,
        )
        self._keep(headers)
        return status, headers, body

    def csrf_token(self, path) -> str:
        status, _h, body = self.get(path)
        assert status == 200, (path, status)
        return (
            re.search(
                r'name="csrf_token" type="hidden" value="([^"]+)"|name="csrf_token" value="([^"]+)"',
                body,
            )
            .group(0)
            .rsplit('value="', 1)[1]
            .rstrip('"')
        )


def session_cookie(app, user) -> dict:
    """A signed session cookie for ``user``, as the login form would have set it."""
    serializer = app.session_interface.get_signing_serializer(app)
    return {
        app.config["SESSION_COOKIE_NAME"]: serializer.dumps(
            {"_user_id": user.get_id(), "_fresh": True}
        )
    }
