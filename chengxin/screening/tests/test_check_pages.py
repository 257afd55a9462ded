"""The check pages: a single check with its measures, candidates and their clearing, feedback,
the history with its filters, and who may see which department's checks."""

from __future__ import annotations

import datetime
import random
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from chengxin.accounts.choices import Role
from chengxin.accounts.models import User
from chengxin.core.identifiers import make_resident_id, mask_id_number
from chengxin.screening.actions import check_subjects
from chengxin.screening.choices import CheckOutcome, Feedback
from chengxin.screening.matching import Subject
from chengxin.screening.models import CheckMeasure, ClearedCandidate, CreditCheck, ListEntry

NEW = "/staff/screening/checks/new/"
HISTORY = "/staff/screening/checks/"
NAME = "枣庄市台儿庄区华兴建材有限公司"


@pytest.fixture
def listed(make_entry: Callable[..., ListEntry]) -> ListEntry:
    return make_entry(subject_name=NAME, document_number="台财采罚〔2026〕8号")


def post_check(client: Client, scenario: Any, code: str = "government_procurement", **data: str):
    form = {
        "credit_code": "",
        "id_number": "",
        "name": "",
        "scenario": scenario(code).pk,
        "matter": "TEZ-2026-001 办公家具采购",
    }
    form.update(data)
    return client.post(NEW, form)


def url(check: CreditCheck, tail: str = "") -> str:
    return f"/staff/screening/checks/{check.pk}/{tail}"


def run(checker: User, scenario: Any, subject: Subject, **kwargs: Any) -> CreditCheck:
    (check,) = check_subjects(
        [subject],
        department=checker.department,
        scenario=scenario(kwargs.pop("code", "government_procurement")),
        matter="TEZ-2026-002",
        actor=checker,
        **kwargs,
    )
    return check


# --- the single check ------------------------------------------------------------------------


def test_a_check_through_the_page_is_stored_and_shows_the_measures(
    client: Client, checker: User, scenario: Any, listed: ListEntry
) -> None:
    client.force_login(checker)
    response = post_check(client, scenario, credit_code=listed.credit_code.lower())
    check = CreditCheck.objects.get()
    assert response.status_code == 302 and response["Location"] == url(check)
    assert check.outcome == CheckOutcome.HIT and check.department == checker.department
    assert check.requested_by == checker and check.matter == "TEZ-2026-001 办公家具采购"
    page = client.get(url(check)).content.decode()
    for expected in (
        "政府采购严重违法失信行为记录名单",
        "台财采罚〔2026〕8号",
        "台儿庄区财政局",
        "提供虚假材料谋取中标",
        "2026-01-05",
        "JC-01",
        listed.list_type.legal_basis[:20],
        "待反馈",
    ):
        assert expected in page, expected
    assert "JC-02" not in page  # 招标投标's measure, not this scenario's


def test_the_form_needs_a_code_an_id_number_or_a_name(
    client: Client, checker: User, scenario: Any, catalogue: None
) -> None:
    client.force_login(checker)
    response = post_check(client, scenario)
    assert response.status_code == 200 and "至少填写一项" in response.content.decode()
    response = post_check(client, scenario, name="某公司", matter=" ")
    assert "matter" in response.context["form"].errors
    assert CreditCheck.objects.count() == 0


@pytest.mark.parametrize(
    ("field", "value", "is_valid"),
    [
        ("credit_code", "91370405MA3C12345X", False),  # wrong check character
        ("id_number", "370405199001011234", False),  # wrong check digit
        ("id_number", "E1234", True),  # a passport number: five characters is enough
        ("id_number", "E123", False),
    ],
)
def test_codes_are_checked_before_the_check(
    client: Client, checker: User, scenario: Any, catalogue: None, field: str, value: str, is_valid
) -> None:
    client.force_login(checker)
    response = post_check(client, scenario, **{field: value})
    assert (response.status_code == 302) is is_valid
    assert CreditCheck.objects.count() == int(is_valid)


def test_an_id_number_is_posted_and_shown_masked_only(
    client: Client, checker: User, scenario: Any, make_entry: Callable[..., ListEntry]
) -> None:
    number = make_resident_id(random.Random(5))
    make_entry(
        "judgment_defaulter",
        subject_name="李四",
        subject_category="natural_person",
        credit_code="",
        id_number=number,
    )
    client.force_login(checker)
    response = post_check(client, scenario, id_number=number, name="李四")
    assert number not in response["Location"]
    page = client.get(response["Location"]).content.decode()
    assert "失信被执行人" in page and mask_id_number(number) in page and number not in page
    history = client.get(HISTORY).content.decode()
    assert number not in history


def test_only_checkers_run_checks(
    client: Client, make_user: Callable[..., User], catalogue: None
) -> None:
    assert client.get(NEW).status_code == 302  # to the login page
    for role in (Role.CREDIT_ADMIN, Role.DEPARTMENT_REPORTER):
        client.force_login(make_user(role))
        assert client.get(NEW).status_code == 403


# --- candidates ------------------------------------------------------------------------------


def test_a_candidate_is_marked_not_applied_and_can_be_cleared(
    client: Client, checker: User, scenario: Any, listed: ListEntry
) -> None:
    client.force_login(checker)
    post_check(client, scenario, name="枣庄市台儿庄区华兴建财有限公司")
    check = CreditCheck.objects.get()
    page = client.get(url(check)).content.decode()
    assert check.outcome == CheckOutcome.CANDIDATE and "不自动采取任何措施" in page
    assert NAME in page and "适用的奖惩措施" not in page

    response = client.post(url(check, "clear/"), {"entry": listed.pk, "reason": " "})
    assert response.status_code == 200 and response.context["clear_form"].errors
    response = client.post(url(check, "clear/"), {"entry": listed.pk + 999, "reason": "不同主体"})
    assert "不是本次核查的疑似结果" in response.content.decode()
    assert not ClearedCandidate.objects.exists()

    response = client.post(url(check, "clear/"), {"entry": listed.pk, "reason": "核对营业执照"})
    assert response.status_code == 302
    cleared = ClearedCandidate.objects.get()
    assert cleared.entry == listed and cleared.cleared_by == checker
    assert "已排除" in client.get(url(check)).content.decode()
    post_check(client, scenario, name="枣庄市台儿庄区华兴建财有限公司")
    assert CreditCheck.objects.latest("pk").outcome == CheckOutcome.CLEAR


def test_the_credit_office_clears_any_departments_candidate(
    client: Client, checker: User, scenario: Any, listed: ListEntry, make_user: Callable
) -> None:
    check = run(checker, scenario, Subject(name="枣庄市台儿庄区华兴建财有限公司"))
    client.force_login(make_user(Role.CREDIT_ADMIN))
    response = client.post(url(check, "clear/"), {"entry": listed.pk, "reason": "非同一主体"})
    assert response.status_code == 302 and ClearedCandidate.objects.count() == 1


# --- feedback --------------------------------------------------------------------------------


def test_feedback_through_the_page(
    client: Client, checker: User, scenario: Any, listed: ListEntry
) -> None:
    check = run(checker, scenario, Subject(credit_code=listed.credit_code), code="bidding")
    client.force_login(checker)
    response = client.post(url(check, "feedback/"), {"answer": "not_taken", "reason": ""})
    assert response.status_code == 200 and "必须说明理由" in response.content.decode()
    check.refresh_from_db()
    assert check.feedback == Feedback.PENDING

    response = client.post(
        url(check, "feedback/"), {"answer": "not_taken", "reason": "项目已终止，未进入评标"}
    )
    assert response.status_code == 302
    check.refresh_from_db()
    assert check.feedback == Feedback.NOT_TAKEN and check.feedback_by == checker
    assert CheckMeasure.objects.get(credit_check=check).is_applied is False
    page = client.get(url(check)).content.decode()
    assert "措施未采取" in page and "项目已终止" in page and "提交反馈" not in page


def test_feedback_for_some_measures_only(
    client: Client, checker: User, scenario: Any, make_entry: Callable[..., ListEntry]
) -> None:
    trusted = make_entry("a_grade_taxpayer", listing_authority="国家税务总局枣庄市台儿庄区税务局")
    check = run(
        checker, scenario, Subject(credit_code=trusted.credit_code), code="administrative_licensing"
    )
    proposed = list(CheckMeasure.objects.filter(credit_check=check).order_by("measure__code"))
    assert len(proposed) == 2
    client.force_login(checker)
    response = client.post(
        url(check, "feedback/"), {"answer": "taken", "measures": [proposed[0].pk], "reason": ""}
    )
    assert response.status_code == 302
    applied = dict(
        CheckMeasure.objects.filter(credit_check=check).values_list("measure__code", "is_applied")
    )
    assert applied == {"JL-01": True, "JL-02": False}


def test_a_clear_check_has_no_feedback_form(
    client: Client, checker: User, scenario: Any, catalogue: None
) -> None:
    check = run(checker, scenario, Subject(name="枣庄市台儿庄区清白商贸有限公司"))
    client.force_login(checker)
    assert "提交反馈" not in client.get(url(check)).content.decode()
    response = client.post(url(check, "feedback/"), {"answer": "taken"})
    assert "无需反馈" in response.content.decode()
    check.refresh_from_db()
    assert check.feedback == Feedback.NOT_REQUIRED


# --- departments -----------------------------------------------------------------------------


def test_a_checker_sees_only_their_own_departments_checks(
    client: Client,
    checker: User,
    scenario: Any,
    listed: ListEntry,
    make_user: Callable[..., User],
) -> None:
    own = run(checker, scenario, Subject(name="本单位核查的主体公司"))
    other_checker = make_user(Role.CREDIT_CHECKER)
    theirs = run(other_checker, scenario, Subject(credit_code=listed.credit_code))
    client.force_login(checker)
    history = client.get(HISTORY).content.decode()
    assert "本单位核查的主体公司" in history and listed.credit_code not in history
    assert client.get(url(theirs)).status_code == 404
    for tail in ("feedback/", "clear/"):
        response = client.post(url(theirs, tail), {"answer": "taken", "entry": 1, "reason": "x"})
        assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.feedback == Feedback.PENDING

    admin = make_user(Role.CREDIT_ADMIN)
    client.force_login(admin)
    history = client.get(HISTORY).content.decode()
    assert "本单位核查的主体公司" in history and listed.credit_code in history
    assert client.get(url(own)).status_code == 200
    # The credit office reads every check but gives no feedback: that is the department's.
    assert client.post(url(theirs, "feedback/"), {"answer": "taken"}).status_code == 404
    assert "提交反馈" not in client.get(url(theirs)).content.decode()


def test_roles_without_checks_get_403(client: Client, make_user: Callable[..., User]) -> None:
    client.force_login(make_user(Role.DEPARTMENT_REPORTER))
    for page in (HISTORY, "/staff/screening/batches/", "/staff/screening/statistics/"):
        assert client.get(page).status_code == 403


# --- history filters -------------------------------------------------------------------------


def test_history_filters_and_marks_overdue(
    client: Client, checker: User, scenario: Any, listed: ListEntry
) -> None:
    long_ago = datetime.date(2026, 1, 6)
    overdue = run(checker, scenario, Subject(credit_code=listed.credit_code), on=long_ago)
    clear = run(checker, scenario, Subject(name="枣庄市台儿庄区清白商贸有限公司"), code="bidding")
    client.force_login(checker)
    page = client.get(HISTORY).content.decode()
    assert page.count('class="badge status-late overdue"') == 1

    def listed_ids(**query: Any) -> set[int]:
        response = client.get(HISTORY, query)
        return {check.pk for check in response.context["page"]}

    assert listed_ids(outcome="hit") == {overdue.pk}
    assert listed_ids(outcome="clear") == {clear.pk}
    assert listed_ids(feedback="overdue") == {overdue.pk}
    assert listed_ids(feedback="not_required") == {clear.pk}
    assert listed_ids(scenario=scenario("bidding").pk) == {clear.pk}
    CreditCheck.objects.filter(pk=overdue.pk).update(
        created_at=datetime.datetime(2026, 1, 6, 9, tzinfo=datetime.UTC)
    )
    assert listed_ids(date_to="2026-01-06") == {overdue.pk}
    assert listed_ids(date_from="2026-01-07") == {clear.pk}
    assert listed_ids(outcome="nonsense") == {overdue.pk, clear.pk}  # an invalid filter: all


def test_history_query_count_does_not_grow(
    client: Client,
    checker: User,
    scenario: Any,
    listed: ListEntry,
    django_assert_max_num_queries: Any,
) -> None:
    client.force_login(checker)
    run(checker, scenario, Subject(credit_code=listed.credit_code))
    client.get(HISTORY)  # warm the session and the caches
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get(HISTORY)
    check_subjects(
        [Subject(name=f"枣庄市台儿庄区申请人{i}商贸有限公司") for i in range(40)],
        department=checker.department,
        scenario=scenario("bidding"),
        matter="招标项目",
        actor=checker,
        channel="batch",
    )
    with django_assert_max_num_queries(len(few)):
        response = client.get(HISTORY)
    assert len(response.context["page"]) == 41
