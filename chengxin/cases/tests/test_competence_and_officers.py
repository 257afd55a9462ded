"""Issue 21: a case's power item within the body's competence (行政处罚法 art. 17), the item as it
read on the registration date (its version), and the officers' certificates at every step
(art. 42), with the change of officers that lets a case go on."""

from __future__ import annotations

import datetime
from collections.abc import Callable

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from django.utils.timezone import localdate

from chengxin.accounts.choices import Role
from chengxin.accounts.models import Department, User
from chengxin.agencies.choices import BodyKind
from chengxin.agencies.models import EnforcementBody, EnforcementOfficer
from chengxin.cases import actions
from chengxin.cases.choices import CaseStatus, EventType, StepKind
from chengxin.cases.models import Case, CaseEvent
from chengxin.cases.tests.fixtures import company
from chengxin.powers.actions import change_power_item
from chengxin.powers.models import PowerItem

pytestmark = pytest.mark.django_db

MakeOfficer = Callable[..., EnforcementOfficer]


# --- competence --------------------------------------------------------------------------------


def test_a_market_bureau_may_not_open_a_case_under_a_justice_bureau_licence(
    make_case: Callable[..., Case],
    make_power_item: Callable[..., PowerItem],
    make_department: Callable[..., Department],
) -> None:
    """区市场监督管理局 opened a case under 律师执业许可 (a 司法局 item): refused, naming whose
    item it is; under its own item it is registered."""
    justice = make_department(name="台儿庄区司法局")
    lawyers = make_power_item(
        name="律师执业许可", category="license", implementing_department=justice
    )
    with pytest.raises(ValidationError, match="台儿庄区司法局") as refused:
        make_case(power_item=lawyers)
    assert "第十七条" in refused.value.messages[0]
    assert not Case.objects.exists()
    assert make_case().pk is not None  # its own department's item


def test_competence_follows_the_items_version_on_the_registration_date(
    make_case: Callable[..., Case],
    penalty_item: PowerItem,
    make_department: Callable[..., Department],
) -> None:
    """Boundary: the item moved to another department ten days ago — a case registered the day
    before the move is the body's, one registered on the day of the move is not."""
    today = localdate()
    moved_on = today - datetime.timedelta(days=10)
    change_power_item(
        penalty_item,
        {"implementing_department": make_department(name="台儿庄区综合行政执法局")},
        actor=None,
        reason="相对集中行政处罚权",
        document="鲁政字〔2026〕1号",
        effective_on=moved_on,
    )
    assert make_case(registered_on=moved_on - datetime.timedelta(days=1)).pk
    with pytest.raises(ValidationError, match="综合行政执法局"):
        make_case(registered_on=moved_on)


def test_an_entrusted_organisation_handles_its_entrusting_bodys_items(
    make_enforcement_body: Callable[..., EnforcementBody],
    make_power_item: Callable[..., PowerItem],
    make_enforcement_officer: MakeOfficer,
    make_department: Callable[..., Department],
    make_user: Callable[..., User],
    case_body: EnforcementBody,
    penalty_item: PowerItem,
) -> None:
    """行政处罚法 art. 20: the 古城执法大队, entrusted by the bureau, acts within the bureau's
    items; an item of a third department stays refused."""
    own = make_department(name="台儿庄古城综合执法大队")
    entrusted = make_enforcement_body(
        name="台儿庄古城综合执法大队",
        kind=BodyKind.ENTRUSTED,
        entrusting_body=case_body,
        department=own,
    )
    officers = [make_enforcement_officer(body=entrusted) for _ in range(2)]
    clerk = make_user(Role.ENFORCEMENT_OFFICER, department=own)
    fields = {
        "actor": clerk,
        "body": entrusted,
        "parties": [company()],
        "officers": officers,
        "summary": "古城景区内占道经营。",
    }
    assert actions.register_case(power_item=penalty_item, **fields).body == entrusted
    elsewhere = make_power_item(
        name="对违法排污的行政处罚", implementing_department=make_department()
    )
    with pytest.raises(ValidationError, match="不在执法主体"):
        actions.register_case(power_item=elsewhere, **fields)


def test_the_register_form_offers_only_the_bodys_items(
    client: object,
    handler: User,
    case_body: EnforcementBody,
    penalty_item: PowerItem,
    make_power_item: Callable[..., PowerItem],
    make_department: Callable[..., Department],
) -> None:
    other = make_power_item(name="律师执业许可", implementing_department=make_department())
    client.force_login(handler)  # type: ignore[attr-defined]
    form = client.get(reverse("cases:register")).context["form"]  # type: ignore[attr-defined]
    offered = set(form.fields["power_item"].queryset)
    assert penalty_item in offered and other not in offered


# --- the item as it read on the registration date --------------------------------------------


def test_an_older_case_shows_the_items_name_of_its_registration_date(
    make_case: Callable[..., Case], penalty_item: PowerItem, handler: User, client: object
) -> None:
    case = make_case(registered_on=localdate() - datetime.timedelta(days=30))
    change_power_item(
        penalty_item,
        {"name": "对经营超过保质期食品的行政处罚（调整后）"},
        actor=None,
        reason="名称规范",
        document="台政办发〔2026〕9号",
        effective_on=localdate() - datetime.timedelta(days=5),
    )
    case = Case.objects.get(pk=case.pk)
    assert case.power_item_name == "对生产经营超过保质期食品的行政处罚"
    assert case.is_renamed_item
    client.force_login(handler)  # type: ignore[attr-defined]
    page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()  # type: ignore[attr-defined]
    assert "对生产经营超过保质期食品的行政处罚" in page and "立案时的名称" in page
    listed = client.get(reverse("cases:list")).content.decode()  # type: ignore[attr-defined]
    assert "对生产经营超过保质期食品的行政处罚</td>" in listed
    # a case registered after the change shows the new name
    newer = make_case(registered_on=localdate())
    assert newer.power_item_name == "对经营超过保质期食品的行政处罚（调整后）"
    assert not Case.objects.get(pk=newer.pk).is_renamed_item


# --- certificates at every step ----------------------------------------------------------------


@pytest.mark.parametrize(("last_valid", "accepted"), [(0, True), (-1, False)])
def test_every_step_needs_the_officers_certificates_valid_that_day(
    make_case: Callable[..., Case],
    handler: User,
    case_body: EnforcementBody,
    case_officers: list[EnforcementOfficer],
    make_enforcement_officer: MakeOfficer,
    last_valid: int,
    accepted: bool,
) -> None:
    """An officer valid at 立案 whose certificate ended yesterday may not take part in today's
    step; on its last valid day they may (boundary). Before, only 立案 checked it."""
    today = localdate()
    lapsing = make_enforcement_officer(
        body=case_body,
        name="赵到期",
        certificate_valid_from=today - datetime.timedelta(days=200),
        certificate_valid_until=today + datetime.timedelta(days=last_valid),
    )
    case = make_case(
        officers=[lapsing, case_officers[0]], registered_on=today - datetime.timedelta(days=20)
    )
    if accepted:
        actions.record_step(case, StepKind.INVESTIGATION, actor=handler)
        assert Case.objects.get(pk=case.pk).status == CaseStatus.INVESTIGATING
    else:
        with pytest.raises(ValidationError, match="赵到期"):
            actions.record_step(case, StepKind.INVESTIGATION, actor=handler)
        assert Case.objects.get(pk=case.pk).status == CaseStatus.REGISTERED


def test_a_replaced_officer_lets_the_case_go_on(
    make_case: Callable[..., Case],
    handler: User,
    case_body: EnforcementBody,
    case_officers: list[EnforcementOfficer],
    make_enforcement_officer: MakeOfficer,
) -> None:
    today = localdate()
    lapsed = make_enforcement_officer(
        body=case_body,
        certificate_valid_from=today - datetime.timedelta(days=200),
        certificate_valid_until=today - datetime.timedelta(days=1),
    )
    case = make_case(
        officers=[lapsed, case_officers[0]], registered_on=today - datetime.timedelta(days=20)
    )
    with pytest.raises(ValidationError):
        actions.record_step(case, StepKind.INVESTIGATION, actor=handler)
    # releasing alone would leave one officer: refused (art. 42)
    with pytest.raises(ValidationError, match="不足两人"):
        actions.change_case_officers(
            case, actor=handler, on=today, reason="执法证到期", release=[lapsed]
        )
    actions.change_case_officers(
        case, actor=handler, on=today, reason="执法证到期", release=[lapsed], add=[case_officers[1]]
    )
    actions.record_step(case, StepKind.INVESTIGATION, actor=handler)
    assert CaseEvent.objects.filter(case=case, type=EventType.OFFICERS_CHANGED).exists()
    released = case.assignments.get(officer=lapsed)
    assert released.released_on == today and not released.acts_on(today)


def test_an_officer_who_may_not_act_cannot_be_added(
    make_case: Callable[..., Case],
    handler: User,
    case_body: EnforcementBody,
    make_enforcement_officer: MakeOfficer,
) -> None:
    case = make_case()
    lapsed = make_enforcement_officer(
        body=case_body,
        certificate_valid_from=localdate() - datetime.timedelta(days=400),
        certificate_valid_until=localdate() - datetime.timedelta(days=1),
    )
    with pytest.raises(ValidationError, match="到期"):
        actions.change_case_officers(
            case, actor=handler, on=localdate(), reason="增加人员", add=[lapsed]
        )


def test_the_decision_checks_the_officers_too(
    make_case: Callable[..., Case],
    handler: User,
    head: User,
    case_body: EnforcementBody,
    case_officers: list[EnforcementOfficer],
    make_enforcement_officer: MakeOfficer,
) -> None:
    """An officer whose certificate lapsed between 告知 and the decision: the decision is
    refused (the clock of the decision, not of 立案)."""
    today = localdate()
    short = make_enforcement_officer(
        body=case_body,
        name="钱短期",
        certificate_valid_from=today - datetime.timedelta(days=200),
        certificate_valid_until=today - datetime.timedelta(days=1),
    )
    case = make_case(
        officers=[short, case_officers[0]], registered_on=today - datetime.timedelta(days=20)
    )
    yesterday = datetime.datetime.combine(today - datetime.timedelta(days=1), datetime.time(10))
    moment = timezone.make_aware(yesterday)
    actions.record_step(case, StepKind.INVESTIGATION, actor=handler, occurred_at=moment)
    actions.record_step(
        case, StepKind.NOTIFICATION, actor=handler, occurred_at=moment + datetime.timedelta(hours=1)
    )
    actions.approve_decision(case, actor=head, opinion="同意。")
    with pytest.raises(ValidationError, match="钱短期"):
        actions.decide_case(
            case, actor=handler, decision_number="台市监罚〔2026〕55号", decision_summary="警告。"
        )
