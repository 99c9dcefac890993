"""``python -m eclair.deploy``: deploy engine replicas on a running Ray cluster.

Engine settings (backend, model, threads, slots, context) come from the environment
(``ECLAIR_*``) exactly as for ``eclair serve``; the flags here say how many replicas and how
Ray scales them. Then start the API in front with ``eclair serve --backend ray``.
"""

from __future__ import annotations

from typing import Annotated, Optional

import typer
from pydantic import ValidationError
from rich.console import Console

app = typer.Typer(add_completion=False, pretty_exceptions_enable=False)
console = Console()


@app.command()
def deploy(
    replicas: Annotated[
        int, typer.Option(help="Replicas to start (the initial count when autoscaling).")
    ] = 1,
    min_replicas: Annotated[Optional[int], typer.Option(help="Autoscaling: fewest replicas.")] = None,  # noqa: UP045
    max_replicas: Annotated[Optional[int], typer.Option(help="Autoscaling: most replicas.")] = None,  # noqa: UP045
    target_ongoing_requests: Annotated[
        float, typer.Option(help="Autoscaling: requests per replica Ray aims for.")
    ] = 4.0,
    max_ongoing_requests: Annotated[int, typer.Option(help="Requests one replica takes at once.")] = 16,
    cpus_per_replica: Annotated[float, typer.Option(help="CPU cores Ray reserves per replica.")] = 1.0,
    address: Annotated[
        Optional[str],  # noqa: UP045
        typer.Option(help="Ray cluster address (default: RAY_ADDRESS or the local cluster)."),
    ] = None,
) -> None:
    """Deploy (or update) Éclair's engine replicas on Ray Serve."""
    from eclair.config import Settings
    from eclair.deploy.config import RayDeployConfig

    try:
        config = RayDeployConfig(
            replicas=replicas,
            min_replicas=min_replicas,
            max_replicas=max_replicas,
            target_ongoing_requests=target_ongoing_requests,
            max_ongoing_requests=max_ongoing_requests,
            cpus_per_replica=cpus_per_replica,
            address=address,
        )
    except ValidationError as exc:
        console.print(f"[bold red]error:[/] {exc.errors()[0]['msg']}")
        raise typer.Exit(2) from None
    from eclair.deploy.ray_app import APP_NAME
    from eclair.deploy.ray_app import deploy as deploy_replicas

    deploy_replicas(Settings(), config)
    console.print(
        f"[bold]Éclair[/] engine replicas deployed as the Ray Serve application [cyan]{APP_NAME}[/]; "
        "start the API with [bold]eclair serve --backend ray[/]"
    )


def main() -> None:
    app()
