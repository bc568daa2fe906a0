"""The questions feed links to the site's own origin (FORUM_SERVER_NAME), behind its prefix."""


def test_questions_feed_links_to_the_server_name_not_the_asking_host(make_app):
    app = make_app(
        SERVER_NAME="forum.example.org",
        PREFERRED_URL_SCHEME="https",
        TRUSTED_HOSTS=["forum.example.org", "alias.example.org"],
    )
    response = app.test_client().get("/p/qa/questions.atom", base_url="https://alias.example.org")
    feed = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "<id>https://forum.example.org/p/qa/questions.atom</id>" in feed
    assert "alias.example.org" not in feed


def test_questions_feed_keeps_the_proxy_prefix(make_app):
    app = make_app(FORUM_PROXY_HOPS=1)
    response = app.test_client().get(
        "/p/qa/questions.atom",
        headers={
            "X-Forwarded-Host": "forum.example.org",
            "X-Forwarded-Proto": "https",
            "X-Forwarded-Prefix": "/forum",
        },
    )
    assert "<id>https://forum.example.org/forum/p/qa/questions.atom</id>" in response.get_data(
        as_text=True
    )
