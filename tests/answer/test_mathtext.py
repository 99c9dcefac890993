"""Arithmetic asked in English or French words and symbols, and what is not arithmetic."""

from __future__ import annotations

import pytest

from eclair.answer.mathtext import interpret, render
from eclair.answer.numfmt import format_number
from eclair.answer.numwords import words_to_digits


def answer(message: str, lang: str) -> str:
    result = interpret(message, lang)
    assert result is not None, message
    assert result.error is None, result.error
    assert result.calculation is not None
    value = result.calculation.value
    return format_number(value.q, lang, exact=value.exact)[0]


@pytest.mark.parametrize(
    ("message", "lang", "expected"),
    [
        ("What is 17 × 23?", "en", "391"),
        ("what's 17*23", "en", "391"),
        ("17 x 23 = ?", "en", "391"),
        ("What is 17 multiplied by 23?", "en", "391"),
        ("What's seventeen times twenty-three?", "en", "391"),
        ("three times seventeen", "en", "51"),
        ("Combien font trois fois dix-sept ?", "fr", "51"),
        ("combien font 3 fois 17", "fr", "51"),
        ("Combien fait 17 multiplié par 23 ?", "fr", "391"),
        ("What is 5*(3+2)?", "en", "25"),
        ("Combien font 5 × (3 + 2) ?", "fr", "25"),
        ("How much is 1000 minus 1?", "en", "999"),
        ("Combien font quarante-deux moins dix-sept ?", "fr", "25"),
        ("vingt-et-un plus quatre-vingt-dix-sept", "fr", "118"),
        ("soixante et onze plus quatre-vingts", "fr", "151"),
        ("Combien font 1000 divisé par 8 ?", "fr", "125"),
        ("What is 10 divided by 4?", "en", "2.5"),
        ("Combien font 10 divisé par 4 ?", "fr", "2,5"),
        ("Combien font 3,5 + 2,25 ?", "fr", "5,75"),
        ("What is 1,234 + 4,321?", "en", "5555"),
        ("Que vaut 1 000 × 3 ?", "fr", "3000"),
        ("What is 12.5% of 360?", "en", "45"),
        ("Calculate 15% of 240", "en", "36"),
        ("15 % de 80", "fr", "12"),
        ("Que vaut 10 % de 50 ?", "fr", "5"),
        ("What is 20 percent of 150?", "en", "30"),
        ("Combien font vingt pour cent de cent cinquante ?", "fr", "30"),
        ("what is 80 + 15%", "en", "92"),
        ("What is the square root of 169?", "en", "13"),
        ("racine carrée de 169", "fr", "13"),
        ("Quelle est la racine carrée de 2 ?", "fr", "1,414213562"),
        ("square root of 2", "en", "1.414213562"),
        ("What's the cube root of 27?", "en", "3"),
        ("Quelle est la racine cubique de 64 ?", "fr", "4"),
        ("2 to the power of 10", "en", "1024"),
        ("two to the power of ten", "en", "1024"),
        ("What's 2 to the 10th?", "en", "1024"),
        ("What is 3 to the 4th power?", "en", "81"),
        ("2 puissance 10", "fr", "1024"),
        ("combien fait 2 à la puissance 8 ?", "fr", "256"),
        ("2**10", "en", "1024"),
        ("What is 25 squared?", "en", "625"),
        ("what is seven squared", "en", "49"),
        ("Combien fait 7 au carré ?", "fr", "49"),
        ("Quel est le carré de 15 ?", "fr", "225"),
        ("What is 6 factorial?", "en", "720"),
        ("factorielle de 6", "fr", "720"),
        ("5!", "en", "120"),
        ("What's the sum of 45 and 55?", "en", "100"),
        ("Quel est le produit de 12 et 15 ?", "fr", "180"),
        ("la différence entre 10 et 4", "fr", "6"),
        ("subtract 5 from 20", "en", "15"),
        ("What is half of 250?", "en", "125"),
        ("la moitié de 80", "fr", "40"),
        ("What is 3/4 of 100?", "en", "75"),
        ("Combien font les 3/4 de 200 ?", "fr", "150"),
        ("What is 1/3?", "en", "0.3333333333"),
        ("How much is 0.1 + 0.2?", "en", "0.3"),
        ("What is 123456789 × 987654321?", "en", "121932631112635269"),
        ("what is 2^100", "en", "1267650600228229401496703205376"),
        ("Can you tell me what 144 divided by 12 is?", "en", "12"),
        ("Please calculate 45 * 12.", "en", "540"),
        ("Compute (2+3)*(4+5)", "en", "45"),
        ("Calcule 2 + 2 × 3", "fr", "8"),
        ("what is 5 x 5 x 5", "en", "125"),
        ("What is 7 * 8 - 6 / 2", "en", "53"),
        ("What’s 7 × 8?", "en", "56"),
        ("what percentage of 200 is 50?", "en", "25"),
        ("Quel est le pourcentage de 50 sur 200 ?", "fr", "25"),
        ("What is 80 increased by 15%?", "en", "92"),
        ("Augmente 80 de 15 %", "fr", "92"),
        ("How much is a dozen times twelve?", "en", "144"),
        ("= 17*23", "en", "391"),
        ("50 is what percent of 200", "en", "25"),
    ],
)
def test_phrasings(message: str, lang: str, expected: str) -> None:
    assert answer(message, lang) == expected


@pytest.mark.parametrize(
    ("message", "lang"),
    [
        ("What is the capital of France?", "en"),
        ("How many people live in Paris?", "en"),
        ("What year did World War II end?", "en"),
        ("What is 2024?", "en"),
        ("what is 5 times a banana", "en"),
        ("Quelle est la racine carrée d'une chèvre ?", "fr"),
        ("how many seconds in 3 hours", "en"),
        ("I have 3 apples and eat 2", "en"),
        ("hello.", "en"),
        ("Write a poem about the number 7", "en"),
        ("Combien d'habitants compte Lyon ?", "fr"),
    ],
)
def test_not_a_calculation(message: str, lang: str) -> None:
    assert interpret(message, lang) is None


@pytest.mark.parametrize(
    ("message", "lang", "claimed", "value"),
    [
        ("Is 17 × 23 equal to 391?", "en", "391", "391"),
        ("Is it true that 5 × (3 + 2) = 17?", "en", "17", "25"),
        ("Est-ce que 17 × 23 fait 381 ?", "fr", "381", "391"),
        ("17 x 23 = 391?", "en", "391", "391"),
    ],
)
def test_claims_are_checked(message: str, lang: str, claimed: str, value: str) -> None:
    result = interpret(message, lang)
    assert result is not None and result.calculation is not None and result.claimed is not None
    assert str(result.claimed) == claimed
    assert format_number(result.calculation.value.q, lang)[0] == value


@pytest.mark.parametrize(
    ("message", "code"),
    [
        ("9**9**9**9", "too_large"),
        ("What is 10 divided by 0?", "div_zero"),
        ("What is the square root of -4?", "negative_root"),
        ("__import__('os').system('ls')", "name"),
        ("x.__class__", "name"),
        ("calculate foo + 3", "name"),
        ("((((((((((((((((((((((((((((((((((((((((1+1))))))))))))))))))))))))))))))))))))))))", "too_deep"),
    ],
)
def test_refused_calculations_are_still_claimed(message: str, code: str) -> None:
    result = interpret(message, "en")
    assert result is not None and result.error is not None
    assert result.error.code == code


@pytest.mark.parametrize(
    ("message", "lang", "shown"),
    [
        ("17*23", "en", "17 × 23"),
        ("5*(3+2)", "en", "5 × (3 + 2)"),
        ("12.5% of 360", "en", "12.5% of 360"),
        ("12,5 % de 360", "fr", "12,5 % de 360"),
        ("sqrt(169)", "en", "√169"),
        ("sqrt(2+7)", "en", "√(2 + 7)"),
        ("2^10", "en", "2^10"),
        ("10 / 4", "fr", "10 ÷ 4"),
        ("5!", "en", "5!"),
        ("the sum of 3 and 4", "en", "3 + 4"),
    ],
)
def test_rendering(message: str, lang: str, shown: str) -> None:
    result = interpret(message, lang)
    assert result is not None and result.calculation is not None
    assert render(result.calculation.tree, lang) == shown


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        ("three times seventeen", "en", "3 times 17"),
        ("one hundred and five", "en", "105"),
        ("a hundred and twenty-three", "en", "123"),
        ("nineteen hundred and eighty-four", "en", "1984"),
        ("twelve thousand", "en", "12000"),
        ("two point five", "en", "2.5"),
        ("3 million", "en", "3000000"),
        ("three four", "en", "3 4"),
        ("a goat", "en", "a goat"),
        ("vingt-et-un", "fr", "21"),
        ("vingt et un", "fr", "21"),
        ("quatre-vingt-dix-sept", "fr", "97"),
        ("soixante-dix-sept", "fr", "77"),
        ("soixante et onze", "fr", "71"),
        ("quatre-vingts", "fr", "80"),
        ("deux cent mille trois cent quarante-cinq", "fr", "200345"),
        ("mille neuf cent quatre-vingt-dix-neuf", "fr", "1999"),
        ("deux virgule cinq", "fr", "2.5"),
        ("2,5 milliards", "fr", "2500000000"),
        ("un plus un", "fr", "1 plus 1"),
        ("cinq fois une banane", "fr", "5 fois une banane"),
        # a dozen is a scale word of its own, digits before it included; half a dozen is six
        ("4 dozen", "en", "48"),
        ("half a dozen", "en", "6"),
        ("une demi-douzaine", "fr", "6"),
        ("trois douzaines moins une demi-douzaine", "fr", "36 moins 6"),
    ],
)
def test_number_words(text: str, lang: str, expected: str) -> None:
    assert words_to_digits(text, lang) == expected


@pytest.mark.parametrize(
    ("message", "lang", "expected"),
    [
        # an expression inside a request sentence
        ("Can you work out (12 + 8) × (15 − 9) / 4 for me?", "en", "30"),
        ("Could you compute (25 − 5) × 5 for me please?", "en", "100"),
        ("Please work out 6 - 4 * 5 and tell me the answer.", "en", "-14"),
        ("Please calculate 9 * 9 - 1 and give me only the result.", "en", "80"),
        ("Tu peux me calculer 98,6 − 37,25 ?", "fr", "61,35"),
        ("Peux-tu calculer 20,5 − 8,05 ?", "fr", "12,45"),
        ("Tu peux me calculer 55 ÷ 2 s'il te plaît ?", "fr", "27,5"),
        ("Calcule-moi 7 × 6 − 2, juste le résultat.", "fr", "40"),
        ("What do you get when you multiply 4 by -9?", "en", "-36"),
        ("Qu'est-ce qu'on obtient si on multiplie 4 par -9 ?", "fr", "-36"),
        # imperative verbs
        ("Multiply 12 by 8.", "en", "96"),
        ("Multiplie 12 par 8.", "fr", "96"),
        ("Divide 2,250 by 125.", "en", "18"),
        ("Divise 2 250 par 125.", "fr", "18"),
        ("Divisez 100 par 4, s'il vous plaît.", "fr", "25"),
        ("Add 56 and 65.", "en", "121"),
        ("Subtract 17 from 50.", "en", "33"),
        ("Subtract -8 from 2.", "en", "10"),
        ("Soustrais 17 de 50.", "fr", "33"),
        ("Soustrais 17 à 50.", "fr", "33"),
        ("multiply -6 by 7", "en", "-42"),
        # separators, signs and typographic symbols
        ("What is 1,500 × 3?", "en", "4500"),
        ("Combien font 1 500 × 3 ?", "fr", "4500"),
        ("what is −5 + 13", "en", "8"),
        ("What's -3 × 4?", "en", "-12"),
        ("Combien font 12,5 − 0,75 ?", "fr", "11,75"),
        ("Calcule : 12 : 4", "fr", "3"),
        ("What's 25% off 84?", "en", "63"),
        ("Tu sais combien font 3 fois 4 ?", "fr", "12"),
        ("What do I get if I divide 49 by 7?", "en", "7"),
        # aggregates over a list
        ("What is the average of 1 and 3?", "en", "2"),
        ("What's the mean of 3, 5 and 10?", "en", "6"),
        ("Quelle est la moyenne de 3, 5 et 10 ?", "fr", "6"),
        ("What is the sum of 3, 5 and 7?", "en", "15"),
        ("Calcule la somme de 3, 5 et 7.", "fr", "15"),
        ("la moyenne de 12,5 et 7,5", "fr", "10"),
    ],
)
def test_embedded_and_imperative(message: str, lang: str, expected: str) -> None:
    assert answer(message, lang) == expected


@pytest.mark.parametrize(
    ("message", "lang"),
    [
        ("Quick one: 5 × (3 + 2) = ?", "en"),  # the lead-in is no part of the expression
        ("Petite question : 7 × 8 = ?", "fr"),
        ("One more: 6 × 7", "en"),
        ("Quick one - what's 2 × 3?", "en"),
        ("What is 3, plus 4?", "en"),
        ("Call me at 555-1234 please", "en"),
        ("Can you work out a plan for 3 - 4 people?", "en"),  # a request, but not for a calculation
        ("Please calculate the rent for 2 + 2 bedrooms and a garden", "en"),
    ],
)
def test_whole_message_is_not_one_expression(message: str, lang: str) -> None:
    result = interpret(message, lang)
    assert result is None or result.calculation is None
