"""What the public sees of a natural person: a partly masked name and a masked ID number."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError

from chengxin.core.identifiers import mask_id_number, mask_name, validate_resident_id
from chengxin.subjects.choices import SubjectCategory

ID_NUMBER_RE = re.compile(r"(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])")


def public_name(name: str, category: str) -> str:
    return mask_name(name) if category == SubjectCategory.NATURAL_PERSON else name


def redact_text(text: str, name: str = "") -> str:
    """Free text with every valid ID number masked, and `name` (two characters or more) masked.

    Departments write facts in prose that may carry personal data the standard's fields keep apart.
    """
    text = ID_NUMBER_RE.sub(_mask_if_id_number, text)
    return text.replace(name, mask_name(name)) if len(name) >= 2 else text


def _mask_if_id_number(match: re.Match[str]) -> str:
    try:
        return mask_id_number(validate_resident_id(match.group()))
    except ValidationError:  # 18 characters that are no ID number (a code, an amount)
        return match.group()
