"""A linear-time HTML tokenizer for the tag-stripping fallback of :mod:`eclair.knowledge.extract`.

Contract: :func:`html_events` turns any string into the events that the standard library's
``html.parser.HTMLParser`` (``convert_charrefs=True``) reports for it when it is fed whole
and closed: ``("start", tag)``, ``("end", tag)`` (a self-closing tag gives both) and
``("data", text)`` with character references decoded; tag names are lower case; comments,
declarations and processing instructions give nothing; the content of ``script`` and
``style`` is not reported. On well-formed pages the events are the same, and a construct
left open is read as text as the standard parser does; on broken markup they may differ
(a tag that holds a ``<`` ends at its first ``>``, even a quoted one).

Why not ``HTMLParser`` itself: on Python 3.11 it rescans the rest of the input for every
unterminated construct (``"<a" * n``, ``"<!--" * n``): 28 s for 256 KB, with the GIL held.
Here every scan stops at the next ``<`` or at its construct's terminator, and a search for
a terminator that lies further on (or nowhere) is remembered, so a whole pass reads the
text a bounded number of times: time is linear in its length, whatever it holds.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from typing import Literal

Event = tuple[Literal["start", "end", "data"], str]

# A start or end tag with HTMLParser's name rule. Attribute values may be quoted (a quoted
# ">" does not end the tag) but hold no "<", and an "=" before an unclosed quote is taken
# as a bare one, so the scan from one "<" never passes the next "<".
_TAG = re.compile(
    r"""<(?:(/)\s*+)?([a-zA-Z][^\t\n\r\f />\x00<]*+)"""
    r"""(?:[^<>"'=]|=\s*+"[^<"]*+"|=\s*+'[^<']*+'|=|["'])*+>"""
)
# A tag with a "<" inside ("<b<i>"): HTMLParser reads it up to the next ">".
_LOOSE_TAG = re.compile(r"<(?:(/)\s*+)?([a-zA-Z][^\t\n\r\f />\x00]*+)")
_COMMENT_CLOSE = re.compile(r"--\s*>")
# "<![CDATA[…]]>"; Microsoft's "<![if …]>", "<![endif]>" end at the first "]>"
_SECTION_CLOSE = re.compile(r"]\s*]\s*>")
_CONDITION_CLOSE = re.compile(r"]\s*>")
_CONDITION = re.compile(r"<!\[\s*(?:if|else|endif)\b", re.IGNORECASE)
_GREATER = re.compile(">")
_CDATA_ELEMENTS = ("script", "style")


class _Next:
    """Where the next match of ``pattern`` starts and ends, asked at positions that only
    grow: a search that found a match further on, or none at all, answers the following
    questions up to that match without searching again."""

    def __init__(self, text: str, pattern: re.Pattern[str]):
        self._text, self._pattern = text, pattern
        self._from = -1
        self._span: tuple[int, int] | None = None

    def __call__(self, pos: int) -> tuple[int, int] | None:
        if self._from < 0 or pos < self._from or (self._span is not None and pos > self._span[0]):
            m = self._pattern.search(self._text, pos)
            self._from, self._span = pos, (m.span() if m else None)
        return self._span


def html_events(source: str) -> Iterator[Event]:
    """The parser events of ``source`` (see module docstring)."""
    n = len(source)
    greater = _Next(source, _GREATER)
    comment_close = _Next(source, _COMMENT_CLOSE)
    section_close = _Next(source, _SECTION_CLOSE)
    condition_close = _Next(source, _CONDITION_CLOSE)
    i = 0
    while i < n:
        j = source.find("<", i)
        if j < 0:
            j = n
        if i < j:
            yield "data", html.unescape(source[i:j])
        if j == n:
            break
        # 1. the construct that starts at "<", and where it ends (-1: it is left open)
        after = source[j + 1 : j + 2]
        letter = after.isascii() and after.isalpha()
        end = -1
        tag = _tag(source, j, greater) if letter or after == "/" else None
        if tag is not None:
            closing, name, empty, end = tag
            if not closing:
                yield "start", name
            if closing or empty:
                yield "end", name
            elif name in _CDATA_ELEMENTS:
                # raw text up to its end tag; left open, the rest of the page is its content
                close = re.compile(rf"</\s*{name}\s*>", re.IGNORECASE).search(source, end)
                if close is None:
                    return
                yield "end", name
                end = close.end()
        elif letter:
            pass  # a start tag left open
        elif after in ("!", "?", "/"):
            if source.startswith("<!--", j):
                span = comment_close(j + 4)
            elif _CONDITION.match(source, j):
                span = condition_close(j + 3)
            elif source.startswith("<![", j):
                span = section_close(j + 3)
            else:  # <!DOCTYPE …>, <?xml …?>, a bogus "</ …>": up to the next ">"
                span = greater(j + 1)
            end = -1 if span is None else span[1]
        else:
            yield "data", "<"
            i = j + 1
            continue
        # 2. a construct left open is text up to the next ">" (or "<"), as HTMLParser reads it
        if end < 0:
            span = greater(j + 1)
            if span is not None:
                end = span[1]
            else:
                following = source.find("<", j + 1)
                end = following if following >= 0 else j + 1
            yield "data", html.unescape(source[j:end])
        i = end


def _tag(source: str, j: int, greater: _Next) -> tuple[bool, str, bool, int] | None:
    """(end tag?, name, self-closing?, where it ends) of the tag at ``j``, or None."""
    if m := _TAG.match(source, j):
        return bool(m[1]), m[2].lower(), not m[1] and _closes_itself(m[0]), m.end()
    span = greater(j + 1)
    # with no ">" ahead no tag can end: not even looking keeps "<a<a<a…" linear
    loose = None if span is None else _LOOSE_TAG.match(source, j)
    if span is None or loose is None:
        return None
    closing, end = bool(loose[1]), span[1]
    return closing, loose[2].lower(), not closing and _closes_itself(source[j:end]), end


def _closes_itself(tag: str) -> bool:
    """Whether a start tag closes itself ("<br/>", '<img src="x"/>'), as HTMLParser reads it:
    not when the "/" ends an unquoted attribute value ("<a href=/x/>")."""
    if not tag.endswith("/>"):
        return False
    body = tag[:-2]
    if body[-1].isspace() or body[-1] in "\"'":
        return True
    return "=" not in body.rsplit(maxsplit=1)[-1]
