"""`chengxin outbox_recover`: requeue messages whose worker died while sending (run from cron)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from chengxin.outbox.tasks import recover_stalled


class Command(BaseCommand):
    help = "Put messages stuck in 'sending' back in the queue (same idempotency key)."

    def handle(self, *args: Any, **options: Any) -> None:
        count = recover_stalled.call()
        self.stdout.write(f"requeued {count} message(s)")
