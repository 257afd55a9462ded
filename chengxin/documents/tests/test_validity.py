"""The validity ceiling (a dated local setting) and the clean-up that continues a document: it is
re-evaluated and re-published, and its new validity, at most the ceiling, runs from the
re-publication (《山东省行政程序规定》第五十三条; 国办发〔2018〕37号 on validity and clean-up)."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from chengxin.accounts.models import User
from chengxin.audit.models import AuditEntry
from chengxin.core import local_settings
from chengxin.core.models import LocalSetting
from chengxin.documents import actions, rules
from chengxin.documents.choices import CleanupResult, DocumentStatus, EventType
from chengxin.documents.models import DocumentCleanup, NormativeDocument

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 3, 20)
# A 试行 document published 2024-03-01: in force from 2024-03-31, valid 2 years, to 2026-03-30.
PUBLISHED = datetime.date(2024, 3, 1)
END = datetime.date(2026, 3, 30)
TRIAL = "台儿庄区农村集体资产管理试行办法"
EVALUATION = "经评估，文件实施效果良好，制定依据未变化，需要继续执行。"


def ceilings(value: str) -> None:
    LocalSetting.objects.create(key=rules.VALIDITY_CEILINGS.key, value=value)
    local_settings.clear_cache()


def trial_document(make_document: Any) -> NormativeDocument:
    document: NormativeDocument = make_document(
        DocumentStatus.PUBLISHED, published_on=PUBLISHED, title=TRIAL
    )
    assert document.is_provisional and document.valid_until == END
    return document


def continue_(
    document: NormativeDocument,
    actor: User,
    *,
    decided_on: datetime.date = datetime.date(2026, 3, 10),
    published_on: datetime.date = datetime.date(2026, 3, 16),
    **overrides: Any,
) -> DocumentCleanup:
    fields: dict[str, Any] = {
        "evaluation": EVALUATION,
        "published_on": published_on,
        "channel": "台儿庄区人民政府网站",
    }
    fields.update(overrides)
    return actions.clean_up_document(
        document,
        actor=actor,
        result=CleanupResult.CONTINUED,
        decided_on=decided_on,
        republication=actions.Republication(**fields),
    )


# --- the setting ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "entries"),
    [
        ("5/2", [(None, 5, 2)]),
        ("10/10", [(None, 10, 10)]),  # the boundary of the typo guard
        ("1/1", [(None, 1, 1)]),
        (
            "5/2；2027-01-01起3/1",
            [(None, 5, 2), (datetime.date(2027, 1, 1), 3, 1)],
        ),
        (
            "2024-02-01=5/2; 2027-01-01:3/1",
            [(datetime.date(2024, 2, 1), 5, 2), (datetime.date(2027, 1, 1), 3, 1)],
        ),
    ],
)
def test_the_ceiling_setting_reads_dated_entries(value: str, entries: list[Any]) -> None:
    parsed = rules.parse_ceilings(value)
    assert [(e.since, e.years, e.provisional_years) for e in parsed] == entries
    LocalSetting(key=rules.VALIDITY_CEILINGS.key, value=value).full_clean()


@pytest.mark.parametrize(
    "value",
    [
        "",
        "五年",
        "2/5",  # 暂行、试行 longer than the others
        "0/0",
        "11/2",  # past the typo guard
        "5/2；3/1",  # a second entry without its day
        "5/2；2027-01-01起3/1；2026-06-01起4/2",  # days out of order
        "5/2；2027-02-30起3/1",  # no such day
    ],
)
def test_a_wrong_ceiling_setting_is_refused(value: str) -> None:
    with pytest.raises(local_settings.InvalidSetting):
        rules.parse_ceilings(value)
    with pytest.raises(ValidationError):
        LocalSetting(key=rules.VALIDITY_CEILINGS.key, value=value).full_clean()


def test_the_ceiling_in_force_is_the_one_of_the_validitys_first_day() -> None:
    ceilings("5/2；2027-01-01起3/1")
    assert rules.validity_ceiling(False, datetime.date(2026, 12, 31)) == 5
    assert rules.validity_ceiling(True, datetime.date(2026, 12, 31)) == 2
    assert rules.validity_ceiling(False, datetime.date(2027, 1, 1)) == 3
    assert rules.validity_ceiling(True, datetime.date(2027, 1, 1)) == 1


# --- publication ---------------------------------------------------------------------------


@pytest.mark.today(TODAY)
def test_publication_takes_the_ceiling_and_refuses_more(make_document, lawadmin: User) -> None:
    ceilings("3/1")
    document = make_document(DocumentStatus.ISSUED, published_on=datetime.date(2026, 3, 2))
    with pytest.raises(ValidationError, match="不得超过 3 年"):
        actions.publish_document(
            document,
            actor=lawadmin,
            published_on=datetime.date(2026, 3, 2),
            channel="区政府网站",
            validity_years=4,
        )
    document = actions.publish_document(
        document, actor=lawadmin, published_on=datetime.date(2026, 3, 2), channel="区政府网站"
    )
    assert document.validity_years == 3
    assert document.validity_starts_on == document.effective_on == datetime.date(2026, 4, 1)
    assert document.valid_until == datetime.date(2029, 3, 31)


# --- continuation --------------------------------------------------------------------------


@pytest.mark.today(TODAY)
def test_a_trial_document_is_not_extended_past_its_ceiling(make_document, lawadmin) -> None:
    """The case of issue 21: a 试行 document extended to 2045 read "（2 年）" on the list."""
    document = trial_document(make_document)
    for years in (20, 3):  # 2045, and the boundary: one year over the 2 of a 试行 document
        with pytest.raises(ValidationError, match="不得超过 2 年") as refused:
            continue_(document, lawadmin, validity_years=years)
        assert "validity_years" in refused.value.message_dict
    document.refresh_from_db()
    assert document.valid_until == END and not document.cleanups.exists()
    continue_(document, lawadmin, validity_years=2)
    document.refresh_from_db()
    assert document.valid_until == datetime.date(2028, 3, 15)


@pytest.mark.today(TODAY)
def test_the_new_validity_runs_from_the_republication(make_document, lawadmin: User) -> None:
    document = trial_document(make_document)
    cleanup = continue_(document, lawadmin)
    document.refresh_from_db()
    # given the ceiling (2 years for a 试行 one), counted from the re-publication on 2026-03-16
    assert document.validity_starts_on == document.republished_on == datetime.date(2026, 3, 16)
    assert document.validity_years == 2 and document.valid_until == datetime.date(2028, 3, 15)
    assert document.republication_channel == "台儿庄区人民政府网站"
    assert document.effective_on == datetime.date(2024, 3, 31)  # the 施行日期 stays
    assert (cleanup.continued_until, cleanup.validity_years) == (document.valid_until, 2)
    assert cleanup.evaluation == EVALUATION and cleanup.republished_on == document.republished_on
    event = document.events.filter(type=EventType.CLEANED_UP).get()
    assert "2026-03-16 重新公布，有效期 2 年，至 2028-03-15" in event.note
    change = AuditEntry.objects.filter(
        object_type="documents.normativedocument", object_id=str(document.pk)
    ).order_by("-sequence")[0]
    assert change.after is not None and change.after["valid_until"] == "2028-03-15"
    assert change.actor_id == lawadmin.pk


@pytest.mark.today(TODAY)
def test_a_continued_document_shows_its_new_period_to_the_public(
    make_document, lawadmin: User
) -> None:
    document = trial_document(make_document)
    continue_(document, lawadmin)
    client = Client()
    listing = client.get(reverse("documents_public:index")).content.decode()
    assert "2026-03-16 至 2028-03-15（2 年）" in listing and "2026-03-16 重新公布" in listing
    page = client.get(reverse("documents_public:detail", args=[document.pk])).content.decode()
    assert "2026-03-16 至 2028-03-15（2 年）" in page and "重新公布日期" in page
    assert EVALUATION not in page  # the evaluation is the staff's


@pytest.mark.today(TODAY)
def test_continuation_needs_the_evaluation_and_the_channel(make_document, lawadmin) -> None:
    document = trial_document(make_document)
    with pytest.raises(ValidationError, match="评估情况"):
        continue_(document, lawadmin, evaluation="  ")
    with pytest.raises(ValidationError, match="重新公布的载体"):
        continue_(document, lawadmin, channel="")
    with pytest.raises(ValidationError, match="只有继续有效的文件可以重新公布"):
        actions.clean_up_document(
            document,
            actor=lawadmin,
            result=CleanupResult.ABOLISHED,
            decided_on=TODAY,
            republication=actions.Republication(EVALUATION, TODAY, "网站"),
        )
    document.refresh_from_db()
    assert document.valid_until == END and document.status == DocumentStatus.PUBLISHED


@pytest.mark.today(datetime.date(2026, 4, 10))
@pytest.mark.parametrize(
    ("decided", "republished", "problem"),
    [
        (datetime.date(2026, 3, 30), datetime.date(2026, 3, 30), None),  # on the last day
        (datetime.date(2026, 3, 25), datetime.date(2026, 3, 31), "重新公布须在届满之前"),
        (datetime.date(2026, 3, 31), datetime.date(2026, 3, 31), "自动失效"),  # lapsed
        (datetime.date(2026, 3, 25), datetime.date(2026, 3, 24), "须在清理日期之后"),
    ],
)
def test_a_document_is_continued_only_before_it_lapses(
    make_document, lawadmin: User, decided, republished, problem
) -> None:
    document = trial_document(make_document)
    if problem is None:
        continue_(document, lawadmin, decided_on=decided, published_on=republished)
        document.refresh_from_db()
        assert document.valid_until == datetime.date(2028, 3, 29)
        return
    with pytest.raises(ValidationError, match=problem):
        continue_(document, lawadmin, decided_on=decided, published_on=republished)
    document.refresh_from_db()
    assert document.valid_until == END and document.republished_on is None


@pytest.mark.today(datetime.date(2026, 8, 1))
@pytest.mark.parametrize(
    ("republished", "years", "allowed"),
    [
        (datetime.date(2026, 5, 31), 5, True),  # the old ceiling, on its last day
        (datetime.date(2026, 6, 1), 5, False),  # the new ceiling from its first day
        (datetime.date(2026, 6, 1), 3, True),
    ],
)
def test_the_ceiling_of_the_republication_day_applies(
    make_document, lawadmin: User, republished, years, allowed
) -> None:
    ceilings("5/2；2026-06-01起3/1")
    document = make_document(DocumentStatus.PUBLISHED, published_on=datetime.date(2021, 7, 1))
    assert document.valid_until == datetime.date(2026, 7, 30)
    run = lambda: continue_(  # noqa: E731
        document,
        lawadmin,
        decided_on=datetime.date(2026, 5, 20),
        published_on=republished,
        validity_years=years,
    )
    if not allowed:
        with pytest.raises(ValidationError, match="不得超过 3 年"):
            run()
        return
    run()
    document.refresh_from_db()
    assert document.validity_years == years and document.validity_starts_on == republished


@pytest.mark.today(TODAY)
def test_continued_without_republication_keeps_its_end(make_document, lawadmin: User) -> None:
    document = trial_document(make_document)
    cleanup = actions.clean_up_document(
        document, actor=lawadmin, result=CleanupResult.CONTINUED, decided_on=TODAY, note="清理"
    )
    document.refresh_from_db()
    assert document.valid_until == END and document.republished_on is None
    assert cleanup.continued_until is None and cleanup.validity_years is None


@pytest.mark.today(TODAY)
def test_the_clean_up_form_continues_with_a_republication(make_document, lawadmin: User) -> None:
    document = trial_document(make_document)
    client = Client()
    client.force_login(lawadmin)
    url = reverse("documents:action", args=[document.pk, "clean_up"])
    data = {
        "clean_up-result": CleanupResult.CONTINUED,
        "clean_up-decided_on": "2026-03-10",
        "clean_up-evaluation": EVALUATION,
        "clean_up-validity_years": "5",
    }
    page = client.post(url, data, follow=True).content.decode()
    assert "请填写重新公布日期" in page
    data["clean_up-republished_on"] = "2026-03-16"
    data["clean_up-republication_channel"] = "区政府网站"
    page = client.post(url, data, follow=True).content.decode()
    assert "不得超过 2 年" in page
    data["clean_up-validity_years"] = ""
    page = client.post(url, data, follow=True).content.decode()
    document.refresh_from_db()
    assert document.valid_until == datetime.date(2028, 3, 15)
    assert "2026-03-16 至 2028-03-15（2 年）" in page
