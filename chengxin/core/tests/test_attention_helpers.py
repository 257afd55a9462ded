"""Helpers for the apps' tests of their dashboard items (core.attention); no tests here."""

from __future__ import annotations

import datetime
from typing import Any

from django.test import Client
from django.utils.timezone import localdate

from chengxin.core import attention


def item(key: str) -> attention.Item:
    (found,) = [i for i in attention.all_items() if i.key == key]
    return found


def pending(user: Any, key: str, today: datetime.date | None = None) -> int:
    """The number the dashboard shows `user` for item `key` (0 when the item is not shown)."""
    for row in attention.pending_for(user, today or localdate()):
        if row.item.key == key:
            return row.count
    return 0


def listed(client: Client, user: Any, key: str, context_key: str = "page") -> int:
    """How many rows the item's page lists for `user`: the paginator's count, or the length of
    the page's list `context_key`."""
    client.force_login(user)
    response = client.get(item(key).url)
    assert response.status_code == 200, response.status_code
    rows = response.context[context_key]
    return int(rows.paginator.count) if hasattr(rows, "paginator") else len(rows)
