"""Answers that use tools: the loop that lets a model call MCP tools (:mod:`eclair.agent.loop`),
the user's approval of every call (:mod:`eclair.agent.approval`), the seam a model implements
(:mod:`eclair.agent.protocol`) and model turns whose calls are read from text (:mod:`eclair.agent.turn`).

Above the MCP client and the store, below the API: it never imports FastAPI.
"""
