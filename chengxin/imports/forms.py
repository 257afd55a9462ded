from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from chengxin.accounts.choices import Scope
from chengxin.accounts.models import Department, User
from chengxin.accounts.permissions import IMPORT, scope_for
from chengxin.imports.models import ImportBatch
from chengxin.publicity.choices import RecordKind


def within_limit(upload: UploadedFile) -> UploadedFile:
    """An upload no larger than `IMPORT_MAX_UPLOAD_MB`."""
    limit = settings.IMPORT_MAX_UPLOAD_MB
    if (upload.size or 0) > limit * 1024 * 1024:
        raise forms.ValidationError(_("文件超过 %(limit)s MB，请拆分后上传。") % {"limit": limit})
    return upload


class UploadForm(forms.Form):
    kind = forms.ChoiceField(label=_("信息类型"), choices=RecordKind.choices)
    department = forms.ModelChoiceField(label=_("数据来源单位"), queryset=Department.objects.none())
    file = forms.FileField(
        label=_("文件（CSV 或 XLSX）"),
        help_text=_("表头为国家标准字段代码或中文名称；CSV 可为 UTF-8 或 GBK 编码。"),
    )
    dry_run = forms.BooleanField(label=_("仅校验，不入库"), required=False)

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        departments = Department.objects.filter(is_active=True)
        scope = scope_for(user, IMPORT, ImportBatch)
        if scope is Scope.DEPARTMENT:
            departments = departments.filter(pk=user.department_id)
        elif scope is Scope.NONE:
            departments = departments.none()
        department = self.fields["department"]
        assert isinstance(department, forms.ModelChoiceField)
        department.queryset = departments
        if user.department_id:
            self.fields["department"].initial = user.department_id

    def clean_file(self) -> UploadedFile:
        return within_limit(self.cleaned_data["file"])


class RegisterUploadForm(forms.Form):
    """A register's file (`imports.views_registers`); a register asking batch-wide values
    (`Register.options_form`) gets a form of both."""

    file = forms.FileField(
        label=_("文件（CSV 或 XLSX）"),
        help_text=_("表头与导入模板相同；CSV 可为 UTF-8 或 GBK 编码。"),
    )

    field_order = ["file"]

    def clean_file(self) -> UploadedFile:
        return within_limit(self.cleaned_data["file"])

    @property
    def options(self) -> dict[str, Any]:
        """The batch-wide values (every cleaned field but the file)."""
        return {name: value for name, value in self.cleaned_data.items() if name != "file"}


def register_upload_form(options_form: type[forms.Form] | None) -> type[RegisterUploadForm]:
    """The upload form, with the register's own batch-wide fields after the file."""
    if options_form is None:
        return RegisterUploadForm
    return type("RegisterUploadForm", (RegisterUploadForm, options_form), {})
