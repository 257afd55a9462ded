"""The qualification clean-up (清理): who is proposed, with which reasons, and the confirmation."""

from __future__ import annotations

import datetime
from collections.abc import Callable

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.timezone import localdate

from chengxin.accounts.models import User
from chengxin.agencies import actions, rules
from chengxin.agencies.choices import EventType, OfficerStatus
from chengxin.agencies.models import AgencyEvent, EnforcementOfficer
from chengxin.audit.models import AuditEntry
from chengxin.core.models import LocalSetting

pytestmark = pytest.mark.django_db

MakeOfficer = Callable[..., EnforcementOfficer]


def proposed(day: datetime.date | None = None) -> dict[str, tuple[str, ...]]:
    return {p.officer.name: p.reasons for p in rules.propose_cleanup(day or localdate())}


def test_qualified_officer_is_not_proposed(make_enforcement_officer: MakeOfficer) -> None:
    make_enforcement_officer(name="合格", certificate_valid_until=localdate())
    assert proposed() == {}


def test_legal_qualification_alone_or_exam_alone_is_enough(
    make_enforcement_officer: MakeOfficer,
) -> None:
    make_enforcement_officer(name="有资格", has_legal_qualification=True, exam_passed=False)
    make_enforcement_officer(name="考试合格", has_legal_qualification=False, exam_passed=True)
    make_enforcement_officer(name="都没有", has_legal_qualification=False, exam_passed=False)
    assert proposed() == {"都没有": ("未取得法律职业资格且执法资格考试未通过",)}


def test_training_hours_below_the_minimum_are_proposed(
    make_enforcement_officer: MakeOfficer,
) -> None:
    make_enforcement_officer(name="六十", training_hours=60)
    make_enforcement_officer(name="五十九", training_hours=59)
    assert proposed() == {"五十九": ("年度培训 59 学时，低于 60 学时",)}


def test_training_minimum_is_a_local_setting(make_enforcement_officer: MakeOfficer) -> None:
    LocalSetting.objects.create(key="agencies.min_training_hours", value="40", note="本区规定")
    make_enforcement_officer(name="四十", training_hours=40)
    make_enforcement_officer(name="三十九", training_hours=39)
    assert proposed() == {"三十九": ("年度培训 39 学时，低于 40 学时",)}


def test_certificate_expired_yesterday_is_proposed_but_not_on_its_last_day(
    make_enforcement_officer: MakeOfficer,
) -> None:
    make_enforcement_officer(name="今天到期", certificate_valid_until=localdate())
    make_enforcement_officer(
        name="昨天到期", certificate_valid_until=(localdate() - datetime.timedelta(days=1))
    )
    assert proposed() == {
        "昨天到期": (f"执法证已于 {(localdate() - datetime.timedelta(days=1)):%Y-%m-%d} 到期",)
    }


def test_every_reason_is_listed(make_enforcement_officer: MakeOfficer) -> None:
    make_enforcement_officer(
        name="三项",
        has_legal_qualification=False,
        exam_passed=False,
        training_hours=12,
        certificate_valid_until=datetime.date(2025, 12, 31),
        certificate_valid_from=datetime.date(2021, 1, 1),
    )
    assert proposed() == {
        "三项": (
            "未取得法律职业资格且执法资格考试未通过",
            "年度培训 12 学时，低于 60 学时",
            "执法证已于 2025-12-31 到期",
        )
    }


@pytest.mark.parametrize(
    "status", [OfficerStatus.SUSPENDED, OfficerStatus.CANCELLED, OfficerStatus.REMOVED]
)
def test_officers_not_on_duty_are_not_proposed(
    make_enforcement_officer: MakeOfficer, status: str
) -> None:
    make_enforcement_officer(status=status, training_hours=0)
    assert proposed() == {}


def test_confirming_removes_the_selection_with_event_and_audit(
    make_enforcement_officer: MakeOfficer, law_admin: User
) -> None:
    today = localdate()
    expired = make_enforcement_officer(
        name="过期", certificate_valid_until=today - datetime.timedelta(days=3)
    )
    untrained = make_enforcement_officer(name="学时不足", training_hours=10)
    left = make_enforcement_officer(name="暂不清理", training_hours=5)

    removed = actions.remove_officers(
        [expired.pk, untrained.pk], actor=law_admin, reason="台司发〔2026〕3号", on=today
    )

    assert {o.pk for o in removed} == {expired.pk, untrained.pk}
    expired.refresh_from_db()
    assert expired.status == OfficerStatus.REMOVED
    assert expired.status_changed_on == today
    assert expired.status_reason.startswith("台司发〔2026〕3号（执法证已于")
    left.refresh_from_db()
    assert left.status == OfficerStatus.ON_DUTY
    events = AgencyEvent.objects.filter(type=EventType.OFFICER_REMOVED)
    assert {e.officer_id for e in events} == {expired.pk, untrained.pk}
    assert len({e.request_id for e in events}) == 1  # one bulk action
    entries = AuditEntry.objects.filter(
        object_type="agencies.enforcementofficer", action="updated", reason="台司发〔2026〕3号"
    )
    assert {e.object_id for e in entries} == {str(expired.pk), str(untrained.pk)}
    assert {e.request_id for e in entries} == {events[0].request_id}
    assert all(e.actor_id == law_admin.pk for e in entries)
    assert not expired.is_assignable_on(today)


def test_confirming_an_officer_no_longer_proposed_is_refused(
    make_enforcement_officer: MakeOfficer, law_admin: User
) -> None:
    untrained = make_enforcement_officer(name="学时不足", training_hours=10)
    qualified = make_enforcement_officer(name="合格人员")
    with pytest.raises(ValidationError) as excinfo:
        actions.remove_officers(
            [untrained.pk, qualified.pk], actor=law_admin, reason="清理", on=localdate()
        )
    assert "合格人员" in excinfo.value.messages[0]
    untrained.refresh_from_db()
    assert untrained.status == OfficerStatus.ON_DUTY
    assert not AgencyEvent.objects.filter(type=EventType.OFFICER_REMOVED).exists()


def test_clean_up_needs_a_reason(make_enforcement_officer: MakeOfficer, law_admin: User) -> None:
    officer = make_enforcement_officer(training_hours=10)
    with pytest.raises(ValidationError):
        actions.remove_officers([officer.pk], actor=law_admin, reason=" ", on=localdate())


def test_enforcement_officer_may_not_confirm_a_clean_up(
    make_enforcement_officer: MakeOfficer, case_officer: User
) -> None:
    officer = make_enforcement_officer(training_hours=10)
    with pytest.raises(PermissionDenied):
        actions.remove_officers([officer.pk], actor=case_officer, reason="清理", on=localdate())
    officer.refresh_from_db()
    assert officer.status == OfficerStatus.ON_DUTY
