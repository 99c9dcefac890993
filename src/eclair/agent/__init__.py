"""Answers that use tools: the loop that lets a model call MCP tools (:mod:`eclair.agent.loop`),
the user's approval of every call (:mod:`eclair.agent.approval`), the seam a model implements
(:mod:`eclair.agent.protocol`) and tool calls read from plain text (:mod:`eclair.agent.textcalls`).

Above the MCP client and the store, below the API: it never imports FastAPI.
"""
