"""A conversation as a file: Markdown to read or share, JSON to keep or process.

Both carry the live thread and the other versions of regenerated answers and edited questions
(shelved by :mod:`eclair.store.versions`); the JSON also carries each answer's ``eclair``
object (route, citations, timing, energy) and the user's ratings. Nothing here reads the store:
the caller hands over what it has read.
"""

from __future__ import annotations

import json
import re
from typing import Any

from eclair.api.app_protocol import ConversationDetail

FORMAT = "eclair-conversation"
VERSION = 1

_ROLES = {"user": "You", "assistant": "Éclair", "system": "Instructions"}


def export_filename(detail: ConversationDetail, fmt: str) -> str:
    stem = re.sub(r"[^\w-]+", "-", detail.title or "conversation", flags=re.UNICODE).strip("-")[:60]
    return f"{stem or 'conversation'}.{'json' if fmt == 'json' else 'md'}"


def to_json(detail: ConversationDetail, shelved: list[dict[str, Any]]) -> str:
    data = {
        "format": FORMAT,
        "version": VERSION,
        "conversation": detail.model_dump(mode="json"),
        "other_versions": shelved,
    }
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def _citations(eclair: dict[str, Any] | None) -> list[str]:
    lines = []
    for n, citation in enumerate((eclair or {}).get("citations", []), start=1):
        quote = " ".join(str(citation.get("quote", "")).split())
        lines.append(f"[{n}] {citation.get('source', '')}: “{quote}”")
    return lines


def _message(
    role: str, content: str, eclair: dict[str, Any] | None, heading: str = "###", note: str = ""
) -> list[str]:
    lines = [f"{heading} {_ROLES.get(role, role)}{note}", "", content.strip() or "*(empty)*", ""]
    cited = _citations(eclair)
    if cited:
        lines += [*(f"> {c}" for c in cited), ""]
    return lines


def _thread(messages: list[dict[str, Any]], shelved: list[dict[str, Any]], depth: int) -> list[str]:
    """A thread's messages, each followed by the other versions of its place (recursively)."""
    heading = "#" * min(6, 3 + depth)
    by_seq: dict[int, list[dict[str, Any]]] = {}
    for branch in shelved:
        by_seq.setdefault(int(branch["seq"]), []).append(branch)
    lines: list[str] = []
    for message in messages:
        versions = message.get("versions") or 1
        note = f" (version {message.get('version')} of {versions})" if versions > 1 else ""
        lines += _message(message["role"], message["content"], message.get("eclair"), heading, note)
        for other in by_seq.get(int(message["seq"]), []):
            lines += [f"<details><summary>Version {other['number']}</summary>", ""]
            lines += _thread(other["messages"], other.get("versions", []), depth + 1)
            lines += ["</details>", ""]
    return lines


def to_markdown(detail: ConversationDetail, shelved: list[dict[str, Any]]) -> str:
    lines = [f"# {detail.title or 'Conversation'}", "", f"*{detail.created_at:%Y-%m-%d %H:%M} UTC*", ""]
    lines += _thread([m.model_dump() for m in detail.messages], shelved, 0)
    return "\n".join(lines).rstrip() + "\n"
