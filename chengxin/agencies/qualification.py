"""Who may hold an enforcement certificate (agencies.rules explains the rules and their sources):
a holder passed the qualification exam and is established staff of a kind the district accepts.

Apart from agencies.rules so that EnforcementOfficer.clean() can ask it without an import circle:
this module reads the officer it is given and imports no model.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from chengxin.agencies.choices import Staffing
from chengxin.core import local_settings
from chengxin.core.local_settings import InvalidSetting

ESTABLISHED = (
    Staffing.ADMINISTRATIVE,
    Staffing.CIVIL_SERVICE_MANAGED,
    Staffing.PUBLIC_INSTITUTION,
)


def _established_only(value: str) -> None:
    """The setting may narrow the established kinds, never admit a non-established one."""
    codes = [code.strip() for code in value.split(",") if code.strip()]
    if not codes:
        raise InvalidSetting(_("至少保留一种编制身份。"))
    unknown = [code for code in codes if code not in ESTABLISHED]
    if unknown:
        raise InvalidSetting(
            _("只能从 %(allowed)s 中选择；工勤、劳务派遣等非在编人员不得持有执法证。")
            % {"allowed": ",".join(ESTABLISHED)}
        )


CERTIFICATE_STAFFING = local_settings.declare(
    "agencies.certificate_staffing",
    _l("执法人员：可以持有行政执法证的编制身份"),
    ",".join(ESTABLISHED),
    _l(
        "逗号分隔：administrative（行政编制）、civil_service_managed（参照公务员法管理事业编制）、"
        "public_institution（事业编制）。默认三者均可；工勤、劳务派遣及其他非在编人员一律不得持证"
        "（行政处罚法第四十二条；各地行政执法证件管理办法要求在编在岗）。"
    ),
    validator=_established_only,
)


def allowed_staffing() -> frozenset[str]:
    """The 编制身份 that may hold a certificate here (the setting; never a non-established one)."""
    value = str(local_settings.get(CERTIFICATE_STAFFING.key))
    codes = {code.strip() for code in value.split(",")}
    return frozenset(codes) & frozenset(ESTABLISHED) or frozenset(ESTABLISHED)


def certificate_problems(officer: Any) -> dict[str, str]:
    """Why `officer` may not hold a certificate, by field (empty: may). Checked by
    EnforcementOfficer.clean() for a holder (在岗 or 暂停): the form, the import and the
    actions all refuse such an officer."""
    problems: dict[str, str] = {}
    if not officer.exam_passed:
        problems["exam_passed"] = _(
            "执法资格考试未通过的，不得持有行政执法证（行政处罚法第四十二条：行政处罚应当由"
            "具有行政执法资格的执法人员实施）。"
        )
    if officer.staffing and officer.staffing not in allowed_staffing():
        problems["staffing"] = _(
            "编制身份为“%(staffing)s”的人员不得持有行政执法证：只有本地认可的在编人员可以持证"
            "（本地设置 agencies.certificate_staffing）。"
        ) % {"staffing": Staffing(officer.staffing).label}
    return problems
