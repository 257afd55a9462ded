from django.db import models
from django.utils.translation import gettext_lazy as _


class BatchStatus(models.TextChoices):
    """QUEUED → RUNNING (rows read, checked and staged, a chunk per transaction) → RELEASING
    (the commit point: the staged rows are let out in bounded steps) → FINISHED; FAILED from
    QUEUED or RUNNING, with nothing of the batch left. A RELEASING batch is never failed: a
    recovery finishes it (imports.pipeline)."""

    QUEUED = "queued", _("排队中")
    RUNNING = "running", _("导入中")
    RELEASING = "releasing", _("入库中")
    FINISHED = "finished", _("已完成")
    FAILED = "failed", _("失败")


class BatchSource(models.TextChoices):
    WEB = "web", _("网页上传")
    COMMAND = "command", _("命令行")
    API = "api", _("接口")


class RegistryImportStatus(models.TextChoices):
    """A registry import (list entries, officers, power items) runs in the request: it either
    finished or failed, and a failed one wrote nothing."""

    RUNNING = "running", _("导入中")
    FINISHED = "finished", _("已完成")
    FAILED = "failed", _("失败")
