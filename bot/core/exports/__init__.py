"""Exports: labels (CSV, JSONL, crowd-kit's long form), answers, Quick, Draw! ndjson, and
the files sent from chat (compressed or split above a platform's limit).

Public modules: `labels`, `files`, `batch_labels`, `feed` (the JSON API's label feed),
`download` (one export file with the command line's options, and the dashboard's use case
`Downloads`), `multilabel` (the labels export's per-attribute columns)."""

from bot.core.exports import batch_labels, download, feed, files, labels, multilabel

__all__ = ["batch_labels", "download", "feed", "files", "labels", "multilabel"]

from bot.core.exports import detection  # issue 17: COCO, Label Studio

__all__ += ["detection"]
