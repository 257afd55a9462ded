"""The audit chain: what is logged, and that tampering with the database is caught."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection

from chengxin.accounts.choices import Role
from chengxin.audit.choices import AuditAction
from chengxin.audit.context import audit_context, change_reason
from chengxin.audit.log import verify_chain
from chengxin.audit.models import AuditEntry
from chengxin.core.tests.drafts.models import Draft


def entries_for(obj) -> list[AuditEntry]:
    return list(
        AuditEntry.objects.filter(
            object_type=obj._meta.label_lower, object_id=str(obj.pk)
        ).order_by("sequence")
    )


def test_create_update_delete_are_logged_with_before_and_after(make_department, make_user) -> None:
    actor = make_user(Role.CREDIT_ADMIN)
    with audit_context(actor=actor):
        draft = Draft.objects.create(department=make_department(), title="初稿")
        draft.title = "二稿"
        draft.save()
        draft_id = draft.pk
        draft.delete()
    draft.pk = draft_id
    created, updated, deleted = entries_for(draft)
    assert created.action == AuditAction.CREATED and created.before is None
    assert created.after["title"] == "初稿"
    assert updated.action == AuditAction.UPDATED
    assert updated.before == {"title": "初稿"} and updated.after == {"title": "二稿"}
    assert deleted.action == AuditAction.DELETED and deleted.before["title"] == "二稿"
    assert {e.actor_id for e in (created, updated, deleted)} == {actor.pk}
    assert created.actor_name == actor.username


def test_a_save_without_changes_writes_nothing(make_department) -> None:
    draft = Draft.objects.create(department=make_department(), title="x")
    draft = Draft.objects.get(pk=draft.pk)
    before = AuditEntry.objects.count()
    draft.save()
    assert AuditEntry.objects.count() == before


def test_a_bulk_action_shares_one_request_id(make_department) -> None:
    department = make_department()
    with audit_context() as context:
        drafts = [Draft.objects.create(department=department, title=f"d{i}") for i in range(3)]
    request_ids = {entries_for(d)[0].request_id for d in drafts}
    assert request_ids == {context.request_id}
    other = Draft.objects.create(department=department, title="later")
    assert entries_for(other)[0].request_id != context.request_id


def test_changing_a_published_record_needs_a_reason(make_department) -> None:
    draft = Draft.objects.create(department=make_department(), title="公示稿", is_published=True)
    draft = Draft.objects.get(pk=draft.pk)
    draft.title = "改"
    with pytest.raises(ValidationError) as excinfo:
        draft.save()
    assert excinfo.value.code == "reason_required"
    with pytest.raises(ValidationError):
        draft.delete()
    with change_reason("处罚决定被复议撤销（行政处罚法第四十八条）"):
        draft.save()
    assert entries_for(draft)[-1].reason == "处罚决定被复议撤销（行政处罚法第四十八条）"


def test_an_unpublished_draft_changes_without_reason(make_department) -> None:
    draft = Draft.objects.create(department=make_department(), title="草稿")
    draft = Draft.objects.get(pk=draft.pk)
    draft.title = "草稿二"
    draft.save()
    assert entries_for(draft)[-1].reason == ""


def test_logins_logouts_and_failed_logins_are_logged(make_user, client) -> None:
    user = make_user(Role.CREDIT_ADMIN, username="wang")
    client.post("/accounts/login/", {"username": "wang", "password": "wrong-password"})
    client.post("/accounts/login/", {"username": "wang", "password": "Test-Passw0rd!"})
    client.post("/accounts/logout/")
    actions = list(
        AuditEntry.objects.filter(
            object_type="accounts.user",
            action__in=[
                AuditAction.LOGIN_FAILED,
                AuditAction.LOGGED_IN,
                AuditAction.LOGGED_OUT,
            ],
        )
        .order_by("sequence")
        .values_list("action", "actor_name", "ip_address")
    )
    assert actions == [
        (AuditAction.LOGIN_FAILED, "wang", "127.0.0.1"),
        (AuditAction.LOGGED_IN, user.username, "127.0.0.1"),
        (AuditAction.LOGGED_OUT, user.username, "127.0.0.1"),
    ]


def test_entries_are_append_only(make_department) -> None:
    Draft.objects.create(department=make_department(), title="x")
    entry = AuditEntry.objects.first()
    entry.reason = "changed"
    with pytest.raises(PermissionError):
        entry.save()
    with pytest.raises(PermissionError):
        entry.delete()


# --- tampering, straight in the database -------------------------------------------------


@pytest.fixture
def chain(make_department) -> list[AuditEntry]:
    department = make_department()
    for i in range(5):
        Draft.objects.create(department=department, title=f"记录{i}")
    entries = list(AuditEntry.objects.order_by("sequence"))
    assert verify_chain().ok and verify_chain().verified == len(entries)
    return entries


def run_sql(sql: str, params: list) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def test_verify_counts_an_intact_chain(chain, capsys) -> None:
    call_command("audit", "verify")
    assert f"{len(chain)} entries verified" in capsys.readouterr().out


def test_an_edited_field_is_caught(chain, capsys) -> None:
    target = chain[3]
    run_sql("UPDATE audit_auditentry SET object_repr = %s WHERE id = %s", ["篡改", target.pk])
    result = verify_chain()
    assert (result.ok, result.broken_sequence, result.problem) == (
        False,
        target.sequence,
        "content",
    )
    with pytest.raises(SystemExit) as excinfo:
        call_command("audit", "verify")
    assert excinfo.value.code == 1
    assert f"#{target.sequence}" in capsys.readouterr().err


def test_an_edited_json_value_is_caught(chain) -> None:
    target = chain[-2]
    run_sql("UPDATE audit_auditentry SET after = %s WHERE id = %s", ['{"title": "假"}', target.pk])
    assert verify_chain().broken_sequence == target.sequence


def test_a_rehashed_edit_still_breaks_the_next_link(chain) -> None:
    target = chain[2]
    target.object_repr = "篡改"
    run_sql(
        "UPDATE audit_auditentry SET object_repr = %s, entry_hash = %s WHERE id = %s",
        ["篡改", target.compute_hash(), target.pk],
    )
    result = verify_chain()
    assert (result.broken_sequence, result.problem) == (chain[3].sequence, "link")


@pytest.mark.parametrize("index", [0, 2, -1], ids=["first", "middle", "last"])
def test_a_deleted_entry_is_caught(chain, index) -> None:
    target = chain[index]
    run_sql("DELETE FROM audit_auditentry WHERE id = %s", [target.pk])
    result = verify_chain()
    assert not result.ok
    assert result.broken_sequence == target.sequence


def test_a_file_field_is_logged_by_its_name_not_its_content() -> None:
    from django.db.models.fields.files import FieldFile, FileField

    from chengxin.audit.log import json_value

    field = FileField(name="attachment")
    stored = FieldFile(None, field, "evidence/2026/scan.pdf")
    assert json_value(stored) == "evidence/2026/scan.pdf"
    assert json_value(FieldFile(None, field, None)) == ""
