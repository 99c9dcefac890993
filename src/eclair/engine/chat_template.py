"""Chat templates from GGUF metadata, rendered in a sandbox.

A GGUF file carries its chat template (``tokenizer.chat_template``) as Jinja2 source written
by whoever published the file. Rendering it with a plain Jinja2 environment lets a malicious
template execute code on the server (CVE-2024-34359, "Llama Drama"). Templates here are
compiled and rendered only in :class:`jinja2.sandbox.ImmutableSandboxedEnvironment`, which
refuses attribute access to internals (``__class__``, ``__globals__`` …) and mutation of
values; any such attempt raises :class:`ChatTemplateError` and nothing runs.

Templates see what Hugging Face's ``apply_chat_template`` gives them, so that a model's own
template renders here as it was written and tested: ``messages``, ``add_generation_prompt``,
``bos_token``, ``eos_token``, ``tools`` (the request's functions for a template that declares
a tool format, :mod:`eclair.engine.tool_format`; else None: Llama 3.1's template tests
``tools is not none``), ``documents`` (None), ``raise_exception``, ``strftime_now``, the loop controls
(``{% break %}``), and ``trim_blocks``/``lstrip_blocks``.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Mapping, Sequence
from typing import Any, NoReturn

import jinja2
from jinja2.sandbox import ImmutableSandboxedEnvironment

from eclair.engine.protocol import ChatMessage
from eclair.engine.tool_format import GENERIC, ToolFormat, detect, template_payload
from eclair.errors import ConfigurationError, InvalidRequest

# Used when a model file has no template: ChatML, which SmolLM2 and many others use.
CHATML_TEMPLATE = (
    "{% for message in messages %}"
    "{{ '<|im_start|>' + message['role'] + '\n' + message['content'] + '<|im_end|>' + '\n' }}"
    "{% endfor %}"
    "{% if add_generation_prompt %}{{ '<|im_start|>assistant\n' }}{% endif %}"
)


class ChatTemplateError(ConfigurationError):
    """The model's chat template is broken or tried something unsafe. Seen by the operator."""


class _TemplateRaised(Exception):
    """A template's own ``raise_exception(...)``: it rejects the conversation, not the server."""


def _raise_exception(message: str) -> NoReturn:
    raise _TemplateRaised(message)


def _strftime_now(fmt: str) -> str:
    return _dt.datetime.now().strftime(fmt)


class ChatTemplate:
    """A compiled, sandboxed chat template."""

    def __init__(self, source: str, *, bos_token: str = "", eos_token: str = ""):
        self.source = source
        self.bos_token = bos_token
        self.eos_token = eos_token
        env = ImmutableSandboxedEnvironment(
            trim_blocks=True, lstrip_blocks=True, extensions=["jinja2.ext.loopcontrols"]
        )
        env.globals["raise_exception"] = _raise_exception
        env.globals["strftime_now"] = _strftime_now
        try:
            self._template = env.from_string(source)
        except jinja2.TemplateError as exc:
            raise ChatTemplateError(f"the model's chat template does not compile: {exc}") from exc

    @property
    def tool_format(self) -> ToolFormat:
        """How this template offers tools: its own format, or the generic one."""
        return detect(self.source)

    def render(
        self,
        messages: Sequence[ChatMessage],
        *,
        add_generation_prompt: bool = True,
        tools: Sequence[Mapping[str, Any]] | None = None,
    ) -> str:
        """``tools`` (OpenAI definitions) reach the template only when it declares a format;
        otherwise, and for templates that render calls and results as plain text, the
        conversation is rewritten in the generic format first."""
        native = self.tool_format.native
        if not native and (tools or any(m.tool_calls or m.role == "tool" for m in messages)):
            messages = GENERIC.rewrite(messages, tools)
        payload: list[dict[str, Any]] = [template_payload(m) for m in messages]
        try:
            return self._template.render(
                messages=payload,
                add_generation_prompt=add_generation_prompt,
                bos_token=self.bos_token,
                eos_token=self.eos_token,
                tools=list(tools) if tools and native else None,
                documents=None,
            )
        except _TemplateRaised as exc:
            raise InvalidRequest(
                f"the model's chat template rejected the conversation: {exc}", param="messages"
            ) from exc
        except jinja2.exceptions.SecurityError as exc:
            raise ChatTemplateError(f"the model's chat template tried an unsafe operation: {exc}") from exc
        except (jinja2.TemplateError, TypeError, ValueError) as exc:
            raise ChatTemplateError(f"the model's chat template failed: {exc}") from exc
