"""Markdown then bleach: the only way user text becomes HTML.

Plugins may extend the allow-list per context through ``sanitizer_policy``; the core denylist is
applied after them and cannot be re-allowed. Inputs that make Markdown or ``html.unescape`` blow
up (giant numeric references, thousands of brackets or quote markers) are defused first.
"""

from __future__ import annotations

import html as html_lib
import re
import threading
from dataclasses import dataclass, field

import bleach
import markdown
from bleach.linkifier import LinkifyFilter
from flask import current_app, has_app_context
from markupsafe import escape

from forum.kernel.hooks import hook
from forum.kernel.types import ValidationError

BASE_TAGS = {
    "p",
    "br",
    "hr",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "strong",
    "em",
    "b",
    "i",
    "del",
    "s",
    "sup",
    "sub",
    "code",
    "pre",
    "blockquote",
    "ul",
    "ol",
    "li",
    "a",
    "img",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "dl",
    "dt",
    "dd",
    "abbr",
    "kbd",
    "mark",
}
BASE_ATTRIBUTES = {
    "a": ["href", "title", "rel"],
    "img": ["src", "alt", "title"],
    "abbr": ["title"],
    "th": ["align"],
    "td": ["align"],
    "ol": ["start"],
    "code": ["class"],
}
BASE_PROTOCOLS = {"http", "https", "mailto"}

#: Never allowed, whatever a plugin asks.
DENIED_TAGS = {
    "script",
    "style",
    "iframe",
    "frame",
    "frameset",
    "object",
    "embed",
    "applet",
    "svg",
    "math",
    "noscript",
    "template",
    "base",
    "meta",
    "link",
    "form",
    "input",
    "button",
    "textarea",
    "select",
    "option",
    "xmp",
    "plaintext",
    "noembed",
    "noframes",
    "title",
    "html",
    "body",
    "head",
}
DENIED_ATTRIBUTE = re.compile(
    r"^(on|style$|srcdoc$|formaction$|action$|xmlns|xlink|background$)", re.I
)
DENIED_PROTOCOLS = {"javascript", "vbscript", "data", "file", "livescript"}

_BIG_CHARREF = re.compile(r"&#(?:[xX]0*[0-9a-fA-F]{7,}|0*[0-9]{8,});?")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_DEEP_QUOTE = re.compile(r"^((?:[ \t]*>){12,})", re.M)
#: Markdown's inline pass is superlinear in brackets, entities and backslash escapes (95,000 "["
#: took over a minute); past this many of one kind the text is shown as plain paragraphs instead.
MAX_INLINE_MARKS = 2000


class ContentTooLarge(ValidationError):
    """The text is longer than the configured maximum."""


@dataclass
class SanitizerPolicy:
    """The allow-list for one context; plugins add to it in ``sanitizer_policy``."""

    tags: set[str] = field(default_factory=lambda: set(BASE_TAGS))
    attributes: dict[str, list[str]] = field(
        default_factory=lambda: {k: list(v) for k, v in BASE_ATTRIBUTES.items()}
    )
    protocols: set[str] = field(default_factory=lambda: set(BASE_PROTOCOLS))

    def enforce_denylist(self) -> None:
        self.tags -= DENIED_TAGS
        self.protocols -= DENIED_PROTOCOLS
        for tag in list(self.attributes):
            if tag in DENIED_TAGS:
                del self.attributes[tag]
                continue
            self.attributes[tag] = [
                a for a in self.attributes[tag] if not DENIED_ATTRIBUTE.match(a)
            ]


def _hooks():
    if not has_app_context() or "forum.plugins" not in current_app.extensions:
        return None

    return hook


def policy_for(context: str) -> SanitizerPolicy:
    policy = SanitizerPolicy()
    hooks = _hooks()
    if hooks is not None:
        hooks.sanitizer_policy(policy=policy, context=context)
    policy.enforce_denylist()
    return policy


def _max_chars() -> int:
    if has_app_context():
        return int(current_app.config.get("MAX_MARKDOWN_CHARS", 100_000))
    return 100_000


def defuse(source: str) -> str:
    """Neutralise inputs known to crash or stall Markdown, bleach or ``html.unescape``."""
    if len(source) > _max_chars():
        raise ContentTooLarge(f"The text is too long (at most {_max_chars():,} characters).")
    source = _CONTROL.sub("", source.replace("\r\n", "\n").replace("\r", "\n"))
    source = _BIG_CHARREF.sub(
        lambda m: m.group(0)[1:], source
    )  # no "&": bleach scans "&#<digits>" slowly
    source = _DEEP_QUOTE.sub(lambda m: "> " * 11 + ">", source)
    return source


def _pathological(source: str) -> bool:
    return max(source.count("["), source.count("&"), source.count("\\")) > MAX_INLINE_MARKS


def _plain_paragraphs(source: str) -> str:
    """The text as escaped paragraphs, for input Markdown would take too long over."""

    return "\n".join(
        f"<p>{escape(par).replace(chr(10), '<br>')}</p>"
        for par in re.split(r"\n\s*\n", source)
        if par.strip()
    )


def _defuse_output(html: str) -> str:
    """bleach lets a numeric reference through as written; a 5,000-digit one breaks ``html.unescape``."""
    return _BIG_CHARREF.sub(lambda m: "&amp;" + m.group(0)[1:], html)


def _set_rel(attrs, new=False):
    href_key = (None, "href")
    if href_key in attrs:
        attrs[(None, "rel")] = "nofollow ugc noopener"
    return attrs


#: This thread's cleaners and Markdown converters, by what they were made from: making either
#: builds a parser (html5lib's phases, Markdown's extensions), which cost more than most texts'
#: rendering. Per thread, since a parser holds state while it runs.
_made = threading.local()
_MADE_LIMIT = 64  # (distinct policies or extension lists a thread keeps; plugins rarely vary them)


def _reused(kind: str, key, make):
    made = _made.__dict__.setdefault(kind, {})
    found = made.get(key)
    if found is None:
        if len(made) >= _MADE_LIMIT:
            made.clear()
        found = made[key] = make()
    return found


def _cleaner(policy: SanitizerPolicy) -> bleach.Cleaner:
    key = (
        frozenset(policy.tags),
        tuple(sorted((tag, tuple(names)) for tag, names in policy.attributes.items())),
        frozenset(policy.protocols),
    )
    return _reused(
        "cleaners",
        key,
        lambda: bleach.Cleaner(
            tags=policy.tags,
            attributes=policy.attributes,
            protocols=policy.protocols,
            strip=True,
            strip_comments=True,
            filters=[
                lambda source: LinkifyFilter(
                    source, callbacks=[_set_rel], skip_tags={"pre", "code"}
                )
            ],
        ),
    )


def sanitize_html(html: str, context: str = "post") -> str:
    """Clean HTML with the context's allow-list, linkify bare URLs, mark links nofollow/ugc."""
    return _defuse_output(_cleaner(policy_for(context)).clean(html))


def _extension_key(extension) -> object | None:
    """What a kept converter is filed under: an extension's name, or the class and settings of
    an instance that declares itself ``forum_reusable`` (``hookspecs.markdown_extensions``)."""
    if isinstance(extension, str):
        return extension
    if getattr(extension, "forum_reusable", False):
        configs = sorted((name, repr(value)) for name, value in extension.getConfigs().items())
        return type(extension), tuple(configs)
    return None


def _to_html(source: str, extensions: list) -> str:
    key = tuple(_extension_key(extension) for extension in extensions)
    if None in key:  # (an instance that may keep state between texts: a converter of its own)
        return markdown.markdown(source, extensions=extensions, output_format="html")
    converter = _reused(
        "markdown", key, lambda: markdown.Markdown(extensions=extensions, output_format="html")
    )
    return converter.reset().convert(source)


def render_markdown(source: str, context: str = "post") -> str:
    """Markdown source to sanitised HTML, ready to store beside the source."""
    source = defuse(source or "")
    if _pathological(source):
        return sanitize_html(_plain_paragraphs(source), context)
    extensions = ["fenced_code", "tables", "sane_lists", "abbr", "def_list"]
    hooks = _hooks()
    if hooks is not None:
        for result in hooks.markdown_extensions(context=context):
            extensions.extend(result or [])
    return sanitize_html(_to_html(source, extensions), context)


_TAG = re.compile(r"<[^>]+>")


def plain_text(html: str, limit: int | None = None) -> str:
    """Readable text from stored HTML (teasers, snippets, meta descriptions)."""

    text = html_lib.unescape(_defuse_output(_TAG.sub(" ", html or "")))
    text = re.sub(r"\s+", " ", text).strip()
    if limit and len(text) > limit:
        text = text[: limit - 1].rsplit(" ", 1)[0] + "…"
    return text
