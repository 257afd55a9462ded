"""Demo departments of 台儿庄区 (division code 370405) and one demo user per role."""

from __future__ import annotations

from chengxin.accounts import setup
from chengxin.accounts.actions import assign_role
from chengxin.accounts.choices import DepartmentKind, Role
from chengxin.accounts.models import Department, User
from chengxin.core.demo_district import DIVISION, GOVERNMENT
from chengxin.core.demodata import DEMO_PASSWORD, DemoContext
from chengxin.core.identifiers import make_uscc

# (key, name, short name, kind); the key is how other demo steps refer to a department.
DEPARTMENTS = [
    ("gov", GOVERNMENT, "区政府", DepartmentKind.PEOPLES_GOVERNMENT),
    ("ndrc", "台儿庄区发展和改革局", "区发改局", DepartmentKind.GOVERNMENT_DEPARTMENT),
    ("education", "台儿庄区教育和体育局", "区教体局", DepartmentKind.GOVERNMENT_DEPARTMENT),
    ("industry", "台儿庄区工业和信息化局", "区工信局", DepartmentKind.GOVERNMENT_DEPARTMENT),
    ("police", "枣庄市公安局台儿庄分局", "区公安分局", DepartmentKind.GOVERNMENT_DEPARTMENT),
    ("civil", "台儿庄区民政局", "区民政局", DepartmentKind.GOVERNMENT_DEPARTMENT),
    ("justice", "台儿庄区司法局", "区司法局", DepartmentKind.GOVERNMENT_DEPARTMENT),
    ("finance", "台儿庄区财政局", "区财政局", DepartmentKind.GOVERNMENT_DEPARTMENT),
    ("hrss", "台儿庄区人力资源和社会保障局", "区人社局", DepartmentKind.GOVERNMENT_DEPARTMENT),
    ("land", "台儿庄区自然资源局", "区自然资源局", DepartmentKind.GOVERNMENT_DEPARTMENT),
    (
        "environment",
        "枣庄市生态环境局台儿庄分局",
        "区生态环境分局",
        DepartmentKind.GOVERNMENT_DEPARTMENT,
    ),
    ("housing", "台儿庄区住房和城乡建设局", "区住建局", DepartmentKind.GOVERNMENT_DEPARTMENT),
    ("transport", "台儿庄区交通运输局", "区交通运输局", DepartmentKind.GOVERNMENT_DEPARTMENT),
    ("water", "台儿庄区水务局", "区水务局", DepartmentKind.GOVERNMENT_DEPARTMENT),
    ("agriculture", "台儿庄区农业农村局", "区农业农村局", DepartmentKind.GOVERNMENT_DEPARTMENT),
    ("commerce", "台儿庄区商务局", "区商务局", DepartmentKind.GOVERNMENT_DEPARTMENT),
    ("culture", "台儿庄区文化和旅游局", "区文旅局", DepartmentKind.GOVERNMENT_DEPARTMENT),
    ("health", "台儿庄区卫生健康局", "区卫健局", DepartmentKind.GOVERNMENT_DEPARTMENT),
    ("emergency", "台儿庄区应急管理局", "区应急局", DepartmentKind.GOVERNMENT_DEPARTMENT),
    ("audit", "台儿庄区审计局", "区审计局", DepartmentKind.GOVERNMENT_DEPARTMENT),
    ("statistics", "台儿庄区统计局", "区统计局", DepartmentKind.GOVERNMENT_DEPARTMENT),
    ("market", "台儿庄区市场监督管理局", "区市场监管局", DepartmentKind.GOVERNMENT_DEPARTMENT),
    ("medical", "台儿庄区医疗保障局", "区医保局", DepartmentKind.GOVERNMENT_DEPARTMENT),
    ("approval", "台儿庄区行政审批服务局", "区行政审批局", DepartmentKind.GOVERNMENT_DEPARTMENT),
    ("enforcement", "台儿庄区综合行政执法局", "区综合执法局", DepartmentKind.GOVERNMENT_DEPARTMENT),
    (
        "trading",
        "台儿庄区公共资源交易中心",
        "区公共资源交易中心",
        DepartmentKind.AUTHORISED_ORGANISATION,
    ),
    ("fire", "台儿庄区消防救援大队", "区消防救援大队", DepartmentKind.AUTHORISED_ORGANISATION),
    ("yunhe", "台儿庄区运河街道办事处", "运河街道", DepartmentKind.TOWNSHIP),
    ("pizhuang", "台儿庄区邳庄镇人民政府", "邳庄镇", DepartmentKind.TOWNSHIP),
    ("zhangshanzi", "台儿庄区张山子镇人民政府", "张山子镇", DepartmentKind.TOWNSHIP),
    ("nigou", "台儿庄区泥沟镇人民政府", "泥沟镇", DepartmentKind.TOWNSHIP),
    ("jiantouji", "台儿庄区涧头集镇人民政府", "涧头集镇", DepartmentKind.TOWNSHIP),
    ("malantun", "台儿庄区马兰屯镇人民政府", "马兰屯镇", DepartmentKind.TOWNSHIP),
]

# (role, username, full name, department key)
DEMO_USERS = [
    (Role.SYSTEM_ADMIN, "sysadmin", "王建国", "ndrc"),
    (Role.SECURITY_ADMIN, "secadmin", "李卫东", "ndrc"),
    (Role.AUDIT_ADMIN, "auditor", "赵红梅", "audit"),
    (Role.CREDIT_ADMIN, "credit", "孙志强", "ndrc"),
    (Role.DEPARTMENT_REPORTER, "reporter", "周丽娟", "market"),
    (Role.DEPARTMENT_REPORTER, "reporter2", "吴海燕", "environment"),
    (Role.CREDIT_CHECKER, "checker", "郑晓峰", "approval"),
    (Role.LEGAL_REVIEWER, "legal", "冯玉兰", "justice"),
    (Role.RULE_OF_LAW_ADMIN, "lawadmin", "陈立新", "justice"),
    (Role.ENFORCEMENT_OFFICER, "officer", "刘振华", "market"),
    (Role.ENFORCEMENT_OFFICER, "officer2", "黄德胜", "enforcement"),
    (Role.LEGAL_AFFAIRS_OFFICER, "liaison", "何静", "market"),
]


def generate(ctx: DemoContext) -> None:
    rng = ctx.rng("accounts")
    departments: dict[str, Department] = {}
    for key, name, short_name, kind in DEPARTMENTS:
        department = Department(
            name=name,
            short_name=short_name,
            credit_code=make_uscc(rng, department="1", category="1", division=DIVISION),
            kind=kind,
            parent=departments.get("gov"),
        )
        department.full_clean()
        department.save()
        departments[key] = department
    ctx.shared["departments"] = departments
    # The district as `chengxin setup` stores it: the pages' names come from it, as in production.
    district = setup.check_district(DIVISION, credit_code=departments["gov"].credit_code)
    setup.set_up(district, [])

    for role, username, full_name, key in DEMO_USERS:
        user = User.objects.create_user(
            username, DEMO_PASSWORD, full_name=full_name, department=departments[key]
        )
        assign_role(user, role, actor=None)
        ctx.logins.append((str(role.label), username, departments[key].short_name))
