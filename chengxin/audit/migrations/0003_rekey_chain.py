"""Re-hash the existing audit chain under the audit key (ADR 0002, "A keyed chain").

Until now `entry_hash` was a plain SHA-256, which anyone who can write to the database can
recompute. Every entry is re-hashed, in order and in batches, as HMAC-SHA256 under
CHENGXIN_AUDIT_KEY, and one entry is appended recording it: how many entries, and the first
entry that did not verify under the old hash (null when the old chain was intact), so the
re-keying does not hide an earlier break. A fresh installation (no entries) is left alone.
Reversible: backwards, the chain is re-hashed with plain SHA-256 again.
"""

import sys

from django.db import migrations

from chengxin.audit.chain import chain_key, keyed_hash, rehash_chain, rekey_chain, unkeyed_hash


def rekey(apps, schema_editor):
    entries, head = apps.get_model("audit", "AuditEntry"), apps.get_model("audit", "ChainHead")
    result = rekey_chain(
        entries,
        head,
        old=unkeyed_hash,
        new=keyed_hash(chain_key()),
        action="chain_rekeyed",
        details={"from": "sha256", "to": "hmac-sha256"},
    )
    if result is not None and result["first_break"] is not None:
        sys.stderr.write(
            f"\n  The audit chain did not verify before re-keying, from entry "
            f"#{result['first_break']}; recorded in entry #{result['last_sequence'] + 1}.\n"
        )


def unkey(apps, schema_editor):
    entries, head = apps.get_model("audit", "AuditEntry"), apps.get_model("audit", "ChainHead")
    rehash_chain(entries, head, old=keyed_hash(chain_key()), new=unkeyed_hash, batch_size=2000)


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0002_key_actions"),
    ]

    operations = [
        migrations.RunPython(rekey, unkey, elidable=False),
    ]
