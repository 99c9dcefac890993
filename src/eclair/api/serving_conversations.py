"""The conversation service behind the web page: stored history in, streamed answer out.

Contract:
- Every method takes the calling :class:`~eclair.store.User`; another user's conversation or
  message is :class:`~eclair.errors.NotFound` (404), exactly like one that does not exist.
- :meth:`ConversationService.send` validates everything (conversation, model, context length,
  queue) *before* storing anything; then it stores the user's turn and an empty ``streaming``
  answer in one transaction (both durable before the first token), and returns the SSE stream.
- The stream is ``data: {json}`` frames with a ``type``:
  ``start`` (``conversation``, ``user_message``, ``assistant_message``, ``model``),
  ``delta`` (``text``), ``tool`` (``event``: ``call``, ``approval`` with the ``approval_id``
  to answer at ``POST /api/tool-approvals/{id}``, or ``result``; ``call``: the call's audit
  record), ``error`` (``error``: the OpenAI error object), then always
  ``done`` (``message``: the stored answer with its ``eclair`` object). No ``[DONE]`` sentinel.
- When the stream ends the answer is stored with its ``eclair`` metadata (route, citations,
  timing, usage, energy when the pipeline provides it) and status ``complete``; ``error`` if
  generation failed; ``interrupted`` if the client went away (stop button) or the engine
  cancelled, with the text produced so far. That final write runs even while the request is
  being cancelled.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import AsyncIterator, Callable
from typing import Any

import anyio
from starlette.concurrency import run_in_threadpool

from eclair.agent.loop import ToolContext
from eclair.agent.protocol import ToolEvent
from eclair.answer.types import AnswerStream
from eclair.api.app_protocol import ConversationDetail, ConversationOut, FeedbackOut, MessageOut
from eclair.api.protocol import ChatCompletionRequest, ChatMessageIn
from eclair.api.serving_base import Timing, eclair_object, error_payload, guarded, sse
from eclair.api.serving_chat import ChatService
from eclair.api.serving_tools import ToolAnswers
from eclair.engine.protocol import Finished, TextDelta
from eclair.errors import EclairError, InvalidRequest, NotFound, StorageError
from eclair.knowledge.base import KnowledgeBase
from eclair.store import Conversation, Message, MessageStatus, Store, User

logger = logging.getLogger(__name__)

TITLE_CHARS = 60


def title_from(text: str) -> str:
    line = " ".join(text.split())
    return line if len(line) <= TITLE_CHARS else line[: TITLE_CHARS - 1].rstrip() + "…"


def _history(messages: list[Message]) -> list[ChatMessageIn]:
    """The turns a model should see: failed and empty answers are left out."""
    turns = []
    for message in messages:
        if message.role == "assistant" and (message.status in ("error", "streaming") or not message.content):
            continue
        turns.append(ChatMessageIn(role=message.role, content=message.content))
    return turns


def _instructions(user: User) -> str:
    """The user's custom instructions (``settings["preferences"]["instructions"]``), or ""."""
    preferences = user.settings.get("preferences") if isinstance(user.settings, dict) else None
    text = preferences.get("instructions") if isinstance(preferences, dict) else None
    return text.strip() if isinstance(text, str) else ""


def _json(model: Any) -> dict[str, Any]:
    data: dict[str, Any] = model.model_dump(mode="json")
    return data


class ConversationService:
    """``chat`` is looked up on each use (``chat_of()``), so a chat service built or replaced
    later in the app's start-up (the answer pipeline) is the one answering."""

    def __init__(
        self,
        store: Store,
        chat_of: Callable[[], ChatService],
        tools: ToolAnswers | None = None,
        knowledge_of: Callable[[], KnowledgeBase | None] | None = None,
    ):
        self.store = store
        self._chat_of = chat_of
        self.tools = tools  # MCP tools with the user's approval (None: no tool loop)
        self._knowledge_of = knowledge_of

    @property
    def chat(self) -> ChatService:
        return self._chat_of()

    # -- reads and simple writes -----------------------------------------------------------

    def default_model(self) -> str:
        return self.chat.model_ids()[0]

    def models(self) -> list[str]:
        """The web page's model picker: every served model, installed ones included."""
        return self.chat.model_ids(refresh=True)

    async def find(
        self, user: User, query: str | None = None, limit: int = 200, *, archived: bool = False
    ) -> list[Conversation]:
        return await run_in_threadpool(
            lambda: self.store.conversations.find(user.id, query=query, limit=limit, archived=archived)
        )

    async def get(self, user: User, conversation_id: str) -> Conversation:
        found = await run_in_threadpool(self.store.conversations.get, user.id, conversation_id)
        if found is None:
            raise NotFound(f"no conversation '{conversation_id}'", param="conversation_id")
        return found

    async def messages(self, user: User, conversation_id: str) -> list[Message]:
        await self.get(user, conversation_id)
        return await run_in_threadpool(self.store.conversations.messages, user.id, conversation_id)

    async def detail(self, user: User, conversation_id: str) -> ConversationDetail:
        """The conversation with its live messages, their version counts and the user's feedback."""
        conversation = await self.get(user, conversation_id)

        def read() -> ConversationDetail:
            messages = self.store.conversations.messages(user.id, conversation_id)
            counts = self.store.versions.counts(user.id, conversation_id)
            rated = {
                f.message_id: FeedbackOut(rating=f.rating, comment=f.comment)
                for f in self.store.feedback.of_conversation(user.id, conversation_id)
            }
            return ConversationDetail(
                **ConversationOut.from_domain(conversation).model_dump(),
                messages=[
                    MessageOut.from_domain(m, versions=counts.get(m.seq, 1), feedback=rated.get(m.id))
                    for m in messages
                ],
            )

        return await run_in_threadpool(read)

    async def select_version(
        self, user: User, conversation_id: str, seq: int, number: int
    ) -> ConversationDetail:
        """Bring back version ``number`` of the branch at ``seq`` (the live one is shelved)."""
        await self.get(user, conversation_id)
        if not await run_in_threadpool(self.store.versions.select, user.id, conversation_id, seq, number):
            raise NotFound(f"no version {number} at position {seq}", param="number")
        return await self.detail(user, conversation_id)

    async def shelved(self, user: User, conversation_id: str) -> list[dict[str, Any]]:
        await self.get(user, conversation_id)
        return await run_in_threadpool(self.store.versions.shelved, user.id, conversation_id)

    async def rate(
        self, user: User, conversation_id: str, message_id: str, rating: int, comment: str
    ) -> FeedbackOut:
        await self.get(user, conversation_id)
        rated = await run_in_threadpool(
            lambda: self.store.feedback.rate(user.id, message_id, rating=rating, comment=comment)
        )
        if rated is None or rated.conversation_id != conversation_id:
            raise NotFound(f"no answer '{message_id}' in this conversation", param="message_id")
        return FeedbackOut(rating=rated.rating, comment=rated.comment)

    async def create(self, user: User, *, title: str = "", model: str | None = None) -> Conversation:
        if model is not None:
            self.chat.resolve_model(model)
        return await run_in_threadpool(
            lambda: self.store.conversations.create(user.id, title=title.strip(), model=model)
        )

    async def update(
        self,
        user: User,
        conversation_id: str,
        *,
        title: str | None = None,
        model: str | None = None,
        pinned: bool | None = None,
        archived: bool | None = None,
        documents: list[str] | None = None,
    ) -> Conversation:
        if model is not None:
            self.chat.resolve_model(model)
        if documents:
            await self._check_documents(user, documents)
        updated = await run_in_threadpool(
            lambda: self.store.conversations.update(
                user.id,
                conversation_id,
                title=None if title is None else title.strip(),
                model=model,
                pinned=pinned,
                archived=archived,
                documents=documents,
            )
        )
        if updated is None:
            raise NotFound(f"no conversation '{conversation_id}'", param="conversation_id")
        return updated

    async def _check_documents(self, user: User, documents: list[str]) -> None:
        """Only documents the caller can read may be attached (404 otherwise, as for others' ids)."""
        knowledge = self._knowledge_of() if self._knowledge_of is not None else None
        if knowledge is None:
            raise InvalidRequest("documents are not available on this server", param="documents")
        visible = {d.id for d in await knowledge.list_documents(user.id)}
        unknown = [d for d in documents if d not in visible]
        if unknown:
            raise NotFound(f"no document '{unknown[0]}'", param="documents")

    async def delete(self, user: User, conversation_id: str) -> None:
        if not await run_in_threadpool(self.store.conversations.delete, user.id, conversation_id):
            raise NotFound(f"no conversation '{conversation_id}'", param="conversation_id")

    # -- answering -------------------------------------------------------------------------

    async def _start(
        self, user: User, conversation: Conversation, turns: list[ChatMessageIn], model: str | None
    ) -> tuple[str, AnswerStream, ToolContext | None]:
        if not turns or turns[-1].role != "user":
            raise InvalidRequest("there is no question to answer in this conversation", param="content")
        instructions = _instructions(user)
        if instructions:  # the user's custom instructions: the conversation's system message
            turns = [ChatMessageIn(role="system", content=instructions), *turns]
        request = ChatCompletionRequest(
            model=model or conversation.model or self.default_model(), messages=turns, stream=True
        )
        if self.tools is not None:
            request.check_supported()
            served = self.chat.resolve_model(request.model)
            with_tools = await self.tools.start(user.id, conversation.id, served, turns)
            if with_tools is not None:
                return served, *with_tools
        scope = await self._scope(user, conversation)
        served, answer = await self.chat.answer(request, user_id=user.id, documents=scope)
        return served, answer, None

    async def _scope(self, user: User, conversation: Conversation) -> list[str] | None:
        """The documents a conversation answers from: its attached files that still exist, or
        None (all of the user's documents) when none is attached or all were deleted."""
        knowledge = self._knowledge_of() if self._knowledge_of is not None else None
        if not conversation.documents or knowledge is None:
            return None
        visible = {d.id for d in await knowledge.list_documents(user.id)}
        kept = [d for d in conversation.documents if d in visible]
        return kept or None

    async def send(
        self,
        user: User,
        conversation_id: str,
        content: str,
        *,
        model: str | None = None,
        edit_of: str | None = None,
    ) -> AsyncIterator[str]:
        """Store a user message (optionally replacing an earlier one) and stream the answer."""
        conversation = await self.get(user, conversation_id)
        history = await run_in_threadpool(self.store.conversations.messages, user.id, conversation_id)
        cut: int | None = None
        if edit_of is not None:
            edited = next((m for m in history if m.id == edit_of and m.role == "user"), None)
            if edited is None:
                raise NotFound(f"no user message '{edit_of}' in this conversation", param="edit_of")
            cut = edited.seq
            history = [m for m in history if m.seq < cut]
        turns = [*_history(history), ChatMessageIn(role="user", content=content)]
        served_model, answer, tool_context = await self._start(user, conversation, turns, model)

        def store_turn() -> tuple[Message, Message] | None:
            # an edit shelves the question it replaces, with what followed, as a version
            return self.store.conversations.add_turn(
                user.id, conversation_id, content=content, model=served_model, replace_from=cut
            )

        stored = await self._admit(answer, store_turn)
        asked, placeholder = stored
        if tool_context is not None:
            tool_context.message_id = placeholder.id  # the audit trail names the answer
        if not conversation.title:
            conversation = await self.update(user, conversation_id, title=title_from(content))
        return self._stream(user, conversation, served_model, answer, placeholder, asked)

    async def regenerate(
        self, user: User, conversation_id: str, *, model: str | None = None
    ) -> AsyncIterator[str]:
        """Answer the last user message again; the previous answer is kept as a version."""
        conversation = await self.get(user, conversation_id)
        history = await run_in_threadpool(self.store.conversations.messages, user.id, conversation_id)
        last_user = max((m.seq for m in history if m.role == "user"), default=None)
        if last_user is None:
            raise InvalidRequest("there is no question to answer in this conversation")
        kept = [m for m in history if m.seq <= last_user]
        served_model, answer, tool_context = await self._start(user, conversation, _history(kept), model)

        def store_placeholder() -> tuple[None, Message] | None:
            # the answer being replaced is shelved as a version (‹ n/m › on the page)
            placeholder = self.store.conversations.start_answer(
                user.id, conversation_id, model=served_model, replace_from=last_user + 1
            )
            return None if placeholder is None else (None, placeholder)

        _, placeholder = await self._admit(answer, store_placeholder)
        if tool_context is not None:
            tool_context.message_id = placeholder.id
        return self._stream(user, conversation, served_model, answer, placeholder, None)

    async def _admit(self, answer: AnswerStream, store: Any) -> Any:
        try:
            stored = await run_in_threadpool(store)
        except BaseException:
            await _close(answer)
            raise
        if stored is None:  # the conversation was deleted meanwhile
            await _close(answer)
            raise NotFound("the conversation no longer exists", param="conversation_id")
        return stored

    async def _stream(
        self,
        user: User,
        conversation: Conversation,
        model: str,
        answer: AnswerStream,
        placeholder: Message,
        asked: Message | None,
    ) -> AsyncIterator[str]:
        yield sse(
            {
                "type": "start",
                "model": model,
                "conversation": _json(ConversationOut.from_domain(conversation)),
                "user_message": None if asked is None else _json(MessageOut.from_domain(asked)),
                "assistant_message": _json(MessageOut.from_domain(placeholder)),
            }
        )
        timing = Timing()
        parts: list[str] = []
        finished: Finished | None = None
        failed: EclairError | None = None
        saved: Message | None = None
        recorded = False
        try:
            async for event in guarded(answer.events):
                if isinstance(event, TextDelta):
                    timing.on_delta(event)
                    if event.text:
                        parts.append(event.text)
                        yield sse({"type": "delta", "text": event.text})
                elif isinstance(event, Finished):
                    finished = event
                    timing.on_finish(event)
                elif isinstance(event, EclairError):
                    failed = event
                    yield sse({"type": "error", **error_payload(event)})
                elif isinstance(event, ToolEvent):  # a tool call made, awaiting approval, or done
                    yield sse({"type": "tool", **event.to_json()})
            recorded = True
            saved = await self._save(user, placeholder, answer, timing, parts, finished, failed)
            if saved is None:  # the text was shown: say it was not kept, and send it back as shown
                lost = StorageError("the answer could not be saved; it is shown but not kept")
                yield sse({"type": "error", **error_payload(lost)})
                saved = dataclasses.replace(placeholder, content="".join(parts), status="error")
            yield sse({"type": "done", "message": _json(MessageOut.from_domain(saved))})
        finally:
            if not recorded:  # the client went away: keep what was said, marked interrupted
                with anyio.CancelScope(shield=True):
                    await self._save(user, placeholder, answer, timing, parts, finished, failed, stopped=True)

    async def _save(
        self,
        user: User,
        placeholder: Message,
        answer: AnswerStream,
        timing: Timing,
        parts: list[str],
        finished: Finished | None,
        failed: EclairError | None,
        *,
        stopped: bool = False,
    ) -> Message | None:
        status: MessageStatus = "complete"
        if failed is not None:
            status = "error"
        elif stopped or finished is None or finished.finish_reason == "cancelled":
            status = "interrupted"
        eclair = eclair_object(answer.info, timing)
        if finished is not None:
            eclair["finish_reason"] = finished.finish_reason
        energy = eclair.get("energy") if isinstance(eclair.get("energy"), dict) else None
        try:
            return await run_in_threadpool(
                lambda: self.store.conversations.finish_message(
                    user.id,
                    placeholder.id,
                    content="".join(parts),
                    status=status,
                    eclair=eclair,
                    prompt_tokens=None if finished is None else finished.usage.prompt_tokens,
                    completion_tokens=None if finished is None else finished.usage.completion_tokens,
                    energy_wh=None if energy is None else energy.get("wh"),
                    gco2e=None if energy is None else energy.get("gco2e"),
                )
            )
        except Exception:
            logger.exception("could not store the answer %s", placeholder.id)
            return None


async def _close(answer: AnswerStream) -> None:
    aclose = getattr(answer.events, "aclose", None)
    if aclose is not None:
        await aclose()
