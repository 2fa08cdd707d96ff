"""The Telegram adapter's lifecycle: one PTB Application run by hand in the process's event
loop (never `run_polling`, which would take the loop over).

Start: initialize (getMe) -> our post-init work (setMyCommands) -> attach our port to the
delivery layer (round edits, posts, notices) -> start -> poll. Stop is the reverse: stop
polling, stop the application (it finishes the updates in hand, so every answer a player was
told about is committed), detach (pending round edits and posts are flushed), shut down.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from telegram import BotCommand, BotCommandScopeAllChatAdministrators, BotCommandScopeDefault
from telegram.error import TelegramError
from telegram.ext import (
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    MessageHandler,
    filters,
)

from bot.config import Settings, TelegramSettings
from bot.core.engine import Engine
from bot.core.kernel.codec import PATTERN
from bot.delivery import Delivery, Pacer
from bot.tg.buttons import Buttons
from bot.tg.errors import on_error
from bot.tg.features import features
from bot.tg.handlers import Commands
from bot.tg.ordering import PerUserOrder
from bot.tg.port import TelegramPort
from bot.tg.ratelimit import RetryingLimiter
from bot.tg.refs import PLATFORM, Moderators
from bot.tg.render import Renderer

log = logging.getLogger(__name__)

COMMANDS = [
    BotCommand("start", "Welcome, and what is stored about you"),
    BotCommand("play", "A solo session: one task after another"),
    BotCommand("profile", "Your points, rank and accuracy"),
    BotCommand("top", "Leaderboards: group, global or campaign; all, week, today"),
    BotCommand("mydata", "Everything stored about you"),
    BotCommand("privacy", "Hide from leaderboards, streak reminders"),
    BotCommand("forget", "Delete everything stored about you"),
    BotCommand("help", "Commands, and how points work"),
]
MODERATOR_COMMANDS = [*COMMANDS, BotCommand("round", "Post a round in this group")]
SHUTDOWN_FLUSH_SECONDS = 5.0


def build_application(token: str, cfg: TelegramSettings, limiter: RetryingLimiter) -> Application:  # type: ignore[type-arg]
    builder = (
        ApplicationBuilder()
        .token(token)
        .rate_limiter(limiter)
        .concurrent_updates(PerUserOrder())
        .job_queue(None)  # the app's own scheduler does timed work
    )
    if cfg.base_url:
        builder = builder.base_url(cfg.base_url)
    if cfg.base_file_url:
        builder = builder.base_file_url(cfg.base_file_url)
    return builder.build()


def register(application: Application, commands: Commands, buttons: Buttons) -> None:  # type: ignore[type-arg]
    """Wire handlers: commands (new messages only), our buttons, then a catch-all."""
    new = filters.UpdateType.MESSAGE
    names = ["start", "play", "round", "profile", "top", "forget", "mydata", "privacy", "help"]
    for name in names:
        application.add_handler(CommandHandler(name, getattr(commands, name), filters=new))
    application.add_handler(CallbackQueryHandler(buttons.press, pattern=PATTERN))
    application.add_handler(CallbackQueryHandler(buttons.stale))
    unknown = filters.COMMAND & filters.ChatType.PRIVATE & new
    application.add_handler(MessageHandler(unknown, commands.unknown))
    application.add_error_handler(on_error)


class TelegramAdapter:
    """`platform = "telegram"`; `start()` / `stop()` as `bot.app.App` expects."""

    platform = "telegram"

    def __init__(self, engine: Engine, settings: Settings, token: str, delivery: Delivery) -> None:
        self.engine = engine
        self.cfg = settings.telegram
        self.delivery = delivery
        # one pacer for every group edit: the round editor's and the rate limiter's
        self.pacer = Pacer(self.cfg.edit_interval)
        self.limiter = RetryingLimiter(self.pacer)
        self.application = build_application(token, self.cfg, self.limiter)
        bot = self.application.bot
        self.renderer = Renderer(delivery.binder(PLATFORM))
        self.moderators = Moderators()
        self.port = TelegramPort(bot, self.renderer)
        self.commands = Commands(engine, self.renderer, self.moderators)
        self.buttons = Buttons(engine, self.renderer, self.moderators)
        for feature in features():
            feature.register(self.application, self)
        register(self.application, self.commands, self.buttons)

    async def start(self) -> None:
        # httpx logs every request URL at INFO, and Telegram URLs contain the bot token.
        logging.getLogger("httpx").setLevel(logging.WARNING)
        app = self.application
        await app.initialize()
        try:
            extra = [c for f in features() for c in f.COMMANDS]
            extra_mod = [c for f in features() for c in f.MODERATOR_COMMANDS]
            await app.bot.set_my_commands([*COMMANDS, *extra], scope=BotCommandScopeDefault())
            await app.bot.set_my_commands(
                [*MODERATOR_COMMANDS, *extra, *extra_mod],
                scope=BotCommandScopeAllChatAdministrators(),
            )
            # Telegram's flood limit holds to the end: queued edits stay paced at shutdown
            self.delivery.attach(self.port, self.pacer, hurry_at_close=False)
            await app.start()
            assert app.updater is not None
            await app.updater.start_polling(
                timeout=timedelta(seconds=max(1, round(self.cfg.poll_timeout))),
                allowed_updates=["message", "callback_query"],
                error_callback=_polling_error,
            )
        except BaseException:
            await self.stop()
            raise
        log.info("Telegram bot @%s is polling", app.bot.username)

    async def stop(self) -> None:
        app = self.application
        if app.updater is not None and app.updater.running:
            await app.updater.stop()
        if app.running:
            await app.stop()
        await self.delivery.detach(PLATFORM, SHUTDOWN_FLUSH_SECONDS)
        await app.shutdown()


def _polling_error(exc: TelegramError) -> None:
    """getUpdates failed (PTB retries with backoff): transient, so a warning."""
    log.warning("polling Telegram failed: %s; retrying", exc)
