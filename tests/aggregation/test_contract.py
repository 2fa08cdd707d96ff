"""One contract suite over every registered aggregator."""

from __future__ import annotations

import math

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.aggregation import DEFAULT_METHOD, METHODS, AnswerTable
from tests.support.toy import accuracy_of, clear_majority, experts_and_noise, synthetic

NAMES = sorted(METHODS)


@pytest.fixture(params=NAMES)
def method(request: pytest.FixtureRequest) -> str:
    return str(request.param)


def test_registry_has_the_required_names_and_default() -> None:
    assert {"mv", "wawa", "ds", "onecoin"} <= set(METHODS)
    assert DEFAULT_METHOD in METHODS


def test_clear_majorities_are_found(method: str) -> None:
    rows, truth = clear_majority()
    assert METHODS[method]().fit_predict(rows) == truth


def test_probabilities_cover_the_alphabet_and_sum_to_one(method: str) -> None:
    rows, truth = clear_majority()
    probas = METHODS[method]().fit_predict_proba(rows)
    assert set(probas) == set(truth)
    for distribution in probas.values():
        assert set(distribution) == {"bird", "cat", "dog"}
        assert math.isclose(sum(distribution.values()), 1.0, rel_tol=1e-9)
        assert all(0.0 <= p <= 1.0 for p in distribution.values())


def test_fit_returns_self_and_sets_trailing_attributes(method: str) -> None:
    rows, truth = clear_majority()
    model = METHODS[method]()
    assert model.fit(rows) is model
    assert model.labels_ == truth
    assert set(model.probas_) == set(truth)


def test_accepts_an_answer_table(method: str) -> None:
    rows, truth = clear_majority()
    table = AnswerTable.from_rows(rows)
    assert METHODS[method]().fit_predict(table) == truth


def test_unanimous_tasks_get_that_label_with_high_confidence(method: str) -> None:
    rows, _ = synthetic(60, [0.9, 0.85, 0.8, 0.75, 0.7, 0.9], overlap=4, seed=5)
    rows += [("unanimous", w, "b") for w in ("w0", "w1", "w2", "w3")]
    model = METHODS[method]().fit(rows)
    assert model.labels_["unanimous"] == "b"
    assert model.probas_["unanimous"]["b"] > 0.9


def test_empty_input_gives_empty_results(method: str) -> None:
    model = METHODS[method]().fit([])
    assert model.labels_ == {}
    assert model.probas_ == {}


def test_single_answer(method: str) -> None:
    assert METHODS[method]().fit_predict([("t", "w", "yes")]) == {"t": "yes"}


def test_ties_go_to_the_label_that_sorts_first(method: str) -> None:
    rows = [("t", "w1", "zebra"), ("t", "w2", "ant")]
    assert METHODS[method]().fit_predict(rows) == {"t": "ant"}


def test_repeated_answers_each_count_as_a_judgment(method: str) -> None:
    # w1 said "no" three times and "yes" once: four judgments, so "no" outvotes two "yes"
    rows = [("t", "w1", "no")] * 3 + [("t", "w1", "yes"), ("t", "w2", "yes"), ("t", "w3", "yes")]
    model = METHODS[method]().fit(rows)
    assert model.table_.repeated_answers == 3
    assert model.table_.n_answers == 6
    if method == "mv":
        assert model.labels_ == {"t": "no"}


def test_adding_a_perfect_worker_never_lowers_accuracy(method: str) -> None:
    rows, truth = synthetic(150, [0.7, 0.6, 0.65, 0.55, 0.6, 0.7, 0.5], overlap=3, seed=11)
    before = accuracy_of(METHODS[method]().fit_predict(rows), truth)
    oracle = [(task, "oracle", label) for task, label in truth.items()]
    after = accuracy_of(METHODS[method]().fit_predict(rows + oracle), truth)
    assert after >= before


@pytest.mark.parametrize("name", sorted({"ds", "onecoin", DEFAULT_METHOD}))
def test_reliability_models_trust_the_experts(name: str) -> None:
    rows, truth = experts_and_noise()
    assert accuracy_of(METHODS["mv"]().fit_predict(rows), truth) == 7 / 8
    assert accuracy_of(METHODS[name]().fit_predict(rows), truth) == 1.0


def test_wawa_and_majority_vote_skills_rank_experts_above_noise() -> None:
    rows, _ = experts_and_noise()
    for name in ("mv", "wawa"):
        skills = METHODS[name]().fit(rows).skills_  # type: ignore[attr-defined]
        assert min(skills["expert1"], skills["expert2"]) > max(
            skills[f"noisy{k}"] for k in range(3)
        )


answer_rows = st.lists(
    st.tuples(
        st.sampled_from([f"t{i}" for i in range(6)]),
        st.sampled_from([f"w{i}" for i in range(5)]),
        st.sampled_from(["a", "b", "c"]),
    ),
    min_size=1,
    max_size=40,
    unique_by=lambda row: (row[0], row[1]),
)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows=answer_rows, data=st.data())
def test_invariant_to_renaming_and_row_order(
    rows: list[tuple[str, str, str]], data: st.DataObject
) -> None:
    shuffled = data.draw(st.permutations(rows))
    task_alias = {f"t{i}": f"item-{9 - i}" for i in range(6)}
    worker_alias = {f"w{i}": f"user{(i * 3) % 5}" for i in range(5)}
    renamed = [(task_alias[t], worker_alias[w], label) for t, w, label in shuffled]
    for name, cls in METHODS.items():
        original = cls().fit_predict(rows)
        other = cls().fit_predict(renamed)
        back = {task_alias[t]: label for t, label in original.items()}
        assert other == back, name
