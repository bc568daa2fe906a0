"""The text rule itself: what is refused, what single-line adds, how stored text is cleaned, and
what the XML filter drops."""

from xml.etree import ElementTree as ET

import pytest

from forum.content.text_rules import clean_text, json_problems, multiline_keys, problem, xml_text


@pytest.mark.parametrize(
    "text, words",
    [
        ("a\ud800b", "unpaired surrogate (U+D800)"),
        ("\udfff", "unpaired surrogate (U+DFFF)"),
        ("Ann\x01", "control character (U+0001)"),
        ("x\x0by", "control character (U+000B)"),
        ("\x7f", "control character (U+007F)"),
        ("\x85", "control character (U+0085)"),
        ("\x9f", "control character (U+009F)"),
        ("\x00", "control character (U+0000)"),
        ("one\rtwo", "carriage return without a newline"),
    ],
)
def test_forbidden_characters_are_named(text, words):
    assert words in problem(text)
    assert words in problem(text, single_line=True)


@pytest.mark.parametrize(
    "text",
    [
        "plain",
        "tab\there",
        "two\nlines",
        "crlf\r\nlines",
        "",
        "\u202eevil",
        "emoji \U0001f600",
        "\ufeffbom",
        "x" * 100_000,
    ],
)
def test_allowed_multiline_text(text):
    assert problem(text) is None


@pytest.mark.parametrize("text", ["two\nlines", "crlf\r\nlines", "\n"])
def test_single_line_text_refuses_line_breaks(text):
    assert problem(text, single_line=True) == "must be a single line (no line breaks)."


def test_tabs_and_bidi_are_fine_on_a_single_line():
    assert problem("a\tb \u202e c", single_line=True) is None


def test_clean_removes_what_the_rule_refuses():
    assert clean_text("a\x01b\x0bc\r\nd\re\x85") == "abc\nde"
    assert clean_text("Ann\nLee\r\nX\x01", single_line=True) == "Ann Lee X"
    for text in ("a\x01\nb", "x\ud800y\x9f", "t\x0bitle\n"):
        for single in (False, True):
            assert problem(clean_text(text, single), single_line=single) is None


def test_xml_text_keeps_the_rest_and_parses():
    hostile = "a\x01b\x0b\x1fc\ufffe\uffff\ud800\t\n\r <&> \u202e\U0001f600"
    kept = xml_text(hostile)
    assert kept == "abc\t\n\r <&> \u202e\U0001f600"
    element = ET.Element("t")
    element.text = kept
    assert ET.fromstring(ET.tostring(element)).text == "abc\t\n\n <&> \u202e\U0001f600"


def test_multiline_keys_come_from_the_schemas():
    from forum.api.openapi import SCHEMAS
    from forum.interchange.schema import SERIES

    assert multiline_keys(SCHEMAS) == {"body"}
    assert multiline_keys(SERIES) == {"bio", "markdown", "definition", "description"}


def test_json_problems_name_the_path():
    doc = {
        "title": "a\nb",
        "body": "ok\nfine",
        "items": [{"name": "x\x01"}],
        "k\x02": 1,
        "deep": {"body": "\ud800"},
    }
    found = dict(json_problems(doc, frozenset({"body"})))
    assert set(found) == {"$.title", "$.items[0].name", "$.'k\\x02'", "$.deep.body"}
    assert "single line" in found["$.title"]
    assert "unpaired surrogate" in found["$.deep.body"]
    assert (
        list(json_problems({"body": "two\r\nlines\t", "n": 5, "x": None}, frozenset({"body"})))
        == []
    )
