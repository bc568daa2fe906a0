"""The content pipeline: user text in, safe stored HTML out (rendered once, on write).

Also the text rule every input obeys (``text_rules``), the form base that applies it beside each
field (``TextCheckedForm``), the guest-form defences (``antiabuse``) and the cleaner migrations
use for text stored before it.
"""

from forum.content.forms import TextCheckedForm, submit_form
from forum.content.markup import (
    ContentTooLarge,
    SanitizerPolicy,
    plain_text,
    render_markdown,
    sanitize_html,
)
from forum.content.stored_text import clean_tables
from forum.content.text_rules import clean_text, json_problems, xml_text

__all__ = [
    "ContentTooLarge",
    "SanitizerPolicy",
    "TextCheckedForm",
    "submit_form",
    "clean_tables",
    "clean_text",
    "json_problems",
    "plain_text",
    "render_markdown",
    "sanitize_html",
    "xml_text",
]
