"""Players: consent, help, profile data ("my data"), privacy and forget-me.

Public names: `Players` (the use cases) and `texts` (consent and help words)."""

from bot.core.players import texts
from bot.core.players.cases import Players

__all__ = ["Players", "texts"]
