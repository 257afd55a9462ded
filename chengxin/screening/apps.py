from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ScreeningConfig(AppConfig):
    name = "chengxin.screening"
    label = "screening"
    verbose_name = _("联合奖惩")

    def ready(self) -> None:
        from django.db.models.signals import m2m_changed, post_delete, post_save

        from chengxin.core.public_data import notify_public_data_changed
        from chengxin.screening.catalogue import bump_catalogue_version
        from chengxin.screening.models import ListType, Measure, Scenario

        # Infrastructure, like a search index: the cached catalogue follows every change.
        for model in (Measure, ListType, Scenario):
            post_save.connect(bump_catalogue_version, sender=model, dispatch_uid=f"cat-{model}")
            post_delete.connect(bump_catalogue_version, sender=model, dispatch_uid=f"catd-{model}")
        for through in (
            Measure.list_types.through,
            Measure.scenarios.through,
            Measure.departments.through,
        ):
            m2m_changed.connect(
                bump_catalogue_version, sender=through, dispatch_uid=f"catm-{through}"
            )
        # A list type switched on or off changes which entries are in force: the cached public
        # pages show list memberships.
        for signal, uid in ((post_save, "public-listtype"), (post_delete, "public-listtype-d")):
            signal.connect(notify_public_data_changed, sender=ListType, dispatch_uid=uid)
