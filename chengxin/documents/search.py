"""Full-text search of documents (title and text), with the subjects app's index design
(docs/adr/0005-name-search.md), so it answers two-character queries and equals a scan:

- SQLite: a contentless FTS5 table of the characters of title and text, one token each, kept in
  step by triggers that call `chengxin_spaced` (registered on every connection by the subjects
  app); a query term becomes a phrase of adjacent characters.
- PostgreSQL: a stored generated `text[]` of the distinct two-character pieces of title and
  text (`chengxin_bigrams`, created by subjects/0006) with a GIN index; a term becomes
  "contains all of its bigrams".

Either finds a superset; the exact substring test on title or text makes the result exact.
Several terms separated by spaces must all occur.
"""

from __future__ import annotations

from django.db import connection
from django.db.models import BooleanField, Q
from django.db.models.expressions import RawSQL

from chengxin.documents.models import NormativeDocumentQuerySet
from chengxin.subjects.search import bigrams, phrase_tokens

FTS_TABLE = "documents_document_fts"
BIGRAMS_COLUMN = '"documents_normativedocument"."search_bigrams"'
MAX_TERMS = 5


def terms(query: str) -> list[str]:
    return [term for term in query.split() if term][:MAX_TERMS]


def text_contains(documents: NormativeDocumentQuerySet, query: str) -> NormativeDocumentQuerySet:
    """`documents` whose title or text contains every term of `query`."""
    for term in terms(query):
        documents = documents.filter(Q(title__contains=term) | Q(body__contains=term))
        documents = _indexed(documents, term)
    return documents


def _indexed(documents: NormativeDocumentQuerySet, term: str) -> NormativeDocumentQuerySet:
    if connection.vendor == "postgresql":
        pieces = bigrams(term)
        if not pieces:
            return documents
        has_bigrams = RawSQL(  # noqa: S611 (a constant column; the bigrams are a parameter)
            f"{BIGRAMS_COLUMN} @> %s::text[]", [pieces], output_field=BooleanField()
        )
        return documents.filter(has_bigrams)
    tokens = phrase_tokens(term)
    if not tokens:
        return documents
    candidates = RawSQL(  # noqa: S611 (the phrase is a parameter of letters and digits)
        f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s",  # noqa: S608
        ['"' + " ".join(tokens) + '"'],
    )
    return documents.filter(pk__in=candidates)
