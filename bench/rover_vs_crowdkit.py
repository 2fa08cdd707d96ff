"""ROVER: LabelQuest's `bot.aggregation.rover` against crowd-kit's `ROVER` (the reference).

Runs both on the fixed FIXTURE (the tasks pinned in tests/aggregation/test_rover.py) and on
--random seeded synthetic tasks (3-7 noisy copies of a 2-6 word phrase: typos, dropped and
inserted words, case variants), unweighted, words split at whitespace. Prints the share of
tasks where the two texts are equal, the fixture outputs of both, and the tasks that differ.
Differences are expected only where the rules differ by design (ties, see the module
docstring of bot/aggregation/rover.py).

crowd-kit is an optional research extra, never a runtime dependency. The interpreter used for
it is --crowdkit-python, else <repo>/.venv-research/bin/python if present, else this
interpreter if it can import crowdkit; otherwise the script says why it cannot compare.
Create one with: python3 -m venv /tmp/ck && /tmp/ck/bin/pip install crowd-kit==1.4.2

Usage: bench/rover_vs_crowdkit.py [--json] [--random N] [--seed S] [--crowdkit-python PATH]
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import random
import subprocess
import sys
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bot.aggregation.rover import rover  # noqa: E402

FIXTURE: dict[str, list[str]] = {
    "t1": ["a b c d", "b z d e", "b c d e f"],
    "t2": [
        "the quick brown fox",
        "the quick brown fox",
        "the quick brwn fox",
        "the quick fox",
        "The quick brown fox jumps",
    ],
    "t3": ["hello world", "helo world", "hello world", "hello wrld", "Hello World"],
    "t4": [
        "once upon a time",
        "once upon time",
        "once upon a time",
        "once upon a a time",
        "upon a time",
    ],
    "t5": [
        "green apples and red pears",
        "green apples and pears",
        "green apple and red pears",
        "green apples red pears",
        "green apples and red pears",
        "grean apples and red pears",
        "green apples and red bears",
    ],
    "t6": [
        "keep the door closed",
        "keep door closed",
        "keep the door closed please",
        "Keep the door closed",
    ],
    "t7": ["river", "rivers", "river", "River"],
    "t8": [
        "a cup of tea",
        "cup of tea",
        "a cup of tee",
        "a cup tea",
        "a cup of tea",
        "a mug of tea",
    ],
}

CK_SCRIPT = r"""
import json, sys, warnings
warnings.filterwarnings("ignore")
import pandas as pd
from crowdkit.aggregation import ROVER
tasks = json.load(sys.stdin)
rows = [(t, f"w{i}", text) for t, texts in tasks.items() for i, text in enumerate(texts)]
df = pd.DataFrame(rows, columns=["task", "worker", "text"])
model = ROVER(tokenizer=lambda s: s.split(), detokenizer=lambda words: " ".join(words))
print(json.dumps({str(k): v for k, v in model.fit_predict(df).items()}))
"""

WORDS = [
    "the",
    "a",
    "of",
    "and",
    "to",
    "in",
    "is",
    "it",
    "on",
    "at",
    "cat",
    "dog",
    "tea",
    "cup",
    "red",
    "green",
    "blue",
    "house",
    "river",
    "stone",
    "window",
    "door",
    "light",
    "paper",
    "pen",
    "book",
    "tree",
    "bird",
    "fish",
    "water",
    "bread",
]


def random_tasks(count: int, seed: int) -> dict[str, list[str]]:
    """Noisy copies of random phrases (typo, dropped word, inserted word, capitalised word)."""
    rng = random.Random(seed)
    tasks: dict[str, list[str]] = {}
    for n in range(count):
        truth = [rng.choice(WORDS) for _ in range(rng.randint(2, 6))]
        answers = []
        for _ in range(rng.randint(3, 7)):
            words = list(truth)
            if rng.random() < 0.4:
                spot = rng.randrange(len(words))
                word = words[spot]
                cut = rng.randrange(len(word))
                words[spot] = word[:cut] + word[cut + 1 :] or word
            if rng.random() < 0.2 and len(words) > 1:
                del words[rng.randrange(len(words))]
            if rng.random() < 0.2:
                words.insert(rng.randrange(len(words) + 1), rng.choice(WORDS))
            if rng.random() < 0.15:
                words[0] = words[0].capitalize()
            answers.append(" ".join(words))
        tasks[f"r{n}"] = answers
    return tasks


def crowdkit_python(explicit: str | None) -> str | None:
    """The interpreter that can import crowdkit, or None."""
    if explicit:
        return explicit
    research = REPO / ".venv-research" / "bin" / "python"
    if research.exists():
        return str(research)
    if importlib.util.find_spec("crowdkit") is not None:
        return sys.executable
    return None


def run_crowdkit(python: str, tasks: dict[str, list[str]]) -> dict[str, str]:
    done = subprocess.run(
        [python, "-c", CK_SCRIPT],
        input=json.dumps(tasks),
        capture_output=True,
        text=True,
        check=True,
    )
    return dict(json.loads(done.stdout))


def compare(python: str, tasks: dict[str, list[str]]) -> dict[str, Any]:
    theirs = run_crowdkit(python, tasks)
    ours = {task: rover(answers).text for task, answers in tasks.items()}
    differ = {t: {"ours": ours[t], "crowdkit": theirs[t]} for t in tasks if ours[t] != theirs[t]}
    return {
        "tasks": len(tasks),
        "agreement": (len(tasks) - len(differ)) / max(len(tasks), 1),
        "ours": ours,
        "crowdkit": theirs,
        "differ": differ,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--random", type=int, default=500, help="synthetic tasks (default 500)")
    parser.add_argument("--seed", type=int, default=16)
    parser.add_argument("--crowdkit-python", default=None)
    args = parser.parse_args(argv)
    python = crowdkit_python(args.crowdkit_python)
    if python is None:
        reason = (
            "crowd-kit is not importable here and no --crowdkit-python or .venv-research was "
            "found; create one with: python3 -m venv /tmp/ck && /tmp/ck/bin/pip install "
            "crowd-kit==1.4.2, then pass --crowdkit-python /tmp/ck/bin/python"
        )
        print(json.dumps({"skipped": reason}) if args.json else f"cannot compare: {reason}")
        return 0
    fixture = compare(python, FIXTURE)
    synthetic = compare(python, random_tasks(args.random, args.seed))
    if args.json:
        synthetic.pop("ours")
        synthetic.pop("crowdkit")
        print(json.dumps({"fixture": fixture, "random": synthetic}, indent=2))
        return 0
    print(f"fixture: {fixture['agreement']:.3f} of {fixture['tasks']} tasks equal to crowd-kit")
    for task in FIXTURE:
        print(f"  {task}: ours={fixture['ours'][task]!r} crowdkit={fixture['crowdkit'][task]!r}")
    print(f"random:  {synthetic['agreement']:.3f} of {synthetic['tasks']} tasks equal")
    for task, pair in list(synthetic["differ"].items())[:10]:
        print(f"  {task}: ours={pair['ours']!r} crowdkit={pair['crowdkit']!r}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
