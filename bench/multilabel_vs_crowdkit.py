"""Multi-label aggregation beside crowd-kit: our `BinaryRelevance(DawidSkene)` and crowd-kit
1.4.2's `BinaryRelevance(DawidSkene())` on the generated set of
`bot.aggregation.multilabel_data.generate(seed)`, scored against its truth (per-attribute
accuracy, micro F1, exact match, in percent) plus the share of (task, attribute) decisions on
which the two agree.

crowd-kit runs in a subprocess of the interpreter found as in bench/aggregate.py
(--crowdkit-python, <repo>/.venv-research/bin/python, or this one when it imports crowdkit);
without one, only our figures are printed, with the reason.

Usage: bench/multilabel_vs_crowdkit.py [--json] [--seed S] [--crowdkit-python PATH]
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

from bot.aggregation.binary_relevance import BinaryRelevance  # noqa: E402
from bot.aggregation.multilabel_data import generate, scores  # noqa: E402

CK_SCRIPT = r"""
import json, sys, warnings
warnings.filterwarnings("ignore")
import pandas as pd
from crowdkit.aggregation import BinaryRelevance, DawidSkene
rows = json.load(open(sys.argv[1]))
df = pd.DataFrame(
    [(t, w, [] if l == "none" else l.split("|")) for t, w, l in rows],
    columns=["task", "worker", "label"],
)
out = BinaryRelevance(DawidSkene()).fit_predict(df)
print(json.dumps({str(t): sorted(v) for t, v in out.items()}))
"""


def find_crowdkit_python(explicit: str | None) -> str | None:
    candidates = (
        [explicit] if explicit else [str(REPO / ".venv-research/bin/python"), sys.executable]
    )
    for candidate in candidates:
        if candidate and Path(candidate).exists():
            probe = subprocess.run(
                [candidate, "-c", "import crowdkit"], capture_output=True, check=False
            )
            if probe.returncode == 0:
                return candidate
    return None


def crowdkit_sets(python: str, rows: list[tuple[str, str, str]]) -> dict[str, frozenset[str]]:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "rows.json"
        path.write_text(json.dumps(rows))
        out = subprocess.run(
            [python, "-c", CK_SCRIPT, str(path)], capture_output=True, text=True, check=True
        )
    return {t: frozenset(v) for t, v in json.loads(out.stdout).items()}


def compare(seed: int, ck_python: str | None) -> dict[str, Any]:
    data = generate(seed)
    ours = BinaryRelevance(attributes=data.attributes).fit(data.rows).sets_
    report: dict[str, Any] = {"seed": seed, "ours": scores(data.attributes, data.truth, ours)}
    if ck_python is None:
        report["note"] = "crowd-kit not found: comparison skipped (see --crowdkit-python)"
        return report
    ck = crowdkit_sets(ck_python, data.rows)
    report["crowdkit"] = scores(data.attributes, data.truth, ck)
    same = sum(
        (a in ours[t]) == (a in ck.get(t, frozenset())) for t in ours for a in data.attributes
    )
    report["decisions_agreeing"] = 100.0 * same / (len(ours) * len(data.attributes))
    return report


def lines(report: dict[str, Any]) -> list[str]:
    """The comparison as text (also printed by bench/aggregate.py)."""
    out = [f"multilabel (generated, seed {report['seed']}): BinaryRelevance(DawidSkene)"]
    for who in ("ours", "crowdkit"):
        if who in report:
            s = report[who]
            out.append(
                f"  {who:9} attribute accuracy {s['attribute_accuracy']:.2f} %, "
                f"micro F1 {s['micro_f1']:.2f} %, exact match {s['exact_match']:.2f} %"
            )
    if "note" in report:
        out.append("  " + report["note"])
    else:
        out.append(f"  decisions agreeing: {report['decisions_agreeing']:.2f} %")
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--seed", type=int, default=17)
    parser.add_argument("--crowdkit-python", default=None)
    args = parser.parse_args()
    report = compare(args.seed, find_crowdkit_python(args.crowdkit_python))
    if args.json:
        print(json.dumps(report, indent=2))
        return 0
    print("\n".join(lines(report)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
