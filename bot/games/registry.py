"""The game registry: name -> game. A new game registers here and must pass the contract
suite in tests/games (every registered game runs through it)."""

from __future__ import annotations

from bot.errors import InvalidInput
from bot.games.base import Game
from bot.games.capture import CaptureGame
from bot.games.classify import ClassifyGame
from bot.games.compare import CompareGame
from bot.games.locate import LocateGame
from bot.games.multilabel import MultilabelGame
from bot.games.quickdraw import QuickdrawGame
from bot.games.rate import RateGame
from bot.games.transcribe import TranscribeGame
from bot.games.translate import TranslateGame
from bot.games.verify import VerifyGame

GAMES: dict[str, Game] = {}


def register(game: Game) -> None:
    if game.name in GAMES:
        raise ValueError(f"game {game.name!r} registered twice")
    GAMES[game.name] = game


def get_game(name: str) -> Game:
    try:
        return GAMES[name]
    except KeyError:
        known = ", ".join(sorted(GAMES))
        raise InvalidInput(f"unknown game {name!r} (known: {known})") from None


register(VerifyGame())
register(ClassifyGame())
register(QuickdrawGame())
register(TranscribeGame())
register(TranslateGame())
register(CaptureGame())
register(RateGame())
register(LocateGame())
register(MultilabelGame())
register(CompareGame())
