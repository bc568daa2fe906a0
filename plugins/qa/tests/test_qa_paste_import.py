"""The paste import: speakers match whatever their case, lines it cannot attribute are reported
(not merged into the turn before), and an introduction already typed is never wiped."""

import html

from forum_qa.forms import _kept_intro
from forum_qa.interview import parse_pasted

PASTE = "JIM: Why mentor?\nbill: To give back.\nBil: (typo) And to learn.\nJim: Thanks.\nBILL: Bye."
URL = "/p/qa/interview/new?characteristic=confidentiality"


def test_typed_speakers_keep_their_place_and_spelling_whatever_the_case(app):
    interview, notes = parse_pasted("BILL: Hello.\njim: Why?\nBILL: Because.", ["Jim", "Bill"])
    assert interview.speakers == ["Jim", "Bill"]  # the interviewer stays first
    assert interview.turns == [(1, "Hello."), (0, "Why?"), (1, "Because.")]
    assert notes == []


def test_a_line_naming_nobody_is_reported_not_merged(app):
    interview, notes = parse_pasted(PASTE)
    assert interview.speakers == ["JIM", "bill"]
    assert interview.turns == [
        (0, "Why mentor?"),
        (1, "To give back."),
        (0, "Thanks."),
        (1, "Bye."),
    ]
    assert len(notes) == 1 and notes[0].startswith("Line 3 (Bil: (typo) And to learn.)")


def test_a_speaker_typed_in_the_form_counts_even_if_named_once(app):
    interview, notes = parse_pasted("Ann: Why?\nBo: Because.\nAnn: Thanks.", ["Ann", "Bo"])
    assert [s for s, _ in interview.turns] == [0, 1, 0] and notes == []
    _interview, notes = parse_pasted("Ann: Why?\nBo: Because.\nAnn: Thanks.")
    assert notes and "Line 2 (Bo: Because.)" in notes[-1]  # told to add the speaker


def test_continuation_lines_still_belong_to_their_turn(app):
    interview, notes = parse_pasted(
        "Ann: First line\nsecond line\n\nBo: Reply\nAnn: Again\nBo: Yes"
    )
    assert interview.turns[0] == (0, "First line\nsecond line") and notes == []


def test_an_introduction_already_typed_is_never_replaced(app):
    assert _kept_intro("Typed intro", "") == "Typed intro"
    assert _kept_intro("Typed intro", "Pasted intro") == "Typed intro\n\nPasted intro"
    assert _kept_intro("", "Pasted intro") == "Pasted intro"
    assert _kept_intro("Typed intro", "Typed intro") == "Typed intro"


def test_through_the_form_names_intro_and_warnings(client, login_as, trusted, characteristic):
    login_as(client, trusted)
    response = client.post(
        URL,
        data={
            "interview-interviewer": "Jim",
            "interview-interviewees": "Bill",
            "interview-intro": "My own words about this chat.",
            "paste": PASTE,
            "import_paste": "1",
        },
    )
    page = html.unescape(response.get_data(as_text=True))
    assert response.status_code == 200
    assert 'name="interview-interviewer" type="text" value="Jim"' in page
    assert 'value="Bill"' in page and 'value="bill"' not in page
    assert "My own words about this chat.</textarea>" in page
    assert "Line 3 (Bil: (typo) And to learn.) names nobody in this interview" in page
    assert "Bil: (typo) And to learn.\nJim: Thanks.\nBILL: Bye.</textarea>" in page  # paste kept
    assert (
        "To give back.</textarea>" in page
        and "(typo) And to learn.</textarea>" not in (page.split('name="paste"', 1)[0])
    )


def test_a_clean_import_empties_the_paste_box(client, login_as, trusted, characteristic):
    login_as(client, trusted)
    response = client.post(
        URL, data={"paste": "ANN: Why?\nBO: Because.\nANN: Thanks.", "import_paste": "1"}
    )
    page = response.get_data(as_text=True)
    assert "Thanks.</textarea>" in page.split('name="paste"', 1)[0]
    assert "Thanks." not in page.split('name="paste"', 1)[1].split("</textarea>", 1)[0]
