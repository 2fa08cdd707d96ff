"""What players and moderators read about player drawings (issue 15).

Messages are keys: each constant is a `str.format` template whose `{fields}` its callers pass.
A refused drawing names what is wrong (which stroke, which point, which limit)."""

from __future__ import annotations

NO_DRAWING_CAMPAIGN = (
    "No campaign takes player drawings here yet. A moderator can allow them with "
    "`/campaign drawings NAME on`."
)
CAMPAIGN_TAKES_NO_DRAWINGS = "Campaign {name!r} does not take player drawings."
NOT_QUICKDRAW = "Campaign {name!r} is a {game} campaign; only quickdraw campaigns take drawings."
NO_WORDS = "Campaign {name!r} has no words to draw."
HOURLY_LIMIT = "You have drawn {limit} times in the last hour; take a break and draw again later."
PROMPT_GONE = (
    "That drawing prompt does not exist, is not yours, or has expired. Ask for a new one."
)
ALREADY_SUBMITTED = "This drawing was already submitted; ask for a new prompt to draw again."
SUBMITTED = (
    "Thanks! Your drawing of “{word}” joins the doodles of {campaign}: others will guess it "
    "in rounds, and you get points when they recognise it."
)

CANVAS_SIZE = "canvas: {width}x{height} pixels is not a usable size (1 to {most} each way)"
NO_STROKES = "strokes: the drawing is empty; draw something first"
TOO_MANY_STROKES = "strokes: {count} strokes, at most {most} are allowed"
TOO_MANY_POINTS = "strokes: {count} points in all, at most {most} are allowed"
EMPTY_STROKE = "strokes[{stroke}]: a stroke has no points"
UNEQUAL_LISTS = "strokes[{stroke}]: x, y and t must have the same length (got {nx}, {ny}, {nt})"
NOT_FINITE = "strokes[{stroke}][{point}]: x and y must be finite numbers"
OUTSIDE = "strokes[{stroke}][{point}]: ({x:g}, {y:g}) lies outside the {width}x{height} canvas"
NEGATIVE_TIME = "strokes[{stroke}][{point}]: t must not be negative (got {t})"
TIME_BACKWARDS = (
    "strokes[{stroke}][{point}]: t must not decrease (got {t} after {before}); t is "
    "milliseconds since the first point of the drawing"
)

DRAWING_NOT_FOUND = "No drawing #{drawing_id} here."
HIDDEN = "Drawing #{drawing_id} (“{word}”) is hidden: it will not be shown again."
ALREADY_HIDDEN = "Drawing #{drawing_id} was already hidden."
