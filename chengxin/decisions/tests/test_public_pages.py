"""The public pages: only what is public appears, and the online comment form."""

from __future__ import annotations

import datetime
import re
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from chengxin.accounts.models import User
from chengxin.decisions import actions
from chengxin.decisions.choices import StepKind
from chengxin.decisions.models import MajorDecision, PublicComment
from chengxin.decisions.tests.fixtures import days_ago

pytestmark = pytest.mark.django_db

# Internal texts written by the fixtures' `advance` and below; none may reach a public page.
INTERNAL = [
    "主体合法，程序完备",  # legality opinion
    "会议原则同意",  # minutes
    "一位副区长建议分两年实施",  # dissent
    "施工期间出行不便",  # risk report
    "加装电梯的资金来源不明确",  # an expert's opinion
    "已补充资金来源说明",  # handling of expert opinions
    "内部送审稿",  # a document not marked public
    "联系人电话13800000000",  # a commenter's contact
    "张某某",  # a commenter's name
    "建议把停车位的改造也纳入",  # a comment's text
    "线下征求意见补录",  # a consultation's backfill reason: how it was recorded (issue 21)
    "补录理由",
    # recorded after it closed: no day of online comment to announce (the recording day is not)
    "线上征求意见",
    "未发现与上位法抵触之处",  # the legal advisers' opinion (art. 28)
    "山东省城镇老旧小区改造工作实施方案",  # the legal basis sent for review (art. 26)
]


def open_consultation(decision: MajorDecision, liaison: User, **overrides: Any) -> Any:
    fields: dict[str, Any] = {
        "draft_title": "老旧小区改造实施方案（征求意见稿）",
        "draft_text": "第一条 改造范围为2000年以前建成的小区。",
        "opens_on": days_ago(0),
        "closes_on": days_ago(0) + datetime.timedelta(days=29),
    }
    fields.update(overrides)
    return actions.open_consultation(decision, actor=liaison, **fields)


@pytest.fixture
def published(make_decision, advance, liaison: User) -> MajorDecision:
    """A decision through every step, with a public and an internal document and a comment."""
    decision = make_decision(title="老旧小区改造实施方案")
    step = decision.steps.get(kind=StepKind.PUBLIC_PARTICIPATION)
    for title, is_public in (("征求意见稿全文", True), ("内部送审稿", False)):
        actions.add_document(
            step,
            actor=liaison,
            title=title,
            file=SimpleUploadedFile(f"{title}.pdf", b"%PDF-1.4 test"),
            is_public=is_public,
        )
    decision = advance(decision, until=StepKind.EXPERT_REVIEW)
    PublicComment.objects.create(
        consultation=decision.consultation,
        name="张某某",
        contact="联系人电话13800000000",
        content="建议把停车位的改造也纳入。",
    )
    return advance(decision)


def test_decision_page_shows_only_what_is_public(client: Client, published) -> None:
    page = client.get(reverse("decisions_public:decision", args=[published.pk])).content.decode()
    assert "老旧小区改造实施方案" in page and "已公布实施" in page
    assert "收到意见 3 条，采纳 2 条" in page  # the result summary (art. 18)
    assert "台政发〔2026〕5号" in page and "决定实施老旧小区改造。" in page
    assert "征求意见稿全文" in page
    for text in INTERNAL:
        assert text not in page, text


def test_catalogue_page_lists_the_published_years_decisions(client: Client, published) -> None:
    page = client.get(reverse("decisions_public:catalogues")).content.decode()
    assert published.catalogue.title in page and "经区委常委会会议研究同意" in page
    assert reverse("decisions_public:decision", args=[published.pk]) in page
    year_page = client.get(reverse("decisions_public:catalogue", args=[published.catalogue.year]))
    assert year_page.status_code == 200
    assert client.get(reverse("decisions_public:catalogue", args=[1999])).status_code == 404


def test_unpublished_catalogue_and_its_decisions_are_not_public(
    client: Client, lawadmin: User, lead_unit
) -> None:
    draft = actions.create_catalogue(actor=lawadmin, year=2035, title="2035年度目录（草稿）")
    decision = actions.add_decision(
        draft,
        actor=lawadmin,
        title="尚未公布的事项",
        lead_unit=lead_unit,
        scope_category="plan",
        planned_completion=days_ago(-100),
    )
    assert (
        "尚未公布的事项" not in client.get(reverse("decisions_public:catalogues")).content.decode()
    )
    assert client.get(reverse("decisions_public:catalogue", args=[2035])).status_code == 404
    assert client.get(reverse("decisions_public:decision", args=[decision.pk])).status_code == 404


def test_only_public_documents_are_downloadable(client: Client, published) -> None:
    documents = {
        d.title: d for d in published.steps.get(kind="public_participation").documents.all()
    }
    public = client.get(reverse("decisions_public:document", args=[documents["征求意见稿全文"].pk]))
    assert public.status_code == 200 and b"".join(public.streaming_content) == b"%PDF-1.4 test"
    internal = reverse("decisions_public:document", args=[documents["内部送审稿"].pk])
    assert client.get(internal).status_code == 404


def test_catalogue_page_query_count_does_not_grow(client: Client, make_decision) -> None:
    make_decision()
    url = reverse("decisions_public:catalogues")
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    for _n in range(5):
        make_decision()
    with CaptureQueriesContext(connection) as many:
        page = client.get(url).content.decode()
    assert len(re.findall(r'href="/decisions/items/\d+/"', page)) == 6
    assert len(many) == len(few)


# --- the comment form --------------------------------------------------------------------------


def test_open_consultations_are_listed_and_take_comments(
    client: Client, make_decision, liaison: User
) -> None:
    consultation = open_consultation(make_decision(), liaison)
    listing = client.get(reverse("decisions_public:consultations")).content.decode()
    assert consultation.draft_title in listing
    url = reverse("decisions_public:comment", args=[consultation.pk])
    page = client.get(url).content.decode()
    assert "第一条 改造范围" in page
    response = client.post(url, {"content": "建议增加无障碍坡道。", "name": "李四", "contact": ""})
    assert response.status_code == 302
    assert response["Location"] == reverse("decisions_public:thanks", args=[consultation.pk])
    saved = PublicComment.objects.get()
    assert saved.content == "建议增加无障碍坡道。" and saved.name == "李四"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"content": ""}, "请填写意见建议。"),
        ({"content": "好"}, "意见建议过短，请至少填写 5 个字。"),
        ({"content": "很" * 2001}, "意见建议不能超过 2000 字（现为 2001 字）。"),
        ({"content": "建议增加绿化。", "contact": "1" * 101}, "联系方式不能超过 100 个字符。"),
    ],
)
def test_invalid_comment_gets_a_chinese_message(
    client: Client, make_decision, liaison: User, data: dict[str, str], message: str
) -> None:
    consultation = open_consultation(make_decision(), liaison)
    response = client.post(reverse("decisions_public:comment", args=[consultation.pk]), data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not PublicComment.objects.exists()


def test_closed_consultation_takes_no_comment(client: Client, make_decision, liaison) -> None:
    consultation = open_consultation(
        make_decision(),
        liaison,
        opens_on=days_ago(40),
        closes_on=days_ago(1),
        backfill_reason="线下征求意见补录：在《台儿庄报》刊登征求意见稿。",
    )
    url = reverse("decisions_public:comment", args=[consultation.pk])
    assert (
        consultation.draft_title
        not in client.get(reverse("decisions_public:consultations")).content.decode()
    )
    response = client.post(url, {"content": "迟到的意见建议。"})
    assert response.status_code == 400 and "期限已过" in response.content.decode()
    assert not PublicComment.objects.exists()


def test_comment_form_is_rate_limited(client: Client, make_decision, liaison, settings) -> None:
    settings.PORTAL_RATE_LIMITS = {**settings.PORTAL_RATE_LIMITS, "comment": (2, 3600)}
    consultation = open_consultation(make_decision(), liaison)
    url = reverse("decisions_public:comment", args=[consultation.pk])
    for n in range(2):
        assert client.post(url, {"content": f"第{n}条意见建议内容"}).status_code == 302
    refused = client.post(url, {"content": "第三条意见建议内容"})
    assert refused.status_code == 429 and refused["Retry-After"] == "3600"
    assert "过于频繁" in refused.content.decode()
    assert PublicComment.objects.count() == 2
    assert client.get(url).status_code == 200  # reading the draft is not limited


def test_scheduled_consultation_stays_internal_until_it_opens(
    client: Client, make_decision, liaison
) -> None:
    """A draft put up for comment from a later day is still a draft under preparation: neither
    its text nor its page is public before the opening day."""
    decision = make_decision()
    consultation = open_consultation(
        decision,
        liaison,
        draft_text="第一条 尚未公开的草案文本。",
        opens_on=days_ago(-5),
        closes_on=days_ago(-5) + datetime.timedelta(days=29),
    )
    page = client.get(reverse("decisions_public:decision", args=[decision.pk])).content.decode()
    assert "尚未公开的草案文本" not in page
    comment_page = reverse("decisions_public:comment", args=[consultation.pk])
    assert client.get(comment_page).status_code == 404
    assert client.post(comment_page, {"content": "提前提交的意见内容"}).status_code == 404
    assert not PublicComment.objects.exists()


def test_a_commenters_contact_stays_out_of_the_change_log(
    client: Client, make_decision, liaison: User
) -> None:
    """The contact is for the lead unit's follow-up only: like a document comment's, it is not
    copied into the change log that auditors read."""
    from chengxin.audit.models import AuditEntry

    consultation = open_consultation(make_decision(), liaison)
    url = reverse("decisions_public:comment", args=[consultation.pk])
    client.post(url, {"content": "建议增加无障碍坡道。", "contact": "13912345678"})
    saved = PublicComment.objects.get()
    assert saved.contact == "13912345678"
    entry = AuditEntry.objects.get(object_type="decisions.publiccomment", object_id=str(saved.pk))
    assert "13912345678" not in str(entry.after)
    assert entry.after["content"] == "建议增加无障碍坡道。"


def test_a_comment_without_the_csrf_token_is_refused(make_decision, liaison: User) -> None:
    """The comment form is a public POST: a page elsewhere cannot submit in a visitor's name."""
    consultation = open_consultation(make_decision(), liaison)
    client = Client(enforce_csrf_checks=True)
    url = reverse("decisions_public:comment", args=[consultation.pk])
    assert client.post(url, {"content": "建议增加无障碍坡道。"}).status_code == 403
    assert not PublicComment.objects.exists()
    token = client.get(url).cookies["csrftoken"].value
    accepted = client.post(url, {"content": "建议增加无障碍坡道。", "csrfmiddlewaretoken": token})
    assert accepted.status_code == 302 and PublicComment.objects.count() == 1
