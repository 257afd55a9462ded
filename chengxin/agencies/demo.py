"""Demo enforcement bodies and officers of 台儿庄区.

38 bodies are confirmed (有效): 31 departments and townships (the 消防救援大队 is 法律法规授权 by
《消防法》; the 公共资源交易中心 is a service platform that no law authorises to penalise, so it
is not an enforcement body: 招标投标 is supervised by the departments), five more authorised
organisations and two
entrusted ones (受委托, with their entrusting body); one earlier body is revoked (机构改革).
About 440 officers with their 编制身份: 53 were removed by a clean-up two months ago (the seed
district's figure: mostly non-established staff — 劳务派遣, 工勤 — holding certificates, some
who failed the exam, trained too little or let the certificate lapse, and eight who had left:
调离 or 退休), a few are suspended or cancelled, and a handful are proposed by the clean-up
today. Officers flawed by a rule were registered before the rules were enforced (the legacy data
the clean-up is for): the demo writes their flaw after registering them. Every body keeps at
least three officers who may be assigned to cases today.

Shared with later steps (cases):
- ctx.shared["enforcement_bodies"]: {key: EnforcementBody}, keys are the department keys of
  accounts.demo plus the extra organisations' keys;
- ctx.shared["enforcement_officers"]: {key: [EnforcementOfficer assignable today]}.
"""

from __future__ import annotations

import datetime
import random

from django.utils import timezone

from chengxin.accounts.actions import assign_role
from chengxin.accounts.choices import DepartmentKind, Role
from chengxin.accounts.models import Department, User
from chengxin.agencies import actions
from chengxin.agencies.choices import BodyKind, RemovalReason, Sector, Staffing
from chengxin.agencies.models import EnforcementBody, EnforcementOfficer
from chengxin.core.demo_district import DIVISION
from chengxin.core.demodata import DEMO_PASSWORD, DemoContext
from chengxin.core.identifiers import make_uscc

TERRITORY = "台儿庄区行政区域"
REMOVED_BY_CLEANUP = 53

# Department key → (enforcement domains, legal basis, officers).
DOMAINS: dict[str, tuple[str, str, int]] = {
    "ndrc": ("价格、节能", "《中华人民共和国价格法》《中华人民共和国节约能源法》", 8),
    "education": ("教育、体育", "《中华人民共和国教育法》《中华人民共和国体育法》", 10),
    "industry": ("工业和信息化、无线电管理", "《中华人民共和国无线电管理条例》", 6),
    "police": ("治安、交通安全、出入境", "《中华人民共和国治安管理处罚法》", 30),
    "civil": ("民政、社会组织", "《社会组织登记管理条例》《殡葬管理条例》", 8),
    "justice": (
        "法律服务监督管理、社区矫正",
        "《中华人民共和国律师法》《中华人民共和国社区矫正法》",
        8,
    ),
    "finance": ("财政、会计", "《中华人民共和国会计法》《中华人民共和国政府采购法》", 8),
    "hrss": ("劳动保障监察", "《劳动保障监察条例》《保障农民工工资支付条例》", 12),
    "land": ("自然资源、林业", "《中华人民共和国土地管理法》《中华人民共和国森林法》", 14),
    "environment": ("生态环境", "《中华人民共和国环境保护法》", 18),
    "housing": ("住房和城乡建设", "《中华人民共和国建筑法》《建设工程质量管理条例》", 12),
    "transport": ("交通运输", "《中华人民共和国道路运输条例》", 20),
    "water": ("水行政", "《中华人民共和国水法》《中华人民共和国防洪法》", 10),
    "agriculture": ("农业农村、渔业、种子、农药", "《中华人民共和国农产品质量安全法》", 18),
    "commerce": ("商务、单用途商业预付卡", "《单用途商业预付卡管理办法（试行）》", 6),
    "culture": ("文化市场、旅游", "《中华人民共和国旅游法》《娱乐场所管理条例》", 14),
    "health": ("卫生健康、职业卫生", "《中华人民共和国基本医疗卫生与健康促进法》", 16),
    "emergency": ("安全生产", "《中华人民共和国安全生产法》", 18),
    "audit": ("审计", "《中华人民共和国审计法》", 6),
    "statistics": ("统计", "《中华人民共和国统计法》", 6),
    "market": ("市场监管、食品药品、特种设备、知识产权", "《中华人民共和国食品安全法》", 40),
    "medical": ("医疗保障基金", "《医疗保障基金使用监督管理条例》", 8),
    "approval": ("行政许可事中监管", "《中华人民共和国行政许可法》", 6),
    "enforcement": ("城市管理综合行政执法", "《山东省城市管理综合行政执法条例》", 36),
    "fire": ("消防", "《中华人民共和国消防法》", 10),
}
# Department (or extra body) key → its field, for the handling periods of cases.rules.
SECTORS: dict[str, str] = {
    "market": Sector.MARKET_REGULATION,
    "environment": Sector.ECOLOGY,
    "transport": Sector.TRANSPORT,
    "highway": Sector.TRANSPORT,
    "agriculture": Sector.AGRICULTURE,
    "animal_health": Sector.AGRICULTURE,
    "enforcement": Sector.URBAN,
    "ancient_town": Sector.URBAN,
    "culture": Sector.CULTURE,
    "emergency": Sector.EMERGENCY,
    "police": Sector.PUBLIC_SECURITY,
}
DEPARTED = 8  # of the clean-up's 53: 调离 or 退休, declared
# Department key → (username, name) of the body's head (负责人) who signs decisions off.
HEADS = {"market": ("head", "孙广利"), "enforcement": ("head2", "马文涛")}
TOWNSHIP_DOMAINS = ("乡镇综合行政执法", "《中华人民共和国行政处罚法》第二十四条；省政府赋权决定", 8)

# (key, name, domains, legal basis, officers, kind, entrusting department key)
EXTRA_BODIES: tuple[tuple[str, str, str, str, int, str, str], ...] = (
    (
        "social_insurance",
        "台儿庄区社会保险事业中心",
        "社会保险",
        "《中华人民共和国社会保险法》",
        5,
        BodyKind.AUTHORISED,
        "",
    ),
    (
        "housing_fund",
        "枣庄市住房公积金管理中心台儿庄分中心",
        "住房公积金",
        "《住房公积金管理条例》",
        4,
        BodyKind.AUTHORISED,
        "",
    ),
    (
        "animal_health",
        "台儿庄区动物卫生监督所",
        "动物防疫、检疫",
        "《中华人民共和国动物防疫法》",
        6,
        BodyKind.AUTHORISED,
        "",
    ),
    (
        "highway",
        "台儿庄区公路事业发展中心",
        "公路路政",
        "《中华人民共和国公路法》",
        6,
        BodyKind.AUTHORISED,
        "",
    ),
    (
        "weather",
        "台儿庄区气象局",
        "气象、防雷",
        "《中华人民共和国气象法》",
        4,
        BodyKind.AUTHORISED,
        "",
    ),
    (
        "ancient_town",
        "台儿庄古城综合执法大队",
        "古城景区市容和旅游秩序",
        "《中华人民共和国行政处罚法》第二十条；台儿庄区综合行政执法局委托书",
        8,
        BodyKind.ENTRUSTED,
        "enforcement",
    ),
    (
        "wetland",
        "台儿庄区运河湿地管理服务中心",
        "湿地保护",
        "《中华人民共和国湿地保护法》；台儿庄区自然资源局委托书",
        5,
        BodyKind.ENTRUSTED,
        "land",
    ),
)

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰建国志红立新海波鹏飞宇浩然晓东文博"


def _name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))


def generate(ctx: DemoContext) -> None:
    rng = ctx.rng("agencies")
    today = timezone.localdate()
    departments: dict[str, Department] = ctx.shared.get("departments", {})
    confirmed_on = datetime.date(today.year - 1, 3, 15)
    document = f"台政字〔{today.year - 1}〕12号"
    bodies: dict[str, EnforcementBody] = {}
    sizes: dict[str, int] = {}

    def confirm(key: str, body: EnforcementBody, officers: int) -> None:
        body.credit_code = body.credit_code or make_uscc(
            rng, department="1", category="2", division=DIVISION
        )
        body.territory = body.territory or TERRITORY
        body.confirming_document, body.confirmed_on = document, confirmed_on
        body.sector = SECTORS.get(key, Sector.OTHER)
        bodies[key] = actions.save_body(body, actor=None)
        sizes[key] = officers

    for key, department in departments.items():
        township = department.kind == DepartmentKind.TOWNSHIP
        if not township and key not in DOMAINS:
            continue  # the government itself, and the 公共资源交易中心 (no enforcement power)
        domains, basis, size = TOWNSHIP_DOMAINS if township else DOMAINS[key]
        authorised = department.kind == DepartmentKind.AUTHORISED_ORGANISATION
        confirm(
            key,
            EnforcementBody(
                name=department.name,
                credit_code=department.credit_code,
                kind=BodyKind.AUTHORISED if authorised else BodyKind.STATUTORY,
                legal_basis=basis,
                domains=domains,
                territory=f"{department.short_name}行政区域" if township else TERRITORY,
                department=department,
            ),
            size,
        )
    for key, name, domains, basis, size, kind, entrusting in EXTRA_BODIES:
        confirm(
            key,
            EnforcementBody(
                name=name,
                kind=kind,
                legal_basis=basis,
                domains=domains,
                entrusting_body=bodies.get(entrusting) if entrusting else None,
                department=departments.get(entrusting) if entrusting else None,
            ),
            size,
        )
    _revoked_body(rng, departments, today)
    _heads(bodies, departments)
    officers = _officers(rng, bodies, sizes, today)
    ctx.shared["enforcement_bodies"] = bodies
    ctx.shared["enforcement_officers"] = officers
    total = EnforcementOfficer.objects.count()
    ctx.out.write(f"    enforcement bodies: {len(bodies)} active, officers: {total}\n")


def _heads(bodies: dict[str, EnforcementBody], departments: dict[str, Department]) -> None:
    """The heads (负责人) who sign the decisions of the two bodies with demo cases off; the
    entrusted 古城综合执法大队 decides in 综合执法局's name, whose head signs for it too."""
    for key, (username, full_name) in HEADS.items():
        department = departments.get(key)
        if department is None or key not in bodies:
            continue
        head = User.objects.create_user(
            username, DEMO_PASSWORD, full_name=full_name, department=department
        )
        assign_role(head, Role.ENFORCEMENT_OFFICER, actor=None)
        # Not added to ctx.logins: operations' demo test counts one login per role.
        bodies[key] = actions.save_body(bodies[key], actor=None, heads=[head])


def _revoked_body(
    rng: random.Random, departments: dict[str, Department], today: datetime.date
) -> None:
    body = actions.save_body(
        EnforcementBody(
            name="台儿庄区城市管理行政执法局",
            credit_code=make_uscc(rng, department="1", category="1", division=DIVISION),
            kind=BodyKind.STATUTORY,
            legal_basis="《城市市容和环境卫生管理条例》",
            domains="城市管理",
            territory=TERRITORY,
            confirming_document=f"台政字〔{today.year - 4}〕8号",
            confirmed_on=datetime.date(today.year - 4, 5, 10),
        ),
        actor=None,
    )
    actions.revoke_body(
        body,
        actor=None,
        document=f"台政字〔{today.year - 1}〕11号",
        revoked_on=datetime.date(today.year - 1, 3, 15),
        reason="机构改革，职责划入台儿庄区综合行政执法局",
    )


def _officers(
    rng: random.Random,
    bodies: dict[str, EnforcementBody],
    sizes: dict[str, int],
    today: datetime.date,
) -> dict[str, list[EnforcementOfficer]]:
    """Officers of every body; returns those assignable today, by body key."""
    cleanup_day = today - datetime.timedelta(days=60)
    numbers = iter(range(1, 100_000))
    spare: list[tuple[str, int]] = []  # (body key, index) beyond the three kept qualified
    for key, size in sizes.items():
        spare.extend((key, i) for i in range(3, size))
    rng.shuffle(spare)
    by_rule = REMOVED_BY_CLEANUP - DEPARTED
    flawed_then = set(spare[:by_rule])
    departed = spare[by_rule:REMOVED_BY_CLEANUP]
    rest = spare[REMOVED_BY_CLEANUP:]
    flawed_now = set(rest[:9])
    suspended = set(rest[9:13])
    cancelled = set(rest[13:19])
    to_remove: list[int] = []
    left: dict[str, list[int]] = {RemovalReason.TRANSFERRED: [], RemovalReason.RETIRED: []}
    made: dict[str, list[EnforcementOfficer]] = {key: [] for key in sizes}
    for key, size in sizes.items():
        body = bodies[key]
        for i in range(size):
            issued = today - datetime.timedelta(days=rng.randint(200, 1400))
            officer = EnforcementOfficer(
                body=body,
                name=_name(rng),
                certificate_number=f"{DIVISION}{next(numbers):06d}",
                categories=body.domains.split("、")[0],
                area=body.territory,
                certificate_valid_from=issued,
                certificate_valid_until=max(
                    issued + datetime.timedelta(days=365 * 5), today + datetime.timedelta(days=90)
                ),
                has_legal_qualification=rng.random() < 0.3,
                training_hours=rng.randint(60, 96),
                exam_passed=True,
                staffing=rng.choice(
                    (Staffing.ADMINISTRATIVE,) * 6
                    + (Staffing.CIVIL_SERVICE_MANAGED,) * 3
                    + (Staffing.PUBLIC_INSTITUTION,)
                ),
            )
            actions.save_officer(officer, actor=None)
            if (key, i) in flawed_then:
                _flaw(rng, officer, before=cleanup_day)
                to_remove.append(officer.pk)
            elif (key, i) in flawed_now:
                _flaw(rng, officer, before=today)
            elif (key, i) in departed:
                transferred = len(left[RemovalReason.TRANSFERRED]) < DEPARTED // 2
                reason = RemovalReason.TRANSFERRED if transferred else RemovalReason.RETIRED
                left[reason].append(officer.pk)
            elif (key, i) in suspended:
                actions.suspend_officer(
                    officer, actor=None, reason="涉嫌违纪，暂停执法资格接受调查", on=today
                )
            elif (key, i) in cancelled:
                actions.cancel_officer(
                    officer, actor=None, reason="辞职，注销执法证", on=cleanup_day
                )
            else:
                made[key].append(officer)
    document = f"台司发〔{cleanup_day.year}〕9号 行政执法人员资格清理"
    actions.remove_officers(to_remove, actor=None, reason=document, on=cleanup_day)
    for why, ids in left.items():
        actions.remove_departed_officers(ids, actor=None, why=why, reason=document, on=cleanup_day)
    return made


def _flaw(rng: random.Random, officer: EnforcementOfficer, *, before: datetime.date) -> None:
    """Give the officer one or two of the clean-up's reasons as of `before`, mostly non-established
    staff: written over the registered officer, as data entered before the rules held."""
    reasons = rng.sample(("staffing", "exam", "training", "expired"), rng.choice((1, 1, 2)))
    if rng.random() < 0.6 and "staffing" not in reasons:
        reasons[0] = "staffing"
    changes: dict[str, object] = {}
    if "staffing" in reasons:
        changes["staffing"] = rng.choice(
            (Staffing.LABOUR_DISPATCH,) * 3 + (Staffing.SUPPORT_STAFF,)
        )
    if "exam" in reasons:
        changes["has_legal_qualification"], changes["exam_passed"] = False, False
    if "training" in reasons:
        changes["training_hours"] = rng.randint(8, 56)
    if "expired" in reasons:
        until = before - datetime.timedelta(days=rng.randint(1, 50))
        changes["certificate_valid_until"] = until
        changes["certificate_valid_from"] = until - datetime.timedelta(days=365 * 5)
    EnforcementOfficer.objects.filter(pk=officer.pk).update(**changes)
    for field, value in changes.items():
        setattr(officer, field, value)
