"""One-step word problems read by rules; anything ambiguous is left alone."""

from __future__ import annotations

import pytest

from eclair.answer.numfmt import format_number
from eclair.answer.wordproblem import solve_word_problem


@pytest.mark.parametrize(
    ("problem", "lang", "expected"),
    [
        ("If I have 12 apples and give away 5, how many do I have left?", "en", "7"),
        ("Tom has 5 candies and Sara has 7. How many candies do they have together?", "en", "12"),
        ("Share 36 sweets equally among 4 children. How many does each child get?", "en", "9"),
        ("Each box holds 6 eggs. How many eggs are in 7 boxes?", "en", "42"),
        ("A train travels at 80 km per hour for 3 hours. How far does it go?", "en", "240"),
        ("A shirt costs 40 dollars with a 25% discount. How much does it cost now?", "en", "30"),
        ("Marie a 3 paquets de 12 biscuits. Combien a-t-elle de biscuits ?", "fr", "36"),
        ("Il y a 24 élèves répartis en 4 groupes égaux. Combien d'élèves par groupe ?", "fr", "6"),
        ("Pierre a 20 euros, il dépense 8 euros. Combien lui reste-t-il ?", "fr", "12"),
        ("J'avais quinze billes, j'en ai perdu six. Combien m'en reste-t-il ?", "fr", "9"),
        ("Tom had 10 apples, bought 4 and ate 3. How many now?", "en", "11"),  # read as a story
    ],
)
def test_solved(problem: str, lang: str, expected: str) -> None:
    answer = solve_word_problem(problem, lang)
    assert answer is not None and answer.calculation is not None
    assert format_number(answer.calculation.value.q, lang)[0] == expected


@pytest.mark.parametrize(
    "question",
    [
        "How many more people lived in Paris in 2020 than in 1900?",  # needs facts, not arithmetic
        "How many people lived in Paris in 1900 and 2000?",
        "How many calories are in 2 eggs and 100 g of bread in total?",  # different things
        "How many legs do 3 spiders have?",  # one number
        "Tom has 10 apples and buys 4 pears, then gives some away. How many?",  # mixed signals
        "A book costs 12 euros. How much do 5 books cost?",  # no signal word
        "I was born in 1990. What is 2 + 2?",
        # two volumes: their product counts nothing, whatever "each" says
        "We need 30 litres of soup. Each pot holds 4 litres. How many pots do we cook?",
    ],
)
def test_left_alone(question: str) -> None:
    assert solve_word_problem(question, "en") is None
