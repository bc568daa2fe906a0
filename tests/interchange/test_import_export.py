"""`flask forum import` / `export`: validation by JSON path, idempotence, round trip."""

import json

from sqlalchemy import func, select

from forum.accounts.models import User
from forum.discussion.models import Comment
from forum.extensions import db
from forum.series.models import Characteristic, Part, Series
from forum.visibility import SYSTEM, as_actor


def document(comments=3):
    return {
        "format": "mentorship-forum/series@1",
        "slug": "kmc",
        "title": "Key Mentorship Characteristics",
        "description": "A series.",
        "characteristics": [
            {
                "number": 1,
                "slug": "confidentiality",
                "title": "Confidentiality",
                "definition": "What stays *between* us.",
                "prompts": [
                    "What is its role?",
                    "What does it mean to you?",
                    "How is it developed?",
                ],
                "parts": [
                    {
                        "part_number": 1,
                        "author": "demo_ada",
                        "author_name": "Ada Demo",
                        "affiliation": "Example Ltd",
                        "country": "Finland",
                        "title": "Part 1",
                        "markdown": "Body **one**.",
                        "publish_at": "2026-01-01T09:00:00Z",
                    },
                    {
                        "part_number": 2,
                        "author": "demo_ben",
                        "title": "Part 2",
                        "markdown": "Body two.",
                        "publish_at": "2099-01-01T09:00:00Z",
                    },
                ],
                "comments": [
                    {
                        "author": "reader_1",
                        "markdown": f"Comment {i}",
                        "created_at": f"2026-02-01T10:{i % 60:02d}:00Z",
                        "reply_to": 0 if i else None,
                    }
                    for i in range(comments)
                ]
                + [
                    {
                        "guest_name": "A guest",
                        "markdown": "From a guest",
                        "created_at": "2026-02-02T10:00:00Z",
                    }
                ],
            }
        ],
    }


def write(tmp_path, doc, name="series.json"):
    path = tmp_path / name
    path.write_text(json.dumps(doc) if not isinstance(doc, str) else doc)
    return str(path)


def counts():
    with as_actor(SYSTEM):
        return tuple(
            db.session.scalar(select(func.count()).select_from(m))
            for m in (Series, Characteristic, Part, Comment)
        )


def test_import_creates_everything_and_is_idempotent(runner, tmp_path):
    path = write(tmp_path, document())
    result = runner.invoke(args=["forum", "import", path])
    assert result.exit_code == 0, result.output
    assert counts() == (1, 1, 2, 4)
    ada = db.session.execute(select(User).where(User.username == "demo_ada")).scalar_one()
    assert "expert" in ada.role_names and ada.password_hash.startswith("!")
    reader = db.session.execute(select(User).where(User.username == "reader_1")).scalar_one()
    assert reader.role_names == {"member"}
    with as_actor(SYSTEM):
        replies = db.session.scalars(select(Comment).where(Comment.reply_to_id.is_not(None))).all()
        first = db.session.scalars(select(Comment).order_by(Comment.id)).first()
        html = db.session.scalar(select(Part.body_html).where(Part.part_number == 1))
    assert len(replies) == 2 and all(c.reply_to_id == first.id for c in replies)
    assert "<strong>one</strong>" in html
    again = runner.invoke(args=["forum", "import", path])
    assert again.exit_code == 0, again.output
    assert counts() == (1, 1, 2, 4)


def test_future_part_imported_but_not_public(runner, tmp_path, client):
    runner.invoke(args=["forum", "import", write(tmp_path, document())])
    with as_actor(None):
        public = db.session.scalars(select(Part.part_number)).all()
    assert public == [1]


def test_invalid_document_reports_paths_and_writes_nothing(runner, tmp_path):
    doc = document()
    doc["characteristics"][0]["parts"][1]["publish_at"] = "next tuesday"
    doc["characteristics"][0]["comments"][1]["reply_to"] = 5
    doc["characteristics"][0]["slug"] = "Not A Slug"
    result = runner.invoke(args=["forum", "import", write(tmp_path, doc)])
    assert result.exit_code != 0
    assert "$.characteristics[0].slug" in result.output
    assert counts() == (0, 0, 0, 0)
    doc["characteristics"][0]["slug"] = "ok-slug"
    result = runner.invoke(args=["forum", "import", write(tmp_path, doc)])
    assert "$.characteristics[0].parts[1].publish_at" in result.output
    assert "$.characteristics[0].comments[1].reply_to" in result.output
    assert counts() == (0, 0, 0, 0)


def test_broken_json_and_encoding(runner, tmp_path):
    result = runner.invoke(args=["forum", "import", write(tmp_path, "{not json")])
    assert result.exit_code != 0 and "invalid JSON at line 1" in result.output
    path = tmp_path / "bad.json"
    path.write_bytes(b'{"slug": "\xff"}')
    result = runner.invoke(args=["forum", "import", str(path)])
    assert result.exit_code != 0 and "UTF-8" in result.output


def test_export_round_trip(runner, tmp_path):
    runner.invoke(args=["forum", "import", write(tmp_path, document())])
    out = tmp_path / "out.json"
    result = runner.invoke(args=["forum", "export", "--series", "kmc", "-o", str(out)])
    assert result.exit_code == 0, result.output
    exported = json.loads(out.read_text())
    ch = exported["characteristics"][0]
    assert [p["part_number"] for p in ch["parts"]] == [1, 2]
    assert ch["parts"][0]["affiliation"] == "Example Ltd"
    assert len(ch["comments"]) == 4 and ch["comments"][1]["reply_to"] == 0
    # importing the export changes nothing
    assert runner.invoke(args=["forum", "import", str(out)]).exit_code == 0
    assert counts() == (1, 1, 2, 4)


def test_export_unknown_series(runner):
    result = runner.invoke(args=["forum", "export", "--series", "nope"])
    assert result.exit_code != 0 and "No such series" in result.output


def test_only_web_addresses_are_accepted_and_linked(runner, tmp_path, client):
    doc = document()
    doc["characteristics"][0]["parts"][0]["website"] = "javascript:alert(1)"
    result = runner.invoke(args=["forum", "import", write(tmp_path, doc)])
    assert result.exit_code != 0 and "$.characteristics[0].parts[0].website" in result.output
    # a stored non-web address (from before this check) is shown without a link
    doc["characteristics"][0]["parts"][0]["website"] = "https://example.org/ada"
    assert runner.invoke(args=["forum", "import", write(tmp_path, doc)]).exit_code == 0
    from forum.series.models import ExpertProfile

    profile = db.session.execute(select(ExpertProfile)).scalars().first()
    profile.website = "javascript:alert(1)"
    db.session.commit()
    page = client.get("/c/confidentiality/part/1").get_data(as_text=True)
    assert "javascript:" not in page
