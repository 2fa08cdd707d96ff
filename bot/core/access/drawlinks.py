"""Drawing-page links (issue 15): `/draw` on Discord (or any browser) gets a signed,
single-use, short-lived link to the drawing page, bound to ONE player (`engine.draw_links`).

Rules:
- a link is `<public_url>/draw?token=SECRET`, SECRET 256 random bits; the store keeps its
  SHA-256 only (migration `draw_links`) with the player (platform, id, display name:
  nothing else).
  Without `[web] public_url` the answer says plainly that drawing is not set up; a player
  who has not consented is sent to consent (`NotConsented`) and no link is stored;
- opening the page (GET) never uses the link (chat apps fetch links to preview them); the
  page's POST `/draw/prompt` does: `holder` names the player, the engine issues the prompt,
  then `use` binds the link to that prompt in one conditional UPDATE (so of two tabs or two
  processes only one gets a prompt). A used, expired or unknown link is `NotFound(LINK_USED)`
  with the same words for all three; a prompt refused (e.g. not consented) leaves the link
  unused;
- the drawing of that prompt is accepted with the same token only (`submitter`); the engine
  accepts one drawing per prompt;
- expired links are deleted with the dashboard's (`purge_web_signins`) when a link is issued.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.core.access.tokens import hash_secret, new_secret
from bot.core.kernel.context import Kernel
from bot.core.kernel.errors import InvalidInput, NotFound
from bot.core.kernel.models import PlayerRef, Reply
from storage import DrawLinkPerson

DRAW_PATH = "/draw"
PURGE_AFTER = 86_400.0
DRAW_NOT_SET_UP = (
    "Drawing is not set up here: the bot's operator must set [web] public_url (the address "
    "the drawing page is reached at) in the config."
)
DRAW_LINK = (
    "Your drawing page: draw the word you are given before the countdown ends. The link is "
    "yours, works once, for {minutes} minutes."
)
DRAW_LINK_USED = (
    "This drawing link was already used or has expired. Send /draw to the bot for a new one."
)


@dataclass(frozen=True, slots=True)
class DrawLink:
    """A drawing-page link as chat shows it: the URL (for a link button) and the reply."""

    url: str
    reply: Reply


def draw_url(base_url: str, secret: str | None = None) -> str:
    """`<base_url>/draw`, with `?token=<secret>` when given (the secret is URL-safe)."""
    url = f"{base_url.rstrip('/')}{DRAW_PATH}"
    return url if secret is None else f"{url}?token={secret}"


def _ref(person: DrawLinkPerson) -> PlayerRef:
    return PlayerRef(person.platform, person.external_id, person.display_name)


class DrawLinks:
    """The drawing-page link use cases (`engine.draw_links`)."""

    def __init__(self, kernel: Kernel) -> None:
        self.k = kernel

    async def ready(self, ref: PlayerRef, *, public_url: str) -> None:
        """`/draw` may open the page for `ref`: `InvalidInput(DRAW_NOT_SET_UP)` without
        `public_url`, `NotConsented` (nothing stored) for a player who has not consented."""
        if not public_url:
            raise InvalidInput(DRAW_NOT_SET_UP)
        await self.k.require_player(ref)

    async def link(self, ref: PlayerRef, *, public_url: str, minutes: int) -> DrawLink:
        """A new link for `ref` once `ready` (else its refusal, nothing stored)."""
        await self.ready(ref, public_url=public_url)
        now = self.k.now()
        await self.k.store.purge_web_signins(now - PURGE_AFTER)
        secret = new_secret()
        person = DrawLinkPerson(ref.platform, ref.external_id, ref.display_name)
        await self.k.store.add_draw_link(hash_secret(secret), person, now, now + minutes * 60.0)
        url = draw_url(public_url, secret)
        return DrawLink(url, Reply(DRAW_LINK.format(minutes=minutes), ephemeral=True))

    async def holder(self, token: str) -> PlayerRef:
        """The player of an unused, unexpired link; `NotFound(DRAW_LINK_USED)` otherwise."""
        person = await self.k.store.draw_link_holder(hash_secret(token), self.k.now())
        if person is None:
            raise NotFound(DRAW_LINK_USED)
        return _ref(person)

    async def use(self, token: str, prompt_id: int) -> None:
        """Bind the link to `prompt_id` once; `NotFound(DRAW_LINK_USED)` if it was used (or
        expired) meanwhile."""
        if not await self.k.store.use_draw_link(hash_secret(token), self.k.now(), prompt_id):
            raise NotFound(DRAW_LINK_USED)

    async def submitter(self, token: str, prompt_id: int) -> PlayerRef:
        """The player whose link was used for `prompt_id`; `NotFound(DRAW_LINK_USED)` for a
        token not used for that prompt (another player's, unknown, or another prompt's)."""
        person = await self.k.store.draw_link_for_prompt(hash_secret(token), prompt_id)
        if person is None:
            raise NotFound(DRAW_LINK_USED)
        return _ref(person)
