"""``POST /preview``: the editor's live preview uses the server's own sanitising pipeline."""

import pytest

JSON = {"Accept": "application/json"}


def test_preview_renders_markdown_and_sanitises(client):
    response = client.post(
        "/preview",
        data={
            "body": "**bold**\n\n- one\n    - nested\n\n<script>alert(1)</script>[x](javascript:alert(1))",
            "kind": "comment",
        },
        headers=JSON,
    )
    assert response.status_code == 200
    html = response.get_json()["html"]
    assert "<strong>bold</strong>" in html
    assert "<ul>" in html and html.count("<li>") == 2
    assert "<script" not in html and "javascript:" not in html
    assert response.headers["Cache-Control"] == "no-store"


def test_preview_of_a_part_uses_the_post_context(client):
    html = client.post(
        "/preview", data={"body": "## Heading", "kind": "part"}, headers=JSON
    ).get_json()["html"]
    assert "<h2>Heading</h2>" in html


@pytest.mark.parametrize(
    "data, field",
    [
        ({}, "body"),
        ({"body": "x", "kind": "nonsense"}, "kind"),
        ({"body": "x", "format": "no-such-format"}, "format"),
    ],
)
def test_bad_preview_requests_are_422_problem_json(client, data, field):
    response = client.post("/preview", data=data, headers=JSON)
    assert response.status_code == 422
    assert response.mimetype == "application/problem+json"
    assert response.get_json()["detail"]


def test_oversized_preview_is_422(make_app):
    client = make_app(MAX_MARKDOWN_CHARS=100).test_client()
    response = client.post("/preview", data={"body": "x" * 101}, headers=JSON)
    assert response.status_code == 422
    assert "too long" in response.get_json()["detail"]


def test_preview_needs_csrf_token(make_app):
    client = make_app(WTF_CSRF_ENABLED=True).test_client()
    assert client.post("/preview", data={"body": "hi"}, headers=JSON).status_code == 400


def test_preview_accepts_the_csrf_header(make_app):
    app = make_app(WTF_CSRF_ENABLED=True)
    client = app.test_client()
    page = client.get("/login").get_data(as_text=True)
    token = page.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
    response = client.post(
        "/preview", data={"body": "*hi*"}, headers={**JSON, "X-CSRFToken": token}
    )
    assert response.status_code == 200
    assert "<em>hi</em>" in response.get_json()["html"]


def test_preview_is_rate_limited(make_app):
    client = make_app(RATELIMIT_ENABLED=True).test_client()
    codes = [
        client.post("/preview", data={"body": "x"}, headers=JSON).status_code for _ in range(61)
    ]
    assert codes[:60] == [200] * 60
    assert codes[60] == 429


def test_get_preview_is_405(client):
    assert client.get("/preview").status_code == 405


@pytest.mark.parametrize("kind", ["comment", "part"])
def test_every_format_previews_junk_as_html_or_a_clear_422(app, client, kind):
    from forum.content.formats import available

    for name in available(kind):
        for body in ["hello", "{}", "[]", '{"turns": 5}', "\x00\ufffd", "A: x\n\nB: y"]:
            response = client.post(
                "/preview", data={"body": body, "format": name, "kind": kind}, headers=JSON
            )
            assert response.status_code in (200, 422), (name, body, response.status_code)
            if response.status_code == 200:
                assert "<script" not in response.get_json()["html"]
