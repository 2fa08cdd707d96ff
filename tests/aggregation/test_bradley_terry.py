"""Bradley-Terry and NoisyBT (bot.aggregation.bradley_terry): toy data with a known order,
invariances, and crowd-kit's ranking on a generated set recorded as literals."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.aggregation.bradley_terry import BradleyTerry, NoisyBT, rank, spearman
from bot.aggregation.pairs_toy import generate

MODELS = [BradleyTerry, NoisyBT]

# crowd-kit 1.4.2 on `generate(seed=3, n_answers=2000)` (10 items, 12 workers, 2 answering at
# random), produced in a throwaway venv (pip install crowd-kit==1.4.2) with
#   pd.DataFrame(toy.rows, columns=["worker", "left", "right", "label"])
#   BradleyTerry(n_iter=100).fit(df).scores_  /  NoisyBradleyTerry(n_iter=100,
#   random_state=0).fit(df).scores_
# The live comparison is in `bench/aggregate.py` / `bench/pairwise.py` (where crowd-kit is
# importable).
CROWDKIT_BT_SCORES = {
    "i00": 0.023703,
    "i01": 0.037525,
    "i02": 0.041253,
    "i03": 0.064364,
    "i04": 0.079076,
    "i05": 0.098194,
    "i06": 0.115291,
    "i07": 0.164362,
    "i08": 0.172567,
    "i09": 0.203666,
}
CROWDKIT_BT_RANKING = ["i09", "i08", "i07", "i06", "i05", "i04", "i03", "i02", "i01", "i00"]
CROWDKIT_NOISY_BT_RANKING = CROWDKIT_BT_RANKING


def _order(scores: dict[str, float]) -> list[str]:
    return sorted(scores, key=lambda n: (-scores[n], n))


@pytest.mark.parametrize("model", MODELS)
def test_a_clear_order_is_recovered(model: type[BradleyTerry]) -> None:
    # a beats b beats c beats d, each pair 4:1, by three workers
    rows = []
    for win, lose in [("a", "b"), ("b", "c"), ("c", "d"), ("a", "c"), ("b", "d")]:
        for k in range(5):
            rows.append((f"w{k % 3}", win, lose, win if k < 4 else lose))
    fitted = model().fit(rows)
    assert _order(fitted.scores_) == ["a", "b", "c", "d"]
    assert fitted.ranks_ == {"a": 1, "b": 2, "c": 3, "d": 4}
    assert fitted.comparisons_["a"] == 10
    assert abs(sum(fitted.scores_.values())) < 1e-9


@pytest.mark.parametrize("model", MODELS)
def test_an_unbeaten_item_gets_a_finite_score_and_uncompared_items_score_zero(
    model: type[BradleyTerry],
) -> None:
    fitted = model().fit([("w", "a", "b", "a")] * 3, items=["z"])
    assert fitted.ranks_["a"] == 1 and fitted.scores_["a"] < 10
    assert fitted.comparisons_["z"] == 0


def test_a_label_naming_neither_side_is_refused() -> None:
    with pytest.raises(ValueError, match="left or the right"):
        BradleyTerry().fit([("w", "a", "b", "c")])


def test_noisy_bt_finds_the_random_workers_and_beats_plain_bt_on_them() -> None:
    toy = generate(seed=17, n_answers=600)
    noisy, plain = NoisyBT().fit(toy.rows), BradleyTerry().fit(toy.rows)
    good = [w for w in noisy.reliability_ if w not in ("w00", "w01")]
    assert max(noisy.reliability_["w00"], noisy.reliability_["w01"]) < min(
        noisy.reliability_[w] for w in good
    )
    names = sorted(toy.truth)
    truth = [toy.truth[n] for n in names]
    rho_noisy = spearman(truth, [noisy.scores_[n] for n in names])
    rho_plain = spearman(truth, [plain.scores_[n] for n in names])
    assert rho_noisy > rho_plain
    assert plain.reliability_ == dict.fromkeys(plain.reliability_, 1.0)


@pytest.mark.parametrize(
    ("model", "reference"),
    [(BradleyTerry, CROWDKIT_BT_RANKING), (NoisyBT, CROWDKIT_NOISY_BT_RANKING)],
)
def test_same_ranking_as_crowdkit_on_the_generated_set(
    model: type[BradleyTerry], reference: list[str]
) -> None:
    toy = generate(seed=3, n_answers=2000)
    fitted = model().fit(toy.rows)
    assert _order(fitted.scores_) == reference
    names = sorted(CROWDKIT_BT_SCORES)
    rho = spearman([CROWDKIT_BT_SCORES[n] for n in names], [fitted.scores_[n] for n in names])
    assert rho >= 0.99


def test_spearman() -> None:
    assert spearman([1, 2, 3], [10, 20, 30]) == pytest.approx(1.0)
    assert spearman([1, 2, 3], [3, 2, 1]) == pytest.approx(-1.0)
    assert spearman([1, 1, 2], [5, 5, 9]) == pytest.approx(1.0)
    with pytest.raises(ValueError):
        spearman([1], [1, 2])


def test_rank_breaks_ties_by_name() -> None:
    assert rank({"b": 0.0, "a": 0.0, "c": 1.0}) == {"c": 1, "a": 2, "b": 3}


comparison_rows = st.lists(
    st.tuples(
        st.sampled_from([f"w{i}" for i in range(4)]),
        st.sampled_from([f"i{i}" for i in range(5)]),
        st.sampled_from([f"i{i}" for i in range(5)]),
        st.booleans(),
    ).filter(lambda r: r[1] != r[2]),
    min_size=1,
    max_size=40,
)


def _rows(raw: list[tuple[str, str, str, bool]]) -> list[tuple[str, str, str, str]]:
    return [(w, a, b, a if left else b) for w, a, b, left in raw]


@settings(max_examples=40, deadline=None, derandomize=True)
@given(raw=comparison_rows, data=st.data())
def test_renaming_players_and_items_and_answer_order_do_not_change_the_scores(
    raw: list[tuple[str, str, str, bool]], data: st.DataObject
) -> None:
    rows = _rows(raw)
    items = sorted({x for r in rows for x in r[1:3]})
    new_names = data.draw(st.permutations([f"x{i}" for i in range(len(items))]))
    item_map = dict(zip(items, new_names, strict=True))
    worker_map = {f"w{i}": f"player-{9 - i}" for i in range(4)}
    renamed = [(worker_map[w], item_map[a], item_map[b], item_map[lab]) for w, a, b, lab in rows]
    shuffled = data.draw(st.permutations(renamed))
    for model in MODELS:
        base = model().fit(rows).scores_
        other = model().fit(shuffled).scores_
        for name in items:
            assert other[item_map[name]] == pytest.approx(base[name], abs=1e-6)


@settings(max_examples=30, deadline=None, derandomize=True)
@given(raw=comparison_rows)
def test_swapping_left_and_right_does_not_change_the_scores(
    raw: list[tuple[str, str, str, bool]],
) -> None:
    rows = _rows(raw)
    swapped = [(w, b, a, lab) for w, a, b, lab in rows]
    for model in MODELS:
        base, other = model().fit(rows).scores_, model().fit(swapped).scores_
        assert other == pytest.approx(base, abs=1e-9)
