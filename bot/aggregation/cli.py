"""`run.py aggregate`: aggregate any long-form answers CSV into `task,label,confidence`.

Kept light on purpose (numpy + stdlib only): the whole process is what users wait for.
Also runnable alone: `python -m bot.aggregation.cli --answers FILE.csv [--method NAME]
[--gold GOLD.csv] [-o OUT.csv] [--raw-cells]`. Task and label cells are spreadsheet-safe
(`bot.csv_safe`) unless `--raw-cells`.

Exit codes: 0 done; 2 bad input (unknown method, missing file, malformed rows: every bad row
is listed with its line number and nothing is written).
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

from bot.aggregation import DEFAULT_METHOD, METHODS
from bot.aggregation.base import Aggregator
from bot.aggregation.metrics import accuracy
from bot.aggregation.table import AnswerTable, MalformedRows, read_gold_csv
from bot.csv_safe import csv_line, safe_cell

log = logging.getLogger(__name__)

EXIT_OK = 0
EXIT_BAD_INPUT = 2


def aggregate_command(
    answers: Path,
    method: str | None,
    gold: Path | None,
    out: Path | None,
    stdout: TextIO,
    *,
    raw_cells: bool = False,
) -> int:
    """Aggregate `answers` with `method` (default `DEFAULT_METHOD`); write `task,label,confidence`
    to `out` (or `stdout`). With `gold`, print `accuracy A on N gold tasks` (to `stdout`, or to
    stderr when the CSV itself goes to stdout, so the CSV stays clean). Task and label cells
    are spreadsheet-safe (`bot.csv_safe`) unless `raw_cells`."""
    name = method or DEFAULT_METHOD
    if name not in METHODS:
        print(f"unknown method {name!r}; choose one of: {', '.join(METHODS)}", file=stdout)
        return EXIT_BAD_INPUT
    try:
        table = AnswerTable.from_csv(answers)
        truth = read_gold_csv(gold) if gold is not None else None
    except MalformedRows as error:
        print(f"malformed input, nothing written:\n{error}", file=stdout)
        return EXIT_BAD_INPUT
    except (OSError, UnicodeDecodeError) as error:
        print(f"cannot read input: {error}", file=stdout)
        return EXIT_BAD_INPUT
    model = METHODS[name]().fit(table)
    if out is None:
        _write_rows(model, stdout, raw_cells)
    else:
        _write_atomically(model, out, raw_cells)
        print(f"wrote {table.n_tasks} tasks to {out} (method {name})", file=stdout)
    if table.repeated_answers:
        print(
            f"note: {table.repeated_answers} repeated (worker, task) answers, each counted "
            "as a judgment",
            file=stdout if out is not None else sys.stderr,
        )
    if truth is not None:
        _report_accuracy(model, truth, stdout if out is not None else sys.stderr)
    return EXIT_OK


def _write_rows(model: Aggregator, stream: TextIO, raw_cells: bool = False) -> None:
    names = model.table_.label_names
    tasks = model.table_.task_names
    if not raw_cells:
        names = tuple(safe_cell(n) for n in names)
        tasks = tuple(safe_cell(t) for t in tasks)
    labels = [names[code] for code in model.label_codes_.tolist()]
    confidence = [f"{c:.4f}" for c in model.confidence_.tolist()]
    if _needs_quotes("\x00".join((*names, *tasks))):
        stream.write(csv_line(("task", "label", "confidence")))
        stream.write("".join(map(csv_line, zip(tasks, labels, confidence, strict=True))))
        return
    stream.write("task,label,confidence\n")
    stream.write(
        "".join(f"{t},{lab},{c}\n" for t, lab, c in zip(tasks, labels, confidence, strict=True))
    )


def _needs_quotes(text: str) -> bool:
    """Whether `csv_line` would quote anything in `text`."""
    return any(ch in text for ch in ',"\r\n')


def _write_atomically(model: Aggregator, out: Path, raw_cells: bool = False) -> None:
    """Write next to `out`, then rename: a crash never leaves a half-written result."""
    out.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{out.name}.", dir=out.parent)
    try:
        with os.fdopen(fd, "w", newline="", encoding="utf-8") as handle:
            _write_rows(model, handle, raw_cells)
        os.replace(tmp_name, out)
    except BaseException:
        Path(tmp_name).unlink(missing_ok=True)
        raise


def _report_accuracy(model: Aggregator, truth: dict[str, str], stream: TextIO) -> None:
    result = accuracy(model.labels_, truth)
    if result.scored:
        print(f"accuracy {result.value:.4f} on {result.scored} gold tasks", file=stream)
    else:
        print("accuracy n/a: no gold task has answers", file=stream)
    if result.missing:
        print(f"{result.missing} gold tasks have no answers and were not scored", file=stream)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="aggregate", description="Aggregate crowd answers (worker,task,label CSV)."
    )
    parser.add_argument("--answers", type=Path, required=True, help="CSV with worker,task,label")
    parser.add_argument("--method", choices=sorted(METHODS), default=None)
    parser.add_argument("--gold", type=Path, default=None, help="CSV with task,label")
    parser.add_argument("-o", "--out", type=Path, default=None, help="output CSV (default stdout)")
    parser.add_argument("--raw-cells", action="store_true", help="no ' before formula-like cells")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return aggregate_command(
        args.answers, args.method, args.gold, args.out, sys.stdout, raw_cells=args.raw_cells
    )


if __name__ == "__main__":
    sys.exit(main())
