"""What players read when they first meet the bot: the consent text and /help."""

from __future__ import annotations

from bot.core.kernel.texts import CONSENT_TITLE
from bot.core.rewards import PointsRules, formula_text

PRIVACY_CARD = (
    "🔒 Privacy\nYou are {state} public leaderboards (you keep playing either way).\nStreak "
    "reminders by private message: {reminders}."
)
NOTHING_STORED = "Nothing is stored about you."
MY_DATA = (
    "📄 Your data: {identities} identity(ies), {answers} answers, {guesses} doodle guesses, "
    "{ledger} ledger lines, {consents} consent record(s), your standing in {standings} "
    "campaign(s), levels, streaks and badges. The attached file has all of it. /forget "
    "deletes it."
)


def consent_text(version: int, contact: str = "") -> str:
    """What is stored and why, shown before anything is stored (consent version `version`)."""
    lines = [
        CONSENT_TITLE,
        "",
        "Here you answer quick questions about images, texts and doodles. Answers from many "
        "players become labels for open datasets, and you earn points, levels and badges for "
        "being right.",
        "",
        "Before you play, here is what I store and why:",
        "• your user id and display name on this platform, to credit your points;",
        "• your answers, when you gave them and how long you took, to build labels and "
        "check their quality;",
        "• your points, level, streak and badges, for the leaderboards.",
        "",
        "Exported labels never carry your name or id: players appear under a pseudonym. "
        "/mydata shows everything stored about you, /privacy hides you from the boards, and "
        "/forget deletes it all at any time.",
        "",
        "Nothing is stored until you agree. Declining stores nothing.",
        f"(Consent text version {version}.)",
    ]
    if contact:
        lines.append(f"Questions about your data: {contact}")
    return "\n".join(lines)


def help_text(points: PointsRules, is_moderator: bool = False, is_admin: bool = False) -> str:
    lines = [
        "🧭 LabelQuest commands",
        "/start – welcome, and what is stored about you",
        "/play – a solo session: one task after another",
        "/profile – your points, rank and accuracy",
        "/top – leaderboards: community, global or a campaign; all time, this week, today",
        "/badges – badges earned and how to earn more",
        "/points – why your recent answers earned what they did",
        "/streak – your daily streak, freezes and what happened",
        "/doodle – quick-draw: guess a quick series of doodles (private chat or DM)",
        "/guess <word> – guess the doodle of the round running here",
        "/answer <text> – type your answer to a task that asks for text (Telegram: or reply"
        " to its card; Discord: or press ✍️ Answer)",
        "/draw – draw a word yourself; the crowd's guesses tell if it is recognisable",
        "/languages <codes> – the languages you speak, for translation tasks (e.g. de en)",
        "/contribute – send a photo for a capture campaign (private chat or DM)",
        "/mydata – everything stored about you",
        "/privacy – hide from public leaderboards, streak reminders",
        "/forget – delete everything stored about you",
        "/help – this message",
    ]
    if is_moderator:
        lines += [
            "",
            "Moderators:",
            "/round – post a round in this channel",
            "/review – items the crowd could not decide",
            "/standing – a player's accuracy and flags, with a reset",
            "/report – a campaign's quality report",
            "/campaign – create, schedule and run campaigns",
            "/announce – weekly winners and level-ups in this channel (or stop them)",
            "/dashboard – a sign-in link to the web dashboard",
            "/hide <number> – hide a player drawing for good",
        ]
    if is_admin:
        lines += ["", "Admins:", "/export – labels as a file", "/audit – recent moderator actions"]
        if not is_moderator:
            lines.append("/dashboard – a sign-in link to the web dashboard (every community)")
    lines += ["", "How points work:", formula_text(points)]
    lines.append(
        "• Your lifetime points are your XP: /profile shows your level and what the "
        "next one needs."
    )
    lines += ["", "Doodles: The Quick, Draw! Dataset by Google, CC BY 4.0"]
    return "\n".join(lines)
