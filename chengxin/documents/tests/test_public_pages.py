"""Public document pages: only what is public appears; full-text search; the comment form with
its validation, rate limit and privacy."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils.timezone import localdate

from chengxin.accounts.models import User
from chengxin.documents import actions
from chengxin.documents.choices import CleanupResult, DocumentStatus, EventType
from chengxin.documents.models import DocumentComment, NormativeDocument

pytestmark = pytest.mark.django_db


def _commenting(document: NormativeDocument, actor: User) -> NormativeDocument:
    return actions.open_comment(
        document,
        actor=actor,
        starts_on=localdate() - datetime.timedelta(days=3),
        ends_on=localdate() + datetime.timedelta(days=14),
    )


def test_only_published_documents_are_public(make_document, lawadmin: User) -> None:
    in_force = make_document(
        DocumentStatus.PUBLISHED,
        published_on=(localdate() - datetime.timedelta(days=60)),
        title="在施文件",
    )
    under_review = make_document(DocumentStatus.UNDER_REVIEW, title="审核中的草案")
    issued = make_document(DocumentStatus.ISSUED, title="已印发未公布")
    failed = make_document(DocumentStatus.UNDER_REVIEW, title="审核未通过的草案")
    client = Client()
    index = client.get(reverse("documents_public:index")).content.decode()
    assert "在施文件" in index
    for hidden in ("审核中的草案", "已印发未公布", "审核未通过的草案"):
        assert hidden not in index
    assert client.get(reverse("documents_public:detail", args=[in_force.pk])).status_code == 200
    for document in (under_review, issued, failed):
        url = reverse("documents_public:detail", args=[document.pk])
        assert client.get(url).status_code == 404
        assert client.get(reverse("documents_public:draft", args=[document.pk])).status_code == 404


def test_a_document_published_today_is_listed_as_not_yet_in_force(make_document) -> None:
    make_document(DocumentStatus.PUBLISHED, title="今天公布的文件")
    page = Client().get(reverse("documents_public:index")).content.decode()
    assert "今天公布的文件" in page and "尚未施行" in page


def test_the_public_page_shows_no_internal_opinion_or_timeline(
    make_document, reviewer: User
) -> None:
    document = make_document(
        DocumentStatus.PUBLISHED, published_on=(localdate() - datetime.timedelta(days=60))
    )
    review = document.reviews.get()
    review.opinion = "内部意见：第三条表述需斟酌"
    review.save()
    page = Client().get(reverse("documents_public:detail", args=[document.pk])).content.decode()
    assert document.document_number in page and "现行有效" in page
    assert "内部意见" not in page and "合法性审核" not in page and "办理记录" not in page
    assert "紧急情况" not in page and review.urgent_reason not in page


def test_an_abolished_document_stays_readable_but_leaves_the_in_force_list(
    make_document, lawadmin: User
) -> None:
    document = make_document(
        DocumentStatus.PUBLISHED,
        published_on=(localdate() - datetime.timedelta(days=60)),
        title="待废止文件",
    )
    actions.clean_up_document(
        document, actor=lawadmin, result=CleanupResult.ABOLISHED, decided_on=localdate()
    )
    client = Client()
    assert "待废止文件" not in client.get(reverse("documents_public:index")).content.decode()
    page = client.get(reverse("documents_public:detail", args=[document.pk])).content.decode()
    assert "废止" in page and document.document_number in page


def test_a_lapsed_document_leaves_the_list_without_a_job(make_document) -> None:
    make_document(
        DocumentStatus.PUBLISHED, published_on=datetime.date(2020, 1, 2), title="过期文件"
    )
    assert "过期文件" not in Client().get(reverse("documents_public:index")).content.decode()


def test_full_text_search_finds_words_in_the_text(make_document) -> None:
    make_document(
        DocumentStatus.PUBLISHED,
        published_on=(localdate() - datetime.timedelta(days=60)),
        title="关于规范农贸市场管理的通知",
        body="第一条 农贸市场开办者应当建立食品安全管理制度。",
    )
    make_document(
        DocumentStatus.PUBLISHED,
        published_on=(localdate() - datetime.timedelta(days=60)),
        title="关于加强校园周边管理的通知",
        body="第一条 学校周边二百米内不得设置网吧。",
    )
    client = Client()

    def titles(query: str) -> list[str]:
        response = client.get(reverse("documents_public:index"), {"q": query})
        page = response.context["page"]
        return sorted(document.title for document in page)

    assert titles("开办者") == ["关于规范农贸市场管理的通知"]  # a word in the text only
    assert titles("网吧") == ["关于加强校园周边管理的通知"]  # two characters
    assert titles("通知") == ["关于加强校园周边管理的通知", "关于规范农贸市场管理的通知"]
    assert titles("通知 网吧") == ["关于加强校园周边管理的通知"]  # every term must occur
    assert titles("开办网吧") == []  # the characters occur, but not together
    assert titles("二百米") == ["关于加强校园周边管理的通知"]


def test_search_follows_an_edited_text(make_document) -> None:
    document = make_document(
        DocumentStatus.PUBLISHED,
        published_on=(localdate() - datetime.timedelta(days=60)),
        body="旧的措辞",
    )
    NormativeDocument.objects.filter(pk=document.pk).update(body="新的措辞")
    client = Client()
    found = client.get(reverse("documents_public:index"), {"q": "新的"}).context["page"]
    assert [d.pk for d in found] == [document.pk]
    assert not list(client.get(reverse("documents_public:index"), {"q": "旧的"}).context["page"])


def test_issuing_bodies_list_shows_confirmed_ones(make_body) -> None:
    make_body(name="台儿庄区人民政府", code="台政规", kind="district_government")
    make_body(name="未确认的单位", code="台未规", is_confirmed=False)
    page = Client().get(reverse("documents_public:bodies")).content.decode()
    assert "台儿庄区人民政府" in page and "台政规" in page and "未确认的单位" not in page
    assert "共 1 个" in page


def test_drafts_open_for_comment_and_the_comment_form(make_document, lawadmin: User) -> None:
    document = _commenting(make_document(title="征求意见中的草案"), lawadmin)
    closed = actions.open_comment(
        make_document(title="意见期已结束的草案"),
        actor=lawadmin,
        starts_on=localdate() - datetime.timedelta(days=30),
        ends_on=localdate() - datetime.timedelta(days=1),
        backfill_reason="线下征求意见补录：在《台儿庄报》刊登征求意见稿",
    )
    client = Client()
    listing = client.get(reverse("documents_public:drafts")).content.decode()
    assert "征求意见中的草案" in listing and "意见期已结束的草案" not in listing
    assert client.get(reverse("documents_public:draft", args=[closed.pk])).status_code == 404
    url = reverse("documents_public:draft", args=[document.pk])
    response = client.post(
        url,
        {"content": "建议将办理时限缩短为五个工作日。", "name": "李四", "contact": "13800000000"},
    )
    assert response.status_code == 200 and "意见已提交" in response.content.decode()
    comment = DocumentComment.objects.get()
    assert comment.commenter_name == "李四" and comment.commenter_contact == "13800000000"
    assert document.events.filter(type=EventType.COMMENT_RECEIVED).exists()
    # nobody's comment, name or contact is shown publicly
    page = client.get(url).content.decode()
    assert "五个工作日" not in page and "李四" not in page and "13800000000" not in page


def test_an_empty_comment_is_refused_with_a_message(make_document, lawadmin: User) -> None:
    document = _commenting(make_document(), lawadmin)
    response = Client().post(
        reverse("documents_public:draft", args=[document.pk]), {"content": " "}
    )
    assert response.status_code == 200 and "这个字段是必填项" in response.content.decode()
    assert not DocumentComment.objects.exists()


def test_comments_are_rate_limited(make_document, lawadmin: User, settings) -> None:
    settings.PORTAL_RATE_LIMITS = {**settings.PORTAL_RATE_LIMITS, "comment": (2, 3600)}
    document = _commenting(make_document(), lawadmin)
    url = reverse("documents_public:draft", args=[document.pk])
    client = Client()
    for n in range(2):
        assert client.post(url, {"content": f"第{n}条意见内容"}).status_code == 200
    assert client.post(url, {"content": "第三条意见内容"}).status_code == 429
    assert DocumentComment.objects.count() == 2
    assert client.get(url).status_code == 200  # reading the draft is not limited


def test_public_list_query_count(make_document, django_assert_max_num_queries) -> None:
    for _n in range(5):
        make_document(
            DocumentStatus.PUBLISHED, published_on=(localdate() - datetime.timedelta(days=60))
        )
    client = Client()
    with django_assert_max_num_queries(6):
        response = client.get(reverse("documents_public:index"), {"q": "食品"})
    assert len(response.context["page"]) == 5


def test_a_comment_without_the_csrf_token_is_refused(make_document, lawadmin: User) -> None:
    """The comment form is a public POST: a page elsewhere cannot submit in a visitor's name."""
    document = _commenting(make_document(), lawadmin)
    client = Client(enforce_csrf_checks=True)
    url = reverse("documents_public:draft", args=[document.pk])
    response = client.post(url, {"content": "建议将办理时限缩短为五个工作日。"})
    assert response.status_code == 403
    assert not DocumentComment.objects.exists()
    page = client.get(url)
    token = page.cookies["csrftoken"].value
    accepted = client.post(
        url, {"content": "建议将办理时限缩短为五个工作日。", "csrfmiddlewaretoken": token}
    )
    assert accepted.status_code == 200 and DocumentComment.objects.count() == 1
