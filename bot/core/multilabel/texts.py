"""Words of the multilabel game's cards (toggles, Done, the multi-select menu, results)."""

from __future__ import annotations

DONE = "Done ✅"
CHECKED = "☑ {text}"
UNCHECKED = "☐ {text}"
PLACEHOLDER = "Select every attribute that applies"
PICK_SOMETHING = "Pick at least one attribute, or None of these, then press Done."
STALE_SELECTION = "That selection does not match this task any more. Use /play for a new card."
MIXED_ROUNDS = "Those choices belong to different tasks."
PICKED_LINE = "{text}: {count}"
PICKS_HEADER = "Picked by:"
SOLO_CARD = "🏷️ {campaign}\n{question}"
SKIP = "Skip ⏭"
TASK_GONE = "That task no longer exists."
