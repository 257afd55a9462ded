"""Credit subjects (信用主体): the organisations, businesses and people that records are about."""

from __future__ import annotations

import uuid

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Length
from django.utils.translation import gettext_lazy as _

from chengxin.core.identifiers import validate_uscc
from chengxin.core.models import ChangeLoggedModel, RestrictedQuerySet
from chengxin.core.personal_data import EncryptedIdNumberMixin
from chengxin.subjects.choices import SubjectCategory


class Subject(EncryptedIdNumberMixin, ChangeLoggedModel):
    """One 信用主体: identified by its 统一社会信用代码, or for a natural person by the blind index
    of the ID number (the number itself is only stored encrypted)."""

    # The public pages' key: a natural person's URL must not carry the ID number.
    public_id = models.UUIDField(_("公开编号"), default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(_("名称"), max_length=200, db_index=True)
    category = models.CharField(_("行政相对人类别"), max_length=24, choices=SubjectCategory.choices)
    credit_code = models.CharField(_("统一社会信用代码"), max_length=18, blank=True, db_index=True)
    legal_representative = models.CharField(_("法定代表人"), max_length=100, blank=True)
    id_number_ciphertext = models.TextField(_("证件号码（密文）"), blank=True, editable=False)
    id_number_index = models.CharField(
        _("证件号码索引"), max_length=64, blank=True, db_index=True, editable=False
    )
    id_number_masked = models.CharField(_("证件号码"), max_length=64, blank=True, editable=False)

    audit_exclude_fields = frozenset({"id_number_ciphertext", "id_number_index"})
    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("信用主体")
        verbose_name_plural = _("信用主体")
        ordering = ["name"]
        indexes = [
            # The order of a name search (subjects.search.RANK_SQL), read in order by its walks.
            models.Index(
                Length("name"),
                "id",
                include=["name"],  # PostgreSQL: its walks read only the index
                name="subject_name_rank",
                condition=~models.Q(category=SubjectCategory.NATURAL_PERSON),
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                "credit_code",
                condition=~models.Q(credit_code="") & ~models.Q(credit_code="00000000000000000X"),
                name="unique_subject_credit_code",
            ),
            models.UniqueConstraint(
                "id_number_index",
                condition=~models.Q(id_number_index=""),
                name="unique_subject_id_number",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        super().clean()
        if self.category == SubjectCategory.NATURAL_PERSON:
            if not self.id_number_index:
                raise ValidationError({"id_number_masked": _("自然人必须填写证件号码。")})
        elif self.credit_code:
            try:
                self.credit_code = validate_uscc(self.credit_code)
            except ValidationError as exc:
                raise ValidationError({"credit_code": exc.messages}) from exc
        else:
            raise ValidationError(
                {"credit_code": _("法人及非法人组织、个体工商户必须填写统一社会信用代码。")}
            )
