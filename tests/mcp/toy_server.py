"""A tiny MCP server for the tests, built with the official SDK: stdio by default,
Streamable HTTP with ``--http PORT``.

Every call is appended to the file named by ``TOY_CALLS`` (one JSON line per call), so
tests can tell whether a tool really ran: approval is about what reaches the server.
"""

from __future__ import annotations

import json
import os
import sys
import time

from mcp.server.mcpserver import MCPServer

server = MCPServer("toy", instructions="Test tools.", log_level="WARNING")


def _record(tool: str, arguments: dict[str, object]) -> None:
    path = os.environ.get("TOY_CALLS")
    if path:
        with open(path, "a", encoding="utf-8") as log:
            log.write(json.dumps({"tool": tool, "arguments": arguments}) + "\n")


@server.tool()
def add(a: int, b: int) -> int:
    """Add two integers."""
    _record("add", {"a": a, "b": b})
    return a + b


@server.tool()
def shout(text: str) -> str:
    """Upper-case a text."""
    _record("shout", {"text": text})
    return text.upper()


@server.tool()
def broken(reason: str) -> str:
    """Always fails, saying why."""
    _record("broken", {"reason": reason})
    raise ValueError(f"broken on purpose: {reason}")


@server.tool()
def slow(seconds: float) -> str:
    """Sleeps, then answers."""
    _record("slow", {"seconds": seconds})
    time.sleep(seconds)
    return "done"


@server.tool()
def crash() -> str:
    """Ends the server process at once (a server that dies mid-call)."""
    _record("crash", {})
    os._exit(3)


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--http":
        server.run("streamable-http", port=int(sys.argv[2]))
    else:
        server.run()
