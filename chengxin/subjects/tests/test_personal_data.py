"""ID numbers: encrypted at rest, found by blind index, masked when shown, audited when revealed."""

from __future__ import annotations

import pytest
from django.db import connection

from chengxin.accounts.choices import Role
from chengxin.audit.choices import AuditAction
from chengxin.audit.models import AuditEntry
from chengxin.core.identifiers import mask_id_number
from chengxin.core.personal_data import blind_index, decrypt, encrypt
from chengxin.subjects.choices import SubjectCategory
from chengxin.subjects.models import Subject

ID = "37040519900101123X"


def make_person(id_number: str = ID, name: str = "张三") -> Subject:
    person = Subject(name=name, category=SubjectCategory.NATURAL_PERSON)
    person.set_id_number(id_number)
    person.full_clean()
    person.save()
    return person


def test_mask_matches_the_spec() -> None:
    assert mask_id_number("37040519900101123X") == "370405********123X"


def test_encryption_round_trips_with_a_fresh_nonce() -> None:
    first, second = encrypt(ID), encrypt(ID)
    assert first != second  # a new nonce each time: equal numbers do not look equal
    assert decrypt(first) == decrypt(second) == ID
    assert ID not in first


def test_tampered_ciphertext_is_refused() -> None:
    import base64

    from cryptography.exceptions import InvalidTag

    version, payload = encrypt(ID).split(":")
    raw = bytearray(base64.b64decode(payload))
    raw[-1] ^= 1
    with pytest.raises(InvalidTag):
        decrypt(f"{version}:{base64.b64encode(bytes(raw)).decode()}")


def test_blind_index_is_stable_and_normalised() -> None:
    assert (
        blind_index(ID) == blind_index("37040519900101123x") == blind_index(" 370405 19900101123X")
    )
    assert blind_index(ID) != blind_index("370405199001011246")
    assert ID not in blind_index(ID)


def test_nothing_in_the_database_reveals_the_number(db) -> None:
    person = make_person()
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM subjects_subject WHERE id = %s", [person.pk])
        row = " ".join(str(value) for value in cursor.fetchone())
        cursor.execute("SELECT before, after FROM audit_auditentry")
        audit = " ".join(str(value) for value in cursor.fetchall())
    assert ID not in row and "19900101" not in row
    assert ID not in audit and "19900101" not in audit
    assert Subject.objects.get(id_number_index=blind_index("37040519900101123x")) == person


def test_a_credit_admin_sees_the_full_number_and_the_view_is_audited(make_user) -> None:
    person = make_person()
    officer = make_user(Role.CREDIT_ADMIN)
    assert person.reveal_id_number(officer) == ID
    entry = AuditEntry.objects.filter(action=AuditAction.SENSITIVE_READ).get()
    assert (entry.actor_id, entry.object_id, entry.after) == (
        officer.pk,
        str(person.pk),
        {"field": "id_number"},
    )


@pytest.mark.parametrize(
    "role", [Role.DEPARTMENT_REPORTER, Role.CREDIT_CHECKER, Role.AUDIT_ADMIN, Role.SYSTEM_ADMIN]
)
def test_other_roles_only_see_the_masked_number(role, make_user) -> None:
    person = make_person()
    with pytest.raises(PermissionError):
        person.reveal_id_number(make_user(role))
    assert not AuditEntry.objects.filter(action=AuditAction.SENSITIVE_READ).exists()
    assert person.id_number_masked == "370405********123X"


def test_staff_pages_show_the_masked_number_only(make_user, client) -> None:
    person = make_person()
    client.force_login(make_user(Role.CREDIT_ADMIN))
    for url in ("/admin/subjects/subject/", f"/admin/subjects/subject/{person.pk}/change/"):
        page = client.get(url).content.decode()
        assert "370405********123X" in page
        assert ID not in page and "19900101" not in page


def test_a_person_needs_an_id_number_and_an_organisation_a_code(db) -> None:
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as excinfo:
        Subject(name="李四", category=SubjectCategory.NATURAL_PERSON).full_clean()
    assert "证件号码" in str(excinfo.value)
    with pytest.raises(ValidationError) as excinfo:
        Subject(
            name="某公司", category=SubjectCategory.LEGAL_ENTITY, credit_code="91110000600037341N"
        ).full_clean()
    assert "credit_code" in excinfo.value.message_dict
    company = Subject(
        name="某公司", category=SubjectCategory.LEGAL_ENTITY, credit_code="91110000600037341l"
    )
    company.full_clean()
    assert company.credit_code == "91110000600037341L"
