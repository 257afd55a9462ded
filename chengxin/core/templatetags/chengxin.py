from __future__ import annotations

from typing import Any

from django import template

from chengxin.core import identifiers

register = template.Library()


@register.simple_tag(takes_context=True)
def query_with(context: dict[str, Any], **changes: Any) -> str:
    """The current query string with some parameters replaced, e.g. {% query_with page=2 %}."""
    query = context["request"].GET.copy()
    for key, value in changes.items():
        query[key] = value
    return "?" + str(query.urlencode())


@register.filter
def attr(obj: Any, name: str) -> Any:
    """obj.<name>, for templates that walk a list of field names."""
    return getattr(obj, name, "")


@register.filter
def mul(value: Any, factor: Any) -> int:
    return int(value) * int(factor)


@register.filter
def mask_name(name: str) -> str:
    return identifiers.mask_name(name)


@register.filter
def field_value(obj: Any, name: str) -> Any:
    """A record's field as people read it (DecisionRecord.display)."""
    display = getattr(obj, "display", None)
    return display(name) if callable(display) else getattr(obj, name, "")
