"""The multilabel card's state and widgets: a selection is a bitmask carried in the payloads.

Bit i (i < n) is attribute i of the campaign's n attributes, bit n is "None of these";
payload `v1:l:<round>:<mask>:<index>` toggles option `index` of the selection `mask`, and
index n + 1 is Done (submit `mask`). "None of these" clears the attributes and an attribute
clears "None of these", so a mask with both is never shown: one arriving is forged or stale
and is refused, as is a bit or an index beyond the card's options. Nothing is kept in
memory: the keyboard survives restarts.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from bot.core.kernel.codec import encode
from bot.core.kernel.errors import UnknownPayload
from bot.core.kernel.models import Choice, Select, Style, rows
from bot.core.multilabel import texts
from bot.games.base import Option
from bot.games.multilabel import NONE, attributes_of, canonical

ACTION = "l"
FEATURE = "ml"


def done_index(n_options: int) -> int:
    """The Done button's index, for a card with `n_options` options (attributes + none)."""
    return n_options


def check_mask(mask: int, index: int, n_options: int) -> None:
    """Refuse (`UnknownPayload`) a mask or index that no card of these options can send."""
    none_bit = 1 << (n_options - 1)
    if mask >= 1 << n_options or index > done_index(n_options):
        raise UnknownPayload(texts.STALE_SELECTION)
    if mask & none_bit and mask & (none_bit - 1):
        raise UnknownPayload(texts.STALE_SELECTION)


def toggle(mask: int, index: int, n_options: int) -> int:
    """The selection after pressing option `index` (see the module docstring)."""
    none_bit = 1 << (n_options - 1)
    flipped = mask ^ (1 << index)
    if index == n_options - 1:
        return flipped & none_bit
    return flipped & ~none_bit


def value_of(mask: int, options: Sequence[Option]) -> str:
    """The stored label a selection stands for (`a|b`, or `none`)."""
    keys = [o.key for i, o in enumerate(options) if mask >> i & 1]
    if keys == [NONE]:
        return NONE
    attrs = [o.key for o in options if o.key != NONE]
    return canonical(attrs, frozenset(keys))


def select(round_id: int, options: Sequence[Option], mask: int = 0) -> Select:
    """The card's multi-select: a Discord menu and the Telegram toggles with Done."""
    menu = tuple(Choice(o.text, encode(ACTION, round_id, 0, i)) for i, o in enumerate(options))
    marks = [
        Choice(
            (texts.CHECKED if mask >> i & 1 else texts.UNCHECKED).format(text=o.text),
            encode(ACTION, round_id, mask, i),
            Style.PRIMARY if mask >> i & 1 else Style.SECONDARY,
        )
        for i, o in enumerate(options)
    ]
    done = Choice(
        texts.DONE, encode(ACTION, round_id, mask, done_index(len(options))), Style.SUCCESS
    )
    return Select(
        FEATURE,
        menu,
        (*rows(*marks, per_row=2), (done,)),
        min_values=1,
        max_values=len(options),
        placeholder=texts.PLACEHOLDER,
    )


def picks_lines(options: Sequence[Option], labels: Sequence[str]) -> list[str]:
    """Per option, how many answers picked it (the closed round card)."""
    counts: Counter[str] = Counter()
    for label in labels:
        counts.update(attributes_of(label) or {NONE})
    return [texts.PICKS_HEADER] + [
        texts.PICKED_LINE.format(text=o.text, count=counts.get(o.key, 0)) for o in options
    ]
