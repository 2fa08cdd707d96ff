"""The engine: every use case, platform-neutral. Adapters decode an event into a
`PlayerRef` and arguments, call one method here, and render the `Reply` it returns.

Each feature lives in its own mixin module (`uc_*.py`); this class only composes them.
Buttons are routed by payload action to a `button_<action>(ref, args)` method of any mixin.
"""

from __future__ import annotations

from bot.core.campaigns.cases import CampaignCases
from bot.core.quickdraw.cases import QuickdrawCases
from bot.core.review.cases import ReviewCases
from bot.core.rewards.cases import RewardCases


class Engine(CampaignCases, QuickdrawCases, ReviewCases, RewardCases):
    """Use cases: start, consent, help, my_data, privacy, forget / forget_confirm,
    next_task, skip, post_round, answer, handle_button, round_card, bind_round_message,
    close_round, tick, profile, leaderboard, and those of the feature mixins."""
