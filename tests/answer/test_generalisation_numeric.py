"""Unseen numeric questions, as users type them, checked against independently computed answers.

None of these is taken from ``evals/``: they were written to probe whether the calculator, unit
and date tools generalise to other numbers and phrasings, in English and French. Expected values
were computed with ``fractions`` and ``datetime``, not with the tools. ``DECLINE`` marks a
question that no tool may answer with a number (ambiguous, impossible or meaningless): falling
through to another path, or a refusal, is right; a confident value is not.
"""

from __future__ import annotations

import re
from datetime import date
from fractions import Fraction

import pytest

from eclair.answer.calculator import CalcError, calculate
from eclair.answer.numfmt import has_ambiguous_number, parse_decimal
from eclair.answer.router import decide
from eclair.engine.protocol import ChatMessage

TODAY = date(2026, 11, 28)  # a Saturday
DECLINE = None

ARITHMETIC = [
    ("hey what's 48 * 12", "576"),
    ("whats 1,000,000 / 250", "4000"),
    ("calculate -15 + 7 please", "-8"),
    ("what is 3 + 4 * 5", "23"),
    ("(7 - 2) * (3 + 9) ?", "60"),
    ("can u tell me what 256 divided by 16 is", "16"),
    ("what is twelve times eleven", "132"),
    ("what's 0.1 + 0.2", "0.3"),
    ("How much is 2.5 x 4?", "10"),
    ("what do you get if you subtract 38 from 100", "62"),
    ("what is 45 minus negative 5", "50"),
    ("sum of 17, 25 and 58", "100"),
    ("what's the product of 6 and 9", "54"),
    ("what is 10 - 2 - 3", "5"),
    ("what's half of 3.5", "1.75"),
    ("combien font 144 divisé par 12 ?", "12"),
    ("ca fait combien 23 fois 19", "437"),
    ("calcule 3,5 + 2,25 stp", "5,75"),
    ("combien fait 1 000 - 1", "999"),
    ("c'est combien quarante-deux plus dix-huit ?", "60"),
    ("combien font -8 × -7 ?", "56"),
    ("peux tu me calculer (15 + 5) / 4", "5"),
    ("quel est le résultat de 2 + 3 × 4 ?", "14"),
    ("combien font sept fois huit", "56"),
    ("soixante-dix moins vingt-cinq", "45"),
    ("quelle est la somme de 125 et 375 ?", "500"),
    ("combien fait 12,5 × 8", "100"),
    ("le double de 37", "74"),
    ("la moitié de 250", "125"),
    ("combien font 100 divisé par 8", "12,5"),
    ("quatre-vingt-dix-neuf plus un", "100"),
    ("combien font 2 500 000 divisé par 1000", "2500"),
    ("what's 1/2 + 1/3", "5/6"),
    ("10 - -5", "15"),
    ("what is -3^2", "-9"),
    ("2^3^2", "512"),
    ("3x4", "12"),
    ("what is 1,234.5 + 0.5", "1235"),
    ("combien font 1.234,5 + 0,5", "1235"),
    ("what is 3 divided by 1/3", "9"),
    ("combien font 10 divisé par 1/2", "20"),
    ("combien font deux cent cinquante plus mille", "1250"),
    ("what's a million divided by a thousand", "1000"),
    ("combien font trois virgule cinq fois deux", "7"),
    ("what is 12 plus 8 divided by 4", "14"),
    ("what's the average of 4, 8 and 15", "9"),
    ("la moyenne de 12, 14 et 19", "15"),
    ("combien font 5 € + 3 €", "8"),
    ("what's $15.50 times 3", "46.5"),
    ("cb font 12 x 12", "144"),
    ("c koi 7 fois 6", "42"),
    ("calcul 45 - 18", "27"),
    ("yo whats 19 x 21", "399"),
    ("wat is 6 times 8", "48"),
    ("combien font 1/3 + 1/6", "0,5"),
    ("what is seven thousand, four hundred and twelve minus eight hundred and thirty-two?", "6580"),
    ("eighty-three plus three hundred ninety-eight", "481"),
    (
        "how much is one million, two hundred and seventy-nine thousand, one hundred and forty-one minus nine hundred and seventy-eight",
        "1278163",
    ),
    ("the sum of two thousand, three and four", "2007"),
    ("combien font mille neuf cent soixante et onze moins deux cent quatre-vingt-dix-neuf", "1672"),
    ("three quarters of 200", "150"),
    ("deux tiers de 90", "60"),
    ("un cinquième de 250", "50"),
    ("two thirds of 90", "60"),
    ("We are 7 and the bill is 150. How much each?", "150/7"),
    ("On est 4 et l'addition fait 86 €. Combien par personne ?", "21,5"),
    ("How much do we pay each if the bill is 90 and we are 3?", "30"),
]

PERCENTAGES = [
    ("what is 15% of 80", "12"),
    ("20 percent of 350?", "70"),
    ("A $80 jacket is 25% off. What's the sale price?", "60"),
    ("If my rent of 1200 goes up 5%, what's the new rent?", "1260"),
    ("What percent is 45 of 180?", "25"),
    ("Price went from 50 to 65, what's the percentage increase?", "30"),
    ("How much tip is 18% on a $45 bill?", "8.1"),
    ("what's 120 plus 20% VAT", "144"),
    ("decrease 200 by 15%", "170"),
    ("what is 7.5% of 2000", "150"),
    ("combien font 30 % de 250 ?", "75"),
    ("15% de 60 ça fait combien", "9"),
    ("un pull à 40 € avec 25 % de réduction, ça fait combien ?", "30"),
    ("prix HT 100 €, TVA 20 %, combien TTC ?", "120"),
    ("quel pourcentage représente 30 sur 120 ?", "25"),
    ("le prix passe de 80 à 60 €, quelle est la baisse en pourcentage ?", "25"),
    ("augmenter 500 de 12 %", "560"),
    ("combien fait 2,5 % de 1 000", "25"),
    ("mon salaire de 2000 euros augmente de 3 %, combien je gagne maintenant ?", "2060"),
    ("50 c'est combien de pour cent de 400 ?", "12,5"),
    ("what's 20% more than 50", "60"),
    ("20% less than 80", "64"),
    ("20 % de plus que 50", "60"),
    ("15 pour cent de moins que 200", "170"),
    ("25% of what number is 20?", "80"),
    ("10 is 20% of what?", "50"),
    ("20 % de quel nombre font 5 ?", "25"),
    ("30 c'est 15 % de combien ?", "200"),
    ("what is 15% tip on 60", "9"),
    ("A costs 20% more than B which is 50. how much is A?", "60"),
    ("Un vélo coûte 25 % de moins qu'un scooter à 800 €. Combien coûte le vélo ?", "600"),
    ("after a 10% raise my salary is 2200, what was it before?", "2000"),
    ("a TV costs 500 after a 20% discount, what was the original price?", "625"),
    ("prix TTC 120 € avec TVA 20 %, quel est le prix HT ?", "100"),
    ("de 100 à 80, quel pourcentage de baisse ?", "20"),
    ("j'ai eu 15 sur 20, ça fait combien en pourcentage ?", "75"),
    ("what is 3/8 as a percentage", "37.5"),
    ("3/4 en pourcentage", "75"),
    ("une tva de 5,5 % sur 200 €, ça fait combien de tva ?", "11"),
    ("combien font 3 % de 2,5 millions", "75000"),
    ("what's the sales tax on $200 at 8.25%", "16.5"),
    ("The price rose by 20% to 60. How much was it?", "50"),
    ("Le loyer a augmenté de 5 % pour atteindre 630 €. Combien était-il ?", "600"),
    ("After a 25% discount I paid 45. How much did I save?", "15"),
    ("After a 25% discount I paid 45. What was the price?", "60"),
    ("I paid 45 after a 25% discount. How much was the discount?", "15"),
    ("Après une remise de 20 %, j'ai payé 80 €. Combien ai-je économisé ?", "20"),
    ("with 20% VAT the price is 120. how much is the VAT?", "20"),
    ("prix TTC 120 €, TVA 20 %, combien de TVA ?", "20"),
    ("Ce manteau coûte maintenant 120 € après une baisse de 40 %. Quel était son prix ?", "200"),
    ("I earn 3000 a month and pay 22% tax. How much do I keep?", "2340"),
    ("Je gagne 2500 € et je paie 20 % d'impôts. Combien me reste-t-il ?", "2000"),
    ("Mon action gagne 5 % et valait 200 €. Combien vaut-elle maintenant ?", "210"),
    ("I had 200 and spent 15% of it. How much is left?", "170"),
    ("J'avais 80 € et j'en ai dépensé 25 %. Combien ai-je dépensé ?", "20"),
    ("what's 20% off 80", "64"),
    ("Sales fell 12% from 5000. What are sales now?", "4400"),
]

POWERS_ROOTS = [
    ("square root of 2", "1.414213…"),
    ("what's the square root of 225", "15"),
    ("2 to the power of 16", "65536"),
    ("cube of 7", "343"),
    ("what is 3^4", "81"),
    ("cube root of 27", "3"),
    ("9 squared", "81"),
    ("sqrt(50)", "7.071067…"),
    ("10 to the 6th power", "1000000"),
    ("racine carrée de 196", "14"),
    ("racine de 81", "9"),
    ("3 puissance 5", "243"),
    ("le cube de 5", "125"),
    ("5 au carré", "25"),
    ("racine cubique de 64", "4"),
    ("combien fait 2 exposant 8 ?", "256"),
    ("quelle est la racine carrée de 2,25 ?", "1,5"),
    ("10 puissance 3", "1000"),
    ("11 au cube", "1331"),
    ("the 4th root of 16", "2"),
    ("racine quatrième de 81", "3"),
    ("what's the fifth root of 32", "2"),
    ("cube root of 10", "2.154434…"),
    ("dix puissance moins deux", "0,01"),
    ("deux au cube", "8"),
    ("c'est quoi la racine carree de 144", "12"),
    ("racine carre de 49", "7"),
    ("whats the sq root of 81", "9"),
    ("square root 64", "8"),
    ("how much is 7 to the third", "343"),
    ("quelle est la racine cubique de 125", "5"),
    ("trois au carré plus quatre au carré", "25"),
]

UNITS = [
    ("how many minutes in 4 hours", "240"),
    ("convert 10 km to miles", "6.2137…"),
    ("how many kilometers is 26.2 miles", "42.16…"),
    ("what's 100 fahrenheit in celsius", "37.7…"),
    ("30°C in F", "86"),
    ("5 kg in pounds", "11.02…"),
    ("how many grams in 2.5 kg", "2500"),
    ("an hour and a half in minutes", "90"),
    ("how many seconds in a day", "86400"),
    ("3 feet in cm", "91.44"),
    ("how many ml in 1.5 liters", "1500"),
    ("2 and a half hours in minutes", "150"),
    ("convert 150 lb to kg", "68.03…"),
    ("how many days in 3 weeks", "21"),
    ("combien de secondes dans 2 heures ?", "7200"),
    ("2 heures et quart en minutes", "135"),
    ("1 h 30 en minutes", "90"),
    ("trois quarts d'heure, ça fait combien de minutes ?", "45"),
    ("convertir 50 km en miles", "31,06…"),
    ("combien de litres dans 500 ml", "0,5"),
    ("20 degrés celsius en fahrenheit", "68"),
    ("combien de grammes dans 3 kilos", "3000"),
    ("10 livres en kg", "4,53…"),
    ("combien de minutes dans une journée", "1440"),
    ("3 heures et demie en minutes", "210"),
    ("combien de mètres dans 2,5 km", "2500"),
    ("combien d'heures dans une semaine", "168"),
    ("1m80 en pieds", "5,905…"),
    ("how many minutes in 2 hours 30 minutes", "150"),
    ("5 ft 10 in cm", "177.8"),
    ("combien de secondes dans 1h20", "4800"),
    ("convert 2 hours and 15 minutes to minutes", "135"),
    ("une heure et demie en secondes", "5400"),
    ("how many minutes is a quarter of an hour", "15"),
    ("combien de minutes dans trois heures moins le quart", "165"),
    ("how many seconds in 2 min 30", "150"),
    ("c'est combien 30 c en f", "86"),
    ("-40 F in C", "-40"),
    ("0 K in celsius", "-273.15"),
    ("2 jours et demi en heures", "60"),
    ("65 mph in km/h", "104.60736"),
    ("combien de minutes dans 2h45", "165"),
    ("how many inches in 6 feet 2 inches", "74"),
    ("how many minutes in three quarters of an hour", "45"),
    ("how many quarts in a gallon", "4"),
    ("how fast is 100 km/h in mph", "62.137…"),
    ("how tall is 6 feet in cm", "182.88"),
    ("how many seconds in an hour and a quarter", "4500"),
    ("combien d'heures dans une semaine et demie", "252"),
]

DATES = [
    ("what day of the week was January 1, 2000?", "Saturday"),
    ("what day is christmas 2027 on", "Saturday"),
    ("how many days between March 1 2024 and March 1 2025", "365"),
    ("what date is 45 days from today", "12 January 2027"),
    ("what's the date in 2 weeks", "12 December 2026"),
    ("how many days until January 1, 2027?", "34"),
    ("what day of the week will 4 July 2030 be", "Thursday"),
    ("How old is someone born on 15 March 1990?", "36"),
    ("what date was it 100 days ago", "20 August 2026"),
    ("today is 5 May 2026, what date is it in 30 days?", "4 June 2026"),
    ("what weekday was 2001-09-11", "Tuesday"),
    ("quel jour de la semaine était le 14 février 2024 ?", "mercredi"),
    ("le 1er mai 2027 tombe quel jour ?", "samedi"),
    ("combien de jours entre le 1er janvier et le 31 décembre 2025 ?", "364"),
    ("quelle date dans 3 semaines ?", "19 décembre 2026"),
    ("on sera quel jour dans 10 jours", "8 décembre 2026"),
    ("quel âge a une personne née le 3 juin 2000 ?", "26"),
    ("combien de jours jusqu'à noël", "27"),
    ("nous sommes le 10 mars 2026, quelle date dans 60 jours ?", "9 mai 2026"),
    ("c'était quel jour le 25/12/1999 ?", "samedi"),
    ("quelle date était-il il y a 2 semaines ?", "14 novembre 2026"),
    ("combien de jours entre le 15/01/2026 et le 15/03/2026", "59"),
    ("quel jour sommes-nous aujourd'hui ?", "samedi"),
    ("dans combien de jours est le 14 juillet 2027 ?", "228"),
    ("what day will it be in 3 days", "Tuesday"),
    ("how many weeks until christmas", "3 weeks and 6 days"),
    ("quel jour était hier", "vendredi"),
    ("demain on est quel jour", "dimanche"),
    ("combien de jours en février 2028", "29"),
    ("is 2100 a leap year", "No"),
    ("2024 est-elle bissextile", "Oui"),
    ("si je suis né le 29 février 2000, quel âge ai-je", "26"),
    ("quel jour de la semaine tombe le 1er janvier 2030", "mardi"),
    ("in how many days is my birthday on 14 march", "106"),
    ("what's the date 90 days after 15 June 2026", "13 September 2026"),
    ("combien de jours il reste avant le 31 décembre", "33"),
    ("what day of the week is 12/25/2026", "Friday"),
    ("le 03/04/2026 c'est quel jour", "vendredi"),
    ("what day was it 1000 days ago", "3 March 2024"),
    ("how many weeks between 1 january 2026 and 1 april 2026", "12 weeks and 6 days"),
    ("quel âge aura en 2030 quelqu'un né le 5 mai 1980 ?", "50"),
    ("how old will I be in 2040 if I was born on 3 June 1990?", "50"),
    ("how many days between christmas and new year", "7"),
    ("combien de jours entre noël et le jour de l'an", "7"),
    ("how many days from december 20 to january 5", "16"),
    ("what's the date next friday", "4 December 2026"),
    ("quelle date sera lundi prochain", "30 novembre 2026"),
    ("what date was last monday", "23 November 2026"),
    ("how many days until next saturday", "7"),
    ("combien de jours avant samedi prochain", "7"),
]

DECLINED = [
    ("convert 5 kg to meters", DECLINE),
    ("combien de litres dans 3 heures", DECLINE),
    ("what day of the week was 31 February 2023?", DECLINE),
    ("6/2(1+2)", DECLINE),
    ("what is 9 - 3 ÷ 1/3 + 1", DECLINE),
    ("what is 6 / 1/2", DECLINE),
    ("combien font 1.000 + 1", DECLINE),
    ("what day was 03/04/2026", DECLINE),
    ("how many days between 01/02/2026 and 03/04/2026", DECLINE),
    ("mon salaire de 2000 euros augmente de 3 %, combien je perds maintenant ?", DECLINE),
    ("This year the price is 60, which is 20% more than last year. What was last year's price?", DECLINE),
    ("Le prix est de 60 €, soit 20 % de plus que l'an dernier. Quel était le prix l'an dernier ?", DECLINE),
    ("A 50 € item with 20% VAT: how much is left?", DECLINE),
    ("if today is a monday, what day is next friday?", DECLINE),
    ("It's Monday. What's the date?", DECLINE),
    ("what's 10 divided by 2(3+2)", DECLINE),
]

CASES = [
    *(pytest.param(t, e, id=f"arith-{i}") for i, (t, e) in enumerate(ARITHMETIC)),
    *(pytest.param(t, e, id=f"pct-{i}") for i, (t, e) in enumerate(PERCENTAGES)),
    *(pytest.param(t, e, id=f"pow-{i}") for i, (t, e) in enumerate(POWERS_ROOTS)),
    *(pytest.param(t, e, id=f"unit-{i}") for i, (t, e) in enumerate(UNITS)),
    *(pytest.param(t, e, id=f"date-{i}") for i, (t, e) in enumerate(DATES)),
    *(pytest.param(t, e, id=f"decline-{i}") for i, (t, e) in enumerate(DECLINED)),
]


_REFUSAL = re.compile(
    r"(?i)can't|cannot|won't guess|does not exist|impossible|n'existe pas|ne (?:peux|sais|devine)"
)


def _normalised(text: str) -> str:
    return re.sub(r"[\u00a0\u202f\u2009]", " ", text)


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_unseen_numeric_question(text: str, expected: str | None) -> None:
    decision = decide([ChatMessage("user", text)], TODAY)
    if expected is None:
        # No confident number: either no tool answered, or the tool said why it cannot.
        assert decision.reply is None or _REFUSAL.search(decision.reply.text), decision.reply
        return
    assert decision.reply is not None, f"no tool answered ({decision.route})"
    assert decision.route in ("calculator", "date")
    reply = _normalised(decision.reply.text)
    # The value must stand as a whole number, not as part of a longer one ("12" in "125");
    # "…" marks the leading digits of an approximate value.
    value, approximate = expected.removesuffix("…"), expected.endswith("…")
    pattern = rf"(?<![\d.,]){re.escape(value)}" + ("" if approximate else r"(?!\d|[.,]\d)")
    assert re.search(pattern, reply), reply


def test_next_weekday_said_early_in_the_week_is_not_guessed() -> None:
    monday = date(2026, 11, 30)
    decision = decide([ChatMessage("user", "what's the date next friday?")], monday)
    assert decision.reply is not None
    assert "4 December 2026" in decision.reply.text and "11 December 2026" in decision.reply.text


def test_separator_guesses_are_refused_or_read_by_convention() -> None:
    assert has_ambiguous_number("combien font 2.500 + 1", "fr")
    assert not has_ambiguous_number("what is 2.500 + 1", "en")  # a decimal point in English
    assert not has_ambiguous_number("combien font 0.125 × 8", "fr")  # no thousand starts with 0
    assert parse_decimal("1.234,5", "fr") == Fraction(2469, 2)


def test_implicit_product_after_a_division_is_ambiguous() -> None:
    with pytest.raises(CalcError) as caught:
        calculate("6/2(1+2)")
    assert caught.value.code == "ambiguous"
    assert calculate("6/(2(1+2))").value.q == 1
    assert calculate("2(1+2)").value.q == 6
