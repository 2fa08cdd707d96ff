"""Forget me inside the deleting transaction: the player's name and platform ids leave every
row that stays (pseudonyms instead; an API token they created names the pseudonym), their
dashboard sign-in links and sessions are deleted, and the tally recount reads and writes
through the same transaction (`ForgetTx`), so a crash leaves either everything or nothing."""

from __future__ import annotations

import json
import secrets
from collections.abc import Sequence

from storage.batch import AnswerTx
from storage.driver import Conn
from storage.rows import AnswerRow, TallyRow, TallyUpdate
from storage.sql_base import ANSWER_COLS, TALLY_COLS, answer_row, dumps, tally_row
from storage.store_contributions import withdraw_contributions

DELETED_NAME = "deleted player"
"""What a forgotten player's name becomes where a record of them stays."""


def pseudonym() -> str:
    """One forgotten player's stand-in id: the same in every row of one deletion (a log still
    shows that one person did these things), random, so nothing links it back to them."""
    return f"deleted:{secrets.token_hex(6)}"


# (table, column) holding "<platform>:<user id>" of a moderator or creator
_ACTOR_KEYS = (
    ("review_log", "actor"),
    ("tallies", "reviewed_by"),
    ("campaigns", "created_by"),
    ("schedules", "created_by"),
    ("api_tokens", "created_by"),
    ("webhooks", "created_by"),
    ("drawings", "hidden_by"),
)
# tables naming a signed-in person by platform and id: deleted outright (sign-in links and
# sessions are of no use once the person is forgotten)
_SIGNIN_TABLES = ("web_login_links", "web_sessions", "draw_links")


async def scrub_player(tx: Conn, player_id: int, alias: str) -> None:
    """Replace the player's name and platform ids by `alias` wherever a record stays."""
    idents = await tx.fetch(
        "SELECT platform, external_id FROM identities WHERE player_id = ?", (player_id,)
    )
    for platform, external_id in ((str(r[0]), str(r[1])) for r in idents):
        for table, column in _ACTOR_KEYS:
            await tx.execute(
                f"UPDATE {table} SET {column} = ? WHERE {column} = ?",
                (alias, f"{platform}:{external_id}"),
            )
        await tx.execute(
            "UPDATE audit_log SET actor = ?, actor_id = ? WHERE platform = ? AND actor_id = ?",
            (DELETED_NAME, alias, platform, external_id),
        )
        for table in _SIGNIN_TABLES:
            await tx.execute(
                f"DELETE FROM {table} WHERE platform = ? AND external_id = ?",
                (platform, external_id),
            )
    await _scrub_rounds(tx, player_id)
    await withdraw_contributions(tx, "player_id = ?", (player_id,))


async def _scrub_rounds(tx: Conn, player_id: int) -> None:
    """Channel rounds name their solvers in their state (`solved`: player id and name)."""
    rows = await tx.fetch(
        "SELECT id, state FROM rounds WHERE player_id IS NULL AND state LIKE ?",
        (f'%"player":{int(player_id)},%',),
    )
    for r in rows:
        state = json.loads(r[1])
        solved = state.get("solved", [])
        if not any(int(s.get("player", 0)) == player_id for s in solved):
            continue
        state["solved"] = [
            {**s, "player": 0, "name": DELETED_NAME} if int(s.get("player", 0)) == player_id else s
            for s in solved
        ]
        await tx.execute("UPDATE rounds SET state = ? WHERE id = ?", (dumps(state), r[0]))


class ForgetTx:
    """The deleting transaction as the tally recount sees it (`storage.base.RecountUnit`)."""

    def __init__(self, tx: Conn, dialect: str, max_params: int) -> None:
        self._tx = tx
        self._answers = AnswerTx(tx, dialect, max_params)

    async def get_tally(self, campaign_id: int, item_id: int) -> TallyRow | None:
        r = await self._tx.fetchone(
            f"SELECT {TALLY_COLS} FROM tallies WHERE campaign_id = ? AND item_id = ?",
            (campaign_id, item_id),
        )
        return None if r is None else tally_row(r)

    async def item_answers(self, campaign_id: int, item_id: int) -> list[AnswerRow]:
        rows = await self._tx.fetch(
            f"SELECT {ANSWER_COLS} FROM answers WHERE campaign_id = ? AND item_id = ? ORDER BY id",
            (campaign_id, item_id),
        )
        return [answer_row(r) for r in rows]

    async def save_tallies(self, updates: Sequence[TallyUpdate]) -> None:
        await self._answers.save_tallies(updates)
        await self._answers.drain()
