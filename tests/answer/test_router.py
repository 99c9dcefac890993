"""Routing decisions, language detection and intent, in English and French."""

from __future__ import annotations

from datetime import date

import pytest

from eclair.answer.context import focus_question
from eclair.answer.intent import classify_intent
from eclair.answer.language import conversation_language, detect_language
from eclair.answer.router import decide
from eclair.engine.protocol import ChatMessage

TODAY = date(2026, 11, 28)


def route(text: str) -> str:
    return decide([ChatMessage("user", text)], TODAY).route


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("What is 17 × 23?", "calculator"),
        ("combien font trois fois dix-sept ?", "calculator"),
        ("12.5% of 360", "calculator"),
        ("racine carrée de 169", "calculator"),
        ("how many seconds in 3 hours", "calculator"),
        ("9**9**9**9", "calculator"),
        ("Hey Éclair, what is 6 times 7?", "calculator"),
        ("What's 3 + 3? Just curious.", "calculator"),
        ("Peux-tu calculer 25 × 4 ?", "calculator"),
        ("If I have 12 apples and give away 5, how many do I have left?", "calculator"),
        ("what day of the week was 14 July 1789", "date"),
        ("What day of the week is it?", "date"),
        ("In 1969, what day of the week was July 20?", "date"),
        ("quelle date serons-nous dans 100 jours", "date"),
        ("What is the square root of a goat?", "premise"),
        ("5 times a banana", "premise"),
        ("How much do bull eggs weigh?", "premise"),
        ("When did Napoleon walk on the Moon?", "premise"),
        ("Who is the president of France?", "knowledge"),
        ("Quelle est la capitale de l'Australie ?", "knowledge"),
        ("Explain photosynthesis", "knowledge"),
        ("Tell me about the Eiffel Tower", "knowledge"),
        ("When was Victor Hugo born?", "knowledge"),
        ("Combien d'habitants compte Lyon ?", "knowledge"),
        ("Hello, how are you?", "model"),
        ("Bonjour !", "model"),
        ("Merci beaucoup", "model"),
        ("Tell me a joke", "model"),
        ("Write a poem about the sea", "model"),
        ("Écris un poème sur la mer", "model"),
        ("Donne-moi des idées de cadeaux", "model"),
        ("Can you help me write an email to my boss?", "model"),
        ("What do you think about AI?", "model"),
        ("Who are you?", "model"),
        ("I am tired today.", "model"),
    ],
)
def test_routes(text: str, expected: str) -> None:
    assert route(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        # advice or ideas asked with a determiner and adjectives between ("any fun party ideas?")
        "Our hamster is ginger and tiny. Any funny name ideas?",
        "Some quick dinner suggestions for 4 people?",
        "Je pars à la retraite dans 2 mois. Tu as un conseil pour bien préparer ce changement ?",
        "Vous avez une petite idée de cadeau pour mes 30 ans ?",
        # a trick, a hint, a way asked for
        "Give me a trick to learn the 9 times table.",
        "Donne-moi une astuce pour retenir les 12 mois en anglais.",
    ],
)
def test_requests_for_advice_or_ideas_go_to_the_model(text: str) -> None:
    assert route(text) == "model"


@pytest.mark.parametrize(
    "text",
    [
        "Can you explain what a percentage is to a 7-year-old?",
        "Explique-moi ce qu'est une fraction en deux phrases.",
        "Could you explain what a prime number is, with 3 examples?",
    ],
)
def test_a_notion_to_explain_is_not_a_calculation(text: str) -> None:
    # its numbers describe the explanation wanted; the documents or the model explain it
    decision = decide([ChatMessage("user", text)], TODAY)
    assert decision.reply is None and (decision.route == "model" or decision.open), decision


@pytest.mark.parametrize(
    "text",
    ["Explain what the square root of 81 is", "Is 91 a prime number?", "Give me the square root of 64"],
)
def test_a_value_asked_inside_a_request_is_still_computed_or_declined(text: str) -> None:
    assert route(text) == "calculator"


def test_several_calculations_in_one_message() -> None:
    decision = decide([ChatMessage("user", "What is 2 + 2? And 3 × 3?")], TODAY)
    assert decision.reply is not None
    assert decision.reply.text.splitlines() == ["2 + 2 = 4", "3 × 3 = 9"]


@pytest.mark.parametrize(
    ("text", "reply"),
    [
        ("Is 17 × 23 equal to 381?", "No: 17 × 23 = 391, not 381."),
        ("Est-ce que 17 × 23 fait 391 ?", "Oui : 17 × 23 = 391."),
        ("Quel est le pourcentage de 50 sur 200 ?", "50 représente 25 % de 200 (50 ÷ 200 × 100 = 25)."),
        ("Combien font 10 divisé par 3 ?", "10 ÷ 3 = 10/3 ≈ 3,333333333"),
        ("What is 100 factorial?", "100! ≈ 9.332621544 × 10^157"),
        (
            "What is the square root of minus nine?",
            "-9 has no real square root: no real number squared gives a "
            "negative number (in the complex numbers, the square roots of -9 are ±3i).",
        ),
        ("What is (1 + 2?", "I couldn't compute that expression: a closing parenthesis is missing."),
        (
            "9**9**9**9",
            "I won't compute that: the result would have more than 1000 digits, too large to work out "
            "exactly.",
        ),
        (
            "__import__('os').system('ls')",
            "I can only calculate with numbers: “__import__” is not a number. "
            "Names, variables and code are not allowed, only numbers with + - × ÷ ^ √ % and parentheses.",
        ),
    ],
)
def test_calculator_wording(text: str, reply: str) -> None:
    decision = decide([ChatMessage("user", text)], TODAY)
    assert decision.reply is not None and decision.reply.text == reply


def test_pasted_article_goes_to_the_documents() -> None:
    article = "The Lumière brothers held the first public film screening in Paris in 1895. " * 5
    decision = decide([ChatMessage("user", f"{article}\nQuestion: when was the first screening?")], TODAY)
    assert decision.route == "knowledge"
    assert decision.question == "when was the first screening?"
    assert decision.document.startswith("The Lumière brothers")


def test_last_turn_must_be_the_user() -> None:
    decision = decide([ChatMessage("user", "2+2"), ChatMessage("assistant", "4")], TODAY)
    assert decision.route == "model"


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("What is the capital of France?", "en"),
        ("Who wrote Les Misérables?", "en"),
        ("Quelle est la capitale de la France ?", "fr"),
        ("combien font trois fois dix-sept", "fr"),
        ("Peux-tu calculer 25 × 4 ?", "fr"),
        ("Qu'est-ce que la photosynthèse ?", "fr"),
        ("how many seconds in 3 hours", "en"),
        ("Écris un poème", "fr"),
        ("are you sure?", "en"),
        ("tu es sûr ?", "fr"),
    ],
)
def test_language(text: str, lang: str) -> None:
    assert detect_language(text) == lang


def test_language_without_signal_follows_the_conversation() -> None:
    messages = [
        ChatMessage("user", "Bonjour, j'ai une question"),
        ChatMessage("assistant", "Oui ?"),
        ChatMessage("user", "17 × 23"),
    ]
    assert detect_language("17 × 23") == "en"
    assert conversation_language(messages) == "fr"
    decision = decide(messages, TODAY)
    assert decision.lang == "fr"


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("Who won the 2018 World Cup?", "factual"),
        ("Pourquoi le ciel est-il bleu ?", "open"),
        ("Le Louvre est-il ouvert le mardi ?", "factual"),
        ("Describe the water cycle", "open"),
        ("summarize this paragraph for me", "model"),
        ("Traduis 'bonjour' en anglais", "model"),
        ("How do I make pancakes?", "model"),
        ("Que penses-tu des chats ?", "model"),
        ("Good morning!", "model"),
        ("Comment ça va ?", "model"),
        # a question word after its preposition, without a question mark
        ("en quelle année est tombé le mur de Berlin", "factual"),
        ("in which country is Timbuktu", "factual"),
        # courtesy around the question is not the message
        ("Bonjour, pourriez-vous me dire qui a peint la Joconde ? Merci d'avance.", "factual"),
        ("Hi! Who painted the Mona Lisa? Thanks a lot.", "factual"),
        ("Hi! Write me a short poem about autumn. Thanks!", "model"),
        ("Merci beaucoup !", "model"),
        # advice asked for with an indefinite determiner, whatever the verb around it
        ("My cat scratches the sofa. Any useful tips?", "model"),
        ("What are a few tips for a first job interview?", "model"),
        ("Quelques conseils pour un premier marathon ?", "model"),
        ("Je stresse avant les examens, des astuces ?", "model"),
    ],
)
def test_intent(text: str, intent: str) -> None:
    assert classify_intent(text) == intent


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("Quick one: 5 × (3 + 2) = ?", "5 × (3 + 2) = 25"),
        ("Okay here's one: 7 * 8 = ?", "7 × 8 = 56"),
        ("Petite question : 9 × 8 = ?", "9 × 8 = 72"),
        ("One more thing: what is 6 × 7?", "6 × 7 = 42"),
        ("Une dernière : 144 ÷ 12", "144 ÷ 12 = 12"),
        ("Quick one - what's 2 × 3?", "2 × 3 = 6"),
    ],
)
def test_a_lead_in_before_a_colon_is_not_part_of_the_calculation(text: str, shown: str) -> None:
    decision = decide([ChatMessage("user", text)], TODAY)
    assert decision.route == "calculator"
    assert decision.reply is not None and decision.reply.text == shown


@pytest.mark.parametrize(
    ("message", "asked"),
    [
        # a final question that refers back keeps what it refers to
        ("Je pars en Slovénie cet été : quelle en est la capitale ?", "Slovénie"),
        ("Je pars au Japon cet été : quelle est la monnaie là-bas ?", "Japon"),
        ("We are moving to Chile next year. What language do people speak here?", "Chile"),
        # one that does not is asked alone
        (
            "Le 14 juillet est la fête nationale. En quelle année a eu lieu la prise de la Bastille ?",
            "Bastille",
        ),
    ],
)
def test_focus_keeps_what_the_question_points_back_to(message: str, asked: str) -> None:
    focused = focus_question(message)
    assert asked in focused
    assert ("fête" in focused) is False


@pytest.mark.parametrize(
    ("message", "kept"),
    [
        # who asks says which price or rule applies
        ("Je suis retraité : combien coûte l'entrée du musée ?", True),
        ("I'm a student. How much is the monthly pass?", True),
        ("We are members, what time does the sauna open?", True),
        # an age or a remark is no kind of asker: the question is asked alone
        ("My daughter is 7. What time is the puppet show?", False),
        ("Il fait beau aujourd'hui. À quelle heure ouvre la piscine ?", False),
    ],
)
def test_focus_keeps_a_statement_of_who_asks(message: str, kept: bool) -> None:
    assert (focus_question(message) == message) is kept


@pytest.mark.parametrize(
    ("text", "result"),
    [
        # a sign said in words, before an imperative verb reads its operands
        ("Multiply negative nine by negative four, then add ten.", "46"),
        # a fraction said in words is an operand of an imperative verb
        ("Divide 12 by a third.", "36"),
        ("Si je divise 30 par un cinquième, j'obtiens combien ?", "150"),
        # "what you get" is the result of the step before
        ("Start with 90, take away 18, then divide what you get by 9.", "8"),
        ("Prends 14, ajoute 6, puis multiplie ce que tu obtiens par 5.", "100"),
        # a fraction in words asked as a decimal
        ("What are five eighths written as a decimal?", "0.625"),
        ("Trois quarts en écriture décimale ?", "0,75"),
        # courtesy after a rounding is no part of it
        ("Cube root of 90, rounded to 1 decimal place please.", "4.5"),
        ("11 divisé par 7, arrondi à 2 décimales s'il vous plaît", "1,57"),
    ],
)
def test_readers_leave_no_word_of_a_plain_calculation_unread(text: str, result: str) -> None:
    decision = decide([ChatMessage("user", text)], TODAY)
    assert decision.reply is not None and not decision.reply.abstained, decision
    assert decision.reply.text.rstrip(".").endswith(result), decision.reply.text


@pytest.mark.parametrize(
    ("text", "result"),
    [
        # "des" and "du" are "de" with the article in a chain of fractions
        ("Combien font les 3/5 des 5/6 de 90 ?", "45"),
        # "the whole thing", "le tout", "everything" stand for the result before them
        ("Take six times nine, subtract four, then divide the whole thing by ten.", "5"),
        ("Prends 9 fois 9, ajoute 9, puis divise le tout par 10.", "9"),
        # the form of the answer asked for is no operand
        ("Write 2 to the power of minus 4 as a decimal.", "0.0625"),
        # "one and three quarter days": "quarter" as an adjective is still three quarters
        ("How many minutes are there in one and three quarter hours?", "= 105 minutes"),
        # a count of divisors is asked through their list
        ("How many divisors does 28 have?", "(6 in all)"),
        ("Combien 49 a-t-il de diviseurs ?", "(3 en tout)"),
    ],
)
def test_plain_questions_of_number_and_quantity_are_read_whole(text: str, result: str) -> None:
    decision = decide([ChatMessage("user", text)], TODAY)
    assert decision.reply is not None and not decision.reply.abstained, decision
    assert decision.reply.text.rstrip(".").endswith(result), decision.reply.text


@pytest.mark.parametrize(
    ("text", "answered"),
    [
        # the question says again every number of the statement before it: coverage holds
        (
            "The warranty starts on 3 March 2027 and runs 200 days. What date is 200 days after 3 March 2027?",
            True,
        ),
        ("J'ai 4 enfants. Combien font 4 fois 12 ?", True),
        # a number of the statement that the question does not say again is not read: no answer
        ("J'ai 5 enfants. Combien font 4 fois 12 ?", False),
        ("The trip is 40 km. What is 3 times 7?", False),
    ],
)
def test_a_statement_before_the_question_is_context_only_when_the_question_restates_it(
    text: str, answered: bool
) -> None:
    decision = decide([ChatMessage("user", text)], TODAY)
    assert decision.reply is not None
    assert (not decision.reply.abstained) is answered, decision.reply.text


@pytest.mark.parametrize(
    ("text", "result"),
    [
        # a rate with its sign and no word is a change: "-15 %" comes off
        ("Un vélo à 400 € est à -25 %, puis on m'applique -10 % de plus en caisse. Combien je paie ?", "270"),
        # what the buyer pays, what something costs now
        ("Boots cost $80. They're 50% off, then I get an extra 20% off at the till. What do I pay?", "32"),
        ("A 500 bike went up 10% in May and then dropped 10% in July. What does it cost now?", "495"),
        # a net change keeps its sign; a total discount is stated as positive
        ("A fund loses 50% and then gains 50%. What is the net change in percent?", "-25"),
        ("Une remise de -20 % puis une autre de -50 % : quelle est la remise totale ?", "60"),
    ],
)
def test_successive_percentage_changes(text: str, result: str) -> None:
    decision = decide([ChatMessage("user", text)], TODAY)
    assert decision.reply is not None and not decision.reply.abstained, decision
    assert decision.reply.text.rstrip(".").endswith(result), decision.reply.text


@pytest.mark.parametrize(
    ("text", "result"),
    [
        # a follow-up question's "its" is the one number of the question before it
        ("Is 143 a prime number? If not, what is its smallest prime factor?", "is 11"),
        ("323 est-il premier ? Sinon, quel est son plus petit diviseur premier ?", "est 17"),
        # a division asked with "if I divide…"
        ("If I divide 500 by 9 using whole numbers, what's the quotient and the remainder?", "remainder 5"),
        ("Si je divise 80 par 6, quel est le reste ?", "(80 = 6 × 13 + 2)"),
    ],
)
def test_number_theory_asked_as_people_ask(text: str, result: str) -> None:
    decision = decide([ChatMessage("user", text)], TODAY)
    assert decision.reply is not None and not decision.reply.abstained, decision
    assert decision.reply.text.rstrip(".").endswith(result), decision.reply.text
