"""The Matcher's fuzzy step: whole blocks scored at once, same threshold and explanations."""

from __future__ import annotations

import datetime
from collections.abc import Callable

from django.utils import translation

from chengxin.screening.choices import MatchKind
from chengxin.screening.matching import Matcher, Subject
from chengxin.screening.models import ListEntry

ON = datetime.date(2026, 3, 2)


def test_threshold_is_on_the_rounded_score(make_entry: Callable[..., ListEntry]) -> None:
    # 华兴建材 vs 华新建材: ratio 75.0 exactly; the threshold is inclusive, one above excludes it.
    listed = make_entry(subject_name="枣庄市台儿庄区华兴建材有限公司")
    near = Subject(name="枣庄市台儿庄区华新建材有限公司")
    (found,) = Matcher(ON, threshold=75).match([near])
    assert [(m.entry_id, m.kind, m.score) for m in found] == [(listed.pk, MatchKind.FUZZY, 75)]
    assert Matcher(ON, threshold=76).match([near]) == [[]]


def test_many_entries_in_one_block_are_scored_and_sorted(
    make_entry: Callable[..., ListEntry],
) -> None:
    # Every entry shares the tail block 建材; only the one-character neighbour is a candidate.
    for trade in ("鑫盛", "恒通", "瑞丰", "永安", "华新"):
        make_entry(subject_name=f"枣庄市台儿庄区{trade}建材有限公司")
    exact = make_entry(subject_name="枣庄市台儿庄区华兴建材有限公司")
    (found,) = Matcher(ON).match([Subject(name="枣庄市台儿庄区华兴建材有限公司")])
    assert found[0].entry_id == exact.pk and found[0].kind == MatchKind.NAME
    assert [m.score for m in found[1:]] == [75]  # 华新建材, not the other trade names


def test_explanations_follow_the_active_language(make_entry: Callable[..., ListEntry]) -> None:
    make_entry(subject_name="枣庄市台儿庄区华兴建材有限公司")
    near = Subject(name="台儿庄区华兴建材有限责任公司")
    (chinese,) = Matcher(ON).match([near])
    with translation.override("en"):
        (english,) = Matcher(ON).match([near])
    assert "主干相同" in chinese[0].explanation
    assert english[0].explanation != chinese[0].explanation and "华兴建材" in english[0].explanation
