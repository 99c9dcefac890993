"""The relevance gate on documents and questions of our own: FR and EN, across languages.

Each answerable question must find the sentence that states its answer; each unanswerable one
(a fact the documents do not hold, or hold about another thing) must find none. None of these
documents or questions is in the eval suite: they check kinds of questions, not sentences.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from eclair.knowledge.base import KnowledgeBase
from eclair.knowledge.evidence import best_evidence

MILL = """# Le moulin de Kervellec

Guide de visite publié par l'association des Amis du moulin de Kervellec, édition 2023.

## Histoire

Le moulin de Kervellec est construit en 1782 sur la rivière Aulne pour le compte de l'abbaye de \
Landréol. Au XIXe siècle, il produit jusqu'à 900 kilos de farine par jour. En 1911, une crue \
emporte la digue et trois ponts du village voisin.

## La coopérative

Fondée en 1850, la coopérative Ar Vro achetait le grain des fermes voisines et revendait la farine \
sur les marchés de la région.

## Le mécanisme

La roue à aubes mesure 6,5 mètres de diamètre et compte 48 aubes. La meule, taillée dans un granit \
de Bretagne, pèse 1 200 kilos.

## Informations pratiques

L'entrée coûte 6 euros pour les adultes et elle est gratuite pour les moins de 12 ans. Le moulin est \
fermé le mardi. La visite guidée dure 45 minutes. La restauration de 2015 a coûté 420 000 euros, dont \
30 % financés par la région.
"""

ORCHARD = """BRAMBLECOTE COMMUNITY ORCHARD
Members' handbook, 2024 edition

About the orchard

Bramblecote Community Orchard was planted in 1998 on land given by the parish council. It now has \
86 fruit trees, most of them old local apple varieties.

Membership

Annual membership costs 15 pounds for an adult and 5 pounds for a student. Every member is asked to \
give at least 10 hours of volunteering per year. The orchard coordinator, Ruth Ellison, keeps the \
volunteering register.

The harvest

At least 60 per cent of the harvest goes to the Bramblecote food bank. The cider press can process \
200 litres of juice per hour. Pressing day takes place on the second Saturday of October.

Neighbours

Set up in 1975, the Hollins Beekeepers' Club keeps 12 hives at the far end of the orchard.

Rules

Dogs must be kept on a lead. Ladders taller than 2 metres may only be used by trained volunteers.
"""

ANSWERABLE = [
    ("En quelle année le moulin de Kervellec a-t-il été construit ?", "1782"),
    ("When was the Kervellec mill built?", "1782"),
    ("Combien de kilos de farine le moulin de Kervellec produisait-il par jour ?", "900"),
    ("How many kilos of flour a day did Kervellec mill produce?", "900"),
    ("Quel est le diamètre de la roue du moulin de Kervellec ?", "6,5"),
    ("How many paddles does the Kervellec water wheel have?", "48"),
    ("Combien pèse la meule du moulin de Kervellec ?", "1 200"),
    ("How much does admission to Kervellec mill cost for an adult?", "6 euros"),
    ("Quel jour de la semaine le moulin de Kervellec est-il fermé ?", "mardi"),
    ("Combien de temps dure la visite guidée du moulin de Kervellec ?", "45"),
    ("Quelle part de la restauration du moulin de Kervellec la région a-t-elle financée ?", "30"),
    (
        "D'après le guide du moulin de Kervellec, combien de ponts la crue de 1911 a-t-elle emportés ?",
        "trois",
    ),
    ("How many fruit trees does Bramblecote Community Orchard have?", "86"),
    ("Combien d'arbres fruitiers compte le verger de Bramblecote ?", "86"),
    ("How much is annual membership of the Bramblecote orchard for a student?", "5 pounds"),
    (
        "Combien d'heures de bénévolat par an chaque membre du verger de Bramblecote doit-il donner ?",
        "10 hours",
    ),
    ("What share of the harvest goes to the food bank, according to the Bramblecote handbook?", "60"),
    ("Quelle part de la récolte du verger de Bramblecote va à la banque alimentaire ?", "60"),
    ("How many litres of juice per hour can the Bramblecote cider press process?", "200"),
    ("Who keeps the volunteering register at Bramblecote orchard?", "Ruth Ellison"),
    ("How many hours of volunteering should I give each year at Bramblecote orchard?", "10 hours"),
    ("Combien de ruches le club d'apiculteurs garde-t-il au verger de Bramblecote ?", "12"),
]

UNANSWERABLE = [
    "Qui a fondé le moulin de Kervellec ?",  # the founded thing is the cooperative, no founder named
    "En quelle année le moulin de Kervellec a-t-il été fondé ?",  # only the cooperative's founding
    "Who founded Bramblecote Community Orchard?",
    "When was Bramblecote Community Orchard set up?",  # 1975 is the beekeepers' club
    "Combien de visiteurs le moulin de Kervellec reçoit-il par an ?",
    "How many members does Bramblecote Community Orchard have?",
    "Qui est le président de l'association des Amis du moulin de Kervellec ?",
    "How much does a litre of Bramblecote cider cost?",
    "What is the phone number of Kervellec mill?",
    "Combien d'arbres le moulin de Kervellec possède-t-il ?",
]


@pytest.fixture
async def kb(tmp_path: Path, database_url: str) -> KnowledgeBase:
    base = KnowledgeBase(tmp_path / "data", database_url=database_url, dense=False)
    await base.add_file(MILL.encode(), "moulin-kervellec.md")
    await base.add_file(ORCHARD.encode(), "bramblecote-orchard.txt")
    return base


@pytest.mark.parametrize(("question", "answer"), ANSWERABLE)
async def test_the_answering_sentence_is_found(kb: KnowledgeBase, question: str, answer: str) -> None:
    _, evidence = best_evidence(question, await kb.search(question, k=5))
    await kb.close()
    assert evidence, f"abstained on {question!r}"
    assert answer in evidence[0].citation().quote


@pytest.mark.parametrize("question", UNANSWERABLE)
async def test_nothing_answers_what_the_documents_do_not_say(kb: KnowledgeBase, question: str) -> None:
    _, evidence = best_evidence(question, await kb.search(question, k=5))
    await kb.close()
    assert evidence == [], f"answered {question!r} with {evidence[0].text!r}"
