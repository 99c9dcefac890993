"""Every user-facing message exists in English and French, and formats cleanly.

French messages may use extra fields (articles and agreements such as ``le_sg``); callers
provide the fields of both languages, so each message is checked with their union."""

from __future__ import annotations

import string

import pytest

from eclair.answer.phrasing import MESSAGES, say, year_text


@pytest.mark.parametrize("key", sorted(MESSAGES))
def test_both_languages_format_cleanly(key: str) -> None:
    table = MESSAGES[key]
    assert set(table) == {"en", "fr"}
    fields = {f for text in table.values() for _, f, _, _ in string.Formatter().parse(text) if f}
    values = {f: f"<{f}>" for f in fields}
    english, french = say(key, "en", **values), say(key, "fr", **values)
    assert english != french or key.startswith(("calc.exact", "calc.approx", "calc.fraction", "units."))
    assert "{" not in english + french and "}" not in english + french


def test_say_falls_back_to_english() -> None:
    assert say("abstain.no_documents", "de") == say("abstain.no_documents", "en")


def test_years_before_the_common_era() -> None:
    assert year_text(-44, "en") == "44 BC"
    assert year_text(-44, "fr") == "44 av. J.-C."
    assert year_text(1789, "fr") == "1789"
