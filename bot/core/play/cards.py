"""Task and round cards: the Reply a player sees for an item, before and after answering."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Protocol, runtime_checkable

from bot.core.kernel.codec import encode
from bot.core.kernel.models import Choice, Media, Reply, Style, rows
from bot.games.base import Game
from storage import AnswerRow, CampaignRow, ItemRow, RoundRow, TallyRow

IMAGE_ALT = "The image to label"


@runtime_checkable
class SummarizesRound(Protocol):
    """A game that adds one line to a closed round card under the vote split (rate: the
    median of the round's ratings)."""

    def round_summary(self, campaign: CampaignRow, item: ItemRow, labels: Sequence[str]) -> str:
        """The line, from the round's answers (their stored labels)."""
        ...


def item_media(item: ItemRow, media: tuple[str, bytes] | None) -> Media | None:
    """The image of an image item (None for text items)."""
    if item.kind != "image" or media is None:
        return None
    mime, data = media
    ext = "png" if "png" in mime else "jpg"
    return Media(data, f"item-{item.id}.{ext}", IMAGE_ALT, "photo", f"item:{item.id}")


def option_choices(
    game: Game, campaign: CampaignRow, item: ItemRow, round_id: int
) -> list[Choice]:
    styles = {"yes": Style.SUCCESS, "no": Style.DANGER}
    return [
        Choice(opt.text, encode("a", round_id, i), styles.get(opt.key, Style.SECONDARY))
        for i, opt in enumerate(game.options(campaign, item))
    ]


def solo_card(
    game: Game, campaign: CampaignRow, item: ItemRow, rnd: RoundRow, media: Media | None
) -> Reply:
    text = f"🏷️ {campaign.name}\n{game.question(campaign, item)}"
    buttons = option_choices(game, campaign, item, rnd.id)
    skip = Choice("Skip ⏭", encode("s", rnd.id))
    return Reply(
        text=text,
        media=media,
        choices=(*rows(*buttons), (skip,)),
        ephemeral=True,
        round_id=rnd.id,
    )


def _closes(rnd: RoundRow) -> str:
    if rnd.closes_at is None:
        return ""
    when = datetime.fromtimestamp(rnd.closes_at, UTC).strftime("%H:%M UTC")
    return f" · closes at {when}"


def round_card(
    game: Game,
    campaign: CampaignRow,
    item: ItemRow,
    rnd: RoundRow,
    media: Media | None,
    answers: list[AnswerRow],
    item_tally: TallyRow | None,
) -> Reply:
    """A channel round: open (question, buttons, how many answered; votes stay hidden so
    nobody herds) or closed (the vote split, the crowd's label so far, gold answer)."""
    question = game.question(campaign, item)
    n = len(answers)
    who = "1 player has answered" if n == 1 else f"{n} players have answered"
    if rnd.status == "open":
        text = f"🗳️ Round · {campaign.name}\n{question}\n\n👥 {who}{_closes(rnd)}"
        return Reply(
            text=text,
            media=media,
            choices=rows(*option_choices(game, campaign, item, rnd.id)),
            round_id=rnd.id,
        )
    return Reply(
        text=closed_round_text(game, campaign, item, question, answers, item_tally),
        media=media,
        round_id=rnd.id,
    )


def closed_round_text(
    game: Game,
    campaign: CampaignRow,
    item: ItemRow,
    question: str,
    answers: list[AnswerRow],
    item_tally: TallyRow | None,
) -> str:
    votes = Counter(a.label for a in answers)
    split = " · ".join(
        f"{opt.text} {votes.get(opt.key, 0)}" for opt in game.options(campaign, item)
    )
    lines = [f"🏁 Round closed · {campaign.name}", question, "", f"Votes: {split}"]
    if isinstance(game, SummarizesRound):
        lines.append(game.round_summary(campaign, item, [a.label for a in answers]))
    if item.gold is not None:
        lines.append(f"✅ Answer: {game.describe(campaign, item, item.gold)}")
        if item.gold_explanation:
            lines.append(item.gold_explanation)
    elif item_tally is not None and item_tally.label is not None:
        state = {
            "finalized": "final",
            "reviewed": "reviewed",
            "review": "sent to review",
        }.get(item_tally.status, "so far")
        conf = f" ({item_tally.confidence:.0%})" if item_tally.confidence is not None else ""
        lines.append(
            f"Crowd label {state}: {game.describe(campaign, item, item_tally.label)}{conf}"
        )
    n = len(answers)
    lines.append(f"Thanks to the {n} player{'s' if n != 1 else ''} who answered!")
    return "\n".join(lines)
