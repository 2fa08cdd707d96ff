"""Loopback fake of the Telegram Bot API for end-to-end tests with python-telegram-bot.

`server` holds the state and routes requests (the rules the fake copies from Telegram are
listed there), `methods` implements the Bot API methods, `webhook` setWebhook and the
delivery of updates by POST (round-robin over `route_webhook` backends), `fake` is the test side
(`FakeTelegram`), `media` people sending photos and files (`send_photo`, `send_document`),
`client` runs PTB against it, `payloads` builds and checks the JSON.
"""

from __future__ import annotations

from tests.support.fakes.telegram.client import application_builder, running, telegram_fake
from tests.support.fakes.telegram.fake import FakeTelegram
from tests.support.fakes.telegram.payloads import (
    Call,
    CallbackAnswer,
    FakeMessage,
    JSONDict,
    UploadedFile,
    plain_text,
    text_entities,
)
from tests.support.fakes.telegram.webhook import SECRET_HEADER, Webhook, WebhookPost

__all__ = [
    "SECRET_HEADER",
    "Call",
    "CallbackAnswer",
    "FakeMessage",
    "FakeTelegram",
    "JSONDict",
    "UploadedFile",
    "Webhook",
    "WebhookPost",
    "application_builder",
    "plain_text",
    "running",
    "telegram_fake",
    "text_entities",
]
