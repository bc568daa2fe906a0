"""Debian's nginx run by a test: its own prefix, config, pid and logs in a temporary folder, the
deploy kit's site file (deploy/nginx-forum.conf) included with its ports and upstreams rewritten."""

from __future__ import annotations

import os
import subprocess
import time
from pathlib import Path

from servers import ROOT, free_port, request

NGINX = Path(os.environ.get("FORUM_NGINX", "/usr/sbin/nginx"))
SITE = ROOT / "deploy" / "nginx-forum.conf"
SITE_UPSTREAM = "server 127.0.0.1:8000 max_fails=3 fail_timeout=10s;"

MAIN_CONF = """{user}
worker_processes 1;
pid {tmp}/nginx.pid;
events {{ worker_connections 256; }}
http {{
    access_log {tmp}/access.log;
    client_body_temp_path {tmp}/client_body;
    proxy_temp_path {tmp}/proxy;
    fastcgi_temp_path {tmp}/fastcgi;
    uwsgi_temp_path {tmp}/uwsgi;
    scgi_temp_path {tmp}/scgi;
    # for the test only: which gunicorn answered (inherited: the site adds no headers itself)
    add_header X-Upstream $upstream_addr always;
    include {tmp}/forum.conf;
}}
"""


def site_config(port: int, upstream_ports: list[int]) -> str:
    """The deploy kit's site, listening on 127.0.0.1:``port`` in front of ``upstream_ports``."""
    upstreams = "\n    ".join(SITE_UPSTREAM.replace("8000", str(p)) for p in upstream_ports)
    text = SITE.read_text()
    for old, new in (
        ("listen 80 default_server;", f"listen 127.0.0.1:{port} default_server;"),
        ("listen [::]:80 default_server;", ""),
        ("listen 80;", f"listen 127.0.0.1:{port};"),
        ("listen [::]:80;", ""),
        (SITE_UPSTREAM, upstreams),
    ):
        assert text.count(old) == 1, f"{SITE.name} no longer has {old!r} once: update this test"
        text = text.replace(old, new)
    return text


class Nginx:
    """``nginx -g 'daemon off;'`` on a free port of 127.0.0.1, stopped by ``stop``."""

    def __init__(self, tmp: Path, upstream_ports: list[int], host: str):
        self.tmp, self.port, self.host = tmp, free_port(), host
        tmp.mkdir(parents=True, exist_ok=True)
        (tmp / "forum.conf").write_text(site_config(self.port, upstream_ports))
        user = "user root;" if os.geteuid() == 0 else ""  # temp files stay writable by the worker
        (tmp / "nginx.conf").write_text(MAIN_CONF.format(tmp=tmp, user=user))
        self.proc: subprocess.Popen | None = None

    def start(self, timeout: float = 15) -> Nginx:
        error_log = self.tmp / "error.log"
        self.proc = subprocess.Popen(
            [
                str(NGINX),
                "-p",
                str(self.tmp),
                "-c",
                str(self.tmp / "nginx.conf"),
                "-e",
                str(error_log),
                "-g",
                "daemon off;",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"nginx exited: {error_log.read_text()[-2000:]}")
            try:
                request(self.port, "GET", "/healthz", {"Host": self.host}, timeout=5)
                return self
            except OSError:
                time.sleep(0.1)
        raise RuntimeError(f"nginx did not start: {error_log.read_text()[-2000:]}")

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(5)
