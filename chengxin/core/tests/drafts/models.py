from django.db import models

from chengxin.core.models import ChangeLoggedModel, RestrictedQuerySet
from chengxin.core.workflow import WorkflowEvent


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


class DraftEvent(WorkflowEvent):
    """A draft's workflow event, for the tests of `core.workflow`."""

    draft = models.ForeignKey(Draft, models.CASCADE, related_name="events")
    note = models.TextField(blank=True)

    permission_area = "records"

    class Meta:
        ordering = ["draft", "created_at", "id"]

    def __str__(self) -> str:
        return f"{self.draft_id} {self.type}"
