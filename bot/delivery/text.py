"""Text fitted to a platform's limits (each adapter's port names its own limits)."""

from __future__ import annotations

ELLIPSIS = "…"


def clip(text: str, limit: int) -> str:
    """`text` if it fits in `limit` characters, else its first `limit - 1` and an ellipsis."""
    return text if len(text) <= limit else text[: limit - 1] + ELLIPSIS
