"""Validation, masking and generation of Chinese identifiers used by the platform.

Two identifiers are handled:

* 统一社会信用代码 (Unified Social Credit Code, USCC) as defined by
  GB 32100-2015《法人和其他组织统一社会信用代码编码规则》.  Its positions 9-17 are the
  organisation code (组织机构代码) of GB 11714-1997《全国组织机构代码编制规则》.
* 公民身份号码 (citizen identity number) as defined by GB 11643-1999《公民身份号码》,
  whose check character follows ISO 7064:1983 MOD 11-2.

The checks build on python-stdnum (:mod:`stdnum.cn.uscc`, :mod:`stdnum.cn.ric`) and cover
its gaps:

* ``stdnum.cn.uscc`` requires positions 1-8 to be digits, so it rejects every code whose
  registering department (登记管理部门) is ``A`` (中央军委改革和编制办公室), ``N`` (农业) or
  ``Y`` (其他), all of which are valid under GB 32100-2015.  It also does not check the
  department/category pair, nor the GB 11714 check digit at position 17.
* ``stdnum`` normalises full-width digits but not full-width letters (``Ｌ``, ``ｘ``).
* ``stdnum.cn.ric`` accepts birth dates in the future and before 1900, and always checks
  the region code against its bundled table; historical records keep region codes that
  have since been abolished, so the region check is optional here.

Errors are raised as :class:`django.core.exceptions.ValidationError` with a message in the
active language (Chinese by default; the msgids are the Chinese text) and a machine-readable
``code``, so the validators can be used directly in forms, model fields and import pipelines.
"""

from __future__ import annotations

import datetime
import random
import re

from django.core.exceptions import ValidationError
from django.utils.timezone import localdate
from django.utils.translation import gettext as _
from stdnum.cn import ric as stdnum_ric
from stdnum.exceptions import ValidationError as StdnumValidationError

from chengxin.core import demo_district

__all__ = [
    "USCC_ALPHABET",
    "USCC_PLACEHOLDER",
    "is_uscc_placeholder",
    "looks_like_id_number",
    "make_resident_id",
    "make_uscc",
    "mask_id_number",
    "normalise",
    "uscc_category",
    "uscc_check_char",
    "uscc_warnings",
    "validate_resident_id",
    "validate_uscc",
]

# ---------------------------------------------------------------------------
# Normalisation
# ---------------------------------------------------------------------------

#: Full-width ASCII variants (U+FF01-U+FF5E) map to U+0021-U+007E by subtracting 0xFEE0.
FULLWIDTH_TO_ASCII = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)}
#: One translation table: full-width to half-width, whitespace and "-" deleted (C speed; this
#: runs for every identifier of every imported row).
_NORMALISE_TABLE: dict[int, int | None] = {
    **FULLWIDTH_TO_ASCII,
    **{code: None for code in range(0x3001) if chr(code).isspace()},  # U+3000 is the last one
    ord("-"): None,
    0xFF0D: None,  # full-width "－"
}

_ASCII_DIGITS = frozenset("0123456789")


def normalise(value: str) -> str:
    """Return *value* in the canonical form used for all identifiers in this module.

    Full-width ASCII characters (U+FF01-U+FF5E, common in text typed with a Chinese input
    method) become their half-width equivalents, all whitespace (including the ideographic
    space U+3000) and every ``-`` are removed, and the result is upper-cased.

    >>> normalise(" ９１ 110000-600037341ｌ\u3000")
    '91110000600037341L'
    """
    return value.translate(_NORMALISE_TABLE).upper()


def _is_ascii_digits(value: str) -> bool:
    """Return True if *value* is non-empty and made only of ASCII digits 0-9.

    ``str.isdigit`` is not used because it accepts superscripts and other Unicode digits.
    """
    return bool(value) and all(ch in _ASCII_DIGITS for ch in value)


# ---------------------------------------------------------------------------
# 统一社会信用代码 (GB 32100-2015)
# ---------------------------------------------------------------------------

#: GB 32100-2015 §4.1 code alphabet: digits and upper-case letters except I, O, Z, S, V.
USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"

#: String used by data feeds to mean "this subject has no code".  It is not a valid code
#: (its check character should be ``0``), so it must be recognised before validation.
USCC_PLACEHOLDER = "00000000000000000X"

_USCC_ALPHABET_SET = frozenset(USCC_ALPHABET)
_USCC_VALUE = {ch: index for index, ch in enumerate(USCC_ALPHABET)}

#: GB 32100-2015 §4.2 weights for positions 1-17 (3**i mod 31).
_USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)

#: GB 32100-2015 表1 (登记管理部门代码) and 表2 (机构类别代码): department -> (name, categories).
_USCC_CATEGORIES: dict[str, tuple[str, dict[str, str]]] = {
    "1": (
        "机构编制",
        {"1": "机关", "2": "事业单位", "3": "编办直接管理机构编制的群众团体", "9": "其他"},
    ),
    "2": ("外交", {"1": "外国常驻新闻机构", "9": "其他"}),
    "3": (
        "司法行政",
        {
            "1": "律师执业机构",
            "2": "公证处",
            "3": "基层法律服务所",
            "4": "司法鉴定机构",
            "5": "仲裁委员会",
            "9": "其他",
        },
    ),
    "4": ("文化", {"1": "外国在华文化中心", "9": "其他"}),
    "5": ("民政", {"1": "社会团体", "2": "民办非企业单位", "3": "基金会", "9": "其他"}),
    "6": (
        "旅游",
        {
            "1": "外国旅游部门常驻代表机构",
            "2": "港澳台地区旅游部门常驻内地（大陆）代表机构",
            "9": "其他",
        },
    ),
    "7": ("宗教", {"1": "宗教活动场所", "2": "宗教院校", "9": "其他"}),
    "8": ("工会", {"1": "基层工会", "9": "其他"}),
    "9": ("工商", {"1": "企业", "2": "个体工商户", "3": "农民专业合作社"}),
    "A": ("中央军委改革和编制办公室", {"1": "军队事业单位", "9": "其他"}),
    "N": ("农业", {"1": "组级", "2": "村级", "3": "乡镇级集体经济组织", "9": "其他"}),
    "Y": ("其他", {"1": "其他"}),
}

#: GB 11714-1997 weights for the 8-character organisation code body.
_ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)


def is_uscc_placeholder(value: str) -> bool:
    """Return True if *value* normalises to :data:`USCC_PLACEHOLDER` (meaning "no code")."""
    return normalise(value) == USCC_PLACEHOLDER


def uscc_check_char(first17: str) -> str:
    """Return the GB 32100-2015 §4.2 check character (position 18) for *first17*.

    Each character's value is its index in :data:`USCC_ALPHABET` (0-30); with weights
    ``3**(i-1) mod 31`` the check value is ``(31 - Σ mod 31) mod 31``, mapped back through
    the alphabet.  The arithmetic is delegated to :func:`stdnum.cn.uscc.calc_check_digit`,
    which works for any leading character even though ``stdnum.cn.uscc.validate`` rejects
    codes that do not start with a digit.

    :raises ValueError: if *first17* is not 17 characters from :data:`USCC_ALPHABET`
        (stdnum itself would raise a bare ``ValueError`` from ``str.index``).
    """
    if len(first17) != 17 or not set(first17) <= _USCC_ALPHABET_SET:
        raise ValueError(f"expected 17 characters from {USCC_ALPHABET!r}, got {first17!r}")
    # The same arithmetic as stdnum.cn.uscc.calc_check_digit (the tests check they agree),
    # with a precomputed index: this runs for every code of every imported row.
    total = sum(_USCC_VALUE[ch] * weight for ch, weight in zip(first17, _USCC_WEIGHTS, strict=True))
    return USCC_ALPHABET[(31 - total % 31) % 31]


def _org_code_check_char(body: str) -> str:
    """Return the GB 11714-1997 check character for an 8-character organisation code body.

    Digits count as themselves and letters as A=10 … Z=35; with weights 3, 7, 9, 10, 5, 8,
    4, 2 the check value is ``c = 11 - Σ mod 11``, written as ``X`` for 10 and ``0`` for 11.

    >>> _org_code_check_char("59467239")
    '9'
    """
    if len(body) != 8 or not all(ch in _ASCII_DIGITS or "A" <= ch <= "Z" for ch in body):
        raise ValueError(f"expected 8 characters 0-9/A-Z, got {body!r}")
    total = sum(int(ch, 36) * weight for ch, weight in zip(body, _ORG_WEIGHTS, strict=True))
    check = 11 - total % 11
    if check == 10:
        return "X"
    if check == 11:
        return "0"
    return str(check)


def validate_uscc(value: str, *, allow_placeholder: bool = True) -> str:
    """Validate a 统一社会信用代码 (GB 32100-2015) and return its normalised form.

    Checks, in order (each failure raises :class:`~django.core.exceptions.ValidationError`
    with the given ``code``):

    1. :data:`USCC_PLACEHOLDER` is returned unchanged when *allow_placeholder* is true,
       otherwise ``placeholder_not_allowed``;
    2. length is 18 — ``invalid_length``;
    3. every character is in :data:`USCC_ALPHABET` (no I, O, Z, S, V) and positions 3-8
       (登记管理机关行政区划码) are digits — ``invalid_format``;
    4. position 18 is the mod-31 check character of §4.2 — ``invalid_checksum``;
    5. positions 1-2 are a registering department (表1) and one of its categories (表2) —
       ``invalid_category``.

    The GB 11714 check digit at position 17 is *not* enforced; see :func:`uscc_warnings`.
    """
    code = normalise(value)
    if code == USCC_PLACEHOLDER:
        if allow_placeholder:
            return code
        raise ValidationError(
            _("统一社会信用代码为占位值 %(value)s（表示无代码），此处必须填写真实代码。"),
            code="placeholder_not_allowed",
            params={"value": code},
        )
    if len(code) != 18:
        raise ValidationError(
            _("统一社会信用代码应为 18 位，实为 %(length)d 位。"),
            code="invalid_length",
            params={"length": len(code), "value": code},
        )
    bad = sorted({ch for ch in code if ch not in _USCC_ALPHABET_SET})
    if bad:
        raise ValidationError(
            _(
                "统一社会信用代码含有非法字符 %(chars)s（只能使用数字和除 I、O、Z、S、V 以外的"
                "大写字母）。"
            ),
            code="invalid_format",
            params={"chars": "、".join(bad), "value": code},
        )
    if not _is_ascii_digits(code[2:8]):
        raise ValidationError(
            _("统一社会信用代码第3-8位（登记管理机关行政区划码）应为数字，实为 %(division)s。"),
            code="invalid_format",
            params={"division": code[2:8], "value": code},
        )
    expected = uscc_check_char(code[:17])
    if code[17] != expected:
        raise ValidationError(
            _("统一社会信用代码校验码错误：第18位应为 %(expected)s，实为 %(actual)s。"),
            code="invalid_checksum",
            params={"expected": expected, "actual": code[17], "value": code},
        )
    department, category = code[0], code[1]
    entry = _USCC_CATEGORIES.get(department)
    if entry is None or category not in entry[1]:
        raise ValidationError(
            _(
                "统一社会信用代码登记管理部门代码 %(department)s 与机构类别代码 %(category)s "
                "的组合无效（GB 32100-2015 表1、表2）。"
            ),
            code="invalid_category",
            params={"department": department, "category": category, "value": code},
        )
    return code


def uscc_warnings(value: str) -> list[str]:
    """Return non-fatal warnings about a 统一社会信用代码.

    Positions 9-17 of a USCC are the organisation code of GB 11714-1997, whose last
    character (position 17) is a mod-11 check digit over positions 9-16.  Neither
    GB 32100-2015 nor stdnum enforces it, and some issued codes do not satisfy it, so a
    mismatch is only reported as a warning.

    Returns ``[]`` for the placeholder and for values that fail :func:`validate_uscc`.
    """
    try:
        code = validate_uscc(value, allow_placeholder=False)
    except ValidationError:
        return []
    warnings: list[str] = []
    expected = _org_code_check_char(code[8:16])
    if code[16] != expected:
        warnings.append(
            _("第17位组织机构代码校验位应为 %(expected)s，实为 %(actual)s（仅提示）")
            % {"expected": expected, "actual": code[16]}
        )
    return warnings


def uscc_category(value: str) -> tuple[str, str]:
    """Return the Chinese names of the registering department and the category of a USCC.

    Names follow GB 32100-2015 表1 and 表2, e.g. ``("工商", "企业")`` for ``91…`` and
    ``("农业", "村级")`` for ``N2…``.

    :raises ValidationError: if *value* is not a valid code (the placeholder included,
        with code ``placeholder_not_allowed``).
    """
    code = validate_uscc(value, allow_placeholder=False)
    department_name, categories = _USCC_CATEGORIES[code[0]]
    return department_name, categories[code[1]]


# ---------------------------------------------------------------------------
# 公民身份号码 (GB 11643-1999)
# ---------------------------------------------------------------------------

_EARLIEST_BIRTH_DATE = datetime.date(1900, 1, 1)
_RESIDENT_ID_RE = re.compile(r"[0-9]{17}[0-9X]", re.ASCII)


def _resident_id_check_char(first17: str) -> str:
    """Return the GB 11643-1999 check character (ISO 7064 MOD 11-2) for 17 digits.

    With weights 7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2 the remainder
    ``Σ mod 11`` maps through ``"10X98765432"``.  Delegated to
    :func:`stdnum.cn.ric.calc_check_digit`, which expects the check position to be present.
    """
    return stdnum_ric.calc_check_digit(first17 + "0")


def _birth_date(number: str) -> datetime.date | None:
    """Return the date in positions 7-14 (YYYYMMDD) of *number*, or None if not a date."""
    try:
        return datetime.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return None


def validate_resident_id(value: str, *, check_region: bool = False) -> str:
    """Validate an 18-character 公民身份号码 (GB 11643-1999) and return its normalised form.

    The value is normalised (a lower-case ``x`` becomes ``X``), then checked in order:

    1. length is 18 — ``invalid_length``;
    2. 17 digits followed by a digit or ``X`` — ``invalid_format``;
    3. positions 7-14 are a real date (出生日期码) between 1900-01-01 and today —
       ``invalid_birth_date``;
    4. position 18 is the MOD 11-2 check character — ``invalid_checksum``;
    5. only when *check_region* is true: positions 1-6 (地址码) are known to stdnum's bundled
       administrative-division table for the birth year — ``invalid_region``.

    The region check is off by default because historical records keep division codes
    that have since been abolished or renumbered; enable it for new registrations.  Note
    that stdnum judges the code against the *birth* year, so a person born before their
    county's current code was created is rejected by the region check.
    """
    number = normalise(value)
    if len(number) != 18:
        raise ValidationError(
            _("公民身份号码应为 18 位，实为 %(length)d 位。"),
            code="invalid_length",
            params={"length": len(number), "value": number},
        )
    if not _RESIDENT_ID_RE.fullmatch(number):
        raise ValidationError(
            _("公民身份号码格式错误：前17位应为数字，第18位应为数字或 X。"),
            code="invalid_format",
            params={"value": number},
        )
    birth = _birth_date(number)
    if birth is None or not _EARLIEST_BIRTH_DATE <= birth <= localdate():
        raise ValidationError(
            _("公民身份号码出生日期码 %(birth)s 无效（应为 1900-01-01 至今日之间的真实日期）。"),
            code="invalid_birth_date",
            params={"birth": number[6:14], "value": number},
        )
    expected = _resident_id_check_char(number[:17])
    if number[17] != expected:
        raise ValidationError(
            _("公民身份号码校验码错误：第18位应为 %(expected)s，实为 %(actual)s。"),
            code="invalid_checksum",
            params={"expected": expected, "actual": number[17], "value": number},
        )
    if check_region:
        try:
            stdnum_ric.get_birth_place(number)
        except StdnumValidationError:
            raise ValidationError(
                _("公民身份号码地址码 %(region)s 不是有效的行政区划代码。"),
                code="invalid_region",
                params={"region": number[:6], "value": number},
            ) from None
    return number


_ID_NUMBER_SHAPE_RE = re.compile(r"[0-9]{17}[0-9X]", re.ASCII)
_OLD_ID_NUMBER_RE = re.compile(r"[0-9]{15}", re.ASCII)


def _is_old_id_number(number: str) -> bool:
    """Return True for a first-generation 15-digit number (GB 11643-1989): 6 digits of 地址码,
    a birth date YYMMDD of the 1900s, and 3 digits of 顺序码 (no check character)."""
    if not _OLD_ID_NUMBER_RE.fullmatch(number):
        return False
    try:
        datetime.date(1900 + int(number[6:8]), int(number[8:10]), int(number[10:12]))
    except ValueError:
        return False
    return True


def looks_like_id_number(value: str) -> bool:
    """Return True if *value*, in any spelling, is or may be someone's 公民身份号码.

    *value* is normalised first (spaces, ``-`` and full-width characters, a lower-case ``x``),
    then counts as an ID number when it

    * passes :func:`validate_resident_id` (even when it is also a valid 统一社会信用代码:
      about one in 31 ID numbers happen to pass that check too);
    * has the shape of one (17 digits and a digit or ``X``) but a wrong check character or
      birth date, unless it is a valid 统一社会信用代码 (a mistyped ID number is personal data
      all the same);
    * is a first-generation 15-digit number whose positions 7-12 are a date.

    For deciding where a number may travel (never in a URL), not for validating one.

    >>> looks_like_id_number("３７０４０５ １９９００１０１ １２３ｘ")
    True
    >>> looks_like_id_number("91110000600037341L")
    False
    """
    number = normalise(value)
    if len(number) == 15:
        return _is_old_id_number(number)
    if not _ID_NUMBER_SHAPE_RE.fullmatch(number):
        return False
    try:
        validate_resident_id(number)
    except ValidationError:
        try:
            validate_uscc(number, allow_placeholder=False)
        except ValidationError:
            return True
        return False
    return True


def mask_name(name: str) -> str:
    """张三 → 张*, 张小三 → 张*三, 欧阳娜娜 → 欧**娜: the first and (from three) the last character."""
    if len(name) <= 1:
        return "*" if name else ""
    if len(name) == 2:
        return name[0] + "*"
    return name[0] + "*" * (len(name) - 2) + name[-1]


def mask_id_number(value: str) -> str:
    """Mask an identity-document number for display (个人信息去标识化).

    The value is normalised first.  An 18-character number (公民身份号码) keeps its first 6
    (地址码) and last 4 characters; other numbers (passports, permits …) keep the first 2
    and last 2 when at least 6 characters long, and are masked completely otherwise.

    >>> mask_id_number("37040519900101123X")
    '370405********123X'
    """
    number = normalise(value)
    if len(number) == 18:
        return number[:6] + "*" * 8 + number[-4:]
    if len(number) >= 6:
        return number[:2] + "*" * (len(number) - 4) + number[-2:]
    return "*" * len(number)


# ---------------------------------------------------------------------------
# Deterministic generators for demo data
# ---------------------------------------------------------------------------

_DEMO_BIRTH_START = datetime.date(1950, 1, 1)
_DEMO_BIRTH_END = datetime.date(2005, 12, 31)


def _check_division(division: str) -> None:
    if len(division) != 6 or not _is_ascii_digits(division):
        raise ValueError(f"division must be 6 ASCII digits, got {division!r}")


def make_uscc(
    rng: random.Random,
    *,
    department: str = "9",
    category: str = "1",
    division: str = demo_district.DIVISION,
) -> str:
    """Generate a random valid 统一社会信用代码 (GB 32100-2015) for demo data.

    The organisation code body (positions 9-16) is either eight digits or a market-regulator
    style ``MA`` prefix plus six alphabet characters; position 17 is its GB 11714 check
    digit and position 18 the GB 32100 check character.  The result depends only on the
    arguments and the state of *rng*.

    :raises ValueError: for an unknown department/category pair or a malformed division.
    """
    entry = _USCC_CATEGORIES.get(department)
    if entry is None or category not in entry[1]:
        raise ValueError(f"invalid department/category pair {department!r}/{category!r}")
    _check_division(division)
    if rng.random() < 0.5:
        body = "".join(rng.choice("0123456789") for _ in range(8))
    else:
        body = "MA" + "".join(rng.choice(USCC_ALPHABET) for _ in range(6))
    first17 = department + category + division + body + _org_code_check_char(body)
    return first17 + uscc_check_char(first17)


def make_resident_id(
    rng: random.Random,
    *,
    division: str = demo_district.DIVISION,
    birth: datetime.date | None = None,
) -> str:
    """Generate a random valid 公民身份号码 (GB 11643-1999) for demo data.

    Without *birth*, the birth date is drawn from 1950-01-01 to 2005-12-31 (a fixed range,
    so the output depends only on the arguments and the state of *rng*).  The sequence code
    (顺序码, positions 15-17) is 001-999.

    :raises ValueError: for a malformed division or a birth date outside 1900-01-01..today.
    """
    _check_division(division)
    if birth is None:
        span = (_DEMO_BIRTH_END - _DEMO_BIRTH_START).days
        birth = _DEMO_BIRTH_START + datetime.timedelta(days=rng.randint(0, span))
    elif not _EARLIEST_BIRTH_DATE <= birth <= localdate():
        raise ValueError(f"birth date {birth.isoformat()} outside 1900-01-01..today")
    first17 = f"{division}{birth:%Y%m%d}{rng.randint(1, 999):03d}"
    return first17 + _resident_id_check_char(first17)
