"""Multi-step story problems about money or things, and the ones left alone."""

from __future__ import annotations

import pytest

from eclair.answer.numfmt import format_number
from eclair.answer.reading import read_message
from eclair.answer.storyproblem import solve_story_problem


@pytest.mark.parametrize(
    ("problem", "lang", "expected"),
    [
        # a starting sum, then spending and earning
        (
            "I had 312 euros, then spent 47.80 on groceries and 19.95 on a book. How much do I have left?",
            "en",
            "244.25",
        ),
        (
            "I had 50 dollars. I spent 12.50 on lunch and 6 on a coffee. How much do I have left?",
            "en",
            "31.5",
        ),
        (
            "J'avais 50 €. J'ai dépensé 12,50 € au restaurant et 6 € pour un café. Combien me reste-t-il ?",
            "fr",
            "31,5",
        ),
        ("Marie a 40 €, elle gagne 35 € puis dépense 10 €. Combien lui reste-t-il ?", "fr", "65"),
        ("Sam has 40 dollars, earns 35 and then spends 10. How much does he have now?", "en", "65"),
        (
            "My account had 200 euros. I received 80 and withdrew 25. How much is in the account now?",
            "en",
            "255",
        ),
        ("Léa avait 120 €, elle a reçu 30 € puis a perdu 15 €. Combien a-t-elle maintenant ?", "fr", "135"),
        (
            "Nina had 75 pounds, lost 5, paid 20 for a ticket and found 2. How much does she still have?",
            "en",
            "52",
        ),
        # things rather than money
        ("Paul a 15 billes, il en gagne 12 puis en perd 3. Combien en a-t-il maintenant ?", "fr", "24"),
        ("Paul has 15 marbles, wins 12 and then loses 3. How many marbles does he have now?", "en", "24"),
        ("Tom had 10 apples, bought 4 and ate 3. How many now?", "en", "11"),
        # priced items: N at P (each)
        ("J'achète 3 baguettes à 1,15 € et un croissant à 1,30 €. Combien je paie en tout ?", "fr", "4,75"),
        ("I buy 2 coffees at $2.50 each and a muffin at $4.50. How much do I pay in total?", "en", "9.5"),
        ("J'achète 2 cafés à 2,50 € et un muffin à 4,50 €. Combien je paie ?", "fr", "9,5"),
        (
            "Je prends 4 croissants à 1,20 € et 2 pains à 4,20 €. Combien dois-je payer en tout ?",
            "fr",
            "13,2",
        ),
        ("Three tickets at 12 dollars each. What is the total?", "en", "36"),
        (
            "She orders 5 notebooks at 3.20 euros each and a pen for 1.40 euros. What does she pay?",
            "en",
            "17.4",
        ),
        ("Nous commandons 6 pizzas à 9,50 € chacune. Combien payons-nous au total ?", "fr", "57"),
        # a starting sum and priced purchases
        ("I had 30 euros and bought 2 sandwiches at 4.75 euros each. How much money is left?", "en", "20.5"),
        ("J'avais 30 € et j'ai acheté 2 sandwichs à 4,75 € chacun. Combien me reste-t-il ?", "fr", "20,5"),
        (
            "Julie a 20 €. Elle achète 3 stylos à 1,50 € et un cahier à 2,80 €. Combien lui reste-t-il ?",
            "fr",
            "12,7",
        ),
        # people moving, their number before the verb
        (
            "A bus leaves with 40 passengers. At the first stop, 12 get off and 7 get on. How many are on it now?",
            "en",
            "35",
        ),
        (
            "Un train part avec 120 voyageurs. Au premier arrêt, 15 descendent et 23 montent ; au suivant, "
            "30 descendent. Combien de voyageurs reste-t-il ?",
            "fr",
            "98",
        ),
    ],
)
def test_solved(problem: str, lang: str, expected: str) -> None:
    answer = solve_story_problem(problem, lang)
    assert answer is not None and answer.calculation is not None, problem
    assert format_number(answer.calculation.value.q, lang)[0] == expected


@pytest.mark.parametrize(
    ("problem", "lang"),
    [
        ("I had 50 dollars and 20 euros. How much do I have in total?", "en"),  # two currencies
        ("I bought some apples and 3 pears for 2 dollars each and 4 kiwis. How much did I pay?", "en"),
        ("In 2020 I had 300 euros, spent 50 and 20. How much left?", "en"),  # a year
        ("I have 3 cats, 2 dogs and 5 fish. What is the weather like?", "en"),  # no arithmetic question
        ("The train leaves at 10, arrives at 12 and costs 40 dollars. How long is the trip?", "en"),
        ("Tom has 10 apples and buys 4 pears, then gives some away. How many?", "en"),  # "some"
        ("J'avais 40 €, j'ai donné de l'argent à 3 amis puis gagné 10 €. Combien me reste-t-il ?", "fr"),
        ("I had 40 dollars, spent 10 and 5. How much is 3 times that?", "en"),  # a number in the question
        ("Il a 12 ans, sa sœur 9 ans et son frère 4 ans. Quel temps fait-il ?", "fr"),
        ("I had 12 apples and 3 pears. How many left?", "en"),  # apples and pears
    ],
)
def test_left_alone(problem: str, lang: str) -> None:
    assert solve_story_problem(problem, lang) is None


@pytest.mark.parametrize(
    ("problem", "lang", "expected"),
    [
        # a quantity at a price per unit, then items at a price each ("à 0,35 € pièce")
        (
            "J'ai pris 1,5 kg de pommes à 2,40 € le kilo et 4 œufs à 0,30 € pièce. Ça fait combien en tout ?",
            "fr",
            "4,8",
        ),
        (
            "I bought 2 kg of carrots at 1.10 per kg and 3 lemons at 0.45 each. How much in total?",
            "en",
            "3.55",
        ),
    ],
)
def test_items_priced_per_unit_or_each_are_multiplied(problem: str, lang: str, expected: str) -> None:
    answer = solve_story_problem(problem, lang)
    assert answer is not None and answer.calculation is not None, problem
    assert format_number(answer.calculation.value.q, lang)[0] == expected


def test_a_sum_named_by_its_purpose_is_money_like_the_rest() -> None:
    answer = solve_story_problem(
        "I had 900 dollars, paid 420 for rent, then got a 75 bonus. How much do I have now?", "en"
    )
    assert answer is not None and answer.calculation is not None
    assert answer.calculation.value.q == 555


@pytest.mark.parametrize(
    ("message", "lang", "result"),
    [
        # what one earns starts a budget; expenses named without a verb are spent
        (
            "I take home 1,900 a month. Rent is 750, groceries about 260 and my phone 35. What's left?",
            "en",
            "855",
        ),
        (
            "Je touche 2 100 € par mois. Loyer : 680 €, assurance : 45 €, courses : 320 €. Combien me reste-t-il ?",
            "fr",
            "1055",
        ),
        (
            "I earn 3200 a month and pay 1100 for my mortgage and 90 for the internet. How much is left?",
            "en",
            "2010",
        ),
    ],
)
def test_a_budget_is_income_less_the_expenses_it_names(message: str, lang: str, result: str) -> None:
    answer = solve_story_problem(message, lang)
    assert answer is not None and answer.calculation is not None, message
    assert format_number(answer.calculation.value.q, "en")[0] == result


@pytest.mark.parametrize(
    ("problem", "lang", "expected"),
    [
        # people getting off and on; a clock time and an age only set the scene
        (
            "A ferry leaves the quay at 06:40 with 58 passengers. At the first port 21 people get off "
            "and 13 get on. The captain is 61 years old. How many passengers are on board now?",
            "en",
            "50",
        ),
        (
            "Un car part de la gare à 7 h 50 avec 36 élèves. Au premier arrêt, 9 personnes descendent et "
            "4 montent. La conductrice a 45 ans. Combien y a-t-il d'élèves après le premier arrêt ?",
            "fr",
            "31",
        ),
        # the change from a note, whoever serves
        (
            "J'achète 4 yaourts à 0,80 € et 1 fromage à 3,50 € et je paie avec un billet de 10 €. "
            "Le crémier a 52 ans. Combien doit-il me rendre ?",
            "fr",
            "3,3",
        ),
    ],
)
def test_scene_numbers_are_not_terms(problem: str, lang: str, expected: str) -> None:
    answer = solve_story_problem(problem, lang)
    assert answer is not None and answer.calculation is not None, problem
    assert format_number(answer.calculation.value.q, lang)[0] == expected


def test_a_clock_time_asked_about_is_not_scene() -> None:
    # "when" asks a time: the clock time is a term, so nothing is left out silently
    reading = read_message("The shop opens at 9:30 and 14 people queue. When does it open?", "en")
    assert all(not n.context for n in reading.numbers)
    scene = read_message("The shop opens at 9:30 and 14 people queue. How many people queue?", "en")
    assert [n.value for n in scene.quantities] == [14]
