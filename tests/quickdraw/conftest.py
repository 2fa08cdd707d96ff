"""Fixtures of the quick-draw end-to-end tests: the Telegram fake with privacy mode ON (as
bots ship) and the Discord fake, each with its test world (tests/feature_fixtures.py)."""

from __future__ import annotations

from tests.feature_fixtures import dc, tg
from tests.feature_fixtures import privacy_telegram_fake as telegram_fake

__all__ = ["dc", "telegram_fake", "tg"]
