"""Percentage word problems: the change, the result, the original, a share, a rate of change."""

from __future__ import annotations

from datetime import date

import pytest

from eclair.answer.numfmt import format_number
from eclair.answer.percentproblem import solve_percent_problem
from eclair.answer.router import answer_with_tools


def value(problem: str, lang: str) -> str:
    answer = solve_percent_problem(problem, lang)
    assert answer is not None, problem
    assert answer.calculation is not None, answer.error
    return format_number(answer.calculation.value.q, lang)[0]


@pytest.mark.parametrize(
    ("problem", "lang", "expected"),
    [
        # discounts and sales: the price after the change
        ("Sneakers priced at $84 are 25% off. What is the sale price?", "en", "63"),
        ("A $80 watch is discounted by 15%. How much does it cost now?", "en", "68"),
        ("A sofa costs 1,200 dollars and is on sale at 35% off. What's the new price?", "en", "780"),
        ("The 60 euro boots have a 10 percent discount. What do they cost after the discount?", "en", "54"),
        ("Une robe coûte 90 € et elle est soldée à 30 %. Quel est le prix soldé ?", "fr", "63"),
        ("Un pantalon à 60 € est soldé à -30 %. Combien coûte-t-il maintenant ?", "fr", "42"),
        ("Un vélo à 450 € bénéficie d'une remise de 20 %. Quel est son prix final ?", "fr", "360"),
        ("Une lampe de 35 euros est en promo à -40 %. Combien je la paie ?", "fr", "21"),
        # the change itself
        ("A $80 watch is discounted by 15%. How much do I save?", "en", "12"),
        ("Une robe coûte 90 € avec une remise de 30 %. Combien j'économise ?", "fr", "27"),
        ("A town of 3,000 people loses 5% of its population. How many people did it lose?", "en", "150"),
        # taxes and tips: amount versus total
        ("The tax is 20% on a 45 dollar item. How much is the tax?", "en", "9"),
        ("A meal costs 64 dollars before an 8% sales tax. What is the tax?", "en", "5.12"),
        ("A restaurant bill is 50 dollars and I leave a 15% tip. How much is the tip?", "en", "7.5"),
        ("La TVA est de 20 % sur un article à 45 € HT. Combien de TVA je paie ?", "fr", "9"),
        (
            "Sur une facture de 250 € hors taxes, la TVA est à 5,5 %. Quel est le montant de la TVA ?",
            "fr",
            "13,75",
        ),
        ("Un repas à 40 € et un pourboire de 10 %, combien de pourboire ?", "fr", "4"),
        ("A jacket costs 45 before a 20% tax. What is the price including tax?", "en", "54"),
        ("A restaurant bill is 50 dollars plus a 15% tip. What is the total?", "en", "57.5"),
        ("Un article coûte 45 € hors taxes, avec une TVA de 20 %. Quel est le prix TTC ?", "fr", "54"),
        ("Un livre coûte 10 € HT. Quel est son prix TTC avec une TVA à 10 % ?", "fr", "11"),
        # rises and falls
        ("The price of 300 went up by 8%. What is the new price?", "en", "324"),
        ("A salary of 2,500 a month increases by 4%. What is the new salary?", "en", "2600"),
        ("Un loyer de 300 € augmente de 8 %. Quel est le nouveau loyer ?", "fr", "324"),
        ("A town of 3,000 people loses 5% of its population. How many people are left?", "en", "2850"),
        ("Une ville de 3 000 habitants perd 5 % de ses habitants. Combien en reste-t-il ?", "fr", "2850"),
        ("Une forêt de 1 500 arbres perd 12 % de ses arbres. Combien d'arbres reste-t-il ?", "fr", "1320"),
        ("Un troupeau de 80 moutons augmente de 25 %. Combien y a-t-il de moutons maintenant ?", "fr", "100"),
        # the value before the change
        ("After a 20% discount a lamp costs 80 dollars. What was the original price?", "en", "100"),
        ("Un article coûte 60 € TTC, TVA à 20 %. Quel est le prix HT ?", "fr", "50"),
        # a share of a whole
        ("In a class of 30 pupils, 40% are girls. How many girls are there?", "en", "12"),
        ("Dans une classe de 30 élèves, 40 % sont des filles. Combien y a-t-il de filles ?", "fr", "12"),
        ("Out of 250 apples, 12% are rotten. How many apples are rotten?", "en", "30"),
    ],
)
def test_rate_problems(problem: str, lang: str, expected: str) -> None:
    assert value(problem, lang) == expected


@pytest.mark.parametrize(
    ("problem", "lang", "expected", "direction"),
    [
        ("My rent went from 2,000 to 2,150 a month. By what percent did it go up?", "en", "7.5", "increase"),
        ("The price went from 80 to 100. By what percent did it increase?", "en", "25", "increase"),
        ("Sales dropped from 500 to 400. What is the percentage decrease?", "en", "20", "decrease"),
        ("A stock moved from $40 to $46. What is the percent change?", "en", "15", "increase"),
        ("Visitors fell from 1,250 to 1,000. By how many percent did they fall?", "en", "20", "decrease"),
        ("Le prix est passé de 80 € à 100 €. Quel est le pourcentage d'augmentation ?", "fr", "25", "hausse"),
        (
            "Les ventes sont passées de 500 à 400. De combien de pour cent ont-elles baissé ?",
            "fr",
            "20",
            "baisse",
        ),
        ("Mon salaire est passé de 1 800 à 1 890 €. Quelle hausse en pourcentage ?", "fr", "5", "hausse"),
        ("Le ticket passe de 2,50 € à 2,00 €. De combien de % baisse-t-il ?", "fr", "20", "baisse"),
        (
            "A ticket was 50 dollars last year and is 60 dollars now. What is the percentage increase?",
            "en",
            "20",
            "increase",
        ),
        (
            "Le ticket coûtait 50 €, il coûte maintenant 40 €. Quel est le pourcentage de baisse ?",
            "fr",
            "20",
            "baisse",
        ),
        (
            "La population passe de 640 à 800 habitants. Quel pourcentage d'augmentation ?",
            "fr",
            "25",
            "hausse",
        ),
    ],
)
def test_percent_change(problem: str, lang: str, expected: str, direction: str) -> None:
    answer = solve_percent_problem(problem, lang)
    assert answer is not None and answer.percent_change is not None, problem
    reply = answer_with_tools(problem, lang, date(2026, 1, 1))
    assert reply is not None and direction in reply.text
    assert f"= {expected})" in reply.text


@pytest.mark.parametrize(
    ("problem", "lang", "expected"),
    [
        ("18 out of 45 students passed. What percentage passed?", "en", "40"),
        ("Sur 45 élèves, 18 ont réussi. Quel pourcentage a réussi ?", "fr", "40"),
        ("25 sur 40, ça fait combien en pourcentage ?", "fr", "62,5"),
        ("Of 80 emails, 20 were spam. What percent were spam?", "en", "25"),
        ("Une équipe a gagné 15 matchs sur 20. Quel pourcentage de victoires ?", "fr", "75"),
        ("I answered 42 questions right out of 50. What is my score as a percentage?", "en", "84"),
    ],
)
def test_part_of_a_whole(problem: str, lang: str, expected: str) -> None:
    answer = solve_percent_problem(problem, lang)
    assert answer is not None and answer.percentage_of is not None, problem
    assert value(problem, lang) == expected


@pytest.mark.parametrize(
    ("problem", "lang"),
    [
        ("A shop has a 10% discount and then adds 20% tax on 50 dollars. What do I pay?", "en"),  # two rates
        ("About 30% of people in 2020 owned a car. How many?", "en"),  # a year, not a quantity
        ("The price rose 10% and fell 5%. What is it now?", "en"),  # two rates, no base
        ("A 300 euro phone is 20% off with a 10 euro coupon. What's the price?", "en"),  # three numbers
        ("Prices went up 5% and down on 200 items. Is that good?", "en"),  # rise and fall, no question
        ("Un article à 50 € est en hausse de 10 % puis en baisse. Quel prix ?", "fr"),  # rise and fall
        ("Mon téléphone est chargé à 40 %.", "fr"),  # no question
        ("The house was 3 years old and is now 5 stories. What percent?", "en"),  # no change asked
        ("A price of 120 with 15% tax included. What is the new price?", "en"),  # tax already included
    ],
)
def test_left_alone(problem: str, lang: str) -> None:
    assert solve_percent_problem(problem, lang) is None


@pytest.mark.parametrize(
    ("message", "lang", "share"),
    [
        ("Au club il y a 48 membres et 18 viennent en train. Quel pourcentage ?", "fr", "37.5"),
        ("We invited 60 people and 21 of them came. What percentage came?", "en", "35"),
        ("There are 25 flats; 9 are empty. What percentage is that?", "en", "36"),
    ],
)
def test_a_part_counted_after_its_whole(message: str, lang: str, share: str) -> None:
    answer = solve_percent_problem(message, lang)
    assert answer is not None and answer.calculation is not None
    assert str(float(answer.calculation.value.q)).rstrip("0").rstrip(".") == share


@pytest.mark.parametrize(
    "message",
    [
        "There are 32 pupils and 12 teachers. What percentage is that?",
        "A shirt was 40 and is now 30. What percentage?",
    ],
)
def test_two_counts_of_different_things_are_not_a_share(message: str) -> None:
    answer = solve_percent_problem(message, "en")
    assert answer is None or answer.percentage_of is None


@pytest.mark.parametrize(
    ("problem", "lang", "expected"),
    [
        ("Of the 80 runners, 68 finished. What percentage did not finish?", "en", "15"),
        ("Sur 40 invités, 14 sont végétariens. Quel pourcentage n'est pas végétarien ?", "fr", "65"),
    ],
)
def test_a_negated_question_asks_for_the_rest_of_the_whole(problem: str, lang: str, expected: str) -> None:
    answer = solve_percent_problem(problem, lang)
    assert answer is not None and answer.calculation is not None
    assert format_number(answer.calculation.value.q, lang)[0] == expected
