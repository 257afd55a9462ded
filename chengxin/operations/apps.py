from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OperationsConfig(AppConfig):
    """Running the installation: the commands that act on every app at once.

    `chengxin backup` / `restore` (the database and every app's files), `chengxin demo` (every
    app's demo steps) and `chengxin rotate_data_key` (every model's encrypted fields). They sit
    above every app (docs/architecture.md, "Layers"), so `core` stays free of imports of the apps.
    """

    name = "chengxin.operations"
    label = "operations"
    verbose_name = _("运行维护")
