"""Words of solo play and channel rounds.

Messages are keys: each constant is a `str.format` template whose `{{fields}}` are the
parameters its callers pass (errors take them as keyword arguments, replies call
`.format`). tests/test_texts.py checks that every call passes exactly those fields.
"""

from __future__ import annotations

YOUR_ANSWER = "🏷️ {campaign}\n{question}\n\nYour answer: {said}\n{line}"
SKIPPED = "⏭ Skipped."
TASK_GONE_PLAY_AGAIN = "That task no longer exists. Use /play for a new one."
NOT_YOUR_TASK_CARD = "This task card is someone else's. Use /play for your own."
ONLY_MODERATORS_POST_ROUNDS = "Only moderators can post rounds here."
ROUNDS_IN_GROUPS_ONLY = "Rounds are posted in a group or server channel, not here."
ROUND_GONE = "That round no longer exists."
TASK_GONE = "That task no longer exists."
ALL_ITEMS_IN_PLAY = "Every item of {campaign} is labelled or already in play."
CONTROL_CHARACTER = (
    "Your answer contains a control character ({char}), which is not allowed. Type plain text."
)
STALE_TASK_BUTTON = "That button does not match this task any more."
CHANNEL_ROUNDS_FULL = (
    "This channel already has {cap} open rounds (the most at once). "
    "Wait for one to close, then post the next."
)
ANSWER_IN_ROUND_CHANNEL = (
    "This round's answers count only in the channel where it was posted. "
    "Use /play for your own tasks."
)
OWN_CONTRIBUTION = (
    "That is your own contribution: other players judge it. Use /play for another task."
)
TAKES_BUTTONS = "This task takes the buttons on its card, not a typed answer."
NO_TYPED_TASK = (
    "You have no task waiting for a typed answer here. Use /play for one, or reply to a task card."
)
ANSWER_USAGE = "Usage: /answer your text (for example: /answer hello world)"
HOW_TO_ANSWER = "Reply to this message with your answer, or send /answer your text."
HOW_TO_ANSWER_DISCORD = "Press ✍️ Answer and type what you read."
ANSWER_BUTTON = "✍️ Answer"
TYPED_HOW_NOTICE = "✍️ {how}"
TYPED_SOLO_CARD = "🏷️ {campaign}\n{question}\n\n✍️ {how}"
TYPED_ROUND_OPEN = "✍️ Round · {campaign}\n{question}\n\n✍️ {how}\n👥 {who}{closes}"
TYPED_ROUND_CLOSED = "🏁 Round closed · {campaign}\n{question}\n\nAnswers: {split}"
TYPED_NO_ANSWERS = "none"
TYPED_GOLD = "✅ Answer: {said}"
TYPED_CROWD = "Crowd label {state}: {said}{conf}"
TYPED_THANKS = "Thanks to the {n} player(s) who answered!"
NOT_ELIGIBLE = "{note}"
TAKES_NO_VALUE = "This task does not take that kind of answer. Use its buttons."
