"""A crawler for the link-walk test: what a reader reaches from the home page by links only."""

from __future__ import annotations

from collections import Counter, deque
from html.parser import HTMLParser
from urllib.parse import urldefrag, urljoin, urlsplit

from werkzeug.exceptions import MethodNotAllowed, NotFound
from werkzeug.routing import RequestRedirect

ORIGIN = "http://localhost"


class _Links(HTMLParser):
    """``<a href>`` targets and the actions of GET forms (a search box is a link with input)."""

    def __init__(self) -> None:
        super().__init__()
        self.targets: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a" and attrs.get("href"):
            self.targets.append(attrs["href"])
        elif tag == "form" and (attrs.get("method") or "get").lower() == "get":
            self.targets.append(attrs.get("action") or "")


def links_in(html: str, page: str) -> list[str]:
    """Same-site paths (with their query, without fragment) that ``html`` at ``page`` links to."""
    parser = _Links()
    parser.feed(html)
    out = []
    for target in parser.targets:
        url = urldefrag(urljoin(ORIGIN + page, target)).url
        parts = urlsplit(url)
        if parts.scheme in ("http", "https") and parts.netloc == "localhost":
            out.append(parts.path + (f"?{parts.query}" if parts.query else ""))
    return out


def walk(app, client, *, pages: int = 1500, per_endpoint: int = 30) -> set[str]:
    """Endpoints that answered 200 to a GET reached by links from ``/``.

    Each endpoint is visited at most ``per_endpoint`` times (a thread's page 2, 3, ... or every
    part add nothing new), so the walk stays small on any seeded site."""
    adapter = app.url_map.bind("localhost")
    queue, seen, visits, reached = deque(["/"]), set(), Counter(), set()
    while queue and len(seen) < pages:
        url = queue.popleft()
        if url in seen:
            continue
        seen.add(url)
        try:
            endpoint, _ = adapter.match(url.partition("?")[0], method="GET")
        except (NotFound, MethodNotAllowed, RequestRedirect):
            continue
        if visits[endpoint] >= per_endpoint:
            continue
        visits[endpoint] += 1
        response = client.get(url)
        if response.status_code != 200:
            continue
        reached.add(endpoint)
        if response.mimetype == "text/html":
            queue.extend(links_in(response.get_data(as_text=True), url))
    return reached
