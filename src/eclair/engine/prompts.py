"""Prompts that remember where they came from, for backends that do not render them.

A local backend runs the model here: it renders a chat with the model's template and feeds
token ids to the model. A remote OpenAI-compatible server renders chats itself and counts
its own tokens, so a backend that forwards requests needs the *messages* (or at least the
*text*), not our rendering of them nor our token ids.

:attr:`GenerationRequest.messages <eclair.engine.protocol.GenerationRequest.messages>` is the
explicit way to pass them. For callers that only know the generic seam
(``GenerationRequest(prompt=engine.render_chat(messages))`` or
``GenerationRequest(prompt=engine.tokenize(text))``), backends that forward requests return
:class:`RenderedChat` from ``render_chat`` and :class:`TextTokens` from ``tokenize``: a
``str`` and a ``list[int]`` like any other, which also carry the messages or the text.
:func:`chat_messages` and :func:`prompt_text` recover them from any request.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from eclair.engine.protocol import ChatMessage, GenerationRequest


class RenderedChat(str):
    """A rendered chat (a plain ``str`` to every reader) that keeps its messages."""

    messages: tuple[ChatMessage, ...]

    def __new__(cls, text: str, messages: Iterable[ChatMessage]) -> RenderedChat:
        rendered = super().__new__(cls, text)
        rendered.messages = tuple(messages)
        return rendered

    def __reduce__(self) -> tuple[type[RenderedChat], tuple[str, tuple[ChatMessage, ...]]]:
        return RenderedChat, (str(self), self.messages)


class TextTokens(list[int]):
    """Token ids (a plain ``list[int]`` to every reader) that keep the text they encode.

    Forwarding backends may return *estimated* ids (the right count, placeholder values):
    the text is what they send.
    """

    def __init__(self, ids: Iterable[int], text: str):
        super().__init__(ids)
        self.text = text

    def __reduce__(self) -> tuple[type[TextTokens], tuple[list[int], str]]:
        return TextTokens, (list(self), self.text)


def chat_messages(request: GenerationRequest) -> Sequence[ChatMessage] | None:
    """The conversation behind ``request``, if it came from a chat."""
    if request.messages is not None:
        return request.messages
    prompt = request.prompt
    if isinstance(prompt, TextTokens):
        prompt = prompt.text
    if isinstance(prompt, RenderedChat):
        return prompt.messages
    return None


def prompt_text(request: GenerationRequest) -> str | None:
    """The prompt as text, when it is text or ids that remember their text."""
    prompt = request.prompt
    if isinstance(prompt, TextTokens):
        prompt = prompt.text
    return str(prompt) if isinstance(prompt, str) else None


def chatml(messages: Sequence[ChatMessage]) -> str:
    """A neutral rendering (ChatML) for forwarding backends: used to estimate the prompt's
    size, and sent as a raw completion only if the messages were somehow lost."""
    parts = [f"<|im_start|>{m.role}\n{m.content}<|im_end|>\n" for m in messages]
    return "".join(parts) + "<|im_start|>assistant\n"
