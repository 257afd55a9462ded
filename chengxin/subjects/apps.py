from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SubjectsConfig(AppConfig):
    name = "chengxin.subjects"
    label = "subjects"
    verbose_name = _("信用主体")

    def ready(self) -> None:
        from django.db.backends.signals import connection_created

        from chengxin.subjects.search import register_sqlite_functions

        connection_created.connect(
            register_sqlite_functions, dispatch_uid="subjects-sqlite-functions"
        )
