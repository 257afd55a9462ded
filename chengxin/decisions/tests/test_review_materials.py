"""The legality review of a major decision as 国务院令第713号 has it: the materials of the request
(art. 26 para. 1), the review time of art. 26 para. 2 cited as such, the legal advisers' opinion
(art. 28) and the 公平竞争审查 of a draft on market activity (art. 29 (一))."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from chengxin.accounts.models import User
from chengxin.decisions import actions, forms, rules
from chengxin.decisions.choices import LegalityConclusion, StepKind
from chengxin.decisions.models import LegalityReview
from chengxin.decisions.tests.fixtures import conclude, days_ago, materials, submit

pytestmark = pytest.mark.django_db

APP = Path(actions.__file__).parent


@pytest.mark.parametrize(
    ("field", "value"),
    [("draft_text", ""), ("legal_basis", "  "), ("procedure_statement", "\n")],
)
def test_a_request_without_its_materials_is_refused(
    make_decision, advance, liaison: User, field: str, value: str
) -> None:
    decision = advance(make_decision(), until=StepKind.LEGALITY_REVIEW)
    with pytest.raises(ValidationError, match="条例第26条") as refused:
        submit(decision, liaison, days_ago(10), **{field: value})
    assert field in refused.value.message_dict
    assert not LegalityReview.objects.filter(decision=decision).exists()


def test_the_materials_go_with_the_request(make_decision, advance, liaison: User) -> None:
    decision = advance(make_decision(), until=StepKind.LEGALITY_REVIEW)
    review = submit(decision, liaison, days_ago(10), legal_basis=" 《城乡规划法》 ")
    assert review.legal_basis == "《城乡规划法》" and review.draft_text.startswith("台儿庄区")
    assert review.procedure_statement and not review.affects_market_activity


def test_the_statement_of_procedure_starts_from_the_record(make_decision, advance) -> None:
    decision = advance(make_decision(), until=StepKind.LEGALITY_REVIEW)
    statement = actions.procedure_statement(decision)
    assert statement.splitlines()[0].startswith("公众参与：已完成")
    assert "专家论证：已完成" in statement and "风险评估：已完成" in statement
    assert "合法性审查" not in statement


@pytest.mark.parametrize(
    ("market", "review", "allowed"),
    [
        (True, "", False),
        (True, " ", False),
        (True, "已开展公平竞争审查，未发现排除、限制竞争的内容。", True),
        (False, "", True),
    ],
)
def test_a_draft_on_market_activity_brings_its_fair_competition_review(
    make_decision, advance, liaison: User, market: bool, review: str, allowed: bool
) -> None:
    decision = advance(make_decision(), until=StepKind.LEGALITY_REVIEW)
    run = lambda: submit(  # noqa: E731
        decision,
        liaison,
        days_ago(10),
        affects_market_activity=market,
        fair_competition_review=review,
    )
    if not allowed:
        with pytest.raises(ValidationError, match=r"公平竞争审查.*第29条"):
            run()
        return
    submitted = run()
    assert submitted.affects_market_activity is market
    assert submitted.fair_competition_review == review.strip()


@pytest.mark.parametrize(
    ("counsel", "opinion", "allowed"),
    [
        ("", "", False),
        ("区政府法律顾问 张律师", " ", False),
        (" ", "未发现问题。", False),
        ("区政府法律顾问 张律师；公职律师 李明", "未发现与上位法抵触之处。", True),
    ],
)
def test_the_opinion_records_the_legal_advisers_opinion(
    make_decision, advance, liaison: User, legal: User, counsel: str, opinion: str, allowed: bool
) -> None:
    decision = advance(make_decision(), until=StepKind.LEGALITY_REVIEW)
    review = submit(decision, liaison, days_ago(20))
    run = lambda: conclude(  # noqa: E731
        review,
        legal,
        conclusion=LegalityConclusion.PASSED,
        opinion="合法。",
        concluded_on=days_ago(1),
        counsel=counsel,
        counsel_opinion=opinion,
    )
    if not allowed:
        with pytest.raises(ValidationError, match="第28条"):
            run()
        assert LegalityReview.objects.get(pk=review.pk).conclusion == LegalityConclusion.PENDING
        return
    done = run()
    assert done.counsel == counsel and done.counsel_opinion == opinion


def test_the_7_working_days_are_cited_as_article_26() -> None:
    """Issue 21: "审查时间一般不少于7个工作日" is in art. 26 para. 2, not art. 27 (the review's
    contents, which choices.py cites)."""
    sources = {
        "actions.py": (APP / "actions.py").read_text(encoding="utf-8"),
        "rules.py": (APP / "rules.py").read_text(encoding="utf-8"),
        "forms.py": (APP / "forms.py").read_text(encoding="utf-8"),
        "reviews.html": (APP / "templates/decisions/staff/reviews.html").read_text(
            encoding="utf-8"
        ),
    }
    for name, text in sources.items():
        assert "第27条" not in text and "art. 27" not in text, name
        assert "第26条" in text or "art. 26" in text, name
    assert "第26条" in str(forms.ConclusionForm().fields["short_review_reason"].help_text)
    assert "第26条" in str(rules.LEGALITY_REVIEW_DUE_WORKING_DAYS.help_text)
    assert "art. 27" in (APP / "choices.py").read_text(encoding="utf-8")


def test_the_review_page_shows_the_materials(
    make_decision, advance, liaison: User, legal: User
) -> None:
    decision = advance(make_decision(), until=StepKind.LEGALITY_REVIEW)
    review = submit(
        decision,
        liaison,
        days_ago(20),
        legal_basis="《城乡规划法》第二十六条",
        affects_market_activity=True,
        fair_competition_review="未发现排除、限制竞争的内容。",
    )
    client = Client()
    client.force_login(legal)
    page = client.get(reverse("decisions:review", args=[review.pk])).content.decode()
    assert "送审材料（条例第26条）" in page and "《城乡规划法》第二十六条" in page
    assert "未发现排除、限制竞争的内容。" in page
    assert (
        "审查时间一般不少于7个工作日（条例第26条）"
        in client.get(reverse("decisions:reviews")).content.decode()
    )
    assert "提出意见的法律顾问、公职律师" in page  # the form asks for art. 28's opinion


def test_the_submit_form_brings_the_materials(make_decision, advance, liaison: User) -> None:
    decision = advance(make_decision(), until=StepKind.LEGALITY_REVIEW)
    client = Client()
    client.force_login(liaison)
    url = reverse("decisions:action", args=[decision.pk, "submit_review"])
    page = client.get(reverse("decisions:detail", args=[decision.pk])).content.decode()
    assert "履行决策法定程序的说明" in page and "公众参与：已完成" in page  # prefilled
    data = {"submit_review-submitted_on": days_ago(1).isoformat()}
    page = client.post(url, data, follow=True).content.decode()
    assert not LegalityReview.objects.filter(decision=decision).exists()
    fields = materials()
    data.update(
        {
            "submit_review-draft_text": fields.draft_text,
            "submit_review-legal_basis": fields.legal_basis,
            "submit_review-procedure_statement": fields.procedure_statement,
        }
    )
    client.post(url, data)
    assert LegalityReview.objects.get(decision=decision).legal_basis == fields.legal_basis
