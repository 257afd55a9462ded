"""Issue 21: the handling period of a penalty case (行政处罚法 art. 60: 90 days from 立案, calendar
days — art. 85 makes only the 二日、三日、五日、七日 working days), its extension by a sector's rule
(a dated local setting per field), the overdue list per body and the dashboard's items."""

from __future__ import annotations

import datetime
from collections.abc import Callable

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils.timezone import localdate

from chengxin.accounts.choices import Role
from chengxin.accounts.models import User
from chengxin.agencies.choices import Sector
from chengxin.agencies.models import EnforcementBody
from chengxin.cases import actions, attention, rules
from chengxin.cases.choices import CaseStatus, EventType
from chengxin.cases.models import Case, CaseEvent, HandlingExtension
from chengxin.cases.tests.fixtures import advance, prepare_decision
from chengxin.core import attention as core_attention
from chengxin.core.models import LocalSetting
from chengxin.powers.models import PowerItem

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


def ago(days: int) -> datetime.date:
    return localdate() - datetime.timedelta(days=days)


def test_the_period_is_ninety_calendar_days_from_registration() -> None:
    """2026-09-01 + 90 = 2026-11-30, the National Day holiday counted like any day."""
    assert rules.handling_deadline(datetime.date(2026, 9, 1)) == datetime.date(2026, 11, 30)
    assert rules.handling_deadline(datetime.date(2026, 12, 31)) == datetime.date(2027, 3, 31)


def test_a_penalty_case_gets_its_period_and_another_does_not(
    make_case: Callable[..., Case],
    make_power_item: Callable[..., PowerItem],
    case_department: object,
) -> None:
    case = make_case(registered_on=ago(10))
    assert case.handling_deadline == ago(10) + 90 * DAY
    licence = make_power_item(category="license", implementing_department=case_department)
    assert make_case(power_item=licence).handling_deadline is None


@pytest.mark.parametrize(("registered", "late"), [(90, False), (91, True)])
def test_a_decision_after_the_period_needs_a_reason(
    make_case: Callable[..., Case], handler: User, registered: int, late: bool
) -> None:
    """Boundary: registered 90 days ago, the last day is today (in time); 91 days ago, the
    decision is late and needs the reason, which is recorded with its event."""
    case = advance(make_case(registered_on=ago(registered)), handler, CaseStatus.NOTIFIED)
    prepare_decision(case)
    fields = {"decision_number": "台市监罚〔2026〕7号", "decision_summary": "警告。"}
    if not late:
        decided = actions.decide_case(case, actor=handler, **fields)
        assert not decided.is_decided_late and decided.overdue_reason == ""
        return
    with pytest.raises(ValidationError) as refused:
        actions.decide_case(case, actor=handler, **fields)
    assert refused.value.code == "overdue"
    decided = actions.decide_case(case, actor=handler, overdue_reason="当事人下落不明。", **fields)
    assert decided.is_decided_late and decided.overdue_reason == "当事人下落不明。"
    assert CaseEvent.objects.filter(case=case, type=EventType.DECIDED_LATE).exists()


@pytest.mark.parametrize(("registered", "overdue"), [(90, False), (91, True)])
def test_the_overdue_list(
    make_case: Callable[..., Case], handler: User, registered: int, overdue: bool
) -> None:
    case = make_case(registered_on=ago(registered))
    assert Case.objects.handling_overdue().filter(pk=case.pk).exists() is overdue
    assert attention._handling_overdue(handler, localdate()) == int(overdue)
    page = Client()
    page.force_login(handler)
    response = page.get(reverse("cases:handling"))
    assert response.status_code == 200
    assert (case in list(response.context["page"])) is overdue
    (row,) = response.context["rows"]
    assert (row.open, row.overdue) == (1, int(overdue))


def test_the_due_soon_list_and_the_dashboard(
    make_case: Callable[..., Case], handler: User, make_user: Callable[..., User]
) -> None:
    make_case(registered_on=ago(83))  # due in 7 days
    make_case(registered_on=ago(82))  # due in 8 days
    make_case(registered_on=ago(95))  # overdue
    client = Client()
    client.force_login(handler)
    soon = client.get(reverse("cases:handling"), {"due": "soon"})
    assert len(soon.context["page"]) == 1
    keys = {p.item.key: p.count for p in core_attention.pending_for(handler, localdate())}
    assert keys["cases_handling_overdue"] == 1 and keys["cases_handling_due_soon"] == 1
    dashboard = client.get(reverse("core:dashboard")).content.decode()
    assert "超过办案期限" in dashboard and reverse("cases:handling") in dashboard
    # the legal office reviews cases, it does not run them: no deadline item for it
    legal = make_user(Role.LEGAL_REVIEWER)
    assert attention._handling_overdue(legal, localdate()) == 0
    law = make_user(Role.RULE_OF_LAW_ADMIN)  # the 司法局 supervises every body
    assert attention._handling_overdue(law, localdate()) == 1


# --- extension (法律、法规、规章另有规定的，从其规定) ---------------------------------------------


@pytest.fixture
def market_body(case_body: EnforcementBody) -> EnforcementBody:
    case_body.sector = Sector.MARKET_REGULATION
    case_body.save()
    return case_body


def test_a_head_extends_a_market_case_once_by_at_most_thirty_days(
    make_case: Callable[..., Case], market_body: EnforcementBody, head: User, handler: User
) -> None:
    case = make_case(registered_on=ago(80))
    deadline = case.handling_deadline
    assert deadline is not None
    with pytest.raises(ValidationError, match="1 至 30"):
        actions.extend_handling_deadline(case, actor=head, days=31, reason="案情复杂")
    with pytest.raises(ValidationError) as refused:  # the handler is not a head
        actions.extend_handling_deadline(case, actor=handler, days=30, reason="案情复杂")
    assert refused.value.code == "not_head"
    extension = actions.extend_handling_deadline(case, actor=head, days=30, reason="需检验检测")
    assert extension.new_deadline == deadline + 30 * DAY
    assert "市场监督管理行政处罚程序规定" in extension.basis
    assert Case.objects.get(pk=case.pk).handling_deadline == deadline + 30 * DAY
    with pytest.raises(ValidationError) as refused:
        actions.extend_handling_deadline(case, actor=head, days=5, reason="再延长")
    assert refused.value.code == "extended"


@pytest.mark.parametrize(("registered", "accepted"), [(90, True), (91, False)])
def test_an_extension_is_approved_before_the_period_runs_out(
    make_case: Callable[..., Case],
    market_body: EnforcementBody,
    head: User,
    registered: int,
    accepted: bool,
) -> None:
    case = make_case(registered_on=ago(registered))
    if accepted:
        assert actions.extend_handling_deadline(case, actor=head, days=10, reason="鉴定").pk
    else:
        with pytest.raises(ValidationError) as refused:
            actions.extend_handling_deadline(case, actor=head, days=10, reason="鉴定")
        assert refused.value.code == "expired"


def test_a_field_without_a_rule_has_no_extension(
    make_case: Callable[..., Case], case_body: EnforcementBody, head: User
) -> None:
    assert case_body.sector == Sector.OTHER
    with pytest.raises(ValidationError) as refused:
        actions.extend_handling_deadline(make_case(), actor=head, days=10, reason="案情复杂")
    assert refused.value.code == "no_extension"
    assert not HandlingExtension.objects.exists()


def test_the_extension_is_a_dated_local_setting_per_field(
    make_case: Callable[..., Case], case_body: EnforcementBody, head: User
) -> None:
    """A district enters its field's rule (生态环境 here) with its basis in the note; a case
    registered before the rule's date is not extended (boundary: on the date it is)."""
    case_body.sector = Sector.ECOLOGY
    case_body.save()
    since = ago(20)
    LocalSetting.objects.create(
        key="cases.handling_extension.ecology",
        value=f"15@{since.isoformat()}",
        note="《生态环境行政处罚办法》相关条款",
    )
    before = make_case(registered_on=since - DAY)
    with pytest.raises(ValidationError):
        actions.extend_handling_deadline(before, actor=head, days=15, reason="检测")
    on_the_day = make_case(registered_on=since)
    extension = actions.extend_handling_deadline(on_the_day, actor=head, days=15, reason="检测")
    assert extension.basis == "《生态环境行政处罚办法》相关条款" and extension.days == 15


@pytest.mark.parametrize("value", ["30@2021-13-01", "0", "x@2021-07-15", "400"])
def test_an_unreadable_extension_setting_is_refused(value: str) -> None:
    with pytest.raises(ValidationError):
        LocalSetting(key="cases.handling_extension.ecology", value=value).full_clean()
    LocalSetting(key="cases.handling_extension.ecology", value="30").full_clean()  # from always
