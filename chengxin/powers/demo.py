"""The demo power list of 台儿庄区: about 320 items across the ten categories, published at the
start of the year before last, with 新增 / 变更 / 取消 adjustments last year and this year. Each
item carries the 责任事项 and 追责情形 of its category. 区市场监管局's liaison has four adjustment
proposals in the four states a walk-through meets: one approved (effective on the first of next
month, so the public list does not show it yet), one passed and waiting for the government's
approval to be recorded, one waiting for review past its time limit, one returned.

Shared with later steps (cases, licensing and penalty records):
- ctx.shared["power_items"]: [PowerItem in the list today];
- ctx.shared["power_items_by_department"]: {department key: [PowerItem in the list today]}.
"""

from __future__ import annotations

import contextlib
import datetime
import random
from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any

from django.utils import timezone

from chengxin.accounts.actions import assign_role
from chengxin.accounts.choices import Role
from chengxin.accounts.models import Department, User
from chengxin.core.demo_district import DIVISION
from chengxin.core.demodata import DEMO_PASSWORD, DemoContext
from chengxin.powers import actions
from chengxin.powers.choices import AdjustmentKind
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
OTHER_DUTIES = (
    "1.受理责任：公示应当提交的材料，一次性告知需要补正的全部内容，依法受理或者不予受理"
    "（不予受理的告知理由）。\n"
    "2.审查责任：对材料进行审查，需要核实的指派两名以上工作人员核查。\n"
    "3.决定责任：在规定期限内作出决定，不予办理的说明理由并告知救济途径。\n"
    "4.送达公开责任：依法送达并公开办理结果。\n"
    "5.其他法律法规规章规定应履行的责任。"
)
OTHER_ACCOUNTABILITY = (
    "因不履行或者不正确履行行政职责，有下列情形之一的，行政机关及相关工作人员应当承担相应责任：\n"
    "1.对符合条件的申请不予受理、不予办理或者不在规定期限内办结的；\n"
    "2.对不符合条件的予以办理的；\n"
    "3.违反法定程序的；\n"
    "4.玩忽职守、滥用职权、徇私舞弊的；\n"
    "5.索取或者收受他人财物、谋取其他利益的；\n"
    "6.其他违反法律法规规章规定的行为。"
)
# Category code → (责任事项, 追责情形), after the pattern of published 权责清单.
DUTIES: dict[str, tuple[str, str]] = {
    "license": (
        "1.受理责任：公示依法应当提交的材料，一次性告知补正材料，依法受理或者不予受理"
        "（不予受理的告知理由）。\n"
        "2.审查责任：对申请材料进行审查，需要实地核查的指派两名以上工作人员核查。\n"
        "3.决定责任：在法定期限内作出准予或者不予许可的决定，不予许可的说明理由并告知"
        "申请行政复议或者提起行政诉讼的权利。\n"
        "4.送达责任：准予许可的制发许可证件并送达，依法公开许可信息。\n"
        "5.事后监管责任：依法对被许可人从事许可事项的活动进行监督检查。\n"
        "6.其他法律法规规章规定应履行的责任。",
        "因不履行或者不正确履行行政职责，有下列情形之一的，行政机关及相关工作人员应当承担"
        "相应责任：\n"
        "1.对符合法定条件的申请不予受理、不予许可或者不在法定期限内作出准予许可决定的；\n"
        "2.对不符合法定条件的申请人准予许可或者超越法定职权作出准予许可决定的；\n"
        "3.违反法定程序实施行政许可的；\n"
        "4.不依法履行监督职责或者监督不力，造成严重后果的；\n"
        "5.办理许可时索取或者收受他人财物、谋取其他利益的；\n"
        "6.其他违反法律法规规章规定的行为。",
    ),
    "penalty": (
        "1.立案责任：对发现的涉嫌违法行为予以审查，符合立案条件的及时立案。\n"
        "2.调查取证责任：执法人员不少于两人并出示执法证件，全面、客观、公正地调查收集证据；"
        "与当事人有直接利害关系的应当回避。\n"
        "3.审查责任：对案件事实、证据、程序、法律适用、处罚种类和幅度进行审查；重大执法决定"
        "经法制审核。\n"
        "4.告知责任：作出决定前告知拟作出的处罚内容及事实、理由、依据和陈述、申辩、要求听证"
        "的权利。\n"
        "5.决定责任：依法作出处罚决定，制作行政处罚决定书，载明救济途径。\n"
        "6.送达责任：依法送达行政处罚决定书，并按规定公示。\n"
        "7.执行责任：督促当事人履行处罚决定，依法申请人民法院强制执行。\n"
        "8.其他法律法规规章规定应履行的责任。",
        "因不履行或者不正确履行行政职责，有下列情形之一的，行政机关及相关工作人员应当承担"
        "相应责任：\n"
        "1.没有法定依据或者事实不清、证据不足实施行政处罚的；\n"
        "2.擅自改变行政处罚种类、幅度的；\n"
        "3.违反法定的行政处罚程序的；\n"
        "4.违反规定委托实施行政处罚的；\n"
        "5.对应当予以制止和处罚的违法行为不予制止、处罚，致使公民、法人或者其他组织的合法"
        "权益、公共利益和社会秩序遭受损害的；\n"
        "6.执法人员玩忽职守、滥用职权、徇私舞弊的；\n"
        "7.其他违反法律法规规章规定的行为。",
    ),
    "coercion": (
        "1.审批责任：实施前向行政机关负责人报告并经批准，情况紧急当场实施的在二十四小时内"
        "补办批准手续。\n"
        "2.实施责任：由两名以上执法人员实施，出示执法证件，通知当事人到场，告知理由、依据"
        "和权利，制作现场笔录。\n"
        "3.决定送达责任：制作并送达查封、扣押决定书和清单。\n"
        "4.保管处理责任：妥善保管查封、扣押的财物，在法定期限内作出处理决定。\n"
        "5.其他法律法规规章规定应履行的责任。",
        "因不履行或者不正确履行行政职责，有下列情形之一的，行政机关及相关工作人员应当承担"
        "相应责任：\n"
        "1.没有法律、法规依据实施行政强制措施的；\n"
        "2.改变行政强制对象、条件、方式的；\n"
        "3.违反法定程序实施行政强制的；\n"
        "4.扩大查封、扣押范围的；\n"
        "5.使用、截留、私分或者变相私分查封、扣押的财物的；\n"
        "6.其他违反法律法规规章规定的行为。",
    ),
    "inspection": (
        "1.检查责任：按照“双随机、一公开”要求制定并实施检查计划，执法人员不少于两人并出示"
        "执法证件。\n"
        "2.处置责任：发现违法行为的依法责令改正，需要处罚的移送立案。\n"
        "3.公开责任：依法公开检查结果。\n"
        "4.其他法律法规规章规定应履行的责任。",
        "因不履行或者不正确履行行政职责，有下列情形之一的，行政机关及相关工作人员应当承担"
        "相应责任：\n"
        "1.不按规定实施检查，或者检查中发现违法行为不依法处置的；\n"
        "2.违反规定增加检查频次、影响正常生产经营的；\n"
        "3.泄露检查中知悉的商业秘密、个人信息的；\n"
        "4.玩忽职守、滥用职权、徇私舞弊的；\n"
        "5.其他违反法律法规规章规定的行为。",
    ),
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
    _proposals(ctx, by_department.get("market", []), departments, categories, numbers, today)


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
        "duties": DUTIES.get(category, (OTHER_DUTIES, OTHER_ACCOUNTABILITY))[0],
        "accountability": DUTIES.get(category, (OTHER_DUTIES, OTHER_ACCOUNTABILITY))[1],
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


# The 司法局 staff member who reviewed one proposal and recorded another's approval: the review
# and the approval are two people's (powers.rules). Not in ctx.logins (one login per role).
REGISTRAR = ("lawreg", "宋雅琴")


def _proposals(
    ctx: DemoContext,
    market_items: list[PowerItem],
    departments: dict[str, Department],
    categories: dict[str, PowerCategory],
    numbers: dict[str, int],
    today: datetime.date,
) -> None:
    """区市场监管局's liaison's proposals, each step on its own day before today."""
    liaison = User.objects.filter(username="liaison").first()
    reviewer = User.objects.filter(username="lawadmin").first()
    unchanged = [item for item in market_items if item.version == 1]
    if liaison is None or reviewer is None or "justice" not in departments or len(unchanged) < 3:
        return
    registrar = User.objects.create_user(
        REGISTRAR[0], DEMO_PASSWORD, full_name=REGISTRAR[1], department=departments["justice"]
    )
    assign_role(registrar, Role.RULE_OF_LAW_ADMIN, actor=None)
    on = _clock(ctx)
    # Effective from the first of next month: approved, not yet on the public list.
    first_of_next = (today.replace(day=1) + datetime.timedelta(days=32)).replace(day=1)

    def days_ago(n: int) -> datetime.date:
        return today - datetime.timedelta(days=n)

    # The one to change a 行政许可 where there is one: its 办理时限 is compressed.
    unchanged.sort(key=lambda item: item.category.code != "license")
    changed, cancelled, returned = unchanged[0], unchanged[1], unchanged[2]
    shorter = "5个工作日" if changed.time_limit != "5个工作日" else "3个工作日"

    # 1. 变更, approved: 办理时限 压缩.
    with on(days_ago(40)):
        approved = actions.propose_adjustment(
            AdjustmentKind.CHANGE,
            actor=liaison,
            item=changed,
            values={**_current(changed), "time_limit": shorter},
            reason="落实优化营商环境要求，压缩办理时限。",
            effective_on=first_of_next,
        )
    with on(days_ago(33)):
        actions.review_proposal(approved, reviewer=reviewer, passed=True, opinion="符合规定。")
    with on(days_ago(21)):
        approved_on = timezone.localdate()  # that day, or today where the clock does not move
        actions.approve_proposal(
            approved,
            actor=registrar,
            document=f"台政字〔{approved_on.year}〕27号",
            approved_on=approved_on,
            effective_on=first_of_next,
        )

    # 2. 新增, passed: waiting for the government's approval to be recorded.
    abbreviation, _share, template = CATEGORIES["penalty"]
    numbers[abbreviation] = numbers.get(abbreviation, 0) + 1
    department_no = list(MATTERS).index("market") + 1
    with on(days_ago(12)):
        passed = actions.propose_adjustment(
            AdjustmentKind.ADD,
            actor=liaison,
            values={
                "code": f"{abbreviation}-{DIVISION}-{department_no:02d}-{numbers[abbreviation]:04d}",
                "name": template.format(matter="特种设备使用"),
                "category": categories["penalty"],
                "implementing_department": departments["market"],
                "legal_basis": "《中华人民共和国特种设备安全法》第八十三条",
                "counterpart_kind": "法人及非法人组织、个体工商户",
                "time_limit": "立案之日起90日内",
                "fee_basis": "不收费",
                "supervision_phone": "0632-6612315",
                "duties": DUTIES["penalty"][0],
                "accountability": DUTIES["penalty"][1],
            },
            reason="《特种设备安全法》规定的处罚事项未列入本部门清单，申请补充列入。",
            effective_on=first_of_next,
        )
    with on(days_ago(5)):
        actions.review_proposal(passed, reviewer=registrar, passed=True, opinion="设定依据准确。")

    # 3. 取消, submitted and not reviewed within the time limit.
    with on(days_ago(30)):
        actions.propose_adjustment(
            AdjustmentKind.CANCEL,
            actor=liaison,
            item=cancelled,
            reason="设定依据已被修改，该事项不再由本部门实施。",
            effective_on=first_of_next,
        )

    # 4. 变更, returned with the reason.
    with on(days_ago(15)):
        back = actions.propose_adjustment(
            AdjustmentKind.CHANGE,
            actor=liaison,
            item=returned,
            values={**_current(returned), "legal_basis": f"{returned.legal_basis}第一百二十四条"},
            reason="细化设定依据至条款。",
            effective_on=first_of_next,
        )
    with on(days_ago(8)):
        actions.review_proposal(
            back,
            reviewer=reviewer,
            passed=False,
            opinion="设定依据所列条款与权力名称不对应，请核对后重新申报。",
        )
    ctx.out.write("    power list proposals: 4 (approved, passed, submitted, returned)\n")


def _current(item: PowerItem) -> dict[str, Any]:
    return {field: getattr(item, field) for field in actions.ITEM_FIELDS}


def _clock(ctx: DemoContext) -> Callable[[datetime.date], AbstractContextManager[Any]]:
    """`ctx.at(day)` where the demo context moves the clock, else nothing (dated today)."""
    at: Callable[[datetime.date], AbstractContextManager[Any]] | None = getattr(ctx, "at", None)

    def clock(day: datetime.date) -> AbstractContextManager[Any]:
        return at(day) if at is not None else contextlib.nullcontext()

    return clock
