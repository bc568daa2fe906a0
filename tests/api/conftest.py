"""API test helpers: a small public world and an OpenAPI response validator."""

import re

import pytest
from jsonschema import Draft202012Validator

from forum.extensions import db
from forum.series.models import ExpertProfile


@pytest.fixture
def world(make_series, make_characteristic, make_part, make_comment, make_user):
    series = make_series(slug="kmc")
    ch = make_characteristic(
        series=series,
        slug="trust",
        title="Trust",
        number=2,
        prompts=("What does trust mean to you?", "How is it built?"),
    )
    expert = make_user("demo_expert", roles=("member", "expert"), display_name="Dr Demo")
    db.session.add(
        ExpertProfile(
            user_id=expert.id,
            affiliation="Demo Org",
            country="Nowhere",
            is_demo=True,
            bio_html="<p>A fictional demo persona.</p>",
        )
    )
    db.session.commit()
    part = make_part(
        characteristic=ch, author=expert, title="Trust takes time", body="Heron words."
    )
    future = make_part(characteristic=ch, author=expert, publish_at="future", body="apicanary")
    member = make_user("reader")
    comment = make_comment(characteristic=ch, author=member, body="A reply about herons.")
    guest = make_comment(characteristic=ch, guest_name="Visitor", body="Guest words.")
    pending = make_comment(characteristic=ch, author=member, status="pending", body="apicanary")
    return {
        "series": series,
        "ch": ch,
        "expert": expert,
        "part": part,
        "future": future,
        "member": member,
        "comment": comment,
        "guest": guest,
        "pending": pending,
    }


class OpenAPIChecker:
    """Finds the operation for a request in the document and validates the response body."""

    def __init__(self, document):
        self.document = document
        self.seen: set[tuple[str, str, str]] = set()
        self.patterns = []
        for template in document["paths"]:
            regex = "^" + re.sub(r"\{[^}]+\}", "[^/]+", template.rstrip("/")) + "/?$"
            self.patterns.append((re.compile(regex), template))

    def template(self, path: str) -> str:
        path = path.split("?")[0][len("/api/v1") :] or "/"
        matches = [t for rx, t in self.patterns if rx.match(path)]
        assert matches, f"{path} is not in the OpenAPI document"
        return max(
            matches, key=lambda t: len(t.replace("{", "").replace("}", "")) - t.count("{") * 50
        )

    def check(self, method: str, path: str, response) -> dict:
        template = self.template(path)
        operation = self.document["paths"][template].get(method.lower())
        assert operation, f"{method} {template} is not documented"
        status = str(response.status_code)
        assert status in operation["responses"], (
            f"{method} {template} answered undocumented {status}"
        )
        documented = operation["responses"][status]["content"]
        assert response.mimetype in documented, f"{response.mimetype} not documented for {status}"
        schema = {
            **documented[response.mimetype]["schema"],
            "components": self.document["components"],
        }
        body = response.get_json()
        Draft202012Validator(schema).validate(body)
        self.seen.add((method.upper(), template, status))
        return body


@pytest.fixture
def openapi(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    document = response.get_json()
    Draft202012Validator.check_schema({"$defs": document["components"]["schemas"]})
    return OpenAPIChecker(document)
