"""The Matcher's fuzzy step: entries sharing the start of the 字号 scored at once, same threshold and explanations."""

from __future__ import annotations

import datetime
import random
from collections.abc import Callable

import pytest
from django.utils import translation

from chengxin.core.identifiers import make_resident_id
from chengxin.screening import matching
from chengxin.screening.choices import MatchKind
from chengxin.screening.matching import Matcher, Subject
from chengxin.screening.models import ListEntry, ListType
from chengxin.subjects.choices import SubjectCategory

ON = datetime.date(2026, 3, 2)


def test_threshold_is_on_the_rounded_score(make_entry: Callable[..., ListEntry]) -> None:
    # 华兴建材 vs 华兴建财: ratio 75.0 exactly; the threshold is inclusive, one above excludes it.
    listed = make_entry(subject_name="枣庄市台儿庄区华兴建材有限公司")
    near = Subject(name="枣庄市台儿庄区华兴建财有限公司")
    (found,) = Matcher(ON, threshold=75).match([near])
    assert [(m.entry_id, m.kind, m.score) for m in found] == [(listed.pk, MatchKind.FUZZY, 75)]
    assert Matcher(ON, threshold=76).match([near]) == [[]]


def test_many_entries_sharing_the_trade_name_start_are_scored_and_sorted(
    make_entry: Callable[..., ListEntry],
) -> None:
    # Every entry starts its 字号 with 华兴; only the one-character neighbour is a candidate,
    # best first; 华新建材 (another 字号) is not even loaded.
    for rest in ("商贸", "物流", "建筑工程", "建财", "建才"):
        make_entry(subject_name=f"枣庄市台儿庄区华兴{rest}有限公司")
    make_entry(subject_name="枣庄市台儿庄区华新建材有限公司")
    exact = make_entry(subject_name="枣庄市台儿庄区华兴建材有限公司")
    (found,) = Matcher(ON).match([Subject(name="枣庄市台儿庄区华兴建材有限公司")])
    assert found[0].entry_id == exact.pk and found[0].kind == MatchKind.NAME
    assert [m.score for m in found[1:]] == [75, 75]  # 华兴建财, 华兴建才


def test_explanations_follow_the_active_language(make_entry: Callable[..., ListEntry]) -> None:
    make_entry(subject_name="枣庄市台儿庄区华兴建材有限公司")
    near = Subject(name="台儿庄区华兴建材有限责任公司")
    (chinese,) = Matcher(ON).match([near])
    with translation.override("en"):
        (english,) = Matcher(ON).match([near])
    assert "主干相同" in chinese[0].explanation
    assert english[0].explanation != chinese[0].explanation and "华兴建材" in english[0].explanation


def test_the_matchers_sql_finds_exactly_the_entries_in_force(
    make_entry: Callable[..., ListEntry],
) -> None:
    from chengxin.screening.actions import remove_entry
    from chengxin.screening.matching import _prepare

    name = "枣庄市台儿庄区同名测试建材有限公司"
    entries = [
        make_entry(subject_name=name, document_number="A1"),
        make_entry(subject_name=name, document_number="A2", ends_on=ON),
        make_entry(subject_name=name, document_number="A3", ends_on=ON - datetime.timedelta(1)),
        make_entry(subject_name=name, document_number="A4", listed_on=ON + datetime.timedelta(1)),
        make_entry(subject_name=name, document_number="A5", listed_on=ON - datetime.timedelta(9)),
        make_entry("a_grade_taxpayer", subject_name=name, document_number="A6"),
    ]
    remove_entry(entries[4], actor=None, reason="信用修复", removed_on=ON)
    ListType.objects.filter(code="a_grade_taxpayer").update(is_active=False)
    loaded = Matcher(ON)._load([_prepare(Subject(name=name))])
    expected = set(
        ListEntry.objects.in_force(ON).filter(subject_name=name).values_list("id", flat=True)
    )
    assert set(loaded) == expected == {entries[0].pk, entries[1].pk}
    in_force_one_by_one = {
        e.pk
        for e in ListEntry.objects.filter(subject_name=name).select_related("list_type")
        if e.is_in_force(ON)
    }
    assert in_force_one_by_one == expected  # the instance method agrees, inactive type included


def test_lookups_split_over_several_statements_find_the_same_entries(
    make_entry: Callable[..., ListEntry], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each statement carries the next chunk of every lookup (code, ID number, 字号 start, person
    name); lookups with fewer chunks drop out of the later statements."""
    rng = random.Random(5)
    by_code = [make_entry(subject_name=f"枣庄市台儿庄区{word}商贸有限公司") for word in "甲乙丙"]
    near = make_entry(subject_name="枣庄市台儿庄区华兴建材有限公司")
    number = make_resident_id(rng)
    person = make_entry(
        subject_name="张三",
        subject_category=SubjectCategory.NATURAL_PERSON,
        credit_code="",
        id_number=number,
    )
    subjects = [
        *(Subject(credit_code=entry.credit_code) for entry in by_code),  # three codes
        Subject(name="枣庄市台儿庄区华兴建财有限公司"),  # one 字号 start
        Subject(name="张三", id_number=number),  # one ID number, one person name
        Subject(name="张三"),  # the same person name
    ]
    in_one = Matcher(ON).match(subjects)
    monkeypatch.setattr(matching, "SQL_CHUNK", 1)
    assert Matcher(ON).match(subjects) == in_one
    found = [[(m.entry_id, m.kind) for m in matches] for matches in in_one]
    assert found == [
        *([(entry.pk, MatchKind.CREDIT_CODE)] for entry in by_code),
        [(near.pk, MatchKind.FUZZY)],
        [(person.pk, MatchKind.ID_NUMBER)],
        [(person.pk, MatchKind.FUZZY)],
    ]
