"""The Telegram adapter (python-telegram-bot 22): decode updates into engine calls, render
the engine's replies as Telegram messages, toasts and edits.

`PTB_TIMEDELTA=1` makes PTB hand out `RetryAfter.retry_after` as a `timedelta` instead of
warning (a PTBDeprecationWarning) every time Telegram answers 429; it is read at run time,
so setting it here, before anything in this package talks to Telegram, is enough.
"""

from __future__ import annotations

import os

os.environ.setdefault("PTB_TIMEDELTA", "1")
