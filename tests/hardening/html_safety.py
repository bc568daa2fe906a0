"""One checker for "nothing executable on this page", used by every hardening test.

A page (or a stored HTML fragment) is parsed the way a browser would parse it (html5lib), then
every element and attribute is inspected. The forum's own markup is held to the same rule as user
text: no inline script, no ``style`` attribute, no event handler, no script-capable URL.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import html5lib

#: Elements that run code, restyle or re-target the page, or embed other documents.
DANGEROUS_TAGS = {
    "style",
    "iframe",
    "frame",
    "frameset",
    "object",
    "embed",
    "applet",
    "svg",
    "math",
    "base",
    "noscript",
    "template",
    "xmp",
    "plaintext",
    "noembed",
    "noframes",
    "portal",
    "isindex",
}
URL_ATTRIBUTES = {
    "href",
    "src",
    "action",
    "formaction",
    "data",
    "poster",
    "background",
    "lowsrc",
    "dynsrc",
    "xlink:href",
    "codebase",
    "cite",
    "longdesc",
    "srcset",
    "ping",
    "manifest",
    "icon",
}
BAD_SCHEMES = ("javascript:", "vbscript:", "data:", "livescript:", "mocha:")
SAFE_LINK_RELS = {
    "stylesheet",
    "icon",
    "alternate",
    "canonical",
    "next",
    "prev",
    "author",
    "license",
}
#: Our own scripts are same-origin files; nothing else may carry a <script>.
OWN_SCRIPT = re.compile(r"^/(static|p/[a-z_]+/static|feeds/static)/[\w./-]+$")
_INVISIBLE = re.compile(r"[\x00-\x20\x7f-\x9f\u200b-\u200f\u2028\u2029\ufeff]")


def _scheme_of(value: str) -> str:
    """What a browser would read as the URL's scheme (whitespace/control characters dropped).

    ``value`` comes from the parser, so character references are already decoded, once, as a
    browser decodes them (``javascript&amp;colon;`` stays a harmless relative URL).
    """
    return _INVISIBLE.sub("", value).lower()


def problems_in(
    html: str, *, fragment: bool = False, forbidden_text: tuple[str, ...] = ()
) -> list[str]:
    """Everything executable (or a forbidden text such as an evaluated ``{{7*7}}``) in ``html``."""
    parse = html5lib.parseFragment if fragment else html5lib.parse
    doc = parse(html, namespaceHTMLElements=False)
    found: list[str] = []
    for el in doc.iter():
        if not isinstance(el.tag, str):
            continue  # comments
        tag = el.tag.lower().rpartition("}")[2]
        if tag == "script":
            src = el.attrib.get("src", "")
            if not OWN_SCRIPT.match(src) or (el.text or "").strip():
                found.append(f"<script src={src!r}>{(el.text or '')[:40]!r}")
        elif tag in DANGEROUS_TAGS:
            found.append(f"<{tag}>")
        elif tag == "meta" and el.attrib.get("http-equiv", "").lower() == "refresh":
            found.append("<meta http-equiv=refresh>")
        elif tag == "link" and el.attrib.get("rel", "").lower() not in SAFE_LINK_RELS:
            found.append(f"<link rel={el.attrib.get('rel')!r}>")
        elif tag in {"form", "button", "input"}:
            target = el.attrib.get("action") or el.attrib.get("formaction") or ""
            if target and not target.startswith("/") or target.startswith("//"):
                found.append(f"<{tag} action={target!r}>")
        for name, value in el.attrib.items():
            name = str(name).lower().rpartition("}")[2] if "}" in str(name) else str(name).lower()
            if name.startswith("on"):
                found.append(f"<{tag} {name}=…>")
            elif name in {"style", "srcdoc"}:
                found.append(f"<{tag} {name}={value[:60]!r}>")
            elif name in URL_ATTRIBUTES or name.endswith(":href"):
                if _scheme_of(value).startswith(BAD_SCHEMES):
                    found.append(f"<{tag} {name}={value[:60]!r}>")
                if "expression(" in value.lower():
                    found.append(f"<{tag} {name} expression()>")
    text = html
    for bad in forbidden_text:
        if bad in text:
            found.append(f"text {bad!r}")
    return found


def assert_safe(html: str, where: str = "", **kwargs) -> None:
    problems = problems_in(html, **kwargs)
    assert not problems, f"executable content on {where}: {problems[:5]}"


ATOM = "{http://www.w3.org/2005/Atom}"


def atom_html_fields(xml_text: str) -> list[str]:
    """The HTML carried by an Atom feed (title, summary, content of type html), for the checker."""
    root = ET.fromstring(xml_text)
    out = []
    for el in root.iter():
        if el.tag in (f"{ATOM}content", f"{ATOM}summary", f"{ATOM}title", f"{ATOM}subtitle"):
            if el.get("type") == "html":
                out.append(el.text or "")
            elif el.get("type") == "xhtml":
                out.append(ET.tostring(el, encoding="unicode", method="html"))
            # type="text" is shown as text by every feed reader: nothing to execute
        for attr in ("href", "src"):
            if el.get(attr) and _scheme_of(el.get(attr)).startswith(BAD_SCHEMES):
                out.append(f'<a href="{el.get(attr)}">x</a>')
    return out
