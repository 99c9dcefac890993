"""Chains of steps and fractions in words (answer/router.py, reading.py, mathtext.py): every
number of the message is used, and each step works on the result before it."""

from __future__ import annotations

from datetime import date

import pytest

from eclair.answer.reading import read_message
from eclair.answer.router import decide
from eclair.engine.protocol import ChatMessage

TODAY = date(2026, 12, 4)


def decided(question: str):  # type: ignore[no-untyped-def]
    return decide([ChatMessage(role="user", content=question)], TODAY)


@pytest.mark.parametrize(
    ("question", "value"),
    [
        ("Take 900, subtract 275, then divide the result by 5, and finally add 48. What do you get?", "173"),
        ("Prends 48, multiplie-le par 15, retire 120 puis divise le tout par 8. Résultat ?", "75"),
        ("Start with 7, double it, then add 3", "17"),
        ("Pars de 100, retire 40 puis divise par 3.", "20"),
        ("Combien font 30 divisé par un demi, plus 10 ?", "70"),
        ("What is 12 times a quarter?", "3"),
        ("quick one: (125 - 48) * 7 + 19 = ?", "558"),
        ("Combien font 3 fois 4, plus 2 ?", "14"),
        # the first step is a calculation of its own
        ("Take nine times six, subtract 4, then divide by 5. What do you get?", "10"),
        ("Prends 9 fois 6, enlève 4, puis divise par 10.", "5"),
        # fractions in words are operands of their own
        ("Combien font trois quarts moins un cinquième ?", "0,55"),
        ("What's two thirds plus one sixth?", "0.8333333333"),
        # fractions as addends and factors; a remark after the question is not part of it
        ("Could you add 2/5 and 3/10 for me? Either form will do.", "0.7"),
        ("Additionne 2/3 et 1/6.", "0,8333333333"),
        ("multiply 3/4 by 2/5, please", "0.3"),
        # numbers in words, the result called what the user gets, a start that halves or doubles
        ("Take six hundred and five, subtract ninety-nine, then multiply whatever you get by two.", "1012"),
        ("Halve 3,500, add a dozen, then divide the lot by four.", "440.5"),
        ("Double 45, then subtract 7.", "83"),
        ("Multiplie vingt-six par onze, puis retranche cent.", "186"),
        ("Work out 21 × 4, and then tell me what that result is minus 90.", "-6"),
    ],
)
def test_each_step_works_on_the_result_before_it(question: str, value: str) -> None:
    decision = decided(question)
    assert decision.route == "calculator" and decision.reply is not None, question
    assert decision.reply.text.rstrip(".").split(" ")[-1] == value, decision.reply.text


def test_a_starting_number_alone_is_not_an_answer() -> None:
    decision = decided("Take 12.")
    assert decision.reply is None or "12" not in decision.reply.checks


def test_a_fraction_in_words_is_a_number_of_the_message() -> None:
    reading = read_message("30 divisé par un demi, plus 10", "fr")
    values = sorted(n.value for n in reading.quantities)
    assert [str(v) for v in values] == ["1/2", "10", "30"]
    # accounted for when the calculation used 1 and 2 ("1 / 2")
    from fractions import Fraction

    assert reading.unaccounted([Fraction(30), Fraction(1), Fraction(2), Fraction(10)]) == []
    assert reading.unaccounted([Fraction(30), Fraction(10)]) != []


def test_a_word_problem_that_drops_a_number_does_not_answer() -> None:
    decision = decided("Combien font 30 divisé par un demi, plus 10 ?")
    assert decision.reply is not None and "30 ÷ 10" not in decision.reply.text


@pytest.mark.parametrize(
    ("question", "days"),
    [
        (
            "My project starts on 30 January 2027 and lasts 45 days. On what date does it end if I add 45 days?",
            "16 March 2027",
        ),
        ("Add 10 days to 1 May 2027, then another 10 days", "21 May 2027"),
        ("What date is 2 weeks and 3 days after 1 March 2027?", "18 March 2027"),
    ],
)
def test_a_duration_said_twice_counts_once(question: str, days: str) -> None:
    decision = decided(question)
    assert decision.reply is not None and days in decision.reply.text, decision.reply


@pytest.mark.parametrize(
    ("message", "lang", "value"),
    [
        (
            "Une veste à 90 € est soldée à -20 %, puis encore 5 % de remise en caisse. Je paie combien au final ?",
            "fr",
            "68,4",
        ),
        ("A lamp costs 50 €, reduced by 10%, then a further 10% off. How much do I pay?", "en", "40.5"),
    ],
)
def test_successive_discounts_asked_as_what_the_buyer_pays(message: str, lang: str, value: str) -> None:
    from eclair.answer.numfmt import format_number
    from eclair.answer.percentchain import solve_percent_chain

    answer = solve_percent_chain(message, lang)
    assert answer is not None and answer.calculation is not None
    assert format_number(answer.calculation.value.q, lang)[0] == value


@pytest.mark.parametrize(
    ("question", "value"),
    [("What is 5 plus 3? Then add two.", "10"), ("What is 5 plus 3? Then double it.", "16")],
)
def test_a_remark_that_computes_is_part_of_the_question(question: str, value: str) -> None:
    """Only a remark that neither asks nor computes is dropped after the question."""
    decision = decided(question)
    assert decision.reply is not None and decision.reply.text.rstrip(".").split(" ")[-1] == value


@pytest.mark.parametrize(
    ("question", "value"),
    [
        ("For my maths class I have to work out 5/6 - 1/4. What's the answer?", "0.5833333333"),
        ("Ma fille doit calculer (15 - 6) × 4. Quel est le résultat ?", "36"),
    ],
)
def test_a_closing_question_asks_for_the_calculation_said_before_it(question: str, value: str) -> None:
    decision = decided(question)
    assert decision.route == "calculator" and decision.reply is not None, question
    assert decision.reply.text.rstrip(".").split(" ")[-1] == value, decision.reply.text


@pytest.mark.parametrize(
    "question",
    [
        "I have 3 children. The exercise sheet shows 2 + 2. What's the answer?",
        "We are four at home. The exercise is 10 - 3. What's the result?",
    ],
)
def test_a_closing_question_leaves_other_numbers_unread(question: str) -> None:
    decision = decided(question)
    assert decision.reply is None or decision.reply.abstained, decision.reply


@pytest.mark.parametrize(
    ("question", "value"),
    [
        ("what is 36 dvided by 0.4 plus 5", "95"),
        ("what is 7 multipled by 8?", "56"),
        ("Combien font 9,6 diviser par 0,12 ?", "80"),
        ("Divide 1,800 by 24.", "75"),  # a word, not a misspelling
    ],
)
def test_misspelt_operation_words_are_read(question: str, value: str) -> None:
    decision = decided(question)
    assert decision.route == "calculator" and decision.reply is not None, question
    assert decision.reply.text.rstrip(".").split(" ")[-1] == value, decision.reply.text


@pytest.mark.parametrize(
    ("question", "value"),
    [
        # a calculation asked inside a sentence; the scene (a clock time, an age) is no term of it
        ("My dad, who is 64 years old, asked me at 9:30 what 17 × 23 is.", "391"),
        ("Mon oncle, qui a 71 ans, m'a demandé à 18 h 45 combien font 48 × 15, le tout divisé par 4.", "180"),
        ("Our teacher asked us what 36 × 25 is. Can you give me the answer?", "900"),
    ],
)
def test_a_calculation_asked_inside_a_story_is_answered(question: str, value: str) -> None:
    decision = decided(question)
    assert decision.route == "calculator" and decision.reply is not None, question
    assert decision.reply.text.rstrip(".").split(" ")[-1] == value, decision.reply.text


@pytest.mark.parametrize(
    "question",
    [
        # a count asked in the form of advice: never handed to the model to guess
        "We are 9 for dinner and everyone eats about 2 sausages. A pack holds 6. How many packs should I buy?",
        "On sera 12 et chacun mangera 3 crêpes. Combien d'œufs dois-je prévoir, à ton avis ?",
    ],
)
def test_a_count_asked_as_advice_is_not_the_models(question: str) -> None:
    decision = decided(question)
    assert decision.route != "model", decision
