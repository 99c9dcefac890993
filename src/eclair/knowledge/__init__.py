"""Éclair's knowledge base: documents stored whole, passages with exact offsets, search.

:class:`~eclair.knowledge.base.KnowledgeBase` is the service (ingest, list, delete, search);
:mod:`~eclair.knowledge.evidence` and :mod:`~eclair.knowledge.claims` decide what a passage
supports, for :mod:`eclair.answer.grounded`.
"""
