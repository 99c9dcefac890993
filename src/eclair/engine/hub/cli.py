"""``eclair models``: pull, list, show and remove GGUF models from the Hugging Face Hub.

Names are those ``eclair serve --model`` takes: a catalogue name (``qwen2.5:1.5b``) or
``hf.co/ORG/REPO[:QUANT]``. Files go to the Hugging Face cache (``HF_HOME``, ``HF_HUB_CACHE``),
from ``HF_ENDPOINT`` (a mirror) if set; with ``HF_HUB_OFFLINE=1`` only the cache is read.
``pull`` checks that the model fits (disk, and memory at ``--ctx-size`` × ``--n-slots``) before
the first byte and refuses with the figures unless ``--force``; a download cut short resumes at
the next ``pull``; every file's SHA-256 is checked against the Hub's.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich import box
from rich.table import Table

from eclair.clikit import console, err_console, fail, load_settings
from eclair.config import BUNDLED_MODEL_FILE, Settings, bundled_model_path
from eclair.engine.hub.cache import HubEnv, LocalModel, find_cached, installed, remove
from eclair.engine.hub.catalogue import Catalogue, load_catalogue
from eclair.engine.hub.fit import Machine, fit_report
from eclair.engine.hub.ggufmeta import GgufError, GgufFacts, read_local_header
from eclair.engine.hub.names import HubModel, is_model_path, parse_model_name
from eclair.engine.hub.pull import PullPlan, fetch, plan_pull
from eclair.errors import ConfigurationError, EclairError
from eclair.transfer import human_size, progress_bar

models_app = typer.Typer(
    name="models",
    help="GGUF models from the Hugging Face Hub: pull, list, show, rm (kept in the Hugging Face cache).",
    no_args_is_help=True,
)

NameArgument = Annotated[str, typer.Argument(help="qwen2.5:1.5b (catalogue), or hf.co/ORG/REPO[:QUANT]")]
CtxSizeOption = Annotated[
    Optional[int],  # noqa: UP045 - typer needs Optional here
    typer.Option(
        "--ctx-size", help="Context per slot for the fit check [env: ECLAIR_CTX_SIZE]", show_default=False
    ),
]
SlotsOption = Annotated[
    Optional[int],  # noqa: UP045
    typer.Option("--n-slots", help="Slots for the fit check [env: ECLAIR_N_SLOTS]", show_default=False),
]


def _context(**overrides: int | None) -> tuple[Settings, HubEnv, Catalogue]:
    settings = load_settings(**overrides)
    try:
        catalogue = load_catalogue(settings.model_catalogue)
    except EclairError as exc:
        raise fail(exc.message) from None
    return settings, HubEnv.from_environ(), catalogue


def _hub_model(name: str, catalogue: Catalogue) -> HubModel:
    if is_model_path(name):
        raise fail(f"{name} is a file path; give a model name (eclair models list --available)")
    try:
        return parse_model_name(name, catalogue)
    except EclairError as exc:
        raise fail(exc.message) from None


@models_app.command("pull")
def pull(
    name: NameArgument,
    force: Annotated[bool, typer.Option("--force", help="Pull even if memory looks too small.")] = False,
    ctx_size: CtxSizeOption = None,
    n_slots: SlotsOption = None,
) -> None:
    """Download a model into the Hugging Face cache (resumable, SHA-256 checked, fit-checked first)."""
    settings, env, catalogue = _context(ctx_size=ctx_size, n_slots=n_slots)
    model = _hub_model(name, catalogue)
    try:
        if env.offline:
            if (cached := find_cached(env, model)) is None:
                plan_pull(model, env, ctx_size=settings.ctx_size, n_slots=settings.n_slots)  # raises
            else:
                console.print(f"{model.name} is in the cache (offline): {cached.path}", highlight=False)
                return
        plan = plan_pull(model, env, ctx_size=settings.ctx_size, n_slots=settings.n_slots)
        files = ", ".join(f.path for f in plan.selection.files)
        console.print(
            f"[bold]{model.name}[/]: {model.repo} {plan.selection.quant} ({files}, "
            f"{human_size(plan.selection.size)}) at commit {plan.commit[:12]}",
            highlight=False,
        )
        console.print(f"fit: {plan.fit.describe()}", highlight=False)
        if not plan.missing:
            console.print(f"already in the cache: {plan.path}", highlight=False)
            return
        if not plan.fit.fits_ram and force:
            err_console.print("[yellow]warning:[/] it may not fit in memory; pulling anyway (--force)")
        path = fetch(plan, force=force, bars=lambda file, total: progress_bar(err_console, file, total))
    except EclairError as exc:
        raise fail(exc.message) from None
    console.print(f"pulled [bold]{model.name}[/] → {path}", highlight=False)


@models_app.command("list")
def list_models(
    available: Annotated[
        bool, typer.Option("--available", help="The catalogue of short names instead.")
    ] = False,
    ctx_size: CtxSizeOption = None,
    n_slots: SlotsOption = None,
) -> None:
    """Installed models (the Hugging Face cache's GGUFs and the bundled one), or the catalogue."""
    settings, env, catalogue = _context(ctx_size=ctx_size, n_slots=n_slots)
    if available:
        return _list_catalogue(settings, env, catalogue)
    table = Table("name", "also", "size", box=box.SIMPLE)
    table.columns[0].overflow = "fold"  # a name is worth reading whole, even in 80 columns
    try:
        bundled = bundled_model_path()
        size = human_size(bundled.stat().st_size)
        table.add_row(BUNDLED_MODEL_FILE.removesuffix(".gguf"), "bundled (--model empty)", size)
    except ConfigurationError:
        pass  # not installed: nothing to list
    for found in installed(env):
        entry = catalogue.for_repo(found.repo, found.quant)
        also = entry.name if entry and (entry.quant or "").upper() in ("", found.quant) else ""
        commit = "" if "main" in found.refs else f" (commit {found.commit[:12]})"
        table.add_row(found.name + commit, also, human_size(found.size))
    console.print(table)
    console.print("[dim]files: eclair models show NAME[/]", highlight=False)
    console.print(f"[dim]Hugging Face cache: {env.cache_dir}[/]", highlight=False)


def _list_catalogue(settings: Settings, env: HubEnv, catalogue: Catalogue) -> None:
    machine = Machine(available_ram=0, free_disk=0)  # figures only: nothing is compared here
    table = Table("name", "quant", "download", "memory", "licence", "languages", box=box.SIMPLE)
    for column in table.columns[:5]:
        column.no_wrap = True
    for entry in catalogue.entries.values():
        report = fit_report(
            weights=entry.size,
            to_download=0,
            facts=None,
            entry=entry,
            ctx_size=settings.ctx_size,
            n_slots=settings.n_slots,
            machine=machine,
        )
        cached = find_cached(env, parse_model_name(entry.name, catalogue))
        table.add_row(
            entry.name + (" *" if cached else ""), entry.quant or "default", human_size(entry.size),
            human_size(report.ram_needed) + (" GPU" if entry.gpu else ""), entry.licence,
            " ".join(entry.languages),
        )  # fmt: skip
    console.print(table)
    console.print(
        f"[dim]* installed. Download and memory are about; memory = weights + KV cache for --ctx-size "
        f"{settings.ctx_size} × --n-slots {settings.n_slots} + runtime. `eclair models show NAME` for the "
        "repository and details; `eclair models pull NAME` checks the fit on this machine.[/]",
        highlight=False,
    )


@models_app.command("show")
def show(
    name: Annotated[str, typer.Argument(help="A model name, or a GGUF file path")],
    verify: Annotated[bool, typer.Option("--verify", help="Recompute the SHA-256 of the file(s).")] = False,
) -> None:
    """Details of a model: file, size, sha256, GGUF metadata (from the Hub if not pulled)."""
    settings, env, catalogue = _context()
    rows: list[tuple[str, str]] = []
    try:
        if is_model_path(name):
            path = Path(name).expanduser()
            if not path.is_file():
                raise fail(f"model file not found: {path}")
            rows += [("file", str(path)), ("size", human_size(path.stat().st_size))]
            rows += [("sha256", _sha256(path) if verify else "(use --verify to compute it)")]
            facts: GgufFacts | None = read_local_header(path)
        else:
            model = parse_model_name(name, catalogue)
            cached = find_cached(env, model)
            if cached is not None:
                facts = _show_cached(cached, rows, verify)
            else:
                plan = plan_pull(model, env, ctx_size=settings.ctx_size, n_slots=settings.n_slots)
                facts = _show_remote(plan, rows)
    except GgufError as exc:
        raise fail(f"{name}: not a readable GGUF ({exc})") from None
    except EclairError as exc:
        raise fail(exc.message) from None
    if facts is not None:
        rows += _facts_rows(facts)
    table = Table(show_header=False, box=None)
    for key, value in rows:
        table.add_row(f"[bold]{key}[/]", value)
    console.print(table)


def _show_cached(cached: LocalModel, rows: list[tuple[str, str]], verify: bool) -> GgufFacts:
    model = cached.model
    rows += [("name", model.name), ("repository", model.repo), ("quant", cached.selection.quant)]
    rows += [("commit", cached.commit), ("installed", "yes")]
    for file, path in zip(cached.selection.files, cached.paths, strict=True):
        rows += [("file", str(path)), ("size", human_size(path.stat().st_size))]
        if verify:
            got = _sha256(path)
            verdict = "matches the Hub's" if got == file.sha256 else f"DIFFERS from the Hub's {file.sha256}"
            rows.append(("sha256", f"{got} ({verdict})"))
        else:
            rows.append(("sha256", f"{file.sha256 or 'unknown'} (as published; --verify to recompute)"))
    return read_local_header(cached.path)


def _show_remote(plan: PullPlan, rows: list[tuple[str, str]]) -> GgufFacts | None:
    model = plan.model
    rows += [("name", model.name), ("repository", model.repo), ("quant", plan.selection.quant)]
    rows += [("commit", plan.commit), ("installed", "no (eclair models pull NAME)")]
    for file in plan.selection.files:
        size = human_size(file.size) if file.size is not None else "unknown"
        rows += [("file", file.path), ("size", size), ("sha256", file.sha256 or "unknown")]
    rows.append(("fit", plan.fit.describe()))
    if model.entry is not None:
        rows += [("licence", model.entry.licence), ("languages", " ".join(model.entry.languages))]
    return plan.facts


def _facts_rows(facts: GgufFacts) -> list[tuple[str, str]]:
    def shown(value: int | None) -> str:
        return "unknown" if value is None else str(value)

    per_token = facts.kv_bytes_per_token()
    return [
        ("architecture", facts.architecture),
        ("model name", facts.name or "unknown"),
        ("parameters", f"{facts.parameters:,}" if facts.parameters else "unknown"),
        ("context length", shown(facts.context_length)),
        ("layers", shown(facts.layers)),
        ("attention heads", f"{shown(facts.heads)} ({shown(facts.kv_heads)} for K/V)"),
        ("KV cache per token", f"{per_token:,} bytes (f16)" if per_token else "unknown"),
        ("chat template", "present" if facts.chat_template else "absent (ChatML is used)"),
    ]


@models_app.command("rm")
def rm(name: NameArgument) -> None:
    """Remove a model's files from the Hugging Face cache (other quantisations stay)."""
    _, env, catalogue = _context()
    model = _hub_model(name, catalogue)
    try:
        removed, freed = remove(env, model)
    except EclairError as exc:
        raise fail(exc.message) from None
    for found in removed:
        console.print(f"removed [bold]{found.name}[/] ({found.commit[:12]})", highlight=False)
    console.print(f"freed {human_size(freed)}", highlight=False)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as source:
        while block := source.read(1 << 20):
            digest.update(block)
    return digest.hexdigest()
