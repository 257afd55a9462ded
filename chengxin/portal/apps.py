from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "chengxin.portal"
    label = "portal"
    verbose_name = _("信用门户")

    def ready(self) -> None:
        from chengxin.core.public_data import public_data_changed
        from chengxin.portal.cache import rebuild_on_change

        # Whoever changes what the public sees says so; the cached public pages follow.
        public_data_changed.connect(rebuild_on_change, dispatch_uid="portal-public-version")
