"""Neutral models: who acts, where, and what the engine answers. No platform types here."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from enum import StrEnum


class Kind(StrEnum):
    """Where an interaction happens: a group chat / server channel, or a private chat / DM."""

    GROUP = "group"
    PRIVATE = "private"


@dataclass(frozen=True, slots=True)
class CommunityRef:
    """A Discord guild or a Telegram group, as the platform names it."""

    platform: str
    external_id: str
    name: str


@dataclass(frozen=True, slots=True)
class ChannelRef:
    """A Discord channel or DM, or a Telegram chat."""

    platform: str
    external_id: str
    name: str
    kind: Kind = Kind.GROUP
    community: CommunityRef | None = None


@dataclass(frozen=True, slots=True)
class PlayerRef:
    """The person behind an interaction. `is_moderator` is decided by the adapter from the
    platform's permissions in `channel` (Manage Server / a configured role on Discord, chat
    administrators on Telegram)."""

    platform: str
    external_id: str
    display_name: str
    channel: ChannelRef | None = None
    is_moderator: bool = False


class Style(StrEnum):
    PRIMARY = "primary"
    SECONDARY = "secondary"
    SUCCESS = "success"
    DANGER = "danger"


@dataclass(frozen=True, slots=True)
class Choice:
    """A button: its text and the codec payload it sends back."""

    label: str
    payload: str
    style: Style = Style.SECONDARY


@dataclass(frozen=True, slots=True)
class Select:
    """A multi-select on a card: the player picks `min_values`..`max_values` of `options`
    and submits them once. Discord renders a select menu (component type 3, custom_id
    `lq:select:<feature>`) whose picked options' payloads the feature's cog hands to its use
    case; Telegram renders `toggles`, buttons that show their state (the state lives in their
    payloads) and edit the card in place, above the reply's own `choices`."""

    feature: str
    options: tuple[Choice, ...]
    toggles: tuple[tuple[Choice, ...], ...]
    min_values: int = 1
    max_values: int = 1
    placeholder: str = ""


@dataclass(frozen=True, slots=True)
class Media:
    """An image or file to attach. `kind` is photo, animation (GIF) or document."""

    data: bytes
    filename: str
    alt_text: str = ""
    kind: str = "photo"
    cache_key: str | None = None


@dataclass(frozen=True, slots=True)
class Reply:
    """What the engine answers; each adapter renders it in its platform's way.

    - `ephemeral`: only the acting player may see it (Discord ephemeral; on Telegram a group
      reply goes to the callback toast when short, or to a private message).
    - `notice`: short private feedback for a button press: a Telegram toast, a Discord
      ephemeral message. Each adapter fits it to its platform (its port's `toast_limit`).
    - `replace`: edit the message the interaction came from instead of sending a new one.
    - `round_id`: this message is a round card; the adapter binds the sent message to it.
    - `then`: another message to send after this one (e.g. the next task).
    - `files`: attachments such as exports.
    - `select`: a multi-select above the buttons (see `Select`).
    """

    text: str
    media: Media | None = None
    choices: tuple[tuple[Choice, ...], ...] = ()
    ephemeral: bool = False
    notice: str | None = None
    replace: bool = False
    round_id: int | None = None
    then: Reply | None = None
    files: tuple[Media, ...] = field(default=())
    guess_round_id: int | None = None
    select: Select | None = None

    def followed_by(self, nxt: Reply | None) -> Reply:
        """This reply with `nxt` appended at the end of its `then` chain."""
        if nxt is None:
            return self
        if self.then is None:
            return replace(self, then=nxt)
        return replace(self, then=self.then.followed_by(nxt))

    def chain(self) -> list[Reply]:
        """This reply and every reply in its `then` chain, in order."""
        out: list[Reply] = []
        node: Reply | None = self
        while node is not None:
            out.append(replace(node, then=None))
            node = node.then
        return out


def rows(*choices: Choice, per_row: int = 5) -> tuple[tuple[Choice, ...], ...]:
    """Lay buttons out in rows of at most `per_row` (Discord allows 5 per row)."""
    return tuple(tuple(choices[i : i + per_row]) for i in range(0, len(choices), per_row))
