"""End-to-end worlds for the review tests: `tg` (Telegram fake) and `dc` (Discord fake), each
running the real App over a fresh SQLite file (tests/feature_fixtures.py)."""

from __future__ import annotations

from tests.feature_fixtures import dc, telegram_fake, tg

__all__ = ["dc", "telegram_fake", "tg"]
