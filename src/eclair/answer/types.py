"""Types shared by the answer pipeline, the knowledge base and the API.

:class:`AnswerInfo` is the ``eclair`` extension object of every chat response (its JSON
field names are a public contract). :class:`AnswerStream` is what the pipeline hands the
API: an async stream of engine events plus the :class:`AnswerInfo` that is complete once
the stream has ended.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

from eclair.engine.protocol import StreamEvent
from eclair.text.passages import Citation, Passage

__all__ = ["AnswerInfo", "AnswerStream", "Citation", "Passage", "Route"]

Route = Literal["calculator", "date", "premise", "knowledge", "model", "abstain"]


@dataclass(slots=True)
class AnswerInfo:
    """The ``eclair`` object of a response."""

    route: Route = "model"
    abstained: bool = False
    citations: list[Citation] = field(default_factory=list)
    # Free-form reason for a premise rejection or an abstention, for UIs and logs.
    reason: str | None = None
    # {"wh", "gco2e", "zone", "method"}, set when the answer ends (eclair.sovereignty.energy).
    energy: dict[str, Any] | None = None
    # The tools called while answering (MCP, with the user's approval): their audit records,
    # in call order (eclair.agent.loop). None when no tool was on offer.
    tool_calls: list[dict[str, Any]] | None = None

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "route": self.route,
            "abstained": self.abstained,
            # a pack's article adds "pack" and "url" to its citations; a document's has neither
            "citations": [
                {k: v for k, v in asdict(c).items() if v != "" or k not in ("pack", "url")}
                for c in self.citations
            ],
        }
        if self.reason:
            data["reason"] = self.reason
        if self.energy is not None:
            data["energy"] = self.energy
        if self.tool_calls:
            data["tool_calls"] = self.tool_calls
        return data


@dataclass(slots=True)
class AnswerStream:
    """Engine-shaped events for one answer, and the answer's metadata.

    ``events`` yields :class:`~eclair.engine.protocol.TextDelta` items and ends with one
    :class:`~eclair.engine.protocol.Finished`; ``info`` is final once it has ended.
    Closing ``events`` cancels whatever generation is behind it.
    """

    events: AsyncIterator[StreamEvent]
    info: AnswerInfo = field(default_factory=AnswerInfo)
