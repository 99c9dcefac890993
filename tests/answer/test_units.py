"""Unit conversions: exact factors, both languages, strictness about what is a conversion."""

from __future__ import annotations

from fractions import Fraction

import pytest

from eclair.answer.units import describe, interpret_conversion


@pytest.mark.parametrize(
    ("message", "lang", "reply"),
    [
        ("how many seconds in 3 hours", "en", "3 hours = 10800 seconds."),
        ("How many seconds are there in 3 hours?", "en", "3 hours = 10800 seconds."),
        ("how many seconds in an hour?", "en", "1 hour = 3600 seconds."),
        ("combien de centimètres dans 2,5 mètres", "fr", "2,5 mètres = 250 centimètres."),
        ("Combien de minutes y a-t-il dans une journée ?", "fr", "1 jour = 1440 minutes."),
        ("100 °F en °C", "fr", "100 °F ≈ 37,7778 °C."),
        ("convert 98.6 degrees Fahrenheit to Celsius", "en", "98.6 °F = 37 °C."),
        ("-40 °C in °F", "en", "-40 °C = -40 °F."),
        ("Convert 20 degrees Celsius to Fahrenheit", "en", "20 °C = 68 °F."),
        ("0 K to °C", "en", "0 K = -273.15 °C."),
        ("convert 5 km to miles", "en", "5 kilometres ≈ 3.10686 miles."),
        ("How many feet in a mile?", "en", "1 mile = 5280 feet."),
        ("How many centimeters are in an inch?", "en", "1 inch = 2.54 centimetres."),
        ("5 ft in cm", "en", "5 feet = 152.4 centimetres."),
        ("what is 30 mph in km/h", "en", "30 mph = 48.28032 km/h."),
        ("how many ounces in a pound", "en", "1 pound = 16 ounces."),
        ("How many grams are in 2.5 kilograms?", "en", "2.5 kilograms = 2500 grams."),
        ("how many hours in a week", "en", "1 week = 168 hours."),
        ("3h en minutes", "fr", "3 heures = 180 minutes."),
        ("combien de secondes dans deux heures et demie", "fr", "2,5 heures = 9000 secondes."),
        ("how many minutes in two and a half hours", "en", "2.5 hours = 150 minutes."),
        ("1 000 mètres en km", "fr", "1000 mètres = 1 kilomètre."),
        ("how many m3 in 5000 l", "en", "5000 litres = 5 cubic metres."),
        ("how many bits in a byte", "en", "1 byte = 8 bits."),
        # a part of one unit, in words or digits ("quarts" is a fraction in French only)
        ("Combien de millilitres dans trois quarts de décilitre ?", "fr", "0,75 décilitre = 75 millilitres."),
        ("how many grams in three quarters of a kilo", "en", "0.75 kilograms = 750 grams."),
        ("how many seconds in two thirds of a minute", "en", "0.666667 minutes = 40 seconds."),
        ("how many metres in 2/5 of a kilometre", "en", "0.4 kilometres = 400 metres."),
        ("combien de centimètres dans un cinquième de mètre", "fr", "0,2 mètre = 20 centimètres."),
        ("how many litres in 2 quarts", "en", "2 US quarts = 1.892705892 litres."),
    ],
)
def test_conversions(message: str, lang: str, reply: str) -> None:
    conversion = interpret_conversion(message, lang)
    assert conversion is not None, message
    assert describe(conversion, lang) == reply


def test_results_are_exact_rationals() -> None:
    conversion = interpret_conversion("100 °F in °C", "en")
    assert conversion is not None and conversion.result == Fraction(340, 9)
    inch = interpret_conversion("how many cm in 1 inch", "en")
    assert inch is not None and inch.result == Fraction(254, 100)


def test_notes_for_conventions() -> None:
    year = interpret_conversion("how many days in a year", "en")
    assert year is not None and "365-day year" in describe(year, "en")
    data = interpret_conversion("combien de Mo dans 1 Go", "fr")
    assert data is not None
    assert (
        describe(data, "fr") == "1 Go = 1000 Mo (en unités décimales ; en unités binaires, 1 Gio = 1024 Mio)."
    )


def test_impossible_conversions_are_explained() -> None:
    conversion = interpret_conversion("how many seconds in a meter", "en")
    assert conversion is not None and conversion.error == "incompatible"
    assert (
        describe(conversion, "en")
        == "I can't convert 1 metre to seconds: one is a length and the other a duration."
    )
    cold = interpret_conversion("-500 °C en K", "fr")
    assert cold is not None and cold.error == "below_absolute_zero"
    assert "zéro absolu" in describe(cold, "fr")


@pytest.mark.parametrize(
    "message",
    [
        "how tall is the Eiffel Tower in meters",
        "What is the boiling point of water in Fahrenheit?",
        "I ran 5 km in 30 minutes",
        "how many minutes does it take to boil an egg",
        "What is 17 × 23?",
        "convert 100 pounds to euros",
    ],
)
def test_not_a_conversion(message: str) -> None:
    assert interpret_conversion(message, "en") is None


@pytest.mark.parametrize(
    ("message", "read"),
    [
        ("What is the per-kilometre charge on the Flex plan for the first 50 km?", False),
        ("Convert 5 km into kilometres", True),
    ],
)
def test_a_unit_said_twice_converts_only_when_a_conversion_is_asked(message: str, read: bool) -> None:
    assert (interpret_conversion(message, "en") is not None) is read


@pytest.mark.parametrize(
    ("message", "lang"),
    [
        ("Elle a fait tout le chemin à pied à 70 ans.", "fr"),
        ("Mon grand-père allait à l'école à pied à 6 ans", "fr"),
        ("At 40 years old my uncle still went everywhere on foot", "en"),
        ("We walked 3 hours on foot", "en"),
    ],
)
def test_a_quantity_beside_another_unit_is_no_conversion_without_a_word_asking_for_one(
    message: str, lang: str
) -> None:
    # "à pied" is a way of going, not a unit asked for: no conversion, so no "cannot convert
    # years to feet" either
    assert interpret_conversion(message, lang) is None


@pytest.mark.parametrize("message", ["3 feet → cm", "5 km -> miles", "10 kg => lb", "2 m = ? ft"])
def test_an_arrow_or_equals_sign_asks_for_a_conversion(message: str) -> None:
    conversion = interpret_conversion(message, "en")
    assert conversion is not None and conversion.result is not None
