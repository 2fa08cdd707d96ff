"""Pairwise comparison (issue 17, docs/compare.md): which of two is better?

A compare campaign runs over a dataset of **base items** (images or texts). They are never
served themselves: the tasks are **pairs** of them (items of kind `pair`, made by
`bot.core.compare`), shown side by side with the campaign's question ("Which is more
natural?"). `pair.meta` names the two base items (`left_id`, `right_id`) and, for texts,
carries both texts (`left_text`, `right_text`).

Answers: `left`, `right` (evidence) or `cant_tell` (an abstention: stored, counted toward the
overlap, not evidence). A pair's own tally is the normal vote between left and right; the
campaign's ranking of its base items is a Bradley-Terry fit over every pair's answers
(`bot.aggregation.bradley_terry`).

Setting `pairs_per_item`: how many distinct comparisons each base item should get (default 6,
1..50); pairs are created until every base item has that many or no new pair is left.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, ClassVar

from bot.errors import InvalidInput
from bot.games.base import Option
from storage.rows import CampaignRow, ItemRow

PAIR_KIND = "pair"
LEFT, RIGHT, CANT_TELL = "left", "right", "cant_tell"
PAIRS_PER_ITEM_DEFAULT, PAIRS_PER_ITEM_LIMIT = 6, 50
_TEXT = {LEFT: "⬅️ Left", RIGHT: "➡️ Right", CANT_TELL: "🤷 Can't tell"}
_WORDS = {
    LEFT: LEFT,
    "l": LEFT,
    "⬅️": LEFT,
    RIGHT: RIGHT,
    "r": RIGHT,
    "➡️": RIGHT,
    "can't tell": CANT_TELL,
    "cant tell": CANT_TELL,
    "🤷": CANT_TELL,
}


def pairs_per_item(campaign: CampaignRow) -> int:
    return int(campaign.settings.get("pairs_per_item", PAIRS_PER_ITEM_DEFAULT))


def is_pair(item: ItemRow) -> bool:
    return item.kind == PAIR_KIND


def pair_sides(item: ItemRow) -> tuple[int, int] | None:
    """(left base item id, right base item id) of a pair item; None for a base item."""
    left, right = item.meta.get("left_id"), item.meta.get("right_id")
    if not is_pair(item) or left is None or right is None:
        return None
    return int(left), int(right)


class CompareGame:
    name: ClassVar[str] = "compare"
    title: ClassVar[str] = "Which is better?"
    item_kinds: ClassVar[frozenset[str]] = frozenset({"image", "text", PAIR_KIND})
    free_text: ClassVar[bool] = False
    settings_keys: ClassVar[Mapping[str, str]] = {
        "pairs_per_item": (
            f"distinct comparisons each item should get (default {PAIRS_PER_ITEM_DEFAULT})"
        ),
    }

    def check_settings(self, raw: Mapping[str, str]) -> dict[str, Any]:
        unknown = sorted(set(raw) - set(self.settings_keys))
        if unknown:
            raise InvalidInput(f"compare campaigns take no setting {', '.join(unknown)}")
        if "pairs_per_item" not in raw:
            return {}
        value = raw["pairs_per_item"].strip()
        if not value.isdigit() or not 1 <= int(value) <= PAIRS_PER_ITEM_LIMIT:
            raise InvalidInput(
                f"pairs_per_item must be a whole number from 1 to {PAIRS_PER_ITEM_LIMIT}, "
                f"not {raw['pairs_per_item']!r}"
            )
        return {"pairs_per_item": int(value)}

    def takes_text(self, item: ItemRow) -> bool:
        return False

    def check_options(self, options: Sequence[str]) -> list[str]:
        if options and list(options) != [LEFT, RIGHT, CANT_TELL]:
            raise InvalidInput("compare campaigns always answer left / right / can't tell")
        return [LEFT, RIGHT, CANT_TELL]

    def default_question(self) -> str:
        return "Which is better?"

    def question(self, campaign: CampaignRow, item: ItemRow) -> str:
        q = campaign.question or self.default_question()
        left, right = item.meta.get("left_text"), item.meta.get("right_text")
        if left is None or right is None:
            return f"{q}\n(left image L, right image R)" if is_pair(item) else q
        return f"{q}\n⬅️ Left: {left}\n➡️ Right: {right}"

    def options(self, campaign: CampaignRow, item: ItemRow) -> list[Option]:
        return [Option(k, _TEXT[k]) for k in (LEFT, RIGHT, CANT_TELL)]

    def evidence_options(self, campaign: CampaignRow, item: ItemRow) -> list[str]:
        """Left and right; "can't tell" counts toward the overlap only."""
        return [LEFT, RIGHT]

    def normalize(self, campaign: CampaignRow, item: ItemRow, label: str) -> str:
        key = _WORDS.get(label.strip().casefold().replace("_", " "))
        if key is None:
            raise InvalidInput(f"answer must be left, right or can't tell, not {label!r}")
        return key

    def is_correct(self, item: ItemRow, label: str) -> bool | None:
        return None if item.gold is None else label == item.gold

    def describe(self, campaign: CampaignRow, item: ItemRow, label: str) -> str:
        return _TEXT.get(label, label)
