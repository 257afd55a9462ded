from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "chengxin.core"
    label = "core"
    verbose_name = _("基础数据")

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from chengxin.core import calendar, local_settings
        from chengxin.core.models import LocalSetting

        calendar.connect_cache_invalidation()
        for signal in (post_save, post_delete):
            signal.connect(local_settings.clear_cache, sender=LocalSetting, weak=False)
