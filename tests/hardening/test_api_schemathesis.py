"""schemathesis drives the API from its own OpenAPI document, against the WSGI app in-process:
no 5xx, responses conform to the documented schema, status codes are documented ones."""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error

SETTINGS = settings(
    max_examples=12,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)


@pytest.mark.slow
def test_api_conforms_to_its_openapi_document(
    app, make_characteristic, make_part, make_comment, make_user
):
    """schemathesis' pytest plugin does not load under pytest 9, so its Python API drives hypothesis."""
    c = make_characteristic(slug="trust")
    expert = make_user("expert1", roles=("member", "expert"))
    make_part(characteristic=c, author=expert, part_number=1)
    make_comment(characteristic=c, author=make_user("member1"))
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 10
    failures, calls = [], []
    for operation in operations:

        @SETTINGS
        @given(case=operation.as_strategy())
        def check(case):
            response = case.call()
            calls.append(response.status_code)
            if response.status_code >= 500:
                failures.append((case.method, case.formatted_path, response.status_code))
            case.validate_response(response, checks=(not_a_server_error,))

        check()
    assert not failures, failures
    assert len(calls) >= 5 * len(operations), len(calls)
