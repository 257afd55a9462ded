"""Staff pages: department scoping, the step forms, the legal office's queue, the dashboard,
query counts, navigation and the annual figures."""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.timezone import localdate

from chengxin.accounts.choices import Role
from chengxin.accounts.models import Department, User
from chengxin.core import local_settings
from chengxin.core.models import LocalSetting
from chengxin.core.navigation import navigation_for
from chengxin.decisions import actions, annual, rules
from chengxin.decisions.choices import EventType, LegalityConclusion, Stage, StepKind
from chengxin.decisions.models import (
    DecisionCatalogue,
    DecisionEvent,
    LegalityReview,
    MajorDecision,
    StepDocument,
)
from chengxin.decisions.tests.fixtures import days_ago, submit

pytestmark = pytest.mark.django_db


def logged_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def detail(decision: MajorDecision) -> str:
    return reverse("decisions:detail", args=[decision.pk])


def action(decision: MajorDecision, name: str) -> str:
    return reverse("decisions:action", args=[decision.pk, name])


def messages_of(client: Client, url: str) -> str:
    return client.get(url).content.decode()


@pytest.fixture
def other_unit(make_department: Callable[..., Department]) -> Department:
    return make_department(name="台儿庄区交通运输局")


# --- scoping -----------------------------------------------------------------------------------


def test_liaison_sees_and_handles_only_own_departments_decisions(
    make_decision, liaison: User, other_unit: Department
) -> None:
    own = make_decision(title="本部门事项")
    other = make_decision(title="其他部门事项", lead_unit=other_unit)
    client = logged_in(liaison)
    listing = client.get(reverse("decisions:list")).content.decode()
    assert "本部门事项" in listing and "其他部门事项" not in listing
    assert client.get(detail(own)).status_code == 200
    assert client.get(detail(other)).status_code == 404
    assert (
        client.post(action(other, "propose_skip"), {"propose_skip-reason": "x"}).status_code == 404
    )
    dashboard = client.get(reverse("decisions:dashboard")).content.decode()
    assert "（1）" in dashboard


def test_liaison_cannot_manage_the_catalogue(liaison: User, make_decision) -> None:
    decision = make_decision()
    client = logged_in(liaison)
    response = client.post(
        reverse("decisions:catalogues"), {"year": 2040, "title": "目录", "approval_note": ""}
    )
    assert response.status_code == 403
    assert not DecisionCatalogue.objects.filter(year=2040).exists()
    url = reverse("decisions:catalogue", args=[decision.catalogue_id])
    page = client.get(url).content.decode()
    assert decision.title in page and "列入事项" not in page  # sees it, cannot add items
    assert client.post(url, {"title": "x"}).status_code == 403
    assert (
        client.post(
            reverse("decisions:publish_catalogue", args=[decision.catalogue_id])
        ).status_code
        == 403
    )


def test_rule_of_law_office_creates_fills_and_publishes_a_catalogue(
    lawadmin: User, lead_unit: Department
) -> None:
    client = logged_in(lawadmin)
    response = client.post(
        reverse("decisions:catalogues"),
        {
            "year": 2041,
            "title": "2041年度目录",
            "approval_note": "经区委同意",
            "approved_on": "2026-01-05",
        },
    )
    catalogue = DecisionCatalogue.objects.get(year=2041)
    assert response["Location"] == reverse("decisions:catalogue", args=[catalogue.pk])
    client.post(
        reverse("decisions:catalogue", args=[catalogue.pk]),
        {
            "title": "城区供水管网改造",
            "lead_unit": lead_unit.pk,
            "scope_category": "construction",
            "planned_completion": "2041-10-31",
        },
    )
    decision = MajorDecision.objects.get(title="城区供水管网改造")
    assert decision.steps.count() == 6
    client.post(reverse("decisions:publish_catalogue", args=[catalogue.pk]))
    catalogue.refresh_from_db()
    assert catalogue.is_published


# --- the step forms ------------------------------------------------------------------------------


def consult_data(days: int, reason: str = "") -> dict[str, str]:
    opens = localdate()
    return {
        "consult-draft_title": "征求意见稿",
        "consult-draft_text": "草案全文",
        "consult-opens_on": opens.isoformat(),
        "consult-closes_on": (opens + datetime.timedelta(days=days - 1)).isoformat(),
        "consult-shortened_reason": reason,
    }


def test_short_comment_period_through_the_form(make_decision, liaison: User) -> None:
    decision = make_decision()
    client = logged_in(liaison)
    client.post(action(decision, "consult"), consult_data(29))
    page = messages_of(client, detail(decision))
    assert "期限少于30日的理由：征求意见期限为 29 日，少于30日" in page
    decision.refresh_from_db()
    assert decision.stage == Stage.PLANNED
    client.post(action(decision, "consult"), consult_data(29, "防汛工程须在汛期前完成。"))
    decision.refresh_from_db()
    assert decision.stage == Stage.PUBLIC_PARTICIPATION


def test_discussion_form_is_refused_before_the_legality_review(
    make_decision, advance, liaison: User
) -> None:
    decision = advance(make_decision(), until=StepKind.LEGALITY_REVIEW)
    client = logged_in(liaison)
    page = messages_of(client, detail(decision))
    assert "不得提交集体讨论" in page and 'action="' + action(decision, "discuss") not in page
    client.post(
        action(decision, "discuss"),
        {
            "discuss-meeting_type": "standing",
            "discuss-meeting_name": "第1次常务会议",
            "discuss-meeting_date": days_ago(1).isoformat(),
            "discuss-minutes": "纪要",
            "discuss-head_decision": "adopted",
        },
    )
    assert "未经合法性审查" in messages_of(client, detail(decision))
    assert not DecisionEvent.objects.filter(decision=decision, type=EventType.DISCUSSED).exists()


def test_expert_lines_are_checked_row_by_row(make_decision, advance, liaison: User) -> None:
    decision = advance(make_decision(), until=StepKind.EXPERT_REVIEW)
    client = logged_in(liaison)
    data = {
        "experts-experts": "王教授｜枣庄学院｜同意｜可行\n李工｜设计院｜反对",
        "experts-handling_note": "已采纳",
        "experts-completed_on": days_ago(0).isoformat(),
    }
    client.post(action(decision, "experts"), data)
    assert "第 2 行格式不正确" in messages_of(client, detail(decision))
    data["experts-experts"] = "王教授｜枣庄学院｜同意｜可行\n李工|设计院|不同意|资金不明"
    client.post(action(decision, "experts"), data)
    decision.refresh_from_db()
    assert decision.stage == Stage.RISK_ASSESSMENT
    assert decision.expert_opinions.get(expert_name="李工").agrees is False


def test_documents_are_uploaded_and_downloaded_by_staff(make_decision, liaison: User) -> None:
    decision = make_decision()
    client = logged_in(liaison)
    upload = SimpleUploadedFile("../../风险评估报告.pdf", b"%PDF-1.4 report")
    client.post(
        action(decision, "document"),
        {
            "document-kind": "risk_assessment",
            "document-title": "风险评估报告",
            "document-file": upload,
        },
    )
    document = StepDocument.objects.get()
    assert document.original_name == "风险评估报告.pdf" and not document.is_public
    assert ".." not in document.stored_name and len(document.sha256) == 64
    response = client.get(reverse("decisions:document", args=[decision.pk, document.pk]))
    assert b"".join(response.streaming_content) == b"%PDF-1.4 report"
    assert DecisionEvent.objects.filter(type=EventType.DOCUMENT_ADDED).exists()


def test_plan_a_step_and_see_it_overdue_on_the_dashboard(
    make_decision, liaison: User, lawadmin: User
) -> None:
    decision = make_decision(title="逾期事项")
    client = logged_in(liaison)
    client.post(
        action(decision, "plan"),
        {
            "plan-kind": "public_participation",
            "plan-responsible_person": "赵科长",
            "plan-planned_end": days_ago(3).isoformat(),
        },
    )
    step = decision.steps.get(kind=StepKind.PUBLIC_PARTICIPATION)
    assert step.responsible_person == "赵科长" and step.is_overdue
    dashboard = logged_in(lawadmin).get(reverse("decisions:dashboard")).content.decode()
    assert 'class="overdue-step"' in dashboard and "赵科长" in dashboard


# --- the legal office ----------------------------------------------------------------------------


def test_legal_reviewer_concludes_from_the_queue(
    make_decision, advance, liaison: User, legal: User
) -> None:
    decision = advance(make_decision(title="待审事项"), until=StepKind.LEGALITY_REVIEW)
    review = submit(decision, liaison, days_ago(30))
    assert logged_in(liaison).get(reverse("decisions:reviews")).status_code == 403
    client = logged_in(legal)
    assert "待审事项" in client.get(reverse("decisions:reviews")).content.decode()
    url = reverse("decisions:review", args=[review.pk])
    response = client.post(
        url,
        {
            "conclusion": "passed",
            "opinion": "合法。",
            "concluded_on": days_ago(1).isoformat(),
            "counsel": "区政府法律顾问 张律师",
            "counsel_opinion": "未发现与上位法抵触之处。",
        },
    )
    assert response.status_code == 302
    review.refresh_from_db()
    assert review.conclusion == LegalityConclusion.PASSED and review.reviewer == legal
    decision.refresh_from_db()
    assert decision.stage == Stage.COLLECTIVE_DISCUSSION
    assert logged_in(liaison).post(url, {"conclusion": "failed"}).status_code == 404


def test_overdue_review_is_on_the_dashboard(make_decision, advance, liaison: User) -> None:
    decision = advance(make_decision(), until=StepKind.LEGALITY_REVIEW)
    submit(decision, liaison, days_ago(60))
    assert LegalityReview.objects.overdue().count() == 1
    page = logged_in(liaison).get(reverse("decisions:dashboard")).content.decode()
    assert 'class="overdue-review"' in page


# --- query counts ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url_name", ["decisions:list", "decisions:reviews", "decisions:catalogues"]
)
def test_list_query_count_does_not_grow_with_rows(
    make_decision, advance, liaison: User, legal: User, lawadmin: User, url_name: str
) -> None:
    viewer = legal if url_name == "decisions:reviews" else lawadmin
    client = logged_in(viewer)

    def add() -> None:
        decision = advance(make_decision(), until=StepKind.LEGALITY_REVIEW)
        submit(decision, liaison, days_ago(5))

    add()
    with CaptureQueriesContext(connection) as few:
        assert client.get(reverse(url_name)).status_code == 200
    for _n in range(3):
        add()
    with CaptureQueriesContext(connection) as many:
        page = client.get(reverse(url_name)).content.decode()
    if url_name != "decisions:catalogues":
        assert len(re.findall(r'href="/staff/decisions/(items|reviews)/\d+/"', page)) == 4
    assert len(many) == len(few)


# --- navigation and the annual report ----------------------------------------------------------


def test_navigation_and_open_government_links(
    client: Client, liaison: User, legal: User, make_user
) -> None:
    titles = {str(title): [str(i.label) for i in items] for title, items in navigation_for(legal)}
    assert "决策合法性审查" in titles["重大行政决策"]
    liaison_titles = {str(t): [str(i.label) for i in items] for t, items in navigation_for(liaison)}
    assert "决策合法性审查" not in liaison_titles["重大行政决策"]
    assert "重大行政决策" not in {
        str(t) for t, _items in navigation_for(make_user(Role.CREDIT_ADMIN))
    }
    page = client.get(reverse("portal:open")).content.decode()
    assert reverse("decisions_public:catalogues") in page


def test_annual_figures_count_the_procedures_done(
    make_decision, advance, liaison: User, lawadmin: User
) -> None:
    year = localdate().year
    full = advance(make_decision())
    optional_experts = "公众参与、风险评估、合法性审查、集体讨论决定"
    LocalSetting.objects.create(key=rules.MANDATORY_STEPS.key, value=optional_experts)
    local_settings.clear_cache()
    skipped = advance(make_decision(), until=StepKind.EXPERT_REVIEW)
    actions.propose_skip(skipped, StepKind.EXPERT_REVIEW, actor=liaison, reason="非专业事项")
    actions.decide_skip(skipped, StepKind.EXPERT_REVIEW, actor=lawadmin, approve=True, note="同意")
    advance(skipped)
    make_decision()  # in the catalogue, not decided
    (section,) = annual.sections(year)
    figures = {figure.key: figure for figure in section.figures}
    assert figures["decisions.in_catalogue"].value == 3
    assert figures["decisions.in_catalogue"].url == f"/staff/decisions/items/?year={year}"
    # Decided 20 days ago by the fixtures: counted in the year of the meeting.
    decided_year = full.decided_on.year
    (decided,) = annual.sections(decided_year)
    figures = {figure.key: figure for figure in decided.figures}
    assert figures["decisions.decided"].value == 2
    assert figures["decisions.decided"].url == f"/staff/decisions/items/?decided={decided_year}"
    assert figures["decisions.public_participation"].value == 2
    assert figures["decisions.expert_review"].value == 1  # the skipped one is not counted
    assert figures["decisions.risk_assessment"].value == 2
    assert figures["decisions.legality_review"].value == 2
    assert figures["decisions.collective_discussion"].value == 2
    assert annual.sections(decided_year + 1)[0].figures[1].value == 0


def test_a_commenters_contact_is_shown_only_to_the_lead_unit(
    make_decision, liaison: User, legal: User
) -> None:
    """The legal office reads the public's opinions on the decision page; the contact is for the
    lead unit's follow-up only."""
    from chengxin.decisions.models import PublicComment

    decision = make_decision()
    consultation = actions.open_consultation(
        decision,
        actor=liaison,
        draft_title="征求意见稿",
        draft_text="第一条 草案。",
        opens_on=days_ago(0),
        closes_on=days_ago(0) + datetime.timedelta(days=29),
    )
    PublicComment.objects.create(
        consultation=consultation, name="李某", contact="13912345678", content="建议增加坡道。"
    )
    assert "13912345678" in logged_in(liaison).get(detail(decision)).content.decode()
    page = logged_in(legal).get(detail(decision)).content.decode()
    assert "建议增加坡道" in page and "13912345678" not in page


def test_a_past_start_through_the_form_asks_for_the_backfill_reason(
    make_decision, liaison: User
) -> None:
    """The form names the 补录理由 field; with it filled in the consultation is recorded."""
    decision = make_decision()
    client = logged_in(liaison)
    data = consult_data(30)
    data["consult-opens_on"] = days_ago(29).isoformat()
    data["consult-closes_on"] = days_ago(0).isoformat()
    client.post(action(decision, "consult"), data)
    page = messages_of(client, detail(decision))
    assert "录入前的日子未填写“补录理由”不计入期限：自录入之日起仅 1 日" in page
    decision.refresh_from_db()
    assert decision.stage == Stage.PLANNED
    data["consult-backfill_reason"] = "线下征求意见补录：在《台儿庄报》刊登征求意见稿"
    client.post(action(decision, "consult"), data)
    decision.refresh_from_db()
    assert decision.stage == Stage.PUBLIC_PARTICIPATION
    assert decision.consultation.backfill_reason.startswith("线下征求意见补录")
