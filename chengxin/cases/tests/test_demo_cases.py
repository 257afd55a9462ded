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
from chengxin.cases import reports
from chengxin.cases.annual import sections
from chengxin.cases.choices import CaseStatus, ReviewResult
from chengxin.cases.models import Case, LegalityReview
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
        if not PowerItem.objects.filter(category__code="penalty").exists():
            make_power_item()  # until the power list's own demo lands
        found["cases"](ctx)
    assert "cases:" in out.getvalue()
    statuses = set(Case.objects.values_list("status", flat=True))
    assert statuses == set(CaseStatus.values)
    results = set(LegalityReview.objects.values_list("result", flat=True))
    assert {ReviewResult.PENDING, ReviewResult.FAILED, ReviewResult.PASSED} <= results
    assert PenaltyRecord.objects.filter(case__isnull=False).exists()
    assert PenaltyRecord.objects.filter(case__isnull=True).exists()
    assert Case.objects.publicity_overdue().exists()
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
    for name in ("cases:list", "cases:off_network", "cases:publicity"):
        assert client.get(reverse(name)).status_code == 200
    # the annual figures agree with the demo data
    year = localdate().year
    (section,) = sections(year)
    figures = {figure.key: figure.value for figure in section.figures}
    assert figures["cases.registered"] == Case.objects.filter(registered_on__year=year).count()
    assert figures["cases.decided"] == Case.objects.filter(decided_on__year=year).count()
    total, online = reports.online_share(datetime.date(year, 1, 1), datetime.date(year, 12, 31))
    expected = round(100 * online / total, 1) if total else None
    assert figures["cases.online_share"] == expected
    today = localdate()
    recent = reports.online_share(today - datetime.timedelta(days=130), today)
    assert recent[0] > recent[1] > 0  # some with an online case, some 网外循环
