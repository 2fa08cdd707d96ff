"""Subcommands of this feature (see bot/cli/main.py `FEATURES`)."""

from __future__ import annotations

import argparse
from typing import Any

from bot.config import Settings


def add_parsers(sub: Any, common: argparse.ArgumentParser, campaign: Any) -> None:
    """Add this feature's subcommands to `sub` and `run.py campaign` actions to `campaign`.
    Give every new parser `parents=[common]` (so --config/--db work after the command)."""


async def dispatch(args: argparse.Namespace, settings: Settings) -> int | None:
    """Run the command if it is one of this feature's; None otherwise."""
    return None
