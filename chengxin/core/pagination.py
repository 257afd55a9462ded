"""The `page` query parameter, read one way by every list, public and staff.

A page number is ASCII digits and nothing else: `?page=abc`, `-1`, `²`, `①`, a full-width `１`
or a blank inside is a malformed request (HTTP 400), never silently page 1 as
`Paginator.get_page` would have it. A number past the last page, `0` or a number too long for
the database (`99999999999999999999`, `2**63`) is a page that does not exist (HTTP 404): it is
answered before any row is read, so no database ever sees an OFFSET it cannot hold (that was an
OverflowError, HTTP 500). Both exceptions carry a Chinese `public_message` that the error pages
show (chengxin.core.views).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeVar

from django.core.exceptions import BadRequest
from django.core.paginator import Page, Paginator
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _

if TYPE_CHECKING:
    from django.core.paginator import _SupportsPagination

__all__ = ["MalformedPageNumber", "PageNotFound", "page_number", "paginate"]

PAGE_PARAMETER = "page"
# A longer number is past any last page (and Python refuses int() of a few thousand digits).
_MAX_DIGITS = 18

T = TypeVar("T")


class MalformedPageNumber(BadRequest):
    """`?page=` that is not a page number."""

    def __init__(self) -> None:
        self.public_message = _("页码应为正整数（半角数字）。")
        super().__init__(self.public_message)


class PageNotFound(Http404):
    """A page number past the last page (or 0)."""

    def __init__(self) -> None:
        self.public_message = _("没有这一页：页码超出了范围。")
        super().__init__(self.public_message)


def page_number(value: str | None, *, last: int | None = None) -> int:
    """The page number `value` asks for: 1 when it is absent or empty.

    :raises MalformedPageNumber: when `value` is not ASCII digits.
    :raises PageNotFound: for 0, a number past `last` (when given), or one too long to be a page.
    """
    if not value:
        return 1
    if not (value.isascii() and value.isdigit()):
        raise MalformedPageNumber
    if len(value.lstrip("0")) > _MAX_DIGITS:
        raise PageNotFound
    number = int(value)
    if number < 1 or (last is not None and number > last):
        raise PageNotFound
    return number


def paginate(request: HttpRequest, object_list: _SupportsPagination[T], per_page: int) -> Page[T]:
    """The page of `object_list` that `?page=` asks for (see `page_number`).

    One COUNT query, then the page's rows when the page is iterated, as `Paginator.get_page`.
    An empty list has one (empty) page.
    """
    paginator = Paginator(object_list, per_page)
    number = page_number(request.GET.get(PAGE_PARAMETER))
    if number > paginator.num_pages:
        raise PageNotFound
    return paginator.page(number)
