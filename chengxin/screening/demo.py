"""Demo 联合奖惩 lists: entries on the national list types for demo subjects, and one measure
of the district's supplementary list (补充清单).

The national catalogue is installed by migration 0002. Entries are drawn from the demo subjects
(so the portal and checks find them by code, ID number and name): most in force, some removed
(信用修复, 撤销) and some expired. Written in bulk: generating demo data is not an act of any user.
Then the demo checker runs a few dozen checks through the real action, with feedback on most hits.
"""

from __future__ import annotations

import datetime
import random

from django.utils import timezone

from chengxin.accounts.models import Department, User
from chengxin.core import calendar
from chengxin.core.demodata import DemoContext
from chengxin.core.personal_data import decrypt
from chengxin.screening import matching
from chengxin.screening.actions import check_subjects, record_feedback, save_measure
from chengxin.screening.choices import CatalogueSource, EntryStatus, ListKind
from chengxin.screening.models import ListEntry, ListType, Measure, Scenario
from chengxin.subjects.choices import SubjectCategory
from chengxin.subjects.models import Subject

# list type code → (share of entries, listing authority, document number pattern, reason)
PLAN: dict[str, tuple[float, str, str, str]] = {
    "judgment_defaulter": (
        0.3,
        "枣庄市台儿庄区人民法院",
        "（{year}）鲁0405执{n}号",
        "有履行能力而拒不履行生效法律文书确定的义务",
    ),
    "major_tax_violation": (
        0.1,
        "国家税务总局枣庄市台儿庄区税务局",
        "台税稽罚〔{year}〕{n}号",
        "虚开增值税专用发票，偷税数额较大",
    ),
    "procurement_violation": (
        0.1,
        "finance",
        "台财采罚〔{year}〕{n}号",
        "提供虚假材料谋取中标、成交",
    ),
    "work_safety": (
        0.1,
        "emergency",
        "台应急失信〔{year}〕{n}号",
        "发生较大生产安全事故，负有责任",
    ),
    "wage_arrears": (
        0.1,
        "hrss",
        "台人社失信〔{year}〕{n}号",
        "克扣、无故拖欠农民工工资，数额较大",
    ),
    "a_grade_taxpayer": (
        0.3,
        "国家税务总局枣庄市台儿庄区税务局",
        "台税信评〔{year}〕{n}号",
        "年度纳税信用评价为A级",
    ),
}
# The lists three of the companies with licences and penalties are on (publicity.demo).
REGULARS_LISTED = ("work_safety", "procurement_violation", "wage_arrears")
LOCAL_MEASURE = {
    "code": "BC-01",
    "name": "限制参加区级“诚信示范企业”评选",
    "kind": "punishment",
    "effect": "prohibit",
    "edition": "台儿庄区补充清单（2026 年版）",
    "legal_basis": "《山东省社会信用条例》；《台儿庄区失信惩戒措施补充清单（2026 年版）》",
}


def generate(ctx: DemoContext) -> None:
    departments: dict[str, Department] = ctx.shared["departments"]
    add_local_measure()
    rng = ctx.rng("screening")
    total = ctx.volume("list_entries", 300)
    subjects = list(Subject.objects.order_by("pk")[: max(total * 4, 1)])
    if not subjects or not total:
        return
    today = timezone.localdate()
    entries: list[ListEntry] = []
    for code, (share, authority, pattern, reason) in PLAN.items():
        list_type = ListType.objects.get(code=code)
        candidates = [
            s
            for s in subjects
            if code == "judgment_defaulter" or s.category != SubjectCategory.NATURAL_PERSON
        ]
        count = min(round(total * share), len(candidates))
        for n, subject in enumerate(rng.sample(candidates, count), start=1):
            entries.append(
                make_entry(
                    rng,
                    list_type,
                    subject,
                    departments[authority].name if authority in departments else authority,
                    pattern.format(year="{year}", n=n),
                    reason,
                    today,
                    departments["ndrc"],
                )
            )
    # A few of the companies that also hold licences and penalties are on a dishonesty list:
    # their subject page, credit report and checks then show all three.
    regulars = Subject.objects.filter(credit_code__in=ctx.shared.get("regular_credit_codes", []))
    for n, (subject, code) in enumerate(
        zip(regulars.order_by("credit_code")[:3], REGULARS_LISTED, strict=False), start=1
    ):
        _share, authority, pattern, reason = PLAN[code]
        entries.append(
            make_entry(
                rng,
                ListType.objects.get(code=code),
                subject,
                departments[authority].name if authority in departments else authority,
                pattern.format(year="{year}", n=900 + n),
                reason,
                today,
                departments["ndrc"],
            )
        )
    ListEntry.objects.bulk_create(entries, batch_size=1000)
    listed = list({entry.subject.pk: entry.subject for entry in entries if entry.subject}.values())
    generate_checks(ctx, rng, listed, subjects)


# Scenarios of the approval hall's demo checks (行政审批服务局).
CHECK_SCENARIOS = ("administrative_licensing", "government_procurement", "fiscal_subsidy")


def generate_checks(
    ctx: DemoContext, rng: random.Random, listed: list[Subject], others: list[Subject]
) -> None:
    """Checks by the demo checker over the last four weeks, each on its own day: half on listed
    subjects (hits), most hits with feedback, a few left without it so the dashboard shows
    overdue feedback."""
    checker = User.objects.filter(username="checker").select_related("department").first()
    count = ctx.volume("checks", 40)
    if checker is None or checker.department is None or not count:
        return
    scenarios = list(Scenario.objects.filter(code__in=CHECK_SCENARIOS))
    today = timezone.localdate()
    half = count // 2
    sample = rng.sample(listed, min(half, len(listed))) + rng.sample(
        others, min(count - half, len(others))
    )
    for n, subject in enumerate(sample, start=1):
        asked = matching.Subject(
            name=subject.name,
            credit_code=subject.credit_code,
            id_number=decrypt(subject.id_number_ciphertext) if subject.id_number_ciphertext else "",
        )
        # Each check on a working day of the last four weeks, at office hours; its feedback
        # a few working days later and never after today, so the dashboard's overdue feedback
        # is what a real month leaves: the few hits nobody answered in time.
        asked_on = calendar.add_working_days(today, -rng.randint(1, 19))
        with ctx.at(asked_on, hour=rng.randint(8, 16), minute=rng.randint(0, 59)):
            (check,) = check_subjects(
                [asked],
                department=checker.department,
                scenario=rng.choice(scenarios),
                matter=f"台审批〔{asked_on.year}〕{n:04d}号 申请事项",
                actor=checker,
            )
        if check.hit_count and rng.random() < 0.8:
            answered_on = min(calendar.add_working_days(asked_on, rng.randint(1, 4)), today)
            taken = rng.random() < 0.85
            reason = "" if taken else "经核实，失信信息已于受理前修复，本次未采取限制措施"
            with ctx.at(answered_on, hour=rng.randint(9, 17)):
                record_feedback(check, actor=checker, taken=taken, reason=reason)


def make_entry(
    rng: random.Random,
    list_type: ListType,
    subject: Subject,
    authority: str,
    number: str,
    reason: str,
    today: datetime.date,
    department: Department,
) -> ListEntry:
    """One entry: listed up to three years ago; about 1 in 10 removed and 1 in 10 expired."""
    listed_on = today - datetime.timedelta(days=rng.randint(30, 3 * 365))
    trust = list_type.kind == ListKind.TRUST
    # A dishonesty entry sometimes has no end date (失信被执行人 until the duty is performed).
    indefinite = not trust and rng.random() < 0.2
    years = 1 if trust else 3
    ends_on = None if indefinite else listed_on + datetime.timedelta(days=365 * years)
    draw = rng.random()
    if draw < 0.1:  # expired: the end date has passed
        ends_on = today - datetime.timedelta(days=rng.randint(1, 20))
    entry = ListEntry(
        list_type=list_type,
        subject=subject,
        subject_name=subject.name,
        subject_category=subject.category,
        credit_code=subject.credit_code,
        id_number_ciphertext=subject.id_number_ciphertext,
        id_number_index=subject.id_number_index,
        id_number_masked=subject.id_number_masked,
        listing_authority=authority,
        document_number=number.format(year=listed_on.year),
        basis=reason,
        listed_on=listed_on,
        ends_on=ends_on,
        department=department,
    )
    if 0.1 <= draw < 0.2:
        entry.status = EntryStatus.REMOVED
        entry.removed_on = min(today, listed_on + datetime.timedelta(days=rng.randint(1, 400)))
        entry.removal_reason = rng.choice(
            [
                "信用修复：已履行法定义务并提交信用承诺",
                "认定决定被撤销",
                "已履行生效法律文书确定的义务",
            ]
        )
    entry.set_name_keys()
    return entry


def add_local_measure() -> Measure:
    """The district's supplementary measure: no 诚信示范企业 title for any dishonesty list."""
    measure = Measure.objects.filter(code=LOCAL_MEASURE["code"]).first() or Measure(
        source=CatalogueSource.LOCAL, **LOCAL_MEASURE
    )
    return save_measure(
        measure,
        actor=None,
        list_types=ListType.objects.filter(kind=ListKind.DISHONESTY),
        scenarios=Scenario.objects.filter(code="honours"),
    )
