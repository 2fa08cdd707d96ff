"""Pairwise comparisons: our Bradley-Terry / NoisyBT beside crowd-kit's (issue 17).

On generated sets (`bot.aggregation.pairs_toy.generate`: items with true scores, workers of
accuracy U(0.8, 1) and two answering at random) it fits ours in this process and crowd-kit's
`BradleyTerry` and `NoisyBradleyTerry` in the crowd-kit interpreter (`--crowdkit-python`, as
for bench/aggregate.py), then reports per set: whether each of ours gives the same ranking as
crowd-kit's `BradleyTerry`, Spearman between the two, and Spearman of each against the truth.
crowd-kit is a research extra: without it only our figures are printed, with a note why.

Why the sparser sets differ: crowd-kit 1.4.2's `BradleyTerry.fit` keeps `p_old = p_new` (the
same array), so its stopping test sees a zero change and stops after two MM iterations
(`loss_history_` stays empty; n_iter=2 gives the same scores as n_iter=100). Ours runs MM to
convergence (the maximum-likelihood scores), so where the data are well sampled the rankings
agree exactly, and where they are sparse crowd-kit's is an unconverged one.

Run alone (`bench/pairwise.py [--json] [--crowdkit-python PATH]`) or as part of
`bench/aggregate.py`, which prints the same section.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bot.aggregation.bradley_terry import BradleyTerry, NoisyBT, spearman  # noqa: E402
from bot.aggregation.pairs_toy import generate  # noqa: E402

SETS = {
    "10 items, 2000 answers (seed 3)": {"seed": 3, "n_answers": 2000},
    "10 items, 600 answers (seed 17)": {"seed": 17, "n_answers": 600},
    "30 items, 3000 answers (seed 5)": {"seed": 5, "n_items": 30, "n_answers": 3000},
}
CK_SCRIPT = r"""
import json, sys, warnings
warnings.filterwarnings("ignore")
import pandas as pd
from crowdkit.aggregation import BradleyTerry, NoisyBradleyTerry
rows = json.load(open(sys.argv[1]))
df = pd.DataFrame(rows, columns=["worker", "left", "right", "label"])
out = {
    "BradleyTerry": BradleyTerry(n_iter=100).fit(df).scores_.to_dict(),
    "NoisyBradleyTerry": NoisyBradleyTerry(n_iter=100, random_state=0).fit(df).scores_.to_dict(),
}
print(json.dumps(out))
"""


def _order(scores: dict[str, float]) -> list[str]:
    return sorted(scores, key=lambda n: (-scores[n], n))


def crowdkit_scores(python: str, rows: list[tuple[str, str, str, str]]) -> dict[str, Any]:
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
        json.dump(rows, f)
    try:
        done = subprocess.run(
            [python, "-c", CK_SCRIPT, f.name], capture_output=True, text=True, check=True
        )
    finally:
        Path(f.name).unlink()
    result: dict[str, Any] = json.loads(done.stdout)
    return result


def pairwise_report(ck_python: str | None) -> dict[str, Any]:
    """Per generated set: ours vs crowd-kit (module docstring)."""
    report: dict[str, Any] = {}
    for name, params in SETS.items():
        toy = generate(**params)  # type: ignore[arg-type]
        names = sorted(toy.truth)
        fits = {"ours:BT": BradleyTerry().fit(toy.rows), "ours:NoisyBT": NoisyBT().fit(toy.rows)}
        scores = {k: m.scores_ for k, m in fits.items()}
        if ck_python:
            for k, v in crowdkit_scores(ck_python, toy.rows).items():
                scores[f"ck:{k}"] = {str(n): float(s) for n, s in v.items()}
        row: dict[str, Any] = {}
        ref = scores.get("ck:BradleyTerry")
        for k, s in scores.items():
            entry = {
                "spearman_truth": spearman([toy.truth[n] for n in names], [s[n] for n in names])
            }
            if ref is not None:
                entry["same_ranking_as_ck_bt"] = _order(s) == _order(ref)
                entry["spearman_ck_bt"] = spearman([ref[n] for n in names], [s[n] for n in names])
            row[k] = entry
        report[name] = row
    return report


def pairwise_lines(report: dict[str, Any]) -> list[str]:
    lines = [
        "\npairwise comparisons (Bradley-Terry; generated sets with true scores; crowd-kit 1.4.2"
        " BT stops after 2 MM iterations, see bench/pairwise.py):"
    ]
    for name, row in report.items():
        lines.append(f"  {name}")
        for k, e in row.items():
            vs = (
                f"  same ranking as ck:BT {e['same_ranking_as_ck_bt']!s:<5}"
                f"  Spearman vs ck:BT {e['spearman_ck_bt']:.4f}"
                if "spearman_ck_bt" in e
                else ""
            )
            lines.append(f"    {k:<22} Spearman vs truth {e['spearman_truth']:.4f}{vs}")
    return lines


def main() -> int:
    from bench.aggregate import find_crowdkit_python

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--crowdkit-python", default=None)
    args = parser.parse_args()
    ck = find_crowdkit_python(args.crowdkit_python)
    report = {"pairwise": pairwise_report(ck)}
    if ck is None:
        report["notes"] = ["crowd-kit not found: only our figures (see --crowdkit-python)"]
    if args.json:
        print(json.dumps(report))
        return 0
    for note in report.get("notes", []):
        print(f"note: {note}")
    print("\n".join(pairwise_lines(report["pairwise"])))
    return 0


if __name__ == "__main__":
    sys.exit(main())
