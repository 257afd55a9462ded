"""Name search returns exactly what a full LIKE scan returns, for 1,000 random 2–6 character queries."""

from __future__ import annotations

import io
import random

import pytest

from chengxin.core.demodata import build_demo
from chengxin.portal.queries import search
from chengxin.subjects import search as subject_search
from chengxin.subjects.choices import SubjectCategory
from chengxin.subjects.models import Subject
from chengxin.subjects.search import organisation_page, ranked


@pytest.mark.django_db
def test_name_search_recall_equals_a_like_scan(monkeypatch) -> None:
    build_demo(11, {"subjects": 1500, "licenses": 200, "penalties": 50}, io.StringIO())
    organisations = Subject.objects.exclude(category=SubjectCategory.NATURAL_PERSON)
    names = list(organisations.values_list("name", flat=True))
    alphabet = "".join(sorted(set("".join(names))))
    rng = random.Random(2026)
    queries = []
    for _ in range(1000):
        length = rng.randint(2, 6)
        if rng.random() < 0.8:  # a piece of a real name
            name = rng.choice(names)
            start = rng.randint(0, max(0, len(name) - length))
            queries.append(name[start : start + length])
        else:  # characters that occur, in an order that may not
            queries.append("".join(rng.choice(alphabet) for _ in range(length)))
    hits = 0
    for query in queries:
        expected = list(
            ranked(organisations.filter(name__contains=query)).values_list("pk", flat=True)
        )
        # Every match, in order; on PostgreSQL by both of its ways (the walk of the first
        # WALK_ROWS names holds them all in a register this small, so also without it).
        for walk_rows in (subject_search.WALK_ROWS, 0):
            monkeypatch.setattr(subject_search, "WALK_ROWS", walk_rows)
            found = organisation_page(query, 0, len(names) + 1)
            if found is None:  # nothing the index keeps (SQLite: punctuation only)
                assert not any(char.isalnum() for char in query), query
                found = [s.pk for s in search(query).subjects]
                expected = expected[:20]
            assert found == expected, (query, walk_rows)
        monkeypatch.undo()
        hits += bool(expected)
    assert hits > 700  # the test exercised real matches, not only empty results
    # The portal's search uses the same path (first page).
    sample = queries[0]
    expected_first = list(
        ranked(organisations.filter(name__contains=sample)).values_list("pk", flat=True)[:20]
    )
    assert [s.pk for s in search(sample).subjects] == expected_first


@pytest.mark.django_db
def test_every_page_of_a_name_search_equals_the_like_scan() -> None:
    """The SQLite fast path (a join read in index order) pages exactly like the plain query."""
    build_demo(5, {"subjects": 600, "licenses": 0, "penalties": 0}, io.StringIO())
    organisations = Subject.objects.exclude(category=SubjectCategory.NATURAL_PERSON)
    for query in ("台儿庄", "有限公司", "记饭店", "台儿", "饭店", "5"):
        expected = list(
            ranked(organisations.filter(name__contains=query)).values_list("pk", flat=True)
        )
        found: list[int] = []
        page = 1
        while True:
            result = search(query, page)
            found += [s.pk for s in result.subjects]
            if not result.has_next:
                break
            page += 1
        assert found == expected, query


@pytest.mark.django_db
def test_pages_are_exact_whichever_way_they_are_found(monkeypatch) -> None:
    """Either way to a page gives the scan's pages: the walk of the highest-ranked names
    (PostgreSQL: WALK_ROWS holds the page or not) and the probes by name length."""
    build_demo(7, {"subjects": 600, "licenses": 0, "penalties": 0}, io.StringIO())
    organisations = Subject.objects.exclude(category=SubjectCategory.NATURAL_PERSON)
    for walk_rows in (0, 40, 100_000):
        monkeypatch.setattr(subject_search, "WALK_ROWS", walk_rows)
        for query in ("台儿庄区", "有限公司", "记饭店", "饭店"):
            expected = list(
                ranked(organisations.filter(name__contains=query)).values_list("pk", flat=True)[:45]
            )
            found = [
                pk for page in (1, 2, 3) for pk in (s.pk for s in search(query, page).subjects)
            ]
            assert found[:45] == expected, (walk_rows, query)
