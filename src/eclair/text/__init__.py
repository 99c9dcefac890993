"""Text facts every layer shares: folding and the calendar's words.

Neither :mod:`eclair.answer` nor :mod:`eclair.knowledge` is imported here, so both (and the
evaluation) can use these without importing each other.
"""
