"""Handwriting transcription: an image of handwritten or printed text; the player types what
it says (Crowdsource's "Handwriting Recognition").

Items are images (kind `image`); the gold answer and the known truth are the text. Answers are
free text (`free_text = True`, no option buttons): each is normalised by
`bot.games.text_norm` under the campaign's settings (`case`: fold | keep, `spaces`: collapse |
keep, `max_chars`: 1..1000, default 200), and two answers agree when their normalised forms
are equal. `evidence_options` is empty: every distinct normalised string a player typed is an
outcome of the live tally (`bot.core.play.tally`: Y grows with the strings seen), so an item
finalises when enough reliable players typed the same string (dynamic overlap).

Alignment vote (`combine`): when a multi-word item reaches its maximum overlap without an
agreed string, the answers are aligned word by word and each position takes its weighted
majority, in the spirit of ROVER (Fiscus 1997, "A post-processing system to yield reduced word
error rates: Recognizer Output Voting Error Reduction (ROVER)", IEEE ASRU). If every position's
winner has a strict majority (share > 1/2) the item finalises with the voted string, its
confidence the lowest position share; otherwise it goes to review.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any, ClassVar

from bot.aggregation.rover import rover
from bot.errors import InvalidInput
from bot.games.base import Combined, Option
from bot.games.text_norm import (
    COLLAPSE,
    DEFAULT_MAX_CHARS,
    FOLD,
    MAX_MAX_CHARS,
    TextRules,
    check_text_settings,
    fold,
    normalize_text,
)
from storage.rows import CampaignRow, ItemRow

Aligner = Callable[[Sequence[str], Sequence[float]], tuple[str, tuple[float, ...]]]
"""(answers, weights) -> (voted text, winning share per position)."""

EMPTY_ANSWER = "Type what the image says (the answer was empty)."


def rover_aligner(
    answers: Sequence[str], weights: Sequence[float]
) -> tuple[str, tuple[float, ...]]:
    """The ROVER vote of `bot.aggregation.rover` (word transition network, weighted votes)."""
    result = rover(answers, weights)
    return result.text, result.position_support


class TranscribeGame:
    name: ClassVar[str] = "transcribe"
    title: ClassVar[str] = "Handwriting transcription"
    item_kinds: ClassVar[frozenset[str]] = frozenset({"image"})
    free_text: ClassVar[bool] = True
    settings_keys: ClassVar[Mapping[str, str]] = {
        "case": f"{FOLD} (compare ignoring case, the default) or keep",
        "spaces": f"{COLLAPSE} (runs of spaces count as one, the default) or keep",
        "max_chars": f"longest answer in characters, 1 to {MAX_MAX_CHARS} (default "
        f"{DEFAULT_MAX_CHARS})",
    }

    def __init__(self, aligner: Aligner | None = None) -> None:
        self.aligner: Aligner = aligner or rover_aligner

    def rules(self, campaign: CampaignRow) -> TextRules:
        return TextRules.of(campaign.settings, EMPTY_ANSWER)

    def check_settings(self, raw: Mapping[str, str]) -> dict[str, Any]:
        return check_text_settings(raw, self.settings_keys)

    def takes_text(self, item: ItemRow) -> bool:
        return True

    def check_options(self, options: Sequence[str]) -> list[str]:
        if options:
            raise InvalidInput("transcribe campaigns take no options: players type the text")
        return []

    def default_question(self) -> str:
        return "What does the image say? Type it exactly."

    def question(self, campaign: CampaignRow, item: ItemRow) -> str:
        return campaign.question or self.default_question()

    def options(self, campaign: CampaignRow, item: ItemRow) -> list[Option]:
        return []

    def evidence_options(self, campaign: CampaignRow, item: ItemRow) -> list[str]:
        return []

    def normalize(self, campaign: CampaignRow, item: ItemRow, label: str) -> str:
        return normalize_text(label, self.rules(campaign))

    def is_correct(self, item: ItemRow, label: str) -> bool | None:
        """Equal normalised forms (the gold is folded with the default rules, as the label
        was normalised with its campaign's: a campaign that keeps case compares exactly)."""
        if item.gold is None:
            return None
        if label == item.gold:
            return True
        return fold(label, TextRules()) == fold(item.gold, TextRules())

    def describe(self, campaign: CampaignRow, item: ItemRow, label: str) -> str:
        return f"“{label}”"

    def combine(
        self,
        campaign: CampaignRow,
        item: ItemRow,
        answers: Sequence[str],
        weights: Sequence[float],
    ) -> Combined | None:
        """The alignment vote (module docstring): only for multi-word answers, finalised
        only when every position has a strict weighted majority."""
        texts = [a for a in answers if a.strip()]
        if len(texts) < 2 or all(len(a.split()) < 2 for a in texts):
            return None
        kept = [w for a, w in zip(answers, weights, strict=True) if a.strip()]
        text, shares = self.aligner(texts, kept)
        if not text or not shares or min(shares) <= 0.5:
            return None
        return Combined(text, round(min(shares), 6))
