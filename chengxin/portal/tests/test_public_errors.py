"""Issue 17.5 on the public surface: an ID number never travels in a URL, a bad page number is a
clean 400 or 404 on every list, and the report verification page is easy to find."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from chengxin.accounts.choices import Role
from chengxin.accounts.models import User
from chengxin.core.identifiers import looks_like_id_number, validate_uscc
from chengxin.portal.tests.fixtures import company, person
from chengxin.subjects.models import Subject

pytestmark = pytest.mark.django_db

ID_NUMBER = "360426199101010071"
ID_NUMBER_X = "36042619910101008X"
# An all-digit 统一社会信用代码: ID-shaped, but a credit code (may travel in a URL).
DIGIT_CREDIT_CODE = "913704051234568099"

SPELLINGS = {
    "plain": ID_NUMBER,
    "blanks inside": "360426 19910101 0071",
    "blanks around": f"  {ID_NUMBER} ",
    "ideographic space": "360426\u300019910101\u30000071",
    "hyphens": "360426-19910101-0071",
    "full-width digits": "３６０４２６１９９１０１０１００７１",
    "full-width with blanks": "３６０４２６　１９９１０１０１　００７１",
    "mixed widths": "３６０４２６19910101００７１",
}
X_SPELLINGS = {
    "upper-case X": ID_NUMBER_X,
    "lower-case x": ID_NUMBER_X.lower(),
    "full-width Ｘ": "３６０４２６１９９１０１０１００８Ｘ",
    "full-width ｘ": "３６０４２６１９９１０１０１００８ｘ",
}
# Not anyone's number here, but a number of someone: refused all the same.
OTHER_NUMBERS = {
    "wrong check character": "360426199101010072",
    "old 15-digit form": "360426910101007",
    "old form, full-width": "３６０４２６９１０１０１００７",
}
REFUSED = {**SPELLINGS, **X_SPELLINGS, **OTHER_NUMBERS}

API = "/api/v1/public/subjects"


@pytest.fixture
def someone() -> Subject:
    return person("张小三", ID_NUMBER)


@pytest.fixture
def someone_x() -> Subject:
    return person("李小四", ID_NUMBER_X)


def _no_number_in(body: str) -> None:
    for number in (ID_NUMBER, ID_NUMBER_X, "19910101", "910101007", "１９９１０１０１"):
        assert number not in body


# --------------------------------------------------------------------------- GET is refused


@pytest.mark.parametrize("spelling", REFUSED.values(), ids=REFUSED.keys())
def test_an_id_number_in_the_search_address_is_refused_with_a_form_that_posts(
    client: Client, someone: Subject, spelling: str
) -> None:
    response = client.get("/search/", {"q": spelling})
    body = response.content.decode()
    assert response.status_code == 400
    assert "身份证号码不能写在网址中" in body and "请通过查询框查询身份证号码" in body
    assert 'method="post"' in body and 'action="/search/"' in body  # the form to use instead
    assert 'class="site-header"' in body  # the site's layout
    assert "Bad Request" not in body and "张*三" not in body
    assert spelling.strip() not in body
    _no_number_in(body)


@pytest.mark.parametrize("spelling", REFUSED.values(), ids=REFUSED.keys())
def test_an_id_number_in_the_api_address_is_refused_before_any_query(
    client: Client, someone: Subject, spelling: str, django_assert_num_queries: Any
) -> None:
    with django_assert_num_queries(0):
        response = client.get(API, {"q": spelling})
    assert response.status_code == 400 and response["Content-Type"] == "application/json"
    error = response.json()["error"]
    assert "POST" in error and "身份证号码不能写在网址中" in error
    _no_number_in(response.content.decode())


def test_a_head_request_is_refused_like_a_get(client: Client) -> None:
    assert client.head(API, {"q": ID_NUMBER}).status_code == 400
    assert client.head("/search/", {"q": ID_NUMBER}).status_code == 400


@pytest.mark.parametrize(
    "query",
    [
        "宏达",
        DIGIT_CREDIT_CODE,
        "3604261991010100",  # 16 digits: no ID number
        "36042619910101007100",  # 20 digits
        "360426991301007",  # 15 digits, no date in them (month 13)
    ],
)
def test_names_and_credit_codes_may_still_be_searched_by_get(client: Client, query: str) -> None:
    assert client.get("/search/", {"q": query}).status_code == 200
    assert client.get(API, {"q": query}).status_code == 200


def test_an_all_digit_credit_code_is_found_by_get(client: Client) -> None:
    assert validate_uscc(DIGIT_CREDIT_CODE) and not looks_like_id_number(DIGIT_CREDIT_CODE)
    firm = company("枣庄市台儿庄区宏达商贸有限公司")
    Subject.objects.filter(pk=firm.pk).update(credit_code=DIGIT_CREDIT_CODE)
    page = client.get("/search/", {"q": DIGIT_CREDIT_CODE}).content.decode()
    assert "枣庄市台儿庄区宏达商贸有限公司" in page
    found = client.get(API, {"q": DIGIT_CREDIT_CODE}).json()
    assert found["match"] == "code" and found["results"][0]["credit_code"] == DIGIT_CREDIT_CODE


# --------------------------------------------------------------------------- POST finds


@pytest.mark.parametrize("spelling", SPELLINGS.values(), ids=SPELLINGS.keys())
def test_the_search_form_posts_an_id_number_and_finds_the_person(
    client: Client, someone: Subject, spelling: str
) -> None:
    response = client.post("/search/", {"q": spelling})
    body = response.content.decode()
    assert response.status_code == 200
    assert f"/subjects/{someone.public_id}/" in body and "张*三" in body
    assert "360426********0071" in body
    assert "张小三" not in body
    _no_number_in(body)


@pytest.mark.parametrize("spelling", X_SPELLINGS.values(), ids=X_SPELLINGS.keys())
def test_a_posted_id_number_ending_in_x_finds_the_person(
    client: Client, someone_x: Subject, spelling: str
) -> None:
    body = client.post("/search/", {"q": spelling}).content.decode()
    assert f"/subjects/{someone_x.public_id}/" in body and "李*四" in body
    found = client.post(API, {"q": spelling}).json()
    assert [r["id"] for r in found["results"]] == [str(someone_x.public_id)]
    assert found["query"] == "360426********008X"


@pytest.mark.parametrize("spelling", SPELLINGS.values(), ids=SPELLINGS.keys())
def test_the_api_finds_a_person_by_a_posted_form_or_json(
    client: Client, someone: Subject, spelling: str
) -> None:
    as_form = client.post(API, {"q": spelling})
    as_json = client.post(API, json.dumps({"q": spelling}), content_type="application/json")
    for response in (as_form, as_json):
        assert response.status_code == 200
        data = response.json()
        assert data["match"] == "id_number" and data["query"] == "360426********0071"
        assert [r["id"] for r in data["results"]] == [str(someone.public_id)]
        assert data["results"][0]["name"] == "张*三"
        _no_number_in(response.content.decode())


@pytest.mark.parametrize("number", OTHER_NUMBERS.values(), ids=OTHER_NUMBERS.keys())
def test_a_posted_number_of_nobody_is_answered_without_a_redirect_or_an_echo(
    client: Client, someone: Subject, number: str
) -> None:
    """Posted, it is not sent on to a GET address (which would put it in a URL after all)."""
    response = client.post("/search/", {"q": number})
    assert response.status_code == 200 and "没有找到匹配的信用主体" in response.content.decode()
    assert number not in response.content.decode()
    api = client.post(API, {"q": number})
    assert api.status_code == 200 and api.json()["results"] == []
    assert number not in api.content.decode()


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("{not json", "不是有效的 JSON"),
        ('["q"]', "JSON 对象"),
        ('{"q": 360426199101010071}', "q 应为字符串"),
        ('{"q": "宏达", "page": [1]}', "page 应为正整数"),
        ('{"page": 1}', "缺少查询参数 q"),
    ],
)
def test_a_malformed_json_body_is_a_chinese_400(client: Client, body: str, message: str) -> None:
    response = client.post(API, body, content_type="application/json")
    assert response.status_code == 400 and message in response.json()["error"]


def test_the_openapi_schema_documents_the_post_search(client: Client) -> None:
    schema = client.get("/api/v1/public/openapi.json").json()
    operations = schema["paths"]["/api/v1/public/subjects"]
    post = operations["post"]
    for media_type in ("application/x-www-form-urlencoded", "application/json"):
        body = post["requestBody"]["content"][media_type]["schema"]
        assert body["required"] == ["q"] and set(body["properties"]) == {"q", "page"}
    assert {"200", "400", "404", "429"} <= set(post["responses"])
    assert "POST" in operations["get"]["description"]
    # A real answer has exactly the documented fields.
    result = post["responses"]["200"]["content"]["application/json"]["schema"]
    answer = client.post(API, {"q": "宏达"}).json()
    assert set(answer) == set(result["properties"]) == set(result["required"])
    error = post["responses"]["400"]["content"]["application/json"]["schema"]
    assert set(client.get(API, {"q": ID_NUMBER}).json()) == set(error["properties"])


# --------------------------------------------------------------------------- page numbers

MALFORMED_PAGES = ["abc", "-1", "+1", "²", "①", "١", "１", " 1", "1 ", "1.0", "1e3", "0x10", "1_0"]
MISSING_PAGES = ["0", "00", "2", "9223372036854775808", "99999999999999999999", "9" * 5000]


@pytest.fixture
def names() -> None:
    for i in range(3):
        company(f"台儿庄区宏达{i}号商店")


@pytest.mark.parametrize("value", MALFORMED_PAGES)
def test_a_malformed_page_of_search_results_is_a_chinese_400(
    client: Client, names: None, value: str
) -> None:
    page = client.get("/search/", {"q": "宏达", "page": value})
    assert page.status_code == 400 and "页码应为正整数" in page.content.decode()
    api = client.get(API, {"q": "宏达", "page": value})
    assert api.status_code == 400 and "页码应为正整数" in api.json()["error"]
    posted = client.post(API, {"q": "宏达", "page": value})
    assert posted.status_code == 400


@pytest.mark.parametrize("value", MISSING_PAGES)
def test_a_page_of_search_results_past_the_last_is_a_chinese_404(
    client: Client, names: None, value: str
) -> None:
    page = client.get("/search/", {"q": "宏达", "page": value})
    assert page.status_code == 404 and "没有这一页" in page.content.decode()
    api = client.get(API, {"q": "宏达", "page": value})
    assert api.status_code == 404 and "没有这一页" in api.json()["error"]


@pytest.mark.parametrize("value", ["", "1", "01"])
def test_the_first_page_of_search_results(client: Client, names: None, value: str) -> None:
    assert client.get("/search/", {"q": "宏达", "page": value}).status_code == 200
    assert client.get(API, {"q": "宏达", "page": value}).json()["page"] == 1
    data = json.dumps({"q": "宏达", "page": 1})
    assert client.post(API, data, content_type="application/json").json()["page"] == 1


def test_a_page_with_no_results_is_only_missing_past_the_first(client: Client) -> None:
    assert client.get(API, {"q": "宏达", "page": "1"}).json()["results"] == []
    assert client.get(API, {"q": "宏达", "page": "2"}).status_code == 404


# Every paginated list, public and staff (core.pagination), with a role that may open it.
PUBLIC_LISTS = [("agencies_public:officers", {}), ("powers_public:list", {})]
PUBLIC_LISTS += [("documents_public:index", {})]
CREDIT_LISTS = [
    ("publicity:list", {"kind": "penalties"}),
    ("imports:batches", {}),
    ("screening:entries", {}),
    ("screening:checks", {}),
    ("screening:batches", {}),
    ("repair_staff:queue", {}),
    ("outbox:list", {}),
    ("outbox:dead", {}),
]
LAW_LISTS = [
    ("agencies:bodies", {}),
    ("agencies:officers", {}),
    ("powers:list", {}),
    ("powers:adjustments", {}),
    ("cases:list", {}),
    ("cases:off_network", {}),
    ("documents:list", {}),
    ("documents:filings", {}),
    ("decisions:list", {}),
    ("disputes:list", {"register": "reconsiderations"}),
]
LISTS = [(None, *item) for item in PUBLIC_LISTS]
LISTS += [(Role.CREDIT_ADMIN, *item) for item in CREDIT_LISTS]
LISTS += [(Role.RULE_OF_LAW_ADMIN, *item) for item in LAW_LISTS]
LISTS += [
    (Role.LEGAL_REVIEWER, f"{app}:reviews", {}) for app in ("cases", "documents", "decisions")
]


@pytest.mark.parametrize(("role", "name", "kwargs"), LISTS, ids=[item[1] for item in LISTS])
def test_every_list_answers_bad_page_numbers_with_400_or_404(
    role: str | None,
    name: str,
    kwargs: dict[str, str],
    make_user: Callable[..., User],
) -> None:
    client = Client(raise_request_exception=False)
    if role is not None:
        client.force_login(make_user(role))
    url = reverse(name, kwargs=kwargs)
    assert client.get(url).status_code == 200
    assert client.get(url, {"page": "1"}).status_code == 200
    for value in MALFORMED_PAGES:
        response = client.get(url, {"page": value})
        assert response.status_code == 400, value
        assert "页码应为正整数" in response.content.decode()
    for value in MISSING_PAGES:
        response = client.get(url, {"page": value})
        assert response.status_code == 404, value
        assert "没有这一页" in response.content.decode()


def test_no_list_paginates_past_the_shared_helper() -> None:
    """Paginator.get_page turns a bad page into page 1 or the last page: every list goes through
    core.pagination.paginate instead (the test above tries a sample of them)."""
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    offenders = [
        str(path.relative_to(root))
        for path in root.rglob("*.py")
        if "tests" not in path.parts
        and path.name != "pagination.py"
        and ("Paginator(" in (text := path.read_text()) or ".get_page(" in text)
    ]
    assert offenders == []


# --------------------------------------------------------------------------- verification links


def test_the_verification_page_is_in_the_main_navigation(client: Client) -> None:
    verify = reverse("credit_reports:verify-start")
    for url in ("/", "/statistics/", "/open/", "/no-such-page/"):
        body = client.get(url).content.decode()
        navigation = body[body.index('class="top-nav"') : body.index("</nav>")]
        assert f'href="{verify}"' in navigation, url


def test_the_subject_page_and_the_report_page_link_to_verification(client: Client) -> None:
    firm = company()
    verify = f'href="{reverse("credit_reports:verify-start")}"'
    subject_page = client.get(f"/subjects/{firm.public_id}/").content.decode()
    report_part = subject_page[subject_page.index("report-link") :]
    assert verify in report_part[: report_part.index("</section>")]
    report_page = client.get(reverse("credit_reports:download", args=[firm.public_id]))
    assert verify in report_page.content.decode()


def test_the_verification_index_takes_a_number_and_shows_the_result(client: Client) -> None:
    page = client.get(reverse("credit_reports:verify-start"))
    assert page.status_code == 200 and 'name="number"' in page.content.decode()
    asked = client.get(reverse("credit_reports:verify-start"), {"number": " cr-2026-x "})
    assert asked.status_code == 302 and asked["Location"] == "/verify/CR-2026-X/"
    unknown = client.get(asked["Location"])
    assert unknown.status_code == 404 and "未找到编号为 CR-2026-X 的信用报告" in (
        unknown.content.decode()
    )


def test_the_home_pages_service_cards_are_links_to_their_services(client: Client) -> None:
    body = client.get("/").content.decode()
    cards = body[body.index('class="cards"') :]
    for name in ("portal_statistics:page", "credit_reports:verify-start", "repair:lookup"):
        assert f'<a class="card service-card" href="{reverse(name)}">' in cards, name
    assert "<article" not in cards
    for url in (reverse("portal_statistics:page"), reverse("repair:lookup")):
        assert client.get(url).status_code == 200
