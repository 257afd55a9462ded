"""The 信用信息 section of the staff navigation (core.navigation collects it), before 系统管理."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from chengxin.core.navigation import NavItem
from chengxin.subjects.models import Subject

STAFF_SECTION_ORDER = 900
STAFF_SECTION = (
    _("信用信息"),
    (NavItem(_("信用主体"), "admin:subjects_subject_changelist", Subject),),
)
