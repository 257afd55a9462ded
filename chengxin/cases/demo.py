"""Demo enforcement cases of the two bodies the demo officers work for (市场监管局: `officer`,
综合执法局: `officer2`), in every state, through cases.actions.

- a case at each stage, 立案 … 结案, some with a hearing;
- major cases (复杂, 重大公共利益, amounts over the local threshold) with a review pending,
  failed (sent back) and passed by `legal` (a qualified reviewer: the bodies have no legal
  reviewer of their own, so reviews go to the district's), one discussed by the heads (负责人
  集体讨论) awaiting the sign-off, the others discussed, signed off and decided;
- every decision signed off by the body's head (agencies.demo: `head`, `head2`) first;
- a penalty case past its 90-day handling period, undecided (the overdue list);
- decisions with 事后公开 on time, late and overdue;
- a few of the bodies' 双公示 penalty records get their online case (decided on the record's
  date with its 决定书文号); the others stay 网外循环;
- decisions numbered with the department's own 文号 (publicity.samples.PROFILES), after the
  numbers its records already use that year; each case's summary is about its power item.

Bodies and officers come from ctx.shared (agencies.demo), power items from ctx.shared
(powers.demo: the department's items in force), else from the models.
"""

from __future__ import annotations

import datetime
import decimal
import random
from collections.abc import Sequence
from typing import Any

from django.utils import timezone

from chengxin.accounts.models import User
from chengxin.agencies.models import EnforcementBody, EnforcementOfficer
from chengxin.cases import actions, rules
from chengxin.cases.actions import PartyData
from chengxin.cases.choices import DiscussionResult, ReviewResult, StepKind
from chengxin.cases.models import CHECKLIST, Case, LegalReviewer
from chengxin.cases.penalty_records import PenaltyFacts
from chengxin.core.demodata import DemoContext
from chengxin.core.identifiers import USCC_PLACEHOLDER, make_resident_id, make_uscc
from chengxin.core.personal_data import decrypt
from chengxin.powers.models import PowerItem
from chengxin.publicity import actions as publicity_actions
from chengxin.publicity.importing import timeliness
from chengxin.publicity.models import PenaltyRecord
from chengxin.publicity.samples import PROFILES
from chengxin.subjects.choices import SubjectCategory
from chengxin.subjects.models import Subject

D = decimal.Decimal
BODIES = (("market", "officer"), ("enforcement", "officer2"))
STAGES = (
    "registered",
    "investigating",
    "notified",
    "hearing_requested",
    "heard",
    "review_pending",
    "review_failed",
    "review_passed",
    "review_passed_undecided",
    "review_passed_discussed",
    "handling_overdue",
    "decided_overdue",
    "decided_on_time",
    "served",
    "executed",
    "closed",
    "closed",
)
# How a case came to light; the summary names the conduct of the case's power item.
SOURCES = ("经群众举报", "日常检查发现", "“双随机、一公开”抽查发现", "上级机关交办线索显示")
ALL_CHECKED = {field: True for field, _label in CHECKLIST}


def generate(ctx: DemoContext) -> None:
    bodies: dict[str, EnforcementBody] = ctx.shared.get("enforcement_bodies") or {}
    officers: dict[str, list[EnforcementOfficer]] = ctx.shared.get("enforcement_officers") or {}
    reviewer = User.objects.filter(username="legal").first()
    if reviewer is not None:  # the district's legal reviewer holds the 法律职业资格
        since = datetime.date(timezone.localdate().year - 2, 3, 1)
        LegalReviewer.objects.get_or_create(
            user=reviewer,
            defaults={
                "has_legal_qualification": True,
                "qualification_number": "A20153704050021",
                "first_reviewed_on": since,
                "note": f"区司法局法制审核岗位（台司任〔{since.year}〕2号）",
            },
        )
    rng = ctx.rng("cases")
    today = timezone.localdate()
    made = linked = 0
    for key, username in BODIES:
        body = bodies.get(key) or _body_of(username)
        actor = User.objects.filter(username=username).first()
        items = _items(ctx, key, body)
        if body is None or actor is None or reviewer is None or not items:
            continue
        pool = officers.get(key) or list(EnforcementOfficer.objects.filter(body=body))
        demo = _Demo(rng, actor, reviewer, body, pool, items, today, PROFILES[key].number)
        for n, stage in enumerate(STAGES * ctx.volume("cases_per_stage", 1)):
            if demo.run(stage, n):
                made += 1
        linked += demo.link_records(ctx.volume("linked_penalties", 6))
    ctx.out.write(f"    cases: {made}, penalty records with an online case: {linked}\n")


def _body_of(username: str) -> EnforcementBody | None:
    user = User.objects.filter(username=username).first()
    if user is None:
        return None
    return EnforcementBody.objects.active().filter(department_id=user.department_id).first()


def _items(ctx: DemoContext, key: str, body: EnforcementBody | None) -> list[PowerItem]:
    """The body's department's 行政处罚 items (powers.demo shares them), else any in force."""
    if body is None:
        return []
    shared: list[PowerItem] = (ctx.shared.get("power_items_by_department") or {}).get(key, [])
    own = [item for item in shared if item.category.code == "penalty"]
    if own:
        return own
    # Only the body's own items: a case under another department's item is refused (its
    # competence, cases.rules.competence_problem).
    items = PowerItem.objects.in_force().filter(category__code="penalty")
    return list(items.filter(implementing_department_id=body.department_id)[:20])


class _Demo:
    def __init__(
        self,
        rng: random.Random,
        actor: User,
        reviewer: User,
        body: EnforcementBody,
        officers: Sequence[EnforcementOfficer],
        items: list[PowerItem],
        today: datetime.date,
        number_format: str,
    ) -> None:
        self.rng, self.actor, self.reviewer, self.body = rng, actor, reviewer, body
        self.officers, self.items, self.today = list(officers), items, today
        self.number_format = number_format  # "台市监罚〔{year}〕{serial:05d}号"
        self.serials: dict[int, int] = {}
        self.head = body.heads.order_by("pk").first()
        self._items_by_day: dict[datetime.date, list[PowerItem]] = {}
        self.people: list[Subject] | None = None
        self.companies: list[Subject] = []

    def _at(self, day: datetime.date, hour: int) -> datetime.datetime:
        moment = datetime.datetime.combine(day, datetime.time(hour, self.rng.randint(0, 59)))
        return timezone.make_aware(moment)

    def decision_number(self, day: datetime.date) -> str:
        """The body's next 文号 of `day`'s year, after those its 双公示 records already use."""
        if day.year not in self.serials:
            head = self.number_format.split("{serial")[0].format(year=day.year)
            numbers = PenaltyRecord.objects.filter(decision_number__startswith=head).values_list(
                "decision_number", flat=True
            )
            serials = [int(n[len(head) :].rstrip("号")) for n in numbers if n.endswith("号")]
            self.serials[day.year] = max(serials, default=0)
        self.serials[day.year] += 1
        return self.number_format.format(year=day.year, serial=self.serials[day.year])

    def summary(self, item: PowerItem) -> str:
        """What the case is about: the conduct its power item penalises."""
        conduct = item.name.removeprefix("对").removesuffix("的行政处罚").removesuffix("违法行为")
        return f"{self.rng.choice(SOURCES)}，当事人涉嫌{conduct}。"

    def _party(self) -> PartyData:
        """A party from the district's own subjects (the penalised company is one the portal
        knows), else a made-up one when the demo was built without subjects."""
        if self.people is None:
            subjects = Subject.objects.order_by("pk")
            self.people = list(subjects.filter(category=SubjectCategory.NATURAL_PERSON)[:300])
            self.companies = list(
                subjects.exclude(category=SubjectCategory.NATURAL_PERSON).exclude(
                    credit_code__in=("", USCC_PLACEHOLDER)
                )[:1000]
            )
        if self.companies:
            if self.people and self.rng.random() < 0.3:
                person = self.rng.choice(self.people)
                number = decrypt(person.id_number_ciphertext)
                return PartyData(person.name, person.category, id_number=number)
            company = self.rng.choice(self.companies)
            return PartyData(company.name, company.category, credit_code=company.credit_code)
        if self.rng.random() < 0.3:
            name = self.rng.choice("张王李赵刘陈杨黄") + self.rng.choice(["伟", "芳", "强", "敏"])
            return PartyData(
                name, SubjectCategory.NATURAL_PERSON, id_number=make_resident_id(self.rng)
            )
        name = f"枣庄市台儿庄区{self.rng.choice(['鲁南', '运河', '古城', '兴隆'])}商贸有限公司"
        return PartyData(name, SubjectCategory.LEGAL_ENTITY, credit_code=make_uscc(self.rng))

    def register(
        self, registered_on: datetime.date, *, about: str = "", is_complex: bool = False
    ) -> Case | None:
        assignable = [o for o in self.officers if o.is_assignable_on(registered_on)]
        items = self._items_on(registered_on)
        if len(assignable) < 2 or not items:
            return None
        # The item closest to what the case is `about` (the conduct of its record), else any.
        words = set(about) - set("的对和或")
        item = max(items, key=lambda i: len(set(i.name) & words)) if about else None
        item = item or self.rng.choice(items)
        return actions.register_case(
            actor=self.actor,
            body=self.body,
            power_item=item,
            parties=[self._party()],
            officers=self.rng.sample(assignable, 2),
            summary=f"{self.rng.choice(SOURCES)}，当事人涉嫌{about}。"
            if about
            else self.summary(item),
            registered_on=registered_on,
            is_complex=is_complex,
        )

    def _items_on(self, day: datetime.date) -> list[PowerItem]:
        """The body's items that were already in the list on `day` (a case registered weeks ago
        cannot be under an item added since: early in the year the list's adjustment may be
        dated the build day itself)."""
        if day not in self._items_by_day:
            listed = set(
                PowerItem.objects.in_force(on=day)
                .filter(pk__in=[item.pk for item in self.items])
                .values_list("pk", flat=True)
            )
            self._items_by_day[day] = [item for item in self.items if item.pk in listed]
        return self._items_by_day[day]

    def step(self, case: Case, kind: str, day: datetime.date, **extra: Any) -> None:
        actions.record_step(
            case, kind, actor=self.actor, occurred_at=self._at(day, 10), notes="", **extra
        )

    def review(self, case: Case, result: str) -> None:
        requested = actions.request_legality_review(
            case, actor=self.actor, submission="拟依法给予罚款处罚，理由见调查终结报告。"
        )
        if result == ReviewResult.PENDING:
            return
        opinion = "事实清楚，证据充分，适用法律正确，程序合法。"
        if result != ReviewResult.PASSED:
            opinion = "主要证据不足，建议补充调查。"
        actions.record_legality_review(
            requested,
            actor=self.reviewer,
            result=result,
            opinion=opinion,
            checklist=ALL_CHECKED if result == ReviewResult.PASSED else {},
        )

    def discuss(self, case: Case, day: datetime.date) -> None:
        """The heads' collective discussion, when the case needs one (cases.rules)."""
        case.refresh_from_db()
        if not rules.discussion_triggers(case):
            return
        actions.record_collective_discussion(
            case,
            actor=self.head or self.actor,
            held_on=day,
            participants=f"{self.head.full_name if self.head else '局长'}（局长）\n王振东（副局长）\n"
            "陈立平（副局长）",
            conclusion="经集体讨论，同意依法给予拟定的行政处罚。",
            result=DiscussionResult.AGREED,
        )

    def sign_off(self, case: Case, when: datetime.datetime | None = None) -> None:
        """The head's sign-off of the proposed decision (on the day of the decision)."""
        if self.head is None:
            return
        actions.approve_decision(
            case, actor=self.head, opinion="同意。", approved_at=when, fine_amount=case.fine_amount
        )

    def run(self, stage: str, n: int) -> bool:
        """One case brought to `stage`; False when no two officers are assignable."""
        major = stage.startswith("review")
        start = self.today - datetime.timedelta(days=40 + 3 * n)
        if stage == "handling_overdue":
            start = self.today - datetime.timedelta(days=rules.HANDLING_DAYS + 12)
        is_complex = major and n % 2 == 1
        case = self.register(start, is_complex=is_complex)
        if case is None:
            return False
        if stage == "registered":
            return True
        self.step(case, StepKind.INVESTIGATION, start + datetime.timedelta(days=2))
        if stage == "investigating":
            return True
        fine = D("150000") if major and not is_complex else D(self.rng.choice([500, 2000, 5000]))
        self.step(
            case,
            StepKind.NOTIFICATION,
            start + datetime.timedelta(days=10),
            hearing_requested=stage in ("hearing_requested", "heard"),
            fine_amount=fine,
        )
        if stage in ("notified", "hearing_requested", "handling_overdue"):
            return True
        if stage == "heard":
            self.step(case, StepKind.HEARING, start + datetime.timedelta(days=18))
            return True
        if major:
            result = {
                "review_pending": ReviewResult.PENDING,
                "review_failed": ReviewResult.FAILED,
                "review_passed": ReviewResult.PASSED,
                "review_passed_undecided": ReviewResult.PASSED,
                "review_passed_discussed": ReviewResult.PASSED,
            }[stage]
            self.review(case, result)
            if stage == "review_passed_discussed":
                self.discuss(case, self.today)
            if stage == "review_passed":
                self.discuss(case, self.today)
                case.refresh_from_db()
                self.sign_off(case)
                actions.decide_case(
                    case,
                    actor=self.actor,
                    decision_number=self.decision_number(self.today),
                    decision_summary=f"罚款人民币{fine}元。",
                    fine_amount=fine,
                    penalty=self.facts(case, self.today),
                )
            return True
        decided_on = start + datetime.timedelta(days=20)
        case.refresh_from_db()
        self.sign_off(case, self._at(decided_on, 11))
        case = actions.decide_case(
            case,
            actor=self.actor,
            decision_number=self.decision_number(decided_on),
            decision_summary=f"罚款人民币{fine}元。",
            fine_amount=fine,
            occurred_at=self._at(decided_on, 15),
            penalty=self.facts(case, decided_on),
        )
        if stage == "decided_overdue":
            return True  # the department has not submitted the drafted record yet
        assert case.publicity_deadline is not None
        self.publish(case, min(case.publicity_deadline, self.today))
        later = [StepKind.SERVICE, StepKind.EXECUTION, StepKind.CLOSING]
        upto = {"decided_on_time": 0, "served": 1, "executed": 2, "closed": 3}[stage]
        for offset, kind in enumerate(later[:upto], start=1):
            self.step(case, kind, decided_on + datetime.timedelta(days=offset))
        return True

    def facts(self, case: Case, decided_on: datetime.date) -> PenaltyFacts:
        """What the decision states for its 双公示 record (drafted by the decision)."""
        return PenaltyFacts(
            violation_type=case.power_item.name.removeprefix("对").removesuffix("的行政处罚"),
            violation_facts=case.summary,
            legal_basis=(case.power_item.legal_basis or "依据权力清单所列法律依据")[:2048],
            penalty_categories=["罚款"],
            valid_until=decided_on + datetime.timedelta(days=365),
        )

    def publish(self, case: Case, day: datetime.date) -> None:
        """The department submits the drafted record; the demo dates its publication `day`
        (built today, the district published it then)."""
        record = case.penalty_records.get()
        reporter = User.objects.filter(department_id=record.department_id, is_active=True).first()
        publicity_actions.submit_record(record, actor=reporter or self.actor, drafted_by_actor=True)
        moment = self._at(day, 16)
        PenaltyRecord.objects.filter(pk=record.pk).update(
            submitted_at=moment,
            published_at=moment,
            timeliness=timeliness(record.decision_date, record.deadline, day),
        )
        Case.objects.filter(pk=case.pk).update(published_on=day)

    def link_records(self, count: int) -> int:
        """Give `count` of the body's recent penalty records their online case."""
        records = PenaltyRecord.objects.filter(
            authority_credit_code=self.body.credit_code,
            case__isnull=True,
            decision_date__gte=self.today - datetime.timedelta(days=120),
            decision_date__lte=self.today - datetime.timedelta(days=5),
        ).order_by("decision_date", "id")
        linked = 0
        for record in records[: count * 3]:
            if linked == count:
                break
            registered_on = record.decision_date - datetime.timedelta(days=25)
            case = self.register(registered_on, about=record.violation_type)
            if case is None:
                continue
            self.step(case, StepKind.INVESTIGATION, registered_on + datetime.timedelta(days=3))
            self.step(case, StepKind.NOTIFICATION, registered_on + datetime.timedelta(days=15))
            case.refresh_from_db()
            self.sign_off(case, self._at(record.decision_date, 9))
            actions.decide_case(
                case,
                actor=self.actor,
                decision_number=record.decision_number,
                decision_summary=record.content[:200] or "依法给予行政处罚。",
                occurred_at=self._at(record.decision_date, 11),
            )
            linked += 1
        return linked
