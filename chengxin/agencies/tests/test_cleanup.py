"""The qualification clean-up (清理): who is proposed, with which reasons, and the confirmation;
the departures (调离 / 退休) the rule-of-law office declares."""

from __future__ import annotations

import datetime
from collections.abc import Callable

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.timezone import localdate

from chengxin.accounts.models import User
from chengxin.agencies import actions, rules
from chengxin.agencies.choices import EventType, OfficerStatus, RemovalReason, Staffing
from chengxin.agencies.models import AgencyEvent, EnforcementOfficer
from chengxin.audit.models import AuditEntry
from chengxin.core.models import LocalSetting

pytestmark = pytest.mark.django_db

MakeOfficer = Callable[..., EnforcementOfficer]


def proposed(day: datetime.date | None = None) -> dict[str, tuple[str, ...]]:
    return {p.officer.name: p.reasons for p in rules.propose_cleanup(day or localdate())}


def legacy(officer: EnforcementOfficer, **fields: object) -> EnforcementOfficer:
    """Write values the rules now refuse, as data entered before they held (the clean-up's
    reason to exist)."""
    EnforcementOfficer.objects.filter(pk=officer.pk).update(**fields)
    officer.refresh_from_db()
    return officer


def test_qualified_officer_is_not_proposed(make_enforcement_officer: MakeOfficer) -> None:
    make_enforcement_officer(name="合格", certificate_valid_until=localdate())
    assert proposed() == {}


def test_a_failed_exam_is_proposed_even_with_the_legal_qualification(
    make_enforcement_officer: MakeOfficer,
) -> None:
    """The exam is the qualification to enforce (行政处罚法 art. 42); a 法律职业资格 does not
    replace it (before: either was enough, and 考试未通过 holders with one were kept)."""
    legacy(make_enforcement_officer(name="有资格"), exam_passed=False)
    make_enforcement_officer(name="考试合格", has_legal_qualification=False, exam_passed=True)
    legacy(
        make_enforcement_officer(name="都没有"), has_legal_qualification=False, exam_passed=False
    )
    assert proposed() == {"有资格": ("执法资格考试未通过",), "都没有": ("执法资格考试未通过",)}


@pytest.mark.parametrize(
    ("staffing", "reason"),
    [
        (Staffing.ADMINISTRATIVE, None),
        (Staffing.PUBLIC_INSTITUTION, None),
        (Staffing.LABOUR_DISPATCH, "编制身份为“劳务派遣”，不得持有行政执法证"),
        (Staffing.SUPPORT_STAFF, "编制身份为“工勤”，不得持有行政执法证"),
        (Staffing.OTHER, "编制身份为“其他”，不得持有行政执法证"),
        ("", None),  # not recorded: asked for on the next edit, not proposed
    ],
)
def test_non_established_staff_are_proposed(
    make_enforcement_officer: MakeOfficer, staffing: str, reason: str | None
) -> None:
    legacy(make_enforcement_officer(name="人员"), staffing=staffing)
    assert proposed() == ({"人员": (reason,)} if reason else {})


def test_a_district_may_narrow_the_established_kinds(
    make_enforcement_officer: MakeOfficer,
) -> None:
    """Boundary: with the setting narrowed to 行政编制 and 参公, a 事业编制 holder is proposed."""
    LocalSetting.objects.create(
        key="agencies.certificate_staffing", value="administrative,civil_service_managed"
    )
    make_enforcement_officer(name="参公", staffing=Staffing.CIVIL_SERVICE_MANAGED)
    legacy(make_enforcement_officer(name="事业"), staffing=Staffing.PUBLIC_INSTITUTION)
    assert proposed() == {"事业": ("编制身份为“事业编制”，不得持有行政执法证",)}


def test_the_staffing_setting_never_admits_non_established_staff() -> None:
    setting = LocalSetting(
        key="agencies.certificate_staffing", value="administrative,labour_dispatch"
    )
    with pytest.raises(ValidationError):
        setting.full_clean()
    LocalSetting(key="agencies.certificate_staffing", value="administrative").full_clean()


def test_the_removal_reason_is_recorded(
    make_enforcement_officer: MakeOfficer, law_admin: User
) -> None:
    """The first reason that applies, 非在编 before the others."""
    dispatched = legacy(
        make_enforcement_officer(name="派遣", training_hours=10), staffing=Staffing.LABOUR_DISPATCH
    )
    actions.remove_officers([dispatched.pk], actor=law_admin, reason="清理", on=localdate())
    dispatched.refresh_from_db()
    assert dispatched.removal_reason == RemovalReason.NOT_ESTABLISHED
    assert dispatched.status == OfficerStatus.REMOVED


@pytest.mark.parametrize("why", [RemovalReason.TRANSFERRED, RemovalReason.RETIRED])
def test_a_departed_officer_is_removed_with_the_declared_reason(
    make_enforcement_officer: MakeOfficer, law_admin: User, why: str
) -> None:
    """调离 / 退休: qualified officers no rule proposes, removed on the office's declaration."""
    officer = make_enforcement_officer(name="调走")
    suspended = make_enforcement_officer(name="暂停中", status=OfficerStatus.SUSPENDED)
    assert proposed() == {}
    actions.remove_departed_officers(
        [officer.pk, suspended.pk],
        actor=law_admin,
        why=why,
        reason="台组干〔2026〕5号",
        on=localdate(),
    )
    for person in (officer, suspended):
        person.refresh_from_db()
        assert (person.status, person.removal_reason) == (OfficerStatus.REMOVED, why)
        assert person.status_reason == f"台组干〔2026〕5号（{RemovalReason(why).label}）"
    assert AgencyEvent.objects.filter(type=EventType.OFFICER_REMOVED).count() == 2


def test_a_departure_needs_a_declared_reason_and_a_holder(
    make_enforcement_officer: MakeOfficer, law_admin: User
) -> None:
    officer = make_enforcement_officer(name="在岗")
    cancelled = make_enforcement_officer(name="已注销", status=OfficerStatus.CANCELLED)
    with pytest.raises(ValidationError):  # a rule's reason is not declared
        actions.remove_departed_officers(
            [officer.pk], actor=law_admin, why=RemovalReason.TRAINING, reason="x", on=localdate()
        )
    with pytest.raises(ValidationError, match="已注销"):
        actions.remove_departed_officers(
            [officer.pk, cancelled.pk],
            actor=law_admin,
            why=RemovalReason.RETIRED,
            reason="退休",
            on=localdate(),
        )
    officer.refresh_from_db()
    assert officer.status == OfficerStatus.ON_DUTY


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
    officer = make_enforcement_officer(
        name="四项",
        has_legal_qualification=False,
        training_hours=12,
        certificate_valid_until=datetime.date(2025, 12, 31),
        certificate_valid_from=datetime.date(2021, 1, 1),
    )
    legacy(officer, exam_passed=False, staffing=Staffing.SUPPORT_STAFF)
    assert proposed() == {
        "四项": (
            "编制身份为“工勤”，不得持有行政执法证",
            "执法资格考试未通过",
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
