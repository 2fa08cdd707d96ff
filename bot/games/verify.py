"""Label verification: an image and a candidate label; the player answers yes, no or not
sure. "Not sure" is stored and counts toward the overlap but is not evidence: an item many
players cannot judge reaches its maximum overlap undecided and goes to review."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, ClassVar

from bot.errors import InvalidInput
from bot.games.base import Option, no_settings
from storage.rows import CampaignRow, ItemRow

YES, NO, NOT_SURE = "yes", "no", "not_sure"
_TEXT = {YES: "Yes", NO: "No", NOT_SURE: "Not sure"}


class VerifyGame:
    name: ClassVar[str] = "verify"
    title: ClassVar[str] = "Label verification"
    item_kinds: ClassVar[frozenset[str]] = frozenset({"image", "text"})
    free_text: ClassVar[bool] = False
    settings_keys: ClassVar[Mapping[str, str]] = {}

    def check_settings(self, raw: Mapping[str, str]) -> dict[str, Any]:
        return no_settings(self.name, raw)

    def takes_text(self, item: ItemRow) -> bool:
        return self.free_text

    def check_options(self, options: Sequence[str]) -> list[str]:
        if options and list(options) != [YES, NO, NOT_SURE]:
            raise InvalidInput("verify campaigns always answer yes / no / not sure")
        return [YES, NO, NOT_SURE]

    def default_question(self) -> str:
        return "Is this {label}?"

    def question(self, campaign: CampaignRow, item: ItemRow) -> str:
        label = item.candidate or "?"
        template = campaign.question or self.default_question()
        return (
            template.replace("{label}", label)
            if "{label}" in template
            else (f"{template}\nLabel: {label}")
        )

    def options(self, campaign: CampaignRow, item: ItemRow) -> list[Option]:
        return [Option(k, _TEXT[k]) for k in (YES, NO, NOT_SURE)]

    def evidence_options(self, campaign: CampaignRow, item: ItemRow) -> list[str]:
        return [YES, NO]

    def normalize(self, campaign: CampaignRow, item: ItemRow, label: str) -> str:
        key = label.strip().lower().replace(" ", "_")
        if key not in _TEXT:
            raise InvalidInput(f"answer must be yes, no or not sure, not {label!r}")
        return key

    def is_correct(self, item: ItemRow, label: str) -> bool | None:
        return None if item.gold is None else label == item.gold

    def describe(self, campaign: CampaignRow, item: ItemRow, label: str) -> str:
        return _TEXT.get(label, label)
