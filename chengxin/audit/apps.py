from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "chengxin.audit"
    label = "audit"
    verbose_name = _("审计日志")

    def ready(self) -> None:
        from chengxin.audit import exports, receivers, trail
        from chengxin.core import auditing, spreadsheets

        receivers.connect()
        spreadsheets.add_recorder(exports.append_export)
        auditing.provide(trail.AuditTrail())  # core acts through it (core/auditing.py)
