"""The OpenAPI 3 document of the credit-check API (served at /api/v1/checks/openapi.json)."""

from __future__ import annotations

from typing import Any

from chengxin.screening.choices import CheckOutcome, Feedback, MatchKind


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _json(schema: dict[str, Any], description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


ERRORS = {
    "400": _json(_ref("Error"), "请求格式错误或字段无效（field 指明字段）"),
    "401": _json(_ref("Error"), "缺少或无效的接口令牌"),
}
ID_PARAMETER = {
    "name": "id",
    "in": "path",
    "required": True,
    "description": "核查编号",
    "schema": {"type": "integer"},
}
TEXT = {"type": "string"}
NULLABLE_DATE = {"type": ["string", "null"], "format": "date"}

SCHEMAS: dict[str, Any] = {
    "Error": {
        "type": "object",
        "required": ["error"],
        "properties": {
            "error": {"type": "string", "description": "中文错误说明"},
            "field": {
                "type": "string",
                "description": "出错的字段，如 scenario、subjects[3].credit_code",
            },
        },
    },
    "Subject": {
        "type": "object",
        "description": "被核查主体：名称、统一社会信用代码、证件号码至少填写一项",
        "properties": {
            "name": {"type": "string", "maxLength": 200, "description": "名称或姓名"},
            "credit_code": {"type": "string", "description": "统一社会信用代码（18 位）"},
            "id_number": {"type": "string", "maxLength": 32, "description": "自然人证件号码"},
        },
    },
    "CheckRequest": {
        "allOf": [
            _ref("Subject"),
            {
                "type": "object",
                "required": ["scenario", "matter"],
                "properties": {
                    "scenario": {
                        "type": "string",
                        "description": "业务场景代码，如 administrative_licensing（行政许可）、"
                        "government_procurement（政府采购）、bidding（招标投标）",
                    },
                    "matter": {
                        "type": "string",
                        "maxLength": 200,
                        "description": "审批事项或项目编号",
                    },
                },
            },
        ]
    },
    "BatchRequest": {
        "type": "object",
        "required": ["scenario", "matter", "subjects"],
        "properties": {
            "scenario": {"type": "string", "description": "业务场景代码"},
            "matter": {"type": "string", "maxLength": 200, "description": "审批事项或项目编号"},
            "subjects": {
                "type": "array",
                "minItems": 1,
                "maxItems": 1000,
                "items": _ref("Subject"),
            },
        },
    },
    "Found": {
        "type": "object",
        "description": "命中的名单条目（applied 为 true），或疑似条目（suspected 为 true、applied 为 "
        "false：仅供人工核实，不采取任何措施）",
        "properties": {
            "entry": {"type": "integer", "description": "名单条目编号"},
            "match": {"type": "string", "enum": [kind.value for kind in MatchKind]},
            "score": {"type": "integer", "description": "相似度 0–100（命中为 100）"},
            "explanation": TEXT,
            "suspected": {"type": "boolean"},
            "applied": {"type": "boolean"},
            "list_type": {"type": "string", "description": "名单名称"},
            "list_kind": {"type": "string", "enum": ["dishonesty", "trust"]},
            "subject_name": TEXT,
            "credit_code": TEXT,
            "id_number": {"type": "string", "description": "证件号码（已隐去中间 8 位）"},
            "listing_authority": {"type": "string", "description": "认定部门"},
            "document_number": {"type": "string", "description": "认定文书号"},
            "basis": {"type": "string", "description": "认定依据及事由"},
            "legal_basis": {"type": "string", "description": "名单设立依据"},
            "valid_from": {"type": "string", "format": "date", "description": "列入日期"},
            "valid_until": {**NULLABLE_DATE, "description": "有效期至（null 表示长期）"},
        },
    },
    "Measure": {
        "type": "object",
        "description": "按业务场景和核查单位适用的清单内措施",
        "properties": {
            "id": {"type": "integer"},
            "code": {"type": "string", "description": "措施编号"},
            "name": TEXT,
            "kind": {"type": "string", "enum": ["punishment", "incentive"]},
            "effect": TEXT,
            "legal_basis": {"type": "string", "description": "法律依据"},
            "entry": {"type": "integer", "description": "引起该措施的名单条目"},
        },
    },
    "Check": {
        "type": "object",
        "properties": {
            "id": {"type": "integer"},
            "created_at": {"type": "string", "format": "date-time"},
            "department": {"type": "string", "description": "核查单位（令牌所属单位）"},
            "requested_by": TEXT,
            "channel": TEXT,
            "scenario": {
                "type": "object",
                "properties": {"code": TEXT, "name": TEXT},
            },
            "matter": TEXT,
            "input": {
                "type": "object",
                "properties": {
                    "name": TEXT,
                    "credit_code": TEXT,
                    "id_number": {"type": "string", "description": "已隐去中间 8 位"},
                },
            },
            "outcome": {"type": "string", "enum": [outcome.value for outcome in CheckOutcome]},
            "hits": {"type": "array", "items": _ref("Found")},
            "measures": {"type": "array", "items": _ref("Measure")},
            "candidates": {"type": "array", "items": _ref("Found")},
            "feedback": {
                "type": "object",
                "properties": {
                    "status": {"type": "string", "enum": [value.value for value in Feedback]},
                    "due": NULLABLE_DATE,
                    "reason": TEXT,
                    "at": {"type": ["string", "null"], "format": "date-time"},
                },
            },
        },
    },
    "Feedback": {
        "type": "object",
        "required": ["feedback"],
        "properties": {
            "feedback": {"type": "string", "enum": [Feedback.TAKEN, Feedback.NOT_TAKEN]},
            "reason": {"type": "string", "description": "未采取措施时必填"},
        },
    },
}

OPENAPI: dict[str, Any] = {
    "openapi": "3.1.0",
    "info": {
        "title": "chengxin 联合奖惩信用核查接口",
        "version": "1.0.0",
        "description": "供审批、公共资源交易等业务系统调用。以接口令牌（Bearer）认证，令牌账户须为某单位的"
        "信用核查员，核查均以该单位名义进行并留存；只能查看本单位的核查记录。证件号码只返回隐去中间 8 "
        "位的形式。疑似结果（名称相似）仅供人工核实，不自动采取措施。",
    },
    "components": {
        "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
        "schemas": SCHEMAS,
    },
    "security": [{"bearer": []}],
    "paths": {
        "/api/v1/checks": {
            "post": {
                "summary": "核查一个主体",
                "requestBody": {
                    "required": True,
                    "content": {"application/json": {"schema": _ref("CheckRequest")}},
                },
                "responses": {
                    "201": _json(_ref("Check"), "核查结果（已留存）"),
                    **ERRORS,
                    "403": _json(_ref("Error"), "令牌账户无权核查"),
                },
            }
        },
        "/api/v1/checks/batch": {
            "post": {
                "summary": "批量核查 1 至 1,000 个主体",
                "requestBody": {
                    "required": True,
                    "content": {"application/json": {"schema": _ref("BatchRequest")}},
                },
                "responses": {
                    "201": _json(
                        {
                            "type": "object",
                            "properties": {
                                "count": {"type": "integer"},
                                "hits": {"type": "integer"},
                                "candidates": {"type": "integer"},
                                "checks": {"type": "array", "items": _ref("Check")},
                            },
                        },
                        "各主体的核查结果，顺序同请求",
                    ),
                    **ERRORS,
                    "403": _json(_ref("Error"), "令牌账户无权核查"),
                },
            }
        },
        "/api/v1/checks/{id}": {
            "get": {
                "summary": "留存的核查结果",
                "parameters": [ID_PARAMETER],
                "responses": {
                    "200": _json(_ref("Check"), "核查记录"),
                    "401": ERRORS["401"],
                    "404": _json(_ref("Error"), "不存在或属于其他单位"),
                },
            }
        },
        "/api/v1/checks/{id}/feedback": {
            "post": {
                "summary": "反馈措施采取情况（已采取 / 未采取并说明理由）",
                "parameters": [ID_PARAMETER],
                "requestBody": {
                    "required": True,
                    "content": {"application/json": {"schema": _ref("Feedback")}},
                },
                "responses": {
                    "200": _json(_ref("Check"), "已记录反馈的核查"),
                    **ERRORS,
                    "404": _json(_ref("Error"), "不存在或属于其他单位"),
                    "422": _json(_ref("Error"), "该核查无需反馈"),
                },
            }
        },
    },
}
