"""The property-based run over the public API's served schema (ADR 0022): requests generated
from the schema find no server error and no answer off the schema, within the per-address
search budget (`PORTAL_RATE_LIMITS["search"]`: the run stays below it, and a 429 would be a
documented answer anyway)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.conf import settings
from django.test import Client
from hypothesis import strategies as st

from chengxin.core.tests.api_schema import property_run
from chengxin.portal.tests.fixtures import company
from chengxin.screening.models import ListEntry

pytestmark = pytest.mark.django_db


def test_generated_requests_find_no_server_error_and_no_schema_violation(
    client: Client, make_entry: Callable[..., ListEntry]
) -> None:
    firm = company("枣庄市台儿庄区宏达商贸有限公司")
    make_entry(subject=firm, subject_name=firm.name, credit_code=firm.credit_code)
    allowed = settings.PORTAL_RATE_LIMITS["search"][0]
    per_operation = min(15, allowed // 3)  # three operations share the search budget
    problems = property_run(
        client,
        "public_api:openapi-json",
        examples=lambda method, template: per_operation,
        path_values={"id": st.one_of(st.just(firm.credit_code), st.text(min_size=1))},
    )
    assert problems == []
