"""The scope rule: who may see and change which object. One rule, used by every use case that
touches campaigns, datasets, items, review entries and standings.

Every object belongs to a community (`owner`: a community id) or is shared (`owner` None,
created by a bot admin or on the command line). An `Actor` is the person behind an
interaction, in the community they act in: the community of the channel, or their home
community in a private chat.

- **see / play** (`can_see`): bot admins see everything; everyone else sees their own
  community's objects and shared ones.
- **manage** (`can_manage`: change a campaign, use a dataset, moderate review and standings):
  bot admins act on everything; a moderator acts on their own community's objects only.
  Shared objects are changed only by bot admins.
- **nobody resets their own standing**, bot admins included (`bot/core/review/standing.py`).

An object the actor may not see is reported exactly like a missing one (`NotFound` with the
same words), so errors never reveal another community's names.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from bot.core.kernel.models import Kind, PlayerRef

if TYPE_CHECKING:
    from bot.core.kernel.context import Kernel


@dataclass(frozen=True, slots=True)
class Actor:
    """Who acts (`ref`), whether they are a bot admin, the community they act in (None: none
    known) and whether they moderate it (only true inside a group of that community)."""

    ref: PlayerRef
    is_admin: bool
    community_id: int | None
    is_moderator: bool

    @property
    def in_group(self) -> bool:
        return self.ref.channel is not None and self.ref.channel.kind == Kind.GROUP


def can_see(actor: Actor, owner: int | None) -> bool:
    """May `actor` see (and play) an object owned by community `owner` (None: shared)?"""
    return actor.is_admin or owner is None or owner == actor.community_id


def can_manage(actor: Actor, owner: int | None) -> bool:
    """May `actor` change (or moderate) an object owned by `owner`? Shared objects: admins."""
    if actor.is_admin:
        return True
    return actor.is_moderator and owner is not None and owner == actor.community_id


def is_moderator(actor: Actor) -> bool:
    """A bot admin, or a moderator acting in a group of their community."""
    return actor.is_admin or actor.is_moderator


def open_to(community_id: int | None, owner: int | None) -> bool:
    """Is an object of `owner` open to players of `community_id` (no admin rights)?"""
    return owner is None or owner == community_id


async def find_actor(k: Kernel, ref: PlayerRef) -> Actor:
    """The `Actor` behind `ref`: in a group, its community and the adapter's moderator flag;
    in a private chat, the player's home community (never a moderator there)."""
    if ref.channel is not None and ref.channel.kind == Kind.GROUP:
        community = (await k.channel(ref.channel)).community_id
        return Actor(ref, k.is_admin(ref), community, ref.is_moderator and community is not None)
    community = None
    ident = await k.store.get_identity(ref.platform, ref.external_id)
    if ident is not None:
        player = await k.store.get_player(ident.player_id)
        community = None if player is None else player.home_community_id
    return Actor(ref, k.is_admin(ref), community, False)
