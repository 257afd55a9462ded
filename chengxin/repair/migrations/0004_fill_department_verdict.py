"""The deciding department's free-text opinions become 同意 / 不同意 with the text as the reason.

Forward: a non-empty opinion that refuses (不同意, 不予同意, 不予修复, 不建议修复) reads 不同意, any
other 同意; its author and time come from the application's latest OPINION_GIVEN event. The text
itself is kept as the reason. Backward: the verdict goes back into the text where the text alone
would not give it again (so a forward run after a backward one finds the same verdict).
"""

from django.db import migrations

AGREE, DISAGREE = "agree", "disagree"
REFUSING = ("不同意", "不予同意", "不予修复", "不建议修复")
LABELS = {AGREE: "同意", DISAGREE: "不同意"}


def verdict_from_text(text: str) -> str:
    """The verdict a free-text opinion expresses ("" for no opinion)."""
    text = text.strip()
    if not text:
        return ""
    if text.startswith("同意"):
        return AGREE
    return DISAGREE if any(word in text for word in REFUSING) else AGREE


def text_with_verdict(text: str, verdict: str) -> str:
    """The free text that gives `verdict` back to verdict_from_text."""
    if not verdict or verdict_from_text(text) == verdict:
        return text
    return f"{LABELS[verdict]}：{text}" if text.strip() else LABELS[verdict]


def fill_verdicts(apps, schema_editor):
    Application = apps.get_model("repair", "RepairApplication")
    Event = apps.get_model("repair", "RepairEvent")
    given = Application.objects.exclude(department_opinion="").filter(department_verdict="")
    for row in given.only("pk", "department_opinion"):
        latest = (
            Event.objects.filter(application_id=row.pk, type="opinion_given")
            .order_by("-created_at", "-id")
            .first()
        )
        Application.objects.filter(pk=row.pk).update(
            department_verdict=verdict_from_text(row.department_opinion),
            department_opinion_by_id=latest.actor_id if latest else None,
            department_opinion_at=latest.created_at if latest else None,
        )


def verdicts_into_text(apps, schema_editor):
    Application = apps.get_model("repair", "RepairApplication")
    for row in Application.objects.exclude(department_verdict="").only(
        "pk", "department_opinion", "department_verdict"
    ):
        Application.objects.filter(pk=row.pk).update(
            department_opinion=text_with_verdict(row.department_opinion, row.department_verdict),
            department_verdict="",
            department_opinion_by=None,
            department_opinion_at=None,
        )


class Migration(migrations.Migration):
    dependencies = [
        ("repair", "0003_department_opinion_verdict"),
    ]

    operations = [
        migrations.RunPython(fill_verdicts, verdicts_into_text),
    ]
