"""Optional accuracy floors on two public truth datasets (skipped without ../shared)."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.aggregation import DEFAULT_METHOD, METHODS, AnswerTable
from bot.aggregation.metrics import accuracy
from bot.aggregation.table import read_gold_csv


def score(folder: Path, method: str) -> float:
    table = AnswerTable.from_csv(folder / "answers.csv")
    return accuracy(
        METHODS[method]().fit(table).labels_, read_gold_csv(folder / "truth.csv")
    ).value


@pytest.mark.parametrize("method", sorted({"ds", DEFAULT_METHOD}))
def test_confusion_models_beat_majority_vote_on_bluebirds(shared_dir: Path, method: str) -> None:
    folder = shared_dir / "datasets" / "truth" / "bluebirds"
    assert score(folder, method) >= 0.85 > score(folder, "mv")


@pytest.mark.parametrize("method", sorted(METHODS))
def test_every_method_is_accurate_on_rte(shared_dir: Path, method: str) -> None:
    assert score(shared_dir / "datasets" / "truth" / "rte", method) >= 0.9
