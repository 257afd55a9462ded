"""What the public sees of a natural person: a partly masked name and a masked ID number."""

from __future__ import annotations

from chengxin.subjects.choices import SubjectCategory


def mask_name(name: str) -> str:
    """张三 → 张*, 张小三 → 张*三, 欧阳娜娜 → 欧**娜: the first and (from three) the last character."""
    if len(name) <= 1:
        return "*" if name else ""
    if len(name) == 2:
        return name[0] + "*"
    return name[0] + "*" * (len(name) - 2) + name[-1]


def public_name(name: str, category: str) -> str:
    return mask_name(name) if category == SubjectCategory.NATURAL_PERSON else name
