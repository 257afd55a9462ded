"""The 信用修复承诺书 an applicant confirms, generated for the subject and the item."""

from __future__ import annotations

import datetime

from django.utils.translation import gettext as _

from chengxin.portal.masking import public_name
from chengxin.publicity.models import PenaltyRecord
from chengxin.repair.rules import procedure_on
from chengxin.screening.models import ListEntry
from chengxin.subjects.models import Subject


def describe(target: PenaltyRecord | ListEntry) -> str:
    if isinstance(target, PenaltyRecord):
        return _("行政处罚决定（%(number)s，%(authority)s，%(date)s）") % {
            "number": target.decision_number,
            "authority": target.authority or target.data_source,
            "date": target.decision_date.isoformat(),
        }
    return _("%(list)s（认定文书号 %(number)s，%(authority)s）") % {
        "list": target.list_type.name,
        "number": target.document_number,
        "authority": target.listing_authority,
    }


def commitment_text(
    subject: Subject, target: PenaltyRecord | ListEntry, today: datetime.date
) -> str:
    """The commitment as the applicant saw and confirmed it (stored with the application); it
    cites the measure in force on `today`, the application date."""
    return _(
        "信用修复承诺书\n\n"
        "本单位（本人）%(name)s（统一社会信用代码/证件号码：%(code)s）依据%(measure)s，"
        "就%(item)s申请信用修复，郑重承诺：\n"
        "一、已经履行行政处罚决定或者认定文书确定的法定义务，纠正了失信行为；\n"
        "二、所提交的材料真实、准确、完整，不存在虚假记载或者重大遗漏；\n"
        "三、自觉遵守法律法规，诚信经营，不再发生同类失信行为；\n"
        "四、如违反上述承诺，愿意接受撤销修复决定、记入信用记录并依法承担相应责任。\n\n"
        "承诺日期：%(date)s"
    ) % {
        # Shown on a public page: a natural person's name masked like everywhere else there.
        "name": public_name(subject.name, subject.category),
        "code": subject.credit_code or subject.id_number_masked,
        "item": describe(target),
        "measure": procedure_on(today).citation,
        "date": today.isoformat(),
    }
