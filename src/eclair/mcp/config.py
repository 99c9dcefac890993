"""The MCP servers' configuration file: the ``mcp.json`` shape that LM Studio, Claude Desktop
and other hosts share.

Contract:
- The file is ``{"mcpServers": {NAME: SERVER, ...}}`` where SERVER is either a stdio command
  ``{"command": str, "args": [str], "env": {str: str}, "cwd": str}`` or a Streamable HTTP
  endpoint ``{"url": "http(s)://…", "headers": {str: str}}``. An optional ``"type"``
  (``stdio``, ``http``, ``streamable-http``) is checked against the shape; ``sse`` (the
  transport MCP deprecated) is refused by name. Unknown keys are ignored, as other hosts add
  their own (``disabled`` is honoured: the server is kept but not started).
- A missing file is an empty configuration; an unreadable or invalid one raises
  :class:`~eclair.errors.InvalidRequest` (code ``invalid_mcp_config``) naming the server and the
  field, so the admin page and the log can say what to fix.
- :func:`save_config` writes atomically and owner-only (``0600``): ``env`` and ``headers``
  often carry tokens. :meth:`ServerConfig.public` is what non-administrators may see (no
  command line, no values of ``env`` or ``headers``).
"""

from __future__ import annotations

import json
import os
import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from eclair.errors import InvalidRequest

# Names become part of the function names the model sees (:mod:`eclair.mcp.naming`); keep them
# readable and free of anything a shell, a path or a JSON key could misread.
SERVER_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9 _.-]{0,63}$")
Transport = Literal["stdio", "http"]


class _Server(BaseModel):
    model_config = ConfigDict(extra="ignore")

    disabled: bool = False


class StdioServer(_Server):
    """A server that Éclair starts as a subprocess and talks to over stdin/stdout."""

    command: str = Field(min_length=1, max_length=4096)
    args: list[str] = Field(default_factory=list, max_length=256)
    env: dict[str, str] = Field(default_factory=dict)
    cwd: str | None = None

    @property
    def transport(self) -> Transport:
        return "stdio"

    def describe(self) -> str:
        return " ".join([self.command, *self.args])


class HttpServer(_Server):
    """A server reached over Streamable HTTP at ``url``."""

    url: str = Field(min_length=1, max_length=4096)
    headers: dict[str, str] = Field(default_factory=dict)

    @field_validator("url")
    @classmethod
    def _http_url(cls, value: str) -> str:
        if not re.match(r"^https?://[^\s/]+", value):
            raise ValueError("must be an http:// or https:// URL")
        return value

    @property
    def transport(self) -> Transport:
        return "http"

    def describe(self) -> str:
        return self.url


ServerConfig = StdioServer | HttpServer


def _public(server: ServerConfig) -> dict[str, Any]:
    data: dict[str, Any] = {"transport": server.transport, "disabled": server.disabled}
    if isinstance(server, StdioServer):
        data["env"] = sorted(server.env)  # names only: the values are often secrets
    else:
        data["headers"] = sorted(server.headers)
    return data


@dataclass(slots=True)
class McpConfig:
    servers: dict[str, ServerConfig] = field(default_factory=dict)

    def public(self, name: str, *, admin: bool) -> dict[str, Any]:
        """What the admin page shows of one server: the command or URL only to administrators."""
        server = self.servers[name]
        data = {"name": name, **_public(server)}
        if admin:
            data["target"] = server.describe()
        return data

    def to_json(self) -> dict[str, Any]:
        return {
            "mcpServers": {
                name: server.model_dump(exclude_defaults=True) | _shape_keys(server)
                for name, server in self.servers.items()
            }
        }


def _shape_keys(server: ServerConfig) -> dict[str, Any]:
    # ``command``/``url`` are required, so exclude_defaults never drops them; args stay explicit
    return {"args": server.args} if isinstance(server, StdioServer) else {}


def _invalid(message: str, param: str | None = None) -> InvalidRequest:
    return InvalidRequest(message, param=param, code="invalid_mcp_config")


def check_name(name: str) -> str:
    if not SERVER_NAME.match(name):
        raise _invalid(
            f"invalid MCP server name {name!r}: 1 to 64 letters, digits, spaces, '.', '_' or '-'",
            param="name",
        )
    return name


def parse_server(name: str, raw: Any) -> ServerConfig:
    """One server's entry, checked; raises ``InvalidRequest`` naming the server and field."""
    check_name(name)
    if not isinstance(raw, dict):
        raise _invalid(f"MCP server {name!r}: expected an object")
    kind = raw.get("type")
    if kind == "sse":
        raise _invalid(f"MCP server {name!r}: the SSE transport is not supported; use Streamable HTTP")
    if kind not in (None, "stdio", "http", "streamable-http", "streamableHttp"):
        raise _invalid(f"MCP server {name!r}: unknown type {kind!r}")
    if ("command" in raw) == ("url" in raw):
        raise _invalid(f"MCP server {name!r}: give either 'command' (stdio) or 'url' (Streamable HTTP)")
    model: type[ServerConfig] = StdioServer if "command" in raw else HttpServer
    if kind is not None and (kind == "stdio") != (model is StdioServer):
        raise _invalid(f"MCP server {name!r}: type {kind!r} does not match its fields")
    try:
        return model.model_validate(raw)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise _invalid(f"MCP server {name!r}: {where}: {first['msg']}", param=where) from None


def parse_config(raw: Any) -> McpConfig:
    if not isinstance(raw, dict):
        raise _invalid("the MCP configuration must be a JSON object with 'mcpServers'")
    servers = raw.get("mcpServers", {})
    if not isinstance(servers, dict):
        raise _invalid("'mcpServers' must be an object mapping names to servers")
    return McpConfig({name: parse_server(name, entry) for name, entry in servers.items()})


def load_config(path: Path) -> McpConfig:
    """The configuration at ``path``; empty when the file does not exist."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return McpConfig()
    except OSError as exc:
        raise _invalid(f"cannot read {path}: {exc.strerror}") from None
    try:
        raw = json.loads(text)
    except json.JSONDecodeError as exc:
        raise _invalid(f"{path} is not valid JSON: {exc.msg} (line {exc.lineno})") from None
    return parse_config(raw)


def save_config(path: Path, config: McpConfig) -> None:
    """Replace ``path`` atomically with ``config``, readable by the owner only."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temporary = tempfile.mkstemp(prefix=".mcp-", suffix=".json", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            json.dump(config.to_json(), out, indent=2, ensure_ascii=False)
            out.write("\n")
        os.chmod(temporary, 0o600)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
