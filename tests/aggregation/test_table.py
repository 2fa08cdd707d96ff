"""AnswerTable: factorisation, CSV reading, the duplicate policy and malformed-row errors."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.aggregation import AnswerTable, MalformedRows
from bot.aggregation.table import read_gold_csv


def write(tmp_path: Path, text: str, name: str = "answers.csv") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode("utf-8"))
    return path


def decoded(table: AnswerTable) -> list[tuple[str, str, str]]:
    return [
        (table.task_names[t], table.worker_names[w], table.label_names[lab])
        for t, w, lab in zip(
            table.task.tolist(), table.worker.tolist(), table.label.tolist(), strict=True
        )
    ]


def test_rows_round_trip_through_sorted_vocabularies() -> None:
    rows = [("t2", "bob", "no"), ("t1", "ann", "yes"), ("t2", "ann", "yes")]
    table = AnswerTable.from_rows(rows)
    assert table.task_names == ("t1", "t2")
    assert table.worker_names == ("ann", "bob")
    assert table.label_names == ("no", "yes")
    assert decoded(table) == sorted(rows)  # rows are kept sorted by (task, worker)
    assert (table.n_tasks, table.n_workers, table.n_labels, table.n_answers) == (2, 2, 2, 3)


def test_repeated_pairs_are_all_kept_in_input_order_within_the_pair() -> None:
    rows = [("t", "w", "a"), ("u", "w", "x"), ("t", "w", "b"), ("t", "v", "a"), ("t", "w", "c")]
    table = AnswerTable.from_rows(rows)
    assert table.repeated_answers == 2
    assert decoded(table) == [
        ("t", "v", "a"),
        ("t", "w", "a"),
        ("t", "w", "b"),
        ("t", "w", "c"),
        ("u", "w", "x"),
    ]


@pytest.mark.parametrize(
    "text",
    [
        "worker,task,label\nann,t1,cat\nbob,t1,dog\n",
        "label,extra,task,worker\ncat,1,t1,ann\ndog,2,t1,bob\n",
        "Worker,Task,Label\r\nann,t1,cat\r\nbob,t1,dog\r\n",
        'worker,task,label\n"ann",t1,cat\n\nbob,"t1",dog',
    ],
    ids=["plain", "any-column-order", "crlf", "quotes-and-blank-line"],
)
def test_csv_layouts(tmp_path: Path, text: str) -> None:
    table = AnswerTable.from_csv(write(tmp_path, text))
    assert decoded(table) == [("t1", "ann", "cat"), ("t1", "bob", "dog")]


def test_quoted_commas_stay_inside_a_field(tmp_path: Path) -> None:
    table = AnswerTable.from_csv(write(tmp_path, 'worker,task,label\nann,"Paris, France",yes\n'))
    assert table.task_names == ("Paris, France",)


def test_header_only_gives_an_empty_table(tmp_path: Path) -> None:
    table = AnswerTable.from_csv(write(tmp_path, "worker,task,label\n"))
    assert table.n_answers == 0


def test_malformed_rows_are_all_reported_with_line_numbers(tmp_path: Path) -> None:
    text = "worker,task,label\nann,t1,cat\nbob,t1\ncy,,dog\nok,t2,cat\ndee,t3,cat,extra\n"
    with pytest.raises(MalformedRows) as caught:
        AnswerTable.from_csv(write(tmp_path, text))
    assert caught.value.errors == [
        "answers.csv line 3: expected 3 fields, got 2",
        "answers.csv line 4: empty task",
        "answers.csv line 6: expected 3 fields, got 4",
    ]


def test_line_numbers_count_physical_lines(tmp_path: Path) -> None:
    text = 'worker,task,label\nann,"multi\nline",cat\n\nbob,t2\n'
    with pytest.raises(MalformedRows, match=r"answers\.csv line 5: expected 3 fields, got 2"):
        AnswerTable.from_csv(write(tmp_path, text))


def test_missing_header_column_is_named(tmp_path: Path) -> None:
    with pytest.raises(MalformedRows, match=r"line 1: header lacks column.*label"):
        AnswerTable.from_csv(write(tmp_path, "worker,task,answer\nann,t1,cat\n"))


def test_empty_file_is_reported(tmp_path: Path) -> None:
    with pytest.raises(MalformedRows, match="empty file"):
        AnswerTable.from_csv(write(tmp_path, ""))


def test_long_error_lists_are_truncated_in_the_message(tmp_path: Path) -> None:
    text = "worker,task,label\n" + "x,y\n" * 30
    with pytest.raises(MalformedRows) as caught:
        AnswerTable.from_csv(write(tmp_path, text))
    assert len(caught.value.errors) == 30
    assert "and 10 more malformed rows" in str(caught.value)


def test_from_rows_rejects_empty_fields() -> None:
    with pytest.raises(MalformedRows, match="row 2"):
        AnswerTable.from_rows([("t", "w", "a"), ("t", "", "b")])


def test_gold_csv(tmp_path: Path) -> None:
    path = write(tmp_path, "label,task\ncat,t1\ndog,t2\n", "gold.csv")
    assert read_gold_csv(path) == {"t1": "cat", "t2": "dog"}


def test_gold_csv_errors(tmp_path: Path) -> None:
    path = write(tmp_path, "task,label\nt1,cat\nt1,dog\nt2\n", "gold.csv")
    with pytest.raises(MalformedRows) as caught:
        read_gold_csv(path)
    assert caught.value.errors == [
        "gold.csv line 3: task 't1' has two labels",
        "gold.csv line 4: expected 2 fields, got 1",
    ]


def test_fields_of_different_widths_up_to_the_last_byte(tmp_path: Path) -> None:
    """Multi-word fields next to a short field at the very end of the file (no newline)."""
    path = tmp_path / "a.csv"
    path.write_text("worker,task,label\nw1,a-very-long-task-identifier-123,yes\nw2,t,no")
    table = AnswerTable.from_csv(path)
    assert table.task_names == ("a-very-long-task-identifier-123", "t")
    assert decoded(table) == [
        ("a-very-long-task-identifier-123", "w1", "yes"),
        ("t", "w2", "no"),
    ]


@given(
    st.lists(
        st.tuples(
            st.text("abcxyz-_0123456789é", min_size=1, max_size=20),
            st.text("wxyz0123", min_size=1, max_size=9),
            st.sampled_from(["yes", "no", "maybe-not", "ü"]),
        ),
        min_size=1,
        max_size=40,
    )
)
@settings(max_examples=60, deadline=None)
def test_fast_reader_matches_the_csv_module(rows: list[tuple[str, str, str]]) -> None:
    """The numpy byte reader and the csv-module path agree on every plain file."""
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "answers.csv"
        path.write_text(
            "task,worker,label\n" + "".join(f"{t},{w},{lab}\n" for t, w, lab in rows),
            encoding="utf-8",
        )
        fast = AnswerTable.from_csv(path)
    slow = AnswerTable.from_rows(rows)
    assert fast.task_names == slow.task_names
    assert fast.worker_names == slow.worker_names
    assert fast.label_names == slow.label_names
    assert decoded(fast) == decoded(slow)
