"""Fast path for plain answer CSVs: split and factorize columns on the raw bytes with numpy.

A "plain" file has `\\n` line ends, no quotes, no blank lines and the same number of commas on
every line; anything else goes through the csv module (`AnswerTable.from_csv` decides).
Each column's fields are copied into a zero-padded fixed-width byte matrix, viewed as
big-endian 64-bit words: comparing those words compares the UTF-8 bytes, and UTF-8 byte order
is code-point order, so sorting the words gives the same sorted vocabulary as sorting the
decoded strings (fields hold no NUL bytes: CSV text never does). Only the distinct values are
ever decoded into Python strings.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

IntArray = npt.NDArray[np.int64]
Column = tuple[IntArray, tuple[str, ...]]


# KEEP[n]: big-endian mask keeping the first n bytes of an 8-byte word.
KEEP = np.array([((1 << (8 * n)) - 1) << (8 * (8 - n)) for n in range(9)], dtype=np.uint64)


def plain_columns(body: bytes, n_fields: int, positions: tuple[int, ...]) -> list[Column] | None:
    """Codes and sorted vocabularies of the columns at `positions` of `body` (the lines after
    the header); None when `body` is not plain or a wanted field is empty."""
    if not body:
        empty = np.zeros(0, dtype=np.int64)
        return [(empty, ()) for _ in positions]
    if not body.endswith(b"\n"):
        body += b"\n"
    if b'"' in body or b"\r" in body:
        return None
    raw = np.frombuffer(body + b"\x00" * 8, dtype=np.uint8)
    text = raw[:-8]
    newlines = np.flatnonzero(text == ord("\n"))
    commas = np.flatnonzero(text == ord(","))
    n_lines = newlines.size
    if commas.size != n_lines * (n_fields - 1):
        return None
    ends = np.empty((n_lines, n_fields), dtype=np.intp)
    ends[:, -1] = newlines
    if n_fields > 1:
        ends[:, :-1] = commas.reshape(n_lines, n_fields - 1)
        line_starts = np.concatenate(([-1], newlines[:-1]))
        # every line holds exactly its own commas: first after the previous newline, last
        # before its own newline (sorted positions make that sufficient)
        if np.any(ends[:, 0] < line_starts) or np.any(ends[:, -2] > newlines):
            return None
    starts = np.empty_like(ends)
    starts[:, 0] = np.concatenate(([0], newlines[:-1] + 1))
    starts[:, 1:] = ends[:, :-1] + 1
    windows = np.lib.stride_tricks.as_strided(raw, (raw.size - 7, 8), (1, 1), writeable=False)
    out = []
    for p in positions:
        column = _factorize_field(windows, starts[:, p], ends[:, p])
        if column is None:
            return None
        out.append(column)
    return out


def _factorize_field(
    windows: npt.NDArray[np.uint8], start: npt.NDArray[np.intp], end: npt.NDArray[np.intp]
) -> Column | None:
    length = end - start
    if length.size and int(length.min()) <= 0:
        return None
    n_words = max(1, -(-int(length.max()) // 8))
    words = np.empty((n_words, length.size), dtype=np.uint64)
    last = windows.shape[0] - 1
    for i in range(n_words):
        # A field shorter than 8 * i bytes needs no word i: its index may run past the end of
        # the buffer, so it is clamped, and KEEP[0] masks whatever was read to zero.
        at = np.minimum(start + 8 * i, last)
        chunk = windows[at].view(">u8")[:, 0].astype(np.uint64)
        words[i] = chunk & KEEP[np.clip(length - 8 * i, 0, 8)]
    if n_words == 1:
        uniq, codes = np.unique(words[0], return_inverse=True)
        distinct = uniq[None, :]
    else:
        order = np.lexsort(words[::-1])
        sorted_words = words[:, order]
        new = np.zeros(order.size, dtype=bool)
        new[0] = True
        for row in sorted_words:  # a row-by-row loop: numpy's axis-0 any() is slow here
            new[1:] |= row[1:] != row[:-1]
        codes = np.empty(order.size, dtype=np.int64)
        codes[order] = np.cumsum(new) - 1
        distinct = sorted_words[:, new]
    return codes.astype(np.int64).reshape(-1), _decode(distinct)


def _decode(words: npt.NDArray[np.uint64]) -> tuple[str, ...]:
    """Words (n_words x n_values, big-endian byte packing) back to strings, in one decode."""
    n_words, n = words.shape
    matrix = np.empty((n, n_words * 8 + 1), dtype=np.uint8)
    matrix[:, :-1] = words.T.astype(">u8").view(np.uint8).reshape(n, n_words * 8)
    matrix[:, -1] = ord("\n")
    flat = matrix.reshape(-1)
    text = flat[flat != 0].tobytes().decode("utf-8")
    return tuple(text.split("\n")[:-1])
