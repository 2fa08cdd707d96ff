"""Aggregation benchmark: accuracy on the public truth datasets, and whole-process speed.

(a) Accuracy of every registered method (bot.aggregation.METHODS) on every dataset folder
    in --datasets (default <repo>/../shared/datasets/truth), scored on the tasks of truth.csv
    only, with the mean per method; crowd-kit's aggregators beside ours when available.
(b) Time of `run.py aggregate --method ds` (or `python -m bot.aggregation.cli` until run.py
    exists) as a whole process on a synthetic long-form CSV of --synthetic answers, side by
    side with a whole process running crowd-kit's `DawidSkene()` defaults (pandas.read_csv +
    fit_predict + to_csv) on the same file.
(c) Multi-label: our BinaryRelevance(DawidSkene) beside crowd-kit's on a generated set with
    truth (bench/multilabel_vs_crowdkit.py).

crowd-kit is an optional research extra, never a runtime dependency. The interpreter used for
it is --crowdkit-python, else <repo>/.venv-research/bin/python if present, else this
interpreter if it can import crowdkit; otherwise the comparison is skipped with a message.
Create it with: python3 -m venv .venv-research && .venv-research/bin/pip install
crowd-kit==1.4.2 'scikit-learn<1.6' 'pandas<3' numpy

Usage: bench/aggregate.py [--json] [--datasets DIR] [--synthetic N] [--crowdkit-python PATH]
       [--crowdkit-methods MajorityVote,Wawa,...] [--repeats R]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bench import multilabel_vs_crowdkit  # noqa: E402  (issue 17: BinaryRelevance)
from bench.pairwise import pairwise_lines, pairwise_report  # noqa: E402
from bot.aggregation import METHODS  # noqa: E402
from bot.aggregation.table import AnswerTable, read_gold_csv  # noqa: E402

DEFAULT_DATASETS = REPO.parent / "shared" / "datasets" / "truth"
# GLAD, MACE, MMSR... are supported by name but slow (minutes per dataset): opt in.
DEFAULT_CK_METHODS = "MajorityVote,Wawa,DawidSkene,OneCoinDawidSkene"
CK_SHORT = {
    "MajorityVote": "MV",
    "Wawa": "Wawa",
    "DawidSkene": "DS",
    "OneCoinDawidSkene": "OneCoin",
    "ZeroBasedSkill": "ZBS",
}

CK_ACCURACY_SCRIPT = r"""
import json, sys, warnings
warnings.filterwarnings("ignore")
from pathlib import Path
import pandas as pd
import crowdkit.aggregation as agg
root, names = Path(sys.argv[1]), sys.argv[2].split(",")
result = {}
for folder in sorted(p for p in root.iterdir() if (p / "answers.csv").is_file()):
    data = pd.read_csv(folder / "answers.csv", dtype=str)[["task", "worker", "label"]]
    gold = pd.read_csv(folder / "truth.csv", dtype=str).set_index("task")["label"]
    result[folder.name] = {}
    for name in names:
        if not hasattr(agg, name):
            continue
        try:
            labels = getattr(agg, name)().fit_predict(data)
            value = float((labels.reindex(gold.index).astype(str) == gold).mean())
        except Exception as error:  # one failing model must not hide the others
            print(folder.name, name, repr(error)[:200], file=sys.stderr)
            value = None
        result[folder.name][name] = value
print(json.dumps(result))
"""

CK_DS_PROCESS_SCRIPT = r"""
import sys, warnings
warnings.filterwarnings("ignore")
import pandas as pd
from crowdkit.aggregation import DawidSkene
data = pd.read_csv(sys.argv[1], dtype=str)
model = DawidSkene()
probas = model.fit_predict_proba(data)
labels = probas.idxmax(axis=1)
out = pd.DataFrame({"task": labels.index, "label": labels.values,
                    "confidence": probas.max(axis=1).values})
out.to_csv(sys.argv[2], index=False)
"""


def our_accuracies(datasets: Path) -> dict[str, dict[str, float]]:
    result: dict[str, dict[str, float]] = {}
    for folder in sorted(p for p in datasets.iterdir() if (p / "answers.csv").is_file()):
        table = AnswerTable.from_csv(folder / "answers.csv")
        gold = read_gold_csv(folder / "truth.csv")
        result[folder.name] = {}
        for name, cls in METHODS.items():
            labels = cls().fit(table).labels_
            hits = sum(labels.get(task) == label for task, label in gold.items())
            result[folder.name][name] = hits / len(gold)
    return result


def find_crowdkit_python(explicit: str | None) -> str | None:
    candidates = [explicit] if explicit else [str(REPO / ".venv-research" / "bin" / "python")]
    if not explicit:
        candidates.append(sys.executable)
    for candidate in candidates:
        if candidate and Path(candidate).exists():
            probe = subprocess.run(
                [candidate, "-c", "import crowdkit"], capture_output=True, check=False
            )
            if probe.returncode == 0:
                return candidate
    return None


def crowdkit_accuracies(python: str, datasets: Path, methods: str) -> dict[str, Any]:
    done = subprocess.run(
        [python, "-c", CK_ACCURACY_SCRIPT, str(datasets), methods],
        capture_output=True,
        text=True,
        check=True,
    )
    result: dict[str, Any] = json.loads(done.stdout)
    return result


def write_synthetic(path: Path, n_answers: int, seed: int = 7) -> dict[str, int]:
    """Long-form CSV with string ids: overlap 5, 2,000 workers of accuracy U(0.5, 0.95),
    4 labels, a wrong answer uniform over the other labels, rows shuffled."""
    rng = random.Random(seed)
    n_labels, overlap, n_workers = 4, 5, 2000
    n_tasks = max(n_answers // overlap, 1)
    accuracy = [rng.uniform(0.5, 0.95) for _ in range(n_workers)]
    names = [f"label_{i}" for i in range(n_labels)]
    lines = []
    for i in range(n_answers):
        task = i // overlap % n_tasks
        truth = task % n_labels
        worker = rng.randrange(n_workers)
        label = truth if rng.random() < accuracy[worker] else (truth + rng.randrange(1, n_labels))
        lines.append(f"w{worker:05d},task-{task:07d},{names[label % n_labels]}\n")
    rng.shuffle(lines)
    with path.open("w", encoding="utf-8") as handle:
        handle.write("worker,task,label\n")
        handle.writelines(lines)
    return {"answers": n_answers, "tasks": n_tasks, "workers": n_workers, "labels": n_labels}


def our_command(answers: Path, out: Path) -> list[str]:
    run_py = REPO / "run.py"
    tail = ["--answers", str(answers), "--method", "ds", "-o", str(out)]
    if run_py.is_file():
        return [sys.executable, str(run_py), "aggregate", *tail]
    return [sys.executable, "-m", "bot.aggregation.cli", *tail]


def time_process(command: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, cwd=REPO, check=True, capture_output=True)
    return time.perf_counter() - start


def timing(n_answers: int, ck_python: str | None, repeats: int) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="lq-bench-") as tmp:
        answers = Path(tmp) / "answers.csv"
        shape = write_synthetic(answers, n_answers)
        command = our_command(answers, Path(tmp) / "ours.csv")
        ours = [time_process(command) for _ in range(repeats)]
        result: dict[str, Any] = {
            "synthetic": shape,
            "our_command": " ".join(Path(c).name if c == sys.executable else c for c in command),
            "our_seconds": statistics.median(ours),
            "our_runs": ours,
        }
        if ck_python:
            ck_command = [ck_python, "-c", CK_DS_PROCESS_SCRIPT, str(answers), f"{tmp}/ck.csv"]
            result["crowdkit_seconds"] = time_process(ck_command)
            result["speedup"] = result["crowdkit_seconds"] / result["our_seconds"]
    return result


def mean(values: Sequence[float | None]) -> float | None:
    present = [v for v in values if v is not None]
    return sum(present) / len(present) if present else None


def accuracy_table(ours: dict[str, dict[str, float]], ck: dict[str, Any]) -> list[str]:
    our_names = list(METHODS)
    ck_names = sorted(
        {m for row in ck.values() for m in row}, key=lambda m: (m not in CK_SHORT, m)
    )
    headers = our_names + [f"ck:{CK_SHORT.get(m, m)}" for m in ck_names]
    width = max(len(h) for h in headers) + 2
    lines = [f"{'dataset':<24}" + "".join(f"{h:>{width}}" for h in headers)]

    def cells(values: list[float | None]) -> str:
        return "".join(f"{v:>{width}.4f}" if v is not None else f"{'-':>{width}}" for v in values)

    for dataset, row in ours.items():
        values = [row[n] for n in our_names] + [ck.get(dataset, {}).get(m) for m in ck_names]
        lines.append(f"{dataset:<24}" + cells(values))
    columns = [[ours[d][n] for d in ours] for n in our_names]
    columns += [[ck.get(d, {}).get(m) for d in ours] for m in ck_names]
    lines.append(f"{'MEAN':<24}" + cells([mean(c) for c in columns]))
    if ck_names:
        best = [
            max((v for v in ck.get(d, {}).values() if v is not None), default=None) for d in ours
        ]
        lines.append(f"crowd-kit best method per dataset, mean: {mean(best):.4f}")
    return lines


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--datasets", type=Path, default=DEFAULT_DATASETS)
    parser.add_argument("--synthetic", type=int, default=1_000_000, help="answers; 0 skips")
    parser.add_argument("--crowdkit-python", default=None)
    parser.add_argument("--crowdkit-methods", default=DEFAULT_CK_METHODS)
    parser.add_argument("--repeats", type=int, default=3, help="runs of our process (median)")
    args = parser.parse_args()

    notes: list[str] = []
    ck_python = find_crowdkit_python(args.crowdkit_python)
    if ck_python is None:
        notes.append("crowd-kit not found: comparison skipped (see --crowdkit-python)")
    report: dict[str, Any] = {"notes": notes}
    if args.datasets.is_dir():
        report["accuracy"] = our_accuracies(args.datasets)
        report["crowdkit_accuracy"] = (
            crowdkit_accuracies(ck_python, args.datasets, args.crowdkit_methods)
            if ck_python
            else {}
        )
        report["mean_accuracy"] = {
            n: mean([row[n] for row in report["accuracy"].values()]) for n in METHODS
        }
    else:
        notes.append(f"datasets folder {args.datasets} not found: accuracy skipped")
    if args.synthetic > 0:
        report["timing"] = timing(args.synthetic, ck_python, max(args.repeats, 1))
    from rate import rate_lines, rate_report  # bench/rate.py: rating scales (issue 17)

    report["rate"] = rate_report(500, 7, ck_python)
    report["multilabel"] = multilabel_vs_crowdkit.compare(17, ck_python)
    report["pairwise"] = pairwise_report(ck_python)  # compare game (issue 17): bench/pairwise.py

    if args.json:
        print(json.dumps(report, indent=None))
        return 0
    for note in notes:
        print(f"note: {note}")
    if "accuracy" in report:
        print("\n".join(accuracy_table(report["accuracy"], report["crowdkit_accuracy"])))
    if "timing" in report:
        t = report["timing"]
        shape = t["synthetic"]
        print(
            f"\nsynthetic set: {shape['answers']:,} answers, {shape['tasks']:,} tasks, "
            f"{shape['workers']:,} workers, {shape['labels']} labels"
        )
        runs = len(t["our_runs"])
        print(f"ours  ({t['our_command']}): {t['our_seconds']:.2f} s (median of {runs})")
        if "crowdkit_seconds" in t:
            print(f"crowd-kit DawidSkene() defaults, whole process: {t['crowdkit_seconds']:.2f} s")
            print(f"speedup: {t['speedup']:.1f}x")
    print("\n" + "\n".join(rate_lines(report["rate"])))
    print("\n" + "\n".join(multilabel_vs_crowdkit.lines(report["multilabel"])))
    print("\n".join(pairwise_lines(report["pairwise"])))
    return 0


if __name__ == "__main__":
    os.environ.setdefault("PYTHONHASHSEED", "0")
    sys.exit(main())
