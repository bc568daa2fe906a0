"""`flask forum rerender` rebuilds stored HTML when the allow-list changes."""

from forum.extensions import db


def test_rerender_rebuilds_stale_html(runner, make_comment, make_part):
    comment = make_comment(body="Some *emphasis*")
    part = make_part(body="A **strong** body")
    comment.body_html = "<p>stale</p>"
    part.body_html = "<script>stale</script>"
    db.session.commit()
    result = runner.invoke(args=["forum", "rerender"])
    assert result.exit_code == 0, result.output
    db.session.expire_all()
    assert comment.body_html == "<p>Some <em>emphasis</em></p>"
    assert "<strong>strong</strong>" in part.body_html and "script" not in part.body_html
    assert "Comment.body_html: 1 re-rendered" in result.output
    again = runner.invoke(args=["forum", "rerender"])
    assert "Comment.body_html: 0 re-rendered" in again.output
