"""Name normalisation for credit checks: the keys a list entry is found by.

Three keys, computed the same way for a list entry and for a checked name:

- `name_key`: the name after NFKC (full-width letters, digits and brackets become half-width),
  with white space removed and letters case-folded. Equal keys are an exact match (a hit).
- `core_key`: `name_key` without leading place names (山东省, 枣庄市, 台儿庄区 …) and without the
  trailing organisation form (有限公司, 有限责任公司, 分公司 …): the distinctive part of the name.
- `prefix_key`: the first two characters of the core, i.e. the start of the 字号, with the core's
  length. An enterprise
  name is 行政区划 + 字号 + 行业或经营特点 + 组织形式 (《企业名称登记管理规定》, 2020, art. 6),
  and the 字号 is what tells two enterprises apart: 华兴建材 and 华新建材 are two registered
  names, not one name mistyped. So a fuzzy candidate must share the start of the 字号 (a typo in
  the rest of the name: 华兴建材 / 华兴建财), or the whole core (another organisation form, a
  missing place name). Such candidates are scored with rapidfuzz and never applied.
"""

from __future__ import annotations

import re
import unicodedata

# Longest first, so that 有限责任公司 is stripped whole, not as 公司.
ORGANISATION_FORMS = sorted(
    [
        "股份有限公司",
        "有限责任公司",
        "有限公司",
        "集团有限公司",
        "分公司",
        "公司",
        "合伙企业(有限合伙)",
        "合伙企业(普通合伙)",
        "(有限合伙)",
        "(普通合伙)",
        "合伙企业",
        "个人独资企业",
        "农民专业合作社",
        "专业合作社",
        "合作社",
        "厂",
        "店",
        "商行",
        "经营部",
        "门市部",
        "中心",
    ],
    key=len,
    reverse=True,
)
# One trailing organisation form (the alternation tries the longest first).
_FORM_ENDINGS = tuple(ORGANISATION_FORMS)  # str.endswith(tuple): a fast test before the search
_FORM = re.compile("(?:" + "|".join(re.escape(form) for form in ORGANISATION_FORMS) + ")$")
# A leading place name (山东省, 枣庄市, 台儿庄区 …). The suffix may not begin a word of the rest
# of the name: 华兴市政工程 is the 字号 华兴 in 市政工程, not a city 华兴市.
_PLACE = re.compile(
    r"^(?:[^\W\d_]{2,4}?(?:自治区|自治州|省|市(?![政场])|地区|区(?!域)|县(?!域)|旗|镇|乡|街道))"
)


def name_key(name: str) -> str:
    """The exact-match key: NFKC, no white space, case-folded."""
    text = unicodedata.normalize("NFKC", name or "")
    return "".join(text.split()).casefold()


def core_key(name: str) -> str:
    """`name_key` without the trailing organisation form and the leading place names."""
    return core_of_key(name_key(name))


def core_of_key(key: str) -> str:
    """The core of an already normalised name (`name_key`).

    The form goes first, so that a place-like word inside the name (华兴建材市场有限公司) is not
    taken for a place: a place name is stripped only when at least two characters remain.
    """
    while key.endswith(_FORM_ENDINGS) and (match := _FORM.search(key)) and match.start() >= 2:
        key = key[: match.start()]
    for _ in range(3):
        match = _PLACE.match(key)
        if match is None or len(key) - match.end() < 2:
            break
        key = key[match.end() :]
    return key


def prefix_key(core: str) -> str:
    """The blocking key of fuzzy candidates: the first two characters of the core (the start of
    the 字号) and the core's length ("华兴|4"). A typo that replaces a character keeps both, and
    so do another organisation form and a missing place name (same core); the length splits the
    block of a common start (中国…, 华夏…) into a few small ones."""
    return f"{core[:2]}|{len(core)}"
