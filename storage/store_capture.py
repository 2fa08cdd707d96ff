"""Store queries of image capture (issue 16, migration 018).

Rules:
- one `photo_consents` row per player, upserted per answer with its time; the row goes with
  the player (ON DELETE CASCADE);
- `add_photo` locks the player row (PostgreSQL `FOR UPDATE`; SQLite has one writer), counts
  the player's photos in the campaign, and adds the contribution and its item in the same
  transaction: the per-player limit holds with photos sent at once from several processes.
"""

from __future__ import annotations

from storage.driver import Row
from storage.rows import CONSENTS, ContributionRow, NewContribution, PhotoConsentRow
from storage.sql_base import SqlBase, opt_bool
from storage.store_contributions import insert_contribution

_COLS = (
    "player_id, stores, stores_at, owner_use, owner_use_at, publish, publish_at, country, "
    "country_at, campaign_id, campaign_at"
)


def _consents(r: Row) -> PhotoConsentRow:
    def num(v: object) -> float | None:
        return None if v is None else float(v)  # type: ignore[arg-type]

    return PhotoConsentRow(
        int(r[0]),
        opt_bool(r[1]),
        num(r[2]),
        opt_bool(r[3]),
        num(r[4]),
        opt_bool(r[5]),
        num(r[6]),
        r[7],
        num(r[8]),
        None if r[9] is None else int(r[9]),
        num(r[10]),
    )


class CaptureMixin(SqlBase):
    """`storage.base.CaptureStore` over SQL."""

    async def photo_consents(self, player_id: int) -> PhotoConsentRow | None:
        async with self.db.read() as conn:
            r = await conn.fetchone(
                f"SELECT {_COLS} FROM photo_consents WHERE player_id = ?", (player_id,)
            )
        return None if r is None else _consents(r)

    async def set_photo_consent(
        self, player_id: int, which: str, yes: bool, now: float
    ) -> PhotoConsentRow:
        if which not in CONSENTS:
            raise ValueError(f"unknown photo consent {which!r}")
        return await self._upsert(player_id, which, int(yes), now)

    async def set_photo_country(
        self, player_id: int, country: str | None, now: float
    ) -> PhotoConsentRow:
        return await self._upsert(player_id, "country", country, now)

    async def set_capture_campaign(
        self, player_id: int, campaign_id: int | None, now: float
    ) -> PhotoConsentRow:
        return await self._upsert(player_id, "campaign_id", campaign_id, now)

    async def _upsert(
        self, player_id: int, column: str, value: object, now: float
    ) -> PhotoConsentRow:
        at = "campaign_at" if column == "campaign_id" else f"{column}_at"
        async with self.db.transaction() as tx:
            r = await tx.fetchone(
                f"INSERT INTO photo_consents (player_id, {column}, {at}) VALUES (?, ?, ?) "
                f"ON CONFLICT (player_id) DO UPDATE SET {column} = excluded.{column}, "
                f"{at} = excluded.{at} RETURNING {_COLS}",
                (player_id, value, now),
            )
        assert r is not None
        return _consents(r)

    async def add_photo(
        self, c: NewContribution, per_player: int, now: float
    ) -> ContributionRow | None:
        async with self.db.transaction() as tx:
            await tx.execute(
                f"SELECT id FROM players WHERE id = ?{self.for_update}", (c.player_id,)
            )
            n = await tx.fetchval(
                "SELECT COUNT(*) FROM contributions WHERE player_id = ? AND campaign_id = ? "
                "AND kind = ?",
                (c.player_id, c.campaign_id, c.kind),
            )
            if int(n or 0) >= per_player:
                return None
            return await insert_contribution(tx, c, now)
