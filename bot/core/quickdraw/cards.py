"""What players read in the quick-draw game: round cards, solo cards, guess feedback.

Every message that shows a doodle carries the CC BY 4.0 attribution line (docs/quickdraw.md,
Attribution). Round cards never name the word while the round is open (nor does the GIF's alt
text); the closing card does, with who got it and how fast.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from bot.core.kernel.codec import encode
from bot.core.kernel.models import Choice, Media, Reply, Style, rows
from bot.games.base import Option
from bot.games.quickdraw_matching import MatchKind
from bot.games.quickdraw_rules import hint_mask
from storage import CampaignRow, RoundRow

ATTRIBUTION = "Doodles: The Quick, Draw! Dataset by Google, CC BY 4.0"
ATTRIBUTION_LONG = f"{ATTRIBUTION} (https://github.com/googlecreativelab/quickdraw-dataset)"
GUESS_BUTTON = "Guess ✏️"
SKIP_BUTTON = "Skip ⏭"
MEDALS = ("🥇", "🥈", "🥉")
HOW_TO_GUESS = {
    "telegram": "💬 Reply to this doodle with your guess, or send /guess <word>.",
    "discord": "💬 Press Guess ✏️ or use /guess <word>.",
}


def ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _closes(rnd: RoundRow) -> str:
    if rnd.closes_at is None:
        return ""
    return datetime.fromtimestamp(rnd.closes_at, UTC).strftime("%H:%M:%S UTC")


def open_round_card(
    campaign: CampaignRow,
    question: str,
    rnd: RoundRow,
    media: Media | None,
    word: str,
    revealed: set[int],
    hints: tuple[int, int],
    guessers: int,
) -> Reply:
    """An open doodle round: the masked word, hints shown, how many got it, how to guess."""
    shown, total = hints
    solved = len(rnd.state.get("solved", []))
    letters = sum(c.isalnum() for c in word)
    lines = [
        f"✏️ Quick, Draw! round · {campaign.name}",
        question,
        "",
        f"🔤 {hint_mask(word, revealed)}   ({letters} letters)",
    ]
    if total:
        lines.append(f"💡 {shown} of {total} hints shown (each hint lowers the points)")
    got = "nobody yet" if not solved else f"{solved} player{'s' if solved != 1 else ''}"
    lines.append(f"✅ Got it: {got} · 👥 {guessers} guessing · ⏱ closes at {_closes(rnd)}")
    lines.append(HOW_TO_GUESS.get(rnd.platform, "💬 Send /guess <word>."))
    lines.append(ATTRIBUTION)
    guess = Choice(GUESS_BUTTON, encode("g", rnd.id), Style.PRIMARY)
    return Reply(
        "\n".join(lines), media=media, choices=((guess,),), round_id=rnd.id, guess_round_id=rnd.id
    )


def closed_round_card(
    campaign: CampaignRow,
    rnd: RoundRow,
    media: Media | None,
    word: str,
    names: dict[int, str],
    first_right: int,
    first_total: int,
) -> Reply:
    """A closed doodle round: the word, who got it (order, seconds, points), recognition."""
    lines = [f"🏁 Quick, Draw! round · {campaign.name}", f"The word was: {word}", ""]
    solved: list[dict[str, Any]] = rnd.state.get("solved", [])
    for i, s in enumerate(solved):
        rank = MEDALS[i] if i < len(MEDALS) else f"{i + 1}."
        who = names.get(int(s["player"]), str(s.get("name") or "a player"))
        lines.append(f"{rank} {who} · {float(s['seconds']):.1f} s · +{int(s['points'])} pts")
    if not solved:
        lines.append("Nobody got it this time.")
    if first_total:
        lines.append(
            f"👥 {first_total} player{'s' if first_total != 1 else ''} guessed; "
            f"{first_right} named it at their first try."
        )
    lines.append(ATTRIBUTION)
    return Reply("\n".join(lines), media=media, round_id=rnd.id)


def guess_feedback(
    kind: MatchKind, word: str, text: str, points: int, elapsed: float, order: int, left: int
) -> Reply:
    """Private feedback for one guess (a Discord ephemeral, a Telegram toast or DM)."""
    if kind in (MatchKind.EXACT, MatchKind.SYNONYM):
        msg = (
            f"✅ Yes, it's {word}! +{points} pts · {ordinal(order)} right guess, "
            f"in {elapsed:.1f} s."
        )
    elif kind is MatchKind.CLOSE:
        msg = f"🤏 So close! “{text}” is one letter off. Check the spelling ({left} left)."
    else:
        more = f"{left} guess{'es' if left != 1 else ''} left" if left else "no guesses left"
        msg = f"❌ Not “{text}”. Keep looking ({more})."
    return Reply(msg, notice=msg, ephemeral=True)


def solo_card(
    campaign: CampaignRow,
    question: str,
    rnd: RoundRow,
    media: Media | None,
    options: list[Option],
    step: int,
    of: int,
) -> Reply:
    """A doodle of a solo series with its word buttons (`q` payloads) and Skip."""
    text = (
        f"✏️ Doodle {step} of {of} · {campaign.name}\n{question} The faster, the more points."
        f"\n{ATTRIBUTION}"
    )
    buttons = [Choice(o.text, encode("q", rnd.id, i)) for i, o in enumerate(options)]
    skip = Choice(SKIP_BUTTON, encode("q", rnd.id, len(options)))
    return Reply(
        text,
        media=media,
        choices=(*rows(*buttons, per_row=2), (skip,)),
        ephemeral=True,
        round_id=rnd.id,
    )


def pick_feedback(word: str, picked: str | None, points: int, elapsed: float) -> str:
    if picked is None:
        return f"⏭ Skipped: it was {word}."
    if picked == word:
        return f"✅ {word}! +{points} pts in {elapsed:.1f} s."
    return f"❌ It was {word}, not {picked}."


def series_summary(right: int, of: int, points: int) -> Reply:
    text = (
        f"🏁 Series done: {right} of {of} right · {points} guess points.\n"
        "Send /doodle for another series.\n" + ATTRIBUTION
    )
    return Reply(text, ephemeral=True)
