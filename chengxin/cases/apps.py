from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext_lazy as _


def _calendar_day_changed(instance: Any, **_kwargs: Any) -> None:
    from chengxin.cases.actions import refresh_deadlines

    refresh_deadlines(instance.date)


class CasesConfig(AppConfig):
    name = "chengxin.cases"
    label = "cases"
    verbose_name = _("执法案件")

    def ready(self) -> None:
        from chengxin.cases import importing, rules
        from chengxin.cases.penalty_records import note_publication
        from chengxin.core.models import WorkdayOverride
        from chengxin.publicity import hooks
        from chengxin.publicity.actions import PUBLICATION_HOOKS

        # The cases app builds on publicity: it plugs its rules in rather than being called.
        hooks.register(PUBLICATION_HOOKS, note_publication)
        hooks.register(hooks.PENALTY_CHECKS, rules.check_penalty_case)
        hooks.register(hooks.ROW_LINKERS, importing.link_rows)
        hooks.IMPORT_COLUMNS[importing.POWER_CODE] = importing.POWER_CODE_HEADERS

        for signal in (post_save, post_delete):
            signal.connect(
                _calendar_day_changed,
                sender=WorkdayOverride,
                weak=False,
                dispatch_uid=f"cases-deadlines-{signal is post_save}",
            )
