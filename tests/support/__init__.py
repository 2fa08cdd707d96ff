"""Helpers and fakes shared by the whole suite (tests are organised by feature; this package
is the one place for what they share).

- `settings`: REPO, SHARED, `settings_for` (shipped defaults plus overrides), `db_path`.
- `stores`: the store fixtures (every store test on SQLite and PostgreSQL), clock, engine.
- `seeds`: a seeded image/text campaign; `uploads`: datasets as a moderator uploads them;
  `doodles`: quick-draw campaigns from generated drawings and people in a Telegram group;
  `toy`: toy crowds with known answers for the aggregators.
- `engine`: players, places and steps for engine-level tests (refs, consent, buttons, a
  round answered by a small crowd).
- `images`: small PNGs, and helpers that open produced images and look at the pixels.
- `fakes.discord`, `fakes.telegram`: loopback fakes of the platforms' APIs.
- `discord_world`, `telegram_world`: the real App against a fake, and people acting in chats.
- `worlds`: the end-to-end fixtures (`world`, `dc`, `tg`, `fake`, `telegram_fake`, `app`).

Fixtures are registered once, by `pytest_plugins` in tests/conftest.py.
"""

from __future__ import annotations

from tests.support.settings import settings_for  # bench/ingest.py and bench/quickdraw.py use it

__all__ = ["settings_for"]
