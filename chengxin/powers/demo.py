"""The demo power list of 台儿庄区: about 320 items across the ten categories, published at the
start of the year before last, with 新增 / 变更 / 取消 adjustments last year and this year.

Shared with later steps (cases, licensing and penalty records):
- ctx.shared["power_items"]: [PowerItem in the list today];
- ctx.shared["power_items_by_department"]: {department key: [PowerItem in the list today]}.
"""

from __future__ import annotations

import datetime
import random

from django.utils import timezone

from chengxin.accounts.models import Department
from chengxin.core.demo_district import DIVISION
from chengxin.core.demodata import DemoContext
from chengxin.powers import actions
from chengxin.powers.models import PowerCategory, PowerItem

# Department key → (matters, legal basis): what its powers are about.
MATTERS: dict[str, tuple[tuple[str, ...], str]] = {
    "ndrc": (("价格", "固定资产投资项目节能", "粮食流通"), "《中华人民共和国价格法》"),
    "education": (("民办学校办学", "校外培训机构", "教师资格"), "《中华人民共和国民办教育促进法》"),
    "industry": (("无线电台站", "工业节能"), "《中华人民共和国无线电管理条例》"),
    "police": (("娱乐场所治安", "旅馆业", "烟花爆竹燃放"), "《中华人民共和国治安管理处罚法》"),
    "civil": (("社会团体", "民办非企业单位", "殡葬服务"), "《社会团体登记管理条例》"),
    "justice": (("律师执业", "基层法律服务"), "《中华人民共和国律师法》"),
    "finance": (("会计信息质量", "政府采购"), "《中华人民共和国会计法》"),
    "hrss": (("劳动用工", "工资支付", "人力资源服务"), "《劳动保障监察条例》"),
    "land": (("土地利用", "矿产资源开采", "林木采伐"), "《中华人民共和国土地管理法》"),
    "environment": (("排污", "建设项目环境影响评价", "危险废物"), "《中华人民共和国环境保护法》"),
    "housing": (("建筑工程施工", "房地产开发", "物业服务"), "《中华人民共和国建筑法》"),
    "transport": (("道路运输经营", "出租汽车", "港口经营"), "《中华人民共和国道路运输条例》"),
    "water": (("取水", "河道管理范围内建设", "水土保持"), "《中华人民共和国水法》"),
    "agriculture": (("农药经营", "种子生产经营", "兽药经营", "渔业捕捞"), "《农药管理条例》"),
    "commerce": (("成品油零售", "单用途预付卡", "报废机动车回收"), "《成品油市场管理办法》"),
    "culture": (("娱乐场所经营", "旅行社经营", "文物保护"), "《娱乐场所管理条例》"),
    "health": (("医疗机构执业", "公共场所卫生", "职业病防治"), "《医疗机构管理条例》"),
    "emergency": (
        ("危险化学品经营", "非煤矿山安全生产", "生产经营单位安全生产"),
        "《中华人民共和国安全生产法》",
    ),
    "statistics": (("统计调查", "统计数据质量"), "《中华人民共和国统计法》"),
    "market": (
        ("食品经营", "特种设备使用", "计量器具", "广告发布", "药品零售"),
        "《中华人民共和国食品安全法》",
    ),
    "medical": (("定点医药机构医保基金使用",), "《医疗保障基金使用监督管理条例》"),
    "approval": (("企业投资项目核准", "施工许可"), "《中华人民共和国行政许可法》"),
    "enforcement": (
        ("城市市容", "户外广告设置", "占道经营", "建筑垃圾处置"),
        "《城市市容和环境卫生管理条例》",
    ),
    "fire": (("公众聚集场所消防安全", "消防设施维护"), "《中华人民共和国消防法》"),
}

# Category code → (abbreviation in 权力编码, share of items, name template).
CATEGORIES: dict[str, tuple[str, int, str]] = {
    "license": ("XK", 10, "{matter}许可"),
    "penalty": ("CF", 42, "对{matter}违法行为的行政处罚"),
    "coercion": ("QZ", 8, "对{matter}相关物品的查封、扣押"),
    "levy": ("ZS", 3, "{matter}相关费用征收"),
    "payment": ("JF", 3, "{matter}相关补助发放"),
    "inspection": ("JC", 16, "对{matter}的监督检查"),
    "confirmation": ("QR", 6, "{matter}相关事项确认"),
    "reward": ("JL", 3, "对{matter}工作中成绩显著的单位和个人给予奖励"),
    "adjudication": ("CJ", 1, "{matter}相关争议裁决"),
    "other": ("QT", 8, "{matter}备案"),
}
TIME_LIMITS = {
    "license": ("20个工作日", "15个工作日", "10个工作日"),
    "penalty": ("90日", "立案之日起90日内"),
    "inspection": ("即时", "按检查计划"),
}


def generate(ctx: DemoContext) -> None:
    rng = ctx.rng("powers")
    today = timezone.localdate()
    departments: dict[str, Department] = ctx.shared.get("departments", {})
    categories = {c.code: c for c in PowerCategory.objects.all()}
    published = datetime.date(today.year - 2, 1, 1)
    keys = [key for key in MATTERS if key in departments]
    if not keys:
        return
    items: list[tuple[str, PowerItem]] = []
    numbers: dict[str, int] = {}
    for _n in range(ctx.volume("power_items", 300)):
        key = rng.choice(keys)
        code = _draw_category(rng)
        items.append((key, _add(rng, key, code, departments, categories, numbers, published)))
    _adjust(rng, items, departments, categories, numbers, today)
    in_force = list(PowerItem.objects.in_force(on=today).select_related("category"))
    by_department: dict[str, list[PowerItem]] = {}
    keys_by_id = {department.pk: key for key, department in departments.items()}
    for item in in_force:
        by_department.setdefault(keys_by_id[item.implementing_department_id], []).append(item)
    ctx.shared["power_items"] = in_force
    ctx.shared["power_items_by_department"] = by_department
    ctx.out.write(f"    power items: {len(in_force)} in force today\n")


def _draw_category(rng: random.Random) -> str:
    codes = list(CATEGORIES)
    return rng.choices(codes, weights=[CATEGORIES[c][1] for c in codes])[0]


def _add(
    rng: random.Random,
    key: str,
    category: str,
    departments: dict[str, Department],
    categories: dict[str, PowerCategory],
    numbers: dict[str, int],
    effective_on: datetime.date,
    *,
    reason: str = "公布区级部门权力清单",
    document: str = "",
) -> PowerItem:
    abbreviation, _share, template = CATEGORIES[category]
    matters, basis = MATTERS[key]
    department_no = list(MATTERS).index(key) + 1
    numbers[abbreviation] = numbers.get(abbreviation, 0) + 1
    code = f"{abbreviation}-{DIVISION}-{department_no:02d}-{numbers[abbreviation]:04d}"
    values = {
        "code": code,
        "name": template.format(matter=rng.choice(matters)),
        "category": categories[category],
        "implementing_department": departments[key],
        "legal_basis": basis,
        "counterpart_kind": rng.choice(("法人", "自然人、法人、非法人组织", "个体工商户、法人")),
        "time_limit": rng.choice(TIME_LIMITS.get(category, ("法定期限内",))),
        "fee_basis": "不收费",
        "supervision_phone": f"0632-66{rng.randint(10000, 99999)}",
    }
    adjustment = actions.add_power_item(
        values,
        actor=None,
        reason=reason,
        document=document or f"台政办发〔{effective_on.year}〕3号",
        effective_on=effective_on,
    )
    return adjustment.item


def _adjust(
    rng: random.Random,
    items: list[tuple[str, PowerItem]],
    departments: dict[str, Department],
    categories: dict[str, PowerCategory],
    numbers: dict[str, int],
    today: datetime.date,
) -> None:
    """Two rounds of 动态调整: mid last year and early this year (not after today)."""
    rounds = (
        (datetime.date(today.year - 1, 6, 30), f"台政办发〔{today.year - 1}〕21号", 15, 18, 8),
        (
            min(today, datetime.date(today.year, 3, 31)),
            f"台政办发〔{today.year}〕6号",
            10,
            12,
            5,
        ),
    )
    pool = list(items)
    rng.shuffle(pool)
    for day, document, added, changed, cancelled in rounds:
        for _n in range(added):
            key = rng.choice(list(MATTERS))
            if key in departments:
                items.append(
                    (
                        key,
                        _add(
                            rng,
                            key,
                            _draw_category(rng),
                            departments,
                            categories,
                            numbers,
                            day,
                            reason="新颁布法规设定的行政权力",
                            document=document,
                        ),
                    )
                )
        for _n in range(changed):
            _key, item = pool.pop()
            item.refresh_from_db()
            actions.change_power_item(
                item,
                {
                    "time_limit": "5个工作日",
                    "legal_basis": f"{item.legal_basis}（{day.year}年修订）",
                },
                actor=None,
                reason="压缩办理时限；设定依据修订",
                document=document,
                effective_on=day,
            )
        for _n in range(cancelled):
            _key, item = pool.pop()
            item.refresh_from_db()
            actions.cancel_power_item(
                item,
                actor=None,
                reason="设定依据废止，取消该事项",
                document=document,
                effective_on=day,
            )
