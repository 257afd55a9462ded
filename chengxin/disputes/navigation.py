"""The staff menu section of disputes and legal capacity."""

from django.db.models import Model
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from chengxin.core.navigation import NavItem
from chengxin.disputes.models import (
    Litigation,
    MediationCase,
    MediationRoom,
    PreAppointmentExam,
    Reconsideration,
    StudyRecord,
    TrainingSession,
)


def _list(label: str | Promise, slug: str, model: type[Model]) -> NavItem:
    return NavItem(label, "disputes:list", model, {"register": slug})


STAFF_SECTION = (
    _("行政争议与法治能力"),
    (
        NavItem(_("出庭率与纠错率"), "disputes:dashboard", Reconsideration),
        _list(_("行政复议"), "reconsiderations", Reconsideration),
        _list(_("行政应诉"), "litigations", Litigation),
        _list(_("调解室"), "mediation-rooms", MediationRoom),
        _list(_("调解案件"), "mediation-cases", MediationCase),
        _list(_("任前法律知识考试"), "exams", PreAppointmentExam),
        _list(_("培训"), "trainings", TrainingSession),
        _list(_("学法记录"), "study-records", StudyRecord),
    ),
)
PUBLIC_LINKS = ((_("人民调解室"), "disputes_public:mediation_rooms"),)
