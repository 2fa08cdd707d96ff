"""Where the repository is, and settings for a test store."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

from bot.config import Settings, load_settings

REPO = Path(__file__).resolve().parents[2]
SHARED = REPO.parent / "shared"


def settings_for(db_url: str, **sections: dict[str, Any]) -> Settings:
    """Shipped defaults with `db_url` as the store and per-section overrides, e.g.
    `settings_for(url, telegram={"base_url": ...}, game={"round_seconds": 30})`."""
    s = load_settings(environ={}).with_database_url(db_url)
    for name, values in sections.items():
        s = dataclasses.replace(s, **{name: dataclasses.replace(getattr(s, name), **values)})
    return s


def db_path(tmp: Path) -> str:
    return str(tmp / "labelquest.db")
