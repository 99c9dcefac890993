"""Tables and lists as evidence: a table row is one sentence naming its columns, a list item is
read with the sentence that announced it, and neither lends its figures to another."""

from __future__ import annotations

import pytest

from eclair.answer.types import Passage
from eclair.knowledge.evidence import best_evidence, rank_evidence
from eclair.knowledge.extract import tables_as_sentences

BIKES_TABLE = """| Bike type | Maximum loan | Minimum age |
|---|---|---|
| Standard bike | 14 days | 12 |
| E-bike | 7 days | 18 |
| Cargo bike | 3 days | 21 |"""

# An invented lending guide, as the Markdown reader gives it before the tables are rewritten.
GUIDE = f"""Riverside Bike Library: lending rules

The Riverside Bike Library lends bicycles to members of the Hollins Street community centre.

{BIKES_TABLE}

Ferry tickets to Kestrel Island are sold at the library desk.

| Ticket | Price |
| --- | --- |
| Adult single | £9.40 |
| Adult return | £16.80 |
| Child single | £4.70 |

The library is open twice a week:

- Wednesday: 4 pm – 7 pm
- Saturday: 10 am – 1 pm

Questions about lending go to the Deputy Coordinator.
The Deputy Coordinator is Priya Raman, who has run the repair workshop since 2021.
"""


def passage(text: str, source: str = "riverside-bike-library.md", document_id: str = "d1") -> Passage:
    return Passage(f"{document_id}:0", source, text, 0, len(text), 1.0, document_id)


@pytest.fixture
def guide() -> list[Passage]:
    return [passage(tables_as_sentences(GUIDE))]


# ------------------------------------------------------------------ tables as sentences


def test_a_table_with_a_header_becomes_one_sentence_per_row() -> None:
    assert tables_as_sentences(BIKES_TABLE).splitlines() == [
        "Standard bike (bike type): maximum loan 14 days; minimum age 12.",
        "E-bike (bike type): maximum loan 7 days; minimum age 18.",
        "Cargo bike (bike type): maximum loan 3 days; minimum age 21.",
    ]


def test_header_words_are_common_nouns_but_acronyms_and_names_stay() -> None:
    table = "| Item | VAT | Depart Kestrel Point |\n|:--|--:|:--:|\n| Ferry ticket | 20% | 09:15 |"
    assert tables_as_sentences(table) == "Ferry ticket (item): VAT 20%; depart Kestrel Point 09:15."


def test_an_empty_cell_is_left_out_of_its_row() -> None:
    table = "| Bike type | Maximum loan | Minimum age |\n|---|---|---|\n| Cargo bike | | 21 |"
    assert tables_as_sentences(table) == "Cargo bike (bike type): minimum age 21."


def test_a_header_rule_of_single_hyphens_is_a_header_rule() -> None:
    table = "| Bike type | Minimum age |\n|-|-|\n| E-bike | 18 |"
    assert tables_as_sentences(table) == "E-bike (bike type): minimum age 18."


CLUB = "Club report.\n\n| Year | Members |\n|---|---|\n| 2023 | 187 |\n| 2024 | 214 |\n\nThe club meets on Fridays."


def test_a_row_of_numbers_names_every_column() -> None:
    rows = tables_as_sentences(CLUB).splitlines()[2:4]
    # a row not named by its first cell starts with the (lower-cased) first header
    assert [row.lower() for row in rows] == ["year 2023; members 187.", "year 2024; members 214."]


@pytest.mark.parametrize(("year", "members"), [("2023", "187"), ("2024", "214")])
def test_the_row_of_the_year_asked_answers(year: str, members: str) -> None:
    text = tables_as_sentences(CLUB)
    _, evidence = best_evidence(f"How many members did the club have in {year}?", [passage(text, "club.md")])
    assert evidence and f"members {members}" in evidence[0].text


def test_a_row_does_not_lend_its_year_to_the_next_row() -> None:
    text = tables_as_sentences(CLUB)
    _, evidence = best_evidence("How many members did the club have in 2023?", [passage(text, "club.md")])
    assert evidence and all("214" not in e.text for e in evidence)


def test_a_table_without_a_header_rule_keeps_its_cells_joined() -> None:
    table = "| Monday | 9 am | Closed |\n| Tuesday | 10 am | 6 pm |"
    assert tables_as_sentences(table) == "Monday; 9 am; Closed.\nTuesday; 10 am; 6 pm."


@pytest.mark.parametrize(
    "text",
    [
        "The library lends bicycles.\nMembers must be 12 or older.",
        "Choose one | the other, as you like.\nSecond line.",
        "",
        "- Wednesday: 4 pm – 7 pm\n- Saturday: 10 am – 1 pm",
    ],
)
def test_text_without_tables_is_unchanged(text: str) -> None:
    assert tables_as_sentences(text) == text


def test_the_lines_around_a_table_are_kept() -> None:
    text = tables_as_sentences(GUIDE)
    assert text.startswith("Riverside Bike Library: lending rules\n")
    assert "Ferry tickets to Kestrel Island are sold at the library desk." in text
    assert "Adult return (ticket): price £16.80." in text
    assert "|" not in text


# ------------------------------------------------------------------ rows as evidence


@pytest.mark.parametrize(
    ("question", "row", "figure"),
    [
        ("What is the minimum age to borrow an e-bike?", "E-bike", "minimum age 18"),
        ("What is the maximum loan for a cargo bike?", "Cargo bike", "3 days"),
        ("How much is an adult return ticket?", "Adult return", "£16.80"),
        ("How much is a child single ticket?", "Child single", "£4.70"),
    ],
)
def test_the_row_asked_about_is_the_best_evidence(
    guide: list[Passage], question: str, row: str, figure: str
) -> None:
    _, evidence = best_evidence(question, guide)
    assert evidence, question
    best = evidence[0]
    assert best.text.startswith(row) and figure in best.text
    assert best.citation().quote.count("(") == 1  # one row quoted, not two


def test_the_e_bike_row_is_not_the_standard_bike_row(guide: list[Passage]) -> None:
    _, evidence = best_evidence("What is the minimum age to borrow an e-bike?", guide)
    assert evidence and "Standard bike" not in evidence[0].citation().quote


@pytest.mark.parametrize(
    "question", ["How much is a child return ticket?", "What does a return ticket for a child cost?"]
)
def test_a_row_the_table_lacks_is_not_made_of_two_rows(guide: list[Passage], question: str) -> None:
    _, evidence = best_evidence(question, guide)
    assert evidence == []  # the answer is an abstention
    for candidate in rank_evidence(question, guide):
        assert candidate.citation().quote.count("(ticket)") <= 1, candidate.citation().quote


# ------------------------------------------------------------------ lists as evidence


@pytest.mark.parametrize(
    "question",
    [
        "Which days is the library open?",
        "When is the library open?",
        "Quels jours la bibliothèque est-elle ouverte ?",
    ],
)
def test_a_list_item_answers_not_the_sentence_announcing_it(guide: list[Passage], question: str) -> None:
    _, evidence = best_evidence(question, guide)
    assert evidence, question
    assert evidence[0].text.startswith("- ")
    assert not any(e.text.rstrip().endswith(":") for e in evidence)


def test_a_list_alone_is_read_with_its_announcing_sentence() -> None:
    text = "The library is open twice a week:\n\n- Wednesday: 4 pm – 7 pm\n- Saturday: 10 am – 1 pm"
    _, evidence = best_evidence("Which days is the library open?", [passage(text, "opening-hours.md")])
    assert {e.text for e in evidence} <= {"- Wednesday: 4 pm – 7 pm", "- Saturday: 10 am – 1 pm"}
    assert evidence and evidence[0].text == "- Wednesday: 4 pm – 7 pm"


# ------------------------------------------------------------------ what a sentence must hold


def test_a_role_without_a_name_does_not_answer_who(guide: list[Passage]) -> None:
    _, evidence = best_evidence("Who is the deputy coordinator?", guide)
    assert evidence and "Priya Raman" in evidence[0].text
    assert all("Questions about lending" not in e.text for e in evidence)


def test_only_a_role_mentioned_is_no_evidence() -> None:
    text = "Lending notes. Questions about lending go to the Deputy Coordinator. Send an email before noon."
    assert best_evidence("Who is the deputy coordinator?", [passage(text, "notes.md")])[1] == []


TOWN = (
    "Hallowmere is a market town on the river Wend. A day ticket for the town museum costs 6 euros. "
    "The town hall was rebuilt in 1887. Parking in the centre costs 2.50 euros per hour."
)


@pytest.mark.parametrize(
    "question",
    [
        "What is the current population of Hallowmere?",
        "What is the population of Hallowmere?",
        "Quelle est la population actuelle de Hallowmere ?",
    ],
)
def test_a_price_is_not_a_population(question: str) -> None:
    assert best_evidence(question, [passage(TOWN, "hallowmere.md")])[1] == []


def test_a_population_sentence_answers_the_population() -> None:
    text = TOWN + " Hallowmere has a population of 8,400 inhabitants."
    _, evidence = best_evidence(
        "What is the current population of Hallowmere?", [passage(text, "hallowmere.md")]
    )
    assert evidence and "8,400 inhabitants" in evidence[0].text


COOPERATIVE = (
    "Annual report of the Vallon dairy cooperative. In 2024 the cooperative paid its members a bonus of "
    "0.015 euro per litre. The cooperative has 42 member farms. A new cheese cellar opened in March 2024."
)


@pytest.mark.parametrize(
    "question",
    [
        "How many litres of milk did the cooperative collect in 2024?",
        "Combien de litres de lait la coopérative a-t-elle collectés en 2024 ?",
    ],
)
def test_a_price_per_litre_is_not_a_number_of_litres(question: str) -> None:
    assert best_evidence(question, [passage(COOPERATIVE, "vallon-cooperative.md")])[1] == []


def test_a_number_of_litres_answers_how_many_litres() -> None:
    text = COOPERATIVE + " In 2024 the cooperative collected 3.2 million litres of milk."
    _, evidence = best_evidence(
        "How many litres of milk did the cooperative collect in 2024?",
        [passage(text, "vallon-cooperative.md")],
    )
    assert evidence and "3.2 million litres" in evidence[0].text
    assert all("bonus" not in e.text for e in evidence)


ALIGNED = """PRICES

                      Half day (4 hours)    Full day
  Hybrid bike               GBP 18           GBP 28
  Children's bike           GBP 10           GBP 16

PRODUCTION
  Year    Litres produced
  ----    ---------------
  2023    148,000
  2024    171,500

Two spaces  in a sentence  do not make a table.
"""


def test_a_table_aligned_with_spaces_becomes_one_sentence_per_row() -> None:
    text = tables_as_sentences(ALIGNED)
    assert "Children's bike: half day (4 hours) GBP 10; full day GBP 16." in text
    assert "year 2024; litres produced 171,500." in text
    assert "Two spaces  in a sentence  do not make a table." in text


def test_the_row_of_an_aligned_table_answers_for_its_own_year() -> None:
    _, evidence = best_evidence(
        "How many litres were produced in 2024?", [passage(tables_as_sentences(ALIGNED))]
    )
    assert evidence and "171,500" in evidence[0].text and "148,000" not in evidence[0].text


def test_a_first_row_of_labels_is_the_header_and_year_columns_make_one_sentence_each() -> None:
    # two tables back to back, the second with no header rule (as an HTML table may come out)
    text = (
        "| Indicator | Value |\n|---|---|\n| Visitors | 12,400 |\n"
        "| Fruit | 2023 | 2024 | Keeps |\n| Quince | 4 tonnes | 6 tonnes | 3 weeks |\n"
        "| Medlar | 2 tonnes | 1 tonne | 10 days |"
    )
    sentences = tables_as_sentences(text).split("\n")
    assert sentences == [
        "Visitors (indicator): value 12,400.",
        "Quince (fruit) (2023): 4 tonnes.",
        "Quince (fruit) (2024): 6 tonnes.",
        "Quince (fruit): keeps 3 weeks.",
        "Medlar (fruit) (2023): 2 tonnes.",
        "Medlar (fruit) (2024): 1 tonne.",
        "Medlar (fruit): keeps 10 days.",
    ]


ORCHARD = (
    "Cueillette au verger des Aulnes. Prix au kilo selon le fruit :\n"
    "- pomme : 3 €\n- poire : 4 €\n- cerise : 9 €\n"
    "Le verger est ouvert du mardi au samedi."
)


def test_a_list_item_answers_for_its_own_key_only() -> None:
    orchard = [passage(ORCHARD, source="verger-des-aulnes.md")]
    # the price of pears is in the list; the price of plums is not, whatever the list says
    _, found = best_evidence("Quel est le prix au kilo des poires au verger des Aulnes ?", orchard)
    assert found and "poire" in found[0].text
    _, none = best_evidence("Quel est le prix au kilo des prunes au verger des Aulnes ?", orchard)
    assert not none, [e.text for e in none]


def test_a_label_before_a_value_is_not_a_list_key() -> None:
    text = "Visites du verger des Aulnes. Tarif : 5 euros par adulte, gratuit pour les enfants."
    _, found = best_evidence("How much does an adult pay for a visit to the Aulnes orchard?", [passage(text)])
    assert found and "5 euros" in found[0].text
