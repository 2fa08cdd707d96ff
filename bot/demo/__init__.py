"""Demo content generated in code (no downloads): procedural Quick, Draw!-style doodles."""

from __future__ import annotations

from bot.demo.doodles import DEMO_CATEGORIES, demo_drawing, demo_drawings

__all__ = ["DEMO_CATEGORIES", "demo_drawing", "demo_drawings"]
