"""National reference data of 联合奖惩: business scenarios, list types and base-list measures.

The national list types and the measures of 《全国失信惩戒措施基础清单》 (2024 edition) as the
district applies them. Installed by migration 0002 and available to tests and the demo; later
changes are made by the credit office in the staff area, each in the change log, and local
supplementary measures (补充清单) are added the same way.
"""

from __future__ import annotations

from typing import Any

SCENARIOS = [
    ("administrative_licensing", "行政许可", 10),
    ("administrative_confirmation", "行政确认", 20),
    ("other_approval", "其他行政权力事项", 30),
    ("government_procurement", "政府采购", 40),
    ("bidding", "招标投标", 50),
    ("public_resource_trading", "公共资源交易", 60),
    ("land_transfer", "国有土地出让", 70),
    ("fiscal_subsidy", "财政资金补助", 80),
    ("honours", "评优评先", 90),
    ("public_office", "公职任用", 100),
    ("daily_supervision", "日常监管", 110),
]

COURT_RULE = "《最高人民法院关于公布失信被执行人名单信息的若干规定》（法释〔2017〕7号）"
LIST_TYPES = [
    (
        "judgment_defaulter",
        "失信被执行人",
        "dishonesty",
        "人民法院",
        COURT_RULE + "；《中华人民共和国民事诉讼法》",
        False,
    ),
    (
        "major_tax_violation",
        "重大税收违法失信主体",
        "dishonesty",
        "税务机关",
        "《重大税收违法失信主体信息公布管理办法》（国家税务总局令第54号）",
        True,
    ),
    (
        "procurement_violation",
        "政府采购严重违法失信行为记录名单",
        "dishonesty",
        "财政部门",
        "《中华人民共和国政府采购法》第二十二条、第七十七条；《政府采购法实施条例》",
        True,
    ),
    (
        "work_safety",
        "安全生产严重失信主体",
        "dishonesty",
        "应急管理部门",
        "《安全生产严重失信主体名单管理办法》（应急管理部令第11号）",
        True,
    ),
    (
        "wage_arrears",
        "拖欠农民工工资失信联合惩戒对象",
        "dishonesty",
        "人力资源社会保障部门",
        "《保障农民工工资支付条例》第四十八条；《拖欠农民工工资失信联合惩戒对象名单管理暂行办法》"
        "（人力资源社会保障部令第45号）",
        True,
    ),
    (
        "a_grade_taxpayer",
        "A级纳税人",
        "trust",
        "税务机关",
        "《纳税信用管理办法》；《关于对纳税信用A级纳税人实施联合激励措施的合作备忘录》"
        "（发改财金〔2016〕1467号）",
        True,
    ),
]

GUIDING_OPINION = (
    "《国务院关于建立完善守信联合激励和失信联合惩戒制度加快推进社会诚信建设的指导意见》"
    "（国发〔2016〕33号）"
)
DISHONESTY = [
    "judgment_defaulter",
    "major_tax_violation",
    "procurement_violation",
    "work_safety",
    "wage_arrears",
]
# (code, measure, kind, effect, legal basis, list types, scenarios)
MEASURES = [
    (
        "JC-01",
        "限制参加政府采购活动",
        "punishment",
        "restrict",
        "《中华人民共和国政府采购法》第二十二条、第七十七条；" + GUIDING_OPINION,
        DISHONESTY,
        ["government_procurement", "public_resource_trading"],
    ),
    (
        "JC-02",
        "限制参与依法必须招标的工程建设项目投标",
        "punishment",
        "restrict",
        "《中华人民共和国招标投标法实施条例》；" + GUIDING_OPINION,
        DISHONESTY,
        ["bidding", "public_resource_trading"],
    ),
    (
        "JC-03",
        "限制取得政府供应土地",
        "punishment",
        "restrict",
        COURT_RULE + "；" + GUIDING_OPINION,
        ["judgment_defaulter", "major_tax_violation"],
        ["land_transfer"],
    ),
    (
        "JC-04",
        "限制申请、获得财政资金补助和政策支持",
        "punishment",
        "restrict",
        GUIDING_OPINION,
        DISHONESTY,
        ["fiscal_subsidy"],
    ),
    (
        "JC-05",
        "不得参加评优评先、授予荣誉称号",
        "punishment",
        "prohibit",
        GUIDING_OPINION,
        DISHONESTY,
        ["honours"],
    ),
    (
        "JC-06",
        "行政许可从严审核，不适用告知承诺制",
        "punishment",
        "strict_review",
        "《中华人民共和国行政许可法》；" + GUIDING_OPINION,
        DISHONESTY,
        ["administrative_licensing", "administrative_confirmation", "other_approval"],
    ),
    (
        "JC-07",
        "列为重点监管对象，提高抽查比例和频次",
        "punishment",
        "key_supervision",
        "《国务院办公厅关于进一步完善失信约束制度构建诚信建设长效机制的指导意见》"
        "（国办发〔2020〕49号）；" + GUIDING_OPINION,
        DISHONESTY,
        ["daily_supervision", "administrative_licensing"],
    ),
    (
        "JC-08",
        "限制担任国有企业法定代表人、董事、监事、高级管理人员",
        "punishment",
        "restrict",
        COURT_RULE + "；" + GUIDING_OPINION,
        ["judgment_defaulter"],
        ["public_office"],
    ),
    (
        "JL-01",
        "行政许可容缺受理",
        "incentive",
        "tolerance_acceptance",
        "《关于对纳税信用A级纳税人实施联合激励措施的合作备忘录》（发改财金〔2016〕1467号）",
        ["a_grade_taxpayer"],
        ["administrative_licensing", "other_approval"],
    ),
    (
        "JL-02",
        "行政审批绿色通道、优先办理",
        "incentive",
        "green_channel",
        "《关于对纳税信用A级纳税人实施联合激励措施的合作备忘录》（发改财金〔2016〕1467号）",
        ["a_grade_taxpayer"],
        ["administrative_licensing", "administrative_confirmation", "other_approval"],
    ),
    (
        "JL-03",
        "评优评先同等条件下优先考虑",
        "incentive",
        "priority",
        GUIDING_OPINION,
        ["a_grade_taxpayer"],
        ["honours", "fiscal_subsidy"],
    ),
]


def install(apps: Any) -> None:
    """Create or update the national catalogue (idempotent); `apps` is an app registry."""
    scenario_model = apps.get_model("screening", "Scenario")
    list_type_model = apps.get_model("screening", "ListType")
    measure_model = apps.get_model("screening", "Measure")
    scenarios = {
        code: scenario_model.objects.update_or_create(
            code=code, defaults={"name": name, "position": position}
        )[0]
        for code, name, position in SCENARIOS
    }
    list_types = {}
    for code, name, kind, authority, basis, repairable in LIST_TYPES:
        list_types[code], _created = list_type_model.objects.update_or_create(
            code=code,
            defaults={
                "name": name,
                "kind": kind,
                "listing_authority": authority,
                "legal_basis": basis,
                "is_repairable": repairable,
            },
        )
    for code, name, kind, effect, basis, types, scenario_codes in MEASURES:
        measure, _created = measure_model.objects.update_or_create(
            code=code,
            defaults={
                "name": name,
                "kind": kind,
                "effect": effect,
                "source": "national",
                "edition": "2024 年版",
                "legal_basis": basis,
            },
        )
        measure.list_types.set([list_types[t] for t in types])
        measure.scenarios.set([scenarios[s] for s in scenario_codes])


def uninstall(apps: Any) -> None:
    apps.get_model("screening", "Measure").objects.filter(source="national").delete()
    apps.get_model("screening", "ListType").objects.filter(
        code__in=[row[0] for row in LIST_TYPES]
    ).delete()
    apps.get_model("screening", "Scenario").objects.filter(
        code__in=[row[0] for row in SCENARIOS]
    ).delete()
