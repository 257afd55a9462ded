from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DecisionsConfig(AppConfig):
    name = "chengxin.decisions"
    label = "decisions"
    verbose_name = _("重大行政决策")
