"""Gunicorn for production: ``gunicorn -c deploy/gunicorn.conf.py forum.wsgi:app`` (docs/deploy.md).

Behind nginx (deploy/nginx-forum.conf), which buffers slow clients, so plain ``sync`` workers
serve each request at full speed. The app is loaded once in the master (``preload_app``) and
forked: workers share its memory and start in milliseconds when ``max_requests`` recycles them.
A command-line option wins over this file (the tests pass ``-b`` and ``-w``).
"""

import json
import multiprocessing
import os

bind = os.environ.get("FORUM_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY") or multiprocessing.cpu_count() * 2 + 1)
worker_class = "sync"
preload_app = True
timeout = 30  # a worker silent this long is killed and replaced
graceful_timeout = 30  # a restart lets requests in flight finish first
max_requests = 2000  # recycle workers now and then: a slow leak never grows without bound
max_requests_jitter = 200
worker_tmp_dir = "/dev/shm"  # heartbeat files in memory, not on a possibly slow disk
proc_name = "forum"
control_socket_disable = True  # gunicorn 27's one per user: two instances on a host would share it

# Only nginx on this host may say which scheme the client used (X-Forwarded-Proto); the client
# address and host it forwards are read by the app itself (FORUM_PROXY_HOPS).
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")

# One JSON object a line on stdout (journald): the path without its query string (tokens and
# search terms stay out of logs) and the request id the app echoes in X-Request-ID.
accesslog = "-"
errorlog = "-"
access_log_format = json.dumps({
    "log": "access", "time": "%(t)s", "client": "%(h)s", "forwarded_for": "%({x-forwarded-for}i)s",
    "method": "%(m)s", "path": "%(U)s", "status": "%(s)s", "bytes": "%(B)s",
    "duration_ms": "%(M)s", "request_id": "%({x-request-id}o)s",
})


def post_fork(server, worker):
    """Each worker opens its own database connections: a socket the master opened while loading
    the app must never be shared by two processes."""
    from forum.extensions import db
    from forum.wsgi import app

    with app.app_context():
        for engine in db.engines.values():
            engine.dispose(close=False)
