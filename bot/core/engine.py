"""The engine: every use case, platform-neutral. Adapters decode an event into a
`PlayerRef` and arguments, call one method here, and render the `Reply` it returns."""

from __future__ import annotations

from bot.core.uc_boards import BoardCases


class Engine(BoardCases):
    """Use cases: start, consent, help, my_data, privacy, forget / forget_confirm,
    next_task, skip, post_round, answer, handle_button, round_card, bind_round_message,
    close_round, tick, profile, leaderboard. See the mixins for each rule."""
