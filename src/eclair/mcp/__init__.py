"""MCP (Model Context Protocol), both ways: a client of the servers an administrator lists in
``mcp.json`` (:mod:`eclair.mcp.config`, :mod:`eclair.mcp.client`), whose tools the models may
call with the user's approval (:mod:`eclair.agent`), and ``eclair mcp``, which serves Éclair's
own tools to other assistants (:mod:`eclair.mcp.server`).
"""
