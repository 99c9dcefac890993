"""Two everyday divisions read by rules: things packed into groups of a fixed size, and a sum
shared equally.

Contract:
- :func:`solve_grouping`: "130 cups in packs of 12: how many full packs, and how many left
  over?", "75 livres sur des étagères de 8 : combien d'étagères pleines ?". Exactly two numbers:
  the size after a word of grouping ("rows of 15", "boîtes de 12") or said by a verb ("one
  tray holds 12", "chaque navette transporte 45") and the total, or a total said as a product
  of people and a count each ("for 9 guests, 4 pancakes each"). What is asked
  decides the answer: full groups (the quotient), what is left over (the remainder), both, or
  the groups needed for everything (the quotient rounded up). A question that says none of
  these gets no answer.
- :func:`solve_sharing`: "Four of us; the cabin was 930 and cleaning 70; split
  equally, how much does each pay?". One count of people (a number before a word for people,
  or "N of us", "nous sommes N"), one or more amounts, a word of equal sharing, and a question
  for each one's share. Amounts are added, except one that the speaker keeps or sets aside
  ("je garde 14 € pour moi"), which comes off first. Anything else (a second count of people,
  a percentage, a rate "per month") gives None.

Both use every number of the message (coverage by construction) and show the working.
"""

from __future__ import annotations

import re
from fractions import Fraction

from eclair.answer.mathtext import prepare_text
from eclair.answer.worked import CURRENCY, WorkedAnswer, checks_for, number_text
from eclair.knowledge import lexical

_NUMBER = re.compile(r"(?<![\w.,])\d+(?:\.\d+)?(?![\d.,]?\d)")
_ASKS = re.compile(r"\b(?:how many|how much|combien)\b")


def _n(value: Fraction, lang: str) -> str:
    return number_text(value, lang, sig=8)


def _checks(*values: Fraction) -> tuple[str, ...]:
    return checks_for(*values, sig=8)


# -- groups of a fixed size ----------------------------------------------------------------

_GROUP_WORDS = (
    r"(?P<group>rows?|box(?:es)?|groups?|packs?|packets?|bags?|teams?|tables?|cartons?|crates?|trays?|"
    r"shelves|shelf|buses|bus|cars?|vans?|bundles?|batch(?:es)?|loads?|trips?|rangees?|boites?|groupes?|"
    r"paquets?|sachets?|equipes?|caisses?|plateaux?|voitures?|etageres?|lots?|sacs?|bouquets?|fournees?|"
    r"tournees?|voyages?|navettes?|shuttles?)"
)
_GROUP = re.compile(
    rf"\b{_GROUP_WORDS}"
    r"(?:\s{1,3}(?:full|complete|completes?|pleines?|entieres?|egales?|identiques?))?\s{1,3}(?:of|de|d')\s{0,3}(?P<k>\d+)(?![\d]|\.\d)"
)
# "one batch makes 16", "chaque navette transporte 45": the size of one group, said by a verb
_GROUP_HOLDS = re.compile(
    # ("one tray of the oven holds 12": what the group is of may come between)
    rf"\b(?P<one>1|a|an|each|every|une?|chaque)\s{{1,3}}{_GROUP_WORDS}(?:\s{{1,3}}(?:of|de|d')\s{{0,3}}(?:[a-z]+\s{{1,3}}){{1,2}}?[a-z]+)?"
    r"\s{1,3}(?:can\s|peut\s)?"
    r"(?:makes?|holds?|contains?|fits?|takes?|carries|carry|seats?|yields?|gives?|produces?|donne|contient|"
    r"fait|produit|accueille|transporte|contenir|prendre|transporter|accueillir)\s{1,3}(?P<k>\d+)(?![\d]|\.\d)"
)
_FULL = re.compile(
    r"\b(?:full|complete|whole|fill|filled|pleine?s?|complete?s?|remplir|remplit|rempli\w*|entiere?s?)\b"
)
# "16 cookies per batch", "12 oeufs par boite": the size of one group, said after it
_GROUP_PER = re.compile(
    rf"(?<![\w.,])(?P<k>\d+)\s{{1,3}}(?:[^\W\d_][\w'-]*\s{{1,3}})?(?:per|a|in each|in every|par|dans chaque)\s{{1,3}}{_GROUP_WORDS}\b"
)
_STRICTLY_FULL = re.compile(r"\b(?:full|complete|pleine?s?|complete?s?)\b")
_LEFT = re.compile(r"\b(?:left|leftover|remain\w*|spare|reste\w*|restant\w*|de trop|en trop)\b")
_CAN = re.compile(r"\b(?:can|could|peut|peux|pourr\w+|puis)\b")
_ASKED_CLAUSE = re.compile(r"\b(?:how many|how much|combien)\b[^?.,;]*")
# the thing a "how many" counts, after the words that only qualify it
_COUNTED = re.compile(
    r"(?:how many|how much|combien)\s{1,3}(?:(?:de|d')\s{0,3})?(?:(?:full|complete|whole|entire)\s{1,3})?(?P<noun>[^\W\d_]+)"
)


def _same_word(a: str, b: str) -> bool:
    """ "box" and "boxes", "shuttle" and "shuttles", "shelf" and "shelves": one word in the
    singular or the plural."""
    return lexical.stem(a) == lexical.stem(b) or {a, b} == {"shelf", "shelves"}


# "how many are needed": the groups for everything, the quotient rounded up (also read by
# :func:`eclair.answer.unitsum.solve_fill`)
NEEDED = re.compile(r"\b(?:need|needed|needs|required|necessaires?|faut|faudra|faudrait|besoin)\b")


def solve_grouping(message: str, lang: str) -> WorkedAnswer | None:
    """See the module docstring."""
    if len(message) > 400:
        return None
    text = prepare_text(message, lang)
    group = _GROUP.search(text) or _GROUP_HOLDS.search(text) or _GROUP_PER.search(text)
    if group is None:
        return None
    one = group.start("one") if "one" in group.groupdict() else -1  # the "1" of "1 batch makes 16"
    numbers = [m for m in _NUMBER.finditer(text) if m.start() != one]
    if not _ASKS.search(text):
        return None
    size = Fraction(group["k"])
    # "for 9 guests, 4 pancakes each": the total is a product, said before the groups
    each = _EACH_OF.search(text)
    product: tuple[Fraction, Fraction] | None = None
    k = "k" if each and each["k"] else "k2"
    if each and len(numbers) == 3 and group.start("k") not in (each.start("n"), each.start(k)):
        product = (Fraction(each["n"]), Fraction(each[k]))
        total = product[0] * product[1]
    elif len(numbers) == 2:
        total = next(Fraction(m[0]) for m in numbers if m.start() != group.start("k"))
    else:
        return None
    if size <= 0 or total.denominator != 1 or size.denominator != 1 or total < size:
        return None
    full = left = needed = False
    word = group["group"]  # as the question writes it, once read
    # each question of the message: "how many full rows…, and how many chairs left over?"
    for clause in _ASKED_CLAUSE.findall(text):
        counted = _COUNTED.match(clause)
        if counted and _same_word(counted["noun"], group["group"]):
            # ("il m'en faut 50. Combien de plateaux ?": the need may be said before the question;
            # "how many whole batches do I need?" needs one more for the rest: "whole" there says
            # a batch is not split, not that only full ones count)
            need_here = bool(NEEDED.search(clause)) and not _CAN.search(clause)
            if need_here and _STRICTLY_FULL.search(clause):
                return None  # "how many full boxes does he need?": the full ones, or all he needs?
            needed |= need_here or (bool(NEEDED.search(text)) and not _FULL.search(clause))
            word = counted["noun"]
            full |= not need_here and bool(_FULL.search(clause) or _CAN.search(clause))
        elif _LEFT.search(clause):
            left = True
    quotient, remainder = divmod(int(total), int(size))
    q, r = Fraction(quotient), Fraction(remainder)
    working = f"{_n(total, lang)} = {_n(size, lang)} × {quotient} + {remainder}"
    if product:
        working = f"{_n(product[0], lang)} × {_n(product[1], lang)} = {working}"
    size_text = _n(size, lang)
    said: list[tuple[str, str, Fraction]] = []  # what is asked, in English and French, and its value
    # (each asked value is stated last after "=", as the results of the working before it)
    if full:
        said.append(
            (f"full {word} of {size_text} = {quotient}", f"{word} de {size_text} pleines = {quotient}", q)
        )
    if left:
        said.append((f"left over = {remainder}", f"reste = {remainder}", r))
    if needed and not said:
        groups = quotient + (1 if remainder else 0)
        said.append((f"{word} needed = {groups}", f"{word} nécessaires = {groups}", Fraction(groups)))
    if not said:
        return None
    if lang == "en":
        text_reply = f"{working}, so {'; '.join(en for en, _, _ in said)}."
    else:
        text_reply = f"{working}, donc {' ; '.join(fr for _, fr, _ in said)}."
    used = (*(product or (total,)), size) + ((Fraction(1),) if one >= 0 and text[one] == "1" else ())
    return WorkedAnswer(text_reply, _checks(*(value for _, _, value in said)), used)


# -- a sum shared equally ------------------------------------------------------------------

_PEOPLE = (
    r"(?:people|persons?|friends?|children|kids|sons?|daughters?|grandchildren|colleagues?|roommates?|flatmates?|"
    r"housemates?|guests?|players?|students?|siblings?|brothers?|sisters?|adults?|parents?|grandparents?|"
    r"nephews?|nieces?|cousins?|neighbou?rs?|of us|of them|neveux|grands-parents|voisins?|voisines?|"
    r"personnes?|amis?|amies?|enfants?|fils|filles?|petits-enfants|collegues?|colocataires?|colocs?|invites?|"
    r"joueurs?|joueuses?|eleves?|etudiants?|freres?|soeurs?|adultes?)"
)
_EACH_OF = re.compile(
    rf"(?<![\w.,])(?P<n>\d+)\s{{1,3}}(?:\w+\s)?{_PEOPLE}\b[^.?!\d]{{0,40}}?(?:(?P<k>\d+)\s{{1,3}}(?:[^\W\d_]+\s{{1,3}})?"
    r"(?:each|apiece|per (?:person|head|guest)|chacun|chacune|par personne|par tete|par invite)\b"
    # "…for 12 people and everyone gets 3", "…et chacun en mange 2"
    r"|\b(?:everyone|everybody|each (?:person|one|guest|of them)|chacun|chacune|tout le monde|chaque (?:personne|invite|enfant))"
    r"(?:\s{1,3}[a-z']+){0,2}?\s{1,3}(?:gets?|to get|has|to have|eats?|to eat|receives?|aura|mange|en mange|recoit|en recoit|"
    r"prend|en prend|a|en a)\s{1,3}(?P<k2>\d+))"
)
_COUNT_OF_PEOPLE = re.compile(
    rf"(?<![\w.,])(?P<n>\d+)\s{{1,3}}(?:\w+\s)?{_PEOPLE}\b|\b(?:nous sommes|on est|we are|there are)\s{{1,3}}(?P<m>\d+)\b"
)
_EQUALLY = re.compile(
    r"\b(?:split|splits|splitting|share|shares|shared|sharing|divide|divided|equally|evenly|partage\w*|"
    r"divise\w*|reparti\w*|parts? egales?|equitablement)\b"
)
_EACH_ASKED = re.compile(
    r"\b(?:each|apiece|per person|per head|chacune?|chaque|par personne|par tete|chacun de nous)\b"
)
_KEPT = re.compile(
    r"\b(?:keep|keeps|kept|set aside|sets aside|put aside|save|saves|garde|gardes|gardons|gardent|met de cote|"
    r"mets de cote|je garde|mettre de cote)\b[^.,;]{0,30}$"
)
_WITH_CURRENCY = re.compile(rf"\s?{CURRENCY}")
_CURRENCY_BEFORE = re.compile(r"[€$£]\s?$")
# a number of things or of time ("14 members", "3 weeks"): no amount of money
_COUNTS_THINGS = re.compile(
    r"\s{1,3}(?:(?<![^\W\d_])[^\W\d_]{3,30}s\b|(?:day|week|month|year|hour|minute|jour|semaine|mois|an|heure)s?\b)"
)
# a share already: not a sum to share
_NOT_A_SUM = re.compile(r"%|\bpercent\b|\bpour ?cent\b")


def solve_sharing(message: str, lang: str) -> WorkedAnswer | None:
    """See the module docstring."""
    if len(message) > 400:
        return None
    text = prepare_text(message, lang)
    if not (_ASKS.search(text) and _EQUALLY.search(text) and _EACH_ASKED.search(text)) or _NOT_A_SUM.search(
        text
    ):
        return None
    people = list(_COUNT_OF_PEOPLE.finditer(text))
    if len(people) != 1:
        return None
    count_span = people[0].span("n") if people[0]["n"] else people[0].span("m")
    count = Fraction(text[count_span[0] : count_span[1]])
    amounts = [m for m in _NUMBER.finditer(text) if m.span() != count_span]
    if not amounts or count <= 1 or len(amounts) > 4:
        return None
    money = [
        bool(_WITH_CURRENCY.match(text, m.end()) or _CURRENCY_BEFORE.search(text[: m.start()]))
        for m in amounts
    ]
    if any(money) and not all(money):
        return None  # "14 members", "every 3 weeks" beside "$117": not amounts to share
    if not any(money) and any(_COUNTS_THINGS.match(text, m.end()) for m in amounts):
        return None
    total, terms = Fraction(0), []
    for i, m in enumerate(amounts):
        value = Fraction(m[0])
        kept = _KEPT.search(text[amounts[i - 1].end() if i else 0 : m.start()])
        if kept and i == 0:
            return None  # nothing to take the kept amount from
        total += -value if kept else value
        terms.append(("− " if kept else "+ ") + _n(value, lang))
    if total <= 0:
        return None
    share = total / count
    inner = " ".join(terms)[2:]
    working = f"({inner}) ÷ {_n(count, lang)}" if len(terms) > 1 else f"{inner} ÷ {_n(count, lang)}"
    result = _n(share, lang)
    text_reply = {
        "en": f"{working} = {result}: {result} each.",
        "fr": f"{working} = {result} : {result} chacun.",
    }[lang]
    return WorkedAnswer(text_reply, _checks(share), (count, *(Fraction(m[0]) for m in amounts)))
