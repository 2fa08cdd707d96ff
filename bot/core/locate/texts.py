"""What players read about the locate canvas (issue 17). Each constant is a `str.format`
template whose `{fields}` its callers pass."""

from __future__ import annotations

OPEN_CANVAS = "📦 Open the canvas"
NOT_SET_UP = (
    "The locate canvas is not set up here: the bot's operator must set [web] public_url (the "
    "address the canvas page is reached at) in the config."
)
LINK = (
    "Your canvas for this task: mark your answer on the image and submit. The link is yours, "
    "works once, for {minutes} minutes."
)
LINK_USED = (
    "This canvas link was already used or has expired. Tap 📦 Open the canvas on the task "
    "again for a new one."
)
NO_LOCATE_TASK = "No image to mark for you right now: /play later, or ask a moderator."
NOT_LOCATE = "That task is not a locate task: answer it on its card."
NOT_YOURS = "That task does not exist or is not yours. Tap 📦 Open the canvas on your task again."
IN_PRIVATE = "The canvas opens in our private chat: tap below."
OPEN_PAGE = "Tap 📦 Open the canvas to mark your answer on the image."
NO_IMAGE = "This task's image is missing; skip it and /play again."
