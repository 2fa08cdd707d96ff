"""Cards of typed games: no option buttons, an "✍️ Answer" button (payload `t`) and, on a
closed round, the split of the typed answers (never shown while the round is open, so nobody
copies)."""

from __future__ import annotations

from collections import Counter

from bot.core.kernel.codec import encode
from bot.core.kernel.models import Choice, Media, Reply, Style
from bot.core.play import texts
from bot.core.play.cards import _closes
from bot.games.base import Game
from storage import AnswerRow, CampaignRow, ItemRow, RoundRow, TallyRow

TOP_ANSWERS = 3
"""How many distinct answers a closed round card lists (the most frequent first)."""

_STATES = {"finalized": "final", "reviewed": "reviewed", "review": "sent to review"}


def how_to_answer(platform: str) -> str:
    """How a typed answer is given on `platform`."""
    return texts.HOW_TO_ANSWER_DISCORD if platform == "discord" else texts.HOW_TO_ANSWER


def answer_button(round_id: int) -> Choice:
    return Choice(texts.ANSWER_BUTTON, encode("t", round_id), Style.PRIMARY)


def typed_solo_card(
    game: Game, campaign: CampaignRow, item: ItemRow, rnd: RoundRow, media: Media | None
) -> Reply:
    """A /play card of a typed item: the Answer button and Skip."""
    text = texts.TYPED_SOLO_CARD.format(
        campaign=campaign.name,
        question=game.question(campaign, item),
        how=how_to_answer(rnd.platform),
    )
    skip = Choice("Skip ⏭", encode("s", rnd.id))
    return Reply(
        text=text,
        media=media,
        choices=((answer_button(rnd.id), skip),),
        ephemeral=True,
        round_id=rnd.id,
    )


def typed_round_card(
    game: Game,
    campaign: CampaignRow,
    item: ItemRow,
    rnd: RoundRow,
    media: Media | None,
    answers: list[AnswerRow],
    item_tally: TallyRow | None,
) -> Reply:
    """Open: the question, how to answer, how many answered. Closed: the split and label."""
    question = game.question(campaign, item)
    if rnd.status == "open":
        n = len(answers)
        who = "1 player has answered" if n == 1 else f"{n} players have answered"
        text = texts.TYPED_ROUND_OPEN.format(
            campaign=campaign.name,
            question=question,
            how=how_to_answer(rnd.platform),
            who=who,
            closes=_closes(rnd),
        )
        return Reply(text=text, media=media, choices=((answer_button(rnd.id),),), round_id=rnd.id)
    return Reply(
        text=typed_closed_text(game, campaign, item, question, answers, item_tally),
        media=media,
        round_id=rnd.id,
    )


def answer_split(game: Game, campaign: CampaignRow, item: ItemRow, labels: list[str]) -> str:
    """The most frequent normalised answers with their counts: `“hello” 3 · “hallo” 1`."""
    top = Counter(labels).most_common(TOP_ANSWERS)
    if not top:
        return texts.TYPED_NO_ANSWERS
    shown = " · ".join(f"{game.describe(campaign, item, lab)} {n}" for lab, n in top)
    rest = len(labels) - sum(n for _, n in top)
    return f"{shown} · +{rest} other" if rest else shown


def typed_closed_text(
    game: Game,
    campaign: CampaignRow,
    item: ItemRow,
    question: str,
    answers: list[AnswerRow],
    item_tally: TallyRow | None,
) -> str:
    split = answer_split(game, campaign, item, [a.label for a in answers])
    lines = [
        texts.TYPED_ROUND_CLOSED.format(campaign=campaign.name, question=question, split=split)
    ]
    if item.gold is not None:
        lines.append(texts.TYPED_GOLD.format(said=game.describe(campaign, item, item.gold)))
    elif item_tally is not None and item_tally.label is not None:
        conf = f" ({item_tally.confidence:.0%})" if item_tally.confidence is not None else ""
        lines.append(
            texts.TYPED_CROWD.format(
                state=_STATES.get(item_tally.status, "so far"),
                said=game.describe(campaign, item, item_tally.label),
                conf=conf,
            )
        )
    lines.append(texts.TYPED_THANKS.format(n=len(answers)))
    return "\n".join(lines)
