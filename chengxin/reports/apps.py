from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "chengxin.reports"
    label = "reports"
    verbose_name = _("法治政府年度报告")
