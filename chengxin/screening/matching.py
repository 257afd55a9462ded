"""Matching checked subjects against the lists in force, set-based for batches.

A hit is certain: the same 统一社会信用代码, the same ID number (by its blind index), or, for an
organisation, the same name after normalisation (`names.name_key`). Anything less is a 疑似
candidate with a score and an explanation, shown to the officer and never applied: a name
sharing a blocking key with a listed name (`names.block_keys`) whose core scores at least the
district's threshold (rapidfuzz ratio), and a natural person's same name without the ID number
(two people often share a name).

Every lookup takes the whole batch at once (`IN` lists of 500), so a batch of 100,000 subjects
costs a few hundred indexed queries, not 100,000 × 4.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from operator import itemgetter
from typing import Any

from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from rapidfuzz import fuzz, process

from chengxin.core import local_settings
from chengxin.core.identifiers import normalise
from chengxin.core.personal_data import blind_index
from chengxin.screening import names
from chengxin.screening.choices import MatchKind
from chengxin.screening.models import ClearedCandidate, ListEntry
from chengxin.subjects.choices import SubjectCategory

FUZZY_THRESHOLD = local_settings.declare(
    "screening.fuzzy_threshold",
    _l("信用核查：疑似名称的最低相似度（0–100）"),
    75,
    _l("名称主干的 rapidfuzz 相似度达到此值即列为疑似，供人工核实，不自动采取措施。"),
)
CHUNK = 500
# Block key ("h" + head or "t" + tail) → the ids and core keys of the entries sharing it.
Blocks = dict[str, tuple[list[int], list[str]]]
ENTRY_COLUMNS = (
    "id",
    "list_type_id",
    "subject_category",
    "credit_code",
    "id_number_index",
    "name_key",
    "core_key",
    "head_key",
    "tail_key",
)


@dataclass(frozen=True)
class Subject:
    """What a check is about, as the requesting system knows it (any of the three may be blank)."""

    name: str = ""
    credit_code: str = ""
    id_number: str = ""

    @property
    def id_index(self) -> str:
        return blind_index(self.id_number) if self.id_number else ""

    def clearance_keys(self, id_index: str) -> list[str]:
        """The keys under which a cleared candidate is remembered for this subject."""
        keys = []
        if self.credit_code:
            keys.append("code:" + self.credit_code.upper())
        if id_index:
            keys.append("id:" + id_index)
        if self.name:
            keys.append("name:" + names.name_key(self.name))
        return keys


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
    blocks: tuple[str, str]
    clearance_keys: list[str] = field(default_factory=list)


def chunks(values: Iterable[str]) -> Iterator[list[str]]:
    batch: list[str] = []
    for value in values:
        batch.append(value)
        if len(batch) == CHUNK:
            yield batch
            batch = []
    if batch:
        yield batch


def _prepare(subject: Subject) -> _Prepared:
    key = names.name_key(subject.name)
    core = names.core_key(subject.name)
    id_index = subject.id_index
    return _Prepared(
        subject=subject,
        code=normalise(subject.credit_code),
        id_index=id_index,
        name_key=key,
        core_key=core,
        blocks=names.block_keys(core) if len(core) >= 2 else ("", ""),
        clearance_keys=subject.clearance_keys(id_index),
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
        by_code, by_id, by_name, by_block = _index(entries.values())
        cleared = self._cleared(prepared)
        return [
            self._match_one(item, entries, by_code, by_id, by_name, by_block, cleared)
            for item in prepared
        ]

    def _load(self, prepared: list[_Prepared]) -> dict[int, dict[str, Any]]:
        """The entries in force that share a code, an ID index, a name key or a block key."""
        lookups = {
            "credit_code": {p.code for p in prepared if p.code},
            "id_number_index": {p.id_index for p in prepared if p.id_index},
            "name_key": {p.name_key for p in prepared if p.name_key},
            "head_key": {p.blocks[0] for p in prepared if p.blocks[0]},
            "tail_key": {p.blocks[1] for p in prepared if p.blocks[1]},
        }
        in_force = ListEntry.objects.in_force(self.on)
        entries: dict[int, dict[str, Any]] = {}
        for column, values in lookups.items():
            for chunk in chunks(sorted(values)):
                for row in in_force.filter(**{f"{column}__in": chunk}).values(*ENTRY_COLUMNS):
                    entries[row["id"]] = row
        return entries

    def _cleared(self, prepared: list[_Prepared]) -> set[tuple[int, str]]:
        keys = {key for p in prepared for key in p.clearance_keys}
        found: set[tuple[int, str]] = set()
        for chunk in chunks(sorted(keys)):
            found.update(
                ClearedCandidate.objects.filter(input_key__in=chunk).values_list(
                    "entry_id", "input_key"
                )
            )
        return found

    def _match_one(
        self,
        item: _Prepared,
        entries: dict[int, dict[str, Any]],
        by_code: dict[str, list[int]],
        by_id: dict[str, list[int]],
        by_name: dict[str, list[int]],
        by_block: Blocks,
        cleared: set[tuple[int, str]],
    ) -> list[Match]:
        found: dict[int, Match] = {}

        def add(entry_id: int, kind: MatchKind, score: int = 100, why: str = "") -> None:
            if entry_id not in found:
                entry = entries[entry_id]
                found[entry_id] = Match(entry_id, entry["list_type_id"], kind, score, why)

        for entry_id in by_code.get(item.code, ()) if item.code else ():
            add(entry_id, MatchKind.CREDIT_CODE)
        for entry_id in by_id.get(item.id_index, ()) if item.id_index else ():
            add(entry_id, MatchKind.ID_NUMBER)
        for entry_id in by_name.get(item.name_key, ()) if item.name_key else ():
            entry = entries[entry_id]
            if entry["subject_category"] != SubjectCategory.NATURAL_PERSON:
                add(entry_id, MatchKind.NAME)
            elif not _cleared(entry_id, item, cleared):
                add(entry_id, MatchKind.FUZZY, 100, _("自然人同名，证件号码未核对，需人工核实"))
        for entry_id, (core, score) in sorted(self._block_candidates(item, by_block).items()):
            if entry_id not in found and not _cleared(entry_id, item, cleared):
                add(entry_id, MatchKind.FUZZY, score, _explain(item.core_key, core))
        return sorted(found.values(), key=lambda m: (not m.is_hit, -m.score, m.entry_id))

    def _block_candidates(self, item: _Prepared, by_block: Blocks) -> dict[int, tuple[str, int]]:
        """Entries sharing the head or the tail block whose core scores at least the threshold.

        Each block's cores are scored in one rapidfuzz call (C, no Python per entry): a block
        such as the tail 商贸 can hold tens of thousands of entries. `round(score) >= threshold`
        as before, hence the cut-off half a point lower.
        """
        if not item.core_key or len(item.core_key) < 2:
            return {}
        head, tail = item.blocks
        scored: dict[int, tuple[str, int]] = {}
        for key in ("h" + head, "t" + tail):
            block = by_block.get(key)
            if block is None:
                continue
            ids, cores = block
            for core, score, position in process.extract(
                item.core_key,
                cores,
                scorer=fuzz.ratio,
                score_cutoff=self.threshold - 0.5,
                limit=None,
            ):
                if round(score) >= self.threshold:
                    scored[ids[position]] = (core, round(score))
        return scored


def _index(
    entries: Iterable[dict[str, Any]],
) -> tuple[dict[str, list[int]], dict[str, list[int]], dict[str, list[int]], Blocks]:
    by_code: dict[str, list[int]] = defaultdict(list)
    by_id: dict[str, list[int]] = defaultdict(list)
    by_name: dict[str, list[int]] = defaultdict(list)
    by_block: Blocks = {}
    for entry in sorted(entries, key=itemgetter("id")):
        if entry["credit_code"]:
            by_code[entry["credit_code"]].append(entry["id"])
        if entry["id_number_index"]:
            by_id[entry["id_number_index"]].append(entry["id"])
        by_name[entry["name_key"]].append(entry["id"])
        if entry["subject_category"] != SubjectCategory.NATURAL_PERSON:
            for key in ("h" + entry["head_key"], "t" + entry["tail_key"]):
                ids, cores = by_block.setdefault(key, ([], []))
                ids.append(entry["id"])
                cores.append(entry["core_key"])
    return by_code, by_id, by_name, by_block


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
