"""The `aggregate` command core, end to end on temporary CSV files."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from bot.aggregation import DEFAULT_METHOD
from bot.aggregation.cli import aggregate_command, main
from tests.support.toy import clear_majority


@pytest.fixture
def answers(tmp_path: Path) -> Path:
    rows, _ = clear_majority()
    path = tmp_path / "answers.csv"
    with path.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["task", "label", "worker"])
        writer.writerows((task, label, worker) for task, worker, label in rows)
    return path


@pytest.fixture
def gold(tmp_path: Path) -> Path:
    _, truth = clear_majority()
    truth = {**truth, "t2": "cat", "t99": "dog"}  # one wrong gold, one task nobody answered
    path = tmp_path / "gold.csv"
    path.write_text("task,label\n" + "".join(f"{t},{lab}\n" for t, lab in truth.items()))
    return path


def read_output(path: Path) -> list[dict[str, str]]:
    with path.open(newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.mark.parametrize("method", ["mv", "wawa", "ds", "onecoin", None])
def test_writes_task_label_confidence(answers: Path, tmp_path: Path, method: str | None) -> None:
    out = tmp_path / "out" / "labels.csv"
    stdout = io.StringIO()
    assert aggregate_command(answers, method, None, out, stdout) == 0
    rows = read_output(out)
    _, truth = clear_majority()
    assert list(rows[0]) == ["task", "label", "confidence"]
    assert {row["task"]: row["label"] for row in rows} == truth
    assert all(0.0 < float(row["confidence"]) <= 1.0 for row in rows)
    assert f"wrote 6 tasks to {out} (method {method or DEFAULT_METHOD})" in stdout.getvalue()


def test_gold_accuracy_line(answers: Path, gold: Path, tmp_path: Path) -> None:
    stdout = io.StringIO()
    assert aggregate_command(answers, "mv", gold, tmp_path / "o.csv", stdout) == 0
    text = stdout.getvalue()
    assert "accuracy 0.8333 on 6 gold tasks" in text
    assert "1 gold tasks have no answers" in text


def test_csv_to_stdout_keeps_the_accuracy_line_out_of_it(
    answers: Path, gold: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    stdout = io.StringIO()
    assert aggregate_command(answers, "ds", gold, None, stdout) == 0
    lines = stdout.getvalue().splitlines()
    assert lines[0] == "task,label,confidence"
    assert len(lines) == 7
    assert "accuracy 0.8333 on 6 gold tasks" in capsys.readouterr().err


def test_malformed_rows_exit_2_and_write_nothing(tmp_path: Path) -> None:
    bad = tmp_path / "answers.csv"
    bad.write_text("worker,task,label\nann,t1,cat\nbob,t1\nann,,dog\n")
    out = tmp_path / "out.csv"
    stdout = io.StringIO()
    assert aggregate_command(bad, "ds", None, out, stdout) == 2
    assert "answers.csv line 3: expected 3 fields, got 2" in stdout.getvalue()
    assert "answers.csv line 4: empty task" in stdout.getvalue()
    assert not out.exists()
    assert list(tmp_path.iterdir()) == [bad]


def test_malformed_gold_exits_2(answers: Path, tmp_path: Path) -> None:
    gold = tmp_path / "gold.csv"
    gold.write_text("task,label\nt1\n")
    stdout = io.StringIO()
    assert aggregate_command(answers, "mv", gold, tmp_path / "o.csv", stdout) == 2
    assert "gold.csv line 2: expected 2 fields, got 1" in stdout.getvalue()


def test_unknown_method_and_missing_file(answers: Path, tmp_path: Path) -> None:
    stdout = io.StringIO()
    assert aggregate_command(answers, "magic", None, None, stdout) == 2
    assert "unknown method 'magic'" in stdout.getvalue()
    assert aggregate_command(tmp_path / "nope.csv", "mv", None, None, stdout) == 2
    assert "cannot read input" in stdout.getvalue()


def test_duplicates_are_reported(tmp_path: Path) -> None:
    path = tmp_path / "answers.csv"
    path.write_text("worker,task,label\nann,t1,no\nann,t1,yes\nbob,t1,yes\n")
    stdout = io.StringIO()
    assert aggregate_command(path, "mv", None, tmp_path / "o.csv", stdout) == 0
    assert "1 repeated (worker, task) answers" in stdout.getvalue()
    # ann's two answers are two judgments: yes 2 votes, no 1 vote
    assert read_output(tmp_path / "o.csv") == [
        {"task": "t1", "label": "yes", "confidence": "0.6667"}
    ]


def test_module_entry_point(answers: Path, tmp_path: Path) -> None:
    out = tmp_path / "labels.csv"
    assert main(["--answers", str(answers), "--method", "ds", "-o", str(out)]) == 0
    assert len(read_output(out)) == 6
