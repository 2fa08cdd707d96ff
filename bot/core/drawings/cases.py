"""Player drawings (`engine.drawings`): issue a prompt, take the drawing, hide one.

Rules:
- consent first: an unconsented player gets `NotConsented` and nothing is stored;
- a prompt comes from a campaign that takes player drawings (`campaigns.player_drawings`),
  active, of the quickdraw game, open to the player's community (the group's, or their home
  community in a private chat) or shared; named, a campaign out of scope is `NotFound` like
  a missing one; none at all is `NoTaskAvailable`;
- the word is one of the campaign's categories (its options); the countdown is `[drawings]
  seconds`; a submit is accepted until `expires_at` = issued + seconds + grace_seconds;
- at most `[drawings] per_hour` prompts per player in any hour, counted by the database in
  the issuing transaction (`RateLimited` past it, nothing stored);
- a submit is checked (`checks.check_drawing`: every problem named), then stored once: the
  database marks the prompt used (a prompt of another player, unknown or expired is
  `NotFound`, all with the same words; a second submit is `InvalidInput`); it is simplified
  as Quick, Draw!'s simplified files are (`bot.games.drawing_simplify`) and enters the
  campaign's doodle pool as a `doodle` item like an imported one (`meta.player_drawing`), the
  simplified strokes as its media, so rounds, replays and labels treat it the same way;
- a moderator hides a drawing (`hide`): `can_manage` on its campaign's community, else
  `NotFound` like a missing drawing; hidden drawings leave the pool and the exports for good.
"""

from __future__ import annotations

import json
import random

from bot.core.drawings import texts
from bot.core.drawings.checks import Caps, check_drawing, duration_ms
from bot.core.drawings.models import DrawPrompt, RawDrawing, Submitted
from bot.core.kernel.context import Kernel
from bot.core.kernel.errors import InvalidInput, NoTaskAvailable, NotFound, RateLimited
from bot.core.kernel.models import PlayerRef
from bot.core.kernel.scope import Actor, can_manage, find_actor, open_to
from bot.games.drawing_simplify import simplify
from storage import CampaignRow, DrawingRow, NewDrawing, NewItem

STROKES_MIME = "application/vnd.quickdraw.strokes+json"
QUICKDRAW = "quickdraw"
KEY_BASE = 10**16
"""Player drawings' `key_id`: 10^16 + the prompt id, 17 digits, outside Quick, Draw!'s 16."""


class Drawings:
    """The use cases of player drawings (see the module rules)."""

    def __init__(self, kernel: Kernel) -> None:
        self.k = kernel
        self._rng = random.Random()
        self._authors: dict[int, int | None] = {}

    async def prompt(self, ref: PlayerRef, campaign_name: str | None = None) -> DrawPrompt:
        """A word to draw, stored for `ref` (see the module rules)."""
        pid = await self.k.require_player(ref)
        actor = await find_actor(self.k, ref)
        campaign = await self._campaign(actor.community_id, campaign_name)
        words = [w for w in campaign.options if w.strip()]
        if not words:
            raise NoTaskAvailable(texts.NO_WORDS, name=campaign.name)
        s = self.k.settings.drawings
        now = self.k.now()
        row = await self.k.store.issue_draw_prompt(
            pid, campaign.id, self._rng.choice(words), now,
            now + s.seconds + s.grace_seconds, per_hour=s.per_hour,
        )  # fmt: skip
        if row is None:
            raise RateLimited(texts.HOURLY_LIMIT, limit=s.per_hour)
        return DrawPrompt(row.id, row.word, s.seconds, campaign.name, row.expires_at)

    async def _campaign(self, community_id: int | None, name: str | None) -> CampaignRow:
        if name:
            found = await self.k.active_campaign(name, community_id)
            if not await self.k.store.takes_player_drawings(found.id):
                raise InvalidInput(texts.CAMPAIGN_TAKES_NO_DRAWINGS, name=found.name)
            if found.game != QUICKDRAW:
                raise InvalidInput(texts.NOT_QUICKDRAW, name=found.name, game=found.game)
            return found
        for cid in await self.k.store.player_drawing_campaigns():
            c = await self.k.campaign(cid)
            if (
                c.game == QUICKDRAW
                and c.status == "active"
                and open_to(community_id, c.community_id)
            ):
                return c
        raise NoTaskAvailable(texts.NO_DRAWING_CAMPAIGN)

    async def submit(
        self, ref: PlayerRef, prompt_id: int, raw: RawDrawing, platform: str
    ) -> Submitted:
        """Store the drawing for the prompt (see the module rules)."""
        pid = await self.k.require_player(ref)
        now = self.k.now()
        prompt = await self.k.store.get_draw_prompt(prompt_id)
        if prompt is None or prompt.player_id != pid:
            raise NotFound(texts.PROMPT_GONE)
        if prompt.used_at is not None:
            raise InvalidInput(texts.ALREADY_SUBMITTED)
        if prompt.expires_at < now:
            raise NotFound(texts.PROMPT_GONE)
        s = self.k.settings.drawings
        check_drawing(raw, Caps(s.max_strokes, s.max_points, s.max_canvas))
        simple = simplify([(st.x, st.y) for st in raw.strokes])
        simple_json = json.dumps([[list(x), list(y)] for x, y in simple], separators=(",", ":"))
        raw_json = json.dumps(
            [[[_num(v) for v in st.x], [_num(v) for v in st.y], list(st.t)] for st in raw.strokes],
            separators=(",", ":"),
        )
        drawing_ms = duration_ms(raw)
        item = NewItem(
            kind="doodle",
            source=f"player/{prompt.word}/{prompt.id}",
            candidate=prompt.word,
            truth=prompt.word,
            meta={"word": prompt.word, "key_id": str(KEY_BASE + prompt.id), "countrycode": None,
                  "timestamp": None, "recognized": None, "format": "simplified",
                  "file": "player", "player_drawing": True},
            media=simple_json.encode(),
            mime=STROKES_MIME,
        )  # fmt: skip
        started = max(0, round((now - prompt.issued_at) * 1000) - drawing_ms)
        stored = await self.k.store.save_drawing(
            NewDrawing(
                prompt.id, pid, prompt.word, platform, raw_json, simple_json,
                raw.width, raw.height, started, drawing_ms, item,
            ),
            now,
        )  # fmt: skip
        if stored is None:  # another submit (any process) used it meanwhile, or it expired
            raise InvalidInput(texts.ALREADY_SUBMITTED)
        self._authors[stored.item_id] = pid
        campaign = await self.k.campaign(stored.campaign_id)
        return Submitted(
            stored.id, texts.SUBMITTED.format(word=prompt.word, campaign=campaign.name)
        )

    async def hide(self, who: Actor | PlayerRef, drawing_id: int) -> str:
        """Hide a drawing for good (see the module rules); returns what to tell the
        moderator."""
        actor = who if isinstance(who, Actor) else await find_actor(self.k, who)
        drawing = await self.visible(actor, drawing_id)
        label = f"{actor.ref.platform}:{actor.ref.external_id}"
        done = await self.k.store.hide_drawing(drawing.id, label, self.k.now())
        if not done:
            return texts.ALREADY_HIDDEN.format(drawing_id=drawing.id)
        await self.k.audit(
            actor.ref, "drawing.hide", f"drawing #{drawing.id}", drawing.word,
            campaign=drawing.campaign_id,
        )  # fmt: skip
        return texts.HIDDEN.format(drawing_id=drawing.id, word=drawing.word)

    async def visible(self, actor: Actor, drawing_id: int) -> DrawingRow:
        """The drawing if `actor` may manage its campaign, else `NotFound` like a missing
        one."""
        drawing = await self.k.store.get_drawing(drawing_id)
        if drawing is not None:
            campaign = await self.k.store.get_campaign(drawing.campaign_id)
            if campaign is not None and can_manage(actor, campaign.community_id):
                return drawing
        raise NotFound(texts.DRAWING_NOT_FOUND, drawing_id=drawing_id)

    async def author_of(self, item_id: int) -> int | None:
        """The player who drew the item (None: not a player drawing); it never changes."""
        if item_id not in self._authors:
            found = await self.k.store.drawing_of_item(item_id)
            self._authors[item_id] = None if found is None else found.player_id
        return self._authors[item_id]


def _num(v: float) -> float | int:
    return int(v) if float(v).is_integer() else v
