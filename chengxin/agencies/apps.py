from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AgenciesConfig(AppConfig):
    name = "chengxin.agencies"
    label = "agencies"
    verbose_name = _("执法主体与人员")
