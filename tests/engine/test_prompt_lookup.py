"""Prompt-lookup drafts: n-gram matches in the history, and the adaptive draft length."""

from __future__ import annotations

import pytest

from eclair.engine.prompt_lookup import DraftPolicy, NgramIndex, StepCost


def test_draft_continues_the_latest_earlier_occurrence_of_the_suffix() -> None:
    index = NgramIndex([1, 2, 3, 4, 5, 9, 2, 3], min_ngram=2, max_ngram=3)
    tokens, ngram = index.draft(3)
    assert (tokens, ngram) == ([4, 5, 9], 2)


def test_longer_matches_win_over_shorter_ones() -> None:
    # "2 3" occurs twice; "1 2 3" only once, followed by 7: the trigram decides.
    index = NgramIndex([1, 2, 3, 7, 8, 5, 2, 3, 6, 1, 2, 3], min_ngram=2, max_ngram=3)
    tokens, ngram = index.draft(2)
    assert (tokens, ngram) == ([7, 8], 3)


def test_no_match_means_no_draft_and_appends_extend_the_index() -> None:
    index = NgramIndex([1, 2, 3], min_ngram=2, max_ngram=3)
    assert index.draft(4) == ([], 0)
    index.extend([1, 2])
    assert index.draft(4) == ([3, 1, 2], 2)
    assert len(index) == 5


def test_draft_length_is_capped_by_what_exists_and_by_the_request() -> None:
    index = NgramIndex([5, 6, 7, 5, 6], min_ngram=2, max_ngram=2)
    assert index.draft(10)[0] == [7, 5, 6]
    assert index.draft(1)[0] == [7]
    assert index.draft(0) == ([], 0)


def test_invalid_ngram_bounds_are_rejected() -> None:
    with pytest.raises(ValueError):
        NgramIndex(min_ngram=3, max_ngram=2)


def test_policy_drafts_long_when_drafts_are_accepted_and_stops_when_they_are_not() -> None:
    policy = DraftPolicy(max_draft=8)
    for _ in range(10):
        policy.update(8, 8)
    assert policy.rate > 0.9
    assert policy.budget(ngram=4) >= 6
    for _ in range(10):
        policy.update(4, 0)
    assert policy.rate < 0.25
    assert policy.budget(ngram=4) == 0


def test_paused_policy_resumes_from_shadow_checks_alone() -> None:
    policy = DraftPolicy(max_draft=8, initial_rate=0.0)
    assert [policy.budget(ngram=3) for _ in range(20)] == [0] * 20  # no probe is ever spent
    for _ in range(3):
        policy.shadow(matched=False)
    assert policy.budget(ngram=3) == 0
    for _ in range(8):  # the text turned repetitive: the unsent drafts would have been accepted
        policy.shadow(matched=True)
    assert policy.rate > 0.8 and policy.budget(ngram=4) > 0


def test_other_streams_in_the_step_raise_the_bar() -> None:
    policy = DraftPolicy(max_draft=8, initial_rate=0.6)
    assert policy.budget(ngram=4, others=0) > 0
    assert policy.budget(ngram=4, others=7) == 0


def test_expensive_tokens_shorten_drafts() -> None:
    policy = DraftPolicy(max_draft=8, initial_rate=0.8)
    cheap = policy.budget(ngram=4, cost=(0.015, 0.002))
    dear = policy.budget(ngram=4, cost=(0.015, 0.012))
    assert cheap > dear


def test_step_cost_is_learned_from_steps_of_different_sizes() -> None:
    cost = StepCost()
    assert cost.estimate() == (StepCost.PRIOR_FIXED, StepCost.PRIOR_PER_TOKEN)
    for tokens in (1, 3, 5, 2, 8, 1, 4):
        cost.observe(tokens, 0.010 + 0.004 * tokens)
    fixed, per_token = cost.estimate()
    assert fixed == pytest.approx(0.010, rel=1e-6)
    assert per_token == pytest.approx(0.004, rel=1e-6)


def test_step_cost_of_same_sized_steps_keeps_the_prior_split() -> None:
    cost = StepCost()
    for _ in range(10):
        cost.observe(1, 0.042)
    fixed, per_token = cost.estimate()
    assert fixed + per_token == pytest.approx(0.042)
