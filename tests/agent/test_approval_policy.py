"""The approval policy an API request asks for (``eclair.tool_approval``)."""

from __future__ import annotations

import pytest

from eclair.agent.approval import api_policy
from eclair.errors import InvalidRequest, PermissionDenied


def test_api_policy() -> None:
    assert api_policy(None, allow_permitted=False) == "deny"
    assert api_policy("deny", allow_permitted=True) == "deny"
    assert api_policy("allow", allow_permitted=True) == "allow"
    with pytest.raises(PermissionDenied):
        api_policy("allow", allow_permitted=False)
    with pytest.raises(InvalidRequest) as ask:
        api_policy("ask", allow_permitted=True)
    assert ask.value.status == 400 and ask.value.param == "eclair.tool_approval"
    with pytest.raises(InvalidRequest):
        api_policy("sometimes", allow_permitted=True)
