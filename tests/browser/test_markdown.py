"""The page's markdown renderer (static/markdown.js), run in Chromium.

Besides examples, a property: for any input, the output holds only whitelisted elements and
attributes, and every link is an http(s) URL.
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.browser.conftest import Browser

RENDER = """async ([sources, citations]) => {
  const { renderMarkdown } = await import('/static/markdown.js');
  const ALLOWED_TAGS = new Set(['P','BR','H3','H4','H5','H6','STRONG','EM','DEL','CODE','PRE','BLOCKQUOTE',
                                'UL','OL','LI','HR','A','BUTTON']);
  const ALLOWED_ATTRS = new Set(['href','rel','target','class','data-cite','data-lang','type','start']);
  return sources.map((source) => {
    const box = document.createElement('div');
    box.appendChild(renderMarkdown(source, { citations }));
    const problems = [];
    for (const el of box.querySelectorAll('*')) {
      if (!ALLOWED_TAGS.has(el.tagName)) problems.push('tag ' + el.tagName);
      for (const attr of el.attributes) if (!ALLOWED_ATTRS.has(attr.name)) problems.push('attr ' + attr.name);
      if (el.tagName === 'A' && !/^https?:\\/\\//.test(el.getAttribute('href'))) problems.push('href ' + el.href);
      if (el.tagName === 'BUTTON' && el.className !== 'cite') problems.push('button ' + el.className);
    }
    return { html: box.innerHTML, text: box.textContent, problems };
  });
}"""


@pytest.fixture
def render(browser: Browser) -> Any:
    page = browser.new_page()
    page.goto(browser.server.url + "/static/favicon.svg")  # same origin, no app code running
    page.goto(browser.server.url)
    page.wait_for_selector("#app:not([hidden])")

    def run(sources: list[str], citations: int = 0) -> list[dict[str, Any]]:
        return page.evaluate(RENDER, [sources, citations])  # type: ignore[no-any-return]

    return run


def html(render: Any, source: str, citations: int = 0) -> str:
    (out,) = render([source], citations)
    assert out["problems"] == []
    return str(out["html"])


def test_inline_formatting(render: Any) -> None:
    assert html(render, "**bold**, *em*, _also em_, ~~gone~~ and `x < y`") == (
        "<p><strong>bold</strong>, <em>em</em>, <em>also em</em>, <del>gone</del> and <code>x &lt; y</code></p>"
    )
    assert html(render, "snake_case_name and 2*3*4") == "<p>snake_case_name and 2*3*4</p>"
    assert html(render, r"\*not em\*") == "<p>*not em*</p>"


def test_blocks(render: Any) -> None:
    assert html(render, "## Title\n\nline one\nline two") == "<h4>Title</h4><p>line one<br>line two</p>"
    assert html(render, "```python\nprint('<b>')\n```") == (
        "<pre data-lang=\"python\"><code>print('&lt;b&gt;')</code></pre>"
    )
    assert html(render, "```\nstill streaming") == "<pre><code>still streaming</code></pre>"
    assert html(render, "> quoted\n> more") == "<blockquote><p>quoted<br>more</p></blockquote>"
    assert html(render, "- a\n- b\n  - b1\n- c") == (
        "<ul><li>a</li><li>b<ul><li>b1</li></ul></li><li>c</li></ul>"
    )
    assert html(render, "3. three\n4. four") == '<ol start="3"><li>three</li><li>four</li></ol>'
    assert html(render, "---") == "<hr>"


def test_links_are_http_only(render: Any) -> None:
    link = html(render, "[site](https://example.org/a?b=1)")
    assert (
        link
        == '<p><a href="https://example.org/a?b=1" rel="noopener noreferrer nofollow" target="_blank">site</a></p>'
    )
    for bad in (
        "[x](javascript:alert(1))",
        "[x](JAVASCRIPT:alert(1))",
        "[x](data:text/html,hi)",
        "[x](vbscript:msgbox)",
        "[x](/relative)",
        "[x](//evil.example)",
        "[x](file:///etc/passwd)",
    ):
        assert "<a" not in html(render, bad), bad
    auto = html(render, "see https://example.org/page.")
    assert 'href="https://example.org/page"' in auto and auto.endswith(".</p>")


def test_images_never_load(render: Any) -> None:
    assert html(render, "![a cat](https://evil.example/cat.png)") == "<p>a cat</p>"


def test_citation_chips(render: Any) -> None:
    out = html(render, "Paris [1], Lyon [2], and [3].", citations=2)
    assert out == (
        '<p>Paris <button class="cite" type="button" data-cite="1">1</button>, Lyon '
        '<button class="cite" type="button" data-cite="2">2</button>, and [3].</p>'
    )


def test_html_is_text(render: Any) -> None:
    (out,) = render(['<img src=x onerror="alert(1)"><script>alert(2)</script>'])
    assert out["problems"] == [] and "<img" not in out["html"] and "<script" not in out["html"]
    assert out["text"] == '<img src=x onerror="alert(1)"><script>alert(2)</script>'


MARKDOWN_PIECES = st.sampled_from(
    [
        "*",
        "**",
        "_",
        "__",
        "~~",
        "`",
        "```",
        "\n",
        "\n\n",
        "- ",
        "1. ",
        "> ",
        "# ",
        "[",
        "]",
        "(",
        ")",
        "!",
        "\\",
        "[1]",
        "http://",
        "https://a.b/",
        "javascript:",
        "data:",
        "<",
        ">",
        "<script>",
        "<img src=x onerror=alert(1)>",
        '"',
        "'",
        " ",
        "x",
        "é",
        "  ",
        "\t",
        "&amp;",
        "<a href='javascript:x'>",
        "](",
        "![",
        "vbscript:",
        "//",
    ]
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.lists(MARKDOWN_PIECES, max_size=40).map("".join), min_size=1, max_size=25))
def test_any_input_renders_to_whitelisted_markup(render: Any, sources: list[str]) -> None:
    for source, out in zip(sources, render(sources, 3), strict=True):
        assert out["problems"] == [], (source, out["problems"])
