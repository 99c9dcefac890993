"""Who may let a tool run: the approval policy and the broker that asks the user.

Contract:
- A request runs under one :data:`Policy`: ``ask`` (the web app: every call waits for the
  user's decision), ``allow`` (calls run without asking) or ``deny`` (no call runs).
- Under ``ask`` a call runs at once only if the user allowed that very tool "always" before
  (a grant per user and per tool function name, kept in the store); otherwise
  :meth:`ApprovalBroker.open` creates a :class:`PendingApproval` and :meth:`ApprovalBroker.wait`
  waits for :meth:`ApprovalBroker.decide` (``once``, ``always`` or ``deny``), for at most
  ``wait_s``: then it is denied (``timeout``). A cancelled wait (the user stopped the answer)
  is denied too. ``always`` grants that tool only, for that user only.
- Nothing here runs a tool: the loop (:mod:`eclair.agent.loop`) calls only after a verdict
  that allows it.
- :func:`api_policy` reads ``eclair.tool_approval`` of an API request: ``deny`` by default;
  ``ask`` is refused (no one can answer over plain HTTP); ``allow`` only when the operator
  set ``tool_approval_api_allow``.
"""

from __future__ import annotations

import asyncio
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal

from eclair.errors import InvalidRequest, NotFound, PermissionDenied
from eclair.store.types import ToolDecision

Policy = Literal["ask", "allow", "deny"]
UserDecision = Literal["once", "always", "deny"]
USER_DECISIONS: tuple[UserDecision, ...] = ("once", "always", "deny")


@dataclass(frozen=True, slots=True)
class Verdict:
    allowed: bool
    decision: ToolDecision


@dataclass(slots=True)
class PendingApproval:
    id: str
    user_id: str
    conversation_id: str | None
    tool: str
    server: str
    arguments: dict[str, Any]
    call_id: str | None
    created_at: float = field(default_factory=time.time)
    decision: UserDecision | None = None
    # (an Event binds to the running loop on first wait, so approvals can be opened anywhere)
    decided: asyncio.Event = field(default_factory=asyncio.Event)

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "tool": self.tool,
            "server": self.server,
            "arguments": self.arguments,
            "conversation_id": self.conversation_id,
            "call_id": self.call_id,
            "created_at": int(self.created_at),
        }


class ApprovalBroker:
    """Pending approvals of this process, and the grants in the store.

    ``granted(user_id, tool)`` and ``grant(user_id, tool)`` are blocking store calls (run in a
    worker thread here)."""

    def __init__(
        self,
        *,
        granted: Callable[[str, str], bool],
        grant: Callable[[str, str], None],
        wait_s: float = 300.0,
    ):
        self._granted = granted
        self._grant = grant
        self.wait_s = wait_s
        self._pending: dict[str, PendingApproval] = {}

    async def check(self, policy: Policy, user_id: str | None, tool: str) -> Verdict | None:
        """The verdict when no one needs asking; None when the user must decide."""
        if policy == "deny":
            return Verdict(False, "deny")
        if policy == "allow":
            return Verdict(True, "allow")
        if user_id is None:  # nobody to ask
            return Verdict(False, "deny")
        if await asyncio.to_thread(self._granted, user_id, tool):
            return Verdict(True, "always")
        return None

    def open(
        self,
        *,
        user_id: str,
        conversation_id: str | None,
        tool: str,
        server: str,
        arguments: dict[str, Any],
        call_id: str | None,
    ) -> PendingApproval:
        pending = PendingApproval(
            id=f"appr_{secrets.token_hex(12)}",
            user_id=user_id,
            conversation_id=conversation_id,
            tool=tool,
            server=server,
            arguments=arguments,
            call_id=call_id,
        )
        self._pending[pending.id] = pending
        return pending

    async def wait(self, pending: PendingApproval) -> Verdict:
        try:
            await asyncio.wait_for(pending.decided.wait(), self.wait_s)
        except TimeoutError:
            return Verdict(False, "timeout")
        finally:
            self._pending.pop(pending.id, None)
        decision = pending.decision
        if decision is None or decision == "deny":
            return Verdict(False, "deny")
        if decision == "always":
            await asyncio.to_thread(self._grant, pending.user_id, pending.tool)
        return Verdict(True, decision)

    def pending(self, user_id: str) -> list[PendingApproval]:
        return [p for p in self._pending.values() if p.user_id == user_id]

    def decide(self, user_id: str, approval_id: str, decision: str) -> PendingApproval:
        """Answer a pending approval of ``user_id``; another user's id is not found (404)."""
        if decision not in USER_DECISIONS:
            raise InvalidRequest(
                f"decision must be one of {', '.join(USER_DECISIONS)}", param="decision", code="invalid_value"
            )
        pending = self._pending.get(approval_id)
        if pending is None or pending.user_id != user_id or pending.decided.is_set():
            raise NotFound(f"no pending tool approval '{approval_id}'", code="approval_not_found")
        pending.decision = decision  # type: ignore[assignment]
        pending.decided.set()
        return pending


def api_policy(value: Any, *, allow_permitted: bool) -> Policy:
    """The policy an API request asks for with ``eclair.tool_approval``."""
    if value is None or value == "deny":
        return "deny"
    if value == "ask":
        raise InvalidRequest(
            "tool_approval 'ask' needs someone to answer: use the web app, or 'deny'",
            param="eclair.tool_approval",
            code="unsupported_value",
        )
    if value == "allow":
        if not allow_permitted:
            raise PermissionDenied(
                "this server does not let API clients run tools without approval "
                "(the operator setting tool_approval_api_allow is off)",
                code="tool_approval_not_allowed",
            )
        return "allow"
    raise InvalidRequest(
        "tool_approval must be 'deny' or 'allow'", param="eclair.tool_approval", code="invalid_value"
    )
