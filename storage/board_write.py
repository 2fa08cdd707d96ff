"""The leaderboard rollup of an answer batch, written beside the rest of the batch."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from typing import TYPE_CHECKING

from storage.rows import BoardDelta

if TYPE_CHECKING:
    from storage.batch import AnswerTx


class BoardWrite:
    """The leaderboard rollup of a batch, started by `AnswerTx.start_board_points`: already
    running beside the batch (SQLite), or to run when waited for (PostgreSQL)."""

    def __init__(self, tx: AnswerTx, deltas: Sequence[BoardDelta]) -> None:
        self._tx = tx
        self._deltas: Sequence[BoardDelta] | None = deltas
        self._task: asyncio.Future[None] | None = None
        if tx.c.queueing:
            self._task = tx.c.background(tx.rewards.add_board_points(deltas))
            self._deltas = None

    async def wait(self) -> None:
        """Until the rollup is written (raises its failure)."""
        deltas, self._deltas = self._deltas, None
        if deltas is not None:
            await self._tx.rewards.add_board_points(deltas)
        elif self._task is not None:
            await self._task
