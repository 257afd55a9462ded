"""The dashboard items of normative documents (documents.attention)."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.utils.timezone import localdate

from chengxin.accounts.choices import Role
from chengxin.accounts.models import User
from chengxin.core.tests.test_attention_helpers import listed, pending
from chengxin.documents.choices import DocumentStatus
from chengxin.documents.models import NormativeDocument

pytestmark = pytest.mark.django_db


def published(make_document: Callable[..., NormativeDocument], **dates: Any) -> NormativeDocument:
    document = make_document(DocumentStatus.PUBLISHED)
    NormativeDocument.objects.filter(pk=document.pk).update(**dates)
    return document


def test_filing_overdue_as_the_filing_register_shows_it(
    client: Client, lawadmin: User, liaison: User, make_document: Callable[..., NormativeDocument]
) -> None:
    today = localdate()
    published(make_document, filing_due=today - datetime.timedelta(days=1))
    published(make_document, filing_due=today)  # boundary: the deadline day is in time
    key = "documents_filing_overdue"
    assert pending(lawadmin, key) == 1 == listed(client, lawadmin, key)
    assert pending(liaison, key) == 1 == listed(client, liaison, key)  # the body's department


def test_another_departments_documents_are_not_counted(
    make_user: Any, make_document: Callable[..., NormativeDocument], reviewer: User
) -> None:
    published(make_document, filing_due=localdate() - datetime.timedelta(days=1))
    other_liaison = make_user(Role.LEGAL_AFFAIRS_OFFICER)
    assert pending(other_liaison, "documents_filing_overdue") == 0
    assert pending(reviewer, "documents_filing_overdue") == 0  # reviews, does not file


def test_expiring_documents_and_pending_reviews(
    client: Client,
    lawadmin: User,
    reviewer: User,
    make_document: Callable[..., NormativeDocument],
    make_user: Any,
) -> None:
    today = localdate()
    published(make_document, effective_on=today, valid_until=today + datetime.timedelta(days=30))
    make_document(DocumentStatus.UNDER_REVIEW)
    assert pending(lawadmin, "documents_expiring") == 1
    assert listed(client, lawadmin, "documents_expiring") == 1
    assert pending(reviewer, "documents_reviews_pending") == 1
    assert listed(client, reviewer, "documents_reviews_pending") == 1
    assert pending(lawadmin, "documents_reviews_pending") == 0  # not the legal office
    # the justice bureau's reviewer does not review the market bureau's (国办发〔2018〕115号)
    justice_reviewer = make_user(Role.LEGAL_REVIEWER)
    assert pending(justice_reviewer, "documents_reviews_pending") == 0
    assert listed(client, justice_reviewer, "documents_reviews_pending") == 0
