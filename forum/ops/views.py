"""``/healthz``, ``/readyz``, ``/robots.txt`` and ``/sitemap.xml``.

The probes are polled by load balancers every few seconds: never rate-limited, never cached
(``no-store`` also keeps them out of the page cache), they set no cookie and write nothing.
"""

from __future__ import annotations

from xml.sax.saxutils import escape

from flask import Blueprint, Response, jsonify

from forum.extensions import limiter
from forum.ops import health
from forum.ops.crawlers import robots_txt, sitemap_entries

bp = Blueprint("ops", __name__)

PROBE_PATHS = ("/healthz", "/readyz")


def _probe_response(body: dict, status: int) -> Response:
    response = jsonify(body)
    response.status_code = status
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/healthz")
@limiter.exempt
def healthz():
    """The process answers requests (it checks nothing else: a liveness probe)."""
    return _probe_response({"status": "ok"}, 200)


@bp.route("/readyz")
@limiter.exempt
def readyz():
    """The process can serve: database reachable, schema at the code's heads, Redis reachable."""
    ready, checks = health.readiness()
    return _probe_response(
        {"status": "ok" if ready else "fail", "checks": checks}, 200 if ready else 503
    )


@bp.route("/robots.txt")
def robots():
    return Response(robots_txt(), content_type="text/plain; charset=utf-8")


@bp.route("/sitemap.xml")
def sitemap():
    rows = []
    for entry in sitemap_entries():
        lastmod = (
            f"<lastmod>{entry.lastmod.strftime('%Y-%m-%d')}</lastmod>" if entry.lastmod else ""
        )
        rows.append(f"<url><loc>{escape(entry.loc)}</loc>{lastmod}</url>")
    body = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
        + "\n".join(rows)
        + "\n</urlset>\n"
    )
    return Response(body, content_type="application/xml; charset=utf-8")
