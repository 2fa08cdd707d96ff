"""Play: solo sessions and channel rounds, answers, the group commit, quality rules, tallies.

Public names: `Play` (the use cases), `ChoiceFlow` (the reference game flow), `Answers`,
the answer path's types, the pure quality and tally rules other features read, and the tally
recount that forget-me runs in its deleting transaction.
"""

from bot.core.play import quality, tally
from bot.core.play.answer_types import refuse_control_characters
from bot.core.play.answers import Answers, closed_message
from bot.core.play.cases import Play
from bot.core.play.flow import ChoiceFlow
from bot.core.play.ingest import AnswerOutcome, AnswerRequest
from bot.core.play.tallies import recount_tallies

__all__ = [
    "AnswerOutcome",
    "AnswerRequest",
    "Answers",
    "ChoiceFlow",
    "Play",
    "closed_message",
    "quality",
    "recount_tallies",
    "refuse_control_characters",
    "tally",
]
