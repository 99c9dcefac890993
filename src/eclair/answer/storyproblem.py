"""Multi-step word problems about money or things ("I had 312 euros, then spent 47.80 on
groceries and 19.95 on a book. How much do I have left?"), read by rules.

Contract: :func:`solve_story_problem` reads the statement as a sequence of *terms* — a plain
amount, or "N items at P (each)" as ``N × P`` — each signed by the verb that governs it:

- a starting amount: "had", "has", "there are", "j'avais", "il y a";
- taken away: "spent", "lost", "gave", "paid", "ate", "dépensé", "perdu", "donné";
- added: "earned", "received", "found", "won", "gagné", "reçu", "trouvé";
- bought: "bought", "buys", "j'achète", "commande" — a purchase subtracts from a sum of money
  and adds to a stock of things.

A verb governs the numbers after it up to the next verb or the end of the sentence ("spent
47.80 on groceries and 19.95 on a book"). The question part says what is asked: what is
left ("left", "reste", "now"), what was spent or paid ("how much did I pay", "combien je
paie"), or the total ("in total", "en tout", "altogether").

It answers only when every number of the statement belongs to a term, every term after the
first has a verb, the amounts are of one kind (no euros plus dollars, no apples plus pears),
and the question itself holds no number; it needs three numbers or a priced item, leaving
two-number problems to :mod:`eclair.answer.wordproblem`. Otherwise it returns None. The
expression it builds uses only the message's numbers, and is shown in the answer.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from eclair.answer.calculator import CalcError, calculate
from eclair.answer.mathtext import MathAnswer, prepare_text
from eclair.answer.percentproblem import YEAR, question_part
from eclair.answer.reading import context_spans

Role = Literal["start", "sub", "add", "buy"]

_NUM = r"\d+(?:\.\d+)?"
_CURRENCY = r"(?:€|\$|£|euros?|eur|dollars?|usd|pounds?|gbp|francs?|chf)"
_EACH = r"(?:each|apiece|a piece|per (?:item|unit|piece|kg|kilo|pound|litre|liter|lb)|chacune?|l'unite|la piece|piece|pieces|le (?:kilo|kg|litre|l)|la livre|a kilo|the kilo)"
# "3 baguettes at 1.15 €", "un croissant à 1,30 €", "2 tickets for $12 each"
_PRICED = re.compile(
    rf"(?:(?<![\w.])(?P<count>{_NUM})|\b(?P<article>a|an|one|un|une))\s+"
    rf"(?P<item>(?:(?!(?:and|et|then|puis|for|at|pour)\b)[^\W\d_][\w'-]*\s){{1,3}}?)"
    rf"(?:at|for|@|pour|costing|a)\s(?:(?P<cur1>[$€£])\s?)?(?P<price>{_NUM})"
    rf"(?:\s?(?P<cur2>{_CURRENCY})(?![a-z]))?(?:\s(?P<each>{_EACH}))?"
)
_AMOUNT = re.compile(rf"(?:(?P<cur1>[$€£])\s?)?(?<![\w.])(?P<value>{_NUM})(?:\s?(?P<unit>[$€£]|[a-z]+))?")
_VERBS: dict[Role, re.Pattern[str]] = {
    "start": re.compile(
        r"\b(?:had|have|has|there (?:are|were|is|was)|started with|starts with|owns?|owned|contains?|"
        r"holds?|j'ai|j'avais|avait|avais|avions|avaient|ont|possede\w*|dispose\w*|contient|il y a|"
        r"il y avait|(?:leaves?|left|sets? off|set out|starts?|started|part|partent|partait)(?: [a-z']+){0,4}? (?:with|avec))\b"
    ),
    "sub": re.compile(
        r"\b(?:spent|spends?|spending|paid|pays?|lost|loses?|gave|gives?|given|donated?|used|uses?|ate|"
        r"eats?|withdr[ae]w|withdraws?|took out|broke|breaks?|depense\w*|paye\w*|paie\w*|perdu\w*|perd\w*|"
        r"donne\w*|utilise\w*|mange\w*|retire\w*|casse\w*|offert\w*|offre\w*)\b"
    ),
    "add": re.compile(
        r"\b(?:earned|earns?|received|receives?|got|gets|found|finds?|won|wins?|gained|gains?|deposited|"
        r"takes? home|took home|brings? home|touche\w*|percoi\w*|"
        r"deposits?|gagne\w*|recu\w*|recoi\w*|trouve\w*|ajoute\w*|depose\w*)\b"
    ),
    "buy": re.compile(
        r"\b(?:bought|buys?|buying|purchased?|purchases|ordered|orders?|achete\w*|achat\w*|commande\w*|"
        r"prends|prend|prenons)\b"
    ),
}
# French "a" ("Marie a 20 €") starts an amount; English "a" is an article.
_FR_HAS = re.compile(r"\ba\b")
_GOAL_LEFT = re.compile(
    r"\b(?:left|remain\w*|still (?:have|has|got)|now|reste\w*|restant\w*|maintenant|a present)\b|"
    # the state after the events: "how many are there after the second stop?"
    r"\b(?:are there|are on|is there|y a-t-il|y a t il|y a-t-il encore)\b.*\b(?:after|apres)\b"
)
_GOAL_SPENT = re.compile(
    r"\b(?:spend|spent|pay|paid|cost|costs|owe|depense\w*|paie\w*|paye\w*|payer|coute\w*|dois)\b"
)
_GOAL_TOTAL = re.compile(r"\b(?:total|in all|altogether|together|en tout|au total|ensemble|in sum)\b")
_NOT_UNITS = {
    "on", "for", "of", "and", "to", "in", "at", "the", "a", "an", "then", "from", "de", "d", "du", "des",
    "et", "pour", "sur", "en", "au", "aux", "le", "la", "les", "puis", "dans", "chez", "with", "avec", "more",
    "de plus", "each", "chacun", "chacune", "left", "away",
}  # fmt: skip


@dataclass(frozen=True, slots=True)
class _Term:
    start: int
    expression: str
    role: Role | None
    unit: str | None
    priced: bool


def _currency(symbol: str | None) -> str | None:
    if not symbol:
        return None
    if symbol in ("€", "eur") or symbol.startswith("euro"):
        return "eur"
    if symbol in ("$", "usd") or symbol.startswith("dollar"):
        return "usd"
    if symbol in ("£", "gbp") or symbol.startswith("pound"):
        return "gbp"
    return "chf" if symbol.startswith(("franc", "chf")) else None


# words that name a sum of money, not a kind of thing: "a 75 bonus" is dollars like the rest
_MONEY_NOUNS = frozenset(
    [
        "refund",
        "refunds",
        "bonus",
        "tip",
        "tips",
        "fee",
        "fees",
        "rent",
        "salary",
        "wage",
        "wages",
        "deposit",
        "payment",
        "payments",
        "allowance",
        "remboursement",
        "prime",
        "pourboire",
        "loyer",
        "salaire",
        "acompte",
        "paiement",
        "virement",
    ]
)


# people counted by whatever they are called: "58 passengers", then "21 people get off"
_PEOPLE = frozenset(["people", "persons", "person", "personnes", "personne", "gens"])


def _unit(word: str | None) -> str | None:
    if not word or word in _NOT_UNITS or word in _MONEY_NOUNS or word in _PEOPLE:
        return None
    return _currency(word) or re.sub(r"(?:s|x)$", "", word)


def _terms(statement: str, lang: str) -> list[_Term]:
    """The statement's terms in reading order: priced items first claim their numbers."""
    spans: list[tuple[int, int, str, str | None, bool, Role | None]] = []
    taken: list[tuple[int, int]] = []
    for m in _PRICED.finditer(statement):
        currency = _currency(m["cur1"] or m["cur2"])
        if currency is None and not m["each"]:
            continue  # "3 apples for 2 friends" is not a price
        # ("one pen for 1.80" reads "1 pen": the 1 stays in the expression, where coverage sees it)
        expression = f"{m['count']} * {m['price']}" if m["count"] else m["price"]
        spans.append((m.start(), m.end(), expression, currency, True, None))
        taken.append((m.start(), m.end()))
    for m in _AMOUNT.finditer(statement):
        if any(a <= m.start("value") < b for a, b in taken):
            continue
        unit = _currency(m["cur1"]) or _unit(m["unit"])
        moving = _moving(statement, m.end("value"))
        if moving and moving[1]:
            unit = None  # "9 get off": the word after the number is the verb, not a unit
        spans.append((m.start(), m.end(), m["value"], unit, False, moving[0] if moving else None))
    spans.sort()
    terms: list[_Term] = []
    for start, _end, expression, unit, priced, moved in spans:
        role = moved or _governing_verb(statement, start, lang)
        terms.append(_Term(start, expression, role, unit, priced))
    return terms


# People moving, said after their number: "12 get off and 7 get on", "15 passagers descendent"
_MOVES_AFTER: dict[Role, re.Pattern[str]] = {
    "sub": re.compile(
        r"\s{1,3}([a-z]+\s{1,3})?(?:get off|gets off|got off|step off|stepped off|get out|got out|leave|left|"
        r"descend\w*|sortent|sont sorti\w*|quittent|ont quitte|s'en vont)\b"
    ),
    "add": re.compile(
        r"\s{1,3}([a-z]+\s{1,3})?(?:get on|gets on|got on|board|boarded|climb on|climbed on|join|joined|"
        r"come in|came in|montent|sont monte\w*|arrivent|sont arrive\w*|entrent|sont entre\w*|rejoignent)\b"
    ),
}


def _moving(statement: str, end: int) -> tuple[Role, bool] | None:
    """The role of a verb of people moving right after a number ("7 get on", "15 passengers
    got off"), and whether the verb follows the number directly (no noun between)."""
    for role, pattern in _MOVES_AFTER.items():
        if found := pattern.match(statement, end):
            return role, found[1] is None
    return None


def _governing_verb(statement: str, position: int, lang: str) -> Role | None:
    """The role of the last verb before ``position`` in the same sentence."""
    sentence_start = max(statement.rfind(". ", 0, position), statement.rfind("; ", 0, position)) + 1
    before = statement[sentence_start:position]
    patterns = list(_VERBS.items())
    if lang == "fr":
        patterns.append(("start", _FR_HAS))
    best: tuple[int, Role] | None = None
    for role, pattern in patterns:
        for m in pattern.finditer(before):
            if best is None or m.start() > best[0]:
                best = (m.start(), role)
    return best[1] if best else None


# "paid with a $10 bill", "je paie avec un billet de 10 €": what the change is taken from
_PAID_WITH = re.compile(
    rf"\b(?:paid|pay|pays|paying|hand(?:ed)? over|paye\w*|paie\w*|regle\w*)\s+(?:with|using|avec)\s+"
    rf"(?:a|an|one|un|une)\s+(?:(?:bill|note|billet|coupure)\s+(?:of|de)\s+)?(?:(?P<cur1>[$€£])\s?)?(?P<value>{_NUM})"
    rf"(?:\s?(?P<cur2>{_CURRENCY})(?![a-z]))?(?:\s(?:bill|note|billet|coupure))?"
)
_ASKS_CHANGE = re.compile(r"\b(?:change|monnaie|rend\w*)\b")


def solve_change(text: str, question: str) -> MathAnswer | None:
    """The change from a payment ("3 notebooks at $2.45 each and a pen for $1.30, paid with a
    $10 bill: how much change?"): the note paid with, minus every priced item; every number of
    the statement must be the note or an item's count or price (coverage)."""
    paid = _PAID_WITH.search(text)
    if paid is None or not _ASKS_CHANGE.search(question):
        return None
    statement = text[: paid.start()] + " " * (paid.end() - paid.start()) + text[paid.end() :]
    statement = statement.replace(question, " ")
    items = list(_PRICED.finditer(statement))
    if not items:
        return None
    used = sum(1 + bool(m["count"]) for m in items)
    if len(re.findall(rf"(?<![\w.]){_NUM}", statement)) != used:
        return None
    costs = [f"{m['count']} * {m['price']}" if m["count"] else m["price"] for m in items]
    expression = f"{paid['value']} - ({' + '.join(costs)})"
    try:
        result = calculate(expression)
    except CalcError as err:
        return MathAnswer(expression, error=err)
    return MathAnswer(expression, result) if result.value.q >= 0 else None


def solve_story_problem(message: str, lang: str) -> MathAnswer | None:
    """The calculation a multi-step story problem asks for (see the module docstring)."""
    if len(message) > 600 or "%" in message:
        return None
    text = re.sub(r"(?<!\w)à(?!\w)", "@", message)  # "à 1,15 €" is a price, "a" is "has"
    text = re.sub(r"\s+", " ", prepare_text(text, lang))
    question = question_part(text)
    for start, end in context_spans(text, question):  # "at 7:25", "the captain is 61 years old"
        text = text[:start] + " " * (end - start) + text[end:]
    question = question_part(text)
    if question and (change := solve_change(text, question)):
        return change
    if not question or re.search(r"\d", question) or YEAR.search(text) or asks_for_absent_thing(text):
        return None
    statement = text.replace(question, " ")
    terms = _terms(statement, lang)
    if not terms or (len(terms) < 3 and not any(t.priced for t in terms)):
        return None
    if len({t.unit for t in terms if t.unit}) > 1:
        return None  # euros and dollars, apples and pears
    if _idle_verb(statement, terms):
        return None
    money = any(t.unit in ("eur", "usd", "gbp", "chf") or t.priced for t in terms) or bool(
        _EXPENSE.search(statement)
    )
    if _GOAL_LEFT.search(question):
        return _left(terms, money, statement)
    if _GOAL_SPENT.search(question) or _GOAL_TOTAL.search(question):
        return _total(terms, spent=bool(_GOAL_SPENT.search(question)))
    return None


_ASKED_THING = re.compile(r"\b(?:how many|combien (?:de |d'))\s?([a-z][a-z-]{2,})")
_GENERIC_ASKED = {
    "are", "were", "was", "is", "did", "does", "do", "will", "can", "could", "should", "would", "more",
    "left", "times", "there", "now", "altogether", "together", "in", "of", "then", "still", "each",
}  # fmt: skip


def asks_for_absent_thing(text: str) -> bool:
    """ "3 days in Paris and 2 in Lyon: how many cities?": the question counts a thing the
    statement never mentions, so no arithmetic on its numbers answers it."""
    asked = _ASKED_THING.search(text)
    if asked is None or asked[1] in _GENERIC_ASKED:
        return False
    stem = re.sub(r"(?:ies|s|x)$", "", asked[1])[:5]
    before = text[: asked.start()]
    return not re.search(rf"\b{re.escape(stem)}", before)


def _idle_verb(statement: str, terms: list[_Term]) -> bool:
    """A verb that takes or adds an amount with no number after it ("then gives some away")."""
    starts = [t.start for t in terms]
    for role in ("sub", "add"):
        for m in _VERBS[role].finditer(statement):  # type: ignore[index]
            end = statement.find(". ", m.end())
            end = len(statement) if end < 0 else end
            following = [s for s in starts if m.end() <= s < end]
            later_verb = min(
                (v.start() for p in _VERBS.values() for v in p.finditer(statement, m.end(), end)), default=end
            )
            if not any(s < later_verb for s in following):
                return True
    return False


# What a budget spends on, named without a verb: "Rent is 750, groceries about 260", "loyer : 680 €"
_EXPENSE = re.compile(
    r"\b(?:rent|food|groceries|transport|travel|bills?|utilities|insurance|phone|internet|electricity|gas|"
    r"heating|petrol|fuel|childcare|subscriptions?|loan|mortgage|loyer|courses|nourriture|factures?|assurances?|"
    r"electricite|chauffage|essence|carburant|abonnements?|credit|pret|cantine|creche)\b"
)


def _expense_before(statement: str, term: _Term, previous: _Term) -> bool:
    """The words between the term before and this one name an expense ("…, groceries about 260")."""
    return bool(_EXPENSE.search(statement, previous.start, term.start))


def _left(terms: list[_Term], money: bool, statement: str = "") -> MathAnswer | None:
    first, rest = terms[0], terms[1:]
    # (what one earns starts a budget: "I take home 1,900 a month. Rent is 750…")
    if first.role not in ("start", "add", None) or first.priced or not rest:
        return None
    parts = [first.expression]
    previous = first
    for term in rest:
        role = term.role
        if role is None and money and _expense_before(statement, term, previous):
            role = "sub"
        previous = term
        if role == "buy" or (role is None and term.priced):
            role = "sub" if money else "add"
        if role not in ("sub", "add"):
            return None
        parts.append(f"{'-' if role == 'sub' else '+'} {term.expression}")
    return _compute(" ".join(parts))


def _total(terms: list[_Term], spent: bool) -> MathAnswer | None:
    roles = {t.role for t in terms}
    if spent:
        # What was paid: the purchases and the sums spent; a starting sum is not spent.
        paid = [t for t in terms if t.role in ("buy", "sub") or (t.role is None and t.priced)]
        others = [t for t in terms if t not in paid]
        if not paid or "add" in roles or len(others) > 1 or (others and others[0] is not terms[0]):
            return None
        return _compute(" + ".join(t.expression for t in paid))
    if "sub" in roles:
        return None
    return _compute(" + ".join(t.expression for t in terms))


def _compute(expression: str) -> MathAnswer | None:
    try:
        return MathAnswer(expression, calculate(expression))
    except CalcError:
        return None
