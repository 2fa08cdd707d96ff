"""The engine's error hierarchy (defined in `bot.errors`, which games share too)."""

from bot.errors import (
    AlreadyAnswered,
    InvalidInput,
    LabelQuestError,
    NoTaskAvailable,
    NotConsented,
    NotFound,
    PermissionDenied,
    RateLimited,
    RoundClosed,
    UnknownPayload,
    WrongPlace,
)

__all__ = [
    "AlreadyAnswered",
    "InvalidInput",
    "LabelQuestError",
    "NoTaskAvailable",
    "NotConsented",
    "NotFound",
    "PermissionDenied",
    "RateLimited",
    "RoundClosed",
    "UnknownPayload",
    "WrongPlace",
]
