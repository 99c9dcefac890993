"""Embedding columns: pgvector's ``vector`` on PostgreSQL when the server has it, float32 bytes
(a BLOB on SQLite, ``bytea`` on a PostgreSQL without pgvector) everywhere else.

Contract:
- :func:`encode` turns one embedding into the value its column takes, :func:`decode` turns a
  stored value back into a float32 vector; both know only the column's kind, never a row.
- The ``vector`` value travels as pgvector's text form (``[0.1,0.2]``) in a parameter of
  unknown type, so the server casts it to the column's type itself: no SQL here names the
  type, which may live in any schema (``CREATE EXTENSION vector`` puts it in the first one on
  the search path, often ``public``).
- :class:`Vector` lets SQLAlchemy reflect (and Alembic compare) a ``vector`` column without a
  "did not recognize type" warning; it is registered with the PostgreSQL dialect on import.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from sqlalchemy.dialects.postgresql.base import ischema_names
from sqlalchemy.types import UserDefinedType


class Vector(UserDefinedType[Any]):
    """pgvector's ``vector`` type, without dimension: each encoder's embeddings fit."""

    cache_ok = True

    def __init__(self, schema: str | None = None):
        self.schema = schema

    def get_col_spec(self, **_kw: Any) -> str:
        return f'"{self.schema}".vector' if self.schema else "vector"


ischema_names.setdefault("vector", Vector)


class Encoded(UserDefinedType[Any]):
    """An embedding as :func:`encode` made it (or as the driver returns it): the type to give
    its bound parameters and selected column, so that SQLAlchemy neither converts nor casts."""

    cache_ok = True

    def get_col_spec(self, **_kw: Any) -> str:
        raise NotImplementedError("a parameter type, not a column type")


def encode(vector: Any, *, pgvector: bool) -> str | bytes:
    """The stored form of one embedding: pgvector text, or float32 bytes."""
    values = np.asarray(vector, dtype=np.float32).ravel()
    if pgvector:
        # repr of a float32 read as a double is the shortest text that reads back to it
        return "[" + ",".join(repr(float(x)) for x in values) + "]"
    return values.tobytes()


def decode(value: str | bytes | memoryview) -> np.ndarray:
    """One stored embedding as a float32 vector (pgvector text, or float32 bytes)."""
    if isinstance(value, str):
        return np.array(value.strip("[]").split(","), dtype=np.float32)
    return np.frombuffer(bytes(value), dtype=np.float32)
