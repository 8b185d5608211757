"""plan_batches: batches by token budget, shared by every engine."""

from __future__ import annotations

import random

import pytest

from align.translate.batching import plan_batches, split_batches


def check_plan(lengths, caps, max_tokens, max_sentences=None) -> list[list[int]]:
    """The plan, checked against every promise of plan_batches."""
    batches = plan_batches(lengths, caps, max_tokens, max_sentences)
    flat = [i for batch in batches for i in batch]
    assert sorted(flat) == list(range(len(lengths)))  # every index exactly once
    for batch in batches:
        assert batch, "no empty batch"
        assert len({caps[i] for i in batch}) == 1  # one cap per batch
        widths = [lengths[i] for i in batch]
        assert widths == sorted(widths, reverse=True)  # longest first
        if len(batch) > 1:
            assert len(batch) * max(widths) <= max_tokens
        if max_sentences is not None:
            assert len(batch) <= max_sentences
    return batches


def test_empty_input_gives_no_batches():
    assert plan_batches([], [], 100) == []


def test_equal_caps_are_grouped_and_each_cap_is_contiguous():
    lengths = [5, 9, 3, 7, 2, 8]
    caps = [10, 20, 10, 20, 30, 10]
    batches = check_plan(lengths, caps, max_tokens=1000)
    # Everything fits one batch per cap: three batches, one per distinct cap.
    assert sorted(sorted(b) for b in batches) == [[0, 2, 5], [1, 3], [4]]


def test_batches_of_one_cap_follow_each_other():
    lengths = [4] * 6
    caps = [1, 2, 1, 2, 1, 2]
    batches = check_plan(lengths, caps, max_tokens=8)  # two of width 4 per batch
    cap_order = [caps[b[0]] for b in batches]
    # A cap's batches are consecutive (groups are never interleaved).
    assert cap_order == sorted(cap_order, reverse=True)


def test_longest_first_inside_a_group_ties_in_input_order():
    lengths = [3, 10, 3, 7, 10]
    batches = check_plan(lengths, [5] * 5, max_tokens=1000)
    assert batches == [[1, 4, 3, 0, 2]]


def test_token_budget_is_respected():
    lengths = [10, 10, 10, 9, 5, 5, 5, 5, 1]
    batches = check_plan(lengths, [1] * len(lengths), max_tokens=25)
    # A third 10 would make 30; the five shortest pad to 5 × 5 = 25, exactly the budget.
    assert batches == [[0, 1], [2, 3], [4, 5, 6, 7, 8]]


def test_budget_is_inclusive():
    assert check_plan([5, 5], [1, 1], max_tokens=10) == [[0, 1]]
    assert check_plan([5, 5], [1, 1], max_tokens=9) == [[0], [1]]


def test_an_item_longer_than_the_budget_goes_alone():
    lengths = [50, 4, 4]
    batches = check_plan(lengths, [1, 1, 1], max_tokens=10)
    assert batches == [[0], [1, 2]]


def test_max_sentences_is_respected():
    batches = check_plan([1] * 7, [1] * 7, max_tokens=1000, max_sentences=3)
    assert [len(b) for b in batches] == [3, 3, 1]


def test_max_sentences_of_one_gives_singletons():
    batches = check_plan([3, 1, 2], [1, 1, 1], max_tokens=1000, max_sentences=1)
    assert batches == [[0], [2], [1]]


@pytest.mark.parametrize("seed", range(20))
def test_random_plans_keep_every_promise(seed):
    rng = random.Random(seed)
    n = rng.randint(1, 60)
    lengths = [rng.randint(1, 40) for _ in range(n)]
    caps = [rng.choice([16, 32, 64]) for _ in range(n)]
    check_plan(lengths, caps, rng.randint(1, 200), rng.choice([None, 1, 4, 16]))


@pytest.mark.parametrize(
    ("max_tokens", "max_sentences"), [(0, None), (-5, None), (10, 0), (10, -1), (0, 0)]
)
def test_invalid_budgets_raise(max_tokens, max_sentences):
    with pytest.raises(ValueError):
        plan_batches([1, 2], [1, 1], max_tokens, max_sentences)


def test_split_batches_halves_the_largest_until_there_are_enough():
    assert split_batches([[4, 2, 7, 1]], 2) == [[4, 2], [7, 1]]
    assert split_batches([[0, 1, 2], [3]], 3) == [[0, 1], [2], [3]]
    # no more batches than sentences
    assert split_batches([[5], [3, 1]], 8) == [[5], [3], [1]]
    # enough already, or nothing to split: unchanged
    assert split_batches([[0, 1], [2, 3]], 2) == [[0, 1], [2, 3]]
    assert split_batches([], 4) == []


@pytest.mark.parametrize("seed", range(20))
def test_split_batches_keeps_the_plans_promises(seed):
    rng = random.Random(seed)
    n = rng.randint(1, 40)
    lengths = [rng.randint(1, 40) for _ in range(n)]
    caps = [rng.choice([16, 32]) for _ in range(n)]
    plan = check_plan(lengths, caps, rng.randint(40, 400))
    at_least = rng.randint(1, 8)
    split = split_batches(plan, at_least)
    # the same sentences in the same order, each half of a batch still longest first
    assert [i for b in split for i in b] == [i for b in plan for i in b]
    assert len(split) == max(len(plan), min(at_least, n))
    for batch in split:
        assert batch and len({caps[i] for i in batch}) == 1
        widths = [lengths[i] for i in batch]
        assert widths == sorted(widths, reverse=True)
