"""Demo normative documents: the 36 confirmed issuing bodies of 台儿庄区 and documents at every
stage over the last few years (暂行/试行 ones, some expiring soon, some filed late or not at all,
some abolished, some continued and re-published), walked through the real actions so numbers,
events and the change log are real.

Each body's documents are reviewed by its reviewing unit (国办发〔2018〕115号): the district
government's, its office's and the townships' by the justice bureau (the demo's `legal`), a
department's by its own 法制机构, whose legal reviewer the demo adds when the department has none.
Four bodies have no department of their own in the demo; the rule-of-law office named the justice
bureau as their reviewing unit.
"""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass

from django.utils import timezone

from chengxin.accounts.actions import assign_role
from chengxin.accounts.choices import Role
from chengxin.accounts.models import Department, User
from chengxin.core.demodata import DEMO_PASSWORD, DemoContext
from chengxin.documents import actions, rules
from chengxin.documents.choices import BodyKind, CleanupResult, DocumentStatus, EventType
from chengxin.documents.models import (
    DocumentEvent,
    IssuingBody,
    LegalityReview,
    NormativeDocument,
)

CITY = "枣庄市人民政府（市司法局）"
DISTRICT = "台儿庄区人民政府（区司法局）"

# (name, code, kind, department key or "")
BODIES: list[tuple[str, str, str, str]] = [
    ("台儿庄区人民政府", "台政规", BodyKind.DISTRICT_GOVERNMENT, "gov"),
    ("台儿庄区人民政府办公室", "台政办规", BodyKind.DISTRICT_GOVERNMENT, "gov"),
    ("台儿庄区发展和改革局", "台发改规", BodyKind.DEPARTMENT, "ndrc"),
    ("台儿庄区教育和体育局", "台教体规", BodyKind.DEPARTMENT, "education"),
    ("台儿庄区工业和信息化局", "台工信规", BodyKind.DEPARTMENT, "industry"),
    ("台儿庄区科学技术局", "台科规", BodyKind.DEPARTMENT, ""),
    ("台儿庄区民政局", "台民规", BodyKind.DEPARTMENT, "civil"),
    ("台儿庄区司法局", "台司规", BodyKind.DEPARTMENT, "justice"),
    ("台儿庄区财政局", "台财规", BodyKind.DEPARTMENT, "finance"),
    ("台儿庄区人力资源和社会保障局", "台人社规", BodyKind.DEPARTMENT, "hrss"),
    ("台儿庄区自然资源局", "台自然资规", BodyKind.DEPARTMENT, "land"),
    ("台儿庄区住房和城乡建设局", "台住建规", BodyKind.DEPARTMENT, "housing"),
    ("台儿庄区交通运输局", "台交规", BodyKind.DEPARTMENT, "transport"),
    ("台儿庄区水务局", "台水规", BodyKind.DEPARTMENT, "water"),
    ("台儿庄区农业农村局", "台农规", BodyKind.DEPARTMENT, "agriculture"),
    ("台儿庄区商务局", "台商规", BodyKind.DEPARTMENT, "commerce"),
    ("台儿庄区文化和旅游局", "台文旅规", BodyKind.DEPARTMENT, "culture"),
    ("台儿庄区卫生健康局", "台卫健规", BodyKind.DEPARTMENT, "health"),
    ("台儿庄区退役军人事务局", "台退役规", BodyKind.DEPARTMENT, ""),
    ("台儿庄区应急管理局", "台应急规", BodyKind.DEPARTMENT, "emergency"),
    ("台儿庄区审计局", "台审规", BodyKind.DEPARTMENT, "audit"),
    ("台儿庄区统计局", "台统规", BodyKind.DEPARTMENT, "statistics"),
    ("台儿庄区市场监督管理局", "台市监规", BodyKind.DEPARTMENT, "market"),
    ("台儿庄区医疗保障局", "台医保规", BodyKind.DEPARTMENT, "medical"),
    ("台儿庄区行政审批服务局", "台审批规", BodyKind.DEPARTMENT, "approval"),
    ("台儿庄区综合行政执法局", "台综执规", BodyKind.DEPARTMENT, "enforcement"),
    ("枣庄市公安局台儿庄分局", "台公规", BodyKind.BRANCH_OFFICE, "police"),
    ("枣庄市生态环境局台儿庄分局", "台环规", BodyKind.BRANCH_OFFICE, "environment"),
    ("台儿庄经济开发区管理委员会", "台开管规", BodyKind.BRANCH_OFFICE, ""),
    ("台儿庄古城管理委员会", "台古城规", BodyKind.BRANCH_OFFICE, ""),
    ("台儿庄区运河街道办事处", "运街规", BodyKind.TOWNSHIP, "yunhe"),
    ("台儿庄区邳庄镇人民政府", "邳政规", BodyKind.TOWNSHIP, "pizhuang"),
    ("台儿庄区张山子镇人民政府", "张政规", BodyKind.TOWNSHIP, "zhangshanzi"),
    ("台儿庄区泥沟镇人民政府", "泥政规", BodyKind.TOWNSHIP, "nigou"),
    ("台儿庄区涧头集镇人民政府", "涧政规", BodyKind.TOWNSHIP, "jiantouji"),
    ("台儿庄区马兰屯镇人民政府", "马政规", BodyKind.TOWNSHIP, "malantun"),
]
CONFIRMED_ON = datetime.date(2021, 6, 18)
# The legal reviewers of the departments' 法制机构 (法规科) the demo adds, in order of need.
REVIEWER_NAMES = [
    "杜晓明",
    "蒋文静",
    "韩立军",
    "曹玉梅",
    "袁志刚",
    "邓丽萍",
    "许建华",
    "傅雪莲",
    "沈国庆",
    "曾秀英",
    "彭海波",
    "吕春燕",
    "苏永强",
    "卢慧敏",
    "丁卫国",
    "魏淑芬",
    "薛晓东",
    "叶红霞",
    "阎振宇",
    "余桂兰",
    "潘建军",
    "杜丽娜",
    "戴志明",
    "夏秋菊",
    "钟德华",
    "汪海燕",
    "田国栋",
    "任玉兰",
    "姜文斌",
    "范雪梅",
    "方志勇",
    "石春花",
]

# Issuing body → what its documents regulate: each body rules on its own field only (a 科技局
# does not regulate the 古城景区). The government's office issues the district-wide ones.
TOPICS: dict[str, tuple[str, ...]] = {
    "台儿庄区人民政府办公室": (
        "促进民营经济高质量发展",
        "招商引资优惠政策兑现",
        "住宅专项维修资金管理",
        "养犬管理",
        "运河沿岸生态保护",
    ),
    "台儿庄区发展和改革局": ("社会信用体系建设", "政府定价成本监审"),
    "台儿庄区教育和体育局": ("中小学校外培训机构管理", "家庭经济困难学生资助"),
    "台儿庄区工业和信息化局": ("工业企业技术改造奖补", "中小企业梯度培育"),
    "台儿庄区科学技术局": ("科技创新券管理", "高新技术企业培育奖补"),
    "台儿庄区民政局": ("困难群众临时救助", "经济困难老年人养老服务补贴"),
    "台儿庄区司法局": ("规范行政执法裁量权", "法律援助经济困难标准"),
    "台儿庄区财政局": ("财政专项资金管理", "政府采购内部控制"),
    "台儿庄区人力资源和社会保障局": ("农民工工资支付保障", "就业创业补贴"),
    "台儿庄区自然资源局": ("临时用地管理", "不动产登记便民服务"),
    "台儿庄区住房和城乡建设局": ("燃气经营许可后续监管", "物业服务企业信用评价"),
    "台儿庄区交通运输局": ("农村公路养护管理", "道路货运车辆超限超载源头治理"),
    "台儿庄区水务局": ("河湖管理范围内建设项目管理", "农村供水工程运行管理"),
    "台儿庄区农业农村局": ("农村宅基地审批管理", "加强农村集体资产管理"),
    "台儿庄区商务局": ("单用途商业预付卡管理", "促进汽车消费"),
    "台儿庄区文化和旅游局": ("旅游民宿管理", "文化市场轻微违法行为免罚"),
    "台儿庄区卫生健康局": ("医疗机构依法执业自查", "职业健康检查机构管理"),
    "台儿庄区退役军人事务局": ("退役军人就业创业扶持", "退役军人优待"),
    "台儿庄区应急管理局": ("安全生产举报奖励", "危险化学品经营安全管理"),
    "台儿庄区审计局": ("内部审计工作指导",),
    "台儿庄区统计局": ("部门统计调查项目管理",),
    "台儿庄区市场监督管理局": ("食品小作坊登记管理", "网络餐饮服务监督检查"),
    "台儿庄区医疗保障局": ("城乡居民医疗救助", "医疗保障基金使用监督"),
    "台儿庄区行政审批服务局": ("行政许可告知承诺制", "证照分离改革"),
    "台儿庄区综合行政执法局": ("城市管理领域轻微违法行为免罚", "建筑垃圾处置管理"),
    "枣庄市公安局台儿庄分局": ("烟花爆竹禁放区域管理",),
    "枣庄市生态环境局台儿庄分局": ("重污染天气应急减排",),
    "台儿庄经济开发区管理委员会": ("园区企业服务",),
    "台儿庄古城管理委员会": ("古城景区经营秩序管理",),
}
TOPICS["台儿庄区人民政府"] = TOPICS["台儿庄区人民政府办公室"]
TOWNSHIP_TOPICS = ("农村人居环境整治", "村级小微权力清单管理")
FORMS = ["实施办法", "管理办法", "若干措施", "实施细则", "暂行办法", "试行办法", "通知", "规定"]
TEXT = (
    "第一条 为{topic}，根据有关法律、法规和规章，结合本区实际，制定本{form}。\n"
    "第二条 本{form}适用于本区行政区域内的{topic}工作。\n"
    "第三条 {short}负责本{form}的组织实施，其他有关部门按照各自职责做好相关工作。\n"
    "第四条 有关单位应当依法公开办事依据、条件、程序和时限，接受社会监督。\n"
    "第五条 本{form}由{short}负责解释，自施行之日起施行。"
)


@dataclass
class Plan:
    body: IssuingBody
    stage: str
    title: str
    published_on: datetime.date | None = None
    filed_after: int | None = None  # days after publication; None: not filed
    cleanup: str = ""
    issue_delay: int = 0  # days between issue and publication


class Reviewers:
    """The legal reviewer of each reviewing unit: the demo's `legal` for the justice bureau, one
    added for a department's 法制机构 the first time it is needed. The market bureau's, whose
    liaison and officer are demo logins, is always `legal2` (same password; the printed logins
    stay one per role)."""

    def __init__(self, ctx: DemoContext, legal: User) -> None:
        self.by_unit = {legal.department_id: legal}
        market = ctx.shared.get("departments", {}).get("market")
        self.market = market.pk if market else None

    def of(self, document: NormativeDocument) -> User:
        unit = document.issuing_body.review_unit()
        assert unit is not None, document.issuing_body
        if unit.pk not in self.by_unit:
            name = REVIEWER_NAMES[(len(self.by_unit) - 1) % len(REVIEWER_NAMES)]
            # legal2 is the market bureau's, whenever it is first needed; the others follow.
            number = 2 if unit.pk == self.market else len(self.by_unit) + 2
            user = User.objects.create_user(
                f"legal{number}", DEMO_PASSWORD, full_name=name, department=unit
            )
            assign_role(user, Role.LEGAL_REVIEWER, actor=None)
            self.by_unit[unit.pk] = user
        return self.by_unit[unit.pk]


def generate(ctx: DemoContext) -> None:
    users = {u.username: u for u in User.objects.filter(username__in=["lawadmin", "legal"])}
    if len(users) < 2:
        return
    rng = ctx.rng("documents")
    today = timezone.localdate()
    bodies = _bodies(ctx.shared.get("departments", {}), users["legal"].department)
    plans = _plans(rng, bodies, today, ctx.volume("documents", 60))
    for plan in plans:
        plan.issue_delay = rng.randint(0, 4)
    reviewers = Reviewers(ctx, users["legal"])
    # Issue in date order, as a real register fills: the numbers then follow the dates.
    published = sorted((p for p in plans if p.published_on), key=_issued_on)
    for plan in published:
        _walk_published(plan, rng, users["lawadmin"], reviewers, today)
    for plan in (p for p in plans if not p.published_on):
        _walk_open(plan, rng, users["lawadmin"], reviewers, today)
    ctx.shared["issuing_bodies"] = bodies
    ctx.out.write(
        f"    issuing bodies: {len(bodies)}, documents: {NormativeDocument.objects.count()}\n"
    )


def _issued_on(plan: Plan) -> datetime.date:
    assert plan.published_on is not None
    return plan.published_on - datetime.timedelta(days=plan.issue_delay)


def _bodies(departments: dict[str, Department], justice: Department | None) -> list[IssuingBody]:
    made = []
    for name, code, kind, key in BODIES:
        department = departments.get(key) if key else None
        body = IssuingBody(
            name=name,
            code=code,
            kind=kind,
            department=department,
            filing_authority=CITY if kind == BodyKind.DISTRICT_GOVERNMENT else DISTRICT,
            # No department of its own in the demo: the justice bureau reviews (named here);
            # every other body gets the unit 国办发〔2018〕115号 names (IssuingBody.clean).
            reviewing_unit=justice if department is None else None,
            confirmed_on=CONFIRMED_ON,
        )
        body.full_clean()
        body.save()
        made.append(body)
    return made


def _title(rng: random.Random, body: IssuingBody, form: str | None = None) -> str:
    form = form or rng.choice(FORMS)
    township = body.kind == BodyKind.TOWNSHIP
    topic = rng.choice(TOWNSHIP_TOPICS if township else TOPICS[body.name])
    if form == "通知":
        return f"{body.name}关于{topic}的通知"
    # a 镇's rules are its own: 邳庄镇…办法, not 台儿庄区…
    place = body.name.removeprefix("台儿庄区").removesuffix("人民政府") if township else "台儿庄区"
    title = f"{place.removesuffix('办事处')}{topic}{form}"
    return title.replace("管理管理", "管理")  # 养犬管理 + 管理办法: 养犬管理办法


def _plans(
    rng: random.Random, bodies: list[IssuingBody], today: datetime.date, count: int
) -> list[Plan]:
    plans: list[Plan] = []
    # Published over the past five years: most filed on time, some late, a few not yet.
    for _n in range(int(count * 0.75)):
        body = rng.choice(bodies)
        published = today - datetime.timedelta(days=rng.randint(5, 5 * 365))
        age = (today - published).days
        filed_after: int | None = rng.choice([3, 8, 12, 18, 25, 29, 30] * 3 + [36, 52])
        if age <= 30:
            filed_after = rng.choice([None, None, 2])  # recent: most still within the deadline
        elif age <= 120 and rng.random() < 0.35:
            filed_after = None  # overdue: not filed past the deadline
        if filed_after is not None and filed_after > age:
            filed_after = None
        cleanup = ""
        if age > 3 * 365 and rng.random() < 0.25:
            cleanup = rng.choice([CleanupResult.ABOLISHED, CleanupResult.CONTINUED])
        plans.append(
            Plan(body, DocumentStatus.PUBLISHED, _title(rng, body), published, filed_after, cleanup)
        )
    # Due for a reminder: five-year documents ending within six months, a 试行 one too.
    for days, form in (
        (4 * 365 + 240, "实施办法"),
        (4 * 365 + 300, "管理办法"),
        (365 + 300, "试行办法"),
        (365 + 200, "暂行办法"),
    ):
        body = rng.choice(bodies)
        plans.append(
            Plan(
                body,
                DocumentStatus.PUBLISHED,
                _title(rng, body, form),
                today - datetime.timedelta(days=days),
                20,
            )
        )
    # Filed late, and not filed at all three months on (overdue), whatever the draws above.
    for days, filed_after in ((200, 60), (90, None)):
        body = rng.choice(bodies)
        plans.append(
            Plan(
                body,
                DocumentStatus.PUBLISHED,
                _title(rng, body),
                today - datetime.timedelta(days=days),
                filed_after,
            )
        )
    # The procedure in progress today.
    open_stages = [
        DocumentStatus.DRAFT,
        DocumentStatus.COMMENTING,
        DocumentStatus.UNDER_REVIEW,
        DocumentStatus.REVIEW_FAILED,
        DocumentStatus.REVIEW_PASSED,
        DocumentStatus.DELIBERATED,
        DocumentStatus.ISSUED,
    ]
    for n in range(max(count - len(plans), len(open_stages))):
        body = rng.choice(bodies)
        plans.append(Plan(body, open_stages[n % len(open_stages)], _title(rng, body)))
    return plans


def _register(plan: Plan, actor: User) -> NormativeDocument:
    short = plan.body.name.replace("台儿庄区", "区")
    form = next((f for f in FORMS if plan.title.endswith(f)), "办法")
    topics = [*TOWNSHIP_TOPICS, *(t for own in TOPICS.values() for t in own)]
    topic = next(t for t in topics if t in plan.title)
    return actions.register_document(
        actor=actor,
        issuing_body=plan.body,
        title=plan.title,
        drafting_unit=f"{short}法制科",
        body=TEXT.format(topic=topic, form=form, short=short),
        summary=f"为{topic}，起草本{form}。",
    )


def _through_review(
    document: NormativeDocument, actor: User, reviewers: Reviewers, today: datetime.date
) -> None:
    actions.waive_comment(document, actor=actor, reason="已通过座谈会听取有关单位和群众代表意见")
    review = _submitted_days_ago(document, actor, today, 10)
    actions.review_document(
        review,
        reviewer=reviewers.of(document),
        passed=True,
        opinion="制定主体适格，内容合法，程序完备。",
    )


def _submitted_days_ago(
    document: NormativeDocument, actor: User, today: datetime.date, days: int
) -> LegalityReview:
    """Demo only: the request made `days` ago, so the review had its 5 working days (115号)."""
    review = actions.submit_for_review(document, actor=actor)
    submitted = today - datetime.timedelta(days=days)
    due = rules.review_due(submitted)
    LegalityReview.objects.filter(pk=review.pk).update(submitted_on=submitted, due_on=due)
    review.refresh_from_db()
    assert review.reviewing_unit is not None
    # The draft was registered and the comment decision taken two weeks before the request.
    registered = submitted - datetime.timedelta(days=14)
    NormativeDocument.objects.filter(pk=document.pk).update(registered_on=registered)
    for type_, day in (
        (EventType.REGISTERED, registered),
        (EventType.COMMENT_WAIVED, registered),
        (EventType.SUBMITTED_FOR_REVIEW, submitted),
    ):
        moment = timezone.make_aware(datetime.datetime.combine(day, datetime.time(10)))
        DocumentEvent.objects.filter(document=document, type=type_).update(created_at=moment)
    DocumentEvent.objects.filter(document=document, type=EventType.SUBMITTED_FOR_REVIEW).update(
        note=f"审核机构 {review.reviewing_unit.name}，审核期限 {due:%Y-%m-%d}"
    )
    return review


def _walk_published(
    plan: Plan, rng: random.Random, actor: User, reviewers: Reviewers, today: datetime.date
) -> None:
    assert plan.published_on is not None
    published = plan.published_on
    issued = _issued_on(plan)
    deliberated = issued - datetime.timedelta(days=rng.randint(1, 10))
    document = _register(plan, actor)
    _through_review(document, actor, reviewers, today)
    actions.deliberate_document(
        document, actor=actor, meeting=_meeting(plan.body), held_on=deliberated, result="approved"
    )
    actions.issue_document(document, actor=actor, issued_on=issued)
    actions.publish_document(
        document, actor=actor, published_on=published, channel="台儿庄区人民政府网站"
    )
    if plan.filed_after is not None:
        actions.file_document(
            document,
            actor=actor,
            filed_on=published + datetime.timedelta(days=plan.filed_after),
            reference=f"备{published.year}-{rng.randint(1, 300):03d}",
        )
    document.refresh_from_db()
    decided: datetime.date | None = None
    if plan.cleanup:
        decided = max(
            published + datetime.timedelta(days=3 * 365), today - datetime.timedelta(days=200)
        )
        if document.valid_until is not None and decided <= min(today, document.valid_until):
            _clean_up(document, actor, plan.cleanup, decided)
    registered = deliberated - datetime.timedelta(days=45)
    submitted = deliberated - datetime.timedelta(days=25)
    reviewed = min(
        max(deliberated - datetime.timedelta(days=6), rules.earliest_normal_review(submitted)),
        deliberated,
    )
    days: dict[str, datetime.date] = {
        EventType.REGISTERED: registered,
        EventType.COMMENT_WAIVED: registered,
        EventType.SUBMITTED_FOR_REVIEW: submitted,
        EventType.REVIEW_PASSED: reviewed,
        EventType.DELIBERATED: deliberated,
        EventType.ISSUED: issued,
        EventType.PUBLISHED: published,
    }
    if document.filed_on is not None:
        days[EventType.FILED] = document.filed_on
    if decided is not None:
        days[EventType.CLEANED_UP] = decided
    _backdate(document, days)


def _clean_up(
    document: NormativeDocument, actor: User, result: str, decided: datetime.date
) -> None:
    """A clean-up: abolished, or continued, re-evaluated and re-published the same day with a new
    validity counted from then (at most the ceiling)."""
    continued = result == CleanupResult.CONTINUED
    actions.clean_up_document(
        document,
        actor=actor,
        result=result,
        decided_on=decided,
        note="规范性文件集中清理",
        republication=actions.Republication(
            evaluation="经评估，文件实施情况良好，制定依据未发生变化，需要继续执行。",
            published_on=decided,
            channel="台儿庄区人民政府网站",
        )
        if continued
        else None,
    )


def _meeting(body: IssuingBody) -> str:
    if body.kind == BodyKind.DISTRICT_GOVERNMENT:
        return "区政府常务会议"
    if body.kind == BodyKind.TOWNSHIP:
        return "党政联席会议"
    return "局长办公会议"


def _walk_open(
    plan: Plan, rng: random.Random, actor: User, reviewers: Reviewers, today: datetime.date
) -> None:
    document = _register(plan, actor)
    stage = plan.stage
    if stage == DocumentStatus.DRAFT:
        return
    if stage == DocumentStatus.COMMENTING:
        actions.open_comment(
            document,
            actor=actor,
            starts_on=today - datetime.timedelta(days=3),
            ends_on=today + datetime.timedelta(days=12),
            # Recorded today, started before: the earlier days count only as a backfill (ADR 0010).
            backfill_reason="征求意见稿已于开始日期在《台儿庄报》刊登，线下同步征求意见。",
        )
        for content in ("建议明确具体办理时限。", "第三条职责分工建议进一步细化。")[
            : rng.randint(0, 2)
        ]:
            actions.submit_comment(document, content=content)
        return
    if stage == DocumentStatus.UNDER_REVIEW:
        actions.waive_comment(document, actor=actor, reason="内部管理制度调整，不涉及公众权利义务")
        # Half submitted a while ago and past the review deadline, half within it.
        _submitted_days_ago(document, actor, today, 30 if rng.random() < 0.5 else rng.randint(0, 3))
        return
    if stage == DocumentStatus.REVIEW_FAILED:
        actions.waive_comment(
            document, actor=actor, reason="落实上级限期部署的紧急事项，经主要负责人批准"
        )
        review = _submitted_days_ago(document, actor, today, 12)
        actions.review_document(
            review,
            reviewer=reviewers.of(document),
            passed=False,
            opinion="第五条设定了罚款，超越规范性文件权限，应予删除。",
        )
        return
    _through_review(document, actor, reviewers, today)
    if stage == DocumentStatus.REVIEW_PASSED:
        return
    actions.deliberate_document(
        document, actor=actor, meeting=_meeting(plan.body), held_on=today, result="approved"
    )
    if stage == DocumentStatus.ISSUED:
        actions.issue_document(document, actor=actor)


def _backdate(document: NormativeDocument, days: dict[str, datetime.date]) -> None:
    """Demo only: put the steps of an old document at their plausible dates (the actions record
    today's date for registration, review and the timeline)."""
    NormativeDocument.objects.filter(pk=document.pk).update(
        registered_on=days[EventType.REGISTERED]
    )
    due = rules.review_due(days[EventType.SUBMITTED_FOR_REVIEW])
    LegalityReview.objects.filter(document=document).update(
        submitted_on=days[EventType.SUBMITTED_FOR_REVIEW],
        due_on=due,
        reviewed_on=days[EventType.REVIEW_PASSED],
    )
    review = LegalityReview.objects.select_related("reviewing_unit").get(document=document)
    assert review.reviewing_unit is not None
    DocumentEvent.objects.filter(document=document, type=EventType.SUBMITTED_FOR_REVIEW).update(
        note=f"审核机构 {review.reviewing_unit.name}，审核期限 {due:%Y-%m-%d}"
    )
    for type_, day in days.items():
        moment = timezone.make_aware(datetime.datetime.combine(day, datetime.time(10)))
        DocumentEvent.objects.filter(document=document, type=type_).update(created_at=moment)
