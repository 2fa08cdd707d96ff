"""Locate benchmark: how well the box aggregation finds the true boxes, against baselines.

Scenes of 0-3 balls with known boxes (`bot.demo.locate_sim.scene`); each scene is boxed by
`--overlap` players drawn from the demo's simulated community (`bot.demo.simulate`: careful,
average and careless players, spammers), each drawing as `bot.demo.locate_sim.drawn_boxes`
says. Methods, scored by the share of the true boxes found at IoU >= 0.5 (one-to-one) and
the false boxes per scene:

- `clustered-weighted`: `LocateGame.judge` (IoU clustering, min_support 2, boxes merged with
  each player's accuracy as weight) - what the engine does;
- `clustered-plain`: the same with equal weights;
- `exact-majority`: the most frequent whole answer (the vote between whole strings that
  classify-like games use), ties to the first;
- `one-player`: a single random player's answer (no aggregation).

There is no crowd-kit aggregator for boxes to compare with (crowd-kit 1.4 aggregates
classification, texts, pairwise comparisons and image segmentation masks, not boxes).

Usage: bench/locate.py [--scenes N] [--overlap K] [--seed S] [--json]
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from collections import Counter
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bot.aggregation import boxes as geo  # noqa: E402
from bot.demo.locate_sim import drawn_boxes, scene  # noqa: E402
from bot.demo.simulate import make_players  # noqa: E402
from bot.games.locate import BOX, LocateGame, dump, parse  # noqa: E402
from storage.rows import CampaignRow, ItemRow  # noqa: E402

GAME = LocateGame()
CAMPAIGN = CampaignRow(0, "bench", "locate", 0, "", [], 3, 5, 0.7, 0.0, 1, "active", None, "",
                       GAME.check_settings({}), 0.0)  # fmt: skip
ITEM = ItemRow(0, 0, "image", "", None, None, None, None, None, {"width": 320, "height": 240})


def run(scenes: int, overlap: int, seed: int) -> dict[str, Any]:
    rng = random.Random(seed)
    players = make_players(40, seed)
    methods = ("clustered-weighted", "clustered-plain", "exact-majority", "one-player")
    found = Counter[str]()
    false = Counter[str]()
    truth_total = 0
    for _ in range(scenes):
        _, truth = scene(rng)
        truth_total += len(truth)
        crowd = rng.sample(players, overlap)
        answers = [dump(BOX, drawn_boxes(p, truth, rng)) for p in crowd]
        weights = [min(0.99, max(0.01, p.accuracy)) for p in crowd]
        labels = {
            "clustered-weighted": GAME.judge(CAMPAIGN, ITEM, answers, weights).label,
            "clustered-plain": GAME.judge(CAMPAIGN, ITEM, answers, [1.0] * overlap).label,
            "exact-majority": Counter(answers).most_common(1)[0][0],
            "one-player": rng.choice(answers),
        }
        for m in methods:
            marks = parse(labels[m] or '{"boxes":[]}')[1]
            hits = geo.match_count(truth, marks, geo.iou, 0.5)
            found[m] += hits
            false[m] += len(marks) - hits
    return {
        "scenes": scenes,
        "overlap": overlap,
        "true_boxes": truth_total,
        "methods": {
            m: {
                "found": round(found[m] / truth_total, 4) if truth_total else 0.0,
                "false_per_scene": round(false[m] / scenes, 4),
            }
            for m in methods
        },
    }


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--scenes", type=int, default=400)
    ap.add_argument("--overlap", type=int, default=5)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--json", action="store_true")
    a = ap.parse_args()
    out = run(a.scenes, a.overlap, a.seed)
    if a.json:
        print(json.dumps(out, indent=1))
        return 0
    print(f"{out['scenes']} scenes, {out['true_boxes']} true boxes, {out['overlap']} players each")
    print(f"{'method':<20} {'found@0.5':>10} {'false/scene':>12}")
    for m, r in out["methods"].items():
        print(f"{m:<20} {r['found']:>10.1%} {r['false_per_scene']:>12.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
