"""Full-text search over ``chunks``, one statement per dialect, same contract.

Contract:
- Callers pass the safe FTS5 ``MATCH`` expression that :func:`eclair.knowledge.lexical.fts_query`
  builds (double-quoted words, some with a ``*`` prefix mark, joined by ``OR``); nothing else.
- SQLite runs it as is against the FTS5 table of migration 0004 and ranks by BM25
  (score = -bm25: higher is better). PostgreSQL runs its translation, :func:`tsquery`
  (``'word':*`` terms joined by ``|``), against the generated ``tsvector`` column, read
  through the accent-free ``eclair_simple`` configuration (the words are folded already), and
  ranks by ``ts_rank_cd``. Scores of the two dialects are not comparable; their order is what
  callers use.
- :func:`ranking` gives the pieces of the statement (source, condition, score); the caller joins
  documents for visibility and collections, orders by score and limits.
- Not covered: identical rankings across dialects (BM25 and cover density differ; PostgreSQL's
  parser also keeps "27.3" as one token where FTS5 sees "27" and "3").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import sqlalchemy as sa

from eclair.store import schema as t

_CLAUSE = re.compile(r'"((?:[^"]|"")*)"(\*?)')
_WORD = re.compile(r"[^\W_]+", re.UNICODE)
FTS5_TABLE = sa.table(t.FULLTEXT_TABLE, sa.column("rowid"))
QUERY_CONFIGURATION = "eclair_simple"  # migration 0004: lowercase, accents removed, no stemming


def tsquery(match: str) -> str:
    """The PostgreSQL ``to_tsquery`` text of an FTS5 expression made by ``fts_query``:
    each quoted clause becomes its words in sequence (``<->``), prefix-matched on the last
    word when the clause was; clauses are OR-ed. Empty when no word is left."""
    clauses = []
    for body, prefix in _CLAUSE.findall(match):
        words = _WORD.findall(body.replace('""', '"'))
        if not words:
            continue
        terms = [f"'{word}'" for word in words]  # letters and digits only: nothing to escape
        if prefix:
            terms[-1] += ":*"
        clauses.append(terms[0] if len(terms) == 1 else "(" + " <-> ".join(terms) + ")")
    return " | ".join(dict.fromkeys(clauses))


@dataclass(frozen=True, slots=True)
class Ranking:
    """What a search statement needs: the chunks to select from (joined with the FTS5 table on
    SQLite), the match condition, and the score (higher is better)."""

    source: sa.FromClause
    condition: sa.ColumnElement[bool]
    score: sa.ColumnElement[float]


def ranking(dialect: str, match: str) -> Ranking | None:
    """How to find and rank the chunks that ``match``; ``None`` when nothing can match."""
    if not match:
        return None
    if dialect == "sqlite":
        return Ranking(
            source=FTS5_TABLE.join(t.chunks, t.chunks.c.rowid == FTS5_TABLE.c.rowid),
            condition=sa.text(f"{t.FULLTEXT_TABLE} MATCH :match").bindparams(match=match),  # type: ignore[arg-type]
            score=-sa.literal_column(f"bm25({t.FULLTEXT_TABLE})", sa.Float),
        )
    query = tsquery(match)
    if not query:
        return None
    tsv: sa.ColumnElement[str] = sa.literal_column(f"chunks.{t.FULLTEXT_COLUMN}")
    parsed = sa.func.to_tsquery(sa.literal_column(f"'{QUERY_CONFIGURATION}'::regconfig"), query)
    return Ranking(
        source=t.chunks,
        condition=tsv.op("@@")(parsed),
        # normalisation 1: divided by 1 + log(length), as BM25 weighs a chunk's length
        score=sa.func.ts_rank_cd(tsv, parsed, 1, type_=sa.Float),
    )
