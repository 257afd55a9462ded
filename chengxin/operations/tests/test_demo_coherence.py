"""The demo district reads true (issue 21, deliverable 3): built once at a small volume, then
checked rule by rule (each rule a function listing what breaks it, and shown to catch a record
broken on purpose) — each 文号 carries its department's prefix, each department's records and
power items are under the laws it enforces, each case's item is its body's, every date agrees
with its record's state, and no page shows a marker."""

from __future__ import annotations

import datetime
import io
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from chengxin.accounts.demo import DEPARTMENTS
from chengxin.accounts.models import Department, User
from chengxin.cases.models import Case
from chengxin.core.demodata import build_demo
from chengxin.powers.demo import TRANSFERRED
from chengxin.powers.models import PowerItem
from chengxin.publicity.models import LicenseRecord, PenaltyRecord
from chengxin.publicity.samples import PROFILES
from chengxin.repair.models import RepairApplication
from chengxin.screening.models import CreditCheck, ListEntry

VOLUMES = {
    "subjects": 300,
    "licenses": 200,
    "penalties": 160,
    "list_entries": 40,
    "checks": 20,
    "documents": 20,
}
KEYS = {name: key for key, name, _short, _kind in DEPARTMENTS}
LAW = re.compile(r"《([^》]+)》")
ARTICLE = re.compile(r"第[一二三四五六七八九十百零]+条")
# Laws two departments both apply, each for its own articles (the division of labour a county
# list shows): anything else under two departments is one department's law under another's.
SHARED_LAWS = {
    "中华人民共和国节约能源法": {"ndrc", "industry"},
    "中华人民共和国土地管理法": {"land", "agriculture"},  # 农村宅基地: art. 78
    "社会救助暂行办法": {"civil", "medical"},  # 医疗救助 with the 医保局 since 2018
    "中华人民共和国大气污染防治法": {"environment", "enforcement"},  # 露天烧烤: art. 118
    "中华人民共和国价格法": {"ndrc", "market"},  # 成本监审 (art. 22) / 价格执法 since 2018
}
MARKERS = ("示例数据", "演示数据", "测试数据", "（示例）")


@pytest.fixture(scope="module")
def district(django_db_setup: None, django_db_blocker: pytest.FixtureRequest) -> Iterator[None]:
    """The demo district at a small volume, built once for the module and rolled back after."""
    with django_db_blocker.unblock(), transaction.atomic():  # type: ignore[attr-defined]
        build_demo(370405, VOLUMES, io.StringIO())
        yield
        transaction.set_rollback(True)


pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("district")]


def laws(text: str) -> set[str]:
    return set(LAW.findall(text))


def key_of(department_name: str) -> str:
    return KEYS.get(department_name, "")


def prefix(number_format: str) -> str:
    """The fixed head of a 文号 format: 台市监罚 of 台市监罚〔{year}〕{serial:05d}号."""
    return number_format.split("〔")[0].split("{")[0]


# --- 文号 ↔ department ---------------------------------------------------------------------------


def wrong_prefixes(records: Iterable[PenaltyRecord]) -> list[str]:
    problems = []
    for record in records:
        profile = PROFILES.get(key_of(record.department.name))
        if profile is None or not record.decision_number.startswith(prefix(profile.number)):
            problems.append(f"{record.department.name}: {record.decision_number}")
    return problems


def penalty_prefix_problems() -> list[str]:
    """The penalties imported from the departments (网外) carry their department's prefix."""
    records = PenaltyRecord.objects.filter(case__isnull=True).select_related("department")
    return wrong_prefixes(records)


def licence_prefix_problems() -> list[str]:
    problems = []
    for record in LicenseRecord.objects.select_related("department"):
        profile = PROFILES.get(key_of(record.department.name))
        if profile is None or not record.decision_number.startswith(prefix(profile.licence_number)):
            problems.append(f"{record.department.name}: {record.decision_number}")
    return problems


# --- power items ↔ department ---------------------------------------------------------------------


def in_force() -> list[PowerItem]:
    items = PowerItem.objects.in_force(on=timezone.localdate())
    return list(items.select_related("category", "implementing_department"))


def crossed_law_problems() -> list[str]:
    """No item of one department's law under another department: law → the departments with
    items under it, the 行政审批服务局's licences left out (相对集中行政许可权: it grants under
    every department's law)."""
    owners: dict[str, set[str]] = defaultdict(set)
    for item in in_force():
        key = key_of(item.implementing_department.name)
        if key != "approval":
            for law in laws(item.legal_basis):
                owners[law].add(key)
    return [
        f"{law}: {sorted(departments)}"
        for law, departments in owners.items()
        if len(departments) > 1 and SHARED_LAWS.get(law) != departments
    ]


def item_list_problems() -> list[str]:
    """Names unique, each basis cited to the article, the bureau listing licences and 备案 only,
    a licence handed over listed at the bureau alone."""
    items = in_force()
    names = [item.name for item in items]
    problems = [f"twice: {name}" for name in set(names) if names.count(name) > 1]
    problems += [f"no article: {i.name}" for i in items if not ARTICLE.search(i.legal_basis)]
    problems += [
        f"the bureau's {item.name} is a {item.category.code}"
        for item in items
        if key_of(item.implementing_department.name) == "approval"
        and item.category.code not in ("license", "other")
    ]
    for name in TRANSFERRED:
        holders = {key_of(i.implementing_department.name) for i in items if i.name == name}
        if holders != {"approval"}:
            problems.append(f"{name}: {sorted(holders)}")
    return problems


def penalty_item_problems() -> list[str]:
    """Each penalty cites the basis of one of its department's 行政处罚 items, and its 违法行为类型
    is that item's violation (the item's name without 对……的行政处罚)."""
    listed: dict[tuple[str, str], list[str]] = defaultdict(list)
    for item in in_force():
        if item.category.code == "penalty":
            violation = item.name.removeprefix("对").removesuffix("的行政处罚")
            listed[key_of(item.implementing_department.name), item.legal_basis].append(violation)
    problems = []
    for record in PenaltyRecord.objects.select_related("department"):
        violations = listed.get((key_of(record.department.name), record.legal_basis), [])
        act = record.violation_type
        if not any(act in violation or violation in act for violation in violations):
            problems.append(f"{record.department.name}: {act} / {record.legal_basis}")
    return problems


def case_item_problems() -> list[str]:
    """A case is under a 行政处罚 item of its body's department (the entrusting body's, art. 20)."""
    problems = []
    for case in Case.objects.select_related("body__entrusting_body", "power_item__category"):
        competent = case.body.entrusting_body or case.body
        if case.power_item.implementing_department_id != competent.department_id:
            problems.append(f"{case.body.name}: {case.power_item.name}")
        if case.power_item.category.code != "penalty":
            problems.append(f"{case.body.name}: {case.power_item.name} is not a 行政处罚")
    return problems


# --- dates ↔ states -------------------------------------------------------------------------------


def future_problems() -> list[str]:
    today, now = timezone.localdate(), timezone.now()
    dated = {
        "penalty": PenaltyRecord.objects.filter(decision_date__gt=today),
        "licence": LicenseRecord.objects.filter(decision_date__gt=today),
        "case registered": Case.objects.filter(registered_on__gt=today),
        "case decided": Case.objects.filter(decided_on__gt=today),
        "credit check": CreditCheck.objects.filter(created_at__gt=now),
        "repair application": RepairApplication.objects.filter(submitted_at__gt=now),
    }
    return [f"{what} in the future" for what, rows in dated.items() if rows.exists()]


def case_date_problems() -> list[str]:
    decided = Case.objects.filter(decided_on__isnull=False)
    return [
        f"case {c.pk} decided before registered" for c in decided if c.decided_on < c.registered_on
    ]


def credit_check_problems() -> list[str]:
    """A check is made before its feedback is due and answered after it was made; the checks
    are spread over the weeks before today, not all made on the build day."""
    checks = list(CreditCheck.objects.all())
    problems = [
        f"check {check.pk}"
        for check in checks
        if (check.feedback_due and timezone.localdate(check.created_at) > check.feedback_due)
        or (check.feedback_at and check.feedback_at < check.created_at)
    ]
    if len({timezone.localdate(check.created_at) for check in checks}) <= len(checks) // 3:
        problems.append("the checks are made on a few days only")
    return problems


def repair_problems() -> list[str]:
    problems = []
    for application in RepairApplication.objects.all():
        submitted = timezone.localdate(application.submitted_at)
        if submitted > application.acceptance_due:
            problems.append(f"{application.pk}: submitted after its acceptance deadline")
        if application.accepted_at and application.accepted_at < application.submitted_at:
            problems.append(f"{application.pk}: accepted before it was submitted")
        if application.decided_at and application.decided_at < application.submitted_at:
            problems.append(f"{application.pk}: decided before it was submitted")
    return problems


# --- pages and subjects ---------------------------------------------------------------------------

STAFF_PAGES = {
    "lawadmin": ("core:dashboard", "powers:list", "agencies:bodies", "documents:list"),
    "officer": ("core:dashboard", "cases:list"),
    "legal": ("core:dashboard", "cases:list"),
}


def marker_problems() -> list[str]:
    problems = []
    for username, pages in STAFF_PAGES.items():
        client = Client()
        client.force_login(User.objects.get(username=username))
        for page in pages:
            response = client.get(reverse(page))
            text = response.content.decode()
            if response.status_code != 200:
                problems.append(f"{username} {page}: {response.status_code}")
            problems += [f"{username} {page}: {marker}" for marker in MARKERS if marker in text]
    return problems


def regulars_problems() -> list[str]:
    """A few companies hold licences, penalties and list entries together, as real ones do."""
    licensed = set(LicenseRecord.objects.values_list("subject_id", flat=True))
    penalised = set(PenaltyRecord.objects.values_list("subject_id", flat=True))
    listed = set(ListEntry.objects.values_list("subject_id", flat=True))
    together = (licensed & penalised & listed) - {None}
    return [] if len(together) >= 2 else [f"only {len(together)} such companies"]


RULES: dict[str, Callable[[], list[str]]] = {
    "penalty_prefix": penalty_prefix_problems,
    "licence_prefix": licence_prefix_problems,
    "crossed_law": crossed_law_problems,
    "item_list": item_list_problems,
    "penalty_item": penalty_item_problems,
    "case_item": case_item_problems,
    "future": future_problems,
    "case_dates": case_date_problems,
    "credit_checks": credit_check_problems,
    "repair": repair_problems,
    "markers": marker_problems,
    "regulars": regulars_problems,
}


def test_the_district_has_what_the_rules_look_at() -> None:
    assert PenaltyRecord.objects.filter(case__isnull=True).count() > 100
    assert LicenseRecord.objects.count() > 100
    assert len(in_force()) > 150
    assert Case.objects.filter(decided_on__isnull=False).count() > 5
    assert CreditCheck.objects.exists() and RepairApplication.objects.exists()


@pytest.mark.parametrize("rule", RULES)
def test_the_demo_district_keeps_the_rule(rule: str) -> None:
    assert RULES[rule]() == []


def test_each_penalty_drafted_by_a_case_carries_its_departments_prefix() -> None:
    records = PenaltyRecord.objects.filter(case__isnull=False).select_related("department")
    assert records.exists()
    assert wrong_prefixes(records) == []


# --- each rule can fail -------------------------------------------------------------------------


def penalty_of(key: str) -> PenaltyRecord:
    name = next(name for name, k in KEYS.items() if k == key)
    records = PenaltyRecord.objects.filter(case__isnull=True, department__name=name)
    record: PenaltyRecord = records.earliest("pk")
    return record


def item_of(key: str, category: str = "penalty") -> PowerItem:
    return next(
        item
        for item in in_force()
        if key_of(item.implementing_department.name) == key and item.category.code == category
    )


def break_penalty_prefix() -> None:
    record = penalty_of("environment")
    PenaltyRecord.objects.filter(pk=record.pk).update(decision_number="台市监罚〔2026〕99999号")


def break_licence_prefix() -> None:
    record = LicenseRecord.objects.earliest("pk")
    LicenseRecord.objects.filter(pk=record.pk).update(decision_number="台交运许〔2026〕00001号")


def break_crossed_law() -> None:
    """The 食品安全法 item of the market regulator listed under the 司法局."""
    justice = Department.objects.get(name=next(n for n, k in KEYS.items() if k == "justice"))
    PowerItem.objects.filter(pk=item_of("market").pk).update(implementing_department=justice)


def break_item_list() -> None:
    PowerItem.objects.filter(pk=item_of("finance").pk).update(
        legal_basis="《中华人民共和国会计法》"
    )


def break_penalty_item() -> None:
    record = penalty_of("environment")
    PenaltyRecord.objects.filter(pk=record.pk).update(legal_basis="《公路安全保护条例》第六十四条")


def break_case_item() -> None:
    case = Case.objects.earliest("pk")
    Case.objects.filter(pk=case.pk).update(power_item=item_of("transport"))


def break_future() -> None:
    record = LicenseRecord.objects.earliest("pk")
    later = timezone.localdate() + datetime.timedelta(days=10)
    LicenseRecord.objects.filter(pk=record.pk).update(decision_date=later)


def break_case_dates() -> None:
    case = Case.objects.filter(decided_on__isnull=False).earliest("pk")
    later = case.decided_on + datetime.timedelta(days=5)
    Case.objects.filter(pk=case.pk).update(registered_on=later)


def break_credit_checks() -> None:
    CreditCheck.objects.update(created_at=timezone.now())  # all made on the build day


def break_repair() -> None:
    application = RepairApplication.objects.earliest("pk")
    earlier = application.submitted_at - datetime.timedelta(days=1)
    RepairApplication.objects.filter(pk=application.pk).update(accepted_at=earlier)


def break_markers() -> None:
    User.objects.filter(username="officer").update(full_name="刘振华（示例数据）")


def break_regulars() -> None:
    ListEntry.objects.update(subject=None)


@pytest.mark.parametrize("rule", RULES)
def test_each_rule_catches_a_record_broken_on_purpose(rule: str) -> None:
    globals()[f"break_{rule}"]()
    assert RULES[rule]() != []
