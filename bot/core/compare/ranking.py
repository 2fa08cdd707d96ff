"""A compare campaign's ranking of its base items (docs/compare.md).

Rule: every stored answer on a pair item that says `left` or `right` is one comparison,
worker = the player; "can't tell" is an abstention and left out. The comparisons are fitted
by NoisyBT (`bot.aggregation.bradley_terry`: Bradley-Terry with each player's probability of
answering at random), which gives each base item a score (log-strength, mean 0) and a rank
(1 = best); `comparisons` counts the answers an item took part in. Base items nobody compared
yet score 0 and rank among equals by id.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from bot.aggregation.bradley_terry import NoisyBT
from bot.games.compare import LEFT, RIGHT, pair_sides
from storage import AnswerRow, ItemRow


@dataclass(frozen=True, slots=True)
class RankedItem:
    item_id: int
    name: str
    score: float
    rank: int
    comparisons: int


@dataclass(frozen=True, slots=True)
class Ranking:
    items: list[RankedItem]
    answers: int
    """Comparisons fitted (left / right answers)."""

    def by_id(self) -> dict[int, RankedItem]:
        return {r.item_id: r for r in self.items}


def item_name(item: ItemRow) -> str:
    """How a base item is named in rankings: its text (cut at 60) or its source."""
    if item.kind == "text" and item.text:
        return item.text if len(item.text) <= 60 else item.text[:59] + "…"
    return item.source


def comparisons(
    pairs: Mapping[int, ItemRow], answers: Sequence[AnswerRow]
) -> list[tuple[str, str, str, str]]:
    """(worker, left, right, winner) rows, item ids as strings, abstentions left out."""
    rows: list[tuple[str, str, str, str]] = []
    for a in answers:
        pair = pairs.get(a.item_id)
        sides = None if pair is None else pair_sides(pair)
        if sides is None or a.label not in (LEFT, RIGHT):
            continue
        left, right = str(sides[0]), str(sides[1])
        rows.append((str(a.player_id), left, right, left if a.label == LEFT else right))
    return rows


def fit_ranking(
    base: Sequence[ItemRow], pairs: Mapping[int, ItemRow], answers: Sequence[AnswerRow]
) -> Ranking:
    """The ranking by the module's rule."""
    rows = comparisons(pairs, answers)
    model = NoisyBT().fit(rows, [str(b.id) for b in base])
    ranked = sorted(
        (
            RankedItem(
                b.id,
                item_name(b),
                model.scores_.get(str(b.id), 0.0),
                0,
                model.comparisons_.get(str(b.id), 0),
            )
            for b in base
        ),
        key=lambda r: (-r.score, r.item_id),
    )
    items = [
        RankedItem(r.item_id, r.name, r.score, n + 1, r.comparisons) for n, r in enumerate(ranked)
    ]
    return Ranking(items, len(rows))
