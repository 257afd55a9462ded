"""Staff pages for lists and the measures catalogue: access, the entry form, removal as
history, the rule tying a measure's kind to its lists, and the cost of the entry list."""

from __future__ import annotations

import datetime
import random
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.timezone import localdate

from chengxin.accounts.choices import Role
from chengxin.accounts.models import User
from chengxin.audit.models import AuditEntry
from chengxin.core.identifiers import make_resident_id, make_uscc, uscc_check_char
from chengxin.screening.choices import CatalogueSource, EntryStatus
from chengxin.screening.forms_lists import ListEntryForm, MeasureForm
from chengxin.screening.models import ListEntry, ListType, Measure, Scenario
from chengxin.subjects.choices import SubjectCategory

CODE = make_uscc(random.Random(1))
WRONG_CODE = CODE[:17] + ("1" if uscc_check_char(CODE[:17]) != "1" else "2")
PAGES = [
    ("screening:list_types", {}),
    ("screening:entries", {}),
    ("screening:entry_new", {}),
    ("screening:measures", {}),
    ("screening:measure_new", {}),
    ("registers:upload", {"key": "list_entries"}),
    ("registers:template", {"key": "list_entries"}),
]


@pytest.fixture
def admin_user(make_user: Callable[..., User]) -> User:
    return make_user(Role.CREDIT_ADMIN)


@pytest.fixture
def entry(make_entry: Callable[..., ListEntry]) -> ListEntry:
    return make_entry(subject_name="枣庄市台儿庄区华兴建材有限公司")


def entry_data(list_type: ListType, **overrides: Any) -> dict[str, Any]:
    data = {
        "list_type": list_type.pk,
        "subject_name": "枣庄市台儿庄区运河商贸有限公司",
        "subject_category": SubjectCategory.LEGAL_ENTITY,
        "credit_code": CODE,
        "id_number": "",
        "listing_authority": "台儿庄区财政局",
        "document_number": "台财采罚〔2026〕77号",
        "basis": "提供虚假材料谋取中标",
        "listed_on": "2026-02-01",
        "ends_on": "2029-02-01",
    }
    data.update(overrides)
    return data


# --- access ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "kwargs"), PAGES)
def test_pages_render_for_the_credit_office(
    client: Any, admin_user: User, entry: ListEntry, name: str, kwargs: dict[str, Any]
) -> None:
    client.force_login(admin_user)
    assert client.get(reverse(name, kwargs=kwargs)).status_code == 200


def test_entry_detail_renders_with_history_and_masked_id_number(
    client: Any, admin_user: User, make_entry: Callable[..., ListEntry]
) -> None:
    number = make_resident_id(random.Random(3), division="370405")
    person = make_entry(
        subject_name="张三",
        subject_category=SubjectCategory.NATURAL_PERSON,
        credit_code="",
        id_number=number,
    )
    client.force_login(admin_user)
    response = client.get(reverse("screening:entry", args=[person.pk]))
    assert response.status_code == 200
    text = response.content.decode()
    assert person.id_number_masked in text and number not in text
    assert len(response.context["history"]) == 1  # the creation


@pytest.mark.parametrize("role", [Role.DEPARTMENT_REPORTER, Role.LEGAL_REVIEWER, Role.AUDIT_ADMIN])
@pytest.mark.parametrize(("name", "kwargs"), PAGES)
def test_pages_are_refused_without_the_grant(
    client: Any, make_user: Callable[..., User], catalogue: None, role: str, name: str, kwargs: Any
) -> None:
    client.force_login(make_user(role))
    assert client.get(reverse(name, kwargs=kwargs)).status_code == 403


def test_anonymous_is_sent_to_the_login_page(client: Any, catalogue: None) -> None:
    response = client.get(reverse("screening:entries"))
    assert response.status_code == 302 and "login" in response["Location"]


def test_checker_may_read_lists_but_not_change_them(
    client: Any, checker: User, entry: ListEntry
) -> None:
    client.force_login(checker)
    assert client.get(reverse("screening:entries")).status_code == 200
    assert client.get(reverse("screening:entry", args=[entry.pk])).status_code == 200
    assert client.get(reverse("screening:measures")).status_code == 200
    assert client.get(reverse("screening:entry_new")).status_code == 403
    assert client.get(reverse("registers:upload", args=["list_entries"])).status_code == 403
    assert client.get(reverse("screening:entry_edit", args=[entry.pk])).status_code == 404
    removal = {"removed_on": "2026-03-01", "reason": "x"}
    url = reverse("screening:entry_remove", args=[entry.pk])
    assert client.post(url, removal).status_code == 404
    entry.refresh_from_db()
    assert entry.status == EntryStatus.ACTIVE


# --- entry list ---------------------------------------------------------------------------


def test_filters_by_list_type_status_date_and_search(
    client: Any, admin_user: User, make_entry: Callable[..., ListEntry], list_type: Any
) -> None:
    tax = make_entry("major_tax_violation", subject_name="枣庄市台儿庄区偷税商贸有限公司")
    early = make_entry(listed_on=datetime.date(2025, 3, 1))
    late = make_entry(listed_on=datetime.date(2026, 3, 1))
    client.force_login(admin_user)

    def shown(**params: Any) -> set[int]:
        response = client.get(reverse("screening:entries"), params)
        return {e.pk for e in response.context["page"]}

    assert shown(list_type=list_type("major_tax_violation").pk) == {tax.pk}
    assert shown(q="偷税") == {tax.pk}
    assert shown(q=tax.credit_code) == {tax.pk}
    assert shown(listed_from="2026-03-01") == {late.pk}  # boundary: the day itself counts
    assert shown(listed_to="2025-03-01") == {early.pk}
    assert shown(status=EntryStatus.REMOVED) == set()


def test_entry_list_query_count_does_not_grow_with_entries(
    client: Any,
    admin_user: User,
    make_entry: Callable[..., ListEntry],
    django_assert_max_num_queries: Any,
) -> None:
    make_entry()
    client.force_login(admin_user)
    url = reverse("screening:entries")
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    for code in ("major_tax_violation", "work_safety", "wage_arrears", "a_grade_taxpayer"):
        for _ in range(6):
            make_entry(code)
    with django_assert_max_num_queries(len(few)):
        response = client.get(url)
    assert len(response.context["page"]) == 25


# --- entry form -----------------------------------------------------------------------------


def test_new_entry_is_saved_with_the_department_and_linked_keys(
    client: Any, admin_user: User, list_type: Any
) -> None:
    client.force_login(admin_user)
    data = entry_data(list_type("procurement_violation"))
    response = client.post(reverse("screening:entry_new"), data)
    entry = ListEntry.objects.get(document_number=data["document_number"])
    assert response.status_code == 302
    assert response["Location"] == reverse("screening:entry", args=[entry.pk])
    assert entry.department_id == admin_user.department_id
    assert entry.name_key == "枣庄市台儿庄区运河商贸有限公司"
    assert AuditEntry.objects.filter(object_type="screening.listentry", object_id=str(entry.pk))


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"credit_code": ""}, "credit_code"),  # an organisation needs its USCC
        ({"credit_code": WRONG_CODE}, "credit_code"),  # wrong check character
        ({"ends_on": "2026-01-31"}, "ends_on"),  # the day before listing
        ({"basis": ""}, "basis"),
        (
            {"subject_category": SubjectCategory.NATURAL_PERSON, "credit_code": ""},
            "id_number",
        ),
        (
            {
                "subject_category": SubjectCategory.NATURAL_PERSON,
                "credit_code": "",
                "id_number": "370405199001011234",
            },
            "id_number",
        ),
    ],
)
def test_entry_form_refuses(list_type: Any, overrides: dict[str, Any], field: str) -> None:
    form = ListEntryForm(entry_data(list_type("procurement_violation"), **overrides))
    assert not form.is_valid()
    assert field in form.errors


def test_entry_form_boundaries_are_accepted(list_type: Any) -> None:
    rng = random.Random(5)
    same_day = entry_data(list_type("procurement_violation"), ends_on="2026-02-01")
    assert ListEntryForm(same_day).is_valid()  # ends the day it starts
    indefinite = entry_data(list_type("procurement_violation"), ends_on="")
    assert ListEntryForm(indefinite).is_valid()
    person = entry_data(
        list_type("judgment_defaulter"),
        subject_category=SubjectCategory.NATURAL_PERSON,
        credit_code="",
        id_number=make_resident_id(rng, division="370405").lower(),  # lower-case x is fine
    )
    form = ListEntryForm(person)
    assert form.is_valid(), form.errors
    assert form.instance.id_number_index and form.instance.id_number_masked


def test_duplicate_natural_key_is_refused_on_the_form(
    client: Any, admin_user: User, entry: ListEntry
) -> None:
    client.force_login(admin_user)
    data = entry_data(
        entry.list_type,
        subject_name=" 枣庄市台儿庄区华兴建材有限公司",  # same name after normalisation
        document_number=entry.document_number,
        credit_code=entry.credit_code,
        listed_on="2026-01-05",
    )
    response = client.post(reverse("screening:entry_new"), data)
    assert response.status_code == 200
    assert response.context["form"].errors
    assert ListEntry.objects.filter(document_number=entry.document_number).count() == 1


def test_edit_keeps_the_id_number_when_left_empty(
    client: Any, admin_user: User, make_entry: Callable[..., ListEntry]
) -> None:
    number = make_resident_id(random.Random(8), division="370405")
    person = make_entry(
        "judgment_defaulter",
        subject_name="李四",
        subject_category=SubjectCategory.NATURAL_PERSON,
        credit_code="",
        id_number=number,
    )
    index = person.id_number_index
    client.force_login(admin_user)
    data = entry_data(
        person.list_type,
        subject_name="李四",
        subject_category=SubjectCategory.NATURAL_PERSON,
        credit_code="",
        document_number=person.document_number,
        basis="拒不履行生效判决",
        listed_on="2026-01-05",
    )
    response = client.post(reverse("screening:entry_edit", args=[person.pk]), data)
    assert response.status_code == 302
    person.refresh_from_db()
    assert (person.basis, person.id_number_index) == ("拒不履行生效判决", index)


# --- removal ----------------------------------------------------------------------------------


def test_remove_entry_keeps_it_with_its_history(
    client: Any, admin_user: User, entry: ListEntry
) -> None:
    client.force_login(admin_user)
    url = reverse("screening:entry_remove", args=[entry.pk])
    response = client.post(
        url, {"removed_on": "2026-03-02", "reason": "信用修复决定 台信修〔2026〕3号"}
    )
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.status == EntryStatus.REMOVED
    assert entry.removed_on == datetime.date(2026, 3, 2)
    assert not ListEntry.objects.in_force(datetime.date(2026, 3, 2)).filter(pk=entry.pk).exists()
    change = AuditEntry.objects.filter(
        object_type="screening.listentry", object_id=str(entry.pk)
    ).latest("sequence")
    assert change.after["status"] == EntryStatus.REMOVED
    assert change.reason == "信用修复决定 台信修〔2026〕3号"
    detail = client.get(reverse("screening:entry", args=[entry.pk]))
    assert len(detail.context["history"]) == 2
    assert not detail.context["can_change"]  # history now: no edit, no second removal
    edit = client.get(reverse("screening:entry_edit", args=[entry.pk]))
    assert edit.status_code == 302


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"removed_on": "2026-03-02", "reason": ""}, "请填写移出日期和移出原因"),
        ({"removed_on": "2026-01-04", "reason": "撤销"}, "移出日期不能早于列入日期"),
    ],
)
def test_removal_is_refused(
    client: Any, admin_user: User, entry: ListEntry, data: dict[str, str], message: str
) -> None:
    client.force_login(admin_user)
    response = client.post(reverse("screening:entry_remove", args=[entry.pk]), data, follow=True)
    assert message in response.content.decode()
    entry.refresh_from_db()
    assert entry.status == EntryStatus.ACTIVE


def test_removal_on_the_listing_day_is_the_boundary(
    client: Any, admin_user: User, entry: ListEntry
) -> None:
    client.force_login(admin_user)
    data = {"removed_on": "2026-01-05", "reason": "认定决定被撤销"}
    client.post(reverse("screening:entry_remove", args=[entry.pk]), data)
    entry.refresh_from_db()
    assert entry.status == EntryStatus.REMOVED


# --- measures catalogue ---------------------------------------------------------------------


def measure_data(lists: list[ListType], where: list[Scenario], **overrides: Any) -> Any:
    data = {
        "code": "BC-01",
        "name": "限制参加区级“诚信示范企业”评选",
        "kind": "punishment",
        "effect": "prohibit",
        "edition": "台儿庄区补充清单 2026 年版",
        "legal_basis": "《枣庄市社会信用条例》",
        "list_types": [t.pk for t in lists],
        "scenarios": [s.pk for s in where],
        "departments": [],
        "is_active": "on",
    }
    data.update(overrides)
    return data


def test_credit_office_adds_a_local_measure(
    client: Any, admin_user: User, list_type: Any, scenario: Any
) -> None:
    client.force_login(admin_user)
    data = measure_data([list_type("procurement_violation")], [scenario("honours")])
    response = client.post(reverse("screening:measure_new"), data)
    assert response.status_code == 302
    measure = Measure.objects.get(code="BC-01")
    assert measure.source == CatalogueSource.LOCAL
    assert [t.code for t in measure.list_types.all()] == ["procurement_violation"]
    logged = AuditEntry.objects.filter(object_type="screening.measure", object_id=str(measure.pk))
    assert any((e.after or {}).get("scenarios") == ["honours"] for e in logged)


@pytest.mark.parametrize(
    ("kind", "lists", "valid"),
    [
        ("punishment", ["procurement_violation", "wage_arrears"], True),
        ("punishment", ["procurement_violation", "a_grade_taxpayer"], False),
        ("incentive", ["a_grade_taxpayer"], True),
        ("incentive", ["a_grade_taxpayer", "judgment_defaulter"], False),
    ],
)
def test_measure_kind_must_match_the_kind_of_its_lists(
    list_type: Any, scenario: Any, kind: str, lists: list[str], valid: bool
) -> None:
    data = measure_data(
        [list_type(code) for code in lists],
        [scenario("honours")],
        kind=kind,
        effect="priority" if kind == "incentive" else "prohibit",
    )
    form = MeasureForm(data)
    assert form.is_valid() is valid
    if not valid:
        assert "list_types" in form.errors


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"list_types": []}, "list_types"),
        ({"scenarios": []}, "scenarios"),
        ({"legal_basis": "  "}, "legal_basis"),
    ],
)
def test_measure_needs_a_list_a_scenario_and_a_legal_basis(
    list_type: Any, scenario: Any, overrides: dict[str, Any], field: str
) -> None:
    data = measure_data([list_type("work_safety")], [scenario("honours")], **overrides)
    form = MeasureForm(data)
    assert not form.is_valid()
    assert field in form.errors


def test_editing_a_national_measure_keeps_its_source(
    client: Any, admin_user: User, catalogue: None
) -> None:
    measure = Measure.objects.get(code="JC-05")
    client.force_login(admin_user)
    data = measure_data(
        list(measure.list_types.all()),
        list(measure.scenarios.all()),
        code="JC-05",
        name=measure.name,
        edition=measure.edition,
        legal_basis=measure.legal_basis + "；补充依据",
    )
    response = client.post(reverse("screening:measure_edit", args=[measure.pk]), data)
    assert response.status_code == 302
    measure.refresh_from_db()
    assert measure.source == CatalogueSource.NATIONAL and measure.legal_basis.endswith("补充依据")


def test_measure_list_shows_source_and_departments(
    client: Any, admin_user: User, catalogue: None
) -> None:
    client.force_login(admin_user)
    response = client.get(reverse("screening:measures"))
    text = response.content.decode()
    assert "全国基础清单" in text and "全区各实施部门" in text
    assert len(response.context["measures"]) == Measure.objects.count()


# --- demo data ------------------------------------------------------------------------------


def test_demo_lists_are_deterministic_and_varied(db: None) -> None:
    import io

    from chengxin.core.demodata import build_demo

    volumes = {"subjects": 300, "licenses": 0, "penalties": 0, "list_entries": 100}
    build_demo(3, volumes, io.StringIO())
    entries = ListEntry.objects.select_related("list_type")
    first = sorted((e.list_type.code, e.document_number, e.name_key) for e in entries)
    assert len(first) == 100
    assert {code for code, *_ in first} == {
        "judgment_defaulter",
        "major_tax_violation",
        "procurement_violation",
        "work_safety",
        "wage_arrears",
        "a_grade_taxpayer",
    }
    assert entries.filter(status=EntryStatus.REMOVED).exists()
    today = localdate()
    assert entries.filter(status=EntryStatus.ACTIVE, ends_on__lt=today).exists()  # expired
    assert ListEntry.objects.in_force().exists()
    assert all(e.subject_id for e in entries)  # found by the portal and repair through subjects
    for entry in entries:
        entry.full_clean()  # every demo entry obeys the entry rules
    local = Measure.objects.get(code="BC-01")
    assert local.source == CatalogueSource.LOCAL
    assert {t.kind for t in local.list_types.all()} == {"dishonesty"}
