"""Applications for repair tests: a subject with a public penalty or a list entry, and files."""

from __future__ import annotations

import datetime
import io
import itertools
from collections.abc import Callable
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.timezone import localdate
from PIL import Image

from chengxin.accounts.actions import assign_role
from chengxin.accounts.choices import Role
from chengxin.accounts.models import Department, User
from chengxin.core.tests.fixtures import PASSWORD
from chengxin.portal.tests.fixtures import company, penalty
from chengxin.publicity.models import PenaltyRecord
from chengxin.repair.actions import give_opinion, submit_application
from chengxin.repair.choices import OpinionVerdict
from chengxin.repair.models import RepairApplication
from chengxin.subjects.models import Subject

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
_reporters = itertools.count(1)


def png_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "white").save(buffer, "PNG")
    return buffer.getvalue()


def pdf_file(name: str = "缴款凭证.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


@pytest.fixture
def market(make_department: Callable[..., Department]) -> Department:
    return make_department(name="台儿庄区市场监督管理局")


@pytest.fixture
def credit_admin(make_user: Callable[..., User]) -> User:
    return make_user(Role.CREDIT_ADMIN)


@pytest.fixture
def repairable(market: Department) -> PenaltyRecord:
    """A company's penalty decided five months ago (一般, under 《信用修复管理办法》): eligible."""
    today = localdate()
    decided = today.replace(day=1) - datetime.timedelta(days=150)
    return penalty(company(), market, decision_date=decided, severity="general")


@pytest.fixture
def apply(repairable: PenaltyRecord) -> Callable[..., tuple[RepairApplication, str]]:
    def make(target: Any = None, subject: Subject | None = None, **overrides: Any) -> Any:
        target = target or repairable
        fields: dict[str, Any] = {
            "contact_person": "王经理",
            "contact_phone": "0632-6611234",
            "statement": "罚款已于本月缴清，过期食品已全部下架销毁。",
            "commitment_confirmed": True,
            "files": [pdf_file()],
        }
        fields.update(overrides)
        return submit_application(subject or target.subject, target, **fields)

    return make


def department_reporter(department: Department) -> User:
    """A new reporter of `department` (the deciding department of its own penalties)."""
    n = next(_reporters)
    user = User.objects.create_user(
        f"deciding{n}", PASSWORD, full_name=f"决定部门填报员{n}", department=department
    )
    assign_role(user, Role.DEPARTMENT_REPORTER, actor=None)
    return user


def agree(application: RepairApplication, reason: str = "经核实，罚款已缴清。") -> User:
    """The deciding department's 同意 (谁认定、谁修复), which a penalty's approval needs; given by
    a new reporter of the application's department, who is returned."""
    assert application.department is not None
    reporter = department_reporter(application.department)
    give_opinion(application, actor=reporter, verdict=OpinionVerdict.AGREE, reason=reason)
    return reporter
