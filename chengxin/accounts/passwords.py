"""Password policy (GB/T 22239-2019 level 3, 身份鉴别: complexity requirements)."""

from __future__ import annotations

import string
from collections.abc import Callable
from typing import Any

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

CLASSES: tuple[tuple[str, Callable[[str], bool]], ...] = (
    ("upper", lambda c: c in string.ascii_uppercase),
    ("lower", lambda c: c in string.ascii_lowercase),
    ("digit", lambda c: c in string.digits),
    ("symbol", lambda c: not c.isalnum() or not c.isascii()),
)


def character_classes(password: str) -> set[str]:
    return {name for name, test in CLASSES if any(test(c) for c in password)}


class CharacterClassValidator:
    """At least `min_classes` of: upper-case, lower-case, digits, other characters."""

    def __init__(self, min_classes: int = 3) -> None:
        self.min_classes = min_classes

    def validate(self, password: str, user: Any = None) -> None:
        if len(character_classes(password)) < self.min_classes:
            raise ValidationError(self.get_help_text(), code="password_too_simple")

    def get_help_text(self) -> str:
        return _("密码须包含大写字母、小写字母、数字、其他字符中的至少 %(n)d 类。") % {
            "n": self.min_classes
        }


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    """Django's, with its refusal in Chinese: Django 5.2 reworded the message and its Chinese
    catalogue has no translation of the new wording (the English showed on Chinese pages)."""

    def get_error_message(self) -> str:
        return _("密码长度太短，至少须 %(n)d 个字符。") % {"n": self.min_length}
