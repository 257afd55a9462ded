"""Staff pages of cases: department scoping, registration and steps through the forms, the
legality review queue and form, the two reports with the CSV export, navigation and the annual
figures; query counts of the list."""

from __future__ import annotations

import csv
import datetime
import io
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.timezone import localdate

from chengxin.accounts.choices import Role
from chengxin.accounts.models import Department, User
from chengxin.agencies.models import EnforcementBody, EnforcementOfficer
from chengxin.cases import actions
from chengxin.cases.annual import sections
from chengxin.cases.choices import CaseStatus, ReviewResult, StepKind
from chengxin.cases.models import Case, LegalityReview
from chengxin.cases.tests.fixtures import ALL_CHECKED, advance, decide_now
from chengxin.core.identifiers import make_uscc
from chengxin.core.navigation import navigation_for
from chengxin.portal.tests.fixtures import company, penalty
from chengxin.powers.models import PowerItem

pytestmark = pytest.mark.django_db

LIST = reverse("cases:list")


def logged_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def other_department_case(
    make_department: Callable[..., Department],
    make_enforcement_body: Callable[..., EnforcementBody],
    make_enforcement_officer: Callable[..., EnforcementOfficer],
    make_user: Callable[..., User],
    make_power_item: Callable[..., PowerItem],
) -> Case:
    department = make_department(name="台儿庄区综合行政执法局")
    body = make_enforcement_body(name="台儿庄区综合行政执法局", department=department)
    item = make_power_item(name="对占用城市道路经营的行政处罚", implementing_department=department)
    officers = [make_enforcement_officer(body=body), make_enforcement_officer(body=body)]
    officer2 = make_user(Role.ENFORCEMENT_OFFICER, department=department)
    from chengxin.cases.tests.fixtures import company as party

    return actions.register_case(
        actor=officer2,
        body=body,
        power_item=item,
        parties=[party("台儿庄区某建材店")],
        officers=officers,
        summary="占道经营。",
    )


def test_an_officer_sees_only_the_cases_of_their_department(
    make_case: Callable[..., Case], handler: User, other_department_case: Case
) -> None:
    own = make_case()
    client = logged_in(handler)
    response = client.get(LIST)
    assert response.status_code == 200
    assert list(response.context["page"]) == [own]
    assert client.get(reverse("cases:detail", args=[own.pk])).status_code == 200
    assert client.get(reverse("cases:detail", args=[other_department_case.pk])).status_code == 404
    step = reverse("cases:step", args=[other_department_case.pk, StepKind.INVESTIGATION])
    assert client.post(step, {}).status_code == 404


def test_the_rule_of_law_office_and_the_legal_office_see_every_case(
    make_case: Callable[..., Case],
    other_department_case: Case,
    reviewer: User,
    make_user: Callable[..., User],
) -> None:
    own = make_case()
    for user in (reviewer, make_user(Role.RULE_OF_LAW_ADMIN)):
        response = logged_in(user).get(LIST)
        assert set(response.context["page"]) == {own, other_department_case}
        # they see, they do not handle: no step forms
        detail = logged_in(user).get(reverse("cases:detail", args=[own.pk]))
        assert detail.context["offered"] == {}


def test_the_list_query_count_does_not_grow_with_the_cases(
    make_case: Callable[..., Case], handler: User, django_assert_max_num_queries: Any
) -> None:
    make_case()
    client = logged_in(handler)
    with CaptureQueriesContext(connection) as few:
        assert client.get(LIST).status_code == 200
    for _ in range(8):
        make_case()
    with django_assert_max_num_queries(len(few)):
        response = client.get(LIST)
    assert len(response.context["page"]) == 9


def test_the_list_filters_by_status(make_case: Callable[..., Case], handler: User) -> None:
    registered = make_case()
    investigating = advance(make_case(), handler, CaseStatus.INVESTIGATING)
    response = logged_in(handler).get(LIST, {"status": CaseStatus.INVESTIGATING})
    assert list(response.context["page"]) == [investigating]
    assert registered not in response.context["page"]


def test_register_through_the_form(
    handler: User,
    case_body: EnforcementBody,
    case_officers: list[EnforcementOfficer],
    penalty_item: PowerItem,
) -> None:
    client = logged_in(handler)
    url = reverse("cases:register")
    assert client.get(url).status_code == 200
    data = {
        "body": case_body.pk,
        "power_item": penalty_item.pk,
        "officers": [o.pk for o in case_officers],
        "registered_on": localdate().isoformat(),
        "summary": "群众举报销售过期食品。",
        "party-TOTAL_FORMS": "3",
        "party-INITIAL_FORMS": "0",
        "party-MIN_NUM_FORMS": "1",
        "party-MAX_NUM_FORMS": "1000",
        "party-0-name": "台儿庄区鲁南食品有限公司",
        "party-0-category": "legal_entity",
        "party-0-code": make_uscc(__import__("random").Random(3)),
    }
    response = client.post(url, data)
    case = Case.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "cases:detail", args=[case.pk]
    )
    assert case.parties.get().name == "台儿庄区鲁南食品有限公司"
    # one officer only: the page says why, nothing is created
    data["officers"] = [case_officers[0].pk]
    response = client.post(url, data, follow=True)
    assert "不得少于两人" in response.content.decode()
    assert Case.objects.count() == 1


def test_steps_and_a_refused_decision_through_the_case_page(
    make_case: Callable[..., Case], handler: User
) -> None:
    case = make_case(is_complex=True)
    client = logged_in(handler)
    step = reverse("cases:step", args=[case.pk, StepKind.INVESTIGATION])
    response = client.post(
        step,
        {
            "investigation-notes": "现场检查，制作笔录。",
            "investigation-media_kind": "video",
            "investigation-media_reference": "DV-2026-0001",
            "investigation-media_started_at": "2026-11-01T09:00",
        },
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == CaseStatus.INVESTIGATING
    assert case.steps.get(kind=StepKind.INVESTIGATION).recordings.get().reference == "DV-2026-0001"
    client.post(reverse("cases:step", args=[case.pk, StepKind.NOTIFICATION]), {})
    page = client.post(
        reverse("cases:step", args=[case.pk, StepKind.DECISION]),
        {"decision-decision_number": "台市监罚〔2026〕3号", "decision-decision_summary": "罚款"},
        follow=True,
    )
    assert "第五十八条" in page.content.decode()
    case.refresh_from_db()
    assert case.status == CaseStatus.NOTIFIED
    client.post(
        reverse("cases:action", args=[case.pk, "review"]), {"review-submission": "拟罚款 5000 元。"}
    )
    assert LegalityReview.objects.pending().filter(case=case).exists()


def test_the_review_queue_and_form(
    make_case: Callable[..., Case], handler: User, reviewer: User
) -> None:
    case = advance(make_case(is_complex=True), handler, CaseStatus.NOTIFIED)
    pending = actions.request_legality_review(case, actor=handler, submission="拟罚款。")
    assert logged_in(handler).get(reverse("cases:reviews")).status_code == 403
    client = logged_in(reviewer)
    queue = client.get(reverse("cases:reviews"))
    assert list(queue.context["page"]) == [pending]
    url = reverse("cases:review", args=[pending.pk])
    assert client.get(url).status_code == 200
    data = {"review-result": ReviewResult.PASSED, "review-opinion": "事实清楚，同意。"}
    data |= {f"review-{field}": "on" for field in ALL_CHECKED}
    assert client.post(url, data).status_code == 302
    pending.refresh_from_db()
    case.refresh_from_db()
    assert pending.result == ReviewResult.PASSED and case.status == CaseStatus.REVIEWED
    assert logged_in(handler).post(url, data).status_code == 404  # not in the legality area


def test_the_off_network_report_and_its_csv(
    case_body: EnforcementBody, make_user: Callable[..., User], handler: User
) -> None:
    assert case_body.department is not None
    record = penalty(
        company(),
        case_body.department,
        authority=case_body.name,
        authority_credit_code=case_body.credit_code,
        decision_number="台市监罚〔2026〕404号",
    )
    admin = make_user(Role.RULE_OF_LAW_ADMIN)
    client = logged_in(admin)
    url = reverse("cases:off_network")
    year = record.decision_date.year
    period = {"start": f"{year}-01-01", "end": f"{year}-12-31"}
    response = client.get(url, period)
    assert list(response.context["page"]) == [record]
    exported = client.get(url, {**period, "format": "csv"})
    assert exported["Content-Type"].startswith("text/csv")
    text = b"".join(exported.streaming_content).decode("utf-8-sig")  # type: ignore[attr-defined]
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[1][0] == "台市监罚〔2026〕404号" and rows[1][3] == case_body.name
    assert logged_in(handler).get(url).status_code == 403  # no 双公示 records for officers


def test_the_publicity_report(make_case: Callable[..., Case], handler: User) -> None:
    case = advance(make_case(), handler, CaseStatus.NOTIFIED)
    decide_now(case, actor=handler, decision_number="台市监罚〔2026〕8号", decision_summary="警告")
    response = logged_in(handler).get(reverse("cases:publicity"))
    assert response.status_code == 200
    (row,) = response.context["rows"]
    assert row.decided == 1 and row.pending == 1


def test_navigation_and_annual_figures(
    make_case: Callable[..., Case],
    handler: User,
    reviewer: User,
    make_user: Callable[..., User],
) -> None:
    labels = [str(item.label) for _title, items in navigation_for(handler) for item in items]
    assert "执法案件" in labels and "立案" in labels and "法制审核" not in labels
    reviewer_labels = [str(i.label) for _t, items in navigation_for(reviewer) for i in items]
    assert "法制审核" in reviewer_labels
    case = advance(make_case(registered_on=localdate()), handler, CaseStatus.NOTIFIED)
    actions.request_legality_review(case, actor=handler, submission="拟罚款。")
    actions.record_legality_review(
        case.reviews.get(), actor=reviewer, result="failed", opinion="证据不足", checklist={}
    )
    year = localdate().year
    (section,) = sections(year)
    figures = {figure.key: figure for figure in section.figures}
    assert figures["cases.registered"].value == 1
    assert figures["cases.reviews_done"].value == 1
    assert figures["cases.review_pass_rate"].value == 0
    assert figures["cases.online_share"].value is None  # no penalty records: 无数据
    assert all(figure.url for figure in section.figures)
    admin = logged_in(make_user(Role.RULE_OF_LAW_ADMIN))
    for figure in section.figures:  # the lists behind the figures open for the report's reader
        assert admin.get(figure.url).status_code == 200, figure.key
    reviewed = admin.get(figures["cases.reviews_done"].url)
    assert list(reviewed.context["page"]) == [case]
    assert not admin.get(figures["cases.review_pass_rate"].url).context["page"]


def test_the_case_page_shows_its_penalty_record_to_the_officer(
    make_case: Callable[..., Case], handler: User, case_body: EnforcementBody
) -> None:
    assert case_body.department is not None
    penalty(
        company(),
        case_body.department,
        authority_credit_code=case_body.credit_code,
        decision_number="台市监罚〔2026〕55号",
    )
    case = advance(make_case(), handler, CaseStatus.NOTIFIED)
    decide_now(case, actor=handler, decision_number="台市监罚〔2026〕55号", decision_summary="警告")
    page = logged_in(handler).get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "台市监罚〔2026〕55号" in page
    assert reverse("publicity:list", args=["penalties"]) not in page  # no records right: no link


def test_the_review_queue_and_the_off_network_list_keep_their_query_counts(
    make_case: Callable[..., Case],
    handler: User,
    reviewer: User,
    case_body: EnforcementBody,
    make_user: Callable[..., User],
    django_assert_max_num_queries: Any,
) -> None:
    assert case_body.department is not None
    admin = logged_in(make_user(Role.RULE_OF_LAW_ADMIN))
    legal = logged_in(reviewer)

    def add(n: int) -> None:
        for _ in range(n):
            case = advance(make_case(), handler, CaseStatus.NOTIFIED)
            actions.request_legality_review(case, actor=handler, submission="拟罚款。")
            penalty(company(), case_body.department, authority_credit_code=case_body.credit_code)

    add(1)
    pages = ((legal, reverse("cases:reviews")), (admin, reverse("cases:off_network")))
    counts = []
    for client, url in pages:
        with CaptureQueriesContext(connection) as few:
            assert client.get(url, {"start": "2026-01-01"}).status_code == 200
        counts.append(len(few))
    add(5)
    for (client, url), count in zip(pages, counts, strict=True):
        with django_assert_max_num_queries(count):
            response = client.get(url, {"start": "2026-01-01"})
        assert len(response.context["page"]) == 6


def test_the_publicity_report_overdue_list_keeps_the_department_filter(
    make_case: Callable[..., Case],
    handler: User,
    other_department_case: Case,
    make_user: Callable[..., User],
    case_department: Department,
) -> None:
    """Given an overdue unpublished decision in each of two departments,
    when the rule-of-law office filters the report by one department,
    then the overdue list shows only that department's case."""
    case = advance(make_case(), handler, CaseStatus.NOTIFIED)
    decide_now(case, actor=handler, decision_number="台市监罚〔2026〕9号", decision_summary="警告")
    other = other_department_case
    officer2 = User.objects.get(department=other.department)
    advance(other, officer2, CaseStatus.NOTIFIED)
    decide_now(
        other, actor=officer2, decision_number="台综执罚〔2026〕9号", decision_summary="警告"
    )
    long_ago = localdate() - datetime.timedelta(days=2)
    Case.objects.update(publicity_deadline=long_ago)
    admin = logged_in(make_user(Role.RULE_OF_LAW_ADMIN))
    response = admin.get(reverse("cases:publicity"), {"department": case_department.pk})
    assert response.status_code == 200
    assert [c.pk for c in response.context["overdue"]] == [case.pk]
    assert [row.body_id for row in response.context["rows"]] == [case.body_id]


def test_the_case_page_query_count_does_not_grow_with_its_steps(
    make_case: Callable[..., Case],
    handler: User,
    reviewer: User,
    case_body: EnforcementBody,
    django_assert_max_num_queries: Any,
) -> None:
    """Given a case with one step, then the same case with more steps (each with a document and
    a recording), reviews and linked penalty records, the page takes no more queries."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from chengxin.cases.tests.fixtures import review

    assert case_body.department is not None
    case = make_case()
    client = logged_in(handler)
    url = reverse("cases:detail", args=[case.pk])
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    now = datetime.datetime.now(datetime.UTC)
    for _ in range(3):
        actions.record_step(
            case,
            StepKind.INVESTIGATION,
            actor=handler,
            files=[SimpleUploadedFile("笔录.pdf", b"%PDF-1.4 x")],
            recordings=[actions.RecordingData("video", "DV-0001", now)],
        )
    case = advance(case, handler, CaseStatus.NOTIFIED)
    review(case, handler, reviewer, ReviewResult.RETURNED)
    for n in range(3):
        penalty(
            company(),
            case_body.department,
            authority_credit_code=case_body.credit_code,
            decision_number=f"台市监罚〔2026〕7{n}号",
        )
    Case.objects.filter(pk=case.pk).update(decision_number="台市监罚〔2026〕70号")
    case.refresh_from_db()
    actions.link_penalty_records(case)
    with django_assert_max_num_queries(len(few)):
        response = client.get(url)
    assert len(response.context["steps"]) >= 6


def test_a_revoked_body_keeps_its_off_network_penalties_in_the_report(
    case_body: EnforcementBody, make_user: Callable[..., User]
) -> None:
    """Given a penalty without a case decided while the body was active,
    when the body is later revoked (e.g. an institutional reform),
    then the 网外循环 report still lists the penalty."""
    from chengxin.agencies import actions as agency_actions

    assert case_body.department is not None
    record = penalty(
        company(),
        case_body.department,
        authority=case_body.name,
        authority_credit_code=case_body.credit_code,
        decision_number="台市监罚〔2026〕405号",
    )
    agency_actions.revoke_body(
        case_body, actor=None, document="台政发〔2026〕9号", revoked_on=localdate()
    )
    client = logged_in(make_user(Role.RULE_OF_LAW_ADMIN))
    year = {"start": f"{record.decision_date.year}-01-01"}
    response = client.get(reverse("cases:off_network"), year)
    assert list(response.context["page"]) == [record]


def test_viewers_cannot_post_steps_or_actions_on_a_case(
    make_case: Callable[..., Case], handler: User, reviewer: User, make_user: Callable[..., User]
) -> None:
    """The rule-of-law and legal offices may view a case, not handle it: every POST of a step or
    an action is 404 and leaves no step, event or change."""
    from chengxin.cases.models import CaseEvent, CaseStep

    case = advance(make_case(), handler, CaseStatus.NOTIFIED)
    steps, events = CaseStep.objects.count(), CaseEvent.objects.count()
    posts = [
        (
            reverse("cases:step", args=[case.pk, StepKind.DECISION]),
            {
                "decision-decision_number": "台市监罚〔2026〕77号",
                "decision-decision_summary": "警告",
            },
        ),
        (reverse("cases:action", args=[case.pk, "review"]), {"review-submission": "拟警告"}),
        (
            reverse("cases:action", args=[case.pk, "major"]),
            {
                "major-is_complex": "on",
                "major-reason": "复杂",
            },
        ),
        (reverse("cases:action", args=[case.pk, "hearing"]), {"hearing-note": "申请"}),
    ]
    for user in (reviewer, make_user(Role.RULE_OF_LAW_ADMIN)):
        client = logged_in(user)
        for url, data in posts:
            assert client.post(url, data).status_code == 404, url
    case.refresh_from_db()
    assert case.status == CaseStatus.NOTIFIED and not case.is_complex
    assert (CaseStep.objects.count(), CaseEvent.objects.count()) == (steps, events)
