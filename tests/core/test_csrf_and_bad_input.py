import pytest


@pytest.fixture
def csrf_client(make_app):
    return make_app(WTF_CSRF_ENABLED=True).test_client()


def test_post_without_csrf_token_is_refused(csrf_client):
    response = csrf_client.post(
        "/register",
        data={"username": "x", "email": "x@example.org", "password": "p" * 12, "confirm": "p" * 12},
    )
    assert response.status_code == 400
    assert b"CSRF" in response.data


def test_logout_without_token_refused(csrf_client):
    assert csrf_client.post("/logout").status_code == 400


def test_oversized_body_413(make_app):
    client = make_app(MAX_CONTENT_LENGTH=1024).test_client()
    response = client.post("/login", data={"username": "x" * 5000, "password": "y"})
    assert response.status_code == 413


def test_invalid_utf8_form_is_a_4xx(client):
    response = client.post(
        "/login",
        data=b"username=\xff\xfe&password=\xc3\x28",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 422  # the login form, refused beside its fields


def test_invalid_utf8_in_url(client):
    assert client.get("/u/%ff%fe").status_code == 404


def test_unknown_pages_404_and_api_json(client):
    assert client.get("/no/such/page").status_code == 404
    response = client.get("/api/no-such-thing")
    assert response.status_code == 404
    assert response.mimetype == "application/problem+json"
    assert response.get_json()["status"] == 404


def test_method_not_allowed(client):
    assert client.delete("/login").status_code == 405


def test_security_headers(client):
    headers = client.get("/").headers
    csp = headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "object-src 'none'" in csp
    assert "base-uri 'none'" in csp and "frame-ancestors 'none'" in csp
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert "Referrer-Policy" in headers
