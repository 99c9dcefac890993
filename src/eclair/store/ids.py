"""Identifiers and clock for stored rows.

Ids are random (96 bits) and prefixed by kind (``conv_…``, ``msg_…``): guessing another user's
id is hopeless, and an id in a log says what it names.
"""

from __future__ import annotations

import secrets
from datetime import UTC, datetime


def new_id(kind: str) -> str:
    return f"{kind}_{secrets.token_hex(12)}"


def utcnow() -> datetime:
    return datetime.now(UTC)
