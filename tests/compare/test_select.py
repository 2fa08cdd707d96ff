"""Which pairs come next (bot.core.compare.select): few comparisons first, then close scores,
never a pair twice in either order; and the compare game's rules."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.core.compare.select import next_pairs, pair_key
from bot.core.kernel.errors import InvalidInput
from bot.games.compare import CompareGame
from storage.rows import CampaignRow, ItemRow


def test_items_with_fewest_comparisons_come_first() -> None:
    # item 1 already has two pairs, 3 and 4 none: the next pair joins 3 and 4
    assert next_pairs([1, 2, 3, 4], [(1, 2), (2, 1)], {}, target=2, limit=1) == [(3, 4)]


def test_the_partner_is_the_closest_current_score() -> None:
    scores = {1: 0.0, 2: 3.0, 3: 0.2, 4: -2.0}
    assert next_pairs([1, 2, 3, 4], [], scores, target=1, limit=1) == [(1, 3)]


def test_a_pair_made_in_either_order_is_never_made_again() -> None:
    made = next_pairs([5, 6], [(6, 5)], {}, target=5, limit=3)
    assert made == []
    with pytest.raises(ValueError):
        pair_key(3, 3)


@settings(max_examples=40, deadline=None, derandomize=True)
@given(
    n=st.integers(2, 9),
    target=st.integers(1, 6),
    limit=st.integers(1, 40),
    existing=st.lists(st.tuples(st.integers(0, 8), st.integers(0, 8)), max_size=10),
)
def test_new_pairs_are_distinct_new_and_stop_at_the_target(
    n: int, target: int, limit: int, existing: list[tuple[int, int]]
) -> None:
    base = list(range(n))
    old = [(a, b) for a, b in existing if a != b and a < n and b < n]
    made = next_pairs(base, old, {}, target, limit)
    keys = {pair_key(a, b) for a, b in old}
    assert len(made) <= limit and len(set(made)) == len(made)
    assert not set(made) & keys
    assert all(a < b for a, b in made)
    if len(made) < limit:  # stopped: every item has its target, or no new pair is left
        count = {i: sum(i in k for k in keys | set(made)) for i in base}
        for i in base:
            partners_left = any(pair_key(i, j) not in keys | set(made) for j in base if j != i)
            assert count[i] >= target or not partners_left


def _campaign(settings_: dict[str, object]) -> CampaignRow:
    return CampaignRow(
        1, "c", "compare", 1, "Which is more natural?", ["left", "right", "cant_tell"], 1, 3,
        0.8, 0.0, 1, "active", None, "", settings_, 0.0,
    )  # fmt: skip


def test_compare_settings_and_answers() -> None:
    game = CompareGame()
    assert game.check_settings({"pairs_per_item": "8"}) == {"pairs_per_item": 8}
    for bad in ("0", "x", "51"):
        with pytest.raises(InvalidInput, match="pairs_per_item"):
            game.check_settings({"pairs_per_item": bad})
    with pytest.raises(InvalidInput, match="no setting colour"):
        game.check_settings({"colour": "red"})
    campaign = _campaign({})
    pair = ItemRow(
        9, 1, "pair", "pair:1-2", None, None, None, None, None,
        {"left_id": 2, "right_id": 1, "left_text": "Hi there", "right_text": "Greetings"},
    )  # fmt: skip
    text = game.question(campaign, pair)
    assert text.startswith("Which is more natural?")
    assert "⬅️ Left: Hi there" in text and "➡️ Right: Greetings" in text
    assert [game.normalize(campaign, pair, w) for w in ("L", "Right", "can't tell")] == [
        "left",
        "right",
        "cant_tell",
    ]
    assert game.evidence_options(campaign, pair) == ["left", "right"]
    with pytest.raises(InvalidInput, match="left, right or can't tell"):
        game.normalize(campaign, pair, "both")
