"""Demo 双公示 records: licences from the approval bureau, penalties from the enforcement bodies,
each department's under the laws it enforces and with its own 文号 (`publicity.samples.PROFILES`).

Rows are made in the national standard and go through the real importer, then their submission
dates are spread as in a real year (most within 7 working days, some late).
"""

from __future__ import annotations

import datetime
import random

from django.utils import timezone

from chengxin.accounts.models import Department
from chengxin.core import calendar
from chengxin.core.demodata import DemoContext
from chengxin.publicity import samples
from chengxin.publicity.choices import RecordKind
from chengxin.publicity.importing import RecordImporter, timeliness
from chengxin.publicity.models import RECORD_MODELS

# The 行政审批服务局 grants the licences (相对集中行政许可权, powers.demo_catalogue); the market
# regulator registers 个体工商户. (排污许可证 are the city bureau's, 《排污许可管理条例》第六条.)
LICENSING = {
    "approval": 0.94,
    "market": 0.06,
}
PENALISING = {
    "market": 0.35,
    "enforcement": 0.2,
    "environment": 0.15,
    "transport": 0.1,
    "emergency": 0.1,
    "health": 0.05,
    "fire": 0.05,
}


def generate(ctx: DemoContext) -> None:
    departments: dict[str, Department] = ctx.shared["departments"]
    end = timezone.localdate() - datetime.timedelta(days=1)
    start = end.replace(year=end.year - 1, month=1, day=1)
    # A dozen companies that deal with several departments: licensed by some, penalised by
    # others (and listed by the lists' demo), as a county's records read.
    regulars = samples.regular_subjects(ctx.rng("publicity-regulars"), 12)
    ctx.shared["regular_credit_codes"] = [subject["XDR_SHXYM"] for subject in regulars]
    for kind, shares, default in (
        (RecordKind.LICENSE, LICENSING, 3000),
        (RecordKind.PENALTY, PENALISING, 300),
    ):
        total = ctx.volume("licenses" if kind == RecordKind.LICENSE else "penalties", default)
        rng = ctx.rng(f"publicity-{kind}")
        for key, share in shares.items():
            count = round(total * share)
            department = departments[key]
            importer = RecordImporter(kind, department)
            importer.set_header(samples.header(kind))
            rows = samples.sample_rows(
                rng,
                kind,
                count,
                (department.name, department.credit_code),
                start=start,
                end=end,
                first_serial=1,  # each department numbers its own decisions
                profile=key,
                regulars=regulars,
            )
            importer.process(
                [(n, samples.as_cells(kind, row)) for n, row in enumerate(rows, start=2)]
            )
        spread_submissions(kind, rng)


def spread_submissions(kind: str, rng: random.Random) -> None:
    """Most records went online 1–6 working days after the decision; about 8 % later."""
    model = RECORD_MODELS[kind]
    records = list(model.objects.only("pk", "decision_date", "deadline"))
    zone = timezone.get_current_timezone()
    for record in records:
        delay = rng.randint(8, 20) if rng.random() < 0.08 else rng.randint(1, 6)
        submitted_on = min(
            calendar.add_working_days(record.decision_date, delay), timezone.localdate()
        )
        record.submitted_at = record.published_at = datetime.datetime.combine(
            submitted_on, datetime.time(10, rng.randint(0, 59)), zone
        )
        record.timeliness = timeliness(record.decision_date, record.deadline, submitted_on)
    model.objects.bulk_update(
        records, ["submitted_at", "published_at", "timeliness"], batch_size=500
    )
