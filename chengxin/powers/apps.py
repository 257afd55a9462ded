from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PowersConfig(AppConfig):
    name = "chengxin.powers"
    label = "powers"
    verbose_name = _("行政权力清单")
