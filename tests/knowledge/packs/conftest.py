"""Small real ZIM packs, written with libzim's Creator (full-text index on) once per session."""

from __future__ import annotations

from pathlib import Path

import pytest

from eclair.knowledge.packs.registry import PackRegistry
from eclair.knowledge.packs.writer import Article, write_pack

EN = [
    Article(
        "Portugal", "Portugal",
        "Portugal, officially the Portuguese Republic, is a country on the Iberian Peninsula. "
        "Its capital and largest city is Lisbon. The official language is Portuguese.",
        (("History", "Portugal became an independent kingdom in 1143."), ("Economy", "The currency is the euro.")),
        ("Spain",),
    ),
    Article("Spain", "Spain", "Spain is a country in southwestern Europe. Its capital is Madrid."),
    Article("Japan", "Japan", "Japan is an island country in East Asia. Its capital is Tokyo."),
    Article(
        "Jupiter", "Jupiter",
        "Jupiter is the fifth planet from the Sun and the largest planet in the Solar System. It is a gas giant.",
    ),
    Article(
        "Saturn", "Saturn",
        "Saturn is the sixth planet from the Sun and the second-largest planet in the Solar System, after Jupiter.",
    ),
    Article(
        "Les_Misérables", "Les Misérables",
        "Les Misérables is a French historical novel by Victor Hugo, first published in 1862.",
        redirects=("Les_Miserables",),
    ),
    Article(
        "Gold", "Gold",
        "Gold is a chemical element with the symbol Au and atomic number 79. It is a soft, yellow metal.",
    ),
    Article("Pluto", "Pluto", "Pluto is a dwarf planet in the Kuiper belt. Clyde Tombaugh discovered it in 1930."),
    Article(
        "Albert_Einstein", "Albert Einstein",
        "Albert Einstein was a German-born theoretical physicist. "
        "He received the Nobel Prize in Physics in 1921.",
    ),
    Article(
        "Michael_Faraday", "Michael Faraday",
        "Michael Faraday was an English scientist, born in 1791 in London. "
        "In 1831 he discovered electromagnetic induction. "
        "He is remembered as a great experimenter.",
    ),
]  # fmt: skip
FR = [
    Article(
        "Lyon", "Lyon",
        "Lyon est une commune française située au confluent du Rhône et de la Saône. "
        "Elle est la préfecture de la région Auvergne-Rhône-Alpes.",
    ),
    Article(
        "Claude_Monet", "Claude Monet",
        "Claude Monet est un peintre français né le 14 novembre 1840 à Paris et mort le 5 décembre 1926 à Giverny. "
        "Son tableau Impression, soleil levant a donné son nom à l'impressionnisme.",
    ),
    Article(
        "France", "France",
        "La France est un pays d'Europe de l'Ouest. Ses principaux fleuves sont la Loire, la Seine, le Rhône "
        "et la Garonne.",
    ),
    Article("Loire", "Loire", "La Loire est le plus long fleuve de France, avec un peu plus de 1 000 kilomètres."),
]  # fmt: skip


@pytest.fixture(scope="session")
def zims(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("zims")
    return {
        "en": write_pack(
            folder / "test_en.zim", EN, name="test_en", title="Test encyclopedia", language="en"
        ),
        "fr": write_pack(
            folder / "test_fr.zim", FR, name="test_fr", title="Encyclopédie de test", language="fr"
        ),
        "titles": write_pack(
            folder / "titles.zim", EN, name="titles_en", title="Titles only", language="en", fulltext=False
        ),
    }


@pytest.fixture
def registry(tmp_path: Path, zims: dict[str, Path]) -> PackRegistry:
    packs = PackRegistry(tmp_path / "data")
    packs.add(zims["en"])
    packs.add(zims["fr"])
    return packs
