"""Every upward change writes its messages in the change's own transaction, once per routed
channel, with the national field codes and the record's version; an import reports set-based."""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from chengxin.accounts.choices import Role
from chengxin.core.personal_data import decrypt
from chengxin.exchange.choices import Change, MessageStatus
from chengxin.exchange.models import ExchangeMessage
from chengxin.exchange.tests.fixtures import ID_NUMBER, channel_settings, draft_penalty
from chengxin.portal.tests.fixtures import company, license_, penalty
from chengxin.publicity import actions
from chengxin.publicity.choices import RecordStatus
from chengxin.publicity.models import PenaltyRecord
from chengxin.publicity.release import release_batch
from chengxin.screening.actions import remove_entry

pytestmark = pytest.mark.django_db


@pytest.fixture
def market(make_department: Any) -> Any:
    return make_department(name="台儿庄区市场监督管理局")


@pytest.fixture
def channels(settings: Any, tmp_path: Path, market: Any) -> dict[str, Any]:
    """The city platform takes everything; 国家企业信用信息公示系统 the market regulator's
    penalties on enterprises (《企业信息公示暂行条例》第六条)."""
    settings.EXCHANGE_CHANNELS = {
        "city": channel_settings(tmp_path / "city"),
        "gsxt": channel_settings(
            tmp_path / "gsxt",
            objects=["penalty"],
            subject_categories=["legal_entity"],
            departments=[market.credit_code],
        ),
    }
    return dict(settings.EXCHANGE_CHANNELS)


@pytest.fixture
def reporter(make_user: Any, market: Any) -> Any:
    return make_user(Role.DEPARTMENT_REPORTER, department=market)


def messages(**filters: Any) -> list[ExchangeMessage]:
    return list(ExchangeMessage.objects.filter(**filters).order_by("pk"))


def test_publishing_writes_one_message_per_routed_channel_with_the_codes_and_version(
    channels: Any, reporter: Any, market: Any, django_capture_on_commit_callbacks: Any
) -> None:
    record = draft_penalty(market)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        actions.submit_record(record, actor=reporter)
    city, gsxt = messages(channel="city"), messages(channel="gsxt")
    assert len(city) == len(gsxt) == 1 and len(callbacks) >= 2  # a dispatch per channel
    (message,) = city
    assert message.change == Change.RECORD_PUBLISHED and message.status == MessageStatus.PENDING
    assert message.version == 1 and message.record_key == f"penalty-{record.pk}"
    assert message.department == market
    data = message.payload["data"]
    assert data["CF_WSH"] == record.decision_number and data["CF_XDR_MC"] == record.subject_name
    assert data["CF_JDRQ"] == record.decision_date.isoformat() and data["CF_NR_FK"] == "0.2"


def test_a_personal_number_is_kept_sealed(channels: Any, reporter: Any, market: Any) -> None:
    record = draft_penalty(market, natural_person=True)
    actions.submit_record(record, actor=reporter)
    (message,) = messages(channel="city")  # a natural person: not for 公示系统
    assert ID_NUMBER not in str(message.payload) and "CF_XDR_ZJHM" not in message.payload["data"]
    assert decrypt(message.sealed["CF_XDR_ZJHM"]) == ID_NUMBER
    assert not messages(channel="gsxt")


def test_routing_by_object_and_department(
    channels: Any, make_department: Any, reporter: Any
) -> None:
    other = make_department(name="台儿庄区交通运输局")
    subject = company()
    with transaction.atomic():
        actions.submit_record(
            license_(subject, reporter.department, status=RecordStatus.DRAFT), actor=reporter
        )
        record = penalty(subject, other, status=RecordStatus.DRAFT)
        actions.submit_record(record, actor=None, drafted_by_actor=True)  # type: ignore[arg-type]
    assert [m.object_kind for m in messages(channel="city")] == ["license", "penalty"]
    assert not messages(channel="gsxt")  # a licence, and another department's penalty


def test_correction_and_withdrawal_report_the_new_version(
    channels: Any, reporter: Any, market: Any
) -> None:
    record = actions.submit_record(draft_penalty(market), actor=reporter)
    record.content = "警告，罚款 0.3 万元"
    record.fine_amount = "0.3"
    actions.correct_record(record, actor=reporter, reason="金额录入错误")
    actions.withdraw_record(
        PenaltyRecord.objects.get(pk=record.pk),
        actor=reporter,
        reason="复议决定撤销",
        revoked_on=timezone.localdate(),
    )
    city = messages(channel="city")
    assert [(m.change, m.version) for m in city] == [
        (Change.RECORD_PUBLISHED, 1),
        (Change.RECORD_CORRECTED, 2),
        (Change.RECORD_WITHDRAWN, 2),
    ]
    assert city[1].payload["data"]["CF_NR_FK"] == "0.3"
    assert city[2].payload["detail"]["reason"] == "复议决定撤销"


def test_a_record_never_published_reports_nothing(
    channels: Any, reporter: Any, market: Any
) -> None:
    actions.save_draft(draft_penalty(market), actor=reporter)
    assert not ExchangeMessage.objects.exists()


@pytest.mark.parametrize("step", ["publish", "correct", "withdraw", "end_publicity"])
def test_a_rolled_back_change_reports_nothing(
    step: str, channels: Any, reporter: Any, market: Any, credit_admin: Any
) -> None:
    record = actions.submit_record(draft_penalty(market), actor=reporter)
    ExchangeMessage.objects.all().delete()
    if step == "publish":
        record = draft_penalty(market)
    with pytest.raises(RuntimeError), transaction.atomic():
        if step == "publish":
            actions.submit_record(record, actor=reporter)
        elif step == "correct":
            actions.correct_record(record, actor=reporter, reason="更正")
        elif step == "withdraw":
            actions.withdraw_record(
                record, actor=reporter, reason="撤销", revoked_on=timezone.localdate()
            )
        else:
            actions.end_publicity(
                record, actor=credit_admin, receipt_number="XF1", ended_on=timezone.localdate()
            )
        assert ExchangeMessage.objects.exists()  # written inside the change's transaction
        raise RuntimeError
    assert not ExchangeMessage.objects.exists()


def test_publicity_ended_by_repair_is_reported(
    channels: Any, reporter: Any, market: Any, credit_admin: Any
) -> None:
    record = actions.submit_record(draft_penalty(market), actor=reporter)
    actions.end_publicity(
        record, actor=credit_admin, receipt_number="XF20261201001", ended_on=timezone.localdate()
    )
    last = messages(channel="city")[-1]
    assert last.change == Change.PUBLICITY_ENDED
    assert last.payload["detail"]["repair_receipt_number"] == "XF20261201001"


def test_a_list_entry_added_and_removed(channels: Any, make_entry: Any) -> None:
    entry = make_entry(id_number=ID_NUMBER, subject_category="natural_person")
    remove_entry(entry, actor=None, reason="期满移出", removed_on=datetime.date(2026, 6, 1))
    added, removed = messages(channel="city")
    assert (added.change, added.version) == (Change.LIST_ENTRY_ADDED, 1)
    assert (removed.change, removed.version) == (Change.LIST_ENTRY_REMOVED, 2)
    assert removed.payload["data"]["MD_YCYY"] == "期满移出" and "MD_ZJHM" in removed.sealed
    assert ID_NUMBER not in str(removed.payload)


def test_a_repair_decision_is_reported(channels: Any, apply: Any, credit_admin: Any) -> None:
    from chengxin.repair.actions import accept_application, refuse_application

    application, _code = apply()
    accept_application(application, actor=credit_admin)
    refuse_application(application, actor=credit_admin, reason="未满最短公示期")
    last = messages(channel="city")[-1]
    assert last.change == Change.REPAIR_DECIDED and last.object_kind == "repair"
    assert last.payload["data"]["XYXF_JG"] == "2"


def test_an_import_reports_its_released_records_as_a_set(channels: Any, market: Any) -> None:
    now = timezone.now()
    staged = [
        penalty(company(), market, status=RecordStatus.STAGED, published_at=now) for _ in range(30)
    ]
    assert not ExchangeMessage.objects.exists()  # staged rows are not public: nothing yet
    with CaptureQueriesContext(connection) as queries:
        release_batch("penalty", None)
    inserts = [q for q in queries if q["sql"].startswith('INSERT INTO "exchange_exchangemessage"')]
    assert len(inserts) == 1  # the step's rows for both channels, not one per record
    assert sorted(m.object_id for m in messages(channel="city")) == sorted(r.pk for r in staged)
    assert len(messages(channel="gsxt")) == 30


def test_no_channel_configured_reports_nothing(settings: Any, reporter: Any, market: Any) -> None:
    settings.EXCHANGE_CHANNELS = {}
    actions.submit_record(draft_penalty(market), actor=reporter)
    assert not ExchangeMessage.objects.exists()


def test_the_go_live_check_wants_https_and_a_credential(settings: Any, tmp_path: Path) -> None:
    from chengxin.core.golive import State
    from chengxin.core.tests.test_golive import inspect

    settings.EXCHANGE_CHANNELS = {}
    assert inspect("exchange_channels").state == State.MISSING
    settings.EXCHANGE_CHANNELS = {
        "city": channel_settings(tmp_path, url="http://city.example/api", token="")
    }
    finding = inspect("exchange_channels")
    assert finding.state == State.WARNING and "HTTPS" in finding.detail
    settings.EXCHANGE_CHANNELS["city"].update(url="https://city.example/api", token="t")
    assert inspect("exchange_channels").state == State.OK
