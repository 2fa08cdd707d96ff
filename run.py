#!/usr/bin/env python3
"""LabelQuest entry point: `python run.py --help` lists every command."""

from __future__ import annotations

import sys

from bot.cli.main import main

if __name__ == "__main__":
    sys.exit(main())
