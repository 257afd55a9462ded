"""JSON batch API for departments' own systems: POST records in the national standard.

    POST /api/v1/records/penalties        (or /licenses)
    Authorization: Bearer <token>
    {"department": "<统一社会信用代码, optional: the token's department>",
     "records": [{"CF_XDR_MC": "…", "CF_WSH": "…", …}, …]}          at most 1,000 records

The records go through the same pipeline as a file (validation, upsert, corrections); the answer
lists each rejected record by its 1-based index with its problems. 200 when all were accepted,
422 when some were rejected (the others are stored), 400 for a malformed request.
"""

from __future__ import annotations

import json
from typing import Any

from django.http import HttpRequest, JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from chengxin.accounts.models import Department, User
from chengxin.accounts.permissions import IMPORT, can
from chengxin.accounts.tokens import user_for_request
from chengxin.imports.choices import BatchSource, BatchStatus
from chengxin.imports.models import ImportBatch
from chengxin.imports.pipeline import Busy, run_rows
from chengxin.publicity import standard
from chengxin.publicity.choices import RecordKind

MAX_RECORDS = 1000
KINDS = {"licenses": RecordKind.LICENSE, "penalties": RecordKind.PENALTY}


def error(status: int, message: str) -> JsonResponse:
    return JsonResponse(
        {"error": message}, status=status, json_dumps_params={"ensure_ascii": False}
    )


@csrf_exempt
@require_POST
def submit_records(request: HttpRequest, kind: str) -> JsonResponse:
    user = user_for_request(request)
    if user is None:
        return error(401, _("缺少或无效的接口令牌（Authorization: Bearer …）。"))
    try:
        payload = json.loads(request.body)
    except (UnicodeDecodeError, json.JSONDecodeError):
        return error(400, _("请求体不是有效的 JSON。"))
    records = payload.get("records") if isinstance(payload, dict) else None
    if not isinstance(records, list) or not all(isinstance(r, dict) for r in records):
        return error(400, _("records 应为对象数组，每个对象以国家标准字段代码为键。"))
    if not 1 <= len(records) <= MAX_RECORDS:
        return error(400, _("每次提交 1 至 %(max)d 条记录。") % {"max": MAX_RECORDS})
    department = _department(payload.get("department"), user)
    if department is None:
        return error(400, _("未指定数据来源单位（department）或该单位不存在。"))
    if not can(user, IMPORT, ImportBatch(department=department)):
        return error(403, _("该令牌无权为此单位提交数据。"))
    return _run(KINDS[kind], department, user, records)


def _department(code: Any, user: User) -> Department | None:
    if code:
        return Department.objects.filter(
            credit_code=str(code).strip().upper(), is_active=True
        ).first()
    return user.department


def _run(
    kind: str, department: Department, user: User, records: list[dict[str, Any]]
) -> JsonResponse:
    header = [field.code for field in standard.FIELDS[kind]]
    rows = [[record.get(code, "") for code in header] for record in records]
    batch = ImportBatch.objects.create(
        kind=kind, department=department, uploaded_by=user, source=BatchSource.API, file_name="api"
    )
    try:
        batch = run_rows(batch, header, rows)
    except Busy as exc:
        response = error(409, str(exc))
        response["Retry-After"] = "60"
        return response
    if batch.status == BatchStatus.FAILED:
        return error(500, batch.error_message)
    body = {
        "batch": batch.pk,
        "read": batch.rows_read,
        "created": batch.rows_created,
        "updated": batch.rows_updated,
        "unchanged": batch.rows_unchanged,
        "rejected": batch.rows_rejected,
        "errors": [
            {"index": r.row_number, "errors": r.errors}
            for r in batch.rejections.order_by("row_number")
        ],
    }
    return JsonResponse(
        body, status=422 if batch.rows_rejected else 200, json_dumps_params={"ensure_ascii": False}
    )
