from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditAction(models.TextChoices):
    CREATED = "created", _("新增")
    UPDATED = "updated", _("修改")
    DELETED = "deleted", _("删除")
    LOGGED_IN = "logged_in", _("登录")
    LOGGED_OUT = "logged_out", _("退出")
    LOGIN_FAILED = "login_failed", _("登录失败")
    SENSITIVE_READ = "sensitive_read", _("查看敏感信息")
