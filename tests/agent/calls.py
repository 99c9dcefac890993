"""What a scripted model writes to call a function (the generic tool format)."""

from __future__ import annotations

import json
from typing import Any

from eclair.engine.protocol import ToolCall
from eclair.engine.tool_format import call_text


def tool_call_text(name: str, arguments: dict[str, Any]) -> str:
    return call_text(ToolCall("scripted", name, json.dumps(arguments, ensure_ascii=False)))
