"""Code tables of major administrative decisions (重大行政决策), 《重大行政决策程序暂行条例》
(国务院令第713号, in force from 2019-09-01)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class ScopeCategory(models.TextChoices):
    """What makes a matter a major decision: art. 3 para. 1 items (1)–(5)."""

    PUBLIC_POLICY = "public_policy", _("（一）重大公共政策和措施")
    PLAN = "plan", _("（二）重要规划")
    RESOURCES = "resources", _("（三）重要自然资源和文化资源开发利用")
    CONSTRUCTION = "construction", _("（四）重大公共建设项目")
    OTHER = "other", _("（五）其他重大事项")


class StepKind(models.TextChoices):
    """The procedure in the order of the regulation: ch. 2 sections 2–4 (公众参与 arts. 14–18,
    专家论证 arts. 19–21, 风险评估 arts. 22–24), ch. 3 (合法性审查 arts. 25–28, 集体讨论决定
    arts. 29–31), 公布 (art. 32). 后评估 (art. 36) is not a step: it happens when triggered."""

    PUBLIC_PARTICIPATION = "public_participation", _("公众参与")
    EXPERT_REVIEW = "expert_review", _("专家论证")
    RISK_ASSESSMENT = "risk_assessment", _("风险评估")
    LEGALITY_REVIEW = "legality_review", _("合法性审查")
    COLLECTIVE_DISCUSSION = "collective_discussion", _("集体讨论决定")
    PUBLICATION = "publication", _("决策公布")


STEP_ORDER: tuple[str, ...] = tuple(StepKind.values)

# The five procedures of art. 4 (公众参与、专家论证、风险评估、合法性审查、集体讨论决定). Which of
# them a district makes mandatory for every decision is the local setting
# decisions.mandatory_steps (rules.mandatory_steps; default: all five). The regulation makes
# 专家论证 and 风险评估 conditional ("专业性、技术性较强的", art. 19; "可能对社会稳定、公共安全等
# 方面造成不利影响的", art. 22) and lets 公众参与 give way for matters 依法不予公开 (art. 14): a
# district that does not make them mandatory may skip them with a reason and a second person's
# approval.
PROCEDURES: tuple[str, ...] = (
    StepKind.PUBLIC_PARTICIPATION,
    StepKind.EXPERT_REVIEW,
    StepKind.RISK_ASSESSMENT,
    StepKind.LEGALITY_REVIEW,
    StepKind.COLLECTIVE_DISCUSSION,
)
# Never skipped, whatever the setting: 合法性审查 (art. 25: 决策草案提交决策机关讨论前，应当由负责
# 合法性审查的部门进行合法性审查；不得以征求意见等方式代替合法性审查), 集体讨论决定 (art. 30: 决策
# 草案应当经决策机关常务会议或者全体会议讨论), 公布 (art. 32).
ALWAYS_MANDATORY = frozenset(
    {StepKind.LEGALITY_REVIEW, StepKind.COLLECTIVE_DISCUSSION, StepKind.PUBLICATION}
)


class StepStatus(models.TextChoices):
    PENDING = "pending", _("未开始")
    IN_PROGRESS = "in_progress", _("进行中")
    COMPLETED = "completed", _("已完成")
    SKIPPED = "skipped", _("不适用（已说明理由）")


DONE_STATUSES = (StepStatus.COMPLETED, StepStatus.SKIPPED)


class Stage(models.TextChoices):
    """Where a decision stands: the step under way, then its outcome."""

    PLANNED = "planned", _("已列入目录，尚未启动")
    PUBLIC_PARTICIPATION = "public_participation", _("公众参与")
    EXPERT_REVIEW = "expert_review", _("专家论证")
    RISK_ASSESSMENT = "risk_assessment", _("风险评估")
    LEGALITY_REVIEW = "legality_review", _("合法性审查")
    COLLECTIVE_DISCUSSION = "collective_discussion", _("集体讨论决定")
    PUBLICATION = "publication", _("已决定，待公布")
    IMPLEMENTED = "implemented", _("已公布实施")
    POST_EVALUATION = "post_evaluation", _("决策后评估")
    NOT_ADOPTED = "not_adopted", _("未予通过")


OPEN_STAGES = (
    Stage.PLANNED,
    Stage.PUBLIC_PARTICIPATION,
    Stage.EXPERT_REVIEW,
    Stage.RISK_ASSESSMENT,
    Stage.LEGALITY_REVIEW,
    Stage.COLLECTIVE_DISCUSSION,
    Stage.PUBLICATION,
)


class RiskLevel(models.TextChoices):
    LOW = "low", _("低风险")
    MEDIUM = "medium", _("中风险")
    HIGH = "high", _("高风险")


class LegalityConclusion(models.TextChoices):
    """The legal office's conclusion (art. 27: authority, procedure, content)."""

    PENDING = "pending", _("审查中")
    PASSED = "passed", _("合法，同意提交讨论")
    FAILED = "failed", _("不合法或须修改后重新送审")


class MeetingType(models.TextChoices):
    """Art. 30: 政府常务会议 or 政府全体会议."""

    STANDING = "standing", _("常务会议")
    PLENARY = "plenary", _("全体会议")


class HeadDecision(models.TextChoices):
    """Art. 30: the head speaks last and decides."""

    ADOPTED = "adopted", _("通过")
    NOT_ADOPTED = "not_adopted", _("不予通过")


class CommentHandling(models.TextChoices):
    PENDING = "pending", _("待处理")
    ADOPTED = "adopted", _("采纳")
    PARTLY_ADOPTED = "partly_adopted", _("部分采纳")
    NOT_ADOPTED = "not_adopted", _("未采纳")


class EvaluationTrigger(models.TextChoices):
    """Art. 36: when the deciding body organises a post-evaluation (决策后评估)."""

    SHORTFALL = "shortfall", _("实施后明显未达到预期效果")
    PUBLIC_FEEDBACK = "public_feedback", _("公民、法人或者其他组织提出较多意见")
    BODY_DECIDED = "body_decided", _("决策机关认为有必要")


class EventType(models.TextChoices):
    DECISION_ADDED = "decision_added", _("列入决策事项目录")
    STEP_PLANNED = "step_planned", _("安排环节")
    CONSULTATION_OPENED = "consultation_opened", _("公开征求意见")
    HEARING_RECORDED = "hearing_recorded", _("记录听证会")
    PUBLIC_PARTICIPATION_COMPLETED = "public_participation_completed", _("公众参与完成")
    EXPERT_REVIEW_COMPLETED = "expert_review_completed", _("专家论证完成")
    RISK_ASSESSMENT_COMPLETED = "risk_assessment_completed", _("风险评估完成")
    STEP_SKIP_PROPOSED = "step_skip_proposed", _("提出环节不适用")
    STEP_SKIPPED = "step_skipped", _("环节不适用")
    STEP_SKIP_REFUSED = "step_skip_refused", _("不同意环节不适用")
    LEGALITY_SUBMITTED = "legality_submitted", _("送合法性审查")
    LEGALITY_PASSED = "legality_passed", _("合法性审查通过")
    LEGALITY_FAILED = "legality_failed", _("合法性审查未通过")
    DISCUSSED = "discussed", _("集体讨论决定")
    PUBLISHED = "published", _("决策公布")
    EVALUATION_STARTED = "evaluation_started", _("启动决策后评估")
    EVALUATION_COMPLETED = "evaluation_completed", _("决策后评估完成")
    COMMENT_HANDLED = "comment_handled", _("处理公众意见")
    DOCUMENT_ADDED = "document_added", _("上传材料")
