"""Words the engine says to players, in one place (so they can be reviewed and translated)."""

from __future__ import annotations

CONSENT_TITLE = "👋 Welcome to LabelQuest!"


DECLINED = "No problem: nothing was stored. Use /start whenever you change your mind."
WELCOME_BACK = "Welcome back, {name}! Use /play for a solo session, or answer rounds in groups."
CONSENTED = "Thanks, {name}! You're in. Use /play to start, or answer rounds in your groups."
NOT_CONSENTED = "Please read and accept what I store first: use /start (it takes a second)."
FORGET_ASK = (
    "This deletes everything stored about you: your answers, points, badges, streak and "
    "identity. Labels your answers helped build are recomputed without them. This cannot be "
    "undone."
)
FORGOTTEN = "Done. Everything stored about you is deleted. Use /start if you ever come back."
FORGET_CANCELLED = "Nothing was deleted."
NO_TASK = "No tasks for you right now: you've seen everything open. Check back later!"
ROUND_CLOSED = "This round has closed; answers are no longer taken."
ANSWERED_ALREADY = "You already answered this one. One answer per item keeps labels fair."
APOLOGY = "Sorry, something went wrong on my side. It has been logged; please try again."
UNKNOWN_BUTTON = "That button is not one of mine (or it is from an old version)."

NOT_MY_BUTTON = "That button is not one of mine."
NO_ACTIVE_CAMPAIGN = "No active campaign here. A moderator can start one."
PLAYER_GONE = "That player does not exist (any more)."
CAMPAIGN_GONE = "That campaign no longer exists."
ITEM_GONE = "That item no longer exists."
NO_CAMPAIGN_NAMED = "There is no campaign named {name!r}."
CAMPAIGN_NOT_ACTIVE = "Campaign {name!r} is {status}, not active."
IMPORT_REFUSED = "import refused, nothing was stored:"
IMPORT_REFUSED_BECAUSE = "import refused, nothing was stored: {reason}"
AND_MORE = "\n  ... and {count} more"
