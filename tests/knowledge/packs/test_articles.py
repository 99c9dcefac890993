"""Article pages: prose in reading order for answers, a sanitised page for the reader."""

from __future__ import annotations

from eclair.knowledge.packs.articles import article_text, page_language, safe_page

PAGE = """<html><head><title>Lisbon</title><style>p{color:red}</style><script>alert(1)</script></head><body>
<h1>Lisbon</h1>
<table class="infobox"><tr><td>Population</td><td>545,000</td></tr></table>
<p>Lisbon is the capital of Portugal.<sup>[1]</sup> It lies on the <b>Tagus</b>.</p>
<p>It is one of the oldest cities in Western Europe.</p>
<h2>History</h2><p>An earthquake destroyed much of the city in 1755.</p>
<ul><li>Belém Tower</li></ul>
<h2>See also</h2><ul><li><a href="Porto">Porto</a></li></ul>
<h2>References</h2><p>Smith 2001.</p>
</body></html>"""


def test_prose_in_reading_order_lead_first() -> None:
    article = article_text(PAGE, "Lisbon")
    assert article.lead_paragraphs == 2
    paragraphs = [article.text[s:e] for s, e in article.paragraphs]
    assert paragraphs == [
        "Lisbon is the capital of Portugal. It lies on the Tagus.",
        "It is one of the oldest cities in Western Europe.",
        "An earthquake destroyed much of the city in 1755.",
        "Belém Tower",
    ]
    assert "History" in article.text  # headings stay, between their paragraphs
    for hidden in ("545,000", "[1]", "alert", "color", "Porto", "Smith"):
        assert hidden not in article.text


def test_french_trailing_sections_are_dropped_too() -> None:
    page = "<p>Le Rhône est un fleuve.</p><h2>Notes et références</h2><p>Source.</p><h2>Liens externes</h2><p>x</p>"
    assert article_text(page).text == "Le Rhône est un fleuve."


def test_the_served_page_has_no_script_handler_or_outside_link() -> None:
    page = safe_page(
        '<p onclick="steal()">Text<script>steal()</script><a href="https://tracker.example/x">out</a>'
        '<a href="Porto">Porto</a><img src="https://cdn.example/i.png"><img src="../I/map.webp">'
        '<iframe src="https://x.example"></iframe><form action="/x"><input></form></p>'
    )
    for gone in ("onclick", "script", "steal", "tracker.example", "cdn.example", "iframe", "form", "input"):
        assert gone not in page
    assert 'href="Porto"' in page and 'src="../I/map.webp"' in page and "Text" in page


def test_a_served_page_says_its_language() -> None:
    assert page_language("fra") == "fr" and page_language("eng,fra") == "en" and page_language("x y") is None
    whole = safe_page("<html><head><title>T</title></head><body><p>Texte</p></body></html>", "fr")
    assert whole.startswith('<html lang="fr">')
    assert safe_page("<p>Texte</p>", "fr") == '<html lang="fr"><p>Texte</p>'
    assert 'lang="' not in safe_page('<html lang="xx"><p>a</p></html>')
