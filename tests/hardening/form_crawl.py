"""Find every form the site shows: walk each role's pages (one page per endpoint) and read the
``<form>`` elements, so the hostile-text test fills what people can really fill in."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urlsplit

from werkzeug.exceptions import HTTPException

TEXT_INPUTS = {"text", "search", "email", "url", "password", "tel", "hidden", ""}
SKIP_LINKS = ("/static/", "/feeds/", "/logout", "/api/", "/p/pair_spaces/static", "/p/qa/static")


@dataclass
class Form:
    role: str
    method: str
    action: str
    endpoint: str
    text_fields: list[str] = field(default_factory=list)
    fixed: list[tuple[str, str]] = field(default_factory=list)  # selects, checked boxes, a submit


class _PageParser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.forms: list[dict] = []
        self._form: dict | None = None
        self._select: str | None = None
        self._submitted = False

    def handle_starttag(self, tag, attrs):
        a = {k: v or "" for k, v in attrs}
        if tag == "a" and a.get("href"):
            self.links.append(a["href"])
        elif tag == "form":
            self._form = {
                "method": a.get("method", "get").lower(),
                "action": a.get("action", ""),
                "text": [],
                "fixed": [],
                "also": [],
            }
            self._submitted = False
            self.forms.append(self._form)
        elif self._form is not None and a.get("formaction"):
            self._form["also"].append(a["formaction"])  # a button posting the form elsewhere
        elif self._form is not None and a.get("name"):
            self._field(tag, a)
        elif tag == "option" and self._form is not None and self._select:
            self._form["fixed"].append((self._select, a.get("value", "")))
            self._select = None  # the first option only

    def _field(self, tag, a):
        name, kind = a["name"], a.get("type", "").lower()
        if tag == "textarea" or (tag == "input" and kind in TEXT_INPUTS and name != "csrf_token"):
            self._form["text"].append(name)
        elif tag == "select":
            self._select = name
        elif tag == "input" and kind in ("checkbox", "radio") and "checked" in a:
            self._form["fixed"].append((name, a.get("value", "on")))
        elif kind == "submit" or tag == "button":
            if not self._submitted:
                self._form["fixed"].append((name, a.get("value", "")))
                self._submitted = True

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None


def _endpoint(adapter, path: str, method: str) -> str | None:
    try:
        return adapter.match(path, method=method)[0]
    except HTTPException:
        return None
    except Exception:  # RequestRedirect and friends
        return None


def crawl(
    app, client, role: str, seeds: list[str], max_pages: int = 80
) -> tuple[list[Form], list[str]]:
    """The forms found on ``role``'s pages and the pages visited (one per endpoint)."""
    adapter = app.url_map.bind("localhost")
    queue, seen_endpoints, visited, pages, forms = list(seeds), set(), set(), [], []
    seeds = set(seeds)  # each visited; other links once per endpoint
    while queue and len(pages) < max_pages:
        url = queue.pop(0)
        path = urlsplit(url).path
        endpoint = _endpoint(adapter, path, "GET")
        if (
            endpoint is None
            or path.startswith(SKIP_LINKS)
            or url in visited
            or (endpoint in seen_endpoints and url not in seeds)
        ):
            continue
        visited.add(url)
        seen_endpoints.add(endpoint)
        response = client.get(url)
        if response.status_code != 200 or response.mimetype != "text/html":
            continue
        pages.append(url)
        parser = _PageParser()
        parser.feed(response.get_data(as_text=True))
        for href in parser.links:
            if href.startswith("/") and not href.startswith("//"):
                queue.append(href.split("#")[0])
        forms += _forms_of(adapter, parser, role, url)
    return forms, pages


def _forms_of(adapter, parser: _PageParser, role: str, url: str) -> list[Form]:
    path, out = urlsplit(url).path, []
    for found in parser.forms:
        method = "POST" if found["method"] == "post" else "GET"
        for raw in [found["action"] or url, *found["also"]]:
            action = urlsplit(raw)
            target = _endpoint(adapter, action.path or path, method)
            if target:
                query = f"?{action.query}" if action.query else ""
                out.append(
                    Form(
                        role,
                        method,
                        (action.path or path) + query,
                        target,
                        found["text"],
                        found["fixed"],
                    )
                )
    return out
