"""The linear HTML tokenizer reads a page as the standard library's parser does (issue 16).

:mod:`eclair.knowledge.htmlscan` replaced ``html.parser.HTMLParser`` in the tag-stripping
fallback because the latter is quadratic on unterminated tags; on well-formed pages the two
must report the same tags and the same text.
"""

from __future__ import annotations

from html.parser import HTMLParser

from hypothesis import given, settings
from hypothesis import strategies as st

from eclair.knowledge.extract import _strip_tags
from eclair.knowledge.htmlscan import Event, html_events


class _Reference(HTMLParser):
    """The standard parser's events, in :func:`html_events`' terms."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.events: list[Event] = []
        self._raw = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.events.append(("start", tag))
        self._raw = tag in ("script", "style")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.events += [("start", tag), ("end", tag)]

    def handle_endtag(self, tag: str) -> None:
        self.events.append(("end", tag))
        self._raw = False

    def handle_data(self, data: str) -> None:
        if not self._raw:  # a script's or a style's content is not reported
            self.events.append(("data", data))


def reference(source: str) -> list[Event]:
    parser = _Reference()
    parser.feed(source)
    parser.close()
    return merged(parser.events)


def merged(events: list[Event]) -> list[Event]:
    """Adjacent text joined: where a text is cut in pieces is not part of the contract."""
    out: list[Event] = []
    for kind, value in events:
        if kind == "data" and out and out[-1][0] == "data":
            out[-1] = ("data", out[-1][1] + value)
        else:
            out.append((kind, value))
    return out


# Text with the characters a tag reader could trip on (escaped or spaced "<", quotes, ">").
PIECES = (
    "a", "b", "é", " ", "\n", ", ", ". ", "?", "&amp;", "&lt;", "&#233;", "&eacute;", " < ", ">", "'", '"',
)  # fmt: skip
MARKUP = (
    "<br>", "<br/>", '<img src="x.png"/>', "<!-- a < b -->", "<!---->", "<![CDATA[x < y]]>",
    "<script>if (a < b && c > d) { x = '</p>'; }</script>", "<style>p > a { color: red }</style>",
    "<?xml version='1.0'?>", "<hr />",
)  # fmt: skip
TEXT = st.lists(st.sampled_from(PIECES), max_size=8).map("".join)
ATTRIBUTES = st.sampled_from(
    ["", ' class="x"', " id='a>b'", ' data-x="1 > 0"', " hidden", " href=/a/b", ' title="x y"', " CLASS=Y"]
)
LEAVES = st.one_of(TEXT, st.sampled_from(MARKUP))
TAGS = st.sampled_from(
    ["p", "div", "span", "b", "li", "h1", "title", "a", "td", "svg", "noscript", "P", "Div"]
)


def element(parts: tuple[str, str, list[str]]) -> str:
    tag, attributes, children = parts
    return f"<{tag}{attributes}>{''.join(children)}</{tag}>"


PAGES = st.recursive(
    LEAVES,
    lambda children: st.tuples(TAGS, ATTRIBUTES, st.lists(children, max_size=4)).map(element),
    max_leaves=20,
)


@settings(max_examples=300, deadline=None, derandomize=True, database=None)
@given(body=st.lists(PAGES, max_size=4).map("".join), doctype=st.booleans())
def test_events_are_the_standard_parsers_on_well_formed_pages(body: str, doctype: bool) -> None:
    page = ("<!DOCTYPE html>" if doctype else "") + body
    assert merged(list(html_events(page))) == reference(page)


def test_a_quoted_greater_than_does_not_end_the_tag() -> None:
    assert list(html_events('<a title="x > y">link</a>')) == [("start", "a"), ("data", "link"), ("end", "a")]


def test_script_and_style_content_is_not_text() -> None:
    page = "<p>Visible</p><script>var s = '<b>hidden</b>';</script><style>b > i {}</style><p>too</p>"
    assert _strip_tags(page) == "\n\nVisible\n\n\n\ntoo\n\n"


def test_constructs_left_open_are_read_as_the_standard_parser_reads_them() -> None:
    for page in (
        "a <b c",
        "x < y and y > z",
        "1 <2",
        "<!-- never closed",
        "<!DOCTYPE",
        "</",
        "<",
        "&#",
        "a &",
    ):
        assert merged(list(html_events(page))) == reference(page), page


def test_unterminated_tags_do_not_swallow_the_page() -> None:
    # "<a<a<a…" with no ">" anywhere: every "<" is text, as for the standard parser
    page = "<a" * 1000
    assert "".join(value for kind, value in html_events(page) if kind == "data") == page
