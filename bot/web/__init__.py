"""The web adapter: an aiohttp server over the same engine as the chat bots (docs/web.md).

`bot.web.app.WebAdapter` serves it; each slice adds its routes to the application with an
`add_routes(app)` function (`bot.web.ops` for `/healthz` and `/metrics`). Like every adapter
it never imports storage: it calls the engine.
"""
