"""Members create and revoke personal access tokens on /account/tokens."""

from forum.api.models import ApiToken
from forum.extensions import db


def test_create_list_and_revoke(client, login_as, make_user):
    user = make_user("tokenowner")
    login_as(client, user)
    profile = client.get("/u/tokenowner").get_data(as_text=True)
    assert 'href="/account/tokens"' in profile
    response = client.post("/account/tokens", data={"name": "digest script"})
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    token = db.session.query(ApiToken).one()
    raw = html.split('<code class="token-value">')[1].split("</code>")[0]
    assert raw.startswith("kmc_") and token.token_hash not in html
    assert client.get("/api/v1/me", headers={"Authorization": f"Bearer {raw}"}).status_code == 200
    assert "digest script" in client.get("/account/tokens").get_data(as_text=True)
    revoked = client.post(f"/account/tokens/{token.id}/revoke")
    assert revoked.status_code == 302
    assert client.get("/api/v1/me", headers={"Authorization": f"Bearer {raw}"}).status_code == 401
    assert client.post(f"/account/tokens/{token.id}/revoke").status_code == 404


def test_cannot_revoke_someone_elses_token(client, login_as, make_user):
    from forum.api.tokens import create_token

    owner, other = make_user(), make_user()
    token, _raw = create_token(owner, "mine")
    db.session.commit()
    login_as(client, other)
    assert client.post(f"/account/tokens/{token.id}/revoke").status_code == 404
    assert db.session.get(ApiToken, token.id).revoked_at is None
    assert 'href="/account/tokens"' not in client.get(f"/u/{owner.username}").get_data(as_text=True)


def test_tokens_page_needs_login_and_a_name(client, login_as, make_user):
    assert client.get("/account/tokens").status_code == 302
    login_as(client, make_user())
    assert client.post("/account/tokens", data={"name": ""}).status_code == 422
    assert client.post("/account/tokens", data={"name": "x" * 81}).status_code == 422


def test_token_forms_need_csrf(make_app, make_user, login_as):
    app = make_app(WTF_CSRF_ENABLED=True)
    with app.app_context():
        client = login_as(app.test_client(), make_user())
        assert client.post("/account/tokens", data={"name": "x"}).status_code == 400
        assert db.session.query(ApiToken).count() == 0
