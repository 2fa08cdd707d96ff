"""Exports: labels (CSV, JSONL, crowd-kit's long form), answers, Quick, Draw! ndjson, and
the files sent from chat (compressed or split above a platform's limit).

Public modules: `labels`, `files`, `batch_labels`."""

from bot.core.exports import batch_labels, files, labels

__all__ = ["batch_labels", "files", "labels"]
