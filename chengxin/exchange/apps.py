from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExchangeConfig(AppConfig):
    name = "chengxin.exchange"
    label = "exchange"
    verbose_name = _("向上级平台报送")

    def ready(self) -> None:
        from chengxin.core import upward
        from chengxin.exchange import actions, delivery
        from chengxin.outbox.delivery import TRANSPORTS

        upward.provide(actions.Reporter())  # the apps report through it (core/upward.py)
        TRANSPORTS[delivery.TOPIC] = delivery.deliver_batch  # the outbox delivers our batches
