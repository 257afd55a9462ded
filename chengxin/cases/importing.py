"""What the 双公示 import (publicity.importing) asks of the power list and the cases, per chunk:

- an optional 权力编码 column resolves the record's power item (an unknown code refuses the row);
- a penalty row gets the case decided in its 处罚机关's name with the same 决定书文号 (处罚机关代码 =
  the case's deciding authority, cases.rules.deciding_authority); when the district refuses penalties without a case
  (cases.penalty_without_case = error), a row of an enforcement body without one is refused.

Two queries per chunk (power items, cases) and one for the bodies' codes per chunk when needed.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from chengxin.cases.choices import MissingCasePolicy
from chengxin.cases.models import Case
from chengxin.cases.rules import MISSING_CASE_POLICY, case_required_on, enforcement_body_codes
from chengxin.core import local_settings
from chengxin.powers.models import PowerItem
from chengxin.publicity import standard
from chengxin.publicity.choices import RecordKind

POWER_CODE = "power_item_code"
# Header cells naming the power item's code: the Chinese name and codes seen in feeds (§8).
POWER_CODE_HEADERS = ("权力编码", "权力事项编码", "事项编码", "XK_ITEM_BM", "CF_ITEM_BM")
POWER_CODE_FIELD = standard.Field("QLBM", POWER_CODE, gettext_noop("权力编码"), max_length=50)


def link_rows(kind: str, rows: list[Any]) -> list[tuple[Any, str]]:
    """Set `power_item_id` and (penalties) `case_id` in each valid row's values; return the rows
    refused, each with its problem text (the caller reports them like the standard's)."""
    refused: list[tuple[Any, str]] = []
    codes = {row.values.get(POWER_CODE) for row in rows} - {None, ""}
    items = dict(PowerItem.objects.filter(code__in=codes).values_list("code", "pk"))
    for row in rows:
        code = row.values.get(POWER_CODE)
        if not code:
            continue
        if code not in items:
            problem = standard.Problem(POWER_CODE_FIELD, _("权力清单中没有该权力编码：%s") % code)
            refused.append((row, str(problem)))
        else:
            row.values["power_item_id"] = items[code]
    if kind == RecordKind.PENALTY:
        refused_ids = {id(row) for row, _problem in refused}
        refused += _link_cases([row for row in rows if id(row) not in refused_ids])
    return refused


def _link_cases(rows: list[Any]) -> list[tuple[Any, str]]:
    keys = {
        (row.values.get("authority_credit_code"), row.values["decision_number"]) for row in rows
    }
    found = {
        (code, number): (pk, power_item_id)
        for pk, code, number, power_item_id in Case.objects.filter(
            authority_credit_code__in={code for code, _n in keys if code},
            decision_number__in={number for _c, number in keys},
        ).values_list("pk", "authority_credit_code", "decision_number", "power_item_id")
    }
    strict = local_settings.get(MISSING_CASE_POLICY.key) == MissingCasePolicy.ERROR
    bodies = enforcement_body_codes() if strict else set()
    required = {row.values.get("decision_date") for row in rows}
    required_on = {day: case_required_on(day) for day in required} if strict else {}
    number_field = standard.field_map(RecordKind.PENALTY)["decision_number"]
    refused = []
    for row in rows:
        code = row.values.get("authority_credit_code")
        match = found.get((code, row.values["decision_number"]))
        if match is not None:
            row.values["case_id"] = match[0]
            row.values.setdefault("power_item_id", match[1])
        elif strict and code in bodies and required_on[row.values.get("decision_date")]:
            message = _("处罚机关（%s）是执法主体，该决定书文号没有对应的在线办理案件") % code
            refused.append((row, str(standard.Problem(number_field, message))))
    return refused
