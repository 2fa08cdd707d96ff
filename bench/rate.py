"""Rating scales: our interval alpha beside crowd-kit's, and the weighted median's error.

(a) Krippendorff's alpha for interval data (`bot.aggregation.krippendorff`) against crowd-kit
    1.4.2's `crowdkit.metrics.data.alpha_krippendorff(answers, distance=interval_distance)`
    (nltk's squared difference), on the paper's example (Krippendorff 2011, alpha 0.849) and
    on a generated set: --items items rated 1..5 by 3 to 7 of 40 raters (experts, regulars,
    casuals with accuracy 0.9 / 0.8 / 0.6: the truth, else one point off; one rater in ten a
    spammer pressing at random). Run in the interpreter given by --crowdkit-python, else
    <repo>/.venv-research/bin/python, else this one if it imports crowdkit; skipped with a
    message otherwise (crowd-kit is a research extra, never a runtime dependency).
(b) On the same set, the mean absolute error against the truth of the game's weighted median
    (`bot.games.rate.weighted_median`, weights = the raters' accuracy, spammers 0.2) beside
    the plain median and the plain mean rounded.

Usage: bench/rate.py [--json] [--items N] [--seed S] [--crowdkit-python PATH]
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import subprocess
import sys
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bot.aggregation.krippendorff import krippendorff_alpha_interval  # noqa: E402
from bot.games.rate import weighted_median  # noqa: E402

Row = tuple[str, str, float]
PAPER: dict[str, list[int | None]] = {
    "A": [1, 2, 3, 3, 2, 1, 4, 1, 2, None, None, None],
    "B": [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, None, 3],
    "C": [None, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, None],
    "D": [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, None],
}
CK_SCRIPT = r"""
import json, sys, warnings
warnings.filterwarnings("ignore")
import pandas as pd
from nltk.metrics.distance import interval_distance
from crowdkit.metrics.data import alpha_krippendorff
out = {}
for name, rows in json.load(sys.stdin).items():
    df = pd.DataFrame.from_records(
        [{"task": t, "worker": w, "label": float(v)} for t, w, v in rows]
    )
    out[name] = alpha_krippendorff(df, distance=interval_distance)
print(json.dumps(out))
"""


def paper_rows() -> list[Row]:
    return [
        (f"u{u}", coder, float(v))
        for coder, values in PAPER.items()
        for u, v in enumerate(values)
        if v is not None
    ]


def generated(n_items: int, seed: int) -> tuple[list[Row], dict[str, int], dict[str, float]]:
    """(rows, truth per item, weight per rater) of the generated set (module docstring)."""
    rng = random.Random(f"bench-rate:{seed}")
    raters = {f"r{i}": (0.2 if i % 10 == 9 else (0.9, 0.8, 0.6)[i % 3]) for i in range(40)}
    rows: list[Row] = []
    truth: dict[str, int] = {}
    for i in range(n_items):
        task, t = f"t{i}", rng.randint(1, 5)
        truth[task] = t
        for r in rng.sample(sorted(raters), rng.randint(3, 7)):
            acc = raters[r]
            if acc == 0.2:
                v = rng.randint(1, 5)
            elif rng.random() < acc:
                v = t
            else:
                v = min(5, max(1, t + rng.choice((-1, 1))))
            rows.append((task, r, float(v)))
    return rows, truth, raters


def label_errors(
    rows: list[Row], truth: dict[str, int], weights: dict[str, float]
) -> dict[str, float]:
    per: dict[str, list[tuple[int, float]]] = {}
    for task, rater, v in rows:
        per.setdefault(task, []).append((int(v), weights[rater]))
    out = {"weighted_median": 0.0, "median": 0.0, "mean_rounded": 0.0}
    for task, got in per.items():
        values = [v for v, _ in got]
        out["weighted_median"] += abs(weighted_median(values, [w for _, w in got]) - truth[task])
        out["median"] += abs(weighted_median(values, [1.0] * len(values)) - truth[task])
        out["mean_rounded"] += abs(round(statistics.fmean(values)) - truth[task])
    return {k: round(v / len(per), 4) for k, v in out.items()}


def find_crowdkit_python(explicit: str | None) -> str | None:
    for candidate in (explicit, str(REPO / ".venv-research" / "bin" / "python"), sys.executable):
        if candidate and Path(candidate).exists():
            probe = [candidate, "-c", "import crowdkit.metrics.data, nltk"]
            if subprocess.run(probe, capture_output=True, check=False).returncode == 0:
                return candidate
    return None


def crowdkit_alphas(python: str, sets: dict[str, list[Row]]) -> dict[str, float]:
    done = subprocess.run(
        [python, "-c", CK_SCRIPT], input=json.dumps(sets), capture_output=True, text=True,
        check=True,
    )  # fmt: skip
    return {k: float(v) for k, v in json.loads(done.stdout).items()}


def rate_report(n_items: int, seed: int, python: str | None) -> dict[str, Any]:
    """Alphas (ours, crowd-kit's when `python` has it) and label errors (module docstring)."""
    rows, truth, weights = generated(n_items, seed)
    sets = {"paper": paper_rows(), "generated": rows}
    report: dict[str, Any] = {
        "items": n_items,
        "answers": len(rows),
        "alpha": {k: round(krippendorff_alpha_interval(v), 6) for k, v in sets.items()},
        "mae": label_errors(rows, truth, weights),
    }
    if python is None:
        report["note"] = "crowd-kit not found: comparison skipped (see --crowdkit-python)"
    else:
        ck = crowdkit_alphas(python, sets)
        report["crowdkit_alpha"] = {k: round(v, 6) for k, v in ck.items()}
    return report


def rate_lines(report: dict[str, Any]) -> list[str]:
    """The report as the lines bench/rate.py and bench/aggregate.py print."""
    lines = [
        f"Rating scales: Krippendorff's alpha (interval), paper example and "
        f"{report['items']} generated items ({report['answers']} ratings)"
    ]
    for name, ours in report["alpha"].items():
        theirs = report.get("crowdkit_alpha", {}).get(name)
        beside = (
            "" if theirs is None else f"  crowd-kit {theirs:.6f}  diff {abs(ours - theirs):.1e}"
        )
        lines.append(f"  {name:<10} ours {ours:.6f}{beside}")
    if "note" in report:
        lines.append(f"  {report['note']}")
    lines.append("Mean absolute error of the item label against the truth:")
    lines.append("  " + " · ".join(f"{k} {v:.4f}" for k, v in report["mae"].items()))
    return lines


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--items", type=int, default=500)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--crowdkit-python", default=None)
    args = parser.parse_args()
    report = rate_report(args.items, args.seed, find_crowdkit_python(args.crowdkit_python))
    print(json.dumps(report, indent=2) if args.json else "\n".join(rate_lines(report)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
