"""Games: pure rules behind one `Game` protocol and a registry (`bot.games.registry`)."""
