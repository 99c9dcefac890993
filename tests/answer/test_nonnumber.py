"""Arithmetic on things that are not numbers is a premise error; sharing out amounts is not."""

from __future__ import annotations

import pytest

from eclair.answer.premise import check_premise


@pytest.mark.parametrize(
    ("question", "lang", "says"),
    [
        ("What is London minus 3?", "en", "“London” is not a number"),
        ("Multiply the moon by 12, please.", "en", "“the moon” is not a number"),
        ("How much is the color green times 4?", "en", "“the color green times 4”"),
        ("What is jealousy squared?", "en", "so it has no square"),
        ("Compute the logarithm of a sandwich.", "en", "“a sandwich” is not a number"),
        ("What is the factorial of a pineapple?", "en", "no factorial"),
        ("What is love to the power of 3?", "en", "“love to the power of 3”"),
        ("What is Paris divided by pi?", "en", "“Paris divided by pi”"),
        ("Work out the cube of sadness to three decimal places.", "en", "“sadness” is not a number"),
        ("Add Monday to the colour red. What's the sum?", "en", "“Monday” is not a number"),
        ("What is the sum of Friday and yellow?", "en", "“Friday” is not a number"),
        ("Can you divide the Mona Lisa by nine?", "en", "“the Mona Lisa divided by nine”"),
        ("Combien font 8 fois une girafe ?", "fr", "« 8 fois une girafe »"),
        ("Multiplie la tour Eiffel par trois.", "fr", "« la tour Eiffel » n'est pas un nombre"),
        ("Quelle est la racine carrée de la jalousie ?", "fr", "la racine carrée"),
        ("Calcule le cube du bonheur.", "fr", "le cube"),
        ("Que vaut Londres divisé par quatre ?", "fr", "« Londres divisé par quatre »"),
        ("Ajoute mardi à la couleur verte. Quel est le total ?", "fr", "« mardi » n'est pas un nombre"),
        ("La tristesse au carré, ça fait combien ?", "fr", "le carré"),
        ("Tu peux diviser la Joconde par deux ?", "fr", "« la Joconde »"),
        ("Divise Marseille par sept et donne le résultat.", "fr", "« Marseille divisé par sept »"),
        ("Quel est le logarithme de la nostalgie ?", "fr", "le logarithme"),
        ("What do you get if you multiply a cat by 4?", "en", "“a cat times 4”"),
        ("Add 5 to a banana. What's the result?", "en", "“5 plus a banana”"),
        ("How much is a goat plus a sheep?", "en", "“a goat” is not a number"),
        # a genre named inside a question is no request for a text
        ("What is the square root of a poem?", "en", "“a poem” is not a number"),
        ("Quelle est la racine carrée d'un poème d'amour ?", "fr", "« un poème d'amour »"),
        # the quotient or the product asks for a result by itself
        ("What is the quotient of courage by the letter Q?", "en", "“courage” is not a number"),
        ("Quel est le produit de la mélancolie et de 4 ?", "fr", "« la mélancolie » n'est pas un nombre"),
        # asking for "the number" asks for a result
        (
            "Please multiply Sunday by the colour orange and give me the number.",
            "en",
            "“Sunday” is not a number",
        ),
        ("Divise lundi par la couleur rose et donne-moi le nombre.", "fr", "« lundi » n'est pas un nombre"),
    ],
)
def test_operations_on_non_numbers_are_flagged(question: str, lang: str, says: str) -> None:
    issue = check_premise(question, lang)
    assert issue is not None, question
    assert issue.kind == "not_a_number"
    assert says in issue.message


@pytest.mark.parametrize(
    ("question", "lang"),
    [
        ("Divide the bill by 4.", "en"),
        ("Split 3 pizzas among 4 friends.", "en"),
        ("What is half of 30 apples?", "en"),
        ("What is 5 km times 3?", "en"),
        ("What is x squared plus 2x?", "en"),
        ("Divide the apples by 3", "en"),
        ("Add the eggs to the flour and stir.", "en"),
        ("Add 2 eggs to the flour.", "en"),
        ("What is Tuesday plus 3 days?", "en"),
        ("Why was Germany divided by the Berlin Wall?", "en"),
        ("What is the price plus tax?", "en"),
        ("What is the square of the hypotenuse?", "en"),
        ("What is the volume of a cube of ice?", "en"),
        ("What's the plus side of remote work?", "en"),
        ("What is the speed of light divided by 2?", "en"),
        ("What is the height of the Eiffel Tower divided by seven?", "en"),
        ("Multiply the recipe by 3.", "en"),
        ("Nadal was 14 times a champion.", "en"),
        ("What is e to the power of 2?", "en"),
        ("What is my age times 2?", "en"),
        ("Divise l'addition par 4.", "fr"),
        ("Quel est le carré de 12 ?", "fr"),
        ("Quelle est la racine du mot bonheur ?", "fr"),
        ("Partage 12 bonbons entre 3 enfants.", "fr"),
        ("Combien font 3 fois rien ?", "fr"),
        ("Mange un carré de chocolat.", "fr"),
        ("Divise les pommes par 3.", "fr"),
        ("Que vaut n au carré ?", "fr"),
        ("If you add sugar to tea, what's the result?", "en"),
        ("Que se passe-t-il si on divise la Lune par deux ?", "fr"),
        ("What is the derivative of x squared?", "en"),
        ("Can you multiply fractions by whole numbers?", "en"),
        ("Write a song about the square root of a goat.", "en"),
        ("What is the difference between a hare and a rabbit?", "en"),
        ("Quel est le produit de la vente des crêpes ?", "fr"),
        # a unit with a slash is no division: "km/h", "€/kg"
        ("Je pédale à 18 km/h sur la piste, ça fait combien de mètres par minute ?", "fr"),
        ("My car does 7 l/100 km on the motorway, what is that in mpg?", "en"),
    ],
)
def test_amounts_units_and_variables_are_not_flagged(question: str, lang: str) -> None:
    assert check_premise(question, lang) is None
