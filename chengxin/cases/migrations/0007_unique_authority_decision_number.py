"""A 决定书文号 is unique per deciding authority (处罚机关), not per body: an entrusted organisation
decides in its entrusting body's name and under its numbering (行政处罚法 art. 20)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0006_fill_handling_authority_versions"),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name="case",
            name="unique_case_decision_number",
        ),
        migrations.AddConstraint(
            model_name="case",
            constraint=models.UniqueConstraint(
                models.F("authority_credit_code"),
                models.F("decision_number"),
                condition=models.Q(("decision_number", ""), _negated=True),
                name="unique_case_authority_decision_number",
                violation_error_message="本决定机关已有相同决定书文号的案件。",
            ),
        ),
    ]
