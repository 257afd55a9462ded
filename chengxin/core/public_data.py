"""The notice that what the public sees has changed.

An action that publishes, corrects, withdraws or ends the publicity of a record, an import's
release, a list entry added or removed and the district's setup all change the public pages. They
send this notice; the portal, whose cached pages are rebuilt on it (portal/cache.py), listens from
its `AppConfig.ready`. A signal because it is infrastructure, like a search index: the senders sit
below the portal (docs/architecture.md, "Layers") and need not know who keeps a copy.
"""

from __future__ import annotations

from django.dispatch import Signal

public_data_changed = Signal()


def notify_public_data_changed(**_kwargs: object) -> None:
    """Send `public_data_changed` (also usable as a signal receiver or an on-commit callback)."""
    public_data_changed.send(sender=None)
