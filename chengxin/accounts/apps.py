from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "chengxin.accounts"
    label = "accounts"
    verbose_name = _("账户与部门")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from chengxin.accounts import permissions
        from chengxin.accounts.middleware import mark_refreshed_on_login
        from chengxin.core import permissions as core_permissions

        core_permissions.provide(permissions)  # core asks through it (core/permissions.py)

        user_logged_in.connect(mark_refreshed_on_login, dispatch_uid="accounts-session-refreshed")
