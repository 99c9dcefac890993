"""Tool calls read back from a model's streamed text.

Contract:
- :class:`ToolCallReader` splits the streamed text of an answer written in a
  :class:`~eclair.engine.tool_format.ToolFormat` into content and OpenAI tool-call deltas:
  the first delta of a call carries its ``index``, ``id``, ``type`` and ``function.name``
  (with empty ``arguments``); later ones carry argument fragments whose concatenation is the
  call's ``arguments`` string exactly. Text that might start a call marker is held back
  until it is known not to; whitespace around calls is not content. Unreadable marker text is
  given back as content, never lost; a call cut off by the end of the answer still counts
  when its JSON is whole.
- This is the one reader of calls: the API's answers and the tool loop's model turns both use it.
"""

from __future__ import annotations

import json
import re
import secrets
from dataclasses import dataclass, field
from typing import Any

from eclair.engine.protocol import ToolCall
from eclair.engine.tool_format import ToolFormat

_NAME = re.compile(r'"name"\s*:\s*"((?:[^"\\]|\\.)*)"')
_ARGUMENTS = re.compile(r'"(?:arguments|parameters)"\s*:\s*')


@dataclass(slots=True)
class ParsedCall:
    id: str
    name: str
    arguments: str

    def to_json(self) -> dict[str, Any]:
        return self.frozen().to_openai()

    def frozen(self) -> ToolCall:
        return ToolCall(self.id, self.name, self.arguments)


def _value_end(text: str, start: int) -> int | None:
    """Where the JSON value starting at ``text[start]`` ends (exclusive), if it has ended."""
    depth, in_string, escaped = 0, False, False
    for i in range(start, len(text)):
        c = text[i]
        if in_string:
            if escaped:
                escaped = False
            elif c == "\\":
                escaped = True
            elif c == '"':
                in_string = False
                if depth == 0:
                    return i + 1
        elif c == '"':
            in_string = True
        elif c in "{[":
            depth += 1
        elif c in "}]":
            depth -= 1
            if depth <= 0:
                return i + 1 if depth == 0 else i
        elif c == "," and depth == 0:
            return i
    return None


@dataclass(slots=True)
class _Call:
    index: int
    body: str = ""
    call: ParsedCall | None = None  # once its name is known
    args_start: int | None = None
    sent: int = 0  # characters of the arguments already sent


@dataclass(slots=True)
class ToolCallReader:
    """Content and tool calls from an answer's text, fed as it streams."""

    fmt: ToolFormat
    calls: list[ParsedCall] = field(default_factory=list)
    _buffer: str = ""
    _current: _Call | None = None
    _spaces: str = ""  # whitespace held back: content only if text follows

    def feed(self, text: str) -> list[str | dict[str, Any]]:
        """Content strings and ``tool_calls`` delta items, in order."""
        self._buffer += text
        out: list[str | dict[str, Any]] = []
        while True:
            if self._current is None:
                at = self._buffer.find(self.fmt.open)
                if at < 0:
                    keep = _partial_suffix(self._buffer, self.fmt.open)
                    self._content(self._buffer[: len(self._buffer) - keep], out)
                    self._buffer = self._buffer[len(self._buffer) - keep :]
                    return out
                self._content(self._buffer[:at], out)
                self._spaces = ""
                self._current = _Call(index=len(self.calls))
                self._buffer = self._buffer[at + len(self.fmt.open) :]
            end = self._buffer.find(self.fmt.close)
            if end < 0:
                keep = _partial_suffix(self._buffer, self.fmt.close)
                self._current.body += self._buffer[: len(self._buffer) - keep]
                self._buffer = self._buffer[len(self._buffer) - keep :]
                self._advance(out)
                return out
            self._current.body += self._buffer[:end]
            self._buffer = self._buffer[end + len(self.fmt.close) :]
            self._advance(out)
            self._finish_call(out, self.fmt.close)

    def close(self) -> list[str | dict[str, Any]]:
        """The end of the answer: a call cut short is kept if its JSON is whole."""
        out: list[str | dict[str, Any]] = []
        if self._current is not None:
            self._current.body += self._buffer
            self._advance(out)
            self._finish_call(out, "")
        else:
            self._content(self._buffer, out)
        self._buffer = ""
        return out

    def _content(self, text: str, out: list[str | dict[str, Any]]) -> None:
        if not text:
            return
        if text.strip():
            if self.calls and not out:
                text = text.lstrip()  # the line break after a call is not content
            out.append(self._spaces + text)
            self._spaces = ""
        else:
            self._spaces += text

    def _advance(self, out: list[str | dict[str, Any]]) -> None:
        """Send what the call's text now tells: its name, then argument fragments."""
        current = self._current
        assert current is not None
        body = current.body
        if current.call is None:
            name = _NAME.search(body)
            args = _ARGUMENTS.search(body)
            if name is None or (args is not None and args.start() < name.start()):
                return  # the name comes first in the shape we force; otherwise wait for the end
            current.call = ParsedCall(f"call_{secrets.token_hex(12)}", json.loads(f'"{name.group(1)}"'), "")
            function = {"name": current.call.name, "arguments": ""}
            out.append(
                {"index": current.index, "id": current.call.id, "type": "function", "function": function}
            )
        if current.args_start is None:
            args = _ARGUMENTS.search(body)
            if args is None or args.end() == len(body):  # blanks may still come before the value
                return
            current.args_start = args.end()
        end = _value_end(body, current.args_start)
        upto = len(body) if end is None else end
        if end is None:  # hold back trailing blanks: they may lie between the value and the brace
            upto = len(body.rstrip())
        fragment = body[current.args_start + current.sent : upto]
        if fragment:
            current.sent += len(fragment)
            current.call.arguments += fragment
            out.append({"index": current.index, "function": {"arguments": fragment}})

    def _finish_call(self, out: list[str | dict[str, Any]], close: str) -> None:
        current = self._current
        assert current is not None
        self._current = None
        try:
            parsed = json.loads(current.body)
            name = parsed["name"]
            arguments = parsed.get("arguments", parsed.get("parameters"))
        except (ValueError, KeyError, TypeError):
            parsed, name, arguments = None, None, None
        if not isinstance(name, str) or not isinstance(arguments, dict):
            if current.call is None:  # nothing was sent as a call: it was text after all
                self._content(self.fmt.open + current.body + close, out)
                return
            self.calls.append(current.call)  # already announced: it stays a call
            return
        if current.call is None:
            current.call = ParsedCall(f"call_{secrets.token_hex(12)}", name, "")
            function = {"name": name, "arguments": ""}
            out.append(
                {"index": current.index, "id": current.call.id, "type": "function", "function": function}
            )
        if current.args_start is None or current.call.arguments == "":
            raw = json.dumps(arguments, ensure_ascii=False)
            current.call.arguments = raw
            out.append({"index": current.index, "function": {"arguments": raw}})
        self.calls.append(current.call)


def _partial_suffix(text: str, marker: str) -> int:
    """Length of the longest end of ``text`` that begins ``marker``."""
    for n in range(min(len(text), len(marker) - 1), 0, -1):
        if marker.startswith(text[-n:]):
            return n
    return 0
