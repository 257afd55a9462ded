"""Public pages come from the cache until what is public changes (portal.cache)."""

from __future__ import annotations

import datetime
import re

import pytest
from django.test import Client
from django.utils.timezone import localdate

from chengxin.accounts.choices import Role
from chengxin.portal.cache import CSRF_PLACEHOLDER
from chengxin.portal.tests.fixtures import company, penalty
from chengxin.publicity import actions
from chengxin.publicity.choices import RecordStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def reporter(make_user, make_department):
    return make_user(
        Role.DEPARTMENT_REPORTER, department=make_department(name="台儿庄区市场监督管理局")
    )


def test_the_subject_page_is_served_from_the_cache(client, django_assert_num_queries) -> None:
    url = f"/subjects/{company().public_id}/"
    first = client.get(url)
    with django_assert_num_queries(0):
        second = client.get(url)
    assert first.status_code == second.status_code == 200
    assert second.content.decode().count("/subjects/") >= 1


def test_publication_and_withdrawal_change_the_cached_page(
    client, reporter, django_capture_on_commit_callbacks
) -> None:
    firm = company()
    url = f"/subjects/{firm.public_id}/"
    record = penalty(
        firm, reporter.department, status=RecordStatus.DRAFT, decision_date=localdate()
    )
    assert record.decision_number not in client.get(url).content.decode()  # now cached

    with django_capture_on_commit_callbacks(execute=True):
        record = actions.submit_record(record, actor=reporter)  # published at once
    assert record.status == RecordStatus.PUBLISHED
    assert record.decision_number in client.get(url).content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        actions.withdraw_record(
            record, actor=reporter, reason="复议决定撤销", revoked_on=localdate()
        )
    assert record.decision_number not in client.get(url).content.decode()


def test_a_rolled_back_change_bumps_nothing(client, django_capture_on_commit_callbacks) -> None:
    from django.db import transaction

    from chengxin.portal.cache import bump_public_version, public_version

    before = public_version()
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        bump_public_version()
        raise RuntimeError
    assert callbacks == [] and public_version() == before


def test_the_cached_page_is_rendered_again_the_next_day(
    client, clock, django_assert_max_num_queries
) -> None:
    url = f"/subjects/{company().public_id}/"
    client.get(url)
    clock.travel(localdate() + datetime.timedelta(days=1))
    with django_assert_max_num_queries(10) as queries:
        client.get(url)
    assert len(queries.captured_queries) > 0  # read again: yesterday's page is not served


def test_each_visitor_gets_their_own_csrf_token_in_a_cached_page() -> None:
    url = f"/subjects/{company().public_id}/"
    Client().get(url)  # fills the cache
    visitor = Client(enforce_csrf_checks=True)
    page = visitor.get(url).content.decode()
    assert CSRF_PLACEHOLDER not in page
    (token,) = re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    switched = visitor.post(
        "/i18n/setlang/", {"language": "en", "next": url, "csrfmiddlewaretoken": token}
    )
    assert switched.status_code == 302
    assert (
        "Credit report" in visitor.get(url).content.decode()
        or visitor.get(url)["Content-Language"] == "en"
    )


def test_staff_get_their_own_page_not_the_cached_one(client, reporter) -> None:
    url = f"/subjects/{company().public_id}/"
    assert "工作人员登录" in client.get(url).content.decode()  # cached for the public
    client.force_login(reporter)
    page = client.get(url).content.decode()
    assert "工作人员登录" not in page and "工作台" in page
