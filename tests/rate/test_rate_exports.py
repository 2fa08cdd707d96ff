"""A rate campaign's exports: the label is the weighted median with its confidence and the
game's agreement; answers are numbers in JSON Lines."""

from __future__ import annotations

import json

from bot.core.engine import Engine
from bot.core.exports.labels import ANSWER_COLUMNS, answer_rows, label_rows, render
from bot.core.kernel.clock import ManualClock
from storage import SqlStore
from tests.rate.seed import seed_rate
from tests.review.owned import own
from tests.support.engine import vote_round


async def test_labels_are_medians_and_answers_are_numbers(
    engine: Engine, store: SqlStore, clock: ManualClock
) -> None:
    camp = await own(engine, await seed_rate(store))
    agreed = await vote_round(engine, clock, ["4", "4", "5 · full"], first=1)
    abstained = await vote_round(engine, clock, ["Can't say", "2", "3"], first=10)
    rows = {r["item_id"]: r for r in await label_rows(store, camp)}
    row = rows[agreed]
    assert (row["label"], row["confidence"], row["status"]) == ("4", 1.0, "finalized")
    assert row["agreement"] == round(1 - (1 / 3) / 2, 4)  # 1 - MAD / ((5 - 1) / 2)
    # "Can't say" counts toward the overlap but is no evidence: 2 and 3 split the weight
    # evenly, the weighted mean 2.5 is equally near both, so the median is the lower, 2.
    assert (rows[abstained]["label"], rows[abstained]["n_answers"]) == ("2", 3)

    answers = await answer_rows(store, camp)
    lines = [json.loads(x) for x in render(answers, ANSWER_COLUMNS, "jsonl").splitlines()]
    assert sorted(x["label"] for x in lines if x["task"] == str(agreed)) == [4, 4, 5]
    assert sorted(map(str, (x["label"] for x in lines if x["task"] == str(abstained)))) == [
        "2", "3", "cant_say",
    ]  # fmt: skip
    csv = render(answers, ANSWER_COLUMNS, "csv").decode()
    assert ",4," in csv and ",cant_say," in csv
