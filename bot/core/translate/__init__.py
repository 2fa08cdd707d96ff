"""Translation with validation by others (issue 16; docs/translate.md).

`Translate` registers the `translate` game's flow (`TranslateFlow`) and the tick job
`translate.settle` (`Settle`); `Languages` is the `/languages` use case."""

from __future__ import annotations

from bot.core.kernel.context import Kernel
from bot.core.kernel.extensions import Extensions
from bot.core.play import Play
from bot.core.rewards import RewardsHook
from bot.core.translate.flow import TranslateFlow
from bot.core.translate.languages import Languages
from bot.core.translate.pay import Payer
from bot.core.translate.settle import Settle
from bot.core.translate.stages import Stages

__all__ = ["Languages", "Settle", "Translate", "TranslateFlow"]


class Translate:
    """The translate feature: its flow and its settle job."""

    def __init__(self, k: Kernel, play: Play, hook: RewardsHook) -> None:
        self.k = k
        self.stages = Stages(k)
        self.flow = TranslateFlow(
            k,
            play.answers,
            play.typed_flow,
            play.choice_flow,
            self.stages,
        )
        self.settle = Settle(k, Payer(k, hook))

    def register(self, ext: Extensions) -> None:
        ext.flow("translate", self.flow)
        ext.tick("translate.settle", self.settle.tick)
