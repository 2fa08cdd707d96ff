"""Fixtures of the campaign tests: the Telegram (`tg`) and Discord (`dc`) worlds over their
fakes, from tests/feature_fixtures.py."""

from __future__ import annotations

from tests.feature_fixtures import dc, telegram_fake, tg

__all__ = ["dc", "telegram_fake", "tg"]
