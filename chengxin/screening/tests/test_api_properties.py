"""The property-based run over the credit-check API's served schema (ADR 0022): requests
generated from the schema, with a valid token, find no server error and no answer off the
schema. Bounded: a fixed number of derandomized examples per operation, few on the writes."""

from __future__ import annotations

from collections.abc import Callable

from django.test import Client
from hypothesis import strategies as st

from chengxin.accounts.models import User
from chengxin.accounts.tokens import issue_token
from chengxin.core.tests.api_schema import property_run
from chengxin.screening.models import CreditCheck, ListEntry

# Writes store a check each (and a batch up to its size): a handful is enough to cover them.
EXAMPLES = {("post", "/api/v1/checks"): 8, ("post", "/api/v1/checks/batch"): 4}


def test_generated_requests_find_no_server_error_and_no_schema_violation(
    client: Client, checker: User, make_entry: Callable[..., ListEntry]
) -> None:
    listed = make_entry(subject_name="枣庄市台儿庄区华兴建材有限公司")
    token = issue_token(checker, "性质测试")[1]
    client.post(
        "/api/v1/checks",
        {"scenario": "bidding", "matter": "X", "credit_code": listed.credit_code},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    existing = CreditCheck.objects.get().pk
    problems = property_run(
        client,
        "screening_api:openapi-json",
        headers={"Authorization": f"Bearer {token}"},
        examples=lambda method, template: EXAMPLES.get((method, template), 12),
        path_values={"id": st.one_of(st.just(existing), st.integers())},
    )
    assert problems == []
