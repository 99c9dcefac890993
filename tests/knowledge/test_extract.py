"""Text extraction: every format, normalisation, and the refusals."""

from __future__ import annotations

import pytest

from eclair.errors import InvalidRequest
from eclair.knowledge.extract import detect_format, extract_text, markdown_text, normalize
from tests.knowledge.conftest import make_pdf


def test_txt_is_normalised() -> None:
    raw = "\ufeffLigne un  \r\nLigne deux\r\n\r\n\r\n\r\nFin\x0b du\x07 texte\n".encode()
    assert extract_text(raw, "notes.txt") == "Ligne un\nLigne deux\n\nFin du texte"


def test_txt_falls_back_to_cp1252() -> None:
    assert extract_text("Fête à Noël".encode("cp1252"), "legacy.txt") == "Fête à Noël"


def test_text_is_nfc() -> None:
    decomposed = "Cafe\u0301"  # 'e' + combining acute
    assert extract_text(decomposed.encode(), "a.txt") == "Café"


def test_markdown_is_reduced_to_prose() -> None:
    source = (
        "# Le **grand** titre\n\nUn [lien](https://example.org) et du `code`, *italique* et _aussi_.\n\n"
        "> Citation\n\n- point un\n- point deux\n\n---\n\n![alt](img.png)\n"
    )
    text = markdown_text(source)
    assert "Le grand titre" in text
    assert "Un lien et du code, italique et aussi." in text
    assert "Citation" in text and ">" not in text
    assert "https://" not in text and "**" not in text and "#" not in text
    assert "- point un" in text


def test_html_main_text_without_scripts() -> None:
    paragraphs = "".join(
        f"<p>Paragraph {i} of the article talks about the lighthouse and its keepers at length.</p>"
        for i in range(8)
    )
    page = (
        "<html><head><title>T</title><script>var secret = 1;</script><style>p{}</style></head><body>"
        f"<nav>Home | About</nav><article><h1>The lighthouse</h1>{paragraphs}</article>"
        "<footer>Cookie settings</footer></body></html>"
    )
    text = extract_text(page.encode(), "page.html")
    assert "Paragraph 7 of the article" in text
    assert "secret" not in text and "p{}" not in text


def test_tiny_html_page_keeps_its_text() -> None:
    text = extract_text(b"<html><body><p>Le mus\xc3\xa9e ouvre &agrave; 10 h.</p></body></html>", "x.htm")
    assert text == "Le musée ouvre à 10 h."


def test_pdf_text_with_accents() -> None:
    data = make_pdf(["Le prêt dure trois semaines.", "Élodie (trésorière) a 12,5 € de côté."])
    assert (
        extract_text(data, "rules.pdf")
        == "Le prêt dure trois semaines.\nÉlodie (trésorière) a 12,5 € de côté."
    )


def test_format_is_sniffed_without_extension() -> None:
    assert detect_format("upload", make_pdf(["x"])) == "pdf"
    assert detect_format("upload", b"<!DOCTYPE html><html></html>") == "html"
    assert detect_format("README", b"plain words") == "txt"
    assert detect_format("notes.MD", b"# x") == "md"


@pytest.mark.parametrize(
    ("data", "filename", "code"),
    [
        (b"PK\x03\x04binary", "archive.zip", "unsupported_file_type"),
        (b"\x00\x01\x02 binary", "data.txt", "unsupported_file_type"),
        (b"   \n\t\n", "empty.txt", "empty_file"),
        (b"%PDF-1.4 this is not really a pdf", "broken.pdf", "invalid_pdf"),
    ],
)
def test_refusals(data: bytes, filename: str, code: str) -> None:
    with pytest.raises(InvalidRequest) as caught:
        extract_text(data, filename)
    assert caught.value.code == code
    assert caught.value.status == 400


def test_normalize_is_idempotent() -> None:
    text = normalize("a \n\n\n b\r\nc\f d")
    assert normalize(text) == text


def test_markdown_link_targets_may_hold_parentheses() -> None:
    text = markdown_text("Voir [Foo](https://en.wikipedia.org/wiki/Foo_(bar)) et la suite.")
    assert text == "Voir Foo et la suite."


def test_markdown_heading_closing_marks_are_dropped() -> None:
    assert markdown_text("## Le titre ##\n#  # \t\nTexte") == "Le titre\n\nTexte"


def test_markdown_emphasis_does_not_run_over_another_opener() -> None:
    # each "**"/"_" here opens a span that never closes: the text stays as written (and
    # is read in linear time, issue 16)
    assert markdown_text("**a " * 3) == "**a **a **a "
    assert markdown_text("a _x and _y_ z") == "a _x and y z"
    assert markdown_text("2 * 3 * 4 = 24") == "2 * 3 * 4 = 24"
