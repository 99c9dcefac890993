"""The language of a conversation: its last user turn's, read by :mod:`eclair.text.language`.

Contract: :func:`conversation_language` returns ``"fr"`` or ``"en"`` for the last user turn,
with the earlier user turns' language as the default, so a bare expression in a French
conversation is answered in French. :func:`detect_language` and :data:`Lang` are re-exported.
"""

from __future__ import annotations

from collections.abc import Sequence

from eclair.engine.protocol import ChatMessage
from eclair.text.language import LANGUAGE_SAMPLE_CHARS, Lang, detect_language, language_scores

__all__ = ["LANGUAGE_SAMPLE_CHARS", "Lang", "conversation_language", "detect_language", "language_scores"]


def conversation_language(messages: Sequence[ChatMessage], default: Lang = "en") -> Lang:
    """The language of the last user turn, falling back on earlier user turns."""
    lang: Lang = default
    for message in messages:
        if message.role == "user":
            lang = detect_language(message.content, lang)
    return lang
