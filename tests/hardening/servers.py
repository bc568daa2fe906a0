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
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
GUNICORN = Path(sys.executable).with_name("gunicorn")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """``gunicorn forum.wsgi:app`` with ``workers`` processes on a free port."""

    def __init__(self, database_url: str, tmp_path: Path, workers: int = 3, **env):
        self.port = free_port()
        self.workers = workers
        instance = tmp_path / f"instance-{self.port}"
        instance.mkdir(parents=True, exist_ok=True)
        # (every server of a test is another "host": they share the secret and the key folder)
        self.env = {**os.environ, "DATABASE_URL": database_url, "SECRET_KEY": "test-secret-key",
                    "FORUM_KEYS_DIR": str(tmp_path / "keys"),
                    "FORUM_INSTANCE_PATH": str(instance), "FORUM_RATELIMIT": "0", **env}
        self.env.pop("FLASK_DEBUG", None)
        self.log = tmp_path / f"gunicorn-{self.port}.log"
        self.proc: subprocess.Popen | None = None

    def start(self, timeout: float = 60) -> Server:
        with self.log.open("ab") as log:
            self.proc = subprocess.Popen(
                [str(GUNICORN), "-w", str(self.workers), "-b", f"127.0.0.1:{self.port}", "--timeout", "60",
                 "--graceful-timeout", "5", "forum.wsgi:app"],
                cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"gunicorn exited: {self.log.read_text()[-2000:]}")
            try:
                if request(self.port, "GET", "/login")[0] == 200:
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


def request(port: int, method: str, path: str, headers: dict | None = None, body: bytes | None = None,
            timeout: float = 30) -> tuple[int, dict, str]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        response = conn.getresponse()
        data = response.read().decode("utf-8", "replace")
        return response.status, {k.lower(): v for k, v in response.getheaders()} | {
            "set-cookie-all": response.headers.get_all("Set-Cookie") or []}, data
    finally:
        conn.close()


class Browser:
    """Cookies and CSRF tokens across requests to one server, like a browser tab."""

    def __init__(self, port: int, cookies: dict | None = None):
        self.port, self.cookies = port, dict(cookies or {})

    def _headers(self, extra=None) -> dict:
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())} if self.cookies else {}
        return headers | (extra or {})

    def _keep(self, headers):
        for cookie in headers["set-cookie-all"]:
            name, _, rest = cookie.partition("=")
            self.cookies[name] = rest.split(";", 1)[0]

    def get(self, path):
        status, headers, body = request(self.port, "GET", path, self._headers())
        self._keep(headers)
        return status, headers, body

    def post(self, path, fields: dict):
        from urllib.parse import urlencode

        status, headers, body = request(
            self.port, "POST", path, self._headers({"Content-Type": "application/x-www-form-urlencoded"}),
            urlencode(fields).encode())
        self._keep(headers)
        return status, headers, body

    def csrf_token(self, path) -> str:
        status, _h, body = self.get(path)
        assert status == 200, (path, status)
        return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"|name="csrf_token" value="([^"]+)"',
                         body).group(0).rsplit('value="', 1)[1].rstrip('"')


def session_cookie(app, user) -> dict:
    """A signed session cookie for ``user``, as the login form would have set it."""
    serializer = app.session_interface.get_signing_serializer(app)
    return {app.config["SESSION_COOKIE_NAME"]: serializer.dumps({"_user_id": user.get_id(), "_fresh": True})}
