"""Records submitted, published or withdrawn without a subject (entered through the staff form
before every path linked them) get their subject, so that the constraint of 0012 can hold."""

from django.db import migrations


def link(apps, schema_editor):
    # The set-based linking of imports (subjects.actions.link_subjects), which reads only table
    # names from the model it is given.
    from chengxin.subjects.actions import link_subjects

    for name in ("LicenseRecord", "PenaltyRecord"):
        model = apps.get_model("publicity", name)
        for status in ("submitted", "published", "withdrawn"):
            link_subjects(model, status=status)


class Migration(migrations.Migration):
    dependencies = [
        ("publicity", "0010_penalty_authority_number"),
        ("subjects", "0007_name_rank"),
    ]

    operations = [migrations.RunPython(link, migrations.RunPython.noop)]
