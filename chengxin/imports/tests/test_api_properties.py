"""The property-based run over the records API's served schema (ADR 0022): requests generated
from the schema, with a valid token, find no server error and no answer off the schema.
Bounded: every write runs the import pipeline, so 3 derandomized examples per operation."""

from __future__ import annotations

from django.test import Client

from chengxin.accounts.choices import Role
from chengxin.accounts.tokens import issue_token
from chengxin.core.tests.api_schema import property_run

EXAMPLES = 3


def test_generated_requests_find_no_server_error_and_no_schema_violation(
    client: Client, make_user, make_department
) -> None:
    reporter = make_user(Role.DEPARTMENT_REPORTER, department=make_department())
    token = issue_token(reporter, "性质测试")[1]
    problems = property_run(
        client,
        "records_api:openapi-json",
        headers={"Authorization": f"Bearer {token}"},
        examples=lambda method, template: EXAMPLES,
    )
    assert problems == []
