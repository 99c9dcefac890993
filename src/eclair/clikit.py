"""What every ``eclair`` command group shares: consoles, the error exit, settings from
options, and the ``--data-dir`` / ``--database-url`` options.

One place, so that ``eclair users``, ``eclair knowledge`` and the top-level commands fail
the same way (``error: …`` in red on stderr, exit 1; an invalid setting exits 2 naming the
setting) and read their options into the same :class:`~eclair.config.Settings`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any, Optional

import typer
from pydantic import ValidationError
from rich.console import Console

from eclair.config import Settings

console = Console()
err_console = Console(stderr=True)

DataDirOption = Annotated[
    Optional[Path],  # noqa: UP045 - typer needs Optional here
    typer.Option("--data-dir", help="Data directory [env: ECLAIR_DATA_DIR]", show_default=False),
]
DatabaseUrlOption = Annotated[
    Optional[str],  # noqa: UP045
    typer.Option("--database-url", help="Database URL [env: ECLAIR_DATABASE_URL]", show_default=False),
]


def fail(message: str, code: int = 1) -> typer.Exit:
    """Print ``message`` as an error; return the exit to raise."""
    err_console.print(f"[bold red]error:[/] {message}")
    return typer.Exit(code)


def load_settings(**overrides: Any) -> Settings:
    """Settings from the environment, with explicitly given CLI values on top."""
    try:
        return Settings(**{k: v for k, v in overrides.items() if v is not None})
    except ValidationError as exc:
        first = exc.errors()[0]
        name = ".".join(str(p) for p in first["loc"])
        raise fail(f"invalid setting '{name}': {first['msg']}", 2) from None
