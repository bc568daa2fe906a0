import pytest

from forum.accounts.models import User
from forum.extensions import db

PASSWORD = "a sturdy pass phrase"


def register(client, username="ann", email="ann@example.org", password=PASSWORD, confirm=None):
    return client.post(
        "/register",
        data={
            "username": username,
            "email": email,
            "password": password,
            "confirm": confirm or password,
        },
    )


def login(client, username="ann", password=PASSWORD, **extra):
    return client.post("/login", data={"username": username, "password": password, **extra})


def test_register_logs_in_and_stores_a_modern_hash(client):
    response = register(client)
    assert response.status_code == 302
    user = db.session.query(User).filter_by(username="ann").one()
    assert user.password_hash.startswith(("scrypt:", "pbkdf2:"))
    assert PASSWORD not in user.password_hash
    assert user.role_names == {"member"}
    assert b"ann" in client.get("/").data


def test_duplicate_username_case_insensitive(client):
    register(client)
    client.post("/logout")
    response = register(client, username="ANN", email="other@example.org")
    assert response.status_code == 422
    assert b"That username is taken." in response.data


def test_weak_password_refused(client):
    response = register(client, password="short")
    assert response.status_code == 422
    response = register(client, password="aaaaaaaaaaaa")
    assert response.status_code == 422
    assert db.session.query(User).count() == 0


def test_login_logout(client, make_user):
    make_user("bob", password=PASSWORD)
    assert login(client, "bob").status_code == 302
    assert b"Log out" in client.get("/").data
    client.post("/logout")
    assert b"Log out" not in client.get("/").data


def test_login_by_email(client, make_user):
    make_user("bob", password=PASSWORD)
    assert login(client, "bob@example.org").status_code == 302


@pytest.mark.parametrize("username,password", [("bob", "wrong password!"), ("nobody", PASSWORD)])
def test_wrong_password_and_unknown_user_get_the_same_answer(client, make_user, username, password):
    make_user("bob", password=PASSWORD)
    response = login(client, username, password)
    assert response.status_code == 422
    assert b"Unknown username or wrong password." in response.data


def test_remember_me_sets_cookie(client, make_user):
    make_user("bob", password=PASSWORD)
    response = login(client, "bob", remember="y")
    assert "remember_token" in " ".join(response.headers.getlist("Set-Cookie"))


def test_change_password_ends_other_sessions(app, make_user):
    make_user("bob", password=PASSWORD)
    first, second = app.test_client(), app.test_client()
    login(first, "bob")
    login(second, "bob")
    response = first.post(
        "/account/password",
        data={
            "current": PASSWORD,
            "password": "another sturdy phrase",
            "confirm": "another sturdy phrase",
        },
    )
    assert response.status_code == 302
    assert b"Log out" in first.get("/").data
    assert b"Log out" not in second.get("/").data
    assert login(app.test_client(), "bob", "another sturdy phrase").status_code == 302


def test_change_password_needs_current(client, make_user, login_as):
    user = make_user("bob", password=PASSWORD)
    login_as(client, user)
    response = client.post(
        "/account/password",
        data={
            "current": "not it at all",
            "password": "another sturdy phrase",
            "confirm": "another sturdy phrase",
        },
    )
    assert response.status_code == 422
    assert b"The current password is wrong." in response.data


def test_profile_page_and_edit(client, make_user, login_as):
    user = make_user("bob")
    login_as(client, user)
    client.post("/account/profile", data={"display_name": "Bob B.", "bio": "<b>hi</b> there"})
    page = client.get("/u/bob").data
    assert b"Bob B." in page
    assert b"&lt;b&gt;hi&lt;/b&gt; there" in page


def test_open_redirect_refused(client, make_user):
    make_user("bob", password=PASSWORD)
    for target in [
        "https://evil.example/",
        "//evil.example/",
        "/\\evil.example",
        "javascript:alert(1)",
    ]:
        client.post("/logout")
        response = client.post(
            "/login?next=" + target, data={"username": "bob", "password": PASSWORD}
        )
        assert response.status_code == 302
        assert response.headers["Location"] == "/", target


def test_create_admin_cli(runner):
    result = runner.invoke(
        args=[
            "forum",
            "create-admin",
            "--username",
            "root1",
            "--email",
            "root@example.org",
            "--password",
            "a long admin pass",
        ]
    )
    assert result.exit_code == 0, result.output
    user = db.session.query(User).filter_by(username="root1").one()
    assert {"admin", "moderator"} <= user.role_names
    again = runner.invoke(
        args=[
            "forum",
            "create-admin",
            "--username",
            "root1",
            "--email",
            "x@example.org",
            "--password",
            "a long admin pass",
        ]
    )
    assert again.exit_code != 0 and "taken" in again.output


def test_a_site_hashes_with_scrypt_and_unknown_logins_cost_the_same(make_app, tmp_path):
    """The fixtures' cheap hash is the tests' own setting; a site gets scrypt, and an unknown
    user's login is checked against a hash of the same method (no timing difference)."""
    from forum.accounts import services
    from forum.config import layered

    assert layered(str(tmp_path))[0]["PASSWORD_HASH_METHOD"] == "scrypt"
    app = make_app(PASSWORD_HASH_METHOD="scrypt")
    with app.app_context():
        user = services.create_user("sam", "sam@example.org", PASSWORD)
        db.session.commit()
        assert user.password_hash.startswith("scrypt:32768:8:1$")
        assert services.authenticate("sam", PASSWORD) is not None
        assert services._dummy_hash("scrypt").startswith("scrypt:")
        assert services.authenticate("nobody", PASSWORD) is None
