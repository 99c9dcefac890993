"""Finding pack passages: titles first (as written, capitalised, a country's name in the other
language), then the full-text index; redirects followed; passages quote the article exactly."""

from __future__ import annotations

from pathlib import Path

from eclair.knowledge.packs.articles import article_text
from eclair.knowledge.packs.registry import PackRegistry
from eclair.knowledge.packs.search import PackSearch


def articles(search: PackSearch, question: str, lang: str = "en") -> list[str]:
    return list(dict.fromkeys(p.source for p in search.search(question, lang)))


def test_titles_are_found_from_the_question_s_phrases(registry: PackRegistry) -> None:
    search = PackSearch(registry)
    assert articles(search, "What is the capital of Portugal?")[0] == "Portugal"
    assert articles(search, "Who wrote Les Misérables?")[0] == "Les Misérables"
    assert articles(search, "what is the atomic number of gold")[0] == "Gold"  # lower case too
    assert articles(search, "Quand est né Claude Monet ?", "fr")[0] == "Claude Monet"


def test_a_redirect_leads_to_its_article(registry: PackRegistry) -> None:
    assert articles(PackSearch(registry), "Who wrote Les Miserables?")[0] == "Les Misérables"


def test_names_of_countries_cross_languages(registry: PackRegistry) -> None:
    search = PackSearch(registry)
    assert articles(search, "Quelle est la capitale du Japon ?", "fr")[0] == "Japan"
    assert articles(search, "Quelle est la capitale de l'Espagne ?", "fr")[0] == "Spain"


def test_full_text_finds_an_article_the_question_does_not_name(registry: PackRegistry) -> None:
    found = articles(PackSearch(registry), "Which planet is the largest in the Solar System?")
    assert set(found[:2]) == {"Jupiter", "Saturn"}


def test_a_name_spelt_the_other_language_s_way_finds_its_article(registry: PackRegistry) -> None:
    """Through the title index: "Pluton" is "Pluto", a surname alone finds the person."""
    search = PackSearch(registry)
    assert "Pluto" in articles(search, "En quelle année Pluton a-t-elle été découverte ?", "fr")
    assert articles(search, "When did Einstein receive the Nobel Prize?")[0] == "Albert Einstein"


def test_a_name_that_is_a_title_brings_no_cousins(registry: PackRegistry) -> None:
    """ "France" is an article: "François" or "française" in other titles are not looked up;
    the full text finds the river the question asks about."""
    found = articles(PackSearch(registry), "Quel est le plus long fleuve de France ?", "fr")
    assert found[0] == "France" and "Loire" in found


def test_full_text_ranks_articles_by_the_rare_words_they_share(registry: PackRegistry) -> None:
    """Every word is searched alone, weighted by its rarity: the one article holding both
    "discovered" and "induction" comes first although no article holds every word asked."""
    found = articles(PackSearch(registry), "Who first discovered induction, and where?")
    assert found[0] == "Michael Faraday"


def test_a_pack_without_full_text_index_answers_through_titles(tmp_path: Path, zims: dict[str, Path]) -> None:
    packs = PackRegistry(tmp_path)
    packs.add(zims["titles"])
    search = PackSearch(packs)
    assert articles(search, "What is the capital of Japan?")[0] == "Japan"
    assert articles(search, "Which planet is the largest in the Solar System?") == []


def test_passages_carry_the_pack_the_link_and_exact_offsets(registry: PackRegistry) -> None:
    passages = PackSearch(registry).search("When did Portugal become independent?", "en")
    archive = registry.archive("test_en")
    text = article_text(bytes(archive.get_entry_by_path("Portugal").get_item().content).decode()).text
    portugal = [p for p in passages if p.source == "Portugal"]
    assert portugal and portugal[0].start == 0  # the lead comes first
    for passage in portugal:
        assert passage.pack == "test_en" and passage.url == "/kb/test_en/Portugal"
        assert text[passage.start : passage.end] == passage.text
    assert any("1143" in p.text for p in portugal)


def test_work_per_question_is_bounded(registry: PackRegistry) -> None:
    search = PackSearch(registry, max_articles=2)
    question = " ".join(["Portugal Spain Japan Jupiter Saturn Gold"] * 50) + "?"
    assert len(articles(search, question)) <= 2


def test_nothing_installed_finds_nothing(tmp_path: Path) -> None:
    assert PackSearch(PackRegistry(tmp_path)).search("What is the capital of Portugal?", "en") == []
