"""The Telegram adapter's lifecycle: one PTB Application run by hand in the process's event
loop (never `run_polling` or `run_webhook`, which would take the loop over).

Start: initialize (getMe) -> our post-init work (setMyCommands) -> attach our port to the
delivery layer (round edits, posts, notices) -> start -> receive updates: poll (`[telegram]
mode = "polling"`, one process; PTB's polling bootstrap deletes any webhook first) or serve
the webhook (`mode = "webhook"`, `bot/tg/webhook.py`; getUpdates is never called). Stop is the
reverse: stop receiving, stop the application (it finishes the updates in hand, so every
answer a player was told about is committed), detach (pending round edits and posts are
flushed), shut down.

In webhook mode the adapter never calls setWebhook on its own: the one process that leads the
scheduler calls `ensure_webhook`, which sets it only when what it would set changed.
"""

from __future__ import annotations

import logging
import os
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
from bot.tg.webhook import ALLOWED_UPDATES, WebhookServer, fingerprint, served_path, webhook_secret

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
    if cfg.mode == "webhook":
        builder = builder.updater(None)  # updates come by webhook: never getUpdates
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
    """`platform = "telegram"`; `start()` / `stop()` as `bot.app.App` expects.

    In webhook mode the secret token is `webhook_secret`, else the environment variable named
    by `[telegram] webhook_secret_env`; a missing or malformed one is a `ConfigError`."""

    platform = "telegram"

    def __init__(
        self,
        engine: Engine,
        settings: Settings,
        token: str,
        delivery: Delivery,
        *,
        webhook_secret: str | None = None,
    ) -> None:
        self.engine = engine
        self.cfg = settings.telegram
        self.web_settings = settings.web  # /dashboard builds links on [web] public_url
        self.delivery = delivery
        self._secret: str | None = None
        if self.cfg.mode == "webhook":
            self._secret = _secret_of(self.cfg, webhook_secret)
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
        self.webhook: WebhookServer | None = None
        if self._secret is not None:
            self.webhook = WebhookServer(
                self.application,
                self._secret,
                listen=self.cfg.webhook_listen,
                port=self.cfg.webhook_port,
                path=served_path(self.cfg),
            )

    @property
    def webhook_port(self) -> int | None:
        """The port the webhook server listens on once started (`webhook_port = 0` picks
        one); None in polling mode or before start."""
        return self.webhook.bound_port if self.webhook is not None else None

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
            if self.webhook is not None:
                await self.webhook.start()
            else:
                await self._start_polling()
        except BaseException:
            await self.stop()
            raise
        how = "by webhook" if self.webhook is not None else "by polling"
        log.info("Telegram bot @%s receives updates %s", app.bot.username, how)

    async def _start_polling(self) -> None:
        """Poll getUpdates. PTB's bootstrap deletes a webhook first (Telegram refuses
        getUpdates while one is set); that silences any process in webhook mode, so say so."""
        app = self.application
        try:
            info = await app.bot.get_webhook_info()
        except TelegramError as exc:
            log.warning("could not read Telegram's webhook info: %s", exc)
        else:
            if info.url:
                log.warning(
                    "a Telegram webhook is set (%s): polling deletes it, and processes in"
                    " webhook mode stop receiving updates; use one [telegram] mode for all",
                    info.url,
                )
        assert app.updater is not None
        await app.updater.start_polling(
            timeout=timedelta(seconds=max(1, round(self.cfg.poll_timeout))),
            allowed_updates=ALLOWED_UPDATES,
            error_callback=_polling_error,
        )

    async def ensure_webhook(self, recorded: str | None) -> str | None:
        """Make Telegram call `[telegram] webhook_url`; call from ONE process (the leader).

        `recorded` is the fingerprint the caller stored when it last set the webhook. When
        getWebhookInfo shows our URL and `recorded` matches what would be set now (URL,
        secret, update kinds, max connections), nothing is called and None is returned;
        otherwise setWebhook is called and the new fingerprint returned, for the caller to
        store. Pending updates are kept."""
        if self._secret is None:
            raise RuntimeError('ensure_webhook needs [telegram] mode = "webhook"')
        cfg = self.cfg
        wanted = fingerprint(
            cfg.webhook_url, self._secret, ALLOWED_UPDATES, cfg.webhook_max_connections
        )
        bot = self.application.bot
        info = await bot.get_webhook_info()
        if info.url == cfg.webhook_url and recorded == wanted:
            return None
        await bot.set_webhook(
            cfg.webhook_url,
            secret_token=self._secret,
            allowed_updates=ALLOWED_UPDATES,
            max_connections=cfg.webhook_max_connections,
        )
        log.info("Telegram webhook set to %s", cfg.webhook_url)
        return wanted

    async def stop(self) -> None:
        app = self.application
        if self.webhook is not None:
            await self.webhook.stop()  # no new updates; the accepted ones are queued
        if app.updater is not None and app.updater.running:
            await app.updater.stop()
        if app.running:
            await app.stop()
        await self.delivery.detach(PLATFORM, SHUTDOWN_FLUSH_SECONDS)
        await app.shutdown()


def _secret_of(cfg: TelegramSettings, given: str | None) -> str:
    """The webhook secret: `given` (the App read it), else the process environment."""
    return webhook_secret(cfg, given, dict(os.environ))


def _polling_error(exc: TelegramError) -> None:
    """getUpdates failed (PTB retries with backoff): transient, so a warning."""
    log.warning("polling Telegram failed: %s; retrying", exc)
