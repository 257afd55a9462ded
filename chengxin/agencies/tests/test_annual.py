"""The agencies figures of the annual report, from hand-made data, and the lists behind them."""

from __future__ import annotations

import datetime
from collections.abc import Callable

import pytest

from chengxin.accounts.models import User
from chengxin.agencies import annual
from chengxin.agencies.choices import BodyStatus, OfficerStatus
from chengxin.agencies.models import EnforcementBody, EnforcementOfficer
from chengxin.agencies.tests.conftest import logged_in

pytestmark = pytest.mark.django_db

MakeBody = Callable[..., EnforcementBody]
MakeOfficer = Callable[..., EnforcementOfficer]
YEAR = 2025
VALID = {
    "certificate_valid_from": datetime.date(YEAR - 1, 1, 1),
    "certificate_valid_until": datetime.date(YEAR + 3, 1, 1),
}


def test_agencies_figures(
    make_enforcement_body: MakeBody, make_enforcement_officer: MakeOfficer, law_admin: User
) -> None:
    confirmed = make_enforcement_body(confirmed_on=datetime.date(YEAR, 3, 15))
    make_enforcement_body(confirmed_on=datetime.date(YEAR - 1, 3, 15))  # in force, earlier
    make_enforcement_body(confirmed_on=datetime.date(YEAR + 1, 1, 1))  # next year's
    make_enforcement_body(
        confirmed_on=datetime.date(YEAR - 2, 1, 1),
        status=BodyStatus.REVOKED,
        revoking_document="撤销文",
        revoked_on=datetime.date(YEAR, 12, 31),
    )  # revoked on the last day: not in force at year end
    make_enforcement_body(
        confirmed_on=datetime.date(YEAR - 2, 1, 1),
        status=BodyStatus.REVOKED,
        revoking_document="撤销文",
        revoked_on=datetime.date(YEAR + 1, 1, 2),
    )  # revoked next year: in force at year end
    make_enforcement_officer(body=confirmed, **VALID)
    make_enforcement_officer(
        body=confirmed,
        certificate_valid_from=datetime.date(YEAR - 5, 1, 1),
        certificate_valid_until=datetime.date(YEAR, 12, 30),
    )  # certificate expired before the year end
    make_enforcement_officer(
        body=confirmed,
        status=OfficerStatus.REMOVED,
        status_changed_on=datetime.date(YEAR, 6, 30),
        **VALID,
    )
    make_enforcement_officer(
        body=confirmed,
        status=OfficerStatus.REMOVED,
        status_changed_on=datetime.date(YEAR + 1, 1, 5),
        **VALID,
    )  # on duty at the year end, removed after
    make_enforcement_officer(
        body=confirmed,
        status=OfficerStatus.CANCELLED,
        status_changed_on=datetime.date(YEAR, 5, 1),
        **VALID,
    )

    [section] = annual.sections(YEAR)
    values = {figure.key: figure.value for figure in section.figures}
    assert values == {
        "agencies.bodies_confirmed": 1,
        "agencies.bodies_in_force": 3,
        "agencies.officers_removed": 1,
        "agencies.officers_on_duty": 2,
    }
    urls = {figure.key: figure.url for figure in section.figures}
    listed = logged_in(law_admin).get(urls["agencies.bodies_confirmed"]).context["page"]
    assert [body.pk for body in listed] == [confirmed.pk]
    removed = logged_in(law_admin).get(urls["agencies.officers_removed"]).context["page"]
    assert len(removed) == 1
