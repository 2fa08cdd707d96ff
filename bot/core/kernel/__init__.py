"""The kernel: what every feature shares and nothing feature-specific.

Modules: `models` (PlayerRef, ChannelRef, Reply, Choice, Media), `errors` (the one error
hierarchy), `events` (the event bus and its events), `codec` (button payloads), `clock`,
`texts` (shared words), `settings` (the engine's plain settings), `extensions` (the extension
points features register on), `lru`, and `context` (`Kernel`: store, settings, clock, bus,
registered extensions, caches and the lookups behind them). The kernel imports no feature.
"""
