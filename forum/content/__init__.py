"""The content pipeline: user text in, safe stored HTML out (rendered once, on write)."""

from forum.content.markup import (
    ContentTooLarge,
    SanitizerPolicy,
    plain_text,
    render_markdown,
    sanitize_html,
)

__all__ = ["ContentTooLarge", "SanitizerPolicy", "plain_text", "render_markdown", "sanitize_html"]
