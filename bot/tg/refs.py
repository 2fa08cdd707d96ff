"""Who and where: a Telegram update as the engine's neutral `PlayerRef` / `ChannelRef`.

A Telegram group is both the channel and the community (Telegram has no servers). Private
chats have no community. Moderators are the group's administrators (creator included),
asked with getChatMember and cached for `ttl` seconds; an anonymous administrator posts as
the group itself (`sender_chat`), which counts as a moderator too.
"""

from __future__ import annotations

import logging
import time
from collections import OrderedDict

from telegram import Bot, Chat, Update, User
from telegram.constants import ChatMemberStatus, ChatType
from telegram.error import TelegramError

from bot.core.kernel.models import ChannelRef, CommunityRef, Kind, PlayerRef

log = logging.getLogger(__name__)

PLATFORM = "telegram"
_MODERATOR_STATUSES = {ChatMemberStatus.ADMINISTRATOR, ChatMemberStatus.OWNER}


def is_private(chat: Chat | None) -> bool:
    return chat is None or chat.type == ChatType.PRIVATE


def channel_ref(chat: Chat) -> ChannelRef:
    if is_private(chat):
        return ChannelRef(PLATFORM, str(chat.id), "private chat", Kind.PRIVATE)
    name = chat.title or str(chat.id)
    community = CommunityRef(PLATFORM, str(chat.id), name)
    return ChannelRef(PLATFORM, str(chat.id), name, Kind.GROUP, community)


def player_ref(user: User, chat: Chat | None, *, moderator: bool = False) -> PlayerRef:
    name = user.full_name or user.username or str(user.id)
    channel = None if chat is None else channel_ref(chat)
    return PlayerRef(PLATFORM, str(user.id), name, channel, moderator)


class Moderators:
    """Chat administrators by getChatMember, remembered for `ttl` seconds per (chat, user)."""

    def __init__(self, ttl: float = 60.0, size: int = 10_000) -> None:
        self.ttl = ttl
        self.size = size
        self._seen: OrderedDict[tuple[int, int], tuple[float, bool]] = OrderedDict()

    async def check(self, bot: Bot, update: Update) -> bool:
        chat, user = update.effective_chat, update.effective_user
        if chat is None or user is None or is_private(chat):
            return False
        message = update.effective_message
        if message is not None and message.sender_chat is not None:
            return message.sender_chat.id == chat.id  # an anonymous administrator
        key = (chat.id, user.id)
        hit = self._seen.get(key)
        if hit is not None and hit[0] > time.monotonic():
            return hit[1]
        try:
            member = await bot.get_chat_member(chat.id, user.id)
        except TelegramError as exc:
            log.warning("getChatMember(%s, %s) failed: %s", chat.id, user.id, exc)
            return False
        answer = member.status in _MODERATOR_STATUSES
        self._seen[key] = (time.monotonic() + self.ttl, answer)
        self._seen.move_to_end(key)
        while len(self._seen) > self.size:
            self._seen.popitem(last=False)
        return answer
