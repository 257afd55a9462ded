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
    # Key management (docs/keys.md): the chain re-hashed under a (new) audit key; personal data
    # re-encrypted under a new data key.
    CHAIN_REKEYED = "chain_rekeyed", _("审计链密钥更新")
    DATA_KEY_ROTATED = "data_key_rotated", _("个人信息密钥更换")
    # `chengxin restore` (operations/backup.py): the database and files replaced from a backup.
    RESTORED = "restored", _("从备份恢复")
