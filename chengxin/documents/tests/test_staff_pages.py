"""Staff document pages: the procedure through the forms, department scoping for the liaison,
the legal reviewer's queue, the filing register, the dashboard, the export and query counts."""

from __future__ import annotations

import datetime
import io
from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse
from django.utils.timezone import localdate
from python_calamine import CalamineWorkbook

from chengxin.accounts.models import User
from chengxin.core.navigation import navigation_for, public_links
from chengxin.documents import actions
from chengxin.documents.choices import DocumentStatus, ReviewResult
from chengxin.documents.models import IssuingBody, NormativeDocument

pytestmark = pytest.mark.django_db


def logged_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def detail_url(document: NormativeDocument) -> str:
    return reverse("documents:detail", args=[document.pk])


def test_register_and_walk_the_procedure_through_the_forms(
    market_body: IssuingBody, liaison: User, reviewer: User
) -> None:
    client = logged_in(liaison)
    response = client.post(
        reverse("documents:register"),
        {
            "issuing_body": market_body.pk,
            "title": "台儿庄区市场监督管理局行政处罚裁量基准（试行）",
            "drafting_unit": "法规科",
            "body": "第一条 为规范行政处罚裁量权……",
        },
    )
    document = NormativeDocument.objects.get()
    assert response.status_code == 302 and response["Location"] == detail_url(document)
    assert document.is_provisional

    def step(name: str, data: dict[str, str] | None = None) -> str:
        url = reverse("documents:action", args=[document.pk, name])
        client.post(url, {f"{name}-{k}": v for k, v in (data or {}).items()})
        return client.get(detail_url(document)).content.decode()

    step("waive_comment", {"reason": "内部执法标准，经批准不公开征求意见"})
    step("submit_review")
    document.refresh_from_db()
    assert document.status == DocumentStatus.UNDER_REVIEW
    # the reviewer sees it in the queue and gives the opinion
    review = document.reviews.get()
    legal = logged_in(reviewer)
    queue = legal.get(reverse("documents:reviews")).content.decode()
    assert document.title in queue
    form = {"passed": "1", "opinion": "合法。"}
    refused = legal.post(reverse("documents:review", args=[review.pk]), form).content.decode()
    assert "少于5个工作日" in refused  # the same day: 115号's 5 working days, or the urgency
    form["urgent_reason"] = "上级部署限期出台，经主要负责人批准加快审核。"
    legal.post(reverse("documents:review", args=[review.pk]), form)
    review.refresh_from_db()
    assert review.result == ReviewResult.PASSED and review.urgent_reason
    step(
        "deliberate",
        {"meeting": "局长办公会议", "held_on": localdate().isoformat(), "result": "approved"},
    )
    page = step("issue")
    document.refresh_from_db()
    assert document.status == DocumentStatus.ISSUED and document.document_number in page
    step("publish", {"published_on": localdate().isoformat(), "channel": "区政府网站"})
    step("file", {"filed_on": localdate().isoformat()})
    document.refresh_from_db()
    assert document.status == DocumentStatus.PUBLISHED and document.filed_on == localdate()


def test_a_refused_step_comes_back_as_a_message(make_document, lawadmin: User) -> None:
    document = make_document()
    client = logged_in(lawadmin)
    response = client.post(
        reverse("documents:action", args=[document.pk, "submit_review"]), follow=True
    )
    assert "须公开征求意见" in response.content.decode()
    response = client.post(
        reverse("documents:action", args=[document.pk, "open_comment"]),
        {
            "open_comment-starts_on": "2026-03-02",
            "open_comment-ends_on": "2026-03-04",
            "open_comment-backfill_reason": "线下征求意见补录：在《台儿庄报》刊登征求意见稿",
        },
        follow=True,
    )
    assert "少于 7 个工作日，须说明理由" in response.content.decode()
    response = client.post(
        reverse("documents:action", args=[document.pk, "open_comment"]),
        {"open_comment-starts_on": "not a date"},
        follow=True,
    )
    assert "开始日期" in response.content.decode()


def test_the_liaison_sees_only_their_departments_documents(
    make_document, make_body: Callable[..., IssuingBody], liaison: User
) -> None:
    own = make_document(title="本部门文件")
    other = make_document(issuing_body=make_body(), title="其他部门文件")
    client = logged_in(liaison)
    listing = client.get(reverse("documents:list")).content.decode()
    assert "本部门文件" in listing and "其他部门文件" not in listing
    assert client.get(detail_url(other)).status_code == 404
    assert (
        client.post(reverse("documents:action", args=[other.pk, "waive_comment"])).status_code
        == 404
    )
    assert client.get(detail_url(own)).status_code == 200
    # the register form offers only the bodies of their own department
    form = client.get(reverse("documents:register")).context["form"]
    assert list(form.fields["issuing_body"].queryset) == [own.issuing_body]
    # no export, no body editing, no review
    assert client.get(reverse("documents:export")).status_code == 403
    assert client.get(reverse("documents:body_add")).status_code == 403
    assert client.get(reverse("documents:reviews")).status_code == 403


def test_a_legal_reviewer_reads_but_does_not_change_documents(
    make_document, reviewer: User
) -> None:
    document = make_document()
    client = logged_in(reviewer)
    assert client.get(detail_url(document)).status_code == 200
    url = reverse("documents:action", args=[document.pk, "waive_comment"])
    assert client.post(url, {"waive_comment-reason": "x"}).status_code == 403


def test_only_a_legal_reviewer_may_post_an_opinion(make_document, lawadmin: User) -> None:
    document = make_document(DocumentStatus.UNDER_REVIEW)
    review = document.reviews.get()
    client = logged_in(lawadmin)
    url = reverse("documents:review", args=[review.pk])
    assert client.post(url, {"passed": "1", "opinion": "合法"}).status_code == 403
    review.refresh_from_db()
    assert review.result == ReviewResult.PENDING


def test_filing_register_alerts_overdue_documents(make_document, lawadmin: User) -> None:
    overdue = make_document(
        DocumentStatus.PUBLISHED,
        published_on=localdate() - datetime.timedelta(days=31),
        title="逾期",
    )
    make_document(
        DocumentStatus.PUBLISHED,
        published_on=localdate() - datetime.timedelta(days=30),
        title="到期日",
    )
    client = logged_in(lawadmin)
    page = client.get(reverse("documents:filings")).content.decode()
    assert "1 件文件逾期未报送备案" in page
    only = client.get(reverse("documents:filings"), {"filing": "overdue"}).context["page"]
    assert [d.pk for d in only] == [overdue.pk]
    dashboard = client.get(reverse("documents:dashboard"))
    assert [d.pk for d in dashboard.context["overdue_filings"]] == [overdue.pk]
    assert dict((key, n) for _label, n, key in dashboard.context["timeliness"]) == {
        "on_time": 0,
        "late": 0,
        "overdue": 1,
        "pending": 1,
    }


# The table counts the last five number years; a document ending within six months was numbered
# 1,700 days ago, which is still inside them only from about September to December (earlier in
# the year it falls in the sixth year back). So the test runs on a day in autumn.
@pytest.mark.today(datetime.date(2026, 10, 15))
def test_dashboard_counts_by_body_and_year_and_lists_expiring(
    make_document, lawadmin: User
) -> None:
    # published 4 years 8 months ago: valid 5 years from 30 days later, so ending within 6 months
    published = localdate() - datetime.timedelta(days=4 * 365 + 240)
    soon = make_document(DocumentStatus.PUBLISHED, published_on=published, title="即将到期")
    make_document(DocumentStatus.PUBLISHED, title="新文件")
    response = logged_in(lawadmin).get(reverse("documents:dashboard"))
    assert [d.pk for d in response.context["expiring"]] == [soon.pk]
    row = response.context["rows"][0]
    assert row["total"] == 2 and row["counts"][localdate().year] == 1


def test_export_writes_the_register(make_document, lawadmin: User) -> None:
    document = make_document(DocumentStatus.PUBLISHED, title='=HYPERLINK("x")')
    response = logged_in(lawadmin).get(reverse("documents:export"))
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    rows = (
        CalamineWorkbook.from_filelike(io.BytesIO(response.getvalue()))
        .get_sheet_by_index(0)
        .to_python()
    )
    assert rows[0][0] == "文号"
    assert rows[1][0] == document.document_number
    assert rows[1][1] == '=HYPERLINK("x")'  # text with the quote prefix, never a formula


def test_issuing_bodies_are_edited_by_the_rule_of_law_office(
    lawadmin: User, market_department
) -> None:
    client = logged_in(lawadmin)
    response = client.post(
        reverse("documents:body_add"),
        {
            "name": "台儿庄区人民政府",
            "code": "台政规",
            "kind": "district_government",
            "filing_authority": "枣庄市人民政府",
            "number_pattern": "{code}〔{yr}〕{seq}号",
            "is_confirmed": "on",
            "is_active": "on",
        },
    )
    assert response.status_code == 200 and "未知字段" in response.content.decode()
    assert not IssuingBody.objects.exists()


def test_list_query_count_does_not_grow_with_rows(
    make_document, lawadmin: User, django_assert_max_num_queries
) -> None:
    for _n in range(8):
        make_document(DocumentStatus.PUBLISHED)
    client = logged_in(lawadmin)
    client.get(reverse("documents:list"))  # warm the session and caches
    for name in ("documents:list", "documents:filings", "documents:dashboard"):
        with django_assert_max_num_queries(14):
            assert client.get(reverse(name)).status_code == 200


def test_navigation_and_public_links(lawadmin: User, liaison: User, reviewer: User) -> None:
    def labels(user: User) -> set[str]:
        return {
            str(item.label)
            for title, items in navigation_for(user)
            if str(title) == "规范性文件"
            for item in items
        }

    assert {"登记簿", "导出登记簿", "备案登记"} <= labels(lawadmin)
    assert "导出登记簿" not in labels(liaison) and "登记草案" in labels(liaison)
    assert "合法性审核" in labels(reviewer) and "登记草案" not in labels(reviewer)
    assert ("documents_public:index") in {name for _label, name in public_links()}


def test_annual_figures(make_document, lawadmin: User) -> None:
    from chengxin.documents.annual import sections

    published = datetime.date(2025, 3, 3)
    on_time = make_document(DocumentStatus.PUBLISHED, published_on=published)
    make_document(DocumentStatus.PUBLISHED, published_on=published)  # never filed: overdue
    actions.file_document(on_time, actor=lawadmin, filed_on=datetime.date(2025, 3, 20))
    [section] = sections(2025)
    figures = {figure.key: figure for figure in section.figures}
    assert figures["documents.issued"].value == 2
    assert figures["documents.issued"].url == reverse("documents:list") + "?year=2025"
    assert figures["documents.filed"].value == 1
    assert figures["documents.filed_on_time_rate"].value == 50.0
    assert figures["documents.legality_reviews"].value == 0  # reviewed this year, not 2025
    assert figures["documents.bodies_confirmed"].value == 1
    assert sections(2019)[0].figures[3].value is None  # nothing due: no rate, not zero


def test_comments_are_handled_on_the_document_page(
    make_document, liaison: User, reviewer: User
) -> None:
    document = actions.open_comment(
        make_document(),
        actor=liaison,
        starts_on=localdate() - datetime.timedelta(days=10),
        ends_on=localdate(),
        backfill_reason="线下征求意见补录：在《台儿庄报》刊登征求意见稿",
    )
    comment = actions.submit_comment(document, content="建议增加听证程序。", contact="139xxxx")
    client = logged_in(liaison)
    page = client.get(detail_url(document)).content.decode()
    assert "建议增加听证程序" in page and "139xxxx" in page  # staff see the contact
    # The legal office reads the comments but has no follow-up to do: no contact for them.
    reviewer_page = logged_in(reviewer).get(detail_url(document)).content.decode()
    assert "建议增加听证程序" in reviewer_page and "139xxxx" not in reviewer_page
    url = reverse("documents:handle_comment", args=[document.pk, comment.pk])
    response = client.post(url, {f"c{comment.pk}-handling": "not_adopted"}, follow=True)
    assert "必须说明理由" in response.content.decode()
    client.post(
        url, {f"c{comment.pk}-handling": "not_adopted", f"c{comment.pk}-reason": "上位法已有规定"}
    )
    comment.refresh_from_db()
    assert comment.handling == "not_adopted" and comment.handling_reason == "上位法已有规定"


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("lawadmin", {"bodies": 200, "body_add": 200, "export": 200, "reviews": 403}),
        ("liaison", {"bodies": 200, "body_add": 403, "export": 403, "reviews": 403}),
        ("reviewer", {"bodies": 200, "body_add": 403, "export": 403, "reviews": 200}),
    ],
)
def test_every_page_opens_for_the_roles_that_may_see_it(
    request, make_document, who: str, expected: dict[str, int]
) -> None:
    document = make_document(DocumentStatus.PUBLISHED)
    client = logged_in(request.getfixturevalue(who))
    pages = {
        "dashboard": 200,
        "list": 200,
        "filings": 200,
        **expected,
    }
    for name, status in pages.items():
        assert client.get(reverse(f"documents:{name}")).status_code == status, name
    filtered = client.get(
        reverse("documents:list"), {"validity": "expiring", "filing": "pending", "q": "食品"}
    )
    assert filtered.status_code == 200
    body_edit = client.get(reverse("documents:body_edit", args=[document.issuing_body_id]))
    assert body_edit.status_code == expected["body_add"]
    anonymous = Client().get(reverse("documents:list"))
    assert anonymous.status_code == 302 and "login" in anonymous["Location"]


def test_dashboard_counts_overdue_reviews(make_document, lawadmin: User, reviewer: User) -> None:
    document = make_document(DocumentStatus.UNDER_REVIEW)
    document.reviews.update(due_on=localdate() - datetime.timedelta(days=1))
    make_document(DocumentStatus.UNDER_REVIEW)  # still within its time limit
    response = logged_in(lawadmin).get(reverse("documents:dashboard"))
    assert response.context["pending_reviews"] == 2 and response.context["overdue_reviews"] == 1
    assert "逾期 1 件" in response.content.decode()
    assert reverse("documents:reviews") not in response.content.decode()  # not their queue
    assert (
        reverse("documents:reviews")
        in logged_in(reviewer).get(reverse("documents:dashboard")).content.decode()
    )
