from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DisputesConfig(AppConfig):
    name = "chengxin.disputes"
    label = "disputes"
    verbose_name = _("行政争议与法治能力")
