"""A bounded least-recently-used map for the engine's caches of what never changes."""

from __future__ import annotations

from collections import OrderedDict
from typing import Any


class Lru(OrderedDict[Any, Any]):
    """`put` keeps at most `size` entries, dropping the least recently put."""

    def __init__(self, size: int) -> None:
        super().__init__()
        self.size = size

    def put(self, key: Any, value: Any) -> None:
        self[key] = value
        self.move_to_end(key)
        while len(self) > self.size:
            self.popitem(last=False)
