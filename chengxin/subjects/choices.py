from django.db import models
from django.utils.translation import gettext_lazy as _


class SubjectCategory(models.TextChoices):
    """行政相对人类别 of the national 双公示 standard (XK_XDR_LB / CF_XDR_LB)."""

    LEGAL_ENTITY = "legal_entity", _("法人及非法人组织")
    NATURAL_PERSON = "natural_person", _("自然人")
    INDIVIDUAL_BUSINESS = "individual_business", _("个体工商户")
