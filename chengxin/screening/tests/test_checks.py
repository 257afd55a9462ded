"""Credit checks: hits by code, ID number and normalised name; fuzzy candidates; measures;
feedback and its deadline on the official calendar."""

from __future__ import annotations

import datetime
import gc
from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from chengxin.accounts.choices import Role
from chengxin.accounts.models import User
from chengxin.audit.choices import AuditAction
from chengxin.audit.models import AuditEntry
from chengxin.core.identifiers import make_resident_id
from chengxin.screening.actions import (
    PAUSE_COLLECTOR_FROM,
    check_subjects,
    clear_candidate,
    record_feedback,
    remove_entry,
)
from chengxin.screening.choices import CheckOutcome, Feedback, MatchKind
from chengxin.screening.matching import Subject
from chengxin.screening.models import CheckMeasure, CreditCheck, ListEntry, Measure, Scenario
from chengxin.subjects.choices import SubjectCategory

ON = datetime.date(2026, 3, 2)


def run(
    checker: User,
    scenario: Any,
    *subjects: Subject,
    code: str = "government_procurement",
    on: datetime.date = ON,
) -> list[CreditCheck]:
    return check_subjects(
        list(subjects),
        department=checker.department,
        scenario=scenario(code),
        matter="TEZ-2026-001 办公家具采购",
        actor=checker,
        on=on,
    )


@pytest.fixture
def listed(make_entry: Callable[..., ListEntry]) -> ListEntry:
    return make_entry(subject_name="枣庄市台儿庄区华兴建材有限公司")


def test_hit_by_credit_code_brings_the_measures_of_the_scenario(
    checker: User, scenario: Any, listed: ListEntry
) -> None:
    (check,) = run(checker, scenario, Subject(name="另一个名字", credit_code=listed.credit_code))
    assert check.outcome == CheckOutcome.HIT
    assert [h["match"] for h in check.result["hits"]] == [MatchKind.CREDIT_CODE]
    codes = {m["code"] for m in check.result["measures"]}
    assert codes == {"JC-01"}  # 政府采购: only the procurement measure, not 招标投标 or 土地
    assert check.feedback == Feedback.PENDING
    assert CheckMeasure.objects.filter(credit_check=check).count() == 1


def test_a_hit_keeps_the_entry_as_it_was_listed(
    checker: User, scenario: Any, make_entry: Callable[..., ListEntry]
) -> None:
    entry = make_entry(ends_on=datetime.date(2027, 1, 4), basis="拒不履行生效判决")
    (check,) = run(checker, scenario, Subject(credit_code=entry.credit_code))
    (hit,) = check.result["hits"]
    assert hit["list_type"] == entry.list_type.name and hit["list_kind"] == entry.list_type.kind
    assert hit["legal_basis"] == entry.list_type.legal_basis and hit["basis"] == "拒不履行生效判决"
    assert (hit["listed_on"], hit["ends_on"]) == ("2026-01-05", "2027-01-04")  # ISO text
    assert hit["document_number"] == entry.document_number
    assert hit["subject_name"] == entry.subject_name and hit["credit_code"] == entry.credit_code


def test_lower_case_and_full_width_code_still_hits(
    checker: User, scenario: Any, listed: ListEntry
) -> None:
    typed = listed.credit_code.lower().translate({ord(c): ord(c) + 0xFEE0 for c in "0123456789"})
    (check,) = run(checker, scenario, Subject(credit_code=typed))
    assert check.outcome == CheckOutcome.HIT


@pytest.mark.parametrize(
    "variant",
    [
        "枣庄市台儿庄区华兴建材有限公司",
        "枣庄市 台儿庄区 华兴建材有限公司",
        "\u3000枣庄市台儿庄区华兴建材有限公司\u3000",
    ],
)
def test_hit_by_normalised_name(
    checker: User, scenario: Any, listed: ListEntry, variant: str
) -> None:
    (check,) = run(checker, scenario, Subject(name=variant))
    assert check.outcome == CheckOutcome.HIT
    assert check.result["hits"][0]["match"] == MatchKind.NAME


def test_brackets_and_case_are_normalised(
    checker: User, scenario: Any, make_entry: Callable[..., ListEntry]
) -> None:
    make_entry(subject_name="ABC贸易（台儿庄）有限公司")
    (check,) = run(checker, scenario, Subject(name="abc贸易(台儿庄)有限公司"))
    assert check.outcome == CheckOutcome.HIT


@pytest.mark.parametrize(
    ("near", "why"),
    [
        ("枣庄市台儿庄区华兴建财有限公司", "相似"),  # a typo outside the 字号
        ("台儿庄区华兴建材有限责任公司", "主干相同"),  # another organisation form
    ],
)
def test_near_name_is_only_a_candidate(
    checker: User, scenario: Any, listed: ListEntry, near: str, why: str
) -> None:
    (check,) = run(checker, scenario, Subject(name=near))
    assert check.outcome == CheckOutcome.CANDIDATE
    (candidate,) = check.result["candidates"]
    assert candidate["entry"] == listed.pk and candidate["match"] == MatchKind.FUZZY
    assert 75 <= candidate["score"] <= 100 and why in candidate["explanation"]
    assert check.result["measures"] == [] and check.feedback == Feedback.NOT_REQUIRED


def test_another_trade_name_is_another_enterprise_not_a_candidate(
    checker: User, scenario: Any, listed: ListEntry
) -> None:
    # 华新 vs 华兴: one character, but the 字号 is what tells enterprises apart.
    (check,) = run(checker, scenario, Subject(name="枣庄市台儿庄区华新建材有限公司"))
    assert check.outcome == CheckOutcome.CLEAR


def test_unrelated_name_is_clear(checker: User, scenario: Any, listed: ListEntry) -> None:
    (check,) = run(checker, scenario, Subject(name="枣庄市台儿庄区永安商贸有限公司"))
    assert check.outcome == CheckOutcome.CLEAR and check.result["candidates"] == []


def test_natural_person_hit_by_id_number_and_same_name_is_only_a_candidate(
    checker: User, scenario: Any, make_entry: Callable[..., ListEntry]
) -> None:
    import random

    number = make_resident_id(random.Random(3))
    make_entry(
        "judgment_defaulter",
        subject_name="张三",
        subject_category=SubjectCategory.NATURAL_PERSON,
        credit_code="",
        id_number=number,
    )
    by_id, by_name = run(
        checker, scenario, Subject(name="张三", id_number=number), Subject(name="张三")
    )
    assert by_id.outcome == CheckOutcome.HIT
    assert by_id.result["hits"][0]["match"] == MatchKind.ID_NUMBER
    assert number not in str(by_id.result) and by_id.id_number_masked != number
    assert by_name.outcome == CheckOutcome.CANDIDATE


def test_expired_removed_and_future_entries_trigger_nothing(
    checker: User, scenario: Any, make_entry: Callable[..., ListEntry]
) -> None:
    ended = make_entry(ends_on=ON - datetime.timedelta(days=1))
    last_day = make_entry(ends_on=ON)
    future = make_entry(listed_on=ON + datetime.timedelta(days=1))
    removed = make_entry()
    remove_entry(removed, actor=None, reason="信用修复", removed_on=ON)
    checks = run(
        checker,
        scenario,
        *(Subject(credit_code=e.credit_code) for e in (ended, last_day, future, removed)),
    )
    assert [c.outcome for c in checks] == [
        CheckOutcome.CLEAR,
        CheckOutcome.HIT,
        CheckOutcome.CLEAR,
        CheckOutcome.CLEAR,
    ]
    assert ListEntry.objects.filter(pk=removed.pk).exists()  # history is kept


def test_measure_only_for_its_scenarios_and_departments(
    checker: User, scenario: Any, listed: ListEntry, make_department: Callable[..., Any]
) -> None:
    (bidding,) = run(checker, scenario, Subject(credit_code=listed.credit_code), code="bidding")
    assert {m["code"] for m in bidding.result["measures"]} == {"JC-02"}
    (honours,) = run(checker, scenario, Subject(credit_code=listed.credit_code), code="honours")
    assert {m["code"] for m in honours.result["measures"]} == {"JC-05"}
    Measure.objects.get(code="JC-05").departments.set([make_department()])
    (elsewhere,) = run(checker, scenario, Subject(credit_code=listed.credit_code), code="honours")
    assert elsewhere.result["measures"] == []  # catalogued for another department only


def test_trust_list_brings_incentives(
    checker: User, scenario: Any, make_entry: Callable[..., ListEntry]
) -> None:
    trusted = make_entry("a_grade_taxpayer", listing_authority="国家税务总局枣庄市台儿庄区税务局")
    (check,) = run(
        checker, scenario, Subject(credit_code=trusted.credit_code), code="administrative_licensing"
    )
    assert {m["kind"] for m in check.result["measures"]} == {"incentive"}
    assert {m["code"] for m in check.result["measures"]} == {"JL-01", "JL-02"}


def test_feedback_due_after_three_working_days_over_a_holiday(
    checker: User, scenario: Any, listed: ListEntry
) -> None:
    # 2026-09-30 (Wednesday) before the National Day holiday (10-01 … 10-07 off; 09-27 and 10-10
    # are make-up workdays in the 2026 notice): 3 working days later is 10-10 (Saturday, a
    # make-up workday), not 10-05 as weekday arithmetic would say.
    (check,) = run(
        checker, scenario, Subject(credit_code=listed.credit_code), on=datetime.date(2026, 9, 30)
    )
    assert check.feedback_due == datetime.date(2026, 10, 10)
    assert not CreditCheck.objects.overdue(on=datetime.date(2026, 10, 10)).filter(pk=check.pk)
    assert CreditCheck.objects.overdue(on=datetime.date(2026, 10, 11)).filter(pk=check.pk)


@pytest.mark.parametrize("hit_position", [0, 2], ids=["hit first", "hit last"])
def test_only_hits_get_a_feedback_deadline_and_measures_in_a_batch(
    checker: User, scenario: Any, listed: ListEntry, hit_position: int
) -> None:
    subjects = [
        Subject(name="枣庄市台儿庄区华兴建财有限公司"),  # a candidate
        Subject(name="枣庄市台儿庄区永安商贸有限公司"),  # clear
    ]
    subjects.insert(hit_position, Subject(credit_code=listed.credit_code))
    checks = run(checker, scenario, *subjects, on=datetime.date(2026, 9, 30))
    stored = {c.pk: c for c in CreditCheck.objects.all()}
    for check in (*checks, *stored.values()):
        is_hit = check.outcome == CheckOutcome.HIT
        assert check.feedback == (Feedback.PENDING if is_hit else Feedback.NOT_REQUIRED)
        assert check.feedback_due == (datetime.date(2026, 10, 10) if is_hit else None)
    outcomes = sorted(c.outcome for c in checks)
    assert outcomes == sorted([CheckOutcome.HIT, CheckOutcome.CANDIDATE, CheckOutcome.CLEAR])
    hit = checks[hit_position]
    assert set(CheckMeasure.objects.values_list("credit_check", flat=True)) == {hit.pk}
    assert len(CreditCheck.objects.overdue(on=datetime.date(2026, 10, 11))) == 1


def test_a_single_check_is_in_the_change_log_with_its_stored_values(
    checker: User, scenario: Any, listed: ListEntry
) -> None:
    from chengxin.audit.log import snapshot, verify_chain

    (check,) = run(checker, scenario, Subject(credit_code=listed.credit_code))
    (entry,) = AuditEntry.objects.filter(
        object_type="screening.creditcheck", object_id=str(check.pk)
    )
    stored = CreditCheck.objects.get(pk=check.pk)
    assert (entry.action, entry.before, entry.actor_id) == (AuditAction.CREATED, None, checker.pk)
    assert entry.after == snapshot(stored) and entry.after["outcome"] == CheckOutcome.HIT
    assert not {"result", "id_number_ciphertext", "id_number_index"} & set(entry.after)
    assert entry.object_repr == str(stored) and verify_chain().ok


def test_feedback_not_taken_needs_a_reason_and_clears_overdue(
    checker: User, scenario: Any, listed: ListEntry
) -> None:
    (check,) = run(checker, scenario, Subject(credit_code=listed.credit_code))
    with pytest.raises(ValidationError):
        record_feedback(check, actor=checker, taken=False, reason=" ")
    record_feedback(check, actor=checker, taken=False, reason="已依法中止采购程序，另行处理")
    check.refresh_from_db()
    assert check.feedback == Feedback.NOT_TAKEN and check.feedback_by == checker
    assert not CreditCheck.objects.overdue(on=ON + datetime.timedelta(days=30)).exists()
    assert CheckMeasure.objects.get(credit_check=check).is_applied is False
    assert AuditEntry.objects.filter(
        object_type="screening.creditcheck", object_id=str(check.pk), action="updated"
    ).exists()


def test_feedback_taken_marks_measures_applied(
    checker: User, scenario: Any, listed: ListEntry
) -> None:
    (check,) = run(checker, scenario, Subject(credit_code=listed.credit_code))
    record_feedback(check, actor=checker, taken=True)
    assert CheckMeasure.objects.get(credit_check=check).is_applied is True


def test_clean_check_needs_no_feedback(checker: User, scenario: Any, catalogue: None) -> None:
    (check,) = run(checker, scenario, Subject(name="枣庄市台儿庄区清白商贸有限公司"))
    with pytest.raises(ValidationError):
        record_feedback(check, actor=checker, taken=True)


def test_cleared_candidate_stops_reappearing(
    checker: User, scenario: Any, listed: ListEntry
) -> None:
    near = Subject(name="枣庄市台儿庄区华兴建财有限公司", credit_code="")
    (first,) = run(checker, scenario, near)
    with pytest.raises(ValidationError):
        clear_candidate(first, listed.pk, actor=checker, reason="")
    clear_candidate(first, listed.pk, actor=checker, reason="核对营业执照，非同一主体")
    (second,) = run(checker, scenario, near)
    assert second.outcome == CheckOutcome.CLEAR
    (other,) = run(checker, scenario, Subject(name="台儿庄区华兴建财有限责任公司"))
    assert other.outcome == CheckOutcome.CANDIDATE  # cleared for that subject only


def test_a_clearance_hides_the_candidate_of_its_subject_only_within_a_batch(
    checker: User, scenario: Any, listed: ListEntry
) -> None:
    near = Subject(name="枣庄市台儿庄区华兴建财有限公司")
    (first,) = run(checker, scenario, near)
    clear_candidate(first, listed.pk, actor=checker, reason="核对营业执照，非同一主体")
    other = Subject(name="枣庄市台儿庄区华兴建财有限责任公司")
    exact = Subject(name="枣庄市台儿庄区华兴建材有限公司")
    cleared, still, hit = run(checker, scenario, near, other, exact)
    assert (cleared.outcome, cleared.candidate_count) == (CheckOutcome.CLEAR, 0)
    assert [c["entry"] for c in still.result["candidates"]] == [listed.pk]
    assert [h["entry"] for h in hit.result["hits"]] == [listed.pk]


def test_another_department_cannot_give_feedback(
    checker: User, scenario: Any, listed: ListEntry, make_user: Callable[..., User]
) -> None:
    (check,) = run(checker, scenario, Subject(credit_code=listed.credit_code))
    stranger = make_user(Role.CREDIT_CHECKER)
    with pytest.raises(PermissionDenied):
        record_feedback(check, actor=stranger, taken=True)
    assert list(CreditCheck.objects.restrict(stranger)) == []


def test_a_batch_is_stored_in_one_go_with_one_audit_entry(
    checker: User, scenario: Any, listed: ListEntry
) -> None:
    before = AuditEntry.objects.count()
    subjects = [Subject(name=f"枣庄市台儿庄区申请人{i}商贸有限公司") for i in range(30)]
    subjects.append(Subject(credit_code=listed.credit_code))
    checks = check_subjects(
        subjects,
        department=checker.department,
        scenario=scenario("bidding"),
        matter="招标项目 TEZ-ZB-7",
        actor=checker,
        channel="batch",
        on=ON,
    )
    assert CreditCheck.objects.count() == 31
    assert [c.outcome for c in checks].count(CheckOutcome.HIT) == 1
    assert AuditEntry.objects.count() - before == 1


def test_clearing_a_same_name_person_does_not_hide_the_listed_person(
    checker: User, scenario: Any, make_entry: Callable[..., ListEntry]
) -> None:
    import random

    rng = random.Random(8)
    listed_number, other_number = make_resident_id(rng), make_resident_id(rng)
    entry = make_entry(
        "judgment_defaulter",
        subject_name="张三",
        subject_category=SubjectCategory.NATURAL_PERSON,
        credit_code="",
        id_number=listed_number,
    )
    (other,) = run(checker, scenario, Subject(name="张三", id_number=other_number))
    assert other.outcome == CheckOutcome.CANDIDATE
    clear_candidate(other, entry.pk, actor=checker, reason="证件号码不同，非同一人")
    (again,) = run(checker, scenario, Subject(name="张三", id_number=other_number))
    assert again.outcome == CheckOutcome.CLEAR  # cleared for that person
    (name_only,) = run(checker, scenario, Subject(name="张三"))
    assert name_only.outcome == CheckOutcome.CANDIDATE  # not for every 张三
    (listed,) = run(checker, scenario, Subject(name="张三", id_number=listed_number))
    assert listed.outcome == CheckOutcome.HIT


@pytest.mark.parametrize("enabled", [True, False], ids=["collector on", "collector off"])
def test_a_large_batch_leaves_the_garbage_collector_as_it_found_it(
    checker: User, scenario: Any, listed: ListEntry, enabled: bool
) -> None:
    subjects = [Subject(name=f"枣庄市台儿庄区申请人{i}商贸有限公司") for i in range(999)]
    subjects.append(Subject(credit_code=listed.credit_code))
    assert len(subjects) == PAUSE_COLLECTOR_FROM  # the smallest batch that pauses it
    (gc.enable if enabled else gc.disable)()
    try:
        checks = run(checker, scenario, *subjects)
        assert gc.isenabled() is enabled
        assert [c.outcome for c in checks].count(CheckOutcome.HIT) == 1
        unsaved = Scenario(code="unsaved", name="未保存的场景")  # the insert fails: no scenario
        with pytest.raises(Exception):  # noqa: B017 (the database's own IntegrityError)
            check_subjects(
                subjects,
                department=checker.department,
                scenario=unsaved,
                matter="TEZ-2026-001",
                actor=checker,
                on=ON,
            )
        assert gc.isenabled() is enabled
    finally:
        gc.enable()
