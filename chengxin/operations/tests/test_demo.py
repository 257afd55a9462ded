"""The demo district generator: deterministic, valid identifiers, volume knobs."""

from __future__ import annotations

import io

from django.db import transaction
from django.test import Client

from chengxin.accounts.choices import Role
from chengxin.accounts.demo import DEMO_USERS
from chengxin.accounts.models import Department, User
from chengxin.core import regions
from chengxin.core.demo_district import GOVERNMENT
from chengxin.core.demodata import build_demo
from chengxin.core.identifiers import uscc_warnings, validate_resident_id, validate_uscc
from chengxin.core.models import Region
from chengxin.core.personal_data import decrypt
from chengxin.subjects.choices import SubjectCategory
from chengxin.subjects.models import Subject


def snapshot() -> list[tuple[str, str, str]]:
    return [
        (s.name, s.credit_code, decrypt(s.id_number_ciphertext) if s.id_number_ciphertext else "")
        for s in Subject.objects.order_by("name", "credit_code")
    ]


def test_same_seed_same_district_and_valid_identifiers(db) -> None:
    volumes = {"subjects": 400, "licenses": 0, "penalties": 0, "list_entries": 0}
    with transaction.atomic():  # the first district is rolled back; every app's rows go with it
        build_demo(7, volumes, io.StringIO())
        first = snapshot()
        departments = list(Department.objects.values_list("name", "credit_code"))
        assert len(first) == 400
        for _name, code, id_number in first:
            if code:
                assert (
                    validate_uscc(code, allow_placeholder=False) == code
                    and uscc_warnings(code) == []
                )
            else:
                assert validate_resident_id(id_number) == id_number
        categories = set(Subject.objects.values_list("category", flat=True))
        assert categories == set(SubjectCategory.values)
        assert Subject.objects.filter(credit_code__startswith="92").exists()  # 个体工商户
        transaction.set_rollback(True)
    assert not Subject.objects.exists() and not User.objects.exists()
    build_demo(7, volumes, io.StringIO())
    assert snapshot() == first
    assert list(Department.objects.values_list("name", "credit_code")) == departments


def test_one_demo_user_per_role(db) -> None:
    ctx = build_demo(1, {"subjects": 10, "licenses": 0, "penalties": 0}, io.StringIO())
    assert {role for role, *_ in DEMO_USERS} == set(Role)
    for role, username, *_ in DEMO_USERS:
        assert role in User.objects.get(username=username).roles
    assert len(ctx.logins) == len(DEMO_USERS)
    assert Department.objects.filter(name="台儿庄区市场监督管理局").exists()


def test_the_demo_sets_its_district_up_as_production_does(db) -> None:
    build_demo(1, {"subjects": 10, "licenses": 0, "penalties": 0}, io.StringIO())
    region = Region.objects.select_related("government").get()
    assert (region.code, region.name, region.government.name) == ("370405", "台儿庄区", GOVERNMENT)
    assert regions.names() == {
        "site_name": "台儿庄区公共信用信息平台",
        "district_name": "台儿庄区",
        "credit_office": "台儿庄区社会信用体系建设领导小组办公室",
    }
    page = Client().get("/").content.decode()
    assert (
        "台儿庄区公共信用信息平台" in page and "台儿庄区社会信用体系建设领导小组办公室 主办" in page
    )


def test_the_printed_logins_include_the_heads_who_sign_decisions_off(db) -> None:
    from chengxin.agencies.models import EnforcementBody
    from chengxin.operations.management.commands.demo import Command

    build_demo(1, {"subjects": 10, "licenses": 0, "penalties": 0}, io.StringIO())
    out = io.StringIO()
    command = Command(stdout=out)
    command.print_logins()
    heads = User.objects.filter(headed_bodies__in=EnforcementBody.objects.all()).distinct()
    assert heads.count() == 2
    printed = out.getvalue()
    for head in heads:
        assert f"执法主体负责人 {head.username}" in " ".join(printed.split()), printed
