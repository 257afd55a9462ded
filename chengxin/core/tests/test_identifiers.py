"""Tests for chengxin.core.identifiers (GB 32100-2015 USCC, GB 11643-1999 resident IDs)."""

from __future__ import annotations

import datetime
import random

import pytest
from django.core.exceptions import ValidationError
from django.utils.timezone import localdate
from stdnum.cn import ric as stdnum_ric
from stdnum.cn import uscc as stdnum_uscc

from chengxin.core.identifiers import (
    USCC_ALPHABET,
    USCC_PLACEHOLDER,
    is_uscc_placeholder,
    looks_like_id_number,
    make_resident_id,
    make_uscc,
    mask_id_number,
    normalise,
    uscc_category,
    uscc_check_char,
    uscc_warnings,
    validate_resident_id,
    validate_uscc,
)

USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
RIC_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def with_check(first17: str) -> str:
    """Complete a 17-character USCC prefix with its check character."""
    return first17 + uscc_check_char(first17)


def with_ric_check(first17: str) -> str:
    """Complete 17 resident-ID digits with the GB 11643 check character (own arithmetic)."""
    total = sum(int(d) * w for d, w in zip(first17, RIC_WEIGHTS, strict=True))
    return first17 + "10X98765432"[total % 11]


# --------------------------------------------------------------------------- normalise


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("91110000600037341L", "91110000600037341L"),
        ("  91110000600037341l  ", "91110000600037341L"),
        ("91 110000 600037341L", "91110000600037341L"),
        ("9 1 110000 600037341L", "91110000600037341L"),
        ("91-110000-600037341L", "91110000600037341L"),
        ("91\u3000110000\t600037341L\n", "91110000600037341L"),
        ("９１１１００００６０００３７３４１Ｌ", "91110000600037341L"),
        ("９１１１００００６０００３７３４１ｌ", "91110000600037341L"),
        ("９１－１１００００", "91110000"),  # full-width hyphen U+FF0D
        ("\uff01\uff5e", "!~"),  # both ends of the full-width range
        ("\uff00\uff5f", "\uff00\uff5f"),  # just outside the range: untouched
        ("44011320141005001x", "44011320141005001X"),
        ("", ""),
        (" \u3000 ", ""),
    ],
)
def test_normalise(raw: str, expected: str) -> None:
    assert normalise(raw) == expected


# --------------------------------------------------------------------------- USCC: valid


@pytest.mark.parametrize(
    "code",
    [
        "91110000600037341L",  # stdnum doctest
        "121200004013590816",
        "9144030071526726XG",
        "91340600MA2PBM9HXD",
        "91620105L015101280",
        "92340602MA2PBQAH7E",
        "91310115MA1K3BTP2B",
        "91512081MA62K0260E",
    ],
)
def test_validate_uscc_valid_codes(code: str) -> None:
    assert validate_uscc(code) == code
    assert stdnum_uscc.is_valid(code)  # stdnum agrees on digit-led codes


def test_uscc_weighted_sum_of_sichuan_example() -> None:
    # Σ over positions 1-17 is 1505; 1505 mod 31 = 17, (31 - 17) mod 31 = 14 -> 'E'.
    code = "91512081MA62K0260E"
    total = sum(USCC_ALPHABET.index(c) * w for c, w in zip(code[:17], USCC_WEIGHTS, strict=True))
    assert total == 1505
    assert USCC_ALPHABET[(31 - total % 31) % 31] == "E" == uscc_check_char(code[:17])


@pytest.mark.parametrize(
    "raw",
    [
        "91 110000 600037341L",
        "９１１１００００６０００３７３４１Ｌ",
        " 91110000600037341l ",
        "91-110000-600037341L",
        "91\u3000110000600037341L",
    ],
)
def test_validate_uscc_normalises(raw: str) -> None:
    assert validate_uscc(raw) == "91110000600037341L"


def test_stdnum_does_not_handle_full_width_letters() -> None:
    # Documents a gap: stdnum maps full-width digits but leaves the full-width 'Ｌ'.
    assert stdnum_uscc.is_valid("９１１１００００６０００３７３４１Ｌ") is False


# --------------------------------------------------------------------------- USCC: errors


@pytest.mark.parametrize(
    ("code", "error_code"),
    [
        ("91110000600037341N", "invalid_checksum"),  # stdnum doctest
        ("91110000600037341M", "invalid_checksum"),
        ("9111000060003IOZSV", "invalid_format"),
        ("12345", "invalid_length"),
        ("", "invalid_length"),
        ("91110000600037341", "invalid_length"),  # 17
        ("91110000600037341L0", "invalid_length"),  # 19
        ("91A10000600037341L", "invalid_format"),  # division code must be digits
        ("9111000060003734!L", "invalid_format"),
        ("9111000060003734²L", "invalid_format"),  # Unicode digit, not ASCII
    ],
)
def test_validate_uscc_errors(code: str, error_code: str) -> None:
    with pytest.raises(ValidationError) as excinfo:
        validate_uscc(code)
    assert excinfo.value.code == error_code
    assert excinfo.value.messages[0].startswith("统一社会信用代码")


@pytest.mark.parametrize("bad", ["I", "O", "Z", "S", "V"])
def test_validate_uscc_rejects_each_excluded_letter(bad: str) -> None:
    with pytest.raises(ValidationError) as excinfo:
        validate_uscc("91110000" + bad + "00037341L")
    assert excinfo.value.code == "invalid_format"
    assert bad in excinfo.value.messages[0]


def test_checksum_error_names_expected_char() -> None:
    with pytest.raises(ValidationError) as excinfo:
        validate_uscc("91110000600037341N")
    assert excinfo.value.code == "invalid_checksum"
    assert "应为 L" in excinfo.value.messages[0]


# --------------------------------------------------------------------------- USCC: A/N/Y gap


@pytest.mark.parametrize(
    ("first17", "expected_category"),
    [
        ("A1370405MA1234567", ("中央军委改革和编制办公室", "军队事业单位")),
        ("A9370405000000000", ("中央军委改革和编制办公室", "其他")),
        ("N1370405MA2PBQAH7", ("农业", "组级")),
        ("N2370405594672399", ("农业", "村级")),
        ("N3370405123456789", ("农业", "乡镇级集体经济组织")),
        ("N9370405123456789", ("农业", "其他")),
        ("Y1370405594672399", ("其他", "其他")),
    ],
)
def test_letter_led_departments_are_valid(first17: str, expected_category: tuple[str, str]) -> None:
    code = with_check(first17)
    # The gap: stdnum requires positions 1-8 to be digits and rejects these codes.
    assert stdnum_uscc.is_valid(code) is False
    assert validate_uscc(code) == code
    assert uscc_category(code) == expected_category
    # and a wrong check character is still caught
    wrong = code[:17] + ("0" if code[17] != "0" else "1")
    with pytest.raises(ValidationError) as excinfo:
        validate_uscc(wrong)
    assert excinfo.value.code == "invalid_checksum"


# --------------------------------------------------------------------------- USCC: category


VALID_PAIRS = {
    "1": "1239",
    "2": "19",
    "3": "123459",
    "4": "19",
    "5": "1239",
    "6": "129",
    "7": "129",
    "8": "19",
    "9": "123",
    "A": "19",
    "N": "1239",
    "Y": "1",
}


@pytest.mark.parametrize("department", list(USCC_ALPHABET))
def test_every_department_category_pair(department: str) -> None:
    for category in USCC_ALPHABET:
        code = with_check(department + category + "370405594672399")
        if category in VALID_PAIRS.get(department, ""):
            assert validate_uscc(code) == code
            continue
        with pytest.raises(ValidationError) as excinfo:
            validate_uscc(code)
        assert excinfo.value.code == "invalid_category"
        message = excinfo.value.messages[0]
        assert f"登记管理部门代码 {department}" in message
        assert f"机构类别代码 {category}" in message


def test_invalid_pair_with_correct_checksum_passes_stdnum() -> None:
    code = with_check("94370405594672399")  # 工商 has no category 4
    assert stdnum_uscc.is_valid(code) is True  # stdnum does not check the pair
    with pytest.raises(ValidationError) as excinfo:
        validate_uscc(code)
    assert excinfo.value.code == "invalid_category"


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("91110000600037341L", ("工商", "企业")),
        ("92340602MA2PBQAH7E", ("工商", "个体工商户")),
        ("121200004013590816", ("机构编制", "事业单位")),
        (with_check("11370405594672399"), ("机构编制", "机关")),
        (with_check("13370405594672399"), ("机构编制", "编办直接管理机构编制的群众团体")),
        (with_check("21370405594672399"), ("外交", "外国常驻新闻机构")),
        (with_check("35370405594672399"), ("司法行政", "仲裁委员会")),
        (with_check("41370405594672399"), ("文化", "外国在华文化中心")),
        (with_check("53370405594672399"), ("民政", "基金会")),
        (
            with_check("62370405594672399"),
            ("旅游", "港澳台地区旅游部门常驻内地（大陆）代表机构"),
        ),
        (with_check("72370405594672399"), ("宗教", "宗教院校")),
        (with_check("81370405594672399"), ("工会", "基层工会")),
        (with_check("93370405594672399"), ("工商", "农民专业合作社")),
        (with_check("N2370405594672399"), ("农业", "村级")),
        (with_check("Y1370405594672399"), ("其他", "其他")),
    ],
)
def test_uscc_category(code: str, expected: tuple[str, str]) -> None:
    assert uscc_category(code) == expected


@pytest.mark.parametrize(
    ("code", "error_code"),
    [
        ("91110000600037341N", "invalid_checksum"),
        (USCC_PLACEHOLDER, "placeholder_not_allowed"),
        (with_check("94370405594672399"), "invalid_category"),
    ],
)
def test_uscc_category_rejects_invalid(code: str, error_code: str) -> None:
    with pytest.raises(ValidationError) as excinfo:
        uscc_category(code)
    assert excinfo.value.code == error_code


# --------------------------------------------------------------------------- USCC: placeholder


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("00000000000000000X", True),
        ("00000000000000000x", True),
        (" 000000 000000 00000 X ", True),
        ("０" * 17 + "ｘ", True),
        ("000000000000000000", False),
        ("00000000000000000", False),
        ("91110000600037341L", False),
        ("", False),
    ],
)
def test_is_uscc_placeholder(raw: str, expected: bool) -> None:
    assert is_uscc_placeholder(raw) is expected


def test_placeholder_fails_checksum() -> None:
    # Why it must be recognised first: its check character would be '0', not 'X'.
    assert uscc_check_char(USCC_PLACEHOLDER[:17]) == "0"
    assert stdnum_uscc.is_valid(USCC_PLACEHOLDER) is False


@pytest.mark.parametrize("raw", [USCC_PLACEHOLDER, "00000000000000000x", "000000-000000-00000X"])
def test_placeholder_allowed_by_default(raw: str) -> None:
    assert validate_uscc(raw) == USCC_PLACEHOLDER
    assert validate_uscc(raw, allow_placeholder=True) == USCC_PLACEHOLDER


@pytest.mark.parametrize("raw", [USCC_PLACEHOLDER, "00000000000000000x"])
def test_placeholder_rejected_when_not_allowed(raw: str) -> None:
    with pytest.raises(ValidationError) as excinfo:
        validate_uscc(raw, allow_placeholder=False)
    assert excinfo.value.code == "placeholder_not_allowed"
    assert excinfo.value.code != "invalid_checksum"
    assert "占位" in excinfo.value.messages[0]


def test_all_zero_code_is_not_the_placeholder() -> None:
    with pytest.raises(ValidationError) as excinfo:
        validate_uscc("000000000000000000")
    assert excinfo.value.code == "invalid_category"  # checksum '0' is right; dept 0 is not


# --------------------------------------------------------------------------- USCC: check char


def test_uscc_check_char_matches_standard_formula() -> None:
    rng = random.Random(20240101)
    for _ in range(500):
        first17 = "".join(rng.choice(USCC_ALPHABET) for _ in range(17))
        total = sum(USCC_ALPHABET.index(c) * w for c, w in zip(first17, USCC_WEIGHTS, strict=True))
        assert uscc_check_char(first17) == USCC_ALPHABET[(31 - total % 31) % 31]


@pytest.mark.parametrize(
    "first17",
    ["9111000060003734", "911100006000373411", "9111000060003734I", "9111000060003734l", ""],
)
def test_uscc_check_char_rejects_bad_input(first17: str) -> None:
    with pytest.raises(ValueError, match="17 characters"):
        uscc_check_char(first17)


def test_stdnum_calc_check_digit_raises_on_excluded_letters() -> None:
    with pytest.raises(ValueError):  # bare str.index error
        stdnum_uscc.calc_check_digit("9111000060003734I")


# --------------------------------------------------------------------------- USCC: warnings


@pytest.mark.parametrize(
    "code",
    [
        "91110000600037341L",
        "121200004013590816",
        "9144030071526726XG",
        "91340600MA2PBM9HXD",
        "91620105L015101280",
        "92340602MA2PBQAH7E",
        "91310115MA1K3BTP2B",
        "91512081MA62K0260E",
        with_check("91370405594672399"),  # body 59467239 -> check 9
        with_check("N2370405594672399"),
    ],
)
def test_uscc_warnings_empty_for_correct_org_check(code: str) -> None:
    assert uscc_warnings(code) == []


def test_uscc_warnings_wrong_position_17() -> None:
    code = with_check("91370405594672393")  # body 59467239 needs 9, has 3
    assert validate_uscc(code) == code  # still a valid USCC
    assert stdnum_uscc.is_valid(code) is True  # stdnum does not look at position 17
    assert uscc_warnings(code) == ["第17位组织机构代码校验位应为 9，实为 3（仅提示）"]


def org_check(body: str) -> str:
    """GB 11714-1997 check character, computed independently of the module."""
    values = [int(c) if c.isdigit() else ord(c) - ord("A") + 10 for c in body]
    c = 11 - sum(v * w for v, w in zip(values, (3, 7, 9, 10, 5, 8, 4, 2), strict=True)) % 11
    return {10: "X", 11: "0"}.get(c, str(c))


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("59467239", "9"),
        ("00000000", "0"),  # Σ = 0, c = 11 -> '0'
        ("40000000", "X"),  # Σ = 12, 12 mod 11 = 1, c = 10 -> 'X'
        ("10000000", "8"),  # Σ = 3
        ("0000000A", "2"),  # A = 10: Σ = 20, 20 mod 11 = 9
        ("MA2PBM9H", "X"),  # Σ = 705, 705 mod 11 = 1
    ],
)
def test_uscc_warnings_position_17_values(body: str, expected: str) -> None:
    assert org_check(body) == expected
    good = with_check("91370405" + body + expected)
    assert uscc_warnings(good) == []
    wrong = "1" if expected != "1" else "2"
    bad = with_check("91370405" + body + wrong)
    assert validate_uscc(bad) == bad
    assert uscc_warnings(bad) == [
        f"第17位组织机构代码校验位应为 {expected}，实为 {wrong}（仅提示）"
    ]


@pytest.mark.parametrize(
    "code",
    [USCC_PLACEHOLDER, "91110000600037341N", "12345", "", with_check("94370405594672393")],
)
def test_uscc_warnings_empty_for_placeholder_and_invalid(code: str) -> None:
    assert uscc_warnings(code) == []


# --------------------------------------------------------------------------- resident ID


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("360426199101010071", "360426199101010071"),  # stdnum doctest
        ("44011320141005001x", "44011320141005001X"),
        ("44011320141005001X", "44011320141005001X"),
        ("110102199101010078", "110102199101010078"),
        (" 110102 19910101 0078 ", "110102199101010078"),
        ("１１０１０２１９９１０１０１００７８", "110102199101010078"),
        ("４４０１１３２０１４１００５００１ｘ", "44011320141005001X"),
    ],
)
def test_validate_resident_id_valid(raw: str, expected: str) -> None:
    assert validate_resident_id(raw) == expected
    assert validate_resident_id(raw, check_region=True) == expected


@pytest.mark.parametrize(
    ("raw", "error_code"),
    [
        ("36042619910102009X", "invalid_checksum"),
        ("360426199101010070", "invalid_checksum"),
        ("360426199113010079", "invalid_birth_date"),  # month 13, check digit correct
        ("T60426199101010078", "invalid_format"),
        ("3604261991010100X1", "invalid_format"),  # X only allowed last
        ("36042619910101007²", "invalid_format"),
        ("36042619910101007", "invalid_length"),
        ("3604261991010100711", "invalid_length"),
        ("", "invalid_length"),
        ("360426910101007", "invalid_length"),  # old 15-digit IDs are not accepted
    ],
)
def test_validate_resident_id_errors(raw: str, error_code: str) -> None:
    with pytest.raises(ValidationError) as excinfo:
        validate_resident_id(raw)
    assert excinfo.value.code == error_code
    assert excinfo.value.messages[0].startswith("公民身份号码")


@pytest.mark.parametrize(
    "birth",
    [
        "18991231",  # before 1900-01-01
        "00000101",
        "19910229",  # 1991 is not a leap year
        "19000229",  # 1900 is not a leap year
        "19910431",
        "19910001",
        "19910100",
    ],
)
def test_validate_resident_id_bad_birth_dates(birth: str) -> None:
    number = with_ric_check("360426" + birth + "007")
    with pytest.raises(ValidationError) as excinfo:
        validate_resident_id(number)
    assert excinfo.value.code == "invalid_birth_date"
    assert birth in excinfo.value.messages[0]


@pytest.mark.parametrize("birth", ["19000101", "20000229", "19991231"])
def test_validate_resident_id_birth_date_boundaries(birth: str) -> None:
    number = with_ric_check("110102" + birth + "007")
    assert validate_resident_id(number) == number


def test_validate_resident_id_future_birth_date() -> None:
    today = localdate()
    tomorrow = today + datetime.timedelta(days=1)
    valid = with_ric_check(f"110102{today:%Y%m%d}007")
    future = with_ric_check(f"110102{tomorrow:%Y%m%d}007")
    assert validate_resident_id(valid) == valid
    assert stdnum_ric.is_valid(future)  # stdnum has no upper bound on the birth date
    with pytest.raises(ValidationError) as excinfo:
        validate_resident_id(future)
    assert excinfo.value.code == "invalid_birth_date"


def test_unknown_region_accepted_by_default_only() -> None:
    number = "990426199112010074"
    assert stdnum_ric.is_valid(number) is False  # stdnum always checks the region
    assert validate_resident_id(number) == number
    with pytest.raises(ValidationError) as excinfo:
        validate_resident_id(number, check_region=True)
    assert excinfo.value.code == "invalid_region"
    assert "990426" in excinfo.value.messages[0]


def test_region_check_uses_birth_year() -> None:
    # 110112 (通州区) exists from 1997: stdnum's region check rejects people born earlier.
    assert validate_resident_id("110112199801011234", check_region=True)
    old = "110112196001011232"
    assert validate_resident_id(old) == old
    with pytest.raises(ValidationError) as excinfo:
        validate_resident_id(old, check_region=True)
    assert excinfo.value.code == "invalid_region"


def test_resident_id_check_char_matches_standard_formula() -> None:
    rng = random.Random(7)
    for _ in range(300):
        number = make_resident_id(rng)
        assert with_ric_check(number[:17]) == number


# --------------------------------------------------------------------------- masking


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("37040519900101123X", "370405********123X"),
        ("37040519900101123x", "370405********123X"),
        ("360426199101010071", "360426********0071"),
        ("E12345678", "E1*****78"),
        ("AB1234", "AB**34"),  # 6: boundary, first 2 + last 2
        ("AB123", "*****"),  # 5: fully masked
        ("A", "*"),
        ("", ""),
        ("   ", ""),
        ("3704051990010112", "37************12"),  # 16 digits: not an 18-char ID
    ],
)
def test_mask_id_number(raw: str, expected: str) -> None:
    assert mask_id_number(raw) == expected


# --------------------------------------------------------------------------- generators


@pytest.mark.parametrize("seed", range(200))
def test_make_uscc_is_valid(seed: int) -> None:
    code = make_uscc(random.Random(seed))
    assert validate_uscc(code, allow_placeholder=False) == code
    assert code.startswith("91370405")
    assert uscc_warnings(code) == []
    assert uscc_category(code) == ("工商", "企业")


@pytest.mark.parametrize("seed", range(200))
def test_make_resident_id_is_valid(seed: int) -> None:
    number = make_resident_id(random.Random(seed))
    assert validate_resident_id(number) == number
    assert number.startswith("370405")


@pytest.mark.parametrize(
    ("department", "category"),
    [(d, c) for d, cats in VALID_PAIRS.items() for c in cats],
)
def test_make_uscc_every_valid_pair(department: str, category: str) -> None:
    rng = random.Random(department + category)
    for _ in range(20):
        code = make_uscc(rng, department=department, category=category, division="110102")
        assert validate_uscc(code) == code
        assert code[:8] == department + category + "110102"
        assert uscc_warnings(code) == []


def test_generators_are_deterministic() -> None:
    a, b = random.Random(42), random.Random(42)
    assert [make_uscc(a) for _ in range(20)] == [make_uscc(b) for _ in range(20)]
    assert [make_resident_id(a) for _ in range(20)] == [make_resident_id(b) for _ in range(20)]
    assert make_uscc(random.Random(1)) != make_uscc(random.Random(2))


def test_make_resident_id_with_birth_and_division() -> None:
    birth = datetime.date(1985, 6, 15)
    number = make_resident_id(random.Random(3), division="110102", birth=birth)
    assert number.startswith("11010219850615")
    assert validate_resident_id(number, check_region=True) == number


@pytest.mark.parametrize(
    "kwargs",
    [
        {"department": "9", "category": "4"},
        {"department": "B", "category": "1"},
        {"department": "Y", "category": "9"},
        {"division": "37040"},
        {"division": "37040A"},
    ],
)
def test_make_uscc_rejects_bad_arguments(kwargs: dict[str, str]) -> None:
    with pytest.raises(ValueError):
        make_uscc(random.Random(0), **kwargs)


@pytest.mark.parametrize(
    ("division", "birth"),
    [
        ("3704051", None),
        ("37040X", None),
        ("370405", datetime.date(1899, 12, 31)),
    ],
)
def test_make_resident_id_rejects_bad_arguments(division: str, birth: datetime.date | None) -> None:
    with pytest.raises(ValueError):
        make_resident_id(random.Random(0), division=division, birth=birth)


def test_make_resident_id_takes_a_birth_up_to_today_in_beijing() -> None:
    today = localdate()  # read when the test runs: a run may cross midnight
    assert make_resident_id(random.Random(0), birth=today)[6:14] == f"{today:%Y%m%d}"
    with pytest.raises(ValueError):
        make_resident_id(random.Random(0), birth=today + datetime.timedelta(days=1))


def test_check_char_agrees_with_stdnum_for_every_leading_character() -> None:
    """Our check-character arithmetic is stdnum's, reimplemented for speed: they must agree."""
    rng = random.Random(2026)
    for _ in range(2000):
        first17 = "".join(rng.choice(USCC_ALPHABET) for _ in range(17))
        assert uscc_check_char(first17) == stdnum_uscc.calc_check_digit(first17)


# --------------------------------------------------------------------------- looks_like_id_number


@pytest.mark.parametrize(
    "value",
    [
        "360426199101010071",  # valid
        "36042619910101008X",
        "36042619910101008x",
        " 360426 19910101 0071 ",
        "360426-19910101-0071",
        "360426\u300019910101\u30000071",
        "３６０４２６１９９１０１０１００７１",
        "３６０４２６１９９１０１０１００８ｘ",
        "３６０４２６１９９１０１０１００８Ｘ",
        "360426199101010072",  # wrong check character: a mistyped number is still someone's
        "360426199113010079",  # no such birth date
        "360426209901010070",  # born in 2099: no one yet, but the shape of one
        "360426910101007",  # the old 15-digit form (born 1991-01-01)
        "３６０４２６ ９１０１０１ ００７",
    ],
)
def test_looks_like_id_number(value: str) -> None:
    assert looks_like_id_number(value)


@pytest.mark.parametrize(
    "value",
    [
        "",
        "宏达商贸",
        "91110000600037341L",  # a credit code
        "913704051234568099",  # an all-digit credit code: shaped like an ID number, but valid
        "36042619910101007",  # 17 digits
        "3604261991010100711",  # 19
        "36042619910101007²",
        "3604261991010100X1",  # X only last
        "360426911301007",  # 15 digits without a date (month 13)
        "110102000229123",  # 1900-02-29 does not exist
        "36042691010100X",  # the old form has no check character
        "360426199101010071宏达",
    ],
)
def test_does_not_look_like_id_number(value: str) -> None:
    assert not looks_like_id_number(value)


def test_a_valid_id_number_that_is_also_a_valid_credit_code_looks_like_one() -> None:
    """About one ID number in 31 passes the credit code's check as well: it is refused in URLs."""
    rng = random.Random(17)
    both = next(
        number
        for number in (make_resident_id(rng, division="110102") for _ in range(10_000))
        if _is_valid_uscc(number)
    )
    assert validate_resident_id(both) == both and validate_uscc(both) == both
    assert looks_like_id_number(both)


def _is_valid_uscc(value: str) -> bool:
    try:
        validate_uscc(value)
    except ValidationError:
        return False
    return True
