"""Start-up of an import's validation process (spawned: it must import no model before setup)."""

import os


def start() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "chengxin.settings")
    import django

    django.setup()
