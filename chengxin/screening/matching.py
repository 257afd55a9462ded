"""Matching checked subjects against the lists in force, set-based for batches.

A hit is certain: the same 统一社会信用代码, the same ID number (by its blind index), or, for an
organisation, the same name after normalisation (`names.name_key`). Anything less is a 疑似
candidate with a score and an explanation, shown to the officer and never applied: a name with
the same core as a listed name (another organisation form, a missing place name), a name sharing
the start of the 字号 (`names.prefix_key`) whose core scores at least the district's threshold
(rapidfuzz ratio: a typo in the rest of the name), and a natural person's same name without the
ID number (two people often share a name). A different 字号 is a different enterprise
(`names`), so it is not a candidate.

Every lookup takes the whole batch at once (`IN` lists of 500), so a batch of 100,000 subjects
costs a few hundred indexed queries, not 100,000 × 4.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from itertools import zip_longest
from typing import Any, TypeVar

from django.db import connection
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from rapidfuzz import fuzz, process

from chengxin.core import local_settings
from chengxin.core.identifiers import normalise
from chengxin.core.personal_data import blind_index
from chengxin.screening import names
from chengxin.screening.choices import EntryStatus, MatchKind
from chengxin.subjects.choices import SubjectCategory

FUZZY_THRESHOLD = local_settings.declare(
    "screening.fuzzy_threshold",
    _l("信用核查：疑似名称的最低相似度（0–100）"),
    75,
    _l("名称主干的 rapidfuzz 相似度达到此值即列为疑似，供人工核实，不自动采取措施。"),
    security_relevant=True,
)
T = TypeVar("T")
CHUNK = 500
SQL_CHUNK = 5000  # four lookups of 5,000 in one statement: below SQLite's 32,766 parameters
# Prefix key (start of the 字号) → the ids and core keys of the organisations sharing it.
Blocks = dict[str, tuple[list[int], list[str]]]
ENTRY_COLUMNS = (
    "id",
    "list_type_id",
    "subject_category",
    "credit_code",
    "id_number_index",
    "name_key",
    "core_key",
    "prefix_key",
)
# A loaded entry is the row as the database gives it (a tuple of ENTRY_COLUMNS): a batch loads
# tens of thousands, and a dict per row cost more than the lookups.
Entry = tuple[Any, ...]
ID, LIST_TYPE, CATEGORY, CODE, ID_INDEX, NAME, CORE, PREFIX = range(len(ENTRY_COLUMNS))


@dataclass(frozen=True)
class Subject:
    """What a check is about, as the requesting system knows it (any of the three may be blank)."""

    name: str = ""
    credit_code: str = ""
    id_number: str = ""

    @cached_property
    def id_index(self) -> str:
        return blind_index(self.id_number) if self.id_number else ""

    @property
    def is_person(self) -> bool:
        """An ID number and no credit code: a natural person (never matched by 字号)."""
        return bool(self.id_number) and not self.credit_code

    def clearance_keys(self, id_index: str, name_key: str | None = None) -> list[str]:
        """The key under which a cleared candidate is remembered for this subject: its strongest
        identifier only — the credit code, else the ID number's blind index, else (a check with
        neither) the name. Clearing "张三 with ID Q ≠ listed 张三" must not hide the entry from
        the next 张三, who may be the listed one. A list, empty when there is nothing to key by."""
        if self.credit_code:
            return ["code:" + normalise(self.credit_code)]
        if id_index:
            return ["id:" + id_index]
        if self.name:
            return ["name:" + (name_key if name_key is not None else names.name_key(self.name))]
        return []


@dataclass(frozen=True)
class Match:
    entry_id: int
    list_type_id: int
    kind: MatchKind
    score: int = 100
    explanation: str = ""

    @property
    def is_hit(self) -> bool:
        return self.kind != MatchKind.FUZZY


@dataclass
class _Prepared:
    subject: Subject
    code: str
    id_index: str
    name_key: str
    core_key: str
    prefix: str  # organisations' 字号 start; empty for a natural person

    @cached_property
    def clearance_keys(self) -> list[str]:
        return self.subject.clearance_keys(self.id_index, self.name_key)


def chunks(values: Iterable[T], size: int = CHUNK) -> Iterator[list[T]]:
    batch: list[T] = []
    for value in values:
        batch.append(value)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def _prepare(subject: Subject) -> _Prepared:
    key = names.name_key(subject.name)
    core = names.core_of_key(key)
    code = normalise(subject.credit_code) if subject.credit_code else ""
    return _Prepared(
        subject=subject,
        code=code,
        id_index=subject.id_index,
        name_key=key,
        core_key=core,
        prefix=names.prefix_key(core) if len(core) >= 2 and not subject.is_person else "",
    )


class Matcher:
    """Finds, for many subjects at once, the list entries in force on `on` that concern them."""

    def __init__(self, on: datetime.date, threshold: int | None = None) -> None:
        self.on = on
        self.threshold = (
            threshold if threshold is not None else local_settings.get(FUZZY_THRESHOLD.key)
        )

    def match(self, subjects: Sequence[Subject]) -> list[list[Match]]:
        prepared = [_prepare(subject) for subject in subjects]
        entries = self._load(prepared)
        index = _index(entries.values())
        found = [self._match_one(item, entries, index) for item in prepared]
        return self._without_cleared(prepared, found)

    def _load(self, prepared: list[_Prepared]) -> dict[int, Entry]:
        """The entries in force that share a code, an ID index, a name, a core or a prefix.

        Plain SQL with the conditions of `ListEntry.objects.in_force` (a test holds them equal):
        compiling an ORM query per chunk cost more than the lookups themselves."""
        # Organisations by the start of the 字号 (the same name has the same core and prefix,
        # so this brings name and core matches too); natural persons by their name, for the
        # same-name candidate of a subject that may be a person (no credit code).
        lookups = {
            ("credit_code", ""): {p.code for p in prepared if p.code},
            ("id_number_index", ""): {p.id_index for p in prepared if p.id_index},
            ("prefix_key", ORGANISATIONS): {p.prefix for p in prepared if p.prefix},
            ("name_key", PERSONS): {p.name_key for p in prepared if p.name_key and not p.code},
        }
        # One statement per round (UNION ALL of the lookups' next chunks): a single check is
        # one round trip to the database, not one per kind of key.
        chunked = [
            [(column, category, chunk) for chunk in chunks(sorted(values), SQL_CHUNK)]
            for (column, category), values in lookups.items()
        ]
        entries: dict[int, Entry] = {}
        with connection.cursor() as cursor:
            for parts in zip_longest(*chunked):
                present = [part for part in parts if part is not None]
                shape = tuple((column, len(chunk), category) for column, category, chunk in present)
                params = [value for *_, chunk in present for value in (*chunk, *self._params())]
                cursor.execute(_in_force_sql(shape), params)
                entries.update((row[ID], row) for row in cursor.fetchall())
        return entries

    def _params(self) -> list[Any]:
        return [EntryStatus.ACTIVE, self.on, self.on, True]

    def _without_cleared(
        self, prepared: list[_Prepared], found: list[list[Match]]
    ) -> list[list[Match]]:
        """`found` without the candidates a reviewer cleared for the subject (hits stay: a
        clearance rules out a 疑似 only). Asked only about subjects with candidates, so a batch
        of clean subjects, or a single check without candidates, costs no query."""
        keys = {
            key
            for item, matches in zip(prepared, found, strict=True)
            if any(not m.is_hit for m in matches)
            for key in item.clearance_keys
        }
        cleared = _cleared_pairs(keys) if keys else set()
        if not cleared:
            return found
        return [
            [m for m in matches if m.is_hit or not _cleared(m.entry_id, item, cleared)]
            for item, matches in zip(prepared, found, strict=True)
        ]

    def _match_one(self, item: _Prepared, entries: dict[int, Entry], index: Index) -> list[Match]:
        found: dict[int, Match] = {}

        def add(entry_id: int, kind: MatchKind, score: int = 100, why: str = "") -> None:
            if entry_id not in found:
                found[entry_id] = Match(entry_id, entries[entry_id][LIST_TYPE], kind, score, why)

        for entry_id in index.by_code.get(item.code, ()) if item.code else ():
            add(entry_id, MatchKind.CREDIT_CODE)
        for entry_id in index.by_id.get(item.id_index, ()) if item.id_index else ():
            add(entry_id, MatchKind.ID_NUMBER)
        for entry_id in index.by_name.get(item.name_key, ()) if item.name_key else ():
            if entries[entry_id][CATEGORY] != SubjectCategory.NATURAL_PERSON:
                add(entry_id, MatchKind.NAME)
            else:
                add(entry_id, MatchKind.FUZZY, 100, _("自然人同名，证件号码未核对，需人工核实"))
        if not item.prefix:
            return sorted(found.values(), key=_order)
        for entry_id in index.by_core.get(item.core_key, ()):
            if entry_id not in found:
                add(entry_id, MatchKind.FUZZY, 100, _explain(item.core_key, item.core_key))
        for entry_id, (core, score) in sorted(self._prefix_candidates(item, index).items()):
            if entry_id not in found:
                add(entry_id, MatchKind.FUZZY, score, _explain(item.core_key, core))
        return sorted(found.values(), key=_order)

    def _prefix_candidates(self, item: _Prepared, index: Index) -> dict[int, tuple[str, int]]:
        """Organisations sharing the start of the 字号 whose core scores at least the threshold,
        scored in one rapidfuzz call (C, no Python per entry). `round(score) >= threshold`,
        hence the cut-off half a point lower."""
        block = index.by_prefix.get(item.prefix)
        if block is None:
            return {}
        ids, cores = block
        scored: dict[int, tuple[str, int]] = {}
        for core, score, position in process.extract(
            item.core_key, cores, scorer=fuzz.ratio, score_cutoff=self.threshold - 0.5, limit=None
        ):
            if round(score) >= self.threshold:
                scored[ids[position]] = (core, round(score))
        return scored


ORGANISATIONS = " AND e.subject_category <> 'natural_person'"
PERSONS = " AND e.subject_category = 'natural_person'"


@lru_cache(maxsize=256)
def _in_force_sql(shape: tuple[tuple[str, int, str], ...]) -> str:
    """Entries in force (ListEntry.objects.in_force) whose `column` is one of `count` values,
    optionally only organisations or only natural persons, for each (column, count, category)
    of `shape`, in one statement."""
    return " UNION ALL ".join(_in_force_select(*part) for part in shape)


def _in_force_select(column: str, count: int, category: str) -> str:
    assert column in ENTRY_COLUMNS and category in ("", ORGANISATIONS, PERSONS)
    columns = ", ".join(f"e.{name}" for name in ENTRY_COLUMNS)
    placeholders = ", ".join(["%s"] * count)
    return (
        f"SELECT {columns} FROM screening_listentry e"  # noqa: S608 (names from ENTRY_COLUMNS)
        " JOIN screening_listtype t ON t.id = e.list_type_id"
        f" WHERE e.{column} IN ({placeholders}){category} AND e.status = %s AND e.listed_on <= %s"
        " AND (e.ends_on IS NULL OR e.ends_on >= %s) AND t.is_active = %s"
    )


def _order(match: Match) -> tuple[bool, int, int]:
    return (not match.is_hit, -match.score, match.entry_id)


@dataclass
class Index:
    """The loaded entries by each key they can be found by."""

    by_code: dict[str, list[int]] = field(default_factory=lambda: defaultdict(list))
    by_id: dict[str, list[int]] = field(default_factory=lambda: defaultdict(list))
    by_name: dict[str, list[int]] = field(default_factory=lambda: defaultdict(list))
    by_core: dict[str, list[int]] = field(default_factory=lambda: defaultdict(list))
    by_prefix: Blocks = field(default_factory=dict)


def _index(entries: Iterable[Entry]) -> Index:
    index = Index()
    person = SubjectCategory.NATURAL_PERSON.value
    for entry in sorted(entries):  # by id, the first column
        entry_id = entry[ID]
        if entry[CODE]:
            index.by_code[entry[CODE]].append(entry_id)
        if entry[ID_INDEX]:
            index.by_id[entry[ID_INDEX]].append(entry_id)
        index.by_name[entry[NAME]].append(entry_id)
        if entry[CATEGORY] != person and entry[PREFIX]:
            index.by_core[entry[CORE]].append(entry_id)
            ids, cores = index.by_prefix.setdefault(entry[PREFIX], ([], []))
            ids.append(entry_id)
            cores.append(entry[CORE])
    return index


def _cleared_pairs(keys: set[str]) -> set[tuple[int, str]]:
    """The (entry, subject key) pairs cleared among `keys` (plain SQL, like `_load`)."""
    found: set[tuple[int, str]] = set()
    with connection.cursor() as cursor:
        for chunk in chunks(sorted(keys), SQL_CHUNK):
            placeholders = ", ".join(["%s"] * len(chunk))
            cursor.execute(
                "SELECT entry_id, input_key FROM screening_clearedcandidate"  # noqa: S608
                f" WHERE input_key IN ({placeholders})",
                chunk,
            )
            found.update((int(entry_id), str(key)) for entry_id, key in cursor.fetchall())
    return found


def _cleared(entry_id: int, item: _Prepared, cleared: set[tuple[int, str]]) -> bool:
    return any((entry_id, key) in cleared for key in item.clearance_keys)


def _explain(query_core: str, entry_core: str) -> str:
    if query_core == entry_core:
        return _explanations()[0] % {"core": entry_core}
    return _explanations()[1] % {"query": query_core, "entry": entry_core}


def _explanations() -> tuple[str, str]:
    """The two explanation templates in the active language, translated once per language
    (a batch can have hundreds of thousands of candidates; gettext costs ~20 µs a call)."""
    return _translated(get_language() or "")


@lru_cache(maxsize=8)
def _translated(language: str) -> tuple[str, str]:
    return (
        _("去除地区名和组织形式后名称主干相同（“%(core)s”），全称不同"),
        _("名称主干“%(query)s”与名单中的“%(entry)s”相似"),
    )
