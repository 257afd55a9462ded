"""The demo district has cases in every state, major ones reviewed, and penalty records both
with an online case and 网外循环."""

from __future__ import annotations

import datetime
import io
from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse
from django.utils.timezone import localdate

from chengxin.accounts.models import User
from chengxin.audit.context import audit_context
from chengxin.cases import rules, statistics
from chengxin.cases.annual import sections
from chengxin.cases.choices import CaseStatus, ReviewResult, StepKind
from chengxin.cases.models import Case, CollectiveDiscussion, LegalityReview
from chengxin.core.demodata import DemoContext, steps
from chengxin.powers.models import PowerItem
from chengxin.publicity.models import PenaltyRecord

pytestmark = pytest.mark.django_db(transaction=False)


def test_demo_cases_cover_every_state(make_power_item: Callable[..., PowerItem]) -> None:
    out = io.StringIO()
    # The steps this app builds on (the others are not needed and may be in progress).
    needed = {"accounts", "subjects", "publicity", "agencies", "powers"}
    ctx = DemoContext(7, {"subjects": 0, "licenses": 50, "penalties": 200}, out)
    found = dict(steps())
    with audit_context(reason="demo data"):
        for label, generate in found.items():
            if label in needed:
                generate(ctx)
        for key in ("market", "enforcement"):  # each body's own items (its competence)
            department = ctx.shared["departments"][key]
            if not PowerItem.objects.filter(
                category__code="penalty", implementing_department=department
            ).exists():
                make_power_item(implementing_department=department)
        found["cases"](ctx)
    assert "cases:" in out.getvalue()
    statuses = set(Case.objects.values_list("status", flat=True))
    assert statuses == set(CaseStatus.values)
    results = set(LegalityReview.objects.values_list("result", flat=True))
    assert {ReviewResult.PENDING, ReviewResult.FAILED, ReviewResult.PASSED} <= results
    assert PenaltyRecord.objects.filter(case__isnull=False).exists()
    assert PenaltyRecord.objects.filter(case__isnull=True).exists()
    assert Case.objects.publicity_overdue().exists()
    # every decision signed off by a head before it; the heads discussed the major ones; one
    # penalty case is past its handling period
    decided = Case.objects.filter(decided_on__isnull=False)
    for case in decided:
        approval = case.approvals.get()
        assert approval.approver_id in rules.heads_of(case.body)
        decision = case.steps.get(kind=StepKind.DECISION)
        assert approval.approved_at <= decision.occurred_at
        assert case.authority_credit_code == case.body.credit_code
    assert CollectiveDiscussion.objects.exists()
    # each body decides under its department's own 文号, the numbers unique per prefix and year;
    # a case is about its power item (or, when it has a record, the record's conduct)
    prefixes = {"台儿庄区市场监督管理局": "台市监罚〔", "台儿庄区综合行政执法局": "台综执罚〔"}
    numbers = list(decided.values_list("body__name", "decision_number"))
    assert {name for name, _number in numbers} <= set(prefixes)
    assert all(number.startswith(prefixes[name]) for name, number in numbers), numbers
    all_numbers = list(PenaltyRecord.objects.values_list("decision_number", flat=True))
    assert len(all_numbers) == len(set(all_numbers))
    for case in Case.objects.select_related("power_item"):
        record = case.penalty_records.first()
        conduct = case.summary.removesuffix("。").split("当事人涉嫌")[1]
        assert conduct in case.power_item.name or (record and conduct == record.violation_type)
    assert Case.objects.handling_overdue().exists()
    assert not decided.decided_late().exists()
    # every page renders in every state
    client = Client()
    client.force_login(User.objects.get(username="lawadmin"))
    for case in Case.objects.all():
        assert client.get(reverse("cases:detail", args=[case.pk])).status_code == 200
    officer = Client()
    officer.force_login(User.objects.get(username="officer"))
    for case in Case.objects.restrict(User.objects.get(username="officer")):
        assert officer.get(reverse("cases:detail", args=[case.pk])).status_code == 200
    legal = Client()
    legal.force_login(User.objects.get(username="legal"))
    for review in LegalityReview.objects.all():
        assert legal.get(reverse("cases:review", args=[review.pk])).status_code == 200
    assert legal.get(reverse("cases:reviews")).status_code == 200
    for name in (
        "cases:list",
        "cases:off_network",
        "cases:publicity",
        "cases:handling",
        "cases:reviewers",
    ):
        assert client.get(reverse(name)).status_code == 200
    head = Client()
    head.force_login(User.objects.get(username="head"))
    queue = head.get(reverse("cases:sign_off"))
    assert queue.status_code == 200 and len(queue.context["page"]) >= 1
    # the annual figures agree with the demo data
    year = localdate().year
    (section,) = sections(year)
    figures = {figure.key: figure.value for figure in section.figures}
    assert figures["cases.registered"] == Case.objects.filter(registered_on__year=year).count()
    assert figures["cases.decided"] == Case.objects.filter(decided_on__year=year).count()
    total, online = statistics.online_share(datetime.date(year, 1, 1), datetime.date(year, 12, 31))
    expected = round(100 * online / total, 1) if total else None
    assert figures["cases.online_share"] == expected
    today = localdate()
    recent = statistics.online_share(today - datetime.timedelta(days=130), today)
    assert recent[0] > recent[1] > 0  # some with an online case, some 网外循环
