"""The Game protocol: what every game (verify, classify, quickdraw) must answer.

A game is pure: given a campaign and an item it says what to ask, which answers are valid,
which of them count as evidence for a label, and whether an answer matches a gold label.
It never touches the store or a platform.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar, Protocol, runtime_checkable

from bot.errors import InvalidInput
from storage.rows import CampaignRow, ItemRow


@dataclass(frozen=True, slots=True)
class Option:
    """One answer a player can give: the stored label `key` and the button `text`."""

    key: str
    text: str


class Game(Protocol):
    name: ClassVar[str]
    title: ClassVar[str]
    item_kinds: ClassVar[frozenset[str]]
    free_text: ClassVar[bool]
    settings_keys: ClassVar[Mapping[str, str]]
    """Campaign settings this game takes (`key=value` on `/campaign create`, `--set` on the
    command line): key -> what it means. Stored in `campaigns.settings`."""

    def check_settings(self, raw: Mapping[str, str]) -> dict[str, Any]:
        """The campaign settings from the moderator's `key=value` words, checked and typed;
        raise `InvalidInput` naming the key and what is wrong."""
        ...

    def takes_text(self, item: ItemRow) -> bool:
        """True when the player types the answer to this item (no option buttons)."""
        ...

    def check_options(self, options: Sequence[str]) -> list[str]:
        """Validate a campaign's label options; raise `InvalidInput` naming the problem."""
        ...

    def default_question(self) -> str: ...

    def question(self, campaign: CampaignRow, item: ItemRow) -> str:
        """The question shown with the item."""
        ...

    def options(self, campaign: CampaignRow, item: ItemRow) -> list[Option]:
        """The buttons, in order. Their index is what a button payload carries."""
        ...

    def evidence_options(self, campaign: CampaignRow, item: ItemRow) -> list[str]:
        """Labels that count as evidence for the item's label (abstentions excluded)."""
        ...

    def normalize(self, campaign: CampaignRow, item: ItemRow, label: str) -> str:
        """The stored form of an answer; raise `InvalidInput` when it is not acceptable."""
        ...

    def is_correct(self, item: ItemRow, label: str) -> bool | None:
        """Right or wrong against the item's gold answer; None for a non-gold item."""
        ...

    def describe(self, campaign: CampaignRow, item: ItemRow, label: str) -> str:
        """A label as a player reads it (`yes` -> "Yes")."""
        ...


def no_settings(game: str, raw: Mapping[str, str]) -> dict[str, Any]:
    """`check_settings` of a game without settings: any key is refused by name."""
    if raw:
        keys = ", ".join(sorted(raw))
        raise InvalidInput(f"{game} campaigns take no setting {keys}")
    return {}


@dataclass(frozen=True, slots=True)
class Combined:
    """A label a game built from several typed answers, with its confidence in [0, 1]."""

    label: str
    confidence: float


@runtime_checkable
class DecidedElsewhere(Protocol):
    """A game some of whose items get their label from a feature, not from their answers
    (translate: a source sentence's label is the translation its validators accepted). At its
    maximum overlap such an item stays `open` (no longer served: it has all its answers) and
    out of the review queue until the feature decides it."""

    def decided_elsewhere(self, item: ItemRow) -> bool:
        """True when `item`'s label is decided by the game's feature."""
        ...


@runtime_checkable
class CombinesAnswers(Protocol):
    """A typed game that can combine disagreeing answers into one label (transcribe: a
    word-level alignment vote). The answer batch asks it only when an item reached its maximum
    overlap without an agreed string; None leaves the item to review."""

    def combine(
        self,
        campaign: CampaignRow,
        item: ItemRow,
        answers: Sequence[str],
        weights: Sequence[float],
    ) -> Combined | None:
        """The combined label of the normalised `answers` (each with its player's weight, an
        accuracy in (0, 1)), or None when they do not support one."""
        ...


@dataclass(frozen=True, slots=True)
class Verdict:
    """A game's own aggregate of one item's answers (`JudgesAnswers.judge`): the label as
    stored (the game's canonical string: a set of attributes, a rating, boxes as JSON), its
    confidence in 0..1 (compared with the campaign's threshold) and an agreement measure."""

    label: str | None
    confidence: float
    agreement: float | None = None


@runtime_checkable
class JudgesAnswers(Protocol):
    """A game whose answer is not one label from a short list (attributes that apply, a
    rating, boxes on an image): it aggregates an item's answers itself. The live tally then
    follows the game's verdict instead of the vote between whole strings: FINALIZED when the
    item has `min_overlap` answers and the verdict's confidence reaches the campaign's
    threshold, REVIEW at the maximum overlap below it, OPEN otherwise
    (`bot.core.play.combine.summarize_item`)."""

    def is_evidence(self, campaign: CampaignRow, item: ItemRow, label: str) -> bool:
        """False for an abstention ("can't tell"): counted toward the overlap, not judged."""
        ...

    def judge(
        self,
        campaign: CampaignRow,
        item: ItemRow,
        answers: Sequence[str],
        weights: Sequence[float],
    ) -> Verdict:
        """The verdict over the item's evidence answers, each with its player's reliability
        weight (one entry per answer)."""
        ...


@runtime_checkable
class GradesInCampaign(Protocol):
    """A game whose gold judgement depends on the campaign's settings (rate: a `tolerance`
    around the gold rating); `is_correct` is its judgement without them."""

    def is_correct_in(self, campaign: CampaignRow, item: ItemRow, label: str) -> bool | None:
        """Right or wrong against the item's gold answer under the campaign's settings."""
        ...


def gold_verdict(game: Game, campaign: CampaignRow, item: ItemRow, label: str) -> bool | None:
    """`game.is_correct_in(campaign, ...)` for a game that grades in its campaign, else
    `game.is_correct(item, label)`."""
    if isinstance(game, GradesInCampaign):
        return game.is_correct_in(campaign, item, label)
    return game.is_correct(item, label)
