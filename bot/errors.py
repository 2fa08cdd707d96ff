"""One error hierarchy, shared by the engine (re-exported as `bot.core.kernel.errors`) and the
games. Every domain error carries a message a player can read; adapters
show it (ephemeral where possible) and never a traceback."""

from __future__ import annotations


class LabelQuestError(Exception):
    """Root of all domain errors. `key` names the kind for adapters and tests.

    `text` is a template from a texts module (`bot.core.kernel.texts` or a feature's
    `texts`); `params` fill its `{fields}` once, here. Both are kept, so a later translation
    can render the same message in another language."""

    key = "error"

    def __init__(self, text: str, /, **params: object) -> None:
        message = text.format(**params) if params else text
        super().__init__(message)
        self.message = message
        self.text = text
        self.params = params


class NotConsented(LabelQuestError):
    """The player has not accepted the consent text (or a newer version of it)."""

    key = "not_consented"


class UnknownPayload(LabelQuestError):
    """A button payload we cannot decode, or one that points at nothing we know."""

    key = "unknown_payload"


class RoundClosed(LabelQuestError):
    """An answer arrived after its round closed."""

    key = "round_closed"


class AlreadyAnswered(LabelQuestError):
    key = "already_answered"


class NoTaskAvailable(LabelQuestError):
    key = "no_task"


class PermissionDenied(LabelQuestError):
    key = "permission_denied"


class NotFound(LabelQuestError):
    key = "not_found"


class InvalidInput(LabelQuestError):
    key = "invalid_input"


class RateLimited(LabelQuestError):
    key = "rate_limited"


class WrongPlace(LabelQuestError):
    """A command used where it cannot work (e.g. /round in a private chat)."""

    key = "wrong_place"
