"""The demo decisions obey the rules (they are built through the actions) and cover every stage."""

from __future__ import annotations

import io

import pytest

from chengxin.accounts import demo as accounts_demo
from chengxin.core.demodata import DemoContext
from chengxin.decisions import demo
from chengxin.decisions.choices import LegalityConclusion, Stage, StepStatus
from chengxin.decisions.models import (
    Consultation,
    DecisionCatalogue,
    LegalityReview,
    MajorDecision,
    ProcedureStep,
)

pytestmark = pytest.mark.django_db


def test_demo_has_two_catalogues_and_every_stage(make_department, make_user) -> None:
    ctx = DemoContext(seed=1, volumes={}, out=io.StringIO())
    departments = {
        key: make_department(name=name) for key, name, *_rest in accounts_demo.DEPARTMENTS
    }
    ctx.shared["departments"] = departments
    for role, username, _name, key in accounts_demo.DEMO_USERS:
        if username in {"lawadmin", "legal", "liaison"}:
            make_user(role, username=username, department=departments[key])
    demo.generate(ctx)
    assert DecisionCatalogue.objects.filter(is_published=True).count() == 2
    assert set(MajorDecision.objects.values_list("stage", flat=True)) == set(Stage.values)
    # The district made all five procedures mandatory (the default): nothing is skipped, each
    # request for review brought its materials and each opinion the legal advisers' (arts. 26, 28).
    assert not ProcedureStep.objects.filter(status=StepStatus.SKIPPED).exists()
    reviews = LegalityReview.objects.all()
    assert not reviews.filter(legal_basis="").exists()
    assert not reviews.filter(procedure_statement="").exists()
    assert not reviews.exclude(conclusion=LegalityConclusion.PENDING).filter(counsel="").exists()
    market = reviews.filter(affects_market_activity=True)
    assert market.exists() and not market.filter(fair_competition_review="").exists()
    short = [c for c in Consultation.objects.all() if c.period_days < 30]
    assert len(short) == 1 and short[0].shortened_reason
    failed_first = LegalityReview.objects.filter(round=1, conclusion=LegalityConclusion.FAILED)
    assert failed_first.count() == 2
    assert LegalityReview.objects.overdue().exists()
    assert ProcedureStep.objects.overdue().exists()
    assert Consultation.objects.open_on().count() == 2
