from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def query_with(context: dict[str, Any], **changes: Any) -> str:
    """The current query string with some parameters replaced, e.g. {% query_with page=2 %}."""
    query = context["request"].GET.copy()
    for key, value in changes.items():
        query[key] = value
    return "?" + str(query.urlencode())
