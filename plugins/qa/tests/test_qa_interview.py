"""Interview format: form → stored JSON → sanitised conversation → NAME: text fallback."""

import html as html_lib
import json

import html5lib
import pytest
from forum_qa.interview import parse_pasted, render_html, to_text
from sqlalchemy import select
from werkzeug.datastructures import MultiDict

from forum.sdk import ValidationError, render_body
from forum.testing import available_formats as available
from forum.testing import text_fallback


def _form(interviewer, interviewees, turns, intro=""):
    data = MultiDict(
        {
            "interview-interviewer": interviewer,
            "interview-interviewees": interviewees,
            "interview-intro": intro,
        }
    )
    for i, (speaker, text) in enumerate(turns):
        data[f"interview-turns-{i}-speaker"] = str(speaker)
        data[f"interview-turns-{i}-text"] = text
    return data


def _comments(characteristic):
    from forum.sdk import bypass, db
    from forum.testing import Comment

    return (
        db.session.execute(
            select(Comment)
            .where(Comment.characteristic_id == characteristic.id)
            .execution_options(**bypass("core", "test"))
        )
        .scalars()
        .all()
    )


def test_format_is_offered_for_parts_and_comments(app):
    assert "interview" in available("part")
    assert "interview" in available("comment")


def test_round_trip_through_the_core_format_registry(app):
    fmt = available("comment")["interview"]
    source = fmt.parse_form(
        _form(
            "Ada",
            "Ben, Cy",
            [(0, "Why **mentor**?"), (1, "To give back."), (2, "And to learn."), (0, "")],
        )
    )
    stored = json.loads(source)
    assert [s["name"] for s in stored["speakers"]] == ["Ada", "Ben", "Cy"]
    assert stored["speakers"][0]["role"] == "interviewer"
    assert len(stored["turns"]) == 3  # the empty row is dropped
    html = render_body("interview", source, "comment")
    assert '<dl class="interview">' in html
    assert '<dt class="speaker interviewer">Ada</dt>' in html
    assert "<strong>mentor</strong>" in html
    assert (
        text_fallback("interview", source, html)
        == "Ada: Why **mentor**?\n\nBen: To give back.\n\nCy: And to learn."
    )


def test_standalone_editor_posts_an_interview_comment(client, login_as, trusted, characteristic):
    login_as(client, trusted)
    page = client.get("/p/qa/interview/new?characteristic=confidentiality")
    assert page.status_code == 200
    assert b'name="interview-turns-1-text"' in page.data
    data = _form(
        "Ada", "Ben", [(0, "What is *trust*?"), (1, "A promise kept.")], intro="Intro text."
    )
    data["post"] = "Post interview"
    response = client.post("/p/qa/interview/new?characteristic=confidentiality", data=data)
    assert response.status_code == 302
    [comment] = _comments(characteristic)
    assert comment.body_format == "interview" and comment.status == "approved"
    assert json.loads(comment.body_source)["turns"][1] == {"speaker": 1, "text": "A promise kept."}
    assert '<dt class="speaker interviewee">Ben</dt>' in comment.body_html
    assert "<em>trust</em>" in comment.body_html
    assert text_fallback(comment.body_format, comment.body_source, comment.body_html).startswith(
        "Intro text.\n\nAda: What is *trust*?"
    )


def test_add_a_turn_posts_back_without_javascript(client, login_as, trusted, characteristic):
    login_as(client, trusted)
    data = _form("Ada", "Ben", [(0, "Q1"), (1, "A1")])
    data["add_turn"] = "1"
    response = client.post("/p/qa/interview/new?characteristic=confidentiality", data=data)
    assert response.status_code == 200
    assert b'name="interview-turns-2-text"' in response.data
    assert b"Q1</textarea>" in response.data  # nothing typed is lost
    assert _comments(characteristic) == []


def test_incomplete_interview_is_a_clear_422(client, login_as, trusted, characteristic):
    login_as(client, trusted)
    data = _form("Ada", "", [(0, "Q1")])
    data["post"] = "1"
    response = client.post("/p/qa/interview/new?characteristic=confidentiality", data=data)
    assert response.status_code == 422
    assert b"interviewee" in response.data
    data = _form("Ada", "Ben", [(7, "Q1")])
    data["post"] = "1"
    assert (
        client.post("/p/qa/interview/new?characteristic=confidentiality", data=data).status_code
        == 422
    )
    assert _comments(characteristic) == []


def test_editor_needs_an_account_and_a_real_characteristic(client, login_as, trusted):
    assert client.get("/p/qa/interview/new?characteristic=confidentiality").status_code in (
        302,
        401,
    )
    login_as(client, trusted)
    assert client.get("/p/qa/interview/new?characteristic=nope").status_code == 404


HOSTILE = [
    "<script>alert(1)</script>",
    '<img src=x onerror="alert(1)">',
    '"><svg onload=alert(1)>',
    "[click](javascript:alert(1))",
    '<a href="javascript:alert(1)">x</a>',
    '<dl class="interview" onclick="x"><dt style="color:red">fake</dt></dl>',
    "<iframe src=//evil.example></iframe>",
    "&lt;script&gt;alert(1)&lt;/script&gt;",
]


def _assert_inert(html):
    tree = html5lib.parse(html, namespaceHTMLElements=False)
    for element in tree.iter():
        assert element.tag not in {"script", "iframe", "svg", "style", "object", "embed"}, (
            element.tag
        )
        for name, value in element.attrib.items():
            assert not name.lower().startswith("on"), (element.tag, name)
            assert name.lower() != "style"
            assert not value.strip().lower().startswith(("javascript:", "data:", "vbscript:")), (
                value
            )


@pytest.mark.parametrize("payload", HOSTILE)
def test_hostile_speaker_names_and_turns_stay_inert(app, payload):
    fmt = available("part")["interview"]
    name = payload[:60]
    source = fmt.parse_form(
        _form(name, "Ben", [(0, payload), (1, f"Answer {payload}")], intro=payload)
    )
    html = render_body("interview", source, "part")
    _assert_inert(html)
    tree = html5lib.parse(html, namespaceHTMLElements=False)
    labels = [dt.text for dt in tree.iter("dt") if "speaker" in dt.get("class", "")]
    # names are shown as text, never as markup (bleach keeps entity-looking text as entities)
    assert labels in ([name, "Ben"], [html_lib.unescape(name), "Ben"])
    # user markup never gains the interview's classes (only the plugin's own wrapper has them)
    assert len([e for e in tree.iter() if e.get("class")]) == 1 + 2 * 2
    assert to_text(source).startswith(payload)  # the fallback is plain text, not HTML


def test_hostile_paste_preview_stays_inert(client, login_as, trusted, characteristic):
    login_as(client, trusted)
    paste = "\n".join(f"{'JIM' if i % 2 == 0 else 'BILL'}: {p}" for i, p in enumerate(HOSTILE))
    response = client.post(
        "/p/qa/interview/new?characteristic=confidentiality",
        data={"paste": paste, "import_paste": "1"},
    )
    assert response.status_code == 200
    preview = response.data.decode().split('id="preview-heading"', 1)[1].split("</section>", 1)[0]
    _assert_inert(preview)
    assert "<script>alert" not in response.data.decode()


def test_stored_source_that_is_not_json_is_refused(app):
    with pytest.raises(ValidationError):
        render_html("not json")
    with pytest.raises(ValidationError):
        render_html(
            json.dumps({"speakers": [{"name": "A"}], "turns": [{"speaker": 5, "text": "x"}]})
        )
    assert to_text("{broken") == ""


MESSY = (
    "Notes from our chat, lightly edited.\r\n"
    "\r\n"
    "JIM: Why does confidentiality matter?\r\n"
    "\r\n"
    "Bill : Because trust: without it,\r\n"
    "nothing else works.\r\n"
    "\r\n"
    "\r\n"
    "Note: this line has a colon but is not a speaker.\r\n"
    "jim:   Where does it come from?\r\n"
    "  BILL:From kindness. See http://example.org/post for more.\r\n"
    "**Jim:** Last one: who is involved?\r\n"
    "BILL: Everyone.\r\n"
)


def test_paste_import_handles_messy_text(app):
    interview, notes = parse_pasted(MESSY)
    # "Note: ..." looks like a turn but names nobody: it is reported, not merged into Bill's
    assert len(notes) == 1 and notes[0].startswith("Line 9 (Note: this line has a colon")
    assert interview.speakers == ["JIM", "Bill"]
    assert interview.intro == "Notes from our chat, lightly edited."
    assert interview.turns == [
        (0, "Why does confidentiality matter?"),
        (1, "Because trust: without it,\nnothing else works."),
        (0, "Where does it come from?"),
        (1, "From kindness. See http://example.org/post for more."),
        (0, "Last one: who is involved?"),
        (1, "Everyone."),
    ]


def test_paste_import_of_a_single_exchange_and_of_nonsense(app):
    interview, notes = parse_pasted("Ann: Why?\nBo: Because.")
    assert interview.speakers == ["Ann", "Bo"] and len(interview.turns) == 2 and notes == []
    interview, notes = parse_pasted("just some text\nwith no speakers")
    assert interview.turns == [] and notes


def test_paste_import_fills_the_form_and_previews_before_saving(
    client, login_as, trusted, characteristic
):
    login_as(client, trusted)
    response = client.post(
        "/p/qa/interview/new?characteristic=confidentiality",
        data={"paste": MESSY, "import_paste": "1"},
    )
    page = response.data.decode()
    assert response.status_code == 200
    assert 'value="JIM"' in page and 'value="Bill"' in page
    assert 'name="interview-turns-5-text"' in page and 'name="interview-turns-6-text"' in page
    assert '<dt class="speaker interviewee">Bill</dt>' in page  # the preview
    assert _comments(characteristic) == []  # nothing saved until the author posts


def test_every_comment_editor_page_loads_the_interview_script(
    client, login_as, trusted, characteristic, make_comment
):
    """Core declares its comment editor pages (``EditorPage``); Q&A follows them by meaning."""
    comment = make_comment(characteristic=characteristic, author=trusted)
    login_as(client, trusted)
    for url in (
        "/c/confidentiality",
        "/c/confidentiality/comments/new",
        f"/comments/{comment.id}/edit",
    ):
        page = client.get(url)
        assert page.status_code == 200 and "qa/static/interview.js" in page.get_data(
            as_text=True
        ), url
    assert "interview.js" not in client.get("/").get_data(as_text=True)  # not an editor page


def test_a_refused_interview_in_the_thread_s_comment_form_says_why_beside_the_turns(
    client, login_as, trusted, characteristic
):
    """Core's comment editor: the refusal shows after the interview's fields, not under the body
    box (which interviews do not use), and the speakers typed are kept."""
    login_as(client, trusted)
    data = _form("Ada", "Ben", [])
    data["body_format"] = "interview"
    response = client.post("/c/confidentiality/comments", data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    turns_end = page.index('name="interview-turns-1-text"')
    error_at = page.index('<p class="error format-error" role="alert">Write at least one turn.</p>')
    assert turns_end < error_at < page.index("Post comment")
    assert page.count("Write at least one turn.") == 1  # not under the body box too
    assert 'value="Ada"' in page and 'value="Ben"' in page
    assert _comments(characteristic) == []


def test_a_refused_interview_in_the_part_editor_says_why_in_its_fieldset(
    client, login_as, make_user, characteristic
):
    expert = make_user("ex", roles=("member", "expert"))
    login_as(client, expert)
    data = _form("Ada", "", [(0, "Q1")])
    data.update(
        {
            "body_format": "interview",
            "characteristic_id": str(characteristic.id),
            "part_number": "1",
            "title": "An interview",
            "language": "en",
        }
    )
    response = client.post("/parts/new", data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 422, page[:2000]
    error_at = page.index('<p class="error format-error" role="alert">Name at least one')
    assert page.index('name="interview-turns-0-text"') < error_at
    assert page.count("Name at least one interviewee.") == 1
