"""The append-only, hash-chained audit log (keyed: audit/chain.py)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from chengxin.audit import chain
from chengxin.audit.chain import GENESIS_HASH
from chengxin.audit.choices import AuditAction
from chengxin.core.models import RestrictedQuerySet

__all__ = ["GENESIS_HASH", "AuditEntry", "ChainHead"]


class AuditEntry(models.Model):
    """One thing that happened: a change to a record, a login, a failed login, a sensitive read.

    `entry_hash` is the HMAC-SHA256, under the audit key, of `previous_hash` and this entry's
    content, so editing or deleting any entry breaks the chain from there on, and without the key
    nobody can rehash it (`chengxin audit verify`). Entries are never updated or deleted by the
    application.
    """

    sequence = models.PositiveBigIntegerField(_("序号"), unique=True)
    created_at = models.DateTimeField(_("时间"), db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        db_constraint=False,  # the log outlives accounts; the name is kept in actor_name
        verbose_name=_("操作人"),
    )
    actor_name = models.CharField(_("操作人名称"), max_length=150, blank=True)
    action = models.CharField(_("操作"), max_length=20, choices=AuditAction.choices)
    object_type = models.CharField(_("对象类型"), max_length=100, blank=True, db_index=True)
    object_id = models.CharField(_("对象编号"), max_length=64, blank=True, db_index=True)
    object_repr = models.CharField(_("对象"), max_length=200, blank=True)
    before = models.JSONField(_("修改前"), null=True, blank=True)
    after = models.JSONField(_("修改后"), null=True, blank=True)
    reason = models.TextField(_("原因"), blank=True)
    request_id = models.UUIDField(_("请求编号"), db_index=True)
    ip_address = models.GenericIPAddressField(_("IP 地址"), null=True, blank=True)
    previous_hash = models.CharField(_("前一条哈希"), max_length=64)
    entry_hash = models.CharField(_("本条哈希"), max_length=64)

    permission_area = "audit"
    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("审计日志")
        verbose_name_plural = _("审计日志")
        ordering = ["-sequence"]

    def __str__(self) -> str:
        return f"#{self.sequence} {self.get_action_display()} {self.object_repr}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None and not kwargs.get("force_insert"):
            raise PermissionError("Audit entries are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise PermissionError("Audit entries are append-only.")

    def content(self) -> dict[str, Any]:
        """What the hash covers: every field but the hashes themselves."""
        return chain.content_of(self)

    def compute_hash(self, key: bytes | None = None) -> str:
        """HMAC-SHA256 under the audit key (or `key`) of the previous hash and the content."""
        return chain.entry_hash(self, key)


class ChainHead(models.Model):
    """The single row that holds the chain's last sequence and hash.

    Appending locks it, which orders concurrent writers; verify compares it with the last entry,
    so deleting the newest entries is caught as well.
    """

    last_sequence = models.PositiveBigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, default=GENESIS_HASH)

    permission_area = "audit"

    class Meta:
        verbose_name = _("审计链头")
        verbose_name_plural = _("审计链头")

    def __str__(self) -> str:
        return f"#{self.last_sequence} {self.last_hash[:12]}"
