"""ROVER: a word-level vote over typed answers of one item (text aggregation).

Model: Recognizer Output Voting Error Reduction, J. G. Fiscus, "A post-processing system to
yield reduced word error rates: Recognizer Output Voting Error Reduction (ROVER)", IEEE
Workshop on Automatic Speech Recognition and Understanding, 1997, pp. 347-354,
https://doi.org/10.1109/ASRU.1997.659110. crowd-kit's `crowdkit.aggregation.texts.ROVER` is
the reference implementation; `bench/rover_vs_crowdkit.py` measures the agreement and
tests/aggregation/test_rover.py pins crowd-kit's outputs on a fixture.

The rule:

1. Every answer is split into words at whitespace (`str.split()`); callers normalise first
   (NFKC, case, spacing), words are compared exactly. Answers with no words are ignored.
   Answers with the same words vote together (their weights summed), and the distinct answers
   are aligned in order of that summed weight, heaviest first (equal weights: first given).
   So an answer held by more than half of the weight is the network's skeleton and wins every
   position whatever the order of the answers (aligning in the given order, as crowd-kit does,
   can split its votes over repeated words: "a", "a a a", "a" gives "a a" there).
2. A word transition network (a list of positions, each a set of arcs word -> summed weight)
   starts as the heaviest answer, one word per position. Each further answer is aligned to it
   with minimum edit distance: a word matching any arc of a position costs 0, a substitution
   1, an inserted word 1, a skipped position 1, except 0 for a position that already has an
   empty arc. Equal-cost alignments prefer match/substitution, then skipping, then inserting.
   An inserted word opens a new position where every earlier answer holds the empty word; a
   skipped position gets the empty word from this answer. So every position's arcs sum to the
   total weight of the answers.
3. At each position the word (or the empty word) with the largest summed weight wins. Ties
   (within 1e-9) go to the longer word, then the larger string, as in crowd-kit: between
   "red" and the typo "ed" the full word wins, and any word beats the empty word. Empty
   winners are dropped; the rest, joined by single spaces, is the text.
4. `position_support` is the winning word's share of the total weight at each kept position;
   `support` is their minimum (1.0 for a single answer, 0.0 with no answers or no kept word).

Where crowd-kit differs by design: it counts every answer once (no weights), aligns in the
given order, charges 1 for skipping a position before the answer's first word even when it holds
an empty arc (we charge 0 as everywhere else) and keeps answers with no words as all-empty
votes (we ignore them). On 2,000 random noisy tasks the two give the same text on 97%; the
differences come from the skip cost and the alignment order (bench/rover_vs_crowdkit.py).

Weights must be finite and non-negative; all-zero weights count as equal weights (as Wawa falls
back to plain votes).
"""

from __future__ import annotations

import logging
import math
from collections.abc import Sequence
from dataclasses import dataclass
from enum import Enum

log = logging.getLogger(__name__)

TIE_TOLERANCE = 1e-9
EMPTY = ""

# One position of the network: word (EMPTY for the empty arc) -> summed weight.
# Dict order is the order arcs were first seen, which the tie rule uses.
Position = dict[str, float]


class _Step(Enum):
    MATCH = 0  # the word goes onto an existing position (match or substitution)
    SKIP = 1  # the answer has nothing at an existing position (empty arc)
    INSERT = 2  # the word opens a new position


@dataclass(frozen=True, slots=True)
class RoverResult:
    """The voted text of one item and how strongly each kept word was supported."""

    text: str
    position_support: tuple[float, ...]
    support: float


def rover(answers: Sequence[str], weights: Sequence[float] | None = None) -> RoverResult:
    """Combine typed `answers` (optionally weighted) word by word; see the module docstring."""
    voters = _voters(answers, weights)
    if not voters:
        return RoverResult(EMPTY, (), 0.0)
    first_words, first_weight = voters[0]
    network: list[Position] = [{word: first_weight} for word in first_words]
    total = first_weight
    for words, weight in voters[1:]:
        network = _align(network, words, weight, total)
        total += weight
    kept: list[tuple[str, float]] = []
    for position in network:
        word, weight = _winner(position)
        if word != EMPTY:
            kept.append((word, weight / total if total > 0 else 1.0))
    shares = tuple(share for _, share in kept)
    return RoverResult(" ".join(word for word, _ in kept), shares, min(shares, default=0.0))


def _voters(
    answers: Sequence[str], weights: Sequence[float] | None
) -> list[tuple[list[str], float]]:
    """(words, summed weight) per distinct answer with words, heaviest first.

    Bad weights raise ValueError."""
    if weights is None:
        weights = [1.0] * len(answers)
    if len(weights) != len(answers):
        raise ValueError(f"{len(answers)} answers but {len(weights)} weights")
    if any(not math.isfinite(w) or w < 0 for w in weights):
        raise ValueError("weights must be finite and non-negative")
    pairs = [(answer.split(), float(w)) for answer, w in zip(answers, weights, strict=True)]
    pairs = [(words, w) for words, w in pairs if words]
    if pairs and sum(w for _, w in pairs) <= 0:
        pairs = [(words, 1.0) for words, _ in pairs]
    grouped: dict[tuple[str, ...], float] = {}
    for words, w in pairs:
        grouped[tuple(words)] = grouped.get(tuple(words), 0.0) + w
    # sorted() is stable: equal weights keep the order the answers were given in.
    heaviest_first = sorted(grouped.items(), key=lambda item: -item[1])
    return [(list(words), w) for words, w in heaviest_first]


def _winner(position: Position) -> tuple[str, float]:
    """The arc with the largest weight; among arcs tied within `TIE_TOLERANCE`, the longer
    word, then the larger string (crowd-kit's rule: a dropped letter loses to the full word,
    and the empty word loses to any word)."""
    top = max(position.values())
    tied = [w for w, weight in position.items() if weight >= top - TIE_TOLERANCE]
    best = max(tied, key=lambda w: (len(w), w))
    return best, position[best]


def _align(
    network: list[Position], words: list[str], weight: float, total: float
) -> list[Position]:
    """Minimum-edit-distance alignment of `words` to `network`; returns the grown network.

    `total` is the summed weight of the answers already in the network (the empty arc of a
    newly inserted position)."""
    steps = _cheapest_steps(network, words)
    grown: list[Position] = []
    i, j = len(words), len(network)
    for step in steps:
        if step is _Step.INSERT:
            grown.append(_add({EMPTY: total}, words[i - 1], weight))
            i -= 1
        elif step is _Step.MATCH:
            grown.append(_add(dict(network[j - 1]), words[i - 1], weight))
            i, j = i - 1, j - 1
        else:
            grown.append(_add(dict(network[j - 1]), EMPTY, weight))
            j -= 1
    grown.reverse()
    return grown


def _add(position: Position, word: str, weight: float) -> Position:
    position[word] = position.get(word, 0.0) + weight
    return position


def _cheapest_steps(network: list[Position], words: list[str]) -> list[_Step]:
    """The steps of one cheapest alignment, last to first (dynamic programming)."""
    rows, cols = len(words) + 1, len(network) + 1
    skip_cost = [0 if EMPTY in position else 1 for position in network]
    cost = [[0] * cols for _ in range(rows)]
    back = [[_Step.MATCH] * cols for _ in range(rows)]
    for j in range(1, cols):
        cost[0][j], back[0][j] = cost[0][j - 1] + skip_cost[j - 1], _Step.SKIP
    for i in range(1, rows):
        cost[i][0], back[i][0] = cost[i - 1][0] + 1, _Step.INSERT
        for j in range(1, cols):
            options = (
                (cost[i - 1][j - 1] + (words[i - 1] not in network[j - 1]), _Step.MATCH),
                (cost[i][j - 1] + skip_cost[j - 1], _Step.SKIP),
                (cost[i - 1][j] + 1, _Step.INSERT),
            )
            cost[i][j], back[i][j] = min(options, key=lambda option: option[0])
    steps: list[_Step] = []
    i, j = rows - 1, cols - 1
    while i or j:
        step = back[i][j]
        steps.append(step)
        i -= step is not _Step.SKIP
        j -= step is not _Step.INSERT
    return steps
