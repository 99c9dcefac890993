"""French or English? A small, fast, explainable guess.

Contract: :func:`detect_language` scores a text by its function words (articles, pronouns,
auxiliaries, question words), French elisions (``qu'``, ``l'``, ``c'est``) and accented
letters, and returns ``"fr"`` or ``"en"``. A text with no signal at all ("17 × 23") gets
``default`` (:func:`eclair.answer.language.conversation_language` passes the language of
earlier user turns as that default). Both the answer pipeline and the knowledge base use it
(a question in one language over a document in the other).
It never raises and takes microseconds; it does not try to recognise other languages.
"""

from __future__ import annotations

import re
from typing import Literal

Lang = Literal["en", "fr"]

_FR_WORDS = frozenset(
    """
    le la les un une des du de au aux et ou est sont suis es sommes êtes était étaient sera seront je tu
    il elle nous vous ils elles on ce cet cette ces mon ma mes ton ta tes son sa ses notre votre leur
    leurs qui que quoi quel quelle quels quelles quand où comment pourquoi combien dans sur sous avec
    sans pour par pas ne plus moins très aussi mais donc car si oui non merci bonjour salut bonsoir fait
    font faire ça cela ceci entre depuis jusqu avant après quand est-ce qu'est-ce fois jour jours
    semaine mois année ans heure heures minutes secondes mètres combien racine carrée moitié puissance
    écris écrire raconte peux pouvez dis dit sais savoir penses crois vrai faux sûr sure tombe serons
    sera était avait a été calcule calculer calculez vaut valent donne font fait
    peux-tu veux-tu en convertir convertis convertissez livres pieds pouces grammes kilomètres
    centimètres degrés degres cube cubique carré exposant divisé multiplié deux trois quatre cinq sept
    huit neuf dix onze douze treize quatorze quinze seize vingt trente quarante cinquante soixante cent
    mille
    """.split()  # noqa: SIM905
)
_EN_WORDS = frozenset(
    """
    the a an and or is are was were be been being am i you he she it we they my your his her its our
    their this that these those what which who whom whose when where why how many much in on at of to
    from with without for by not no yes thanks thank hello hi hey please do does did done have has had
    will would can could should shall may might must than then there here about into over under between
    day days week weeks month months year years hour hours minute minutes seconds times square root
    write tell sure wrong right think know really convert pounds feet inches squared cubed percent
    one two three four five seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen
    seventeen eighteen nineteen twenty thirty forty fifty sixty seventy eighty ninety hundred thousand
    minus divided
    """.split()  # noqa: SIM905
)
_ELISION = re.compile(r"\b(?:qu|l|d|c|j|n|s|m|t)['’]\w", re.IGNORECASE)
_FR_LETTERS = re.compile(r"[éèêëàâçîïôûùœ]", re.IGNORECASE)
_EN_CONTRACTION = re.compile(r"\b\w+['’](?:s|t|re|ve|ll|d|m)\b", re.IGNORECASE)
_WORD = re.compile(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*", re.UNICODE)


_EN_OPENERS = frozenset(
    """
    who what when where which why how is are was were do does did can could please tell
    """.split()  # noqa: SIM905
)
_FR_OPENERS = frozenset(
    """
    qui que quoi quel quelle quels quelles quand où pourquoi comment combien est-ce
    """.split()  # noqa: SIM905
)


def language_scores(text: str) -> tuple[float, float]:
    """(French score, English score)."""
    words = [w.lower() for w in _WORD.findall(text)]
    # "peux-tu", "quatre-vingt-dix": a hyphenated word counts by its parts too.
    parts = [p for w in words if "-" in w for p in w.split("-")]
    fr = sum(1.0 for w in words + parts if w in _FR_WORDS)
    en = sum(1.0 for w in words + parts if w in _EN_WORDS)
    # Accented words count once each (a French title in an English question is one word).
    fr += 1.5 * len(_ELISION.findall(text)) + 0.5 * sum(1 for w in words if _FR_LETTERS.search(w))
    en += 1.0 * len(_EN_CONTRACTION.findall(text))
    # The question word that opens a sentence is the strongest signal.
    if words and words[0] in _EN_OPENERS:
        en += 2.0
    elif words and words[0] in _FR_OPENERS:
        fr += 2.0
    return fr, en


# A text's language is judged from its first characters: a long one says no more, and reading
# all of every message of a long conversation on each turn would cost in proportion.
LANGUAGE_SAMPLE_CHARS = 4000


def detect_language(text: str, default: Lang = "en") -> Lang:
    """``"fr"`` or ``"en"``; ``default`` when the text carries no signal either way."""
    fr, en = language_scores(text[:LANGUAGE_SAMPLE_CHARS])
    if fr == en:
        return default
    return "fr" if fr > en else "en"
