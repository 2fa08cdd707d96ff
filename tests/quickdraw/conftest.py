"""The quick-draw end-to-end tests play with the Telegram fake in privacy mode (as bots ship)."""

from __future__ import annotations

import pytest

from tests.support.fakes.telegram import FakeTelegram


@pytest.fixture
def telegram_fake(privacy_telegram_fake: FakeTelegram) -> FakeTelegram:
    return privacy_telegram_fake
