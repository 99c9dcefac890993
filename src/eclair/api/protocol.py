"""Request models of the OpenAI-compatible API, and their translation to engine types.

Validation is strict on purpose: a string where a number belongs, NaN, infinities, negative
counts and out-of-range values are refused (the API answers 400 with the OpenAI error
envelope naming the parameter) rather than coerced. Unknown fields are ignored, as OpenAI
clients send fields we do not use; fields that would change the meaning of the answer and
that we do not implement (``n`` > 1, ``logprobs``, tools) are refused explicitly.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictBool, StrictFloat, StrictInt, StrictStr

from eclair.engine.limits import parse_keep_alive
from eclair.engine.protocol import ChatMessage, SamplingParams
from eclair.errors import InvalidRequest

MAX_STOP_SEQUENCES = 16
MAX_STOP_LENGTH = 256
INT64_MIN, INT64_MAX = -(2**63), 2**63 - 1

Probability = Annotated[StrictFloat, Field(ge=0.0, le=1.0)]
Penalty = Annotated[StrictFloat, Field(ge=-2.0, le=2.0)]
StopString = Annotated[StrictStr, Field(min_length=1, max_length=MAX_STOP_LENGTH)]


def _require_encodable(value: str, param: str) -> None:
    """JSON may carry lone surrogates (``"\\ud800"``) that no UTF-8 text can hold: refuse them."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise InvalidRequest(f"'{param}' contains invalid Unicode (a lone surrogate)", param=param) from None


class _Strict(BaseModel):
    model_config = ConfigDict(extra="ignore", allow_inf_nan=False)


class StreamOptions(_Strict):
    include_usage: StrictBool = False


class TextContentPart(_Strict):
    type: Literal["text"]
    text: StrictStr


class ChatMessageIn(_Strict):
    role: Literal["system", "developer", "user", "assistant", "tool"]
    content: StrictStr | list[TextContentPart] | None = None
    name: StrictStr | None = None

    def text(self) -> str:
        if self.content is None:
            return ""
        if isinstance(self.content, str):
            return self.content
        return "".join(part.text for part in self.content)


class _SamplingRequest(_Strict):
    """Fields shared by chat and text completions."""

    model: StrictStr | None = Field(default=None, max_length=256)
    max_tokens: StrictInt | None = Field(default=None, ge=1, le=1_048_576)
    temperature: StrictFloat | None = Field(default=None, ge=0.0, le=2.0)
    top_p: Probability | None = None
    top_k: StrictInt | None = Field(default=None, ge=0, le=1_000_000, description="Extension.")
    min_p: Probability | None = Field(default=None, description="Extension.")
    repeat_penalty: StrictFloat | None = Field(default=None, ge=0.0, le=10.0, description="Extension.")
    seed: StrictInt | None = Field(default=None, ge=INT64_MIN, le=INT64_MAX)
    stop: StopString | list[StopString] | None = None
    presence_penalty: Penalty | None = None
    frequency_penalty: Penalty | None = None
    n: StrictInt | None = Field(default=None, ge=1, le=128)
    user: StrictStr | None = Field(default=None, max_length=256)
    stream: StrictBool | None = False
    stream_options: StreamOptions | None = None
    logprobs: StrictBool | StrictInt | None = None
    keep_alive: StrictInt | StrictFloat | StrictStr | None = Field(
        default=None,
        description="Extension (Ollama's): how long the model stays loaded after this answer: "
        "seconds or a duration ('5m'); 0 unloads it at once, -1 keeps it loaded.",
    )

    def check_supported(self) -> None:
        for value, param in self._texts():
            _require_encodable(value, param)
        self.keep_alive_s()
        if self.n not in (None, 1):
            raise InvalidRequest("only n=1 is supported", param="n", code="unsupported_value")
        if self.logprobs:
            raise InvalidRequest("logprobs are not supported", param="logprobs", code="unsupported_value")
        if isinstance(self.stop, list) and len(self.stop) > MAX_STOP_SEQUENCES:
            raise InvalidRequest(f"at most {MAX_STOP_SEQUENCES} stop sequences are supported", param="stop")

    def requested_max_tokens(self) -> int | None:
        return self.max_tokens

    def keep_alive_s(self) -> float | None:
        """Seconds the model stays loaded after this answer (``math.inf``: for good); None: the
        server's ``models_keep_alive``."""
        if self.keep_alive is None:
            return None
        try:
            return parse_keep_alive(self.keep_alive)
        except ValueError as exc:
            raise InvalidRequest(
                f"invalid value for 'keep_alive': {exc}", param="keep_alive", code="invalid_value"
            ) from None

    def _texts(self) -> list[tuple[str, str]]:
        """Every free-text value with its parameter name, for the Unicode check."""
        stops = [self.stop] if isinstance(self.stop, str) else list(self.stop or ())
        return [(stop, "stop") for stop in stops]

    def sampling(self, max_tokens: int) -> SamplingParams:
        defaults = SamplingParams()
        stops = (self.stop,) if isinstance(self.stop, str) else tuple(self.stop or ())
        return SamplingParams(
            max_tokens=max_tokens,
            temperature=defaults.temperature if self.temperature is None else self.temperature,
            top_p=defaults.top_p if self.top_p is None else self.top_p,
            top_k=defaults.top_k if self.top_k is None else self.top_k,
            min_p=defaults.min_p if self.min_p is None else self.min_p,
            repeat_penalty=defaults.repeat_penalty if self.repeat_penalty is None else self.repeat_penalty,
            seed=None if self.seed is None else self.seed % 2**32,
            stop=stops,
            presence_penalty=self.presence_penalty or 0.0,
            frequency_penalty=self.frequency_penalty or 0.0,
        )

    @property
    def include_usage(self) -> bool:
        return bool(self.stream_options and self.stream_options.include_usage)


class ChatCompletionRequest(_SamplingRequest):
    messages: list[ChatMessageIn] = Field(min_length=1, max_length=100_000)
    max_completion_tokens: StrictInt | None = Field(default=None, ge=1, le=1_048_576)
    tools: list[dict[str, Any]] | None = None
    response_format: dict[str, Any] | None = None

    def check_supported(self) -> None:
        super().check_supported()
        if self.tools:
            raise InvalidRequest("tools are not supported", param="tools", code="unsupported_value")
        if self.response_format and self.response_format.get("type") not in (None, "text"):
            raise InvalidRequest(
                "only the 'text' response format is supported",
                param="response_format",
                code="unsupported_value",
            )

    def requested_max_tokens(self) -> int | None:
        return self.max_completion_tokens or self.max_tokens

    def _texts(self) -> list[tuple[str, str]]:
        own = [(m.text(), f"messages[{i}].content") for i, m in enumerate(self.messages)]
        return own + super()._texts()

    def chat_messages(self) -> list[ChatMessage]:
        return [ChatMessage(role=m.role, content=m.text()) for m in self.messages]


class CompletionRequest(_SamplingRequest):
    prompt: StrictStr | list[StrictStr]
    echo: StrictBool = False
    suffix: StrictStr | None = None
    best_of: StrictInt | None = Field(default=None, ge=1, le=1)

    def check_supported(self) -> None:
        super().check_supported()
        if self.echo:
            raise InvalidRequest("echo is not supported", param="echo", code="unsupported_value")
        if self.suffix:
            raise InvalidRequest("suffix is not supported", param="suffix", code="unsupported_value")

    def _texts(self) -> list[tuple[str, str]]:
        prompts = [self.prompt] if isinstance(self.prompt, str) else list(self.prompt)
        return [(p, "prompt") for p in prompts] + super()._texts()

    def prompt_text(self) -> str:
        if isinstance(self.prompt, str):
            return self.prompt
        if len(self.prompt) != 1:
            raise InvalidRequest("exactly one prompt per request is supported", param="prompt")
        return self.prompt[0]
