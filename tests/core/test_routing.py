"""``url_with_id``: one URL built per request, the same answer ``url_for`` gives for every id."""

from flask import url_for

from forum.routing import url_with_id


def test_url_with_id_matches_url_for(app):
    with app.test_request_context("/"):
        for object_id in (1, 7, 2024, 2**31 - 2):
            for kind in ("comment", "part"):
                assert url_with_id("moderation.flag", "object_id", object_id, kind=kind) == url_for(
                    "moderation.flag", kind=kind, object_id=object_id
                )
        assert url_with_id("discussion.edit", "comment_id", 42) == url_for(
            "discussion.edit", comment_id=42
        )
