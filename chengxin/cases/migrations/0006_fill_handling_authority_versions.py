"""Data for the fields 0005 added, on the cases already there:

- `power_item_version`: the power list's version of the item in force on the registration date
  (the case then shows the item's name of that day);
- `handling_deadline`: 立案 + 90 calendar days for cases under a 行政处罚 item (行政处罚法
  art. 60);
- `authority_name` / `authority_credit_code` of decided cases: the body's, or for an entrusted
  organisation its entrusting body's (行政处罚法 art. 20).

Reversed by emptying them again.
"""

import datetime

from django.db import migrations

HANDLING_DAYS = 90


def fill(apps, schema_editor):
    Case = apps.get_model("cases", "Case")
    PowerAdjustment = apps.get_model("powers", "PowerAdjustment")
    for case in Case.objects.select_related(
        "power_item__category", "body__entrusting_body"
    ).iterator(chunk_size=500):
        version = (
            PowerAdjustment.objects.filter(
                item_id=case.power_item_id, effective_on__lte=case.registered_on
            )
            .order_by("-effective_on", "-id")
            .first()
        )
        case.power_item_version = version
        if case.power_item.category.code == "penalty":
            case.handling_deadline = case.registered_on + datetime.timedelta(days=HANDLING_DAYS)
        if case.decided_on is not None:
            body = case.body
            if body.kind == "entrusted" and body.entrusting_body is not None:
                body = body.entrusting_body
            case.authority_name, case.authority_credit_code = body.name, body.credit_code
        case.save(
            update_fields=[
                "power_item_version",
                "handling_deadline",
                "authority_name",
                "authority_credit_code",
            ]
        )


def empty(apps, schema_editor):
    Case = apps.get_model("cases", "Case")
    Case.objects.update(
        power_item_version=None, handling_deadline=None, authority_name="", authority_credit_code=""
    )


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0005_handling_signoff_reviewers"),
        ("powers", "0003_powerimport_powerimportrejection"),
    ]

    operations = [migrations.RunPython(fill, empty)]
