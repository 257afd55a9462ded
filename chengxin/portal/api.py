"""The public JSON API: the portal's data for other sites and apps (no login, rate-limited)."""

from __future__ import annotations

import datetime
import decimal
import json
from typing import Any

from django.http import Http404, HttpRequest, JsonResponse
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_safe

from chengxin.portal import queries, searching
from chengxin.portal.masking import public_name
from chengxin.portal.queries import PUBLIC_LICENSE_FIELDS, PUBLIC_PENALTY_FIELDS
from chengxin.portal.throttle import limited
from chengxin.publicity import standard
from chengxin.screening.models import ListEntry
from chengxin.subjects.choices import SubjectCategory
from chengxin.subjects.models import Subject


def _json(data: Any, status: int = 200) -> JsonResponse:
    return JsonResponse(data, status=status, safe=False, json_dumps_params={"ensure_ascii": False})


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
        "category": SubjectCategory(subject.category).label,
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


@csrf_exempt  # no cookies, no session: nothing to forge
@require_http_methods(["GET", "HEAD", "POST"])
@limited("search")
def subjects(request: HttpRequest) -> JsonResponse:
    """GET ?q=… for names and credit codes; POST q=… (a form or a JSON object) for anything.

    An ID number is accepted only in a POST body: a URL ends up in logs, so a GET whose q is one
    is refused (HTTP 400) before anything is looked up (`portal.searching`).
    """
    try:
        query, page = _search_parameters(request)
    except SearchInputError as exc:
        return _json({"error": str(exc.message)}, status=400)
    query = query[:100]
    if not query.strip():
        return _json({"error": str(_("缺少查询参数 q。"))}, status=400)
    if request.method != "POST" and searching.must_be_posted(query):
        return _json({"error": str(searching.API_ID_NUMBER_REFUSED)}, status=400)
    result = searching.search_page(query, page)
    if result.error:
        return _json({"error": result.error}, status=400)
    return _json(
        {
            "query": searching.shown_query(result.query),
            "match": result.kind,
            "page": result.page,
            "has_next": result.has_next,
            "results": [subject_summary(s) for s in result.subjects],
        }
    )


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


@require_safe
@limited("search")
def subject(request: HttpRequest, key: str) -> JsonResponse:
    found = queries.find_subject(key)
    if found is None:
        raise Http404
    data = queries.profile(found)
    return _json(
        subject_summary(found)
        | {
            "as_of": data.on.isoformat(),
            "licenses": [_record(r, PUBLIC_LICENSE_FIELDS, "license") for r in data.licenses],
            "penalties": [_record(r, PUBLIC_PENALTY_FIELDS, "penalty") for r in data.penalties],
            "list_memberships": [_membership(entry) for entry in data.memberships],
        }
    )


def _membership(entry: ListEntry) -> dict[str, Any]:
    return {
        "list": entry.list_type.name,
        "kind": entry.list_type.get_kind_display(),
        "listing_authority": entry.listing_authority,
        "document_number": entry.document_number,
        "basis": entry.basis,
        "listed_on": entry.listed_on.isoformat(),
        "ends_on": entry.ends_on.isoformat() if entry.ends_on else None,
        "legal_basis": entry.list_type.legal_basis,
    }


@require_safe
def openapi(request: HttpRequest) -> JsonResponse:
    return _json(OPENAPI)


SUBJECT = {
    "type": "object",
    "properties": {
        "id": {"type": "string", "format": "uuid", "description": "公开编号"},
        "name": {"type": "string", "description": "名称（自然人部分隐去）"},
        "category": {"type": "string", "enum": ["法人及非法人组织", "自然人", "个体工商户"]},
        "credit_code": {"type": "string", "description": "统一社会信用代码（自然人为空）"},
        "id_number": {"type": "string", "description": "证件号码（仅自然人，已隐去中间 8 位）"},
        "url": {"type": "string"},
    },
}
ERROR = {
    "type": "object",
    "required": ["error"],
    "properties": {"error": {"type": "string", "description": "中文错误说明"}},
}
SEARCH_RESULT = {
    "type": "object",
    "required": ["query", "match", "page", "has_next", "results"],
    "properties": {
        "query": {"type": "string", "description": "查询词（证件号码已隐去中间部分）"},
        "match": {"type": "string", "enum": ["code", "id_number", "name"]},
        "page": {"type": "integer", "minimum": 1},
        "has_next": {"type": "boolean"},
        "results": {"type": "array", "items": SUBJECT},
    },
}
SEARCH_BODY = {
    "type": "object",
    "required": ["q"],
    "properties": {
        "q": {
            "type": "string",
            "maxLength": 100,
            "description": "统一社会信用代码、完整的证件号码或名称（至少 2 个字）",
        },
        "page": {"type": "integer", "minimum": 1, "description": "页码，默认 1"},
    },
}


def _error(description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": ERROR}}}


SEARCH_RESPONSES = {
    "200": {
        "description": "查询结果（每页 20 个）",
        "content": {"application/json": {"schema": SEARCH_RESULT}},
    },
    "400": _error("查询条件不足、页码不是正整数，或以 GET 方式提交了证件号码"),
    "404": _error("页码超出结果范围"),
    "429": _error("查询过于频繁（响应头 Retry-After 为需等待的秒数）"),
}
OPENAPI: dict[str, Any] = {
    "openapi": "3.1.0",
    "info": {
        "title": "chengxin 公共信用信息查询接口",
        "version": "1.1.0",
        "description": "仅返回公示期内的信息；自然人姓名和证件号码已部分隐去。按来源地址限流（HTTP 429）。"
        '错误均以 JSON 返回：{"error": "中文说明"}。',
    },
    "paths": {
        "/api/v1/public/subjects": {
            "get": {
                "summary": "按统一社会信用代码或名称（至少 2 个字）查询信用主体",
                "description": "按名称查询时，名称与查询词完全相同的排在最前，其余按名称由短到长排列。"
                "证件号码不得放在网址中（网址会被记入日志）：q 为证件号码（含全角、空格、小写 x、"
                "15 位旧号码等写法）的 GET 请求一律返回 400，请改用 POST。",
                "parameters": [
                    {
                        "name": "q",
                        "in": "query",
                        "required": True,
                        "description": "统一社会信用代码或名称（证件号码请用 POST）",
                        "schema": {"type": "string", "maxLength": 100},
                    },
                    {"name": "page", "in": "query", "schema": {"type": "integer", "minimum": 1}},
                ],
                "responses": SEARCH_RESPONSES,
            },
            "post": {
                "summary": "按统一社会信用代码、证件号码（精确）或名称查询信用主体",
                "description": "查询条件放在请求体中，不进入网址和日志；按证件号码查询自然人只能用此方式。"
                "请求体为表单（application/x-www-form-urlencoded）或 JSON 对象，结果与 GET 相同。",
                "requestBody": {
                    "required": True,
                    "content": {
                        "application/x-www-form-urlencoded": {"schema": SEARCH_BODY},
                        "application/json": {"schema": SEARCH_BODY},
                    },
                },
                "responses": SEARCH_RESPONSES,
            },
        },
        "/api/v1/public/subjects/{id}": {
            "get": {
                "summary": "信用主体及其公示期内的行政许可、行政处罚信息（字段为国家标准字段代码）"
                "和有效的名单信息（list_memberships）",
                "parameters": [
                    {
                        "name": "id",
                        "in": "path",
                        "required": True,
                        "description": "公开编号，或法人及非法人组织的统一社会信用代码",
                        "schema": {"type": "string"},
                    }
                ],
                "responses": {
                    "200": {"description": "信用主体"},
                    "404": _error("不存在"),
                    "429": _error("查询过于频繁"),
                },
            }
        },
    },
}
