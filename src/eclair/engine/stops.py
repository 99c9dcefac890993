"""Stop strings across token boundaries.

:class:`StopMatcher` receives decoded text piece by piece and returns what may be shown.
Text that could still turn out to be the start of a stop string is held back until the
next piece decides; the stop string itself, and anything after it, is never emitted.
"""

from __future__ import annotations

from collections.abc import Sequence


class StopMatcher:
    __slots__ = ("_pending", "_stops", "stopped")

    def __init__(self, stops: Sequence[str]):
        self._stops = tuple(s for s in stops if s)
        self._pending = ""
        self.stopped = False

    def feed(self, piece: str) -> str:
        """Add decoded text; return the part that is now safe to emit."""
        if self.stopped:
            return ""
        if not self._stops:
            return piece
        text = self._pending + piece
        cut = min((i for i in (text.find(s) for s in self._stops) if i >= 0), default=-1)
        if cut >= 0:
            self.stopped = True
            self._pending = ""
            return text[:cut]
        hold = self._held_suffix_length(text)
        self._pending = text[len(text) - hold :] if hold else ""
        return text[: len(text) - hold]

    def flush(self) -> str:
        """At the end of generation, release text that was held back."""
        out, self._pending = ("" if self.stopped else self._pending), ""
        return out

    def _held_suffix_length(self, text: str) -> int:
        """Length of the longest suffix of ``text`` that is a proper prefix of a stop string."""
        best = 0
        for stop in self._stops:
            for n in range(min(len(stop) - 1, len(text)), best, -1):
                if text.endswith(stop[:n]):
                    best = n
                    break
        return best
