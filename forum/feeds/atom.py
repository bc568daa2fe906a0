"""A small Atom (RFC 4287) builder on ``xml.etree``: text is escaped by the serialiser, and
``sub_element`` drops what XML 1.0 forbids, so no stored text can make a feed ill-formed."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from xml.etree import ElementTree as ET

from forum.content.text_rules import xml_text

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


def sub_element(parent, tag: str, text: str | None = None, **attrs) -> ET.Element:
    """An Atom child element: the one place feed text and attribute values are written."""
    el = ET.SubElement(
        parent, f"{{{ATOM_NS}}}{tag}", {k: xml_text(v) for k, v in attrs.items() if v is not None}
    )
    if text is not None:
        el.text = xml_text(text)
    return el


def render(feed: Feed) -> bytes:
    """The feed as UTF-8 XML bytes with an XML declaration."""
    ET.register_namespace("", ATOM_NS)
    root = ET.Element(f"{{{ATOM_NS}}}feed")
    sub_element(root, "id", feed.id)
    sub_element(root, "title", feed.title)
    if feed.subtitle:
        sub_element(root, "subtitle", feed.subtitle)
    sub_element(root, "updated", rfc3339(feed.updated))
    sub_element(root, "link", rel="self", type="application/atom+xml", href=feed.self_url)
    sub_element(root, "link", rel="alternate", type="text/html", href=feed.page_url)
    sub_element(root, "generator", "Mentorship Forum")
    author = sub_element(root, "author")
    sub_element(author, "name", "Mentorship Forum")
    for entry in feed.entries:
        el = sub_element(root, "entry")
        sub_element(el, "id", entry.id)
        sub_element(el, "title", entry.title)
        sub_element(el, "link", rel="alternate", type="text/html", href=entry.url)
        sub_element(el, "published", rfc3339(entry.published))
        sub_element(el, "updated", rfc3339(entry.updated))
        who = sub_element(el, "author")
        sub_element(who, "name", entry.author_name)
        if entry.author_uri:
            sub_element(who, "uri", entry.author_uri)
        if entry.category:
            sub_element(el, "category", term=entry.category)
        if entry.summary:
            sub_element(el, "summary", entry.summary)
        sub_element(el, "content", entry.content_html, type="html")
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)
