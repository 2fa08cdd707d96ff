"""Cards of the moderator tools: a review-queue item, and a player's standing.

Review buttons are `r` payloads `(key, choice)`: `key` packs the tally's (campaign, item) as
`campaign << 32 | item`; `choice` k < 100 sets label k of `review.label_choices`, 200 + k
sets it and makes the item gold, and the codes below page and switch modes. Standing buttons
are `m` payloads `(player, OP_RESET)`.
"""

from __future__ import annotations

from collections import Counter

from bot.core.kernel.codec import encode
from bot.core.kernel.models import Choice, Media, Reply, Style, rows
from bot.core.play.quality import (
    QualityRules,
    onboarding_target,
    reliability,
    retry_wait,
    shown_flags,
)
from bot.core.review.queue import label_choices, queue_kind, vote_split
from bot.core.review.report import FLAG_NAMES
from bot.games.base import Game
from storage import AnswerRow, CampaignRow, ItemRow, Standing, TallyRow

NEXT, PREV, GOLD_MODE, SHOW = 100, 101, 102, 103
GOLD_BASE = 200
MAX_LABELS = 20  # 4 rows of 5 buttons, plus the row of moderator buttons (Discord: 5 rows)
# Standing operations live in the base-36 range "s0".."sz" of the shared `m` action, so
# other features' moderator operations can use other ranges.
OP_RESET = int("s1", 36)
STANDING_OPS = range(int("s0", 36), int("sz", 36) + 1)


def tally_key(campaign_id: int, item_id: int) -> int:
    return (campaign_id << 32) | item_id


def split_key(key: int) -> tuple[int, int]:
    return key >> 32, key & 0xFFFFFFFF


def _item_text(game: Game, campaign: CampaignRow, item: ItemRow) -> str:
    question = game.question(campaign, item)
    if item.kind == "text" and item.text and item.text not in question:
        return f"{question}\n\n{item.text}"
    return question


def _state_line(game: Game, campaign: CampaignRow, item: ItemRow, t: TallyRow) -> str:
    if t.reviewed_label is not None:
        return f"Labelled by a moderator: {game.describe(campaign, item, t.reviewed_label)}"
    if queue_kind(t) == "undecided":
        return f"Undecided: no counted answer named a label ({t.n_answers} answers)."
    lean = ""
    if t.label is not None and t.confidence is not None:
        lean = f", leaning {game.describe(campaign, item, t.label)} ({t.confidence:.0%})"
    return f"Disputed after {t.n_answers} answers{lean}."


def _set_aside(answers: list[AnswerRow]) -> str | None:
    flags = Counter(a.flag for a in answers if a.flag is not None)
    if not flags:
        return None
    parts = ", ".join(f"{FLAG_NAMES.get(f, f)} ×{n}" for f, n in flags.most_common())
    return f"Set aside: {sum(flags.values())} ({parts})"


def review_card(
    game: Game,
    campaign: CampaignRow,
    item: ItemRow,
    t: TallyRow,
    answers: list[AnswerRow],
    media: Media | None,
    *,
    position: int,
    total: int,
    header: str | None = None,
    gold_mode: bool = False,
) -> Reply:
    """One item of the review queue: the item, the vote split, a button per label, paging and
    "make gold" (in gold mode: the labels make it gold, and Cancel)."""
    key = tally_key(campaign.id, item.id)
    lines = [header] if header else []
    lines += [
        f"🔍 Review · {campaign.name} · {position} of {total} in review",
        _item_text(game, campaign, item),
        "",
        _state_line(game, campaign, item, t),
        f"Votes: {vote_split(game, campaign, item, t)}",
    ]
    aside = _set_aside(answers)
    if aside:
        lines.append(aside)
    labels = label_choices(game, campaign, item, t)[:MAX_LABELS]
    base = GOLD_BASE if gold_mode else 0
    buttons = [
        Choice(game.describe(campaign, item, lab), encode("r", key, base + k), Style.PRIMARY)
        for k, lab in enumerate(labels)
    ]
    if gold_mode:
        lines += [
            "",
            "⭐ Make it a gold item: pick its answer. Players who get it later as a "
            "check question are told the answer and how the crowd split.",
        ]
        nav: tuple[Choice, ...] = (Choice("Cancel", encode("r", key, SHOW)),)
    else:
        lines += ["", "Pick the right label:" if labels else "No label to pick yet."]
        nav = (
            Choice("◀ Back", encode("r", key, PREV)),
            Choice("Skip ⏭", encode("r", key, NEXT)),
            Choice("⭐ Make gold", encode("r", key, GOLD_MODE), Style.SUCCESS),
        )
    return Reply("\n".join(lines), media=media, choices=(*rows(*buttons), nav), ephemeral=True)


def empty_queue(header: str | None = None) -> Reply:
    text = "🎉 Nothing to review: the crowd decided every item in your campaigns."
    return Reply(f"{header}\n{text}" if header else text, ephemeral=True)


def _flag_reason(flag: str, rules: QualityRules) -> str:
    return {
        "too_fast": f"answered in under {rules.min_answer_ms / 1000:g}s",
        "same_answer_run": f"{rules.same_answer_run} or more identical answers in a row",
        "low_gold_accuracy": (
            f"gold accuracy under {rules.gold_accuracy_floor:.0%} after "
            f"{rules.gold_floor_min_answers} check items"
        ),
        "onboarding": "answered before passing the tutorial",
        "onboarding_failed": "answered after failing the tutorial",
    }.get(flag, flag)


def standing_lines(
    campaign: CampaignRow, st: Standing, rules: QualityRules, gold_items: int, now: float
) -> list[str]:
    """One campaign of a standing: accuracy, reliability, tutorial, flags with reasons."""
    gold = (
        f"check items {st.gold_right}/{st.gold_answered} right "
        f"({st.gold_right / st.gold_answered:.0%})"
        if st.gold_answered
        else "no check items yet"
    )
    k, need = onboarding_target(rules, gold_items)
    tutorial = "no tutorial" if k == 0 else f"tutorial {st.onboarding}"
    if k and st.onboarding == "pending":
        tutorial += f" ({st.onboarding_answered}/{k} done, needs {need} right)"
    wait = retry_wait(st, rules, now)
    if wait > 0:
        tutorial += f", retry in {wait / 60:.0f} min"
    lines = [
        f"{campaign.name}: {st.answers} answer{'' if st.answers == 1 else 's'} · {gold} · "
        f"reliability "
        f"{reliability(st, rules):.2f} · {tutorial}"
    ]
    for flag, n in sorted(shown_flags(st.flags).items()):
        if n > 0:
            lines.append(f"  ⚠️ {FLAG_NAMES.get(flag, flag)} ×{n}: {_flag_reason(flag, rules)}")
    return lines


def standing_card(
    name: str,
    player_id: int,
    parts: list[tuple[CampaignRow, Standing, int]],
    rules: QualityRules,
    now: float,
    header: str | None = None,
) -> Reply:
    """A player's standing in the campaigns a moderator sees, with a Reset button."""
    lines = [header] if header else []
    lines.append(f"🧾 Standing · {name}")
    for campaign, st, gold_items in parts:
        lines += standing_lines(campaign, st, rules, gold_items, now)
    if not parts:
        lines.append("No answers in the campaigns you moderate.")
        return Reply("\n".join(lines), ephemeral=True, replace=header is not None)
    reset = Choice("♻️ Reset standing", encode("m", player_id, OP_RESET), Style.DANGER)
    return Reply("\n".join(lines), choices=((reset,),), ephemeral=True, replace=header is not None)
