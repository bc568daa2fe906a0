"""Bad input gets a clear 4xx, never a 500 or a stuck worker: sizes, encodings, NUL bytes, numbers,
ids, JSON, content types, duplicates, renderer bombs, and property-based form filling."""

from __future__ import annotations

import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from werkzeug.datastructures import MultiDict

MiB = 1024 * 1024


@pytest.fixture
def trusted(app, make_user, make_characteristic, login_as):
    """A trusted member's client (comments go live at once) and a characteristic to write under."""
    user = make_user(trusted_override=True)
    return login_as(app.test_client(), user), make_characteristic(slug="trust"), user


def _no_traceback(response):
    body = response.get_data(as_text=True)
    assert "Traceback" not in body and 'File "' not in body
    return response


@pytest.mark.parametrize("size", [1 * MiB + 1, 10 * MiB, 100 * MiB])
def test_huge_bodies_are_413_quickly(trusted, size):
    client, _c, _u = trusted
    body = b"body=" + b"x" * size
    for url in (
        "/c/trust/comments",
        "/login",
        "/api/v1/characteristics/trust/comments",
        "/preview",
        "/p/pair_spaces/propose",
    ):
        start = time.perf_counter()
        ctype = (
            "application/json" if url.startswith("/api/") else "application/x-www-form-urlencoded"
        )
        response = client.post(url, data=body, content_type=ctype)
        assert response.status_code == 413, url
        assert time.perf_counter() - start < 2, url
        _no_traceback(response)


def test_invalid_utf8_in_forms_urls_and_json(trusted):
    client, c, _u = trusted
    checks = [
        client.post(
            f"/c/{c.slug}/comments",
            data=b"body=\xff\xfe\xfd&body_format=markdown",
            content_type="application/x-www-form-urlencoded",
        ),
        client.post(
            "/account/profile",
            data=b"display_name=\xc3\x28&bio=\xed\xa0\x80",
            content_type="application/x-www-form-urlencoded",
        ),
        client.get("/search?q=%ff%fe"),
        client.get("/c/%ff%fe"),
        client.get("/experts/%c3%28"),
        client.get("/feeds/c/%ff.atom"),
        client.get("/api/v1/characteristics/%ff"),
        client.post(
            f"/api/v1/characteristics/{c.slug}/comments",
            data=b'{"body": "\xff\xfe"}',
            content_type="application/json",
        ),
    ]
    # the comment form refuses the body beside the field; the profile keeps what decodes; a bad
    # query is no match; a bad name in a path names nothing; the API's JSON is not JSON
    expected = [422, 302, 200, 404, 404, 404, 404, 400]
    assert [r.status_code for r in checks] == expected, [r.request.path for r in checks]
    for response in checks:
        _no_traceback(response)


@pytest.mark.parametrize("value", ["a\x00b", "\x00", "<b>\x00</b>"])
def test_nul_bytes_never_reach_the_database_as_errors(trusted, client, value):
    """PostgreSQL refuses NUL in text: every form must answer 4xx or store it cleaned, not 500."""
    member, c, user = trusted
    responses = [
        member.post(f"/c/{c.slug}/comments", data={"body": value, "body_format": "markdown"}),
        member.post("/account/profile", data={"display_name": value, "bio": value}),
        member.post(f"/p/qa/c/{c.slug}/questions", data={"title": value, "body": value}),
        client.post("/login", data={"username": value, "password": value}),
        client.post(
            "/register",
            data={"username": value, "email": value, "password": value, "confirm": value},
        ),
        client.get("/search", query_string={"q": value}),
        client.get("/u/" + value.replace("\x00", "%00")),
        member.post(f"/api/v1/characteristics/{c.slug}/comments", json={"body": value}),
    ]
    for response in responses:
        assert response.status_code < 500, (response.request.path, response.status_code)
        _no_traceback(response)


PAGES = ["10" + "0" * 19, "-1", "0", "1e9", "abc", "", "1" * 400, "٣", "²"]


def test_page_numbers(app, make_characteristic, make_user, login_as):
    make_characteristic(slug="trust")
    client = login_as(app.test_client(), make_user(roles=("member", "admin")))
    for path in (
        "/",
        "/c/trust",
        "/search?q=trust&",
        "/p/qa/unanswered",
        "/admin/audit",
        "/moderation/queue",
        "/api/v1/characteristics",
        "/notifications",
        "/p/pair_spaces/pairs",
    ):
        for page in PAGES:
            sep = "&" if "?" in path else "?"
            response = client.get(f"{path}{sep}page={page}")
            assert response.status_code == _page_status(path, page), (path, page)


def _page_status(path: str, page: str) -> int:
    """The home page has no pages; elsewhere page 0 is a page that does not exist (404), and
    anything but ASCII digits, nine at most, is not a page number (400)."""
    if path == "/":
        return 200
    return 404 if page == "0" else 400


def test_ids_out_of_range_are_404(app):
    client = app.test_client()
    for value in (str(2**63), str(2**31), str(2**64 + 1), "0", "-1", "01", "1.5", "9" * 40, "²"):
        for url in (
            f"/comments/{value}",
            f"/parts/{value}/history",
            f"/p/qa/q/{value}",
            f"/api/v1/comments/{value}",
            f"/api/v1/parts/{value}",
            f"/c/trust/part/{value}",
            f"/p/pair_spaces/{value}",
        ):
            assert client.get(url).status_code == 404, url


def test_malformed_json_and_wrong_content_types(trusted):
    client, c, _u = trusted
    url = f"/api/v1/characteristics/{c.slug}/comments"
    cases = [
        (b"{not json", "application/json", 400),
        (b"[1, 2]", "application/json", 400),
        (b'"just a string"', "application/json", 400),
        (b"", "application/json", 400),
        (b'{"body": 5}', "application/json", 422),
        (b'{"body": "x", "reply_to": 18446744073709551617}', "application/json", 422),
        (b"body=hello", "application/x-www-form-urlencoded", 415),
        (b"<x/>", "text/xml", 415),
        (b'{"body": "x"}', "text/plain", 415),
    ]
    for data, ctype, expected in cases:
        response = client.post(url, data=data, content_type=ctype)
        assert response.status_code == expected, (data, ctype, response.status_code)
        assert response.mimetype == "application/problem+json"


def test_duplicate_parameters(trusted):
    client, c, _u = trusted
    assert client.get(f"/c/{c.slug}?page=1&page=999999").status_code == 200  # the first wins
    response = client.post(
        f"/c/{c.slug}/comments",
        data=MultiDict(
            [
                ("body", "first"),
                ("body", "second"),
                ("body_format", "markdown"),
                ("body_format", "nonsense"),
            ]
        ),
    )
    assert response.status_code == 302  # the first body and format, as a browser sends one
    assert client.get("/search?q=a&q=b&q=c").status_code == 200


def test_overlong_query_and_header_values(trusted):
    client, c, _u = trusted
    assert client.get("/search?q=" + "a" * 50_000).status_code == 400
    assert client.get("/", headers={"Accept-Language": "x" * 20_000}).status_code == 200
    assert client.get(f"/c/{'x' * 5000}").status_code == 404


# --- renderer bombs, through the real forms ----------------------------------------------------

BOMBS = {
    "numeric character reference of 5,000 digits": "&#" + "9" * 5000 + ";",
    "hex reference of 5,000 digits": "&#x" + "f" * 5000 + ";",
    "19,000 opening brackets": "[" * 19_000,
    "19,000 bracket pairs": "[]" * 9_500,
    "19,000 quote markers": ">" * 19_000,
    "quote markers on many lines": "> " * 50 + "x\n" * 300,
    "deeply nested list": "".join("  " * i + "- x\n" for i in range(120)),
    "nested emphasis": "*" * 9000 + "x" + "*" * 9000,
    "link title bomb": "[a](<" + "(" * 9000 + ">)",
    "many backticks": "`" * 19_000,
    "html comment bomb": "<!--" * 4000,
}


@pytest.mark.parametrize("source", list(BOMBS.values()), ids=list(BOMBS))
def test_renderer_bombs_through_the_comment_form(trusted, source):
    client, c, _u = trusted
    start = time.perf_counter()
    response = client.post(
        f"/c/{c.slug}/comments", data={"body": source, "body_format": "markdown"}
    )
    elapsed = time.perf_counter() - start
    assert response.status_code == 302  # accepted, and rendered within the time
    assert elapsed < 2, elapsed
    assert client.get(f"/c/{c.slug}").status_code == 200


@pytest.mark.parametrize(
    "source, status",
    [
        (BOMBS["19,000 opening brackets"] * 5, 200),
        (">" * 99_000, 200),
        ("&#" + "1" * 99_000, 200),
        ("".join("  " * (i % 400) + "- x\n" for i in range(1200)), 422),  # over the length
    ],
    ids=["95k brackets", "99k quotes", "99k digit reference", "long nested list"],
)
def test_renderer_bombs_through_the_part_editor_preview(
    app, make_user, make_characteristic, login_as, source, status
):
    c = make_characteristic()
    client = login_as(app.test_client(), make_user(roles=("member", "expert")))
    start = time.perf_counter()
    response = client.post(
        "/parts/new",
        data={
            "characteristic_id": c.id,
            "part_number": 1,
            "title": "t",
            "body_format": "markdown",
            "body": source,
            "preview": "1",
        },
    )
    assert response.status_code == status
    assert time.perf_counter() - start < 2


def test_a_megabyte_of_text(trusted):
    client, c, _u = trusted
    start = time.perf_counter()
    response = client.post(f"/c/{c.slug}/comments", data={"body": "word " * 200_000})
    assert response.status_code == 422  # a form's too-long body, beside the field
    assert time.perf_counter() - start < 2


# --- property-based: the main forms never answer 5xx --------------------------------------------

TEXT = st.text(st.characters(exclude_categories=("Cs",)), max_size=300)
SETTINGS = settings(
    max_examples=25,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@SETTINGS
@given(username=TEXT, email=TEXT, password=TEXT)
def test_register_form_properties(app, username, email, password):
    response = app.test_client().post(
        "/register",
        data={"username": username, "email": email, "password": password, "confirm": password},
    )
    assert response.status_code in (302, 422, 400), response.status_code


@SETTINGS
@given(username=TEXT, password=TEXT, remember=TEXT)
def test_login_form_properties(app, username, password, remember):
    response = app.test_client().post(
        "/login", data={"username": username, "password": password, "remember": remember}
    )
    assert response.status_code in (422, 400), response.status_code


@SETTINGS
@given(body=TEXT, fmt=st.sampled_from(["markdown", "interview", "", "x"]), reply_to=TEXT)
def test_comment_form_properties(trusted, body, fmt, reply_to):
    client, c, _u = trusted
    response = client.post(
        f"/c/{c.slug}/comments", data={"body": body, "body_format": fmt, "reply_to": reply_to}
    )
    assert response.status_code in (302, 422), response.status_code


@SETTINGS
@given(name=TEXT, email=TEXT, body=TEXT, website=st.sampled_from(["", "x"]))
def test_guest_comment_form_properties(app, make_characteristic, name, email, body, website):
    from forum.content.antiabuse import started_token

    c = make_characteristic()
    app.config["GUEST_MIN_FILL_SECONDS"] = 0
    response = app.test_client().post(
        f"/c/{c.slug}/comments",
        data={
            "guest_name": name,
            "guest_email": email,
            "body": body,
            "website": website,
            "started": started_token(),
            "body_format": "markdown",
        },
    )
    assert response.status_code in (302, 422), response.status_code


@SETTINGS
@given(reason=TEXT, note=TEXT, kind=st.sampled_from(["comment", "part", "x", "question"]))
def test_flag_form_properties(app, make_user, make_comment, login_as, reason, note, kind):
    comment = make_comment(author=make_user())
    client = login_as(app.test_client(), make_user())
    response = client.post(f"/flag/{kind}/{comment.id}", data={"reason": reason, "note": note})
    assert response.status_code in (302, 303, 404, 409, 422), response.status_code


@pytest.mark.parametrize("digits", ["²", "٣", "１２", "𝟗"])
def test_unicode_digits_in_numeric_parameters(trusted, app, make_user, login_as, digits):
    """``str.isdigit`` accepts these and ``int()`` chokes on some: each must be a 4xx (was a 500)."""
    client, c, _u = trusted
    staff = login_as(app.test_client(), make_user(roles=("member", "moderator")))
    for response, status in (
        (client.get(f"/c/{c.slug}?page={digits}"), 400),
        (client.get(f"/api/v1/characteristics?per_page={digits}"), 400),
        (client.post(f"/c/{c.slug}/comments", data={"body": "hi", "reply_to": digits}), 422),
        (staff.get(f"/moderation/queue?characteristic={digits}"), 400),
    ):
        assert response.status_code == status, response.request.path
