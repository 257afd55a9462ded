from django.db import models

from chengxin.core.models import ChangeLoggedModel, RestrictedQuerySet


class Draft(ChangeLoggedModel):
    """A department's record in the "records" permission area (as 双公示 records will be)."""

    department = models.ForeignKey("accounts.Department", models.CASCADE)
    title = models.CharField(max_length=100)
    is_published = models.BooleanField(default=False)

    permission_area = "records"
    department_field = "department"
    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title

    def requires_change_reason(self) -> bool:
        return self.is_published
