"""No user-facing English is left outside gettext: every template (core and bundled plugins) and
the Python strings people read (flash messages, form labels and errors) go through Flask-Babel.

A template's visible text is what is left once its Jinja code is cut out: text between tags and
the attributes a person reads (title, alt, placeholder, aria-label, a button's value). Any word
in it is English nobody can translate. Python is checked by its calls: a string literal given to
``flash``, ``ValidationError``, ``NavItem``, ``QueueSection``, a WTForms field's label or a
validator's ``message``.
"""

from __future__ import annotations

import ast
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from jinja2 import Environment

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = sorted(
    [*ROOT.glob("templates/**/*.html"), *ROOT.glob("plugins/*/forum_*/templates/**/*.html")]
)
PYTHON = sorted([*ROOT.glob("forum/**/*.py"), *ROOT.glob("plugins/*/forum_*/**/*.py")])
#: words that are the same in every language of the forum (names, formats, units)
SAME_EVERYWHERE = {"KMC", "RSS", "Atom", "JSON", "API", "Markdown", "OK", "HTML", "URL", "ID"}
READ_ATTRIBUTES = {"title", "alt", "placeholder", "aria-label"}
WORD = re.compile(r"[^\W\d_]{2,}")
MARK = "\x00"


def check(left: list, how: str) -> None:
    """Fail on English left in a file."""
    assert not left, f"{how}: {left[:8]}"


def jinja_cut(source: str) -> str:
    """The template with every Jinja construct (and any ``{% trans %}`` body) replaced by a mark."""
    out: list[str] = []
    in_trans = False
    block: list[str] = []
    for _line, kind, value in Environment(extensions=["jinja2.ext.i18n"]).lex(source):
        if kind == "block_begin":
            block = []
        elif kind == "name" and len(block) == 1 and value in ("trans", "pluralize", "endtrans"):
            in_trans = value != "endtrans"
        if kind in ("block_begin", "name", "block_end"):
            block.append(value)
        if kind == "data" and not in_trans:
            out.append(value)
        elif not out or out[-1] != MARK:
            out.append(MARK)
    return "".join(out)


class VisibleText(HTMLParser):
    """Collects the text and read attributes of a page, skipping scripts and styles."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self.hidden = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self.hidden += 1
        attributes = dict(attrs)
        for name, value in attrs:
            readable = name in READ_ATTRIBUTES or (  # (a <button> shows its content instead)
                tag == "input"
                and name == "value"
                and attributes.get("type") in ("submit", "button")
            )
            if readable and value:
                self.found.append(value)

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self.hidden = max(0, self.hidden - 1)

    def handle_data(self, data):
        if not self.hidden:
            self.found.append(data)


#: what is left of a tag that Jinja code split (``<li{% if x %} id="latest"{% endif %}>``)
TAG_REMNANT = re.compile(r'<\w+|\w[\w-]*="[^"]*"')


def bare_words(text: str) -> list[str]:
    words = []
    for piece in TAG_REMNANT.sub(" ", text).split(MARK):
        words += [w for w in WORD.findall(piece) if w not in SAME_EVERYWHERE]
    return words


def template_bare_text(path: Path) -> list[str]:
    parser = VisibleText()
    parser.feed(jinja_cut(path.read_text()))
    parser.close()
    return [text.strip() for text in parser.found if bare_words(text)]


def test_the_checker_finds_bare_text():
    assert jinja_cut("<b>{{ _('Save') }}</b> Cancel") == f"<b>{MARK}</b> Cancel"
    assert jinja_cut("{% trans %}Hello{% endtrans %}!") == f"{MARK}!"
    parser = VisibleText()
    parser.feed(jinja_cut('<input type="submit" value="Send"><i title="{{ x }}">Part {{ n }}</i>'))
    assert [t for t in parser.found if bare_words(t)] == ["Send", f"Part {MARK}"]
    assert not bare_words(f'<li{MARK} id="latest"{MARK}>{MARK}')  # (a tag Jinja split)


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda p: str(p.relative_to(ROOT)))
def test_templates_have_no_bare_text(path):
    check(template_bare_text(path), "wrap in _() or {% trans %}")


FIELD = re.compile(r"\w*(Field|Area)$")


def literal_messages(tree: ast.AST):
    """(line, text) of each English literal a person would read, found by the call it is given to."""
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        name = getattr(node.func, "id", None) or getattr(node.func, "attr", None) or ""
        candidates = []
        if name in ("flash", "ValidationError", "NavItem", "QueueSection") or FIELD.search(name):
            candidates += node.args[:1]
        candidates += [k.value for k in node.keywords if k.arg in ("message", "label")]
        for value in candidates:
            if isinstance(value, ast.Constant) and isinstance(value.value, str):
                if set(WORD.findall(value.value)) - SAME_EVERYWHERE:
                    yield node.lineno, value.value
            elif isinstance(value, ast.JoinedStr):
                yield node.lineno, ast.unparse(value)


def test_the_python_checker_finds_literals():
    tree = ast.parse("flash('Saved.')\nx = StringField('Name', validators=[L(message=f'{n}')])")
    assert [text for _line, text in literal_messages(tree)] == ["Saved.", "Name", "f'{n}'"]


@pytest.mark.parametrize("path", PYTHON, ids=lambda p: str(p.relative_to(ROOT)))
def test_python_messages_are_translatable(path):
    check(list(literal_messages(ast.parse(path.read_text()))), "wrap in _() or _l()")
