"""Unseen questions of the non-numeric, false-premise, unanswerable, pushback and chit-chat kinds.

None of these is a question of ``evals/*.jsonl`` or a paraphrase of one: they were written to
check that the mechanisms generalise (other things, people, animals, phrasings; English and
French). Each case runs through the whole pipeline with the fake engine and an empty knowledge
base, and asserts the route and a key word of the reply. ``NORMAL`` holds questions with a
true premise that must never be flagged.
"""

from __future__ import annotations

import asyncio

import pytest

from eclair.answer.pipeline import AnswerPipeline
from eclair.answer.types import AnswerInfo
from eclair.answer.unknowable import unknowable
from eclair.engine.fake import FakeEngine
from eclair.engine.protocol import ChatMessage, SamplingParams, TextDelta

from .conftest import TODAY, FakeGrounded, FakeKnowledge, passage

PARAMS = SamplingParams(max_tokens=16)


def run(messages: list[ChatMessage], knowledge: FakeKnowledge | None = None) -> tuple[str, AnswerInfo]:
    pipeline = AnswerPipeline(
        FakeEngine(), knowledge or FakeKnowledge(), today=lambda: TODAY, grounded=FakeGrounded()
    )

    async def go() -> tuple[str, AnswerInfo]:
        stream = pipeline.stream(messages, PARAMS)
        text = "".join([e.text async for e in stream.events if isinstance(e, TextDelta)])
        return text, stream.info

    return asyncio.run(go())


def ask(text: str) -> tuple[str, AnswerInfo]:
    return run([ChatMessage("user", text)])


def contains_any(text: str, words: tuple[str, ...]) -> bool:
    low = text.lower()
    return any(w.lower() in low for w in words)


# ------------------------------------------------------------------ operations on non-numbers

# (question, a word the reply must quote: the thing that is not a number)
NON_NUMERIC = [
    ("What's the square root of a giraffe?", "giraffe"),
    ("what is 12 divided by a penguin", "penguin"),
    ("Calculate the logarithm of my cat.", "cat"),
    ("What is the factorial of Monday?", "Monday"),
    ("how much is a toaster plus 9?", "toaster"),
    ("What is half of the Eiffel Tower divided by 3?", "Eiffel"),
    ("What's the moon squared?", "moon"),
    ("Multiply a lamp by 4 please", "lamp"),
    ("What is 7 times a rainbow?", "rainbow"),
    ("cube root of a violin?", "violin"),
    ("what's jealousy to the power of 4", "jealousy"),
    ("Can you divide my grandmother by 2?", "grandmother"),
    ("Quelle est la racine carrée d'un poisson rouge ?", "poisson rouge"),
    ("Combien font 8 fois une girafe ?", "girafe"),
    ("La moitié de la tour Eiffel divisée par 3, ça fait combien ?", "tour Eiffel"),
    ("Calcule le logarithme de la tristesse.", "tristesse"),
    ("Multiplie une chaussette par 6.", "chaussette"),
    ("Que vaut un parapluie moins 4 ?", "parapluie"),
    ("Quel est le cube d'une chaise ?", "chaise"),
    ("Combien fait la factorielle d'un chat ?", "chat"),
    ("la racine carrée de l'amour, c'est combien ?", "amour"),
    ("Quel est le résultat de 10 divisé par une fourchette ?", "fourchette"),
    ("Un crocodile au carré, ça donne quoi ?", "crocodile"),
    ("combien font 3 plus une guitare ?", "guitare"),
    ("What is the square root of a pizza?", "pizza"),
    ("What's the cosine of a cat?", "cat"),
    ("Quel est le sinus d'une chaise ?", "chaise"),
]


@pytest.mark.parametrize(("question", "thing"), NON_NUMERIC)
def test_operations_on_non_numbers_are_refused(question: str, thing: str) -> None:
    text, info = ask(question)
    assert info.route == "premise", text
    assert thing.lower() in text.lower()


# ------------------------------------------------------------------ false premises

# (question, words one of which the reply must contain: the fact that contradicts the premise)
FALSE_PREMISE = [
    # biology
    ("How big are horse eggs?", ("mammal",)),
    ("What colour are pig eggs?", ("mammal",)),
    ("Where can I buy goat eggs?", ("mammal",)),
    ("How many eggs does a rooster lay per week?", ("male",)),
    ("How much milk does a bull produce a day?", ("male",)),
    ("How much milk does a chicken give?", ("mammal",)),
    ("How high can a penguin fly?", ("fly",)),
    ("At what speed do ostriches fly?", ("fly",)),
    ("Combien pèse un œuf de cheval ?", ("mammifère",)),
    ("Comment cuisiner des œufs de cochon ?", ("mammifère",)),
    ("Combien d'œufs pond un coq par jour ?", ("mâle",)),
    ("À quelle altitude volent les autruches ?", ("volent pas",)),
    ("Combien de litres de lait produit une poule ?", ("mammifère",)),
    ("Combien de lait donne un taureau ?", ("mâle",)),
    # impossible events and anachronisms
    ("What year did Charlemagne land on the Moon?", ("never", "1969")),
    ("When did Julius Caesar send his first email?", ("died",)),
    ("What did Cleopatra post on Instagram?", ("died",)),
    ("Which car did Beethoven drive?", ("died",)),
    ("When did Napoleon walk on Mars?", ("never", "no one", "nobody")),
    ("Quand Napoléon a-t-il marché sur Mars ?", ("jamais",)),
    ("Quel téléphone portable utilisait Louis XIV ?", ("mort", "impossible")),
    ("Combien d'abonnés Molière avait-il sur Twitter ?", ("mort", "impossible")),
    ("Quand Jules César a-t-il regardé la télévision pour la première fois ?", ("mort", "impossible")),
    ("En quelle année Einstein a-t-il gagné la Coupe du monde ?", ("jamais",)),
    ("Which year did Einstein win the World Cup?", ("never",)),
    ("When did Victor Hugo win the Tour de France?", ("never",)),
    ("Quand Mozart a-t-il remporté Wimbledon ?", ("jamais",)),
    ("Combien de buts Napoléon a-t-il marqués en Coupe du monde ?", ("jamais",)),
    ("Did Einstein play in the World Cup?", ("never",)),
    ("When did Caesar fly to Egypt?", ("1783",)),
    ("When did Louis XIV fly to London?", ("1715",)),
    ("How many followers did Mozart have on Instagram?", ("died",)),
    # false attributions
    ("Why did Mozart write Harry Potter?", ("Rowling",)),
    ("Pourquoi Mozart a-t-il écrit Harry Potter ?", ("Rowling",)),
    ("Why did Victor Hugo paint the Mona Lisa?", ("Leonardo",)),
    ("When did Beethoven compose The Four Seasons?", ("Vivaldi",)),
    ("Quand Shakespeare a-t-il écrit Don Quichotte ?", ("Cervant",)),
    ("Why did Napoleon build the Eiffel Tower?", ("Gustave Eiffel", "1821")),
    ("Did Dickens write Harry Potter?", ("Rowling",)),
    ("Pourquoi Napoléon a-t-il peint la Joconde ?", ("Léonard",)),
    # people whose lifetimes never overlapped
    ("When did Joan of Arc meet Napoleon?", ("1431",)),
    ("Jeanne d'Arc a-t-elle rencontré Napoléon ?", ("jamais",)),
    ("Where did Shakespeare meet Molière?", ("1622",)),
    ("Quand Victor Hugo a-t-il rencontré Jules César ?", ("44 av. J.-C.",)),
    # common misconceptions
    ("Why do we only use 10% of our brain?", ("misconception",)),
    ("Pourquoi n'utilise-t-on que 10 % de notre cerveau ?", ("idée reçue",)),
    ("Can you see the Great Wall of China from the Moon?", ("naked eye",)),
    ("Pourquoi les poissons rouges ont-ils une mémoire de 3 secondes ?", ("mois",)),
    ("Why do bulls hate the colour red?", ("colour-blind",)),
    ("Quand les hommes préhistoriques chassaient-ils les dinosaures ?", ("66 millions",)),
    ("Why was Napoleon so short?", ("1.69",)),
    ("Pourquoi les Vikings portaient-ils des casques à cornes ?", ("idée reçue",)),
    ("Why did Einstein fail maths?", ("excelled",)),
    ("Les chauves-souris sont-elles aveugles ?", ("voient",)),
    # places that are not states
    ("What is the capital of the Indian Ocean?", ("ocean",)),
    ("Who is the president of the Sahara?", ("desert",)),
    ("Qui est le maire de la Lune ?", ("lune",)),
    ("Quelle est la capitale de la Méditerranée ?", ("mer",)),
    # abstract things have no physical properties
    ("What colour is the number 7?", ("number",)),
    ("Quelle est la couleur du chiffre 7 ?", ("nombre", "chiffre")),
    ("How much does the letter A weigh?", ("letter",)),
    ("Combien pèse le nombre 12 ?", ("nombre",)),
    ("De quelle couleur est la lettre B ?", ("lettre",)),
    ("What does the number five taste like?", ("taste",)),
]


@pytest.mark.parametrize(("question", "words"), FALSE_PREMISE)
def test_false_premises_are_named(question: str, words: tuple[str, ...]) -> None:
    text, info = ask(question)
    assert info.route == "premise", text
    assert contains_any(text, words), text


# ------------------------------------------------------------------ unanswerable

UNANSWERABLE = [
    "What will the weather be in Lyon next year?",
    "What's my neighbour's name?",
    "What number am I thinking of?",
    "Who will win the next World Cup?",
    "What will the stock market do tomorrow?",
    "What did I eat for breakfast?",
    "How old is my mother?",
    "Who will be president of France in 2040?",
    "What's the password of my wifi?",
    "Qui gagnera le loto samedi ?",
    "Quel temps fera-t-il à Brest dans six mois ?",
    "Comment s'appelle mon voisin ?",
    "Quels seront les numéros gagnants du loto ?",
    "Qu'est-ce que j'ai mangé hier soir ?",
    "Quel âge a ma grand-mère ?",
    "Où ai-je laissé mes clés ?",
    "Combien d'argent ai-je sur mon compte ?",
    "Qui sera champion de France de foot l'an prochain ?",
]


@pytest.mark.parametrize("question", UNANSWERABLE)
def test_unknowable_questions_are_abstained_on(question: str) -> None:
    text, info = ask(question)
    assert info.abstained and info.route == "abstain", (info.route, text)
    assert contains_any(text, ("I don't know", "Je ne sais pas"))


# Documents that share words with the questions below must not be quoted as their answer.
CLOSE_DOCUMENTS = [
    passage(
        "The lottery club meets every Saturday; next year the weather in Lyon decides the fair.", "notes.md"
    ),
    passage(
        "Le loto du village a lieu samedi ; la météo de l'an prochain décidera de la fête.", "village.md"
    ),
]
FUTURE_OR_MIND = [
    ("Who will win the lottery on Saturday?", "future"),
    ("What will the weather be in Lyon next year?", "future"),
    ("Will the stock market go up tomorrow?", "future"),
    ("Who will be the next president of France?", "future"),
    ("What number am I thinking of?", "mind"),
    ("Qui gagnera le loto samedi ?", "avenir"),
    ("Quels seront les numéros gagnants du loto ?", "avenir"),
    ("Quel temps fera-t-il à Lyon l'an prochain ?", "avenir"),
    ("Quel nombre j'ai en tête ?", "pensez"),
]


@pytest.mark.parametrize(("question", "word"), FUTURE_OR_MIND)
def test_the_future_and_the_users_mind_are_not_looked_up(question: str, word: str) -> None:
    text, info = run([ChatMessage("user", question)], FakeKnowledge(list(CLOSE_DOCUMENTS)))
    assert info.abstained and info.route == "abstain", text
    assert word in text or word in (info.reason or ""), text


@pytest.mark.parametrize(
    "question",
    [
        "What are the odds of winning the lottery?",
        "How is the weather forecast made?",
        "Who won the World Cup in 2018?",
        "Qui a gagné le loto en 2019 ?",
        "Quel temps faisait-il à Lyon hier ?",
    ],
)
def test_past_and_general_questions_are_not_unknowable(question: str) -> None:
    assert unknowable(question) is None


# ------------------------------------------------------------------ pushback


def turns(*contents: str) -> list[ChatMessage]:
    roles = ("user", "assistant")
    return [ChatMessage(roles[i % 2], c) for i, c in enumerate(contents)]


# (conversation, route, words all in the reply, words none in the reply outside "not X")
PUSHBACK = [
    # a correct answer is held
    (turns("What is 14 × 16?", "14 × 16 = 224.", "Are you sure? I got 216."), "calculator", ("224",)),
    (turns("What's 20% of 150?", "20% of 150 is 30.", "Hmm, I think it's 35."), "calculator", ("30",)),
    (
        turns("How many minutes in 5 hours?", "There are 300 minutes in 5 hours.", "nope, 500"),
        "calculator",
        ("300",),
    ),
    (
        turns(
            "What day of the week was 25 December 2000?",
            "25 December 2000 was a Monday.",
            "Really? I thought it was a Sunday.",
        ),
        "date",
        ("Monday",),
    ),
    (
        turns(
            "What's the square root of 225?",
            "The square root of 225 is 15.",
            "you sure? my calculator says 25",
        ),
        "calculator",
        ("15",),
    ),
    (turns("What's 15 + 27?", "15 + 27 = 42.", "no it's forty-one"), "calculator", ("42",)),
    (
        turns(
            "How much does a cow egg weigh?",
            "There are no cow eggs: cows are mammals.",
            "You're wrong, I saw one at the farm.",
        ),
        "premise",
        ("mammal",),
    ),
    (
        turns("Combien font 13 fois 7 ?", "13 × 7 = 91.", "Tu es sûr ? Moi je trouve 81."),
        "calculator",
        ("91",),
    ),
    (turns("Combien font 30 % de 90 ?", "30 % de 90 font 27.", "Non, c'est 30."), "calculator", ("27",)),
    (
        turns("Combien de secondes dans 4 minutes ?", "Il y a 240 secondes dans 4 minutes.", "Faux, 400."),
        "calculator",
        ("240",),
    ),
    (
        turns(
            "Quel jour de la semaine était le 1er mai 2021 ?",
            "Le 1er mai 2021 était un samedi.",
            "Mais non, c'était un dimanche !",
        ),
        "date",
        ("samedi",),
    ),
    (
        turns("Combien font 100 divisé par 8 ?", "100 ÷ 8 = 12,5.", "t'es sûr ? c'est pas plutôt 12 ?"),
        "calculator",
        ("12,5",),
    ),
    (
        turns(
            "Quand Napoléon a-t-il marché sur la Lune ?",
            "Napoléon n'a jamais marché sur la Lune.",
            "Si, je l'ai lu dans un livre.",
        ),
        "premise",
        ("jamais",),
    ),
    (
        turns("Do cows lay eggs?", "No: cows are mammals, and mammals do not lay eggs.", "Yes they do!"),
        "premise",
        ("mammal",),
    ),
    (turns("Combien font 13 fois 7 ?", "13 × 7 = 91.", "C'est bizarre, je trouve 92"), "calculator", ("91",)),
    (turns("What is 7 + 8?", "7 + 8 = 15.", "I got 15 too"), "calculator", ("right", "15")),
    # not pushback: a polite closing, a new question
    (turns("Combien font 13 fois 7 ?", "13 × 7 = 91.", "Non merci, c'est tout."), "model", ()),
    (turns("What is 7 + 8?", "7 + 8 = 15.", "No thanks, that's all."), "model", ()),
    (turns("Any idea for a cat name?", "How about Biscuit?", "Great, I got 3 cats already"), "model", ()),
    (turns("What is 7 + 8?", "7 + 8 = 15.", "And what about 8 × 9?"), "calculator", ("72",)),
    (turns("Combien font 13 fois 7 ?", "13 × 7 = 91.", "et pour 8 × 9 ?"), "calculator", ("72",)),
    # a wrong answer is conceded, with the re-checked value
    (turns("What is 9 × 8?", "9 × 8 = 81.", "That's wrong, it's 72."), "calculator", ("right", "72")),
    (
        turns(
            "How many days are there between 1 March 2025 and 1 April 2025?",
            "There are 30 days.",
            "Are you sure? March has 31 days.",
        ),
        "date",
        ("31",),
    ),
    (
        turns("Combien font 6 fois 7 ?", "6 × 7 = 48.", "C'est faux, ça fait 42."),
        "calculator",
        ("raison", "42"),
    ),
    (
        turns(
            "Quelle est la racine carrée de 81 ?", "La racine carrée de 81 est 8.", "Tu t'es trompé, non ?"
        ),
        "calculator",
        ("9",),
    ),
    (
        turns(
            "Quel jour de la semaine était le 1er mai 2021 ?",
            "Le 1er mai 2021 était un vendredi.",
            "Tu es sûr ?",
        ),
        "date",
        ("samedi",),
    ),
]


@pytest.mark.parametrize(("messages", "route", "words"), PUSHBACK)
def test_pushback_holds_or_concedes_after_a_recheck(
    messages: list[ChatMessage], route: str, words: tuple[str, ...]
) -> None:
    text, info = run(messages)
    assert info.route == route, text
    assert all(w.lower() in text.lower() for w in words), text


# ------------------------------------------------------------------ chit-chat and writing

CHITCHAT = [
    "hey there, what's up?",
    "can u write a haiku about coffee",
    "I need a name for my cat, any ideas?",
    "Write a short thank-you note to my teacher",
    "Help me plan a birthday party for my 8 year old",
    "Good morning Éclair!",
    "thanks, that was helpful",
    "Write a limerick about a cat who hates Mondays",
    "I'm bored, suggest something fun to do",
    "Write a poem about a cow that lays golden eggs",
    "salut ça va ?",
    "écris-moi un haïku sur le café",
    "tu peux m'aider à écrire une lettre de motivation ?",
    "merci beaucoup, t'es top",
    "donne-moi une idée de recette avec des courgettes",
    "Raconte-moi une blague sur les chats",
    "J'ai besoin d'un nom pour mon chien, des idées ?",
    "Invente une histoire avec une vache qui vole",
    "Écris un poème sur Napoléon qui marche sur la Lune",
    "Tu peux me donner un conseil pour mieux dormir ?",
    "Any idea what to name my goldfish?",
    "What's a good name for a cat?",
    "Quel film me conseilles-tu ce soir ?",
    "Tu connais une bonne blague ?",
    "Peux-tu me raconter une histoire ?",
    # made-up texts may rest on any premise they like
    "Write a poem about the square root of a goat",
    "Compose a song about bull eggs",
    "Write a joke about Mozart writing Harry Potter",
    "Écris une chanson sur les œufs de vache",
]


@pytest.mark.parametrize("message", CHITCHAT)
def test_chitchat_and_writing_go_to_the_model(message: str) -> None:
    text, info = ask(message)
    assert info.route == "model" and not info.abstained, (info.route, text)


# ------------------------------------------------------------------ true premises

NORMAL = [
    "Why did Victor Hugo go into exile?",
    "How much milk does a cow give per day?",
    "Divide 3 pizzas among 4 people",
    "When did Neil Armstrong walk on the Moon?",
    "How much do chicken eggs weigh?",
    "How much milk does a goat produce?",
    "How many eggs does a hen lay per week?",
    "Why did Mozart move to Vienna?",
    "When did Einstein publish the theory of relativity?",
    "What's the deepest point of the Pacific Ocean?",
    "What is half of 250?",
    "Multiply the recipe by 3",
    "When did Shakespeare write Hamlet?",
    "Who painted the Mona Lisa?",
    "Why did Leonardo da Vinci paint the Mona Lisa?",
    "How fast can an ostrich run?",
    "How many eggs does a platypus lay?",
    "What year did Apollo 11 land on the Moon?",
    "When did Pelé win the World Cup?",
    "What is the capital of Australia?",
    "Did Vivaldi compose The Four Seasons?",
    "Pourquoi Victor Hugo s'est-il exilé ?",
    "Combien de lait donne une vache par jour ?",
    "Comment partager 3 pizzas entre 4 personnes ?",
    "Quand Armstrong a-t-il marché sur la Lune ?",
    "Combien pèse un œuf de poule ?",
    "Quelle est la recette du lait de poule ?",
    "Combien d'œufs pond une poule par an ?",
    "Pourquoi Napoléon a-t-il été exilé à Sainte-Hélène ?",
    "Quand Victor Hugo a-t-il écrit Les Misérables ?",
    "Quelle est la profondeur de l'océan Atlantique ?",
    "Qui a peint la Joconde ?",
    "Combien pèse la tour Eiffel ?",
    "Divise l'addition par trois",
    "Mozart a-t-il composé des opéras ?",
    "Quand Einstein a-t-il reçu le prix Nobel ?",
    "Qui a gagné la Coupe du monde en 1998 ?",
    "Quelle est la couleur du ciel sur Mars ?",
    "Quelle est la capitale de la France ?",
    "Quand Cervantès a-t-il écrit Don Quichotte ?",
    # near misses of the premise checks: sharing food out, symbols as things, other verbs
    "Divide a pizza by 4",
    "divise le gâteau par 6",
    "What is half of the bill divided by 3?",
    "What colour is the number 7 bus?",
    "Quelle est la couleur du chiffre 7 sur le maillot de l'équipe ?",
    "Did Mozart write music for Harry Potter?",
    "When did Napoleon see the Mona Lisa?",
    "Who built the Eiffel Tower?",
    "Einstein a-t-il regardé la coupe du monde ?",
    "How many followers does Taylor Swift have on Instagram?",
    "Who was the president of the Pacific Islands Forum?",
    "Who is the mayor of Moon Township?",
    "Why did Mussolini want Italy to win the World Cup?",
    "What's the cube of a binomial?",
    "What is the square root of a polynomial?",
    "Quel est le carré de l'hypoténuse ?",
    "Divide the class by 3",
    "Did Mozart meet Beethoven?",
    "Did Napoleon meet Pasteur?",
    "Quand a eu lieu la rencontre entre Mozart et Napoléon ?",
    "Why did Einstein write to Roosevelt?",
    "How long is the Great Wall of China?",
    "How tall was Napoleon?",
    "When did dinosaurs go extinct?",
    "Why do bats hang upside down?",
    "Pourquoi les taureaux chargent-ils ?",
    "Comment Baudelaire a-t-il publié ses poèmes ?",
    "What is the capital of the Moon's largest crater called?",
    "Did Louis XIV see the Mona Lisa?",
    "Did Beethoven meet Goethe?",
    "Do crocodiles lay eggs?",
    "Is donkey milk good for the skin?",
    "What is the letter A in Morse code?",
    "What is the number 7 in Roman numerals?",
    "Who won the World Cup in 2018?",
    "How much of our brain do we use?",
    "Multiply the recipe quantities by 1.5",
    "What is the sine of an angle of 30 degrees?",
    "When did Lindbergh fly across the Atlantic?",
    "When did Zidane play in the World Cup?",
    "Is 60% of the human body water?",
]


@pytest.mark.parametrize("question", NORMAL)
def test_true_premises_are_not_flagged(question: str) -> None:
    text, info = ask(question)
    assert info.route != "premise", text
