"""Words of quick-draw: doodle rounds, guesses and imports.

Messages are keys: each constant is a `str.format` template whose `{{fields}}` are the
parameters its callers pass (errors take them as keyword arguments, replies call
`.format`). tests/test_texts.py checks that every call passes exactly those fields.
"""

from __future__ import annotations

DOODLE_ANNOUNCEMENT = "✏️ {text}"
ALL_DOODLES_IN_PLAY = "Every doodle of {campaign} is labelled or already in play."
GUESS_NEEDS_A_WORD = "Type your guess after /guess, for example: /guess cat"
GUESSING_TOO_FAST = "⏳ Too many guesses at once: wait a few seconds."
NO_GUESSES_LEFT = "You've used your {guesses} guesses on this doodle."
DOODLE_ROUNDS_IN_GROUPS = "Doodle rounds run in groups and server channels."
SOLO_DOODLE_RESULT = "✏️ {campaign}\n{said}"
NO_QUICKDRAW_RUNNING = "No quick-draw campaign is running. Check back later!"
STALE_DOODLE_BUTTON = "That button does not match this doodle any more."
GUESS_WITH_COMMAND = "Guess this doodle with /guess <word>."
NO_QUICKDRAW_NAMED = "There is no quick-draw campaign named {name!r}."
CAMPAIGN_NOT_ACTIVE = "Campaign {name!r} is {status}, not active."
DOODLE_CLOSED = "This doodle round has closed; wait for the next one."
NO_DOODLE_ROUND = "No doodle round is running here. A moderator can start one with /round."
HOW_TO_GUESS_TELEGRAM = "Reply to the doodle with your guess, or send /guess <word> in the group."
HOW_TO_GUESS_DISCORD = "Use /guess <word> in this channel."
HOW_TO_GUESS = "Send /guess <word>."
# How to guess, by platform (others get HOW_TO_GUESS).
HOW_TO_GUESS_ON = {"telegram": HOW_TO_GUESS_TELEGRAM, "discord": HOW_TO_GUESS_DISCORD}
ALREADY_SOLVED = "✅ You already got this one. Let the others try!"
HIDDEN_SOLVER = "a player"
GUESS_REASON = "guessed {word} ({order}, {seconds:.1f} s)"
OWN_DRAWING = "✏️ That's your own drawing: let the others guess it."
