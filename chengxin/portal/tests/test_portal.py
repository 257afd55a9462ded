"""The public portal: search, the subject page, the JSON API, masking, limits."""

from __future__ import annotations

import datetime

import pytest
from django.test import override_settings
from django.utils.timezone import localdate

from chengxin.core.identifiers import mask_name
from chengxin.portal.queries import search
from chengxin.portal.tests.fixtures import company, license_, penalty, person, recently
from chengxin.publicity.choices import RecordStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def department(make_department):
    return make_department(name="台儿庄区市场监督管理局")


@pytest.mark.parametrize(
    ("name", "masked"),
    [("张三", "张*"), ("张小三", "张*三"), ("欧阳娜娜", "欧**娜"), ("李", "*"), ("", "")],
)
def test_mask_name(name, masked) -> None:
    assert mask_name(name) == masked


def test_search_by_code_exact_by_name_substring() -> None:
    target = company("枣庄市台儿庄区宏达商贸有限公司")
    company("枣庄市台儿庄区恒通物流有限公司")
    assert search(target.credit_code).subjects == [target]
    assert search(target.credit_code.lower()).subjects == [target]  # normalised
    assert search("宏达").subjects == [target]
    assert search("宏达商贸").subjects == [target]
    assert {s.name for s in search("台儿庄区").subjects} == {
        "枣庄市台儿庄区宏达商贸有限公司",
        "枣庄市台儿庄区恒通物流有限公司",
    }
    assert search("宏通").subjects == []  # characters present, but not adjacent


def test_name_results_come_exact_name_first_then_shorter_names() -> None:
    longest = company("枣庄市台儿庄区宏达商贸有限公司")
    exact = company("宏达商贸")
    shorter = company("宏达商贸有限公司")
    same_length = company("山东宏达商贸有限公司")
    same_length_registered_later = company("山东宏达商店有限公司")
    assert search("宏达商贸").subjects == [exact, shorter, same_length, longest]
    assert search("宏达").subjects == [
        exact,
        shorter,
        same_length,  # names of one length in the order of registration
        same_length_registered_later,
        longest,
    ]


def test_a_one_character_name_query_is_refused_with_a_message() -> None:
    result = search("宏")
    assert result.subjects == [] and "至少 2 个字" in result.error


def test_natural_persons_are_found_by_full_id_number_only() -> None:
    someone = person("张小三", "360426199101010071")
    assert search("张小三").subjects == []
    assert search("360426199101010071").subjects == [someone]
    assert search("36042619910101007x").subjects == []  # another number


def test_pagination() -> None:
    for i in range(25):
        company(f"台儿庄区测试{i:02d}号商店有限公司")
    first, second = search("测试", 1), search("测试", 2)
    assert len(first.subjects) == 20 and first.has_next
    assert len(second.subjects) == 5 and not second.has_next
    assert not set(first.subjects) & set(second.subjects)


def test_subject_page_shows_only_records_in_their_publicity_period(client, department) -> None:
    subject = company()
    visible = penalty(subject, department, decision_date=recently())
    expired = penalty(
        subject, department, decision_date=datetime.date(2022, 1, 10)
    )  # 527号: 1 year
    withdrawn = penalty(subject, department, status=RecordStatus.WITHDRAWN)
    draft = penalty(subject, department, status=RecordStatus.DRAFT)
    valid_licence = license_(subject, department)
    ended_licence = license_(subject, department, valid_to=datetime.date(2024, 1, 1))
    page = client.get(f"/subjects/{subject.public_id}/").content.decode()
    assert visible.decision_number in page and valid_licence.decision_number in page
    for hidden in (expired, withdrawn, draft, ended_licence):
        assert hidden.decision_number not in page
    assert client.get(f"/subjects/{subject.credit_code}/").status_code == 200  # by code too


def test_subject_page_queries_do_not_grow_with_records(
    client, department, django_assert_max_num_queries
) -> None:
    from django.core.cache import cache

    subject = company()
    for _ in range(3):
        penalty(subject, department)
    with django_assert_max_num_queries(6) as few:
        client.get(f"/subjects/{subject.public_id}/")
    for _ in range(20):
        penalty(subject, department)
        license_(subject, department)
    cache.clear()  # rendered again, not served from the cache (test_cache.py)
    with django_assert_max_num_queries(len(few.captured_queries)) as many:
        page = client.get(f"/subjects/{subject.public_id}/").content.decode()
    assert len(many.captured_queries) >= 2 and page.count("台市监罚") == 23


def test_search_queries_do_not_grow_with_results(client, django_assert_max_num_queries) -> None:
    for i in range(20):
        company(f"台儿庄区宏达{i:02d}有限公司")
    with django_assert_max_num_queries(3):
        response = client.get("/search/?q=宏达")
    assert response.content.decode().count("/subjects/") == 20


def test_a_natural_persons_page_never_shows_the_full_name_or_id(client, department) -> None:
    someone = person("张小三", "360426199101010071")
    penalty(someone, department, id_number="360426199101010071")
    responses = {
        "page": client.get(f"/subjects/{someone.public_id}/"),
        "api": client.get(f"/api/v1/public/subjects/{someone.public_id}"),
        "search": client.post("/search/", {"q": "360426199101010071"}),
        "api search": client.post("/api/v1/public/subjects", {"q": "360426199101010071"}),
    }
    for url, response in responses.items():
        body = response.content.decode()
        assert "张*三" in body or "\\u5f20*\\u4e09" in body, url
        assert "张小三" not in body and "360426199101010071" not in body, url
        assert "19910101" not in body, url
    refused = client.get("/search/?q=360426199101010071")  # test_public_errors.py: every spelling
    assert refused.status_code == 400 and "19910101" not in refused.content.decode()


def test_a_name_search_posted_is_redirected_to_a_shareable_address(client) -> None:
    response = client.post("/search/", {"q": "宏达"})
    assert response.status_code == 302 and response["Location"] == "/search/?q=%E5%AE%8F%E8%BE%BE"


def test_public_api(client, department) -> None:
    subject = company("枣庄市台儿庄区宏达商贸有限公司")
    record = penalty(subject, department)
    listing = client.get("/api/v1/public/subjects", {"q": "宏达"}).json()
    assert (
        listing["match"] == "name" and listing["results"][0]["credit_code"] == subject.credit_code
    )
    detail = client.get(
        listing["results"][0]["url"].replace("/subjects/", "/api/v1/public/subjects/").rstrip("/")
    )
    data = detail.json()
    assert data["penalties"][0]["CF_WSH"] == record.decision_number
    assert data["penalties"][0]["CF_NR_FK"] == "0.2" and data["penalties"][0]["public_until"]
    assert client.get("/api/v1/public/subjects").status_code == 400
    assert client.get("/api/v1/public/subjects", {"q": "宏"}).status_code == 400
    assert client.get("/api/v1/public/subjects/no-such-subject").status_code == 404
    schema = client.get("/api/v1/public/openapi.json").json()
    assert schema["openapi"].startswith("3.") and "/api/v1/public/subjects" in schema["paths"]


@override_settings(PORTAL_RATE_LIMITS={"search": (3, 60), "report": (1, 3600)})
def test_search_is_rate_limited_per_address(client, clock) -> None:
    from django.core.cache import cache

    cache.clear()
    clock.travel(datetime.datetime(2026, 3, 2, 10, 0, 20, tzinfo=datetime.UTC))
    statuses = [client.get("/search/?q=宏达").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    response = client.get("/api/v1/public/subjects", {"q": "宏达"})
    assert response.status_code == 429 and "查询过于频繁" in response.json()["error"]
    assert response["Retry-After"] == "60"
    other = client.get("/search/?q=宏达", REMOTE_ADDR="10.1.2.3")
    assert other.status_code == 200


def test_the_home_page_shows_headline_figures(client, department) -> None:
    from django.core.cache import cache

    cache.clear()
    subject = company()
    penalty(subject, department)
    license_(subject, department)
    page = client.get("/").content.decode()
    assert "条行政许可信息" in page and "<strong>1</strong>" in page


def test_free_text_is_redacted_on_the_page_and_in_the_api(client, department) -> None:
    someone = person("张小三", ID_NUMBER := "360426199101010071")
    penalty(
        someone,
        department,
        id_number=ID_NUMBER,
        violation_facts=f"张小三（身份证号 {ID_NUMBER}）无证经营。",
    )
    firm = company()
    penalty(
        firm, department, violation_facts="法定代表人李四，身份证号 110102199101010078，拒不整改。"
    )
    for subject in (someone, firm):
        for url in (
            f"/subjects/{subject.public_id}/",
            f"/api/v1/public/subjects/{subject.public_id}",
        ):
            body = client.get(url).content.decode()
            assert (
                ID_NUMBER not in body and "110102199101010078" not in body and "张小三" not in body
            ), url
    assert "110102********0078" in client.get(f"/subjects/{firm.public_id}/").content.decode()


def test_a_subjects_records_are_read_through_the_subject_index(department) -> None:
    """The subject page and the report must not walk every published record (a 4 s page at 2M)."""
    from django.db import connection

    from chengxin.publicity.models import LicenseRecord, PenaltyRecord

    for model, index in (
        (LicenseRecord, "license_subject_date"),
        (PenaltyRecord, "penalty_subject_date"),
    ):
        records = (
            model.objects.publicly_visible(localdate())
            .filter(subject_id=1)
            .order_by("-decision_date", "-id")
        )
        sql, params = records.query.sql_with_params()
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                # Tiny test tables whose statistics depend on the tests before: without a
                # sequential scan or a sort (full or incremental, which PostgreSQL switches
                # separately), only the index that filters and orders will do.
                cursor.execute("SET LOCAL enable_seqscan = off")
                cursor.execute("SET LOCAL enable_sort = off")
                cursor.execute("SET LOCAL enable_incremental_sort = off")
            cursor.execute(
                f"EXPLAIN {'QUERY PLAN ' if connection.vendor == 'sqlite' else ''}{sql}", params
            )
            plan = " ".join(str(row) for row in cursor.fetchall())
        assert index in plan, plan
