"""The one reading of a message (:func:`read_message`) and the invariants built on it.

- Numbers: number words and digits, grouped thousands, years written as dates, "one"/"un"
  as a pronoun or an article.
- Numeric at heart (:meth:`Reading.numeric`): a value that the numbers written determine.
- Coverage, checked on generated requests: a tool answers with the value of the whole
  message or declines; the value of one clause never answers a message of two.
"""

from __future__ import annotations

import re
from datetime import date
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from eclair.answer.language import Lang
from eclair.answer.numfmt import format_number
from eclair.answer.reading import Reading, read_message
from eclair.answer.router import Decision, ToolReply, decide
from eclair.engine.protocol import ChatMessage

TODAY = date(2026, 11, 28)
PROPERTY = settings(max_examples=80, deadline=None, derandomize=True)


def read(text: str, lang: Lang) -> Reading:
    return read_message(text, lang)


def values(reading: Reading) -> list[Fraction]:
    return [n.value for n in reading.quantities]


def route(text: str) -> Decision:
    return decide([ChatMessage("user", text)], TODAY)


def declined(reply: ToolReply | None) -> bool:
    return reply is None or reply.abstained


def result_part(text: str) -> str:
    """What a calculator reply gives as the result: the text after its last "=" or "≈"."""
    return re.split(r"[=≈]", text)[-1].strip().rstrip(".")


# ------------------------------------------------------------------ numbers and quantities


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        ("What is twenty-one times three?", "en", [21, 3]),
        ("Combien font vingt-trois plus dix-neuf ?", "fr", [23, 19]),
        ("What is one thousand two hundred and thirty-four plus five?", "en", [1234, 5]),
        ("Combien font 17 fois 23 ?", "fr", [17, 23]),
        # grouped thousands: a space and a decimal comma in French, a comma and a point in English
        ("Le loyer passe de 1 234,5 € à 1 300 €.", "fr", [Fraction("1234.5"), 1300]),
        ("The rent went from $1,234.5 to $1,300.", "en", [Fraction("1234.5"), 1300]),
        ("Combien font 12 345 678 plus 2 ?", "fr", [12345678, 2]),
        ("What is 0.00042 times 1,000?", "en", [Fraction("0.00042"), 1000]),
    ],
)
def test_numbers_are_read_once_as_values(text: str, lang: Lang, expected: list[Fraction | int]) -> None:
    assert values(read(text, lang)) == [Fraction(v) for v in expected]


@pytest.mark.parametrize(
    ("text", "lang", "quantities"),
    [
        ("In 2023, the club had 120 members and 30 of them left. How many remain?", "en", [120, 30]),
        ("En 2024, 40 adhérents ont payé 15 euros chacun. Combien au total ?", "fr", [40, 15]),
        ("Since 1990 the bakery has sold 300 loaves a day, at 2 euros each.", "en", [300, 2]),
        ("Fin 2025, le club comptait 86 membres, contre 74 début 2024.", "fr", [86, 74]),
    ],
)
def test_a_year_written_as_a_date_is_not_a_quantity(text: str, lang: Lang, quantities: list[int]) -> None:
    reading = read(text, lang)
    assert values(reading) == [Fraction(q) for q in quantities]
    assert all(n.year for n in reading.numbers if n not in reading.quantities)


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("How many members did the club have in 2023?", "en"),
        ("Combien de membres le club comptait-il en 2023 ?", "fr"),
        ("Quel était le budget de la coopérative en 2022 ?", "fr"),
    ],
)
def test_a_lone_year_is_a_date_and_asks_no_computation(text: str, lang: Lang) -> None:
    reading = read(text, lang)
    assert [n.year for n in reading.numbers] == [True]
    assert not reading.numeric()


@pytest.mark.parametrize(
    ("text", "lang", "quantities"),
    [
        ("What is 2024 divided by 8?", "en", [2024, 8]),
        ("Combien font 2024 moins 1989 ?", "fr", [2024, 1989]),
        ("What is 2 times 2024?", "en", [2, 2024]),
        pytest.param(
            "Divide the year 2024 by 8.",
            "en",
            [2024, 8],
            marks=pytest.mark.xfail(
                strict=True,
                reason="a year with an operation applied is dropped when another number is present "
                "(Reading.quantities keeps years only when every number is a year)",
            ),
        ),
    ],
)
def test_a_year_with_an_operation_is_a_quantity(text: str, lang: Lang, quantities: list[int]) -> None:
    reading = read(text, lang)
    assert values(reading) == [Fraction(q) for q in quantities]
    assert reading.numeric()


@pytest.mark.parametrize(
    ("text", "lang", "quantities"),
    [
        ("Quick one: what is 5 × 3?", "en", [5, 3]),
        ("One more thing: what is 9 minus 4?", "en", [9, 4]),
        ("I have one question: what is 6 times 7?", "en", [6, 7]),
        ("J'ai une question : combien font 6 fois 7 ?", "fr", [6, 7]),
        ("Une petite question : combien font 8 fois 9 ?", "fr", [8, 9]),
        ("Un ami m'a demandé combien font 12 fois 12.", "fr", [12, 12]),
    ],
)
def test_one_as_a_pronoun_or_an_article_is_not_a_number(text: str, lang: Lang, quantities: list[int]) -> None:
    assert values(read(text, lang)) == [Fraction(q) for q in quantities]


@pytest.mark.parametrize(
    ("text", "lang", "quantities"),
    [
        ("What is one plus two?", "en", [1, 2]),
        ("Combien font un fois 7 ?", "fr", [1, 7]),
        ("What is 6 plus one?", "en", [6, 1]),
        ("Combien font 3 plus un ?", "fr", [3, 1]),
        ("Divide 12 by one.", "en", [12, 1]),
    ],
)
def test_one_as_an_operand_is_a_number(text: str, lang: Lang, quantities: list[int]) -> None:
    assert values(read(text, lang)) == [Fraction(q) for q in quantities]


# ------------------------------------------------------------------ numeric at heart


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        (
            "I bought 3 notebooks at $2.45 each and a pen for $1.30, and paid with a $10 bill. "
            "How much change should I get?",
            "en",
        ),
        (
            "J'achète 4 croissants à 1,20 € chacun et je paie avec un billet de 10 €. Combien doit-on me rendre ?",
            "fr",
        ),
        ("J'achète 4 croissants à 1,20 € et je paie avec un billet de 10 €. Combien me rend-on ?", "fr"),
        ("Arrondis 27,456 au dixième près.", "fr"),
        ("Round 3.14159 to two decimal places.", "en"),
        ("Can you write 0.00042 in scientific notation?", "en"),
        ("Écris 0,00042 en notation scientifique.", "fr"),
        ("Is 97 a prime number?", "en"),
        ("Combien font 2024 divisé par 8 ?", "fr"),
        ("What is 15% of 80?", "en"),
    ],
)
def test_numeric_at_heart(text: str, lang: Lang) -> None:
    assert read(text, lang).numeric()


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Give me 3 tips to save 20% on groceries", "en"),
        ("Donne-moi 3 conseils pour économiser 20 % sur les courses", "fr"),
        ("Write a poem about 2 cats", "en"),
        ("Écris un poème sur 3 chats", "fr"),
        ("Translate 'I have 3 apples and 2 pears' into French", "en"),
        ("How many members did the club have in 2023?", "en"),
        ("Combien d'habitants comptait Lyon en 2020 ?", "fr"),
        ("How many lanes does the pool have?", "en"),
        ("Hi there! How's your day going?", "en"),
    ],
)
def test_not_numeric_at_heart(text: str, lang: Lang) -> None:
    assert not read(text, lang).numeric()


@pytest.mark.parametrize(
    "text",
    [
        "Give me 3 tips to save 20% on groceries",
        "Write a poem about 2 cats",
        "Donne-moi 3 conseils pour économiser 20 % sur les courses",
        "Écris un poème sur 2 chats et 3 souris",
    ],
)
def test_a_request_to_write_with_numbers_goes_to_the_model(text: str) -> None:
    decision = route(text)
    assert decision.route == "model" and decision.reply is None


# ------------------------------------------------------------------ coverage, on generated requests

EN_WORDS = [
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
    "twenty",
]
FR_WORDS = [
    "zéro",
    "un",
    "deux",
    "trois",
    "quatre",
    "cinq",
    "six",
    "sept",
    "huit",
    "neuf",
    "dix",
    "onze",
    "douze",
    "treize",
    "quatorze",
    "quinze",
    "seize",
    "dix-sept",
    "dix-huit",
    "dix-neuf",
    "vingt",
]
WORDS = {"en": EN_WORDS, "fr": FR_WORDS}

FIRST_OPS = {
    "en": [
        ("plus", "+"),
        ("minus", "-"),
        ("times", "*"),
        ("multiplied by", "*"),
        ("divided by", "/"),
        ("×", "*"),
    ],
    "fr": [
        ("plus", "+"),
        ("moins", "-"),
        ("fois", "*"),
        ("multiplié par", "*"),
        ("divisé par", "/"),
        ("×", "*"),
    ],
}
# The clause that carries on the result: "{c}" is its number.
NEXT_OPS = {
    "en": [
        ("plus {c}", "+"),
        ("minus {c}", "-"),
        ("times {c}", "*"),
        ("divided by {c}", "/"),
        ("add {c}", "+"),
        ("add {c} to the result", "+"),
        ("subtract {c}", "-"),
        ("multiply by {c}", "*"),
        ("divide by {c}", "/"),
        ("divide the result by {c}", "/"),
    ],
    "fr": [
        ("plus {c}", "+"),
        ("moins {c}", "-"),
        ("fois {c}", "*"),
        ("divisé par {c}", "/"),
        ("ajoute {c}", "+"),
        ("ajoute {c} au résultat", "+"),
        ("retire {c}", "-"),
        ("multiplie par {c}", "*"),
        ("divise par {c}", "/"),
        ("divise le résultat par {c}", "/"),
    ],
}
FORMS = {
    "en": ["{x}, {y}", "What is {x}, {y}?", "What's {x}, then {y}?", "Calculate {x}, and then {y}."],
    "fr": ["{x}, {y}", "Combien font {x}, {y} ?", "Calcule {x}, puis {y}.", "Que vaut {x}, et ensuite {y} ?"],
}


def apply(op: str, a: Fraction, b: Fraction) -> Fraction:
    return {"+": a + b, "-": a - b, "*": a * b, "/": a / b}[op]


@st.composite
def chained_requests(draw: st.DrawFn) -> tuple[str, Lang, Fraction, Fraction]:
    """A calculation and a clause that carries on its result: (text, lang, first value, whole value)."""
    lang: Lang = draw(st.sampled_from(["en", "fr"]))
    a, b, c = (draw(st.integers(1, 20)) for _ in range(3))
    spelled = draw(st.booleans())

    def say(n: int) -> str:
        return WORDS[lang][n] if spelled else str(n)

    word1, op1 = draw(st.sampled_from(FIRST_OPS[lang]))
    word2, op2 = draw(st.sampled_from(NEXT_OPS[lang]))
    form = draw(st.sampled_from(FORMS[lang]))
    text = form.format(x=f"{say(a)} {word1} {say(b)}", y=word2.format(c=say(c)))
    first = apply(op1, Fraction(a), Fraction(b))
    return text, lang, first, apply(op2, first, Fraction(c))


@PROPERTY
@given(chained_requests())
def test_a_chained_request_is_answered_whole_or_declined(case: tuple[str, Lang, Fraction, Fraction]) -> None:
    text, lang, first, whole = case
    decision = route(text)
    reply = decision.reply
    if declined(reply):
        return
    assert reply is not None and decision.route == "calculator", (text, decision)
    result = result_part(reply.text)
    assert result == format_number(whole, lang)[0], (text, reply.text)
    if first != whole:
        assert result != format_number(first, lang)[0], (text, reply.text)


THINGS = {
    "en": ["boxes of apples", "bags of flour", "crates of pears", "classes of pupils"],
    "fr": ["caisses de pommes", "sacs de farine", "cartons de livres", "classes d'élèves"],
}
TRAILING = {
    "en": [
        "{lead} {x}, for {c} {things}?",
        "{lead} {x} for {c} {things}?",
        "{lead} {x}? It's for {c} {things}.",
    ],
    "fr": [
        "{lead} {x}, pour {c} {things} ?",
        "{lead} {x} pour {c} {things} ?",
        "{lead} {x} ? C'est pour {c} {things}.",
    ],
}
LEADS = {"en": ["What is", "What's", "How much is"], "fr": ["Combien font", "Que vaut", "Combien fait"]}


@st.composite
def calculation_then_unread_number(draw: st.DrawFn) -> tuple[str, Lang, Fraction]:
    """A calculation followed by a clause holding a number no tool reads: (text, lang, first value)."""
    lang: Lang = draw(st.sampled_from(["en", "fr"]))
    a, b = draw(st.integers(2, 40)), draw(st.integers(2, 40))
    c = draw(st.integers(2, 60).filter(lambda n: n not in (a, b)))
    word, op = draw(st.sampled_from(FIRST_OPS[lang]))
    text = draw(st.sampled_from(TRAILING[lang])).format(
        lead=draw(st.sampled_from(LEADS[lang])),
        x=f"{a} {word} {b}",
        c=c,
        things=draw(st.sampled_from(THINGS[lang])),
    )
    return text, lang, apply(op, Fraction(a), Fraction(b))


@PROPERTY
@given(calculation_then_unread_number())
def test_a_clause_with_an_unread_number_is_never_answered_by_the_first(
    case: tuple[str, Lang, Fraction],
) -> None:
    text, lang, first = case
    reply = route(text).reply
    assert declined(reply) or (reply is not None and (reply.reason or "").startswith("refused:")), (
        text,
        reply,
    )
    if reply is not None:
        shown = re.escape(format_number(first, lang)[0])
        assert not re.search(rf"[=≈]\s*{shown}(?![\d.,])", reply.text), (text, reply.text)


# ------------------------------------------------------------------ chains and several questions


@pytest.mark.parametrize(
    ("text", "result"),
    [
        ("Divide 12 by 4, add 9 to the result, and then double everything.", "24"),
        ("Combien vaut 7 divisé par 3, arrondi au centième ?", "2,33"),
        ("What is the square root of 2, to three decimal places?", "1.414"),
        ("What is 3.2 × 10^4 divided by 8 × 10^-2?", "400000"),  # scientific notation is one number
        ("If 35% of a number is 49, what is the number?", "140"),
        ("Combien font 3 fois 4, plus 5 ?", "17"),
    ],
)
def test_chains_are_one_calculation(text: str, result: str) -> None:
    decision = route(text)
    assert decision.route == "calculator" and decision.reply is not None
    assert not decision.reply.abstained
    assert result_part(decision.reply.text) == result, decision.reply.text


@pytest.mark.parametrize(
    ("text", "result"),
    [
        ("Arrondis 27,456 au dixième près.", "27,5"),
        ("Round 3.14159 to the nearest hundredth.", "3.14"),
        ("Round 3.14159 to two decimal places.", "3.14"),
        ("Arrondis 3,14159 à deux décimales.", "3,14"),
    ],
)
def test_rounding_is_answered(text: str, result: str) -> None:
    decision = route(text)
    assert decision.reply is not None and not decision.reply.abstained
    assert result_part(decision.reply.text) == result, decision.reply.text


@pytest.mark.parametrize(
    ("text", "lang", "first", "whole"),
    [
        ("Combien font 11 fois 7, plus un ?", "fr", "77", "78"),
        ("onze fois sept, ajoute un au résultat", "fr", "77", "78"),
        ("Combien fait vingt fois cinq, et ensuite ajoute un au résultat ?", "fr", "100", "101"),
        ("What is 7 times 9, then add one to the result?", "en", "63", "64"),
        ("What is 8 minus 3, times one?", "en", "5", "5"),
    ],
)
def test_one_in_a_chained_clause_is_not_dropped(text: str, lang: Lang, first: str, whole: str) -> None:
    """'un'/'one' after an operation word is the operand, never an article: dropping it would let
    the first clause answer the whole message."""
    reply = route(text).reply
    if declined(reply):
        return
    assert reply is not None and result_part(reply.text) == whole, reply.text
    assert first == whole or result_part(reply.text) != first


# "add X to Y" works on the whole of Y: "Add 5 to 3 times 4" is (3 × 4) + 5, never 3 + 5 × 4 (23).


@pytest.mark.parametrize(
    ("text", "result"),
    [
        ("Add 5 to the product of 3 and 4.", "17"),
        ("Add 5 to 3 times 4.", "17"),
        ("Ajoute 5 à 3 fois 4.", "17"),
        ("Subtract 2 from 3 times 4.", "10"),
    ],
)
def test_add_to_an_expression_works_on_its_value(text: str, result: str) -> None:
    reply = route(text).reply
    if declined(reply):
        return
    assert reply is not None and result_part(reply.text) == result, reply.text


def test_a_remainder_is_stated_first() -> None:
    decision = route("What's the remainder when 1000 is divided by 7?")
    assert decision.route == "calculator" and decision.reply is not None
    first_number = re.search(r"\d+", decision.reply.text)
    assert first_number is not None and first_number.group() == "6", decision.reply.text


@pytest.mark.parametrize(
    ("text", "days"),
    [
        ("L'année 2100 sera-t-elle bissextile ? Combien de jours comptera-t-elle ?", "365"),
        ("Is 2100 a leap year? How many days will it have?", "365"),
    ],
)
def test_two_questions_are_not_answered_by_answering_the_first(text: str, days: str) -> None:
    reply = route(text).reply
    if declined(reply):
        return
    assert reply is not None
    lines = reply.text.splitlines()
    assert len(lines) >= 2 and days in lines[-1], reply.text


@pytest.mark.parametrize(
    ("text", "result"),
    [
        ("Is 2024 a leap year? And what is 17 × 23?", "391"),
        ("Est-ce que 2024 est bissextile ? Et combien font 6 fois 7 ?", "42"),
    ],
)
def test_two_questions_that_tools_read_get_two_answers(text: str, result: str) -> None:
    reply = route(text).reply
    assert reply is not None and not reply.abstained
    lines = reply.text.splitlines()
    assert len(lines) == 2 and "2024" in lines[0] and result_part(lines[1]) == result


# ------------------------------------------------------------------ numeric requests no tool reads


@pytest.mark.parametrize(
    "text",
    [
        "What is 3 times 4, for 7 boxes of apples?",
        "Combien font 3 fois 4, pour 7 caisses de pommes ?",
        "I bought 3 notebooks at $2.45 each and paid with a $10 bill, then 2 pens. How much change?",
        "Un robinet remplit une baignoire en 12 minutes, un second en 6 minutes. "
        "Ensemble, en combien de minutes ?",
        "One tap fills a bath in 12 minutes, another in 6 minutes. Together, how many minutes?",
    ],
)
def test_a_numeric_request_no_tool_reads_is_declined(text: str) -> None:
    decision = route(text)
    assert decision.route == "calculator"
    assert decision.reply is not None and decision.reply.abstained


@pytest.mark.parametrize(
    "text",
    [
        "Un robinet remplit une baignoire en 12 minutes, un second en 6 minutes. "
        "Ensemble, en combien de minutes ?",
        "One tap fills a bath in 12 minutes, another in 6 minutes. Together, how many minutes?",
    ],
)
def test_two_taps_are_not_a_sum_of_durations(text: str) -> None:
    reply = route(text).reply
    assert reply is None or reply.abstained or "18" not in reply.text


@pytest.mark.parametrize(
    ("text", "result"),
    [
        ("In 2024, what is 12 times 3?", "36"),
        ("En 2024, combien font 12 fois 3 ?", "36"),
    ],
)
def test_a_year_in_a_lead_in_does_not_stop_a_calculation(text: str, result: str) -> None:
    reply = route(text).reply
    assert reply is not None and not reply.abstained and result_part(reply.text) == result
