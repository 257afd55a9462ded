"""The decisions chapter of the annual rule-of-law report (年度法治政府建设报告).

Counted for the calendar year: the decisions of that year's catalogue; those decided (collective
discussion held) in the year, and of these how many went through each procedure — a skipped
conditional step is not counted as done; the public comments received in consultations that
opened in the year.
"""

from __future__ import annotations

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from chengxin.decisions.choices import StepKind, StepStatus
from chengxin.decisions.models import MajorDecision, PublicComment
from chengxin.reports.figures import Figure, Section

PROCEDURE_FIGURES = (
    (StepKind.PUBLIC_PARTICIPATION, "public_participation", _("其中经公众参与")),
    (StepKind.EXPERT_REVIEW, "expert_review", _("其中经专家论证")),
    (StepKind.RISK_ASSESSMENT, "risk_assessment", _("其中经风险评估")),
    (StepKind.LEGALITY_REVIEW, "legality_review", _("其中经合法性审查")),
    (StepKind.COLLECTIVE_DISCUSSION, "collective_discussion", _("其中经集体讨论决定")),
)


def sections(year: int) -> list[Section]:
    list_url = reverse("decisions:list")
    in_catalogue = MajorDecision.objects.filter(catalogue__year=year).count()
    decided = MajorDecision.objects.decided_in(year)
    counts = decided.aggregate(
        total=Count("id", distinct=True),
        **{
            key: Count(
                "steps",
                filter=Q(steps__kind=kind, steps__status=StepStatus.COMPLETED),
                distinct=True,
            )
            for kind, key, _label in PROCEDURE_FIGURES
        },
    )
    comments = PublicComment.objects.filter(consultation__opens_on__year=year).count()
    figures = [
        Figure(
            "decisions.in_catalogue",
            _("列入年度决策事项目录的事项"),
            in_catalogue,
            _("项"),
            f"{list_url}?year={year}",
        ),
        Figure(
            "decisions.decided",
            _("年内作出的重大行政决策"),
            counts["total"],
            _("项"),
            f"{list_url}?decided={year}",
            _("以集体讨论决定的会议日期计。"),
        ),
        *(
            Figure(
                f"decisions.{key}",
                label,
                counts[key],
                _("项"),
                list_url,
                _("不含说明理由未适用的。"),
            )
            for _kind, key, label in PROCEDURE_FIGURES
        ),
        Figure(
            "decisions.comments",
            _("公开征求意见收到的公众意见"),
            comments,
            _("条"),
            reverse("decisions:dashboard"),
        ),
    ]
    return [Section("decisions", _("重大行政决策"), tuple(figures))]
