"""The chat page: plain HTML, CSS and JavaScript in ``static/``, served by :mod:`eclair.api.web`.

No build step, no CDN, nothing fetched from anywhere but this server
(``Content-Security-Policy: default-src 'self'``). ``static/markdown.js`` is the page's own
small markdown renderer: it escapes HTML first, then builds only whitelisted elements (code
blocks, emphasis, lists, quotes, headings, http(s) links); there are no images and no raw HTML.
"""

from __future__ import annotations

from pathlib import Path

STATIC_DIR = Path(__file__).parent / "static"
