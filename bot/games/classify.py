"""Classification: an image or a text and 2 to 25 options (Discord allows 25 buttons per
message); every option is evidence."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, ClassVar

from bot.errors import InvalidInput
from bot.games.base import Option, no_settings
from storage.rows import CampaignRow, ItemRow

MIN_OPTIONS, MAX_OPTIONS, MAX_OPTION_LEN = 2, 25, 40


class ClassifyGame:
    name: ClassVar[str] = "classify"
    title: ClassVar[str] = "Classification"
    item_kinds: ClassVar[frozenset[str]] = frozenset({"image", "text"})
    free_text: ClassVar[bool] = False
    settings_keys: ClassVar[Mapping[str, str]] = {}

    def check_settings(self, raw: Mapping[str, str]) -> dict[str, Any]:
        return no_settings(self.name, raw)

    def takes_text(self, item: ItemRow) -> bool:
        return self.free_text

    def check_options(self, options: Sequence[str]) -> list[str]:
        cleaned = [o.strip() for o in options]
        if not MIN_OPTIONS <= len(cleaned) <= MAX_OPTIONS:
            raise InvalidInput(
                f"classify needs {MIN_OPTIONS} to {MAX_OPTIONS} options, got {len(cleaned)}"
            )
        for opt in cleaned:
            if not opt:
                raise InvalidInput("an option is empty")
            if len(opt) > MAX_OPTION_LEN:
                raise InvalidInput(f"option {opt!r} is longer than {MAX_OPTION_LEN} characters")
        lowered = [o.casefold() for o in cleaned]
        dupes = sorted({o for o in lowered if lowered.count(o) > 1})
        if dupes:
            raise InvalidInput(f"duplicate options: {', '.join(dupes)}")
        return cleaned

    def default_question(self) -> str:
        return "Which one is it?"

    def question(self, campaign: CampaignRow, item: ItemRow) -> str:
        q = campaign.question or self.default_question()
        return f"{q}\n\n{item.text}" if item.kind == "text" and item.text else q

    def options(self, campaign: CampaignRow, item: ItemRow) -> list[Option]:
        return [Option(o, o) for o in campaign.options]

    def evidence_options(self, campaign: CampaignRow, item: ItemRow) -> list[str]:
        return list(campaign.options)

    def normalize(self, campaign: CampaignRow, item: ItemRow, label: str) -> str:
        for opt in campaign.options:
            if opt.casefold() == label.strip().casefold():
                return opt
        raise InvalidInput(f"{label!r} is not one of: {', '.join(campaign.options)}")

    def is_correct(self, item: ItemRow, label: str) -> bool | None:
        if item.gold is None:
            return None
        return label.casefold() == item.gold.casefold()

    def describe(self, campaign: CampaignRow, item: ItemRow, label: str) -> str:
        return label
