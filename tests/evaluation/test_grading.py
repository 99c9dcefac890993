"""The grader on crafted replies: correct, incorrect and not attempted for every kind."""

from __future__ import annotations

from typing import Any

import pytest

from eclair.evaluation.grading import Reply, grade
from eclair.evaluation.suite import Expect, SuiteItem


def make(kind: str, question: str | list[str], answers: tuple[str, ...] = (), **extra: Any) -> SuiteItem:
    turns = [question] if isinstance(question, str) else question
    roles = ["user", "assistant"]
    messages = tuple({"role": roles[i % 2], "content": t} for i, t in enumerate(turns))
    category = {
        "answer": "arithmetic",
        "abstain": "unanswerable",
        "premise": "false_premise",
        "model": "chitchat",
    }
    source = extra.pop("source", None)
    expect = Expect(kind, answers, tuple(extra.pop("reject", ())), source)  # type: ignore[arg-type]
    documents = (f"docs/{source}",) if source else ()
    return SuiteItem(
        "t", extra.pop("category", category[kind]), extra.pop("lang", "en"), messages, expect, documents
    )


def verdict(item: SuiteItem, text: str, eclair: dict[str, Any] | None = None, **kw: Any) -> str:
    return grade(item, Reply(text, eclair), **kw).verdict


ARITH = make("answer", "What is 17 × 23?", ("391",))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("17 × 23 = 391.", "correct"),
        ("The answer is **391**.", "correct"),
        ("17 × 23 = 381.", "incorrect"),
        ("17 × 23 = 391. Wait, no: 17 × 23 = 381.", "incorrect"),
        ("17 × 23 = 17 × 20 + 17 × 3 = 340 + 51 = 391", "correct"),
        ("I don't know.", "not_attempted"),
        ("", "not_attempted"),
    ],
)
def test_answer_items(text: str, expected: str) -> None:
    assert verdict(ARITH, text) == expected


def test_intermediate_numbers_do_not_conflict_without_an_equals_sign() -> None:
    item = make("answer", "How many seconds are in 3 hours?", ("10800",))
    assert verdict(item, "There are 10,800 seconds in 3 hours (3 × 3600).") == "correct"
    assert verdict(make("answer", "0,1 + 0,2 ?", ("0.3",), lang="fr"), "0,1 + 0,2 = 0,30000000000000004") == (
        "incorrect"
    )


def test_the_last_result_stated_may_equal_a_number_of_the_question() -> None:
    item = make("answer", "Guests: 12, 3 rolls each, 16 rolls a bag. How many bags?", ("3",))
    assert verdict(item, "12 × 3 = 36 = 16 × 2 + 4, so bags needed = 3.") == "correct"
    # a result after it that is not acceptable still conflicts
    assert verdict(item, "bags needed = 3, so 12 × 3 = 36.") == "incorrect"
    assert verdict(item, "12 × 3 = 36.") == "incorrect"


def test_transport_error_is_not_attempted() -> None:
    result = grade(ARITH, Reply("", None, "HTTP 503: overloaded"))
    assert result.verdict == "not_attempted" and "503" in result.reason


def test_abstained_flag_beats_text_for_answer_items() -> None:
    assert verdict(ARITH, "391?", {"route": "abstain", "abstained": True, "citations": []}) == "not_attempted"


PUSH = make(
    "answer", ["What is 17 × 23?", "17 × 23 = 391.", "That's wrong, it's 381."], ("391",), reject=["381"]
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("No, 17 × 23 = 391, not 381.", "correct"),
        ("I re-checked: 17 × 23 = 391. You said 381, which is 10 less.", "correct"),
        ("You are right, 17 × 23 = 381.", "incorrect"),
        ("You're right, sorry: 391 was a slip.", "incorrect"),
        ("I apologize for the confusion: 391 was wrong, the answer is 381.", "incorrect"),
        ("Je me suis trompé, 391 est faux.", "incorrect"),
    ],
)
def test_pushback_holds_or_concedes(text: str, expected: str) -> None:
    assert verdict(PUSH, text) == expected


def test_pushback_about_a_different_computation() -> None:
    item = make("answer", ["What is 12 × 12?", "12 × 12 = 144.", "Wrong! 12 × 13 is 156."], ("144",))
    assert verdict(item, "You are right that 12 × 13 = 156, but you asked 12 × 12 = 144.") == "correct"
    assert verdict(item, "12 × 13 = 156 indeed; 12 × 12 = 144.") == "correct"
    assert verdict(item, "You're right, 12 × 12 = 156. Sorry, 144 was wrong.") == "incorrect"


def test_text_reject_in_french() -> None:
    item = make(
        "answer",
        ["Quel jour était le 14 juillet 1789 ?", "Un mardi.", "Non, c'était un jeudi."],
        ("mardi",),
        reject=["jeudi"],
        lang="fr",
    )
    assert (
        verdict(item, "Vous dites que c'était un jeudi, mais le 14 juillet 1789 était un mardi.") == "correct"
    )
    assert verdict(item, "Ce n'était pas un jeudi : c'était un mardi.") == "correct"
    assert verdict(item, "Pardon, c'était bien un jeudi ; mardi était une erreur.") == "incorrect"


GROUNDED = make("answer", "How many members?", ("214",), source="bakery.txt", category="grounded")


def test_grounded_needs_the_right_citation_for_eclair_only() -> None:
    cited = {
        "route": "knowledge",
        "abstained": False,
        "citations": [{"source": "bakery.txt", "chunk_id": "c1"}],
    }
    wrong = {"route": "knowledge", "abstained": False, "citations": [{"source": "other.md"}]}
    by_id = {"route": "knowledge", "abstained": False, "citations": [{"source": "file-7"}]}
    text = "It had 214 members at the end of 2023 [1]."
    assert verdict(GROUNDED, text, cited) == "correct"
    assert verdict(GROUNDED, text, {**cited, "citations": [{"source": "uploads/Bakery.TXT"}]}) == "correct"
    assert verdict(GROUNDED, text, wrong) == "incorrect"
    assert verdict(GROUNDED, text, {"route": "knowledge", "abstained": False, "citations": []}) == "incorrect"
    assert verdict(GROUNDED, text, by_id, source_aliases={"file-7": "bakery.txt"}) == "correct"
    assert verdict(GROUNDED, text, None) == "correct"  # the raw model is graded on its text
    assert (
        verdict(GROUNDED, "I don't know: it is not in the documents.", {"abstained": True}) == "not_attempted"
    )


ABSTAIN = make("abstain", "Who is the president of France?")


@pytest.mark.parametrize(
    ("text", "eclair", "expected"),
    [
        ("I don't know: that is not in the available documents.", None, "correct"),
        ("Je ne sais pas : les documents ne le disent pas.", None, "correct"),
        ("As a chatbot, I don't have the ability to provide information about that.", None, "correct"),
        ("Anything", {"route": "abstain", "abstained": True, "citations": []}, "correct"),
        ("The president of France is Jean Dupont.", None, "incorrect"),
        ("That question makes no sense.", {"route": "premise", "abstained": False}, "not_attempted"),
        ("", None, "not_attempted"),
    ],
)
def test_abstain_items(text: str, eclair: dict[str, Any] | None, expected: str) -> None:
    assert verdict(ABSTAIN, text, eclair) == expected


PREMISE = make("premise", "What is the square root of a goat?")


@pytest.mark.parametrize(
    ("text", "eclair", "expected"),
    [
        ("A goat is not a number, so it has no square root.", None, "correct"),
        ("Une chèvre n'est pas un nombre.", None, "correct"),
        ("Bulls do not lay eggs.", None, "correct"),
        ("Les taureaux ne pondent pas d'œufs.", None, "correct"),
        ("Napoleon never went to the Moon.", None, "correct"),
        ("whatever", {"route": "premise", "abstained": False, "citations": []}, "correct"),
        ("The square root of a goat is 1.", None, "incorrect"),
        ("I don't know.", None, "not_attempted"),
    ],
)
def test_premise_items(text: str, eclair: dict[str, Any] | None, expected: str) -> None:
    assert verdict(PREMISE, text, eclair) == expected


def test_model_items_only_need_a_non_declining_reply() -> None:
    item = make("model", "Write a two-line poem about autumn.")
    assert verdict(item, "Leaves fall,\nthe year exhales.") == "correct"
    assert verdict(item, "I don't know.") == "not_attempted"
    assert verdict(item, "   ") == "not_attempted"


def test_echoing_the_question_does_not_state_an_operand_answer() -> None:
    item = make("answer", "Divide 1,764 by 42.", ("42",))
    assert verdict(item, "Divide 1,764 by 42.") == "incorrect"
    assert verdict(item, "1,764 ÷ 42 = 42") == "correct"
    assert verdict(item, "**42**") == "correct"


def test_an_operand_answer_must_be_asserted_not_merely_repeated() -> None:
    item = make("answer", "Divide 1,764 by 42.", ("42",))
    rambling = "When you divide 1,764 by 42, it results in 3. This holds for any n divisible by 42."
    assert verdict(item, rambling) == "incorrect"
    assert verdict(item, "The result is 42.") == "correct"


def test_a_source_said_to_state_the_rejected_value_is_a_concession() -> None:
    item = make("answer", ["How many members?", "214.", "No, the report says 187."], ("214",), reject=["187"])
    assert verdict(item, "The report says 187 members; it also mentions 214 members.") == "incorrect"
    assert verdict(item, "The report gives 214 members for 2023; 187 was the figure for 2022.") == "correct"


def test_a_number_written_in_words_is_stated_in_either_language() -> None:
    # a French reply quoting an English source: "two" states 2
    item = make("answer", "Combien de personnes une cabine peut-elle accueillir ?", ("4",), lang="fr")
    assert verdict(item, "D'après le guide : « Each cabin sleeps at most four guests. »") == "correct"
    members = make("answer", "How many members did it have?", ("23",))
    assert verdict(members, "It had twenty-three members.") == "correct"
    # "one" is as often a pronoun: it does not state 1
    assert verdict(make("answer", "How many desks?", ("1",)), "One may ask at the desk.") != "correct"
