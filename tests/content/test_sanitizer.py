"""The content pipeline keeps benign Markdown and makes hostile input inert."""

import html5lib
import pytest

from forum.content import ContentTooLarge, render_markdown

HOSTILE = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    "<style>body{display:none}</style>",
    "<iframe src=//evil.example></iframe>",
    "<svg onload=alert(1)><circle/></svg>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
    "<img src=x onerror=alert(1)>",
    '<a href="javascript:alert(1)">x</a>',
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    "[click](java&#115;cript:alert(1))",
    "[click](&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1))",
    "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "[click](vbscript:msgbox(1))",
    "![img](javascript:alert(1))",
    "![img](data:image/svg+xml;base64,PHN2Zy8+)",
    "[ref][1]\n\n[1]: javascript:alert(1)",
    "<javascript:alert(1)>",
    '<p style="background:url(javascript:alert(1))">x</p>',
    "<div onclick=alert(1)>x</div>",
    '<a href="jav\tascript:alert(1)">x</a>',
    "<base href=//evil.example/>",
    "<meta http-equiv=refresh content=0;url=//evil.example>",
    "<form action=//evil.example><button>go</button></form>",
    "<object data=x></object><embed src=x>",
    "<template><script>alert(1)</script></template>",
    "<!--<script>alert(1)</script>-->",
]


def executable_bits(fragment: str) -> list[str]:
    """Anything a browser could run: script-ish tags, handlers, style, dangerous URLs."""
    found = []
    doc = html5lib.parseFragment(fragment, namespaceHTMLElements=False)
    for el in doc.iter():
        tag = str(el.tag).lower()
        if tag in {
            "script",
            "style",
            "iframe",
            "svg",
            "math",
            "object",
            "embed",
            "base",
            "meta",
            "form",
            "noscript",
            "template",
            "link",
        }:
            found.append(tag)
        for name, value in el.attrib.items():
            name = name.lower()
            if name.startswith("on") or name == "style":
                found.append(name)
            if name in {"href", "src", "action", "formaction"}:
                scheme = "".join(value.split()).lower()
                if scheme.startswith(("javascript:", "vbscript:", "data:")):
                    found.append(f"{name}={value}")
    return found


@pytest.mark.parametrize("payload", HOSTILE)
@pytest.mark.parametrize("context", ["post", "comment"])
def test_hostile_input_is_inert(app, payload, context):
    assert executable_bits(render_markdown(payload, context)) == []


def test_benign_markdown_kept(app):
    source = (
        "## Heading\n\nSome *emphasis* and **strong** and `code`.\n\n"
        "- one\n    - nested\n        - deeper\n- two\n\n"
        "1. first\n2. second\n\n> a quote\n\n"
        "```python\nprint('hi')\n```\n\n"
        "| a | b |\n|---|---|\n| 1 | 2 |\n\n"
        "[a link](https://example.org/x) and https://example.org/bare and <https://example.org/auto>\n"
    )
    html = render_markdown(source)
    for piece in [
        "<h2>Heading</h2>",
        "<em>emphasis</em>",
        "<strong>strong</strong>",
        "<code>code</code>",
        "<blockquote>",
        "<table>",
        '<pre><code class="language-python">',
        "<ol>",
    ]:
        assert piece in html, piece
    assert html.count("<ul>") == 3  # nested lists survive
    assert 'href="https://example.org/x"' in html
    assert 'href="https://example.org/bare"' in html
    assert 'href="https://example.org/auto"' in html
    assert html.count('rel="nofollow ugc noopener"') == 3


def test_huge_numeric_reference_is_defused(app):
    html = render_markdown("&#" + "9" * 5000 + ";")
    assert "9999" in html


def test_many_brackets_and_quotes_render(app):
    assert render_markdown("[" * 20000)
    assert render_markdown(">" * 5000 + " deep")


def test_too_long_refused(make_app):
    app = make_app(MAX_MARKDOWN_CHARS=100)
    with app.app_context(), pytest.raises(ContentTooLarge):
        render_markdown("x" * 101)


def test_a_reused_converter_carries_nothing_from_one_text_to_the_next():
    """Converters and cleaners are kept per thread: what one text defines (an abbreviation, a
    link reference) must never shape another author's text."""
    first = render_markdown(
        "*[PAIR]: Private pair\n\nPAIR talk\n\n[home][ref]\n\n[ref]: https://example.org/secret"
    )
    assert "<abbr" in first and "example.org/secret" in first
    second = render_markdown("PAIR talk\n\n[home][ref]")
    assert "<abbr" not in second and "Private pair" not in second
    assert "example.org/secret" not in second and "[home][ref]" in second


def test_only_extensions_that_promise_to_reset_share_a_kept_converter():
    """``hookspecs.markdown_extensions``: an instance whose class sets ``forum_reusable`` may be
    kept with its converter; any other instance gets a converter of its own for each text."""
    from markdown.extensions import Extension

    from forum.content.markup import _to_html

    class Fresh(Extension):
        made = 0

        def extendMarkdown(self, md):  # noqa: N802
            type(self).made += 1

    class Reusable(Fresh):
        forum_reusable = True
        made = 0

    for kind in (Fresh, Reusable):
        for text in ("one", "two"):
            assert _to_html(text, [kind()]) == f"<p>{text}</p>"
    assert Fresh.made == 2 and Reusable.made == 1
