"""A small Atom (RFC 4287) builder on ``xml.etree``: text is escaped by the serialiser."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from xml.etree import ElementTree as ET

ATOM_NS = "http://www.w3.org/2005/Atom"
EPOCH = datetime(2026, 1, 1, tzinfo=UTC)


def rfc3339(dt: datetime | None) -> str:
    dt = (dt or EPOCH).astimezone(UTC).replace(microsecond=0)
    return dt.isoformat().replace("+00:00", "Z")


@dataclass
class Entry:
    id: str
    title: str
    url: str
    published: datetime
    updated: datetime
    author_name: str
    content_html: str
    author_uri: str | None = None
    summary: str = ""
    category: str | None = None


@dataclass
class Feed:
    id: str
    title: str
    self_url: str
    page_url: str
    subtitle: str = ""
    entries: list[Entry] = field(default_factory=list)
    fallback_updated: datetime | None = None

    @property
    def updated(self) -> datetime:
        dates = [e.updated for e in self.entries]
        return max(dates) if dates else (self.fallback_updated or EPOCH)


def _sub(parent, tag: str, text: str | None = None, **attrs) -> ET.Element:
    el = ET.SubElement(parent, f"{{{ATOM_NS}}}{tag}", {k: v for k, v in attrs.items() if v is not None})
    if text is not None:
        el.text = text
    return el


def render(feed: Feed) -> bytes:
    """The feed as UTF-8 XML bytes with an XML declaration."""
    ET.register_namespace("", ATOM_NS)
    root = ET.Element(f"{{{ATOM_NS}}}feed")
    _sub(root, "id", feed.id)
    _sub(root, "title", feed.title)
    if feed.subtitle:
        _sub(root, "subtitle", feed.subtitle)
    _sub(root, "updated", rfc3339(feed.updated))
    _sub(root, "link", rel="self", type="application/atom+xml", href=feed.self_url)
    _sub(root, "link", rel="alternate", type="text/html", href=feed.page_url)
    _sub(root, "generator", "Mentorship Forum")
    author = _sub(root, "author")
    _sub(author, "name", "Mentorship Forum")
    for entry in feed.entries:
        el = _sub(root, "entry")
        _sub(el, "id", entry.id)
        _sub(el, "title", entry.title)
        _sub(el, "link", rel="alternate", type="text/html", href=entry.url)
        _sub(el, "published", rfc3339(entry.published))
        _sub(el, "updated", rfc3339(entry.updated))
        who = _sub(el, "author")
        _sub(who, "name", entry.author_name)
        if entry.author_uri:
            _sub(who, "uri", entry.author_uri)
        if entry.category:
            _sub(el, "category", term=entry.category)
        if entry.summary:
            _sub(el, "summary", entry.summary)
        _sub(el, "content", entry.content_html, type="html")
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)
