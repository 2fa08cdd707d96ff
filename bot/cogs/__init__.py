"""The Discord adapter (discord.py): decode an interaction into a PlayerRef, call one engine
use case, render its Reply. `app.DiscordAdapter` is what `bot.app.App` starts."""
