"""The public JSON API: the portal's data for other sites and apps (django-ninja, no login,
rate-limited per address). Its OpenAPI document, /api/v1/public/openapi.json, is generated
from the schemas below (ADR 0022)."""

from __future__ import annotations

import datetime
import decimal
import json
from typing import Any

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from ninja import Path, Query, Schema
from ninja.throttling import BaseThrottle
from pydantic import Field, create_model

from chengxin.core.api import ApiError, PlainErrorOut, Throttle, make_api
from chengxin.portal import queries, searching
from chengxin.portal.masking import public_name
from chengxin.portal.queries import PUBLIC_LICENSE_FIELDS, PUBLIC_PENALTY_FIELDS
from chengxin.portal.throttle import limited, too_many
from chengxin.publicity import standard
from chengxin.screening.models import ListEntry
from chengxin.subjects.choices import SubjectCategory
from chengxin.subjects.models import Subject

MAX_QUERY = 100


def _allowed(scope: str) -> Throttle:
    """`portal.throttle.limited(scope)` as a ninja throttle: the same per-address budget, the
    same 429, checked before the input is read."""
    passed = limited(scope)(lambda request: HttpResponse(status=204))
    return Throttle(
        lambda request: passed(request).status_code == 204,
        lambda: int(settings.PORTAL_RATE_LIMITS[scope][1]),
    )


SEARCH_LIMIT: list[BaseThrottle] = [_allowed("search")]

api = make_api(
    title="chengxin 公共信用信息查询接口",
    version="1.2.0",
    description="仅返回公示期内的信息；自然人姓名和证件号码已部分隐去。按来源地址限流（HTTP 429，"
    '响应头 Retry-After 为需等待的秒数）。错误均以 JSON 返回：{"error": "中文说明"}。',
    namespace="public_api",
    openapi_url="openapi.json",
    field_messages={"q": _("缺少查询参数 q。"), "page": _("页码应为正整数。")},
    throttled=too_many,
    inline=True,  # read by clients without following references (as it always was)
)


def _value(value: Any) -> Any:
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return format(value.normalize(), "f")
    return value


def subject_summary(subject: Subject) -> dict[str, Any]:
    person = subject.category == SubjectCategory.NATURAL_PERSON
    return {
        "id": str(subject.public_id),
        "name": public_name(subject.name, subject.category),
        "category": str(SubjectCategory(subject.category).label),
        "credit_code": "" if person else subject.credit_code,
        "id_number": subject.id_number_masked if person else "",
        "url": reverse("portal:subject", args=[subject.public_id]),
    }


def _record(record: Any, fields: list[standard.Field], kind: str) -> dict[str, Any]:
    data = {
        field.code: _value(getattr(record, field.attr))
        for field in [
            standard.field_map(kind)["decision_number"],
            standard.field_map(kind)["decision_date"],
            *fields,
        ]
    }
    data["public_until"] = _value(record.public_until)
    return data


class SearchInputError(Exception):
    """A POST body the search cannot read (answered with HTTP 400 and `message`)."""

    def __init__(self, message: str | Promise) -> None:
        super().__init__(message)
        self.message = message


SEARCH_DESCRIPTION = (
    "按名称查询时，名称与查询词完全相同的排在最前，其余按名称由短到长排列。查询词超过 100 个字符的部分"
    "不予考虑。"
)
SEARCH_ERRORS: dict[int, Any] = {400: PlainErrorOut, 404: PlainErrorOut, 429: PlainErrorOut}


class SubjectOut(Schema):
    id: str = Field(description="公开编号", json_schema_extra={"format": "uuid"})
    name: str = Field(description="名称（自然人部分隐去）")
    category: str = Field(
        description="类别", json_schema_extra={"enum": [str(c.label) for c in SubjectCategory]}
    )
    credit_code: str = Field(description="统一社会信用代码（自然人为空）")
    id_number: str = Field(description="证件号码（仅自然人，已隐去中间 8 位）")
    url: str = Field(description="公示页面的地址")


class SearchOut(Schema):
    query: str = Field(description="查询词（证件号码已隐去中间部分）")
    match: str = Field(json_schema_extra={"enum": ["code", "id_number", "name"]})
    page: int = Field(ge=1)
    has_next: bool
    results: list[SubjectOut] = Field(description="查询结果（每页 20 个）")


class SearchIn(Schema):
    q: str = Field(description="统一社会信用代码、完整的证件号码或名称（至少 2 个字）")
    page: int | None = Field(None, ge=1, description="页码，默认 1")


SEARCH_BODY = SearchIn.model_json_schema()


@api.api_operation(
    ["GET", "HEAD"],
    "subjects",
    response={200: SearchOut, **SEARCH_ERRORS},
    throttle=SEARCH_LIMIT,
    summary="按统一社会信用代码或名称（至少 2 个字）查询信用主体",
    description=SEARCH_DESCRIPTION
    + "证件号码不得放在网址中（网址会被记入日志）：q 为证件号码（含全角、空格、小写 x、15 位旧号码等"
    "写法）的 GET 请求一律返回 400，请改用 POST。",
    url_name="api-subjects",
)
def search_subjects(
    request: HttpRequest,
    q: str = Query(..., description="统一社会信用代码或名称（证件号码请用 POST）"),  # type: ignore[type-arg]
    page: str | None = Query(None, description="页码（正整数，半角数字），默认 1", examples=["2"]),  # type: ignore[type-arg]
) -> dict[str, Any]:
    """GET ?q=… for names and credit codes. An ID number is accepted only in a POST body: a URL
    ends up in logs, so a GET whose q is one is refused (HTTP 400) before anything is looked
    up (`portal.searching`)."""
    if searching.must_be_posted(q[:MAX_QUERY]):
        raise ApiError(400, searching.API_ID_NUMBER_REFUSED)
    return _search(q, page)


@api.post(
    "subjects",
    response={200: SearchOut, **SEARCH_ERRORS},
    throttle=SEARCH_LIMIT,
    summary="按统一社会信用代码、证件号码（精确）或名称查询信用主体",
    description="查询条件放在请求体中，不进入网址和日志；按证件号码查询自然人只能用此方式。"
    "请求体为表单（application/x-www-form-urlencoded）或 JSON 对象，结果与 GET 相同。"
    + SEARCH_DESCRIPTION,
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {
                "application/json": {"schema": SEARCH_BODY},
                "application/x-www-form-urlencoded": {"schema": SEARCH_BODY},
            },
        }
    },
)
def search_subjects_posted(request: HttpRequest) -> dict[str, Any]:
    """POST q=… (a form or a JSON object) for anything, ID numbers included. The body is read
    here, not by ninja, because it may be either."""
    try:
        query, page = _search_parameters(request)
    except SearchInputError as exc:
        raise ApiError(400, exc.message) from exc
    return _search(query, page)


def _search(query: str, page: str | None) -> dict[str, Any]:
    query = query[:MAX_QUERY].replace("\x00", "")  # PostgreSQL refuses a NUL in a query
    if not query.strip():
        raise ApiError(400, _("缺少查询参数 q。"))
    result = searching.search_page(query, page)
    if result.error:
        raise ApiError(400, result.error)
    return {
        "query": searching.shown_query(result.query),
        "match": result.kind,
        "page": result.page,
        "has_next": result.has_next,
        "results": [subject_summary(s) for s in result.subjects],
    }


def _search_parameters(request: HttpRequest) -> tuple[str, str | None]:
    """(q, page) from the query string (GET), the form (POST) or a JSON object (POST as
    application/json, where the page may be a number)."""
    if request.method != "POST":
        return request.GET.get("q", ""), request.GET.get("page")
    if request.content_type != "application/json":
        return request.POST.get("q", ""), request.POST.get("page")
    try:
        data = json.loads(request.body)
    except ValueError:
        raise SearchInputError(_("请求体不是有效的 JSON。")) from None
    if not isinstance(data, dict):
        raise SearchInputError(_('请求体应为 JSON 对象，如 {"q": "…"}。'))
    query, page = data.get("q", ""), data.get("page")
    if not isinstance(query, str):
        raise SearchInputError(_("q 应为字符串。"))
    if isinstance(page, int) and not isinstance(page, bool):
        page = str(page)
    if page is not None and not isinstance(page, str):
        raise SearchInputError(_("page 应为正整数。"))
    return query, page


def _record_schema(name: str, kind: str, fields: list[standard.Field]) -> type[Schema]:
    """A record as the public sees it: the standard's field codes, every value a string (a date
    as YYYY-MM-DD, an amount in 万元 as a decimal string) or null."""
    shown = [standard.field_map(kind)["decision_number"], standard.field_map(kind)["decision_date"]]
    definitions: dict[str, Any] = {
        field.code: (str | None, Field(description=field.label)) for field in [*shown, *fields]
    }
    definitions["public_until"] = (str | None, Field(description="公示截止日期"))
    return create_model(name, __base__=Schema, **definitions)


LicenseOut = _record_schema("LicenseOut", "license", PUBLIC_LICENSE_FIELDS)
PenaltyOut = _record_schema("PenaltyOut", "penalty", PUBLIC_PENALTY_FIELDS)


class MembershipOut(Schema):
    list: str = Field(description="名单名称")
    kind: str = Field(description="名单类别")
    listing_authority: str = Field(description="认定部门")
    document_number: str = Field(description="认定文书号")
    basis: str = Field(description="认定依据及事由")
    listed_on: str = Field(description="列入日期", json_schema_extra={"format": "date"})
    ends_on: str | None = Field(description="有效期至（null 表示长期）")
    legal_basis: str = Field(description="名单设立依据")


class ProfileOut(SubjectOut):
    as_of: str = Field(description="信息截至日期", json_schema_extra={"format": "date"})
    licenses: list[LicenseOut]  # type: ignore[valid-type]
    penalties: list[PenaltyOut]  # type: ignore[valid-type]
    list_memberships: list[MembershipOut] = Field(description="有效的名单信息")


@api.api_operation(
    ["GET", "HEAD"],
    "subjects/{id}",
    response={200: ProfileOut, 404: PlainErrorOut, 429: PlainErrorOut},
    throttle=SEARCH_LIMIT,
    summary="信用主体及其公示期内的行政许可、行政处罚信息（字段为国家标准字段代码）"
    "和有效的名单信息（list_memberships）",
    url_name="api-subject",
)
def subject(
    request: HttpRequest,
    key: str = Path(..., alias="id", description="公开编号，或法人及非法人组织的统一社会信用代码"),  # type: ignore[type-arg]
) -> dict[str, Any]:
    # A NUL cannot be in a key, and PostgreSQL refuses it in a query (found by the property run).
    found = None if "\x00" in key else queries.find_subject(key)
    if found is None:
        raise Http404
    data = queries.profile(found)
    return subject_summary(found) | {
        "as_of": data.on.isoformat(),
        "licenses": [_record(r, PUBLIC_LICENSE_FIELDS, "license") for r in data.licenses],
        "penalties": [_record(r, PUBLIC_PENALTY_FIELDS, "penalty") for r in data.penalties],
        "list_memberships": [_membership(entry) for entry in data.memberships],
    }


def _membership(entry: ListEntry) -> dict[str, Any]:
    return {
        "list": entry.list_type.name,
        "kind": str(entry.list_type.get_kind_display()),
        "listing_authority": entry.listing_authority,
        "document_number": entry.document_number,
        "basis": entry.basis,
        "listed_on": entry.listed_on.isoformat(),
        "ends_on": entry.ends_on.isoformat() if entry.ends_on else None,
        "legal_basis": entry.list_type.legal_basis,
    }
