"""The ``eclair`` command.

``serve`` takes one flag per :class:`~eclair.config.Settings` field, derived from the field
(name, type, docstring), so the CLI can never drift from the configuration. ``chat`` and
``ask`` talk to a running server with ``--url`` (through the official OpenAI client) or,
without it, load the model in-process. User mistakes end with a one-line message and exit
status 1 or 2, never a traceback.
"""

from __future__ import annotations

import inspect
import json
import logging
import socket
import sys
import types
import typing
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Optional

import typer
from pydantic import BeforeValidator

from eclair import __version__
from eclair.accounts.cli import users_app
from eclair.bench.cli import bench_command
from eclair.clikit import DataDirOption, console, fail, load_settings
from eclair.config import Settings
from eclair.engine.hub.cli import models_app
from eclair.errors import EclairError
from eclair.evaluation.cli import eval_command
from eclair.knowledge.packs.cli import knowledge_app
from eclair.sovereignty import cli as sovereignty_cli

if TYPE_CHECKING:
    import uvicorn

app = typer.Typer(
    name="eclair",
    help="Éclair: a sovereign AI chat assistant that answers simple questions right, on your hardware.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
# -- serve: flags derived from Settings --------------------------------------------------

_CLI_TYPES = (bool, int, float, str, Path)


def _cli_type(annotation: Any) -> type:
    """The plain type typer should parse for a settings field (``X | None`` → ``X``)."""
    if isinstance(annotation, types.UnionType) or typing.get_origin(annotation) is typing.Union:
        options = [a for a in typing.get_args(annotation) if a is not type(None)]
        annotation = options[0] if len(options) == 1 else str
    return annotation if annotation in _CLI_TYPES else str


def settings_options(command: Callable[..., None]) -> Callable[..., None]:
    """Give ``command`` one ``--flag`` per settings field; it receives them as keyword args."""
    parameters = []
    annotations: dict[str, Any] = {}
    for name, field in Settings.model_fields.items():
        flag = "--" + name.replace("_", "-")
        help_text = f"{field.description or ''} [env: ECLAIR_{name.upper()}]"
        reads_text = any(isinstance(m, BeforeValidator) for m in field.metadata)  # 8GB, 5m
        kind = str if reads_text else _cli_type(field.annotation)
        option = typer.Option(flag, help=help_text, show_default=False)
        annotation = Annotated[Optional[kind], option]  # type: ignore[valid-type]  # noqa: UP045
        annotations[name] = annotation
        parameters.append(
            inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, default=None, annotation=annotation)
        )

    def wrapper(**kwargs: Any) -> None:
        command(load_settings(**kwargs))

    wrapper.__signature__ = inspect.Signature(parameters)  # type: ignore[attr-defined]
    wrapper.__annotations__ = annotations
    wrapper.__doc__ = command.__doc__
    wrapper.__name__ = command.__name__
    return wrapper


def _bind(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        raise fail(f"cannot listen on {host}:{port}: {exc.strerror}") from None
    sock.listen(2048)
    sock.set_inheritable(True)
    return sock


def server_config(application: Any, settings: Settings) -> uvicorn.Config:
    """uvicorn's configuration for ``application``.

    uvicorn believes ``X-Forwarded-For``/``-Proto`` from loopback by default, so any local
    program (or a proxy that passes the header through) could pick its client address and
    scheme; here only the proxies ``forwarded_allow_ips`` names are believed, none by default.
    """
    import uvicorn  # here, not at the top: the other commands do not need it

    proxies = [address.strip() for address in settings.forwarded_allow_ips.split(",") if address.strip()]
    return uvicorn.Config(
        application,
        log_level=settings.log_level,
        access_log=settings.log_level == "debug",
        proxy_headers=bool(proxies),
        forwarded_allow_ips=proxies,
    )


def _serve(settings: Settings) -> None:
    """Start the OpenAI-compatible API (and, as they land, the web app) in one process."""
    from eclair.api.app import create_app
    from eclair.sovereignty.shutdown import graceful_server

    logging.basicConfig(
        level=settings.log_level.upper(), format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    try:
        settings.data_dir.mkdir(parents=True, exist_ok=True)
        # builds the engine: a missing GGUF, an unknown model name or one that does not fit
        # ends here; a name not cached yet is pulled by the engine's start (progress logged)
        application = create_app(settings)
    except EclairError as exc:
        raise fail(exc.message) from None
    sock = _bind(settings.host, settings.port)
    host, port = sock.getsockname()[:2]
    shown = f"[{host}]" if ":" in host else host
    console.print(
        f"[bold]Éclair[/] {__version__} serving [cyan]{settings.served_model_id()}[/] "
        f"at [bold green]http://{shown}:{port}[/] (OpenAI API at /v1)",
        highlight=False,
    )
    sys.stdout.flush()
    config = server_config(application, settings)
    # SIGTERM drains (readiness 503, in-flight requests finish) and exits 0: eclair.sovereignty.shutdown
    graceful_server(application, config).run(sockets=[sock])


serve = app.command("serve")(settings_options(_serve))
app.add_typer(users_app)  # eclair users add/list/delete (eclair.accounts.cli)
app.add_typer(knowledge_app)  # eclair knowledge add/list/rm/pull (eclair.knowledge.packs.cli)
app.add_typer(models_app)  # eclair models pull/list/show/rm (eclair.engine.hub.cli)
sovereignty_cli.install(app, users_app)  # eclair users export/erase, eclair backup/restore


# -- chat and ask ------------------------------------------------------------------------

URL_OPTION = typer.Option(
    "--url", envvar="ECLAIR_URL", help="Base URL of a running server (…/v1). Empty: in-process."
)
MODEL_OPTION = typer.Option("--model", help="Model id: 'eclair' (the assistant) or the raw model id.")


def _client(url: str | None, model: str | None) -> Any:
    from eclair.client import HttpChat, InProcessChat

    try:
        if url:
            return HttpChat(url, model=model)
        return InProcessChat(load_settings(), model=model)
    except EclairError as exc:
        raise fail(exc.message) from None


@app.command()
def ask(
    question: Annotated[str, typer.Argument(help="The question to answer.")],
    url: Annotated[Optional[str], URL_OPTION] = None,  # noqa: UP045
    model: Annotated[Optional[str], MODEL_OPTION] = None,  # noqa: UP045
    as_json: Annotated[bool, typer.Option("--json", help="Print the whole response object as JSON.")] = False,
) -> None:
    """Answer one question and exit."""
    client = _client(url, model)
    messages = [{"role": "user", "content": question}]
    try:
        if as_json:
            console.print_json(json.dumps(client.complete(messages), ensure_ascii=False))
            return
        for piece in client.stream(messages):
            console.out(piece, end="", highlight=False)
        console.out("")
    except EclairError as exc:
        raise fail(exc.message) from None
    finally:
        client.close()


@app.command()
def chat(
    url: Annotated[Optional[str], URL_OPTION] = None,  # noqa: UP045
    model: Annotated[Optional[str], MODEL_OPTION] = None,  # noqa: UP045
) -> None:
    """Chat in the terminal. /reset starts over, /exit (or Ctrl-D) quits."""
    client = _client(url, model)
    history: list[dict[str, str]] = []
    console.print(f"[bold]Éclair[/] — model [cyan]{client.model}[/]. /reset to start over, /exit to quit.")
    try:
        while True:
            try:
                line = console.input("[bold blue]you>[/] ").strip()
            except (EOFError, KeyboardInterrupt):
                console.print()
                break
            if not line:
                continue
            if line in {"/exit", "/quit"}:
                break
            if line == "/reset":
                history.clear()
                console.print("[dim]conversation cleared[/]")
                continue
            history.append({"role": "user", "content": line})
            console.print("[bold magenta]éclair>[/] ", end="")
            reply: list[str] = []
            try:
                for piece in client.stream(history):
                    reply.append(piece)
                    console.out(piece, end="", highlight=False)
            except KeyboardInterrupt:
                console.print(" [dim](stopped)[/]")
            except EclairError as exc:
                console.print(f"\n[red]{exc.message}[/]")
                history.pop()
                continue
            console.out("")
            history.append({"role": "assistant", "content": "".join(reply)})
    finally:
        client.close()


# -- ingest ------------------------------------------------------------------------------


@app.command()
def ingest(
    files: Annotated[list[Path], typer.Argument(help="Files (txt, md, html, pdf) or directories to add.")],
    collection: Annotated[str, typer.Option("--collection", help="Collection to add them to.")] = "default",
    data_dir: Annotated[
        Optional[Path],  # noqa: UP045
        typer.Option(
            "--data-dir", help="Data directory (default: ECLAIR_DATA_DIR or ~/.local/share/eclair)."
        ),
    ] = None,
) -> None:
    """Add documents to the knowledge base, shared with every user of the server."""
    from eclair.knowledge.ingest import run_ingest_cli

    settings = load_settings(data_dir=data_dir)
    status = run_ingest_cli(
        files,
        data_dir=settings.data_dir,
        collection=collection,
        dense=settings.knowledge_dense,
        max_file_bytes=settings.max_file_bytes,
        console=console,
        settings=settings,  # the same extraction timeout and caps as uploads
    )
    raise typer.Exit(status)


# -- mcp (eclair.mcp.server) -------------------------------------------------------------


@app.command("mcp")
def mcp_command(
    http: Annotated[
        Optional[int],  # noqa: UP045
        typer.Option(
            "--http", help="Serve Streamable HTTP on this port (at /mcp) instead of stdio.", min=0, max=65535
        ),
    ] = None,
    host: Annotated[str, typer.Option("--host", help="Address --http binds to.")] = "127.0.0.1",
    data_dir: DataDirOption = None,
) -> None:
    """Serve Éclair's tools (calculator, dates, document search) as an MCP server: stdio by
    default, for assistants that start it (Claude Desktop, LM Studio…)."""
    import anyio

    from eclair.mcp.server import serve_http, serve_stdio

    settings = load_settings(data_dir=data_dir)
    # stdout carries the protocol: every log line goes to stderr
    logging.basicConfig(level=settings.log_level.upper(), stream=sys.stderr, force=True)
    if http is None:
        anyio.run(serve_stdio, settings)
    else:
        anyio.run(lambda: serve_http(settings, host=host, port=http))


# -- eval --------------------------------------------------------------------------------

app.command("eval")(eval_command)


# -- bench (eclair.bench) ----------------------------------------------------------------

app.command("bench")(bench_command)


def _version(value: bool) -> None:
    if value:
        console.print(f"eclair {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version.")
    ] = False,
) -> None:
    """Éclair: a sovereign AI chat assistant."""


def main() -> None:
    app()
