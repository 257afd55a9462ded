"""Rules of one body and one officer: 受委托 needs its entrusting body; who may be assigned."""

from __future__ import annotations

import datetime
from collections.abc import Callable

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.timezone import localdate

from chengxin.agencies.choices import BodyKind, BodyStatus, OfficerStatus
from chengxin.agencies.models import EnforcementBody, EnforcementOfficer

pytestmark = pytest.mark.django_db

MakeBody = Callable[..., EnforcementBody]
MakeOfficer = Callable[..., EnforcementOfficer]


def test_entrusted_body_with_its_entrusting_body_is_valid(make_enforcement_body: MakeBody) -> None:
    entrusting = make_enforcement_body(name="台儿庄区城市管理局")
    entrusted = make_enforcement_body(
        name="台儿庄区古城管理服务中心", kind=BodyKind.ENTRUSTED, entrusting_body=entrusting
    )
    assert entrusted.entrusting_body == entrusting
    assert list(entrusting.entrusted_bodies.all()) == [entrusted]


def test_entrusted_body_without_entrusting_body_is_refused(make_enforcement_body: MakeBody) -> None:
    with pytest.raises(ValidationError) as excinfo:
        make_enforcement_body(kind=BodyKind.ENTRUSTED)
    assert excinfo.value.message_dict["entrusting_body"] == ["受委托组织必须填写委托机关。"]


def test_database_refuses_entrusted_body_without_entrusting_body(
    make_enforcement_body: MakeBody,
) -> None:
    body = make_enforcement_body()
    body.kind = BodyKind.ENTRUSTED
    with pytest.raises(IntegrityError), transaction.atomic():
        body.save()


def test_entrusted_body_cannot_be_entrusted_by_an_entrusted_body(
    make_enforcement_body: MakeBody,
) -> None:
    statutory = make_enforcement_body()
    entrusted = make_enforcement_body(kind=BodyKind.ENTRUSTED, entrusting_body=statutory)
    with pytest.raises(ValidationError) as excinfo:
        make_enforcement_body(kind=BodyKind.ENTRUSTED, entrusting_body=entrusted)
    assert "entrusting_body" in excinfo.value.message_dict


def test_statutory_body_may_not_name_an_entrusting_body(make_enforcement_body: MakeBody) -> None:
    other = make_enforcement_body()
    with pytest.raises(ValidationError) as excinfo:
        make_enforcement_body(kind=BodyKind.STATUTORY, entrusting_body=other)
    assert excinfo.value.message_dict["entrusting_body"] == ["只有受委托组织填写委托机关。"]


def test_body_credit_code_is_validated(make_enforcement_body: MakeBody) -> None:
    with pytest.raises(ValidationError) as excinfo:
        make_enforcement_body(credit_code="11370405MB2851234X")
    assert "credit_code" in excinfo.value.message_dict


def test_revoked_body_needs_document_and_date(make_enforcement_body: MakeBody) -> None:
    with pytest.raises(ValidationError) as excinfo:
        make_enforcement_body(status=BodyStatus.REVOKED)
    assert set(excinfo.value.message_dict) == {"revoking_document", "revoked_on"}


def test_active_queryset_leaves_out_revoked_bodies(make_enforcement_body: MakeBody) -> None:
    active = make_enforcement_body()
    make_enforcement_body(
        status=BodyStatus.REVOKED,
        revoking_document="台政字〔2026〕9号",
        revoked_on=localdate(),
    )
    assert list(EnforcementBody.objects.active()) == [active]


def test_officer_is_assignable_up_to_and_including_the_last_valid_day(
    make_enforcement_officer: MakeOfficer,
) -> None:
    last_day = datetime.date(2026, 6, 30)
    officer = make_enforcement_officer(
        certificate_valid_from=datetime.date(2024, 7, 1), certificate_valid_until=last_day
    )
    assert officer.is_assignable_on(last_day)
    assert officer.is_assignable_on(datetime.date(2024, 7, 1))
    assert not officer.is_assignable_on(last_day + datetime.timedelta(days=1))
    assert not officer.is_assignable_on(datetime.date(2024, 6, 30))
    on = EnforcementOfficer.objects.assignable_on
    assert list(on(last_day)) == [officer]
    assert list(on(last_day + datetime.timedelta(days=1))) == []


def test_expired_certificate_is_not_assignable_today(make_enforcement_officer: MakeOfficer) -> None:
    yesterday = localdate() - datetime.timedelta(days=1)
    officer = make_enforcement_officer(certificate_valid_until=yesterday)
    assert not officer.is_assignable_on(localdate())
    assert not EnforcementOfficer.objects.assignable_on(localdate()).exists()


@pytest.mark.parametrize(
    "status", [OfficerStatus.SUSPENDED, OfficerStatus.CANCELLED, OfficerStatus.REMOVED]
)
def test_officer_not_on_duty_is_not_assignable(
    make_enforcement_officer: MakeOfficer, status: str
) -> None:
    officer = make_enforcement_officer(status=status)
    assert not officer.is_assignable_on(localdate())
    assert not EnforcementOfficer.objects.assignable_on(localdate()).exists()


def test_officer_of_a_revoked_body_is_not_assignable(
    make_enforcement_body: MakeBody, make_enforcement_officer: MakeOfficer
) -> None:
    body = make_enforcement_body(
        status=BodyStatus.REVOKED,
        revoking_document="台政字〔2026〕9号",
        revoked_on=localdate(),
    )
    officer = make_enforcement_officer(body=body)
    assert not officer.is_assignable_on(localdate())
    assert not EnforcementOfficer.objects.assignable_on(localdate()).exists()


def test_certificate_period_must_be_ordered(make_enforcement_officer: MakeOfficer) -> None:
    with pytest.raises(ValidationError) as excinfo:
        make_enforcement_officer(
            certificate_valid_from=datetime.date(2026, 1, 2),
            certificate_valid_until=datetime.date(2026, 1, 1),
        )
    assert "certificate_valid_until" in excinfo.value.message_dict


def test_certificate_number_is_unique(make_enforcement_officer: MakeOfficer) -> None:
    make_enforcement_officer(certificate_number="37040500123456")
    with pytest.raises(ValidationError) as excinfo:
        make_enforcement_officer(certificate_number="37040500123456")
    assert "certificate_number" in excinfo.value.message_dict
