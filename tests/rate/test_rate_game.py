"""The rate game's rules: settings, buttons, answers, gold with tolerance, and its verdict
(weighted median, even splits, a spread going to review)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.core.kernel.errors import InvalidInput
from bot.core.play.combine import summarize_item
from bot.games.base import gold_verdict
from bot.games.rate import CANT_SAY, RateGame, weighted_median
from storage import TALLY_FINALIZED, TALLY_OPEN, TALLY_REVIEW
from storage.rows import CampaignRow, ItemRow

GAME = RateGame()


def campaign(**raw: str) -> CampaignRow:
    return CampaignRow(
        1, "faces", "rate", 1, "How happy is this face?", [], 3, 5, 0.8, 0.0, 1.0,
        "active", None, "", GAME.check_settings(raw), 0.0,
    )  # fmt: skip


def item(gold: str | None = None) -> ItemRow:
    return ItemRow(1, 1, "text", "x", "A smile", None, gold, None, None, {})


def test_settings_are_checked_and_typed() -> None:
    got = GAME.check_settings({"scale": "7", "low": "not at all", "high": "extremely"})
    assert got == {
        "scale": 7, "low": "not at all", "high": "extremely", "abstain": True, "tolerance": 0,
    }  # fmt: skip
    for raw, words in (
        ({"scale": "11"}, "scale must be a whole number from 2 to 10"),
        ({"scale": "five"}, "scale must be"),
        ({"abstain": "maybe"}, "abstain must be yes or no"),
        ({"tolerance": "5"}, "tolerance must be a whole number from 0 to 4"),
        ({"low": "x" * 31}, "low is longer than 30"),
        ({"colour": "red"}, "no setting colour"),
    ):
        with pytest.raises(InvalidInput, match=words):
            GAME.check_settings(raw)
    with pytest.raises(InvalidInput, match="take no options"):
        GAME.check_options(["a", "b"])


def test_buttons_carry_the_numbers_and_the_ends() -> None:
    c = campaign(scale="5", low="not at all", high="extremely")
    opts = GAME.options(c, item())
    assert [o.key for o in opts] == ["1", "2", "3", "4", "5", CANT_SAY]
    assert [o.text for o in opts] == [
        "1 · not at all", "2", "3", "4", "5 · extremely", "Can't say",
    ]  # fmt: skip
    assert "1 = not at all … 5 = extremely" in GAME.question(c, item())
    assert [o.key for o in GAME.options(campaign(scale="3", abstain="no"), item())] == [
        "1", "2", "3",
    ]  # fmt: skip


def test_answers_are_normalised_or_refused_by_name() -> None:
    c = campaign(scale="4", abstain="no")
    assert GAME.normalize(c, item(), " 04 ") == "4"
    for bad in ("5", "0", "2.5", "-1", "three", "cant_say", "٣"):
        with pytest.raises(InvalidInput, match="whole number from 1 to 4"):
            GAME.normalize(c, item(), bad)
    assert GAME.normalize(campaign(), item(), "Can't say") == CANT_SAY


def test_gold_is_exact_unless_the_campaign_allows_a_tolerance() -> None:
    exact, loose = campaign(), campaign(tolerance="1")
    assert gold_verdict(GAME, exact, item("3"), "4") is False
    assert gold_verdict(GAME, exact, item("3"), "3") is True
    assert gold_verdict(GAME, loose, item("3"), "4") is True
    assert gold_verdict(GAME, loose, item("3"), "5") is False
    assert gold_verdict(GAME, loose, item("3"), CANT_SAY) is False
    assert gold_verdict(GAME, loose, item(), "3") is None


def test_weighted_median_and_its_even_split_rule() -> None:
    assert weighted_median([1, 2, 5], [1, 1, 1]) == 2
    assert weighted_median([1, 5, 5], [3, 1, 1]) == 1  # the reliable player outweighs two
    # Exact half/half between 2 and 4: the weighted mean is 3, equally near: the lower one.
    assert weighted_median([2, 4], [1, 1]) == 2
    # Half/half between 2 and 3, but the 3s come with a 5 on their side: mean 3.25 -> 3.
    assert weighted_median([2, 2, 3, 5], [1, 1, 1, 1]) == 3
    # Half/half between 3 and 4 with a 1 below: mean 3.0 is nearer 3.
    assert weighted_median([1, 3, 4, 4], [1, 1, 1, 1]) == 3


def test_judge_clear_agreement_and_spread() -> None:
    c = campaign()
    clear = GAME.judge(c, item(), ["4", "4", "5"], [0.8, 0.8, 0.8])
    assert (clear.label, clear.confidence) == ("4", 1.0)
    assert clear.agreement == pytest.approx(1 - (1 / 3) / 2)
    spread = GAME.judge(c, item(), ["1", "3", "5"], [0.8, 0.8, 0.8])
    assert spread.label == "3" and spread.confidence == pytest.approx(1 / 3)
    assert spread.agreement == pytest.approx(1 - (4 / 3) / 2)
    ends = GAME.judge(c, item(), ["1", "5"], [0.7, 0.7])
    assert ends.label == "1" and ends.confidence == 0.5 and ends.agreement == 0.0


def _counts(labels: list[str], q: float = 0.8) -> dict[str, list[float]]:
    import math

    out: dict[str, list[float]] = {}
    for lab in labels:
        entry = out.setdefault(lab, [0.0, 0.0, 0.0])
        entry[1] += math.log(q / (1 - q))
        entry[2] += 1
    return out


def test_live_tally_finalises_agreement_and_reviews_a_spread() -> None:
    c = campaign()  # overlap 3..5, threshold 0.8
    s = summarize_item(GAME, c, item(), _counts(["4", "4", "5"]), 3, 5)  # type: ignore[arg-type]
    assert (s.label, s.status) == ("4", TALLY_FINALIZED)
    s = summarize_item(GAME, c, item(), _counts(["1", "3", "5"]), 3, 5)  # type: ignore[arg-type]
    assert s.status == TALLY_OPEN
    spread = ["1", "3", "5", "2", "5"]
    s = summarize_item(GAME, c, item(), _counts(spread), 5, 5)  # type: ignore[arg-type]
    assert s.status == TALLY_REVIEW
    assert GAME.is_evidence(c, item(), CANT_SAY) is False


@settings(derandomize=True, max_examples=200)
@given(st.lists(st.tuples(st.integers(1, 7), st.floats(0.05, 1.0)), min_size=1, max_size=12))
def test_median_ignores_answer_order_and_lies_in_the_range(
    pairs: list[tuple[int, float]],
) -> None:
    values, weights = [v for v, _ in pairs], [w for _, w in pairs]
    m = weighted_median(values, weights)
    assert min(values) <= m <= max(values)
    back = weighted_median(values[::-1], weights[::-1])
    assert m == back
    total = sum(weights)
    assert sum(w for v, w in pairs if v <= m) >= total / 2 - 1e-9
    assert sum(w for v, w in pairs if v >= m) >= total / 2 - 1e-9
