"""The demo power list (权责清单) of 台儿庄区: each department's real district-level items
(`powers.demo_catalogue`, after published county lists of 山东), published at the start of the
year before last, with two rounds of 动态调整 since: licences handed to the 行政审批服务局
(相对集中行政许可权改革: cancelled from the department, added to the bureau the same day) and
办理时限 compressed. Each item carries the 责任事项 and 追责情形 of its category. 区市场监管局's
liaison has four adjustment proposals in the four states a walk-through meets: one approved
(effective on the first of next month, so the public list does not show it yet), one passed and
waiting for the government's approval to be recorded, one waiting for review past its time
limit, one returned.

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
from chengxin.powers.demo_catalogue import CATALOGUE, Entry
from chengxin.powers.models import PowerCategory, PowerItem

# Category code → abbreviation in 权力编码.
ABBREVIATIONS: dict[str, str] = {
    "license": "XK",
    "penalty": "CF",
    "coercion": "QZ",
    "levy": "ZS",
    "payment": "JF",
    "inspection": "JC",
    "confirmation": "QR",
    "reward": "JL",
    "adjudication": "CJ",
    "other": "QT",
}
# The departments' numbers in 权力编码, in the order of the published list.
DEPARTMENT_NUMBERS = {key: n for n, key in enumerate(CATALOGUE, start=1)}
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
# Category code → 办理时限 as the published lists give them (a 行政处罚 within art. 60's 90 days).
TIME_LIMITS = {
    "license": "20个工作日",
    "penalty": "立案之日起90日内",
    "coercion": "30日",
    "levy": "法定期限内",
    "payment": "15个工作日",
    "inspection": "按检查计划",
    "confirmation": "10个工作日",
    "reward": "法定期限内",
    "adjudication": "30个工作日",
    "other": "5个工作日",
}
# The categories whose 办理时限 the government compresses (优化营商环境): those on application.
ON_APPLICATION = ("license", "confirmation", "payment", "other")
COUNTERPARTS = {
    "license": "自然人、法人、非法人组织",
    "penalty": "自然人、法人、非法人组织",
    "payment": "自然人",
    "confirmation": "自然人、法人、非法人组织",
}
# Licences the department listed at first and the 行政审批服务局 took over in a round of
# 相对集中行政许可权改革 (0: mid last year, 1: early this year): cancelled from the department's
# list and added to the bureau's on the same day, with the same document.
TRANSFERRED: dict[str, tuple[str, int]] = {
    "取水许可": ("water", 0),
    "林木采伐许可": ("land", 0),
    "人力资源服务许可": ("hrss", 0),
    "民办学校办学许可": ("education", 0),
    "娱乐场所经营许可": ("culture", 0),
    "公共场所卫生许可": ("health", 0),
    "农药经营许可": ("agriculture", 1),
    "兽药经营许可": ("agriculture", 1),
    "危险化学品经营许可（不带储存设施）": ("emergency", 1),
    "商品房预售许可": ("housing", 1),
}
# Items compressed in each round: licences and other items on application, at most this many.
COMPRESSED_PER_ROUND = (10, 8)


def generate(ctx: DemoContext) -> None:
    rng = ctx.rng("powers")
    today = timezone.localdate()
    departments: dict[str, Department] = ctx.shared.get("departments", {})
    categories = {c.code: c for c in PowerCategory.objects.all()}
    published = datetime.date(today.year - 2, 1, 1)
    if not any(key in departments for key in CATALOGUE):
        return
    numbers: dict[str, int] = {}
    limit = ctx.volume("power_items", sum(len(entries) for entries in CATALOGUE.values()))
    listed: dict[str, PowerItem] = {}  # name → item, as first published
    for key, entries in CATALOGUE.items():
        for entry in entries:
            owner = TRANSFERRED.get(entry.name, (key, 0))[0]
            if owner in departments and len(listed) < limit:
                listed[entry.name] = _add(
                    owner, entry, departments, categories, numbers, published, rng
                )
    _adjust(rng, listed, departments, categories, numbers, today)
    in_force = list(PowerItem.objects.in_force(on=today).select_related("category"))
    by_department: dict[str, list[PowerItem]] = {}
    keys_by_id = {department.pk: key for key, department in departments.items()}
    for item in in_force:
        by_department.setdefault(keys_by_id[item.implementing_department_id], []).append(item)
    ctx.shared["power_items"] = in_force
    ctx.shared["power_items_by_department"] = by_department
    ctx.out.write(f"    power items: {len(in_force)} in force today\n")
    _proposals(ctx, by_department.get("market", []), departments, categories, numbers, today)


def _code(key: str, category: str, numbers: dict[str, int]) -> str:
    abbreviation = ABBREVIATIONS[category]
    numbers[abbreviation] = numbers.get(abbreviation, 0) + 1
    return f"{abbreviation}-{DIVISION}-{DEPARTMENT_NUMBERS[key]:02d}-{numbers[abbreviation]:04d}"


def _add(
    key: str,
    entry: Entry,
    departments: dict[str, Department],
    categories: dict[str, PowerCategory],
    numbers: dict[str, int],
    effective_on: datetime.date,
    rng: random.Random,
    *,
    reason: str = "公布区级部门权责清单",
    document: str = "",
) -> PowerItem:
    duties, accountability = DUTIES.get(entry.category, (OTHER_DUTIES, OTHER_ACCOUNTABILITY))
    values = {
        "code": _code(key, entry.category, numbers),
        "name": entry.name,
        "category": categories[entry.category],
        "implementing_department": departments[key],
        "legal_basis": entry.basis,
        "counterpart_kind": COUNTERPARTS.get(entry.category, "法人、非法人组织"),
        "time_limit": TIME_LIMITS[entry.category],
        "fee_basis": "不收费",
        "supervision_phone": f"0632-66{rng.randint(10000, 99999)}",
        "duties": duties,
        "accountability": accountability,
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
    listed: dict[str, PowerItem],
    departments: dict[str, Department],
    categories: dict[str, PowerCategory],
    numbers: dict[str, int],
    today: datetime.date,
) -> None:
    """Two rounds of 动态调整, mid last year and early this year (not after today): licences
    transferred to the 行政审批服务局, and 办理时限 compressed for items on application."""
    rounds = (
        (datetime.date(today.year - 1, 6, 30), f"台政办发〔{today.year - 1}〕21号"),
        (min(today, datetime.date(today.year, 3, 31)), f"台政办发〔{today.year}〕6号"),
    )
    entries = {entry.name: entry for items in CATALOGUE.values() for entry in items}
    compressible = [
        item
        for name, item in listed.items()
        if entries[name].category in ON_APPLICATION
        and name not in TRANSFERRED
        and name not in PROPOSED
    ]
    rng.shuffle(compressible)
    for n, (day, document) in enumerate(rounds):
        for name, (_owner, round_no) in TRANSFERRED.items():
            item = listed.get(name)
            if round_no != n or item is None or "approval" not in departments:
                continue
            item.refresh_from_db()
            actions.cancel_power_item(
                item,
                actor=None,
                reason="相对集中行政许可权改革，该事项划转区行政审批服务局实施",
                document=document,
                effective_on=day,
            )
            _add(
                "approval",
                entries[name],
                departments,
                categories,
                numbers,
                day,
                rng,
                reason="相对集中行政许可权改革，由原主管部门划入",
                document=document,
            )
        for item in compressible[: COMPRESSED_PER_ROUND[n]]:
            item.refresh_from_db()
            actions.change_power_item(
                item,
                {"time_limit": "15个工作日" if item.time_limit == "20个工作日" else "3个工作日"},
                actor=None,
                reason="落实优化营商环境要求，压缩承诺办理时限",
                document=document,
                effective_on=day,
            )
        compressible = compressible[COMPRESSED_PER_ROUND[n] :]


# 区市场监管局's proposals: the licence whose 办理时限 it compresses (approved), the licence it
# proposes to hand to the 行政审批服务局 (waiting for review), the penalty whose basis it wants
# to extend by an article that does not fit (returned).
PROPOSED = ("个体工商户设立、变更、注销登记", "特种设备使用登记", "对发布虚假广告的行政处罚")

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
    unchanged = {item.name: item for item in market_items if item.version == 1}
    if (
        liaison is None
        or reviewer is None
        or "justice" not in departments
        or any(name not in unchanged for name in PROPOSED)
    ):
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

    changed, cancelled, returned = (unchanged[name] for name in PROPOSED)
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
    with on(days_ago(12)):
        passed = actions.propose_adjustment(
            AdjustmentKind.ADD,
            actor=liaison,
            values={
                "code": _code("market", "penalty", numbers),
                "name": "对使用特种设备未按照规定办理使用登记的行政处罚",
                "category": categories["penalty"],
                "implementing_department": departments["market"],
                "legal_basis": "《中华人民共和国特种设备安全法》第八十三条第一项",
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
            reason="相对集中行政许可权改革，该事项拟划转区行政审批服务局实施。",
            effective_on=first_of_next,
        )

    # 4. 变更, returned with the reason.
    with on(days_ago(15)):
        back = actions.propose_adjustment(
            AdjustmentKind.CHANGE,
            actor=liaison,
            item=returned,
            values={**_current(returned), "legal_basis": f"{returned.legal_basis}、第五十八条"},
            reason="补充设定依据。",
            effective_on=first_of_next,
        )
    with on(days_ago(8)):
        actions.review_proposal(
            back,
            reviewer=reviewer,
            passed=False,
            opinion="第五十八条规定的是发布其他违法广告的情形，与本事项名称不对应，请核对后重新申报。",
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
