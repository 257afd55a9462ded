"""The rules of the public search that the search page and the JSON API share.

- An ID number travels only in a POST body, never in a URL: a URL is written to the web
  server's access log, the proxy's, the browser's history. A GET whose query is one, in any
  spelling (`core.identifiers.looks_like_id_number`: blanks, full-width characters, a lower-case
  x, the old 15-digit form), is refused with HTTP 400 before anything is looked up, and the
  number is only ever shown back masked.
- Page numbers are read as every list reads them (`core.pagination`): malformed is a 400, a page
  past the last one a 404.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from chengxin.core.identifiers import looks_like_id_number, mask_id_number
from chengxin.core.pagination import PageNotFound, page_number
from chengxin.portal import queries

# Past this, a name search would skip more subjects than a district has (20 a page).
MAX_PAGE = 10_000

PAGE_ID_NUMBER_REFUSED = _(
    "身份证号码不能写在网址中（网址会被记入服务器日志）。请在下面的查询框中输入号码并点击“查询”。"
)
API_ID_NUMBER_REFUSED = _(
    "身份证号码不能写在网址中（网址会被记入服务器日志）。请改用 POST /api/v1/public/subjects，"
    "在请求体中提交 q（表单或 JSON），见 /api/v1/public/openapi.json。"
)


def must_be_posted(query: str) -> bool:
    """Whether `query` may be sent only in a POST body: it is, or may be, an ID number."""
    return looks_like_id_number(query)


def shown_query(query: str) -> str:
    """The query as a page or the API may show it back: an ID number masked."""
    return mask_id_number(query) if looks_like_id_number(query) else query


def search_page(query: str, page: str | None) -> queries.SearchResult:
    """`queries.search` on the page `page` asks for.

    :raises core.pagination.MalformedPageNumber: `page` is not a page number.
    :raises core.pagination.PageNotFound: the page is past the last page of results.
    """
    number = page_number(page, last=MAX_PAGE)
    result = queries.search(query, number)
    if number > 1 and not result.subjects and not result.error:
        raise PageNotFound
    return result
