"""`chengxin rotate_data_key`: re-encrypt all personal data under a new data key (docs/keys.md).

Stop the web and job workers, set CHENGXIN_DATA_KEY to the new key and CHENGXIN_DATA_KEY_PREVIOUS
to the old one, run this, then start the services with the new key alone.

What it covers is found by the naming rule of core/personal_data.py's users: every concrete
field named `<name>_ciphertext` holds `personal_data.encrypt` output (ID numbers, a legal
representative's ID number, an import's rejected rows), and a field `<name>_index` beside it
holds the blind index of the same value. A model with a `content_hash` field and a
`compute_content_hash()` method (the 双公示 records: the fingerprint takes ID numbers as their
blind index) has the fingerprint recomputed too, or the next re-import of an unchanged file would
count every person's record as corrected.

Rows go in primary-key order, in batches, each batch in its own transaction. A value that opens
under the new key is left as it is, so a run that stopped half-way is simply run again, and a
second run changes nothing. A value that opens under neither key is reported (exit 1) and its row
left unchanged.

Then the sealed files (core/sealed_files.py: repair evidence, case attachments, uploads waiting
for their job; each app names its folders in `<app>/sealed.py`) are re-sealed under the new key,
one file at a time, each replaced atomically; a file still in plaintext (from before files were
sealed) is sealed on the way. The same rules hold: a file under the new key is left alone, one
that opens under neither key is reported and left unchanged. One audit entry records the run.
"""

from __future__ import annotations

import argparse
import os
from dataclasses import dataclass
from typing import Any

from cryptography.exceptions import InvalidTag
from django.apps import apps
from django.conf import settings
from django.core.management.base import CommandError
from django.db import models, transaction

from chengxin.audit.choices import AuditAction
from chengxin.audit.log import Event, append
from chengxin.core.commands import OperatorCommand
from chengxin.core.personal_data import blind_index_with, decrypt_with, encrypt_with
from chengxin.core.sealed_files import FolderResult, reseal_folder, sealed_folders

CIPHERTEXT_SUFFIX, INDEX_SUFFIX = "_ciphertext", "_index"


@dataclass(frozen=True)
class EncryptedModel:
    """A model holding ciphertext: its ciphertext fields, each one's blind index field if any,
    and whether it keeps a content fingerprint derived from the blind index."""

    model: type[models.Model]
    ciphertexts: tuple[str, ...]
    indexes: dict[str, str]
    has_fingerprint: bool

    @property
    def label(self) -> str:
        return self.model._meta.label

    @property
    def fields(self) -> list[str]:
        extra = ["content_hash"] if self.has_fingerprint else []
        return [*self.ciphertexts, *self.indexes.values(), *extra]


def encrypted_models() -> list[EncryptedModel]:
    """Every installed concrete model with a `*_ciphertext` field."""
    found = []
    for model in apps.get_models():
        if model._meta.proxy or not model._meta.managed:
            continue
        names = {field.attname for field in model._meta.concrete_fields}
        ciphertexts = tuple(sorted(n for n in names if n.endswith(CIPHERTEXT_SUFFIX)))
        if not ciphertexts:
            continue
        indexes = {
            name: name.removesuffix(CIPHERTEXT_SUFFIX) + INDEX_SUFFIX
            for name in ciphertexts
            if name.removesuffix(CIPHERTEXT_SUFFIX) + INDEX_SUFFIX in names
        }
        fingerprint = "content_hash" in names and hasattr(model, "compute_content_hash")
        found.append(EncryptedModel(model, ciphertexts, indexes, fingerprint))
    return sorted(found, key=lambda spec: spec.label)


class Unreadable(Exception):
    """A ciphertext that opens under neither key."""


def rekeyed_values(
    row: models.Model, spec: EncryptedModel, *, old: str, new: str
) -> dict[str, str]:
    """The fields of `row` to change so that everything is under `new` (empty: already is)."""
    changes: dict[str, str] = {}
    for name in spec.ciphertexts:
        token = getattr(row, name)
        if not token:
            continue
        try:
            plaintext = decrypt_with(new, token)  # already rotated: restartable
        except InvalidTag:
            try:
                plaintext = decrypt_with(old, token)
            except InvalidTag as exc:
                raise Unreadable(f"{spec.label} #{row.pk} {name}") from exc
            changes[name] = encrypt_with(new, plaintext)
        index = spec.indexes.get(name)
        if index is not None and getattr(row, index) != blind_index_with(new, plaintext):
            changes[index] = blind_index_with(new, plaintext)
    return changes


@dataclass
class ModelResult:
    rewritten: int = 0
    unchanged: int = 0


def rotate_model(
    spec: EncryptedModel, *, old: str, new: str, batch_size: int, unreadable: list[str]
) -> ModelResult:
    """Re-encrypt `spec`'s rows under `new`, one transaction per batch."""
    result = ModelResult()
    holding = models.Q()
    for name in spec.ciphertexts:
        holding |= ~models.Q(**{name: ""})
    rows = spec.model._base_manager.filter(holding).order_by("pk")
    if not spec.has_fingerprint:  # the fingerprint is computed from the whole record
        rows = rows.only("pk", *spec.fields)
    last: Any = None
    while True:
        with transaction.atomic():
            page = rows if last is None else rows.filter(pk__gt=last)
            batch = list(page.select_for_update()[:batch_size])
            if not batch:
                return result
            changed = []
            for row in batch:
                try:
                    changes = rekeyed_values(row, spec, old=old, new=new)
                except Unreadable as exc:
                    unreadable.append(str(exc))
                    continue
                if not changes:
                    result.unchanged += 1
                    continue
                for name, value in changes.items():
                    setattr(row, name, value)
                if spec.has_fingerprint:
                    row.content_hash = row.compute_content_hash()  # type: ignore[attr-defined]
                changed.append(row)
            if changed:
                spec.model._base_manager.bulk_update(changed, spec.fields)
            result.rewritten += len(changed)
            last = batch[-1].pk


class Command(OperatorCommand):
    help = (
        "Re-encrypt every personal-data ciphertext, recompute every blind index and re-seal "
        "every sealed file under CHENGXIN_DATA_KEY, reading the old values with "
        "CHENGXIN_DATA_KEY_PREVIOUS."
    )

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        parser.add_argument("--batch-size", type=int, default=1000)

    def handle(self, *args: Any, **options: Any) -> None:
        old, new = os.environ.get("CHENGXIN_DATA_KEY_PREVIOUS", ""), settings.DATA_KEY
        if not old:
            raise CommandError("Set CHENGXIN_DATA_KEY_PREVIOUS to the key the data is under now.")
        if old == new:
            raise CommandError("CHENGXIN_DATA_KEY_PREVIOUS is the same as CHENGXIN_DATA_KEY.")
        unreadable: list[str] = []
        counts = {}
        for spec in encrypted_models():
            result = rotate_model(
                spec, old=old, new=new, batch_size=options["batch_size"], unreadable=unreadable
            )
            counts[spec.label] = result.rewritten
            self.stdout.write(
                f"{spec.label}: {result.rewritten} rows re-encrypted, "
                f"{result.unchanged} already under the new key"
            )
        files = self.rotate_files(old=old, new=new)
        unreadable += [name for result in files for name in result.unreadable]
        with transaction.atomic():
            append(
                [
                    Event(
                        action=AuditAction.DATA_KEY_ROTATED,
                        object_repr="个人信息加密密钥",
                        after={
                            "rewritten": counts,
                            "files": {r.name: r.resealed + r.sealed for r in files},
                            "unreadable": len(unreadable),
                        },
                        actor_name="chengxin rotate_data_key",
                    )
                ]
            )
        if unreadable:
            for item in unreadable[:50]:
                self.stderr.write(f"UNREADABLE under both keys: {item}")
            raise CommandError(
                f"{len(unreadable)} values open under neither key and were left unchanged."
            )
        self.stdout.write(
            f"OK: {sum(counts.values())} rows re-encrypted, "
            f"{sum(r.resealed + r.sealed for r in files)} files re-sealed"
        )

    def rotate_files(self, *, old: str, new: str) -> list[FolderResult]:
        results = []
        for folder in sealed_folders():
            result = reseal_folder(folder, old=old, new=new)
            results.append(result)
            self.stdout.write(
                f"{folder.name}: {result.resealed} files re-sealed, {result.sealed} sealed "
                f"(were plaintext), {result.unchanged} already under the new key"
            )
        return results
