"""Demo major decisions: the catalogues of last year and this year, with decisions in every stage.

Everything goes through decisions.actions with past dates, so the demo obeys the same rules as
real use: this year's catalogue has one decision per stage, two open consultations (one with a
shortened period and its reason), an overdue step, and a legality review that failed before it
passed; last year's has published, evaluated and not adopted decisions. The district made all
five procedures mandatory (the default of decisions.mandatory_steps), so no step is skipped; each
request for legality review brings its materials (art. 26), each opinion the legal advisers'
(art. 28), and the drafts on market activity their 公平竞争审查 (art. 29).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.utils import timezone

from chengxin.accounts.models import Department, User
from chengxin.core.demodata import DemoContext
from chengxin.decisions import actions
from chengxin.decisions.choices import (
    CommentHandling,
    EvaluationTrigger,
    HeadDecision,
    LegalityConclusion,
    MeetingType,
    RiskLevel,
    ScopeCategory,
    Stage,
    StepKind,
)
from chengxin.decisions.models import (
    Consultation,
    DecisionCatalogue,
    LegalityReview,
    MajorDecision,
    PublicComment,
)

BACKFILL_REASON = "征求意见稿已于开始日期在《台儿庄报》和区政府网站刊登，线下同步征求意见。"
# Days after the start (t0) on which each step ends; see Plan.
OPENS, CLOSES, PARTICIPATED, EXPERTS, RISKS = 0, 34, 36, 45, 52
SUBMITTED, REVIEWED, DISCUSSED, PUBLISHED = 55, 75, 85, 95


@dataclass
class Plan:
    """One demo decision: where it stops, and its variations."""

    title: str
    unit: str
    category: str
    until: str  # the stage it is left in
    shortened: str = ""  # a reason for a comment period under 30 days
    market: bool = False  # concerns market players' economic activity (art. 29 (一))
    hearing: bool = False
    failed_first: bool = False
    not_adopted: bool = False
    evaluation: str = ""  # "", "open" or "done"


THIS_YEAR = [
    Plan("台儿庄区“十五五”养老服务体系建设规划", "civil", ScopeCategory.PLAN, Stage.PLANNED),
    Plan(
        "台儿庄区农贸市场提升改造和经营管理办法",
        "market",
        ScopeCategory.PUBLIC_POLICY,
        Stage.PUBLIC_PARTICIPATION,
        market=True,
    ),
    Plan(
        "台儿庄区城区防洪排涝工程建设方案",
        "water",
        ScopeCategory.CONSTRUCTION,
        Stage.PUBLIC_PARTICIPATION,
        shortened="汛期前须完成主体工程，经区政府同意缩短征求意见期限。",
    ),
    Plan(
        "台儿庄区老旧小区改造三年行动方案",
        "housing",
        ScopeCategory.PUBLIC_POLICY,
        Stage.EXPERT_REVIEW,
        hearing=True,
    ),
    Plan(
        "台儿庄区国土空间总体规划实施方案",
        "land",
        ScopeCategory.PLAN,
        Stage.RISK_ASSESSMENT,
    ),
    Plan(
        "台儿庄区城乡公交一体化实施方案",
        "transport",
        ScopeCategory.PUBLIC_POLICY,
        Stage.LEGALITY_REVIEW,
        market=True,
    ),
    Plan(
        "台儿庄区大气污染防治重点行业错峰生产方案",
        "environment",
        ScopeCategory.PUBLIC_POLICY,
        Stage.LEGALITY_REVIEW,
        failed_first=True,
        market=True,
    ),
    Plan(
        "台儿庄区义务教育学校布局调整规划",
        "education",
        ScopeCategory.PLAN,
        Stage.COLLECTIVE_DISCUSSION,
    ),
    Plan(
        "台儿庄区基层医疗卫生服务能力提升方案",
        "health",
        ScopeCategory.PUBLIC_POLICY,
        Stage.PUBLICATION,
    ),
    Plan(
        "台儿庄古城文化旅游资源保护利用规划",
        "culture",
        ScopeCategory.RESOURCES,
        Stage.IMPLEMENTED,
        hearing=True,
    ),
]

LAST_YEAR = [
    Plan(
        "台儿庄区生活垃圾分类管理实施方案",
        "housing",
        ScopeCategory.PUBLIC_POLICY,
        Stage.IMPLEMENTED,
    ),
    Plan(
        "台儿庄区运河湿地保护与开发利用规划",
        "land",
        ScopeCategory.RESOURCES,
        Stage.IMPLEMENTED,
        failed_first=True,
        evaluation="done",
    ),
    Plan(
        "台儿庄区城区停车设施建设和收费管理办法",
        "transport",
        ScopeCategory.PUBLIC_POLICY,
        Stage.POST_EVALUATION,
        evaluation="open",
        market=True,
    ),
    Plan(
        "台儿庄区农村供水一体化工程建设方案",
        "water",
        ScopeCategory.CONSTRUCTION,
        Stage.IMPLEMENTED,
    ),
    Plan(
        "台儿庄区城区集中供热价格调整方案",
        "ndrc",
        ScopeCategory.PUBLIC_POLICY,
        Stage.NOT_ADOPTED,
        hearing=True,
        not_adopted=True,
        market=True,
    ),
    Plan(
        "台儿庄区食品安全示范街区建设方案",
        "market",
        ScopeCategory.OTHER,
        Stage.IMPLEMENTED,
    ),
]

ORDER: list[str] = [
    Stage.PLANNED,
    Stage.PUBLIC_PARTICIPATION,
    Stage.EXPERT_REVIEW,
    Stage.RISK_ASSESSMENT,
    Stage.LEGALITY_REVIEW,
    Stage.COLLECTIVE_DISCUSSION,
    Stage.PUBLICATION,
    Stage.IMPLEMENTED,
]

COMMENTS = [
    ("王先生", "建议增加无障碍设施的建设要求。"),
    ("", "希望明确施工期间的临时便民措施。"),
    ("社区居委会", "建议公布资金来源和使用情况，接受群众监督。"),
]


@dataclass
class Demo:
    lawadmin: User
    legal: User
    liaison: User
    departments: dict[str, Department]
    today: datetime.date

    def actor_for(self, decision: MajorDecision) -> User:
        """The lead unit's liaison when it has one in the demo, else the rule-of-law office."""
        return (
            self.liaison if decision.lead_unit_id == self.liaison.department_id else self.lawadmin
        )


def generate(ctx: DemoContext) -> None:
    today = timezone.localdate()
    demo = Demo(
        lawadmin=User.objects.get(username="lawadmin"),
        legal=User.objects.get(username="legal"),
        liaison=User.objects.get(username="liaison"),
        departments=ctx.shared["departments"],
        today=today,
    )
    for year, plans in ((today.year - 1, LAST_YEAR), (today.year, THIS_YEAR)):
        catalogue = actions.create_catalogue(
            actor=demo.lawadmin,
            year=year,
            title=f"台儿庄区人民政府{year}年度重大行政决策事项目录",
            approval_note="经中共台儿庄区委常委会会议研究同意",
            approved_on=min(datetime.date(year, 2, 20), today),
        )
        actions.publish_catalogue(
            catalogue, actor=demo.lawadmin, published_on=min(datetime.date(year, 3, 1), today)
        )
        for plan in plans:
            _build(demo, catalogue, plan, year)


def _start(demo: Demo, plan: Plan, year: int) -> datetime.date:
    """t0: last year's decisions start in March; this year's so their last step is recent."""
    if year < demo.today.year:
        return datetime.date(year, 3, 10)
    offsets: dict[str, int] = {
        Stage.PUBLIC_PARTICIPATION: 10,
        Stage.EXPERT_REVIEW: PARTICIPATED + 12,
        Stage.RISK_ASSESSMENT: EXPERTS + 5,
        Stage.LEGALITY_REVIEW: SUBMITTED + (60 if plan.failed_first else 3),
        Stage.COLLECTIVE_DISCUSSION: REVIEWED + 4,
        Stage.PUBLICATION: DISCUSSED + 3,
        Stage.IMPLEMENTED: PUBLISHED + 20,
    }
    return demo.today - datetime.timedelta(days=offsets.get(plan.until, 0))


def _build(demo: Demo, catalogue: DecisionCatalogue, plan: Plan, year: int) -> None:
    t0 = _start(demo, plan, year)
    decision = actions.add_decision(
        catalogue,
        actor=demo.lawadmin,
        title=plan.title,
        lead_unit=demo.departments[plan.unit],
        scope_category=plan.category,
        planned_completion=datetime.date(year, 11, 30),
        summary=f"{plan.title}，由{demo.departments[plan.unit].name}承办。",
    )
    actor = demo.actor_for(decision)
    stop: dict[str, str] = {
        Stage.NOT_ADOPTED: Stage.COLLECTIVE_DISCUSSION,
        Stage.POST_EVALUATION: Stage.IMPLEMENTED,
    }
    target = ORDER.index(stop.get(plan.until, plan.until))
    steps: list[Callable[[MajorDecision, User, Demo, Plan, datetime.date], None]] = [
        _participate,
        _experts,
        _risks,
        _review,
        _discuss,
        _publish,
    ]
    for index, step in enumerate(steps, start=1):
        if index > target:
            break
        step(decision, actor, demo, plan, t0)
        decision.refresh_from_db()
    if plan.evaluation:
        _evaluate(decision, actor, plan, t0)


def _day(t0: datetime.date, offset: int) -> datetime.date:
    return t0 + datetime.timedelta(days=offset)


def _participate(
    decision: MajorDecision, actor: User, demo: Demo, plan: Plan, t0: datetime.date
) -> None:
    closes = _day(t0, 19 if plan.shortened else CLOSES)
    consultation = actions.open_consultation(
        decision,
        actor=actor,
        draft_title=f"{decision.title}（征求意见稿）",
        draft_text=f"{decision.title}（征求意见稿）\n一、总体要求……\n二、主要任务……\n三、保障措施……",
        opens_on=t0,
        closes_on=closes,
        shortened_reason=plan.shortened,
        # The demo records today what happened before: the days before today count only as a
        # backfill (ADR 0011), as for the decisions of a unit that starts using the system.
        backfill_reason=BACKFILL_REASON if t0 < demo.today else "",
    )
    _comments(consultation, demo.today)
    if plan.until == Stage.PUBLIC_PARTICIPATION:
        _plan(decision, actor, StepKind.PUBLIC_PARTICIPATION, "公众参与负责人", closes)
        return
    if plan.hearing:
        held = _day(t0, 25)
        actions.record_hearing(
            decision,
            actor=actor,
            held_on=held,
            place="区政府第一会议室",
            materials_sent_on=_day(t0, 15),
            participants_published_on=_day(t0, 18),
            participants="利害关系人代表 9 人、人大代表 2 人、政协委员 2 人、专家 2 人",
            record_summary="听证参加人对方案总体赞成，对实施节奏提出意见。",
        )
    for comment in PublicComment.objects.filter(consultation=consultation):
        actions.handle_comment(
            comment,
            actor=actor,
            handling=CommentHandling.ADOPTED if comment.pk % 2 else CommentHandling.NOT_ADOPTED,
            note="已在修改稿中体现。" if comment.pk % 2 else "超出本次决策范围，转有关部门研究。",
        )
    actions.complete_public_participation(
        decision,
        actor=actor,
        result_summary="共收到意见 3 条，采纳 2 条；未采纳 1 条，理由是超出本次决策范围。",
        hearing_not_held_reason=""
        if plan.hearing
        else "不涉及群众切身利益的重大调整，未举行听证会。",
        completed_on=_day(t0, PARTICIPATED),
    )


def _comments(consultation: Consultation, today: datetime.date) -> None:
    for name, content in COMMENTS:
        if consultation.is_open(today):
            actions.submit_comment(consultation, content=content, name=name)
        else:  # a closed consultation's comments, as they arrived during the period
            PublicComment.objects.create(
                consultation=consultation,
                name=name,
                content=content,
                submitted_at=timezone.make_aware(
                    datetime.datetime.combine(consultation.opens_on, datetime.time(10))
                ),
            )


def _plan(decision: MajorDecision, actor: User, kind: str, person: str, due: datetime.date) -> None:
    actions.plan_step(
        decision.steps.get(kind=kind), actor=actor, responsible_person=person, planned_end=due
    )


def _experts(
    decision: MajorDecision, actor: User, demo: Demo, plan: Plan, t0: datetime.date
) -> None:
    if plan.until == Stage.EXPERT_REVIEW:  # left under way, and overdue
        _plan(decision, actor, StepKind.EXPERT_REVIEW, "规划科 张科长", _day(t0, EXPERTS))
        return
    actions.complete_expert_review(
        decision,
        actor=actor,
        opinions=[
            actions.ExpertInput("刘建华", "枣庄学院 公共管理", True, "方案必要、可行。"),
            actions.ExpertInput("陈志远", "市规划设计研究院 城市规划", True, "建议细化分期目标。"),
            actions.ExpertInput(
                "孙丽", "山东理工大学 财政学", False, "资金测算偏乐观，建议分年度安排。"
            ),
        ],
        handling_note="采纳分期目标建议；资金按年度预算安排。",
        completed_on=_day(t0, EXPERTS),
    )


def _risks(decision: MajorDecision, actor: User, demo: Demo, plan: Plan, t0: datetime.date) -> None:
    if plan.until == Stage.RISK_ASSESSMENT:
        _plan(decision, actor, StepKind.RISK_ASSESSMENT, "维稳办 李主任", _day(t0, RISKS + 20))
        return
    actions.complete_risk_assessment(
        decision,
        actor=actor,
        risk_points="施工期间影响群众出行；已制定分段施工和信息公告方案。",
        risk_level=RiskLevel.LOW,
        is_controllable=True,
        completed_on=_day(t0, RISKS),
    )


def _after(planned: datetime.date, earliest: datetime.date, today: datetime.date) -> datetime.date:
    """The planned day moved after an earlier event, never past today."""
    return min(max(planned, earliest), today)


def _conclude(
    review: LegalityReview, demo: Demo, conclusion: str, opinion: str, planned: datetime.date
) -> LegalityReview:
    """Conclude on the planned day, or when 7 working days have run (a holiday week in between),
    or today with the recorded reason the regulation asks for a shorter review."""
    day = _after(planned, review.earliest_normal_conclusion, demo.today)
    short = day < review.earliest_normal_conclusion
    return actions.conclude_legality_review(
        review,
        actor=demo.legal,
        conclusion=conclusion,
        opinion=opinion,
        concluded_on=day,
        short_review_reason="区政府常务会议已确定审议日期，法制机构集中审查。" if short else "",
        counsel="区政府法律顾问 山东运河律师事务所 王立新律师；区司法局公职律师 赵明",
        counsel_opinion="决策事项属于区政府法定权限，草案内容未发现与上位法抵触之处，"
        "建议对实施期限和资金保障作出明确规定。",
    )


def _materials(decision: MajorDecision, plan: Plan) -> actions.ReviewMaterials:
    return actions.ReviewMaterials(
        draft_text=f"{decision.title}（送审稿）\n一、总体要求……\n二、主要任务……\n三、保障措施……",
        legal_basis="《中华人民共和国地方各级人民代表大会和地方各级人民政府组织法》第七十三条；"
        "《重大行政决策程序暂行条例》；有关行业法律、法规和规章。",
        procedure_statement=actions.procedure_statement(decision),
        affects_market_activity=plan.market,
        fair_competition_review="起草单位已开展公平竞争审查，区市场监督管理局会同审查，"
        "未发现排除、限制竞争的内容。"
        if plan.market
        else "",
    )


def _review(
    decision: MajorDecision, actor: User, demo: Demo, plan: Plan, t0: datetime.date
) -> None:
    review = actions.submit_for_legality_review(
        decision,
        actor=actor,
        submitted_on=_day(t0, SUBMITTED),
        materials=_materials(decision, plan),
    )
    if plan.failed_first:
        failed = _conclude(
            review,
            demo,
            LegalityConclusion.FAILED,
            "草案第七条设定的限制措施缺乏法律依据，应当删除后重新送审。",
            _day(t0, SUBMITTED + 12),
        )
        assert failed.concluded_on is not None
        gap = 20 if plan.until == Stage.LEGALITY_REVIEW else 2  # left pending, and overdue
        review = actions.submit_for_legality_review(
            decision,
            actor=actor,
            submitted_on=_after(_day(t0, SUBMITTED + 12 + gap), failed.concluded_on, demo.today),
            materials=_materials(decision, plan),
        )
    if plan.until == Stage.LEGALITY_REVIEW:
        return
    _conclude(
        review,
        demo,
        LegalityConclusion.PASSED,
        "决策事项符合法定权限，程序完备，内容不违反法律、法规和规章的规定。",
        _day(t0, REVIEWED),
    )


def _discuss(
    decision: MajorDecision, actor: User, demo: Demo, plan: Plan, t0: datetime.date
) -> None:
    if plan.until == Stage.COLLECTIVE_DISCUSSION and not plan.not_adopted:
        _plan(
            decision,
            actor,
            StepKind.COLLECTIVE_DISCUSSION,
            "区政府办公室",
            _day(t0, DISCUSSED + 10),
        )
        return
    actions.record_collective_discussion(
        decision,
        actor=actor,
        meeting_type=MeetingType.STANDING,
        meeting_name=f"区政府第{(decision.pk % 40) + 1}次常务会议",
        meeting_date=_after(_day(t0, DISCUSSED), _passed_on(decision), demo.today),
        minutes="会议听取了承办单位的汇报，审议了决策草案及公众参与、专家论证、风险评估和合法性审查情况。",
        head_decision=HeadDecision.NOT_ADOPTED if plan.not_adopted else HeadDecision.ADOPTED,
        departs_from_majority=plan.not_adopted,
        departure_reason="供热企业成本监审尚未完成，调价依据不足，暂不调整。"
        if plan.not_adopted
        else "",
        dissent="一位副区长建议分两年实施。",
    )


def _passed_on(decision: MajorDecision) -> datetime.date:
    passed = actions.legality_passed(decision)
    assert passed is not None and passed.concluded_on is not None
    return passed.concluded_on


def _publish(
    decision: MajorDecision, actor: User, demo: Demo, plan: Plan, t0: datetime.date
) -> None:
    if plan.until == Stage.PUBLICATION:
        return
    number = f"台政发〔{t0.year}〕{decision.pk % 50 + 1}号"
    actions.publish_decision(
        decision,
        actor=actor,
        published_on=_after(_day(t0, PUBLISHED), decision.decided_on or t0, demo.today),
        document_number=number,
        published_text=f"《{decision.title}》已经区政府常务会议研究通过，现予公布，自公布之日起施行。",
        channels="区政府公报、区政府门户网站",
        party_committee_reported_on=decision.decided_on,
    )
    actions.add_document(
        decision.steps.get(kind=StepKind.PUBLICATION),
        actor=actor,
        title=f"{number} {decision.title}",
        file=ContentFile(b"%PDF-1.4\n% demo\n", name="decision.pdf"),
        is_public=True,
    )


def _evaluate(decision: MajorDecision, actor: User, plan: Plan, t0: datetime.date) -> None:
    evaluation = actions.start_post_evaluation(
        decision,
        actor=actor,
        trigger=EvaluationTrigger.PUBLIC_FEEDBACK
        if plan.evaluation == "open"
        else EvaluationTrigger.BODY_DECIDED,
        evaluator="山东省某公共政策评估研究院（未参与决策前论证）",
        started_on=_day(t0, PUBLISHED + 120),
    )
    if plan.evaluation == "done":
        actions.complete_post_evaluation(
            evaluation,
            actor=actor,
            conclusion="决策目标基本实现，建议完善湿地生态补偿机制。",
            completed_on=_day(t0, PUBLISHED + 180),
        )
