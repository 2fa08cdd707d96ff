"""`/languages`: the languages a player speaks, stored only for consented players.

`/languages de en` replaces them, `/languages` shows them, `/languages none` clears them.
Every code must be known (`bot.games.languages`); an unknown one is refused by name and
nothing changes. The rows go with the player on /forget (ON DELETE CASCADE) and are listed
in /mydata."""

from __future__ import annotations

from bot.core.kernel.context import Kernel
from bot.core.kernel.errors import InvalidInput
from bot.core.kernel.models import PlayerRef, Reply
from bot.core.translate import texts
from bot.games.languages import name_of, parse_code

MAX_LANGUAGES = 10
CLEAR_WORDS = frozenset({"none", "clear", "-"})


def describe(codes: list[str]) -> str:
    """`["de", "en"]` -> "German (de), English (en)"."""
    return ", ".join(f"{name_of(c)} ({c})" for c in codes)


class Languages:
    """Show, set and clear a player's languages."""

    def __init__(self, k: Kernel) -> None:
        self.k = k

    async def command(self, ref: PlayerRef, args: str) -> Reply:
        """The `/languages` command with its words (codes, `none`, or nothing)."""
        pid = await self.k.require_player(ref)  # consent first: nothing stored before it
        words = args.replace(",", " ").split()
        if not words:
            codes = await self.k.store.player_languages(pid)
            if not codes:
                return Reply(texts.LANGUAGES_NONE, ephemeral=True)
            return Reply(texts.LANGUAGES_SHOWN.format(languages=describe(codes)), ephemeral=True)
        if len(words) == 1 and words[0].lower() in CLEAR_WORDS:
            await self.k.store.set_player_languages(pid, [])
            return Reply(texts.LANGUAGES_CLEARED, ephemeral=True)
        if len(words) > MAX_LANGUAGES:
            raise InvalidInput(texts.TOO_MANY_LANGUAGES, limit=MAX_LANGUAGES, count=len(words))
        parsed = [(w, parse_code(w)) for w in words]
        unknown = [w for w, code in parsed if code is None]
        if unknown:
            raise InvalidInput(texts.UNKNOWN_LANGUAGE, codes=", ".join(repr(w) for w in unknown))
        codes = sorted({code for _, code in parsed if code is not None})
        await self.k.store.set_player_languages(pid, codes)
        return Reply(texts.LANGUAGES_SET.format(languages=describe(codes)), ephemeral=True)

    async def speaks(self, pid: int, code: str) -> bool:
        return code in await self.k.store.player_languages(pid)
