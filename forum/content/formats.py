"""Body formats for parts and comments: core's Markdown plus any ``register_content_formats``.

Every format's HTML goes through the sanitiser of its context; ``text_fallback`` is what feeds
and the API carry.
"""

from __future__ import annotations

from flask import current_app, request
from flask_babel import gettext

from forum.content.markup import plain_text, render_markdown, sanitize_html
from forum.kernel.hooks import disabled_names
from forum.kernel.registries import owner
from forum.kernel.types import ContentFormat, ValidationError

MARKDOWN = ContentFormat(
    name="markdown", label="Markdown", render=lambda s: s, to_text=lambda s: s, context="post"
)


def available(kind: str) -> dict[str, ContentFormat]:
    """Formats usable for ``kind`` ("part" or "comment"), Markdown first."""

    formats = {"markdown": MARKDOWN}
    off = disabled_names()
    for fmt in current_app.extensions.get("forum.content_formats", {}).values():
        plugin = owner(current_app, "register_content_formats", fmt.name)
        if kind in fmt.applies_to and plugin not in off:
            formats[fmt.name] = fmt
    return formats


def get_format(name: str, kind: str) -> ContentFormat:
    fmt = available(kind).get(name or "markdown")
    if fmt is None:
        raise ValidationError(
            gettext("Unknown body format %(name)r.", name=name), field="body_format"
        )
    return fmt


def submitted_source(fmt: ContentFormat, form) -> str:
    """The source an editor submitted in ``fmt``: the format's own fields parsed (``parse_form``),
    else the body. A refusal of those fields is marked as theirs, to be shown beside them."""
    if fmt.parse_form is None:
        return form.body.data or ""
    try:
        return fmt.parse_form(request.form)
    except ValidationError as error:
        error.on_format_fields = True
        raise


def render_body(format_name: str, source: str, kind: str) -> str:
    """Stored HTML for ``source`` in ``format_name``; always sanitised."""
    context = "comment" if kind == "comment" else "post"
    if (format_name or "markdown") == "markdown":
        return render_markdown(source, context)
    fmt = get_format(format_name, kind)
    return sanitize_html(fmt.render(source), fmt.context)


def text_fallback(format_name: str, source: str, html: str = "") -> str:
    """Markdown/plain text of a body, for feeds and the API."""
    if (format_name or "markdown") == "markdown":
        return source
    fmt = current_app.extensions.get("forum.content_formats", {}).get(format_name)
    return fmt.to_text(source) if fmt else plain_text(html)
