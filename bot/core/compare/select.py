"""Which pairs of base items to compare next: the informative ones (docs/compare.md).

Rules (pure; ids are base item ids, scores the campaign's current Bradley-Terry scores):

1. only base items with fewer than `target` pairs start a new pair, the fewest first (then the
   lowest id), so every item gets its comparisons before any gets more;
2. its partner is one it was never paired with, preferring partners that still need pairs
   themselves, then the **closest current score** (a comparison of near-equals says the most
   about their order), then the fewest pairs, then the lowest id;
3. a pair is unordered: its key is (low id, high id), and a key already made is never made
   again (the store enforces it too), so nobody ever judges A-B and then B-A;
4. at most `limit` new pairs per call.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence


def pair_key(a: int, b: int) -> tuple[int, int]:
    """The canonical key of an unordered pair."""
    if a == b:
        raise ValueError("an item is never compared with itself")
    return (a, b) if a < b else (b, a)


def next_pairs(
    base: Sequence[int],
    existing: Iterable[tuple[int, int]],
    scores: Mapping[int, float],
    target: int,
    limit: int,
) -> list[tuple[int, int]]:
    """Up to `limit` new pair keys by the module's rules."""
    made = {pair_key(a, b) for a, b in existing}
    count = dict.fromkeys(base, 0)
    for a, b in made:
        for side in (a, b):
            if side in count:
                count[side] += 1
    out: list[tuple[int, int]] = []
    while len(out) < limit:
        needy = sorted((i for i in base if count[i] < target), key=lambda i: (count[i], i))
        chosen = None
        for first in needy:
            partners = [j for j in base if j != first and pair_key(first, j) not in made]
            if partners:
                s = scores.get(first, 0.0)
                best = min(
                    partners,
                    key=lambda j: (
                        count[j] >= target,
                        abs(scores.get(j, 0.0) - s),
                        count[j],
                        j,
                    ),
                )
                chosen = pair_key(first, best)
                break
        if chosen is None:
            break
        made.add(chosen)
        out.append(chosen)
        count[chosen[0]] += 1
        count[chosen[1]] += 1
    return out
