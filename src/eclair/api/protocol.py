"""Request models of the OpenAI-compatible API, and their translation to engine types.

Validation is strict on purpose: a string where a number belongs, NaN, infinities, negative
counts and out-of-range values are refused (the API answers 400 with the OpenAI error
envelope naming the parameter) rather than coerced. Unknown fields are ignored, as OpenAI
clients send fields we do not use; fields that would change the meaning of the answer and
that we do not implement (``n`` > 1, ``logprobs`` on text completions) are refused explicitly.

Chat completions take OpenAI's ``tools``, ``tool_choice``, ``parallel_tool_calls``,
``response_format`` (``text``, ``json_object``, ``json_schema``), ``logprobs`` and
``top_logprobs``; :meth:`ChatCompletionRequest.check_supported` checks what the field types
cannot: a named ``tool_choice`` among the tools, a ``tool`` message answering a call made
earlier in the conversation (schemas are checked with the grammar they make,
:mod:`eclair.api.structured`, under a time limit).
"""

from __future__ import annotations

import dataclasses
import json
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictBool, StrictFloat, StrictInt, StrictStr

from eclair.engine.limits import parse_keep_alive
from eclair.engine.protocol import ChatMessage, SamplingParams, ToolCall
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


class FunctionCallIn(_Strict):
    name: StrictStr
    arguments: StrictStr


class ToolCallIn(_Strict):
    id: StrictStr
    type: Literal["function"] = "function"
    function: FunctionCallIn


class ChatMessageIn(_Strict):
    role: Literal["system", "developer", "user", "assistant", "tool"]
    content: StrictStr | list[TextContentPart] | None = None
    name: StrictStr | None = None
    tool_calls: list[ToolCallIn] | None = None
    tool_call_id: StrictStr | None = None

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
    logprobs: StrictBool | StrictInt | None = None  # chat: a bool; text completions: refused
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


class FunctionDefinition(_Strict):
    name: StrictStr = Field(pattern=r"^[A-Za-z0-9_-]{1,64}$")
    description: StrictStr | None = None
    parameters: dict[str, Any] | None = None
    strict: StrictBool | None = None


class ToolDefinition(_Strict):
    type: Literal["function"]
    function: FunctionDefinition


class NamedFunction(_Strict):
    name: StrictStr


class NamedToolChoice(_Strict):
    type: Literal["function"]
    function: NamedFunction


class JsonSchemaFormat(_Strict):
    name: StrictStr = Field(default="response", max_length=64)
    description: StrictStr | None = None
    schema_: dict[str, Any] | None = Field(default=None, alias="schema")
    strict: StrictBool | None = None


class ResponseFormat(_Strict):
    type: Literal["text", "json_object", "json_schema"]
    json_schema: JsonSchemaFormat | None = None


class EclairOptions(_Strict):
    """Éclair's own request options (``"eclair": {...}``; the SDK's ``extra_body``)."""

    tool_approval: StrictStr | None = None


class ChatCompletionRequest(_SamplingRequest):
    messages: list[ChatMessageIn] = Field(min_length=1, max_length=100_000)
    max_completion_tokens: StrictInt | None = Field(default=None, ge=1, le=1_048_576)
    logprobs: StrictBool | None = None
    top_logprobs: StrictInt | None = Field(default=None, ge=0, le=20)
    tools: list[ToolDefinition] | None = Field(default=None, max_length=128)
    tool_choice: Literal["none", "auto", "required"] | NamedToolChoice | None = None
    parallel_tool_calls: StrictBool | None = None
    response_format: ResponseFormat | None = None
    eclair: EclairOptions | None = None

    def check_supported(self) -> None:
        super().check_supported()
        if self.top_logprobs is not None and not self.logprobs:
            raise InvalidRequest("'top_logprobs' needs 'logprobs': true", param="top_logprobs")
        names = [tool.function.name for tool in self.tools or ()]
        if len(set(names)) != len(names):
            raise InvalidRequest("two tools have the same function name", param="tools")
        choice = self.tool_choice
        if isinstance(choice, NamedToolChoice) and choice.function.name not in names:
            raise InvalidRequest(
                f"tool_choice names '{choice.function.name}', which is not among the tools",
                param="tool_choice",
            )
        if choice == "required" and not names:
            raise InvalidRequest("tool_choice 'required' needs tools", param="tool_choice")
        fmt = self.response_format
        missing = fmt is not None and (fmt.json_schema is None or fmt.json_schema.schema_ is None)
        if fmt is not None and fmt.type == "json_schema" and missing:
            raise InvalidRequest("a 'json_schema' response format needs its schema", param="response_format")
        self._check_tool_results()

    def _check_tool_results(self) -> None:
        """Every ``tool`` message answers a call an earlier assistant message made."""
        calls: set[str] = set()
        for i, m in enumerate(self.messages):
            calls.update(call.id for call in m.tool_calls or ())
            if m.role == "tool" and m.tool_call_id not in calls:
                raise InvalidRequest(
                    f"messages[{i}] answers tool call '{m.tool_call_id}', which no earlier assistant message made",
                    param=f"messages[{i}].tool_call_id",
                )

    @property
    def constrained(self) -> bool:
        """Whether the answer is structured (functions or a JSON format) or scored
        (log-probabilities): such requests go to the model, never to the assistant's tools."""
        structured = self.response_format is not None and self.response_format.type != "text"
        return bool(self.tools) or structured or bool(self.logprobs) or self.has_tool_messages

    @property
    def has_tool_messages(self) -> bool:
        return any(m.tool_calls or m.role == "tool" for m in self.messages)

    def sampling(self, max_tokens: int) -> SamplingParams:
        params = super().sampling(max_tokens)
        if self.logprobs:
            params = dataclasses.replace(params, logprobs=self.top_logprobs or 0)
        return params

    def requested_max_tokens(self) -> int | None:
        return self.max_completion_tokens or self.max_tokens

    def _texts(self) -> list[tuple[str, str]]:
        own = [(m.text(), f"messages[{i}].content") for i, m in enumerate(self.messages)]
        for i, m in enumerate(self.messages):
            for call in m.tool_calls or ():
                own.append((call.function.name + call.function.arguments, f"messages[{i}].tool_calls"))
        for i, tool in enumerate(self.tools or ()):  # they are written into the prompt
            own.append((json.dumps(tool.function.model_dump(), ensure_ascii=False), f"tools[{i}]"))
        return own + super()._texts()

    def chat_messages(self) -> list[ChatMessage]:
        return [
            ChatMessage(
                role=m.role,
                content=m.text(),
                tool_calls=tuple(
                    ToolCall(c.id, c.function.name, c.function.arguments) for c in m.tool_calls or ()
                ),
                tool_call_id=m.tool_call_id,
            )
            for m in self.messages
        ]


class CompletionRequest(_SamplingRequest):
    prompt: StrictStr | list[StrictStr]
    echo: StrictBool = False
    suffix: StrictStr | None = None
    best_of: StrictInt | None = Field(default=None, ge=1, le=1)

    def check_supported(self) -> None:
        super().check_supported()
        if self.logprobs:
            raise InvalidRequest("logprobs are not supported", param="logprobs", code="unsupported_value")
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
