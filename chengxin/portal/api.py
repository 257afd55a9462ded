"""The public JSON API: the portal's data for other sites and apps (no login, rate-limited)."""

from __future__ import annotations

import datetime
import decimal
from typing import Any

from django.http import Http404, HttpRequest, JsonResponse
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_safe

from chengxin.core.identifiers import mask_id_number, normalise
from chengxin.portal import queries
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


@csrf_exempt  # no cookies, no session: nothing to forge
@require_http_methods(["GET", "HEAD", "POST"])
@limited("search")
def subjects(request: HttpRequest) -> JsonResponse:
    """GET ?q=… or POST q=… (use POST for ID numbers: a URL ends up in logs)."""
    data = request.POST if request.method == "POST" else request.GET
    query = data.get("q", "")[:100]
    if not query.strip():
        return _json({"error": "缺少查询参数 q。"}, status=400)
    page = data.get("page", "1")
    result = queries.search(query, int(page) if page.isdigit() and int(page) > 0 else 1)
    if result.error:
        return _json({"error": result.error}, status=400)
    return _json(
        {
            "query": mask_id_number(normalise(result.query))
            if result.kind == "id_number"
            else result.query,
            "match": result.kind,
            "page": result.page,
            "has_next": result.has_next,
            "results": [subject_summary(s) for s in result.subjects],
        }
    )


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
OPENAPI: dict[str, Any] = {
    "openapi": "3.1.0",
    "info": {
        "title": "chengxin 公共信用信息查询接口",
        "version": "1.0.0",
        "description": "仅返回公示期内的信息；自然人姓名和证件号码已部分隐去。按来源地址限流（HTTP 429）。",
    },
    "paths": {
        "/api/v1/public/subjects": {
            "get": {
                "summary": "按统一社会信用代码、证件号码（精确）或名称（至少 2 个字）查询信用主体",
                "description": "按名称查询时，名称与查询词完全相同的排在最前，其余按名称由短到长排列。",
                "parameters": [
                    {
                        "name": "q",
                        "in": "query",
                        "required": True,
                        "schema": {"type": "string", "maxLength": 100},
                    },
                    {"name": "page", "in": "query", "schema": {"type": "integer", "minimum": 1}},
                ],
                "responses": {
                    "200": {
                        "description": "查询结果",
                        "content": {
                            "application/json": {
                                "schema": {
                                    "type": "object",
                                    "properties": {
                                        "query": {"type": "string"},
                                        "match": {"type": "string"},
                                        "page": {"type": "integer"},
                                        "has_next": {"type": "boolean"},
                                        "results": {"type": "array", "items": SUBJECT},
                                    },
                                }
                            }
                        },
                    },
                    "400": {"description": "查询条件不足"},
                    "429": {"description": "查询过于频繁"},
                },
            }
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
                    "404": {"description": "不存在"},
                    "429": {"description": "查询过于频繁"},
                },
            }
        },
    },
}
