"""Questions nobody can answer from documents: the future, and what the user is thinking.

Contract: :func:`unknowable` takes a question and returns a :func:`~eclair.answer.phrasing.say`
key for an honest abstention ("abstain.future", "abstain.mind"), or None. It names only what
cannot be known *in principle* by an assistant without live data: lottery draws, winners of
contests still to come, future weather and market prices, future office-holders, the number
the user has in mind. Past and general questions ("who won the 2018 World Cup", "what are the
odds of winning the lottery", "how is the weather forecast made") are left to the documents.
The pipeline calls it before searching, so no passage, however close in words, is quoted as
an answer to it.
"""

from __future__ import annotations

import re

from eclair.answer.facts import fold1

_GENERAL = re.compile(
    r"\b(?:odds|probability|chances?|probabilite|how (?:is|are|do)|comment (?:fonctionne|marche))\b"
)
_FUTURE = [
    # lottery draws to come
    r"\b(?:lottery|lotto|loto|euro ?millions?|powerball|keno)\b.*\b(?:will|winning numbers?|next|tonight|tomorrow|"
    r"saturday|friday|numeros? gagnants?|gagnera|sortiront|sortira|prochain|ce soir|demain|samedi|vendredi)\b",
    r"\b(?:winning numbers?|numeros? gagnants?)\b",
    # winners of contests to come
    r"\b(?:who|which (?:team|country|party|horse|player|candidate|club)) (?:will|is going to|'ll) win\b",
    r"\b(?:qui|quelle equipe|quel pays|quel cheval|quel parti|quel candidat|quel club) (?:va gagner|gagnera|"
    r"remportera|va remporter)\b",
    r"\bwho will be (?:the )?(?:next )?(?:president|prime minister|king|queen|champion|pope|mayor)\b",
    r"\bqui sera (?:le |la |l')?(?:prochain |prochaine )?(?:president|presidente|premier ministre|roi|reine|"
    r"champion|championne|pape|maire)\b",
    # weather and markets ahead
    r"\bwhat will the weather be\b|\bwill it (?:rain|snow)\b|\bweather (?:forecast )?(?:for |in )?(?:[\w'-]+ ){0,3}"
    r"(?:next (?:year|month|week|summer|winter|spring|autumn)|in \d+ (?:weeks|months|years))\b",
    r"\bquel temps fera-t-il\b|\bquel temps va-t-il faire\b|\bva-t-il pleuvoir\b|\bpleuvra-t-il\b|\bneigera-t-il\b|"
    r"\bmeteo (?:[\w'-]+ ){0,3}(?:l'an prochain|l'annee prochaine|le mois prochain|dans \d+ mois)\b",
    r"\b(?:stock market|stocks?|share price|bitcoin|the markets?|la bourse|le cac ?40|l'action|le bitcoin)\b.*"
    r"\b(?:tomorrow|next (?:week|month|year)|will|demain|la semaine prochaine|l'an prochain|va-t-elle|va-t-il|"
    r"sera|montera|baissera)\b",
]
_MIND = [
    r"\b(?:what|which) (?:number|word|colou?r|animal|card) am i thinking\b|\bwhat am i thinking\b",
    r"\b(?:a )?quoi (?:je pense|est-ce que je pense)\b|\bquel (?:nombre|mot|chiffre|animal) (?:je pense|j'ai en tete|"
    r"ai-je en tete)\b",
]
_FUTURE_RE = re.compile("|".join(f"(?:{p})" for p in _FUTURE))
_MIND_RE = re.compile("|".join(f"(?:{p})" for p in _MIND))


def unknowable(question: str) -> str | None:
    text = fold1(question)
    if _MIND_RE.search(text):
        return "abstain.mind"
    if _FUTURE_RE.search(text) and not _GENERAL.search(text):
        return "abstain.future"
    return None
