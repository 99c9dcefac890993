"""Accounts: who is calling, and proof of it (passwords, sessions, API keys, CSRF).

:class:`~eclair.accounts.service.Accounts` is the service; :mod:`eclair.accounts.cli` the
``eclair users`` commands. Nothing here imports FastAPI.
"""
