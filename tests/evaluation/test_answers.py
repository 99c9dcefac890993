"""Numbers, dates and text are recognised however a reply writes them."""

from __future__ import annotations

from decimal import Decimal

import pytest

from eclair.evaluation.answers import extract_numbers, normalise, parse_spec, spec_found, strip_citation_marks


def values(text: str, lang: str = "en") -> list[str]:
    return [str(n.value) for n in extract_numbers(normalise(text), lang)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("17 × 23 = 391.", ["17", "23", "391"]),
        ("1 000", ["1000"]),
        ("1\u202f000\u00a0000 habitants", ["1000000"]),
        ("1,000", ["1000"]),
        ("1 000,5 km", ["1000.5"]),
        ("1,284,500.75 pounds", ["1284500.75"]),
        ("1.234,5", ["1234.5"]),
        ("12,5 %", ["12.5"]),
        ("en 2020, 3 460 habitants", ["2020", "3460"]),
        ("2023 214 members", ["2023", "214"]),
        ("1, 2, 3 et 4", ["1", "2", "3", "4"]),
        ("= −27", ["-27"]),
        ("ça fait moins 8", ["-8"]),
        ("20 moins 8", ["20", "8"]),
        ("âgés d'au moins 8 ans", ["8"]),  # "at least", not minus
        ("error E3 on model AK2-170", ["170"]),
        ("25g and 75cm", ["25", "75"]),
        ("30.05.2024", []),
    ],
)
def test_extract_numbers(text: str, expected: list[str]) -> None:
    assert values(text) == expected


def test_ambiguous_separators_keep_both_readings_language_first() -> None:
    (en,) = extract_numbers("1,500", "en")
    (fr,) = extract_numbers("1,500", "fr")
    assert en.value == Decimal(1500) and Decimal("1.5") in en.readings
    assert fr.value == Decimal("1.5") and Decimal(1500) in fr.readings


def test_normalise_and_citation_marks() -> None:
    assert normalise("  Élodie  VASSEUR’s\tœuvre ") == "elodie vasseur's oeuvre"
    assert normalise("10²") == "10^2"
    assert strip_citation_marks("214 members [1] and 187 [2].") == "214 members and 187."


@pytest.mark.parametrize(
    ("spec", "text", "found"),
    [
        ("1000.5", "environ 1 000,5 mètres", True),
        ("1000", "1,000", True),
        ("1000", "10 000", False),
        ("0.2", "0,20 euro la page", True),
        ("0.3", "0.30000000000000004", False),
        ("~1.414", "√2 ≈ 1.41421356", True),
        ("~1.414", "about 1.41", False),
        ("~8.05", "8,04672 km", True),
        ("date:2025-05-30", "It will be Friday 30 May 2025.", True),
        ("date:2025-05-30", "May 30th, 2025", True),
        ("date:2025-05-30", "le vendredi 30 mai 2025", True),
        ("date:2025-05-30", "2025-05-30", True),
        ("date:2025-05-30", "30/05/2025", True),
        ("date:2025-05-30", "30 May 2024", False),
        ("date:2025-05-30", "30 mai", False),
        ("date:2030-01-01", "le 1er janvier 2030", True),
        ("Rouvière", "l'ingénieur Étienne ROUVIERE", True),
        ("Fenwick", "Fenwickson", False),
        ("lundi", "Le musée est fermé le lundi.", True),
        (r"re:\b10\s*(am|a\.m\.)", "only before 10 am", True),
        (r"re:\b(une|1)\s+semaine", "Une semaine pour les DVD.", True),
    ],
)
def test_spec_found(spec: str, text: str, found: bool) -> None:
    parsed = parse_spec(spec)
    assert spec_found(parsed, text, extract_numbers(normalise(text))) is found


@pytest.mark.parametrize("bad", ["re:(", "date:2025-02-30", "~abc"])
def test_bad_specs_are_errors(bad: str) -> None:
    with pytest.raises(ValueError):
        parse_spec(bad)
