"""`/campaign ...` typed as text (Telegram, where commands carry no typed options).

Shape: `/campaign <action> [name words] [key=value ...]`; a value with spaces is quoted
("..." or '...'; the curly quotes phones type are accepted). Keys are case-insensitive and
have short aliases (`gold` for `gold_rate`, `max` for `max_per_day`...). An unknown key or a
value of the wrong type is an `InvalidInput` naming the key.
"""

from __future__ import annotations

import shlex
from dataclasses import dataclass, field

from bot.core.campaigns import texts
from bot.core.kernel.errors import InvalidInput
from bot.games.registry import GAMES

ACTIONS = (
    "create",
    "start",
    "pause",
    "resume",
    "stop",
    "archive",
    "status",
    "list",
    "schedule",
    "unschedule",
    "timezone",
    "help",
    "drawings",
)
ALIASES = {
    "gold": "gold_rate",
    "rate": "gold_rate",
    "multiplier": "reward",
    "reward_multiplier": "reward",
    "max": "max_per_day",
    "per_day": "max_per_day",
    "quiet": "quiet_days",
    "days": "quiet_days",
    "min": "min_overlap",
    "interval": "every",
    "tz": "timezone",
    "option": "options",
    "q": "question",
    "data": "dataset",
}
KEYS = {
    "create": {
        "game",
        "question",
        "options",
        "overlap",
        "min_overlap",
        "max_overlap",
        "gold_rate",
        "reward",
        "dataset",
        "everyone",
        "start",
        "skip_bad",
        "confidence",
    },
    "schedule": {"every", "hours", "max_per_day", "quiet_days"},
    "drawings": {"allow"},
}
_QUOTES = str.maketrans({"“": '"', "”": '"', "„": '"', "‘": "'", "’": "'"})
TRUE = {"1", "yes", "true", "on", "y"}
FALSE = {"0", "no", "false", "off", "n"}


@dataclass(frozen=True, slots=True)
class Command:
    action: str
    name: str
    options: dict[str, str] = field(default_factory=dict)

    def text(self, key: str) -> str | None:
        return self.options.get(key)

    def integer(self, key: str) -> int | None:
        value = self.options.get(key)
        if value is None:
            return None
        try:
            return int(value)
        except ValueError:
            raise InvalidInput(texts.EXPECTED_WHOLE_NUMBER, key=key, value=value) from None

    def number(self, key: str) -> float | None:
        value = self.options.get(key)
        if value is None:
            return None
        try:
            return float(value.rstrip("%")) / (100 if value.endswith("%") else 1)
        except ValueError:
            raise InvalidInput(texts.EXPECTED_NUMBER, key=key, value=value) from None

    def flag(self, key: str) -> bool:
        value = self.options.get(key)
        if value is None:
            return False
        if value.lower() in TRUE:
            return True
        if value.lower() in FALSE:
            return False
        raise InvalidInput(texts.EXPECTED_YES_NO, key=key, value=value)

    def overlap(self) -> tuple[int | None, int | None]:
        """`overlap=3-5` or `overlap=3`, else `min_overlap` / `max_overlap`."""
        value = self.options.get("overlap")
        if value is None:
            return self.integer("min_overlap"), self.integer("max_overlap")
        lo, _, hi = value.partition("-")
        try:
            return int(lo), int(hi or lo)
        except ValueError:
            raise InvalidInput(texts.EXPECTED_OVERLAP, value=value) from None

    def game_settings(self) -> dict[str, str]:
        """The game's own settings (`case=keep`, `target=de`...), by key."""
        return {k[4:]: v for k, v in self.options.items() if k.startswith("set.")}

    def labels(self) -> list[str] | None:
        value = self.options.get("options")
        return None if value is None else [o.strip() for o in value.split(",") if o.strip()]


def game_setting_keys() -> set[str]:
    """Every registered game's setting keys (`bot.games.base.Game.settings_keys`)."""
    return {key for game in GAMES.values() for key in game.settings_keys}


def parse_settings(text: str | None) -> dict[str, str]:
    """`key=value key="a b"` words (Discord's `settings` option, the CLI's `--set`) as a
    dict; a word without `=` is an `InvalidInput` naming it."""
    if not text:
        return {}
    try:
        words = shlex.split(text.translate(_QUOTES))
    except ValueError as exc:
        raise InvalidInput(texts.UNREADABLE_COMMAND, exc=exc) from None
    out: dict[str, str] = {}
    for word in words:
        key, eq, value = word.partition("=")
        if not eq or not key:
            raise InvalidInput(texts.SETTING_NOT_KEY_VALUE, word=word)
        out[key.strip().lower()] = value
    return out


def parse(text: str) -> Command:
    """Parse the words after `/campaign` (see the module rules)."""
    try:
        words = shlex.split(text.translate(_QUOTES))
    except ValueError as exc:
        raise InvalidInput(texts.UNREADABLE_COMMAND, exc=exc) from None
    if not words:
        return Command("help", "")
    action = words[0].lower()
    if action not in ACTIONS:
        raise InvalidInput(
            texts.UNKNOWN_COMMAND_ACTION, action=words[0], actions=", ".join(ACTIONS)
        )
    name_words: list[str] = []
    options: dict[str, str] = {}
    allowed = KEYS.get(action, set())
    for word in words[1:]:
        key, eq, value = word.partition("=")
        if not eq or not key:
            name_words.append(word)
            continue
        key = ALIASES.get(key.lower(), key.lower())
        if action == "create" and key in game_setting_keys():
            options[f"set.{key}"] = value
            continue
        if key not in allowed:
            known = ", ".join(sorted(allowed)) or "none"
            raise InvalidInput(texts.UNKNOWN_OPTION, action=action, key=key, known=known)
        options[key] = value
    return Command(action, " ".join(name_words), options)


USAGE = """🛠 /campaign — for moderators
/campaign create NAME game=verify|classify|quickdraw [question="..."] [options=a,b,c]
   [overlap=3-5] [gold=0.1] [reward=1.5] [dataset=NAME] [start=yes] [KEY=VALUE: the game's
   own settings, /campaign help lists them]
   — send it as the caption of a .zip of images with labels.csv (or a .csv of texts, or a
     Quick, Draw! .ndjson), or as a reply to such a file
/campaign start|pause|resume|stop|archive NAME
/campaign status NAME · /campaign list
/campaign schedule NAME [every=60] [hours=09:00-21:00] [max=8] [quiet=sat,sun]
   — rounds in this group; /campaign unschedule NAME stops them
/campaign timezone Europe/Berlin — this community's time zone
/campaign drawings NAME allow=yes|no — players may draw doodles for a quickdraw campaign
Admins: /export NAME [csv|jsonl] [answers] · /audit [N] [campaign]"""


def usage() -> str:
    """`USAGE` with every game's own settings (`Game.settings_keys`)."""
    lines = [
        f"   {game.name}: {key}= {meaning}"
        for game in GAMES.values()
        for key, meaning in game.settings_keys.items()
    ]
    return USAGE if not lines else "\n".join([USAGE, "Game settings (create):", *lines])
