"""Labels from guesses: per-doodle recognition, top human guess, verdict, and the exports.

Per doodle, over the players' FIRST guesses (`guesses.is_first`), `doodle_verdict` gives
(rule in `quickdraw_rules.doodle_verdict`): the recognition rate (a right guess made with h
hints showing counts 0.5^h; guesses made after the word was out are ignored), the top human
guess and its share, and the label: `recognizable`, `not_recognizable`,
`looks_like:<category>`, or `insufficient_evidence` below the campaign's minimum overlap of
independent guessers. Solo picks count like typed guesses (the picked word).

`run.py export --format ndjson` writes the doodles back in Quick, Draw!'s ndjson with
`recognized` set by people: true for `recognizable`, false for `not_recognizable` and
`looks_like:*`; a doodle without enough evidence keeps its original (model) flag.
Player drawings (issue 15, `meta.player_drawing`) are written as the export asks
(`drawings`): `simplified` (the stored 0..255 strokes) or `raw` (the strokes as drawn, with
`t`); their `countrycode` is empty (players share no country), `key_id` the item's (17
digits, 10^16 + the prompt id: outside Quick, Draw!'s 16-digit ids),
`timestamp` when it was drawn, `recognized` from the human guesses only (no model flag); a
hidden player drawing is left out.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from bot.games.quickdraw import word_of
from bot.games.quickdraw_matching import MatchKind
from bot.games.quickdraw_rules import GuessEvidence, Verdict, VerdictLabel
from bot.games.quickdraw_rules import doodle_verdict as verdict_of
from storage import (
    CampaignRow,
    Drawing,
    DrawingRow,
    GuessRow,
    ItemRow,
    Store,
    drawing_to_ndjson,
    parse_timestamp,
)

DOODLE_COLUMNS = (
    "word",
    "key_id",
    "countrycode",
    "model_recognized",
    "guessers",
    "recognition_rate",
    "top_guess",
    "top_share",
    "verdict",
    "human_recognized",
    "ignored_after_reveal",
)
THRESHOLD = 0.5


@dataclass(frozen=True, slots=True)
class DoodleLabel:
    item_id: int
    word: str
    verdict: Verdict

    @property
    def human_recognized(self) -> bool | None:
        """True / False from the verdict; None without enough evidence."""
        label = self.verdict.label
        if label == VerdictLabel.INSUFFICIENT.value:
            return None
        return label == VerdictLabel.RECOGNIZABLE.value


def evidence(g: GuessRow) -> GuessEvidence:
    """A stored first guess as verdict evidence (a pick names the word it picked)."""
    if g.kind == "pick":
        kind = MatchKind.EXACT if g.correct else MatchKind.WRONG
        return GuessEvidence(g.label, g.hints_shown, g.after_reveal, kind=kind)
    known = {k.value for k in MatchKind}
    kind_or_none = MatchKind(g.kind) if g.kind in known else None
    return GuessEvidence(g.text, g.hints_shown, g.after_reveal, kind=kind_or_none)


async def doodle_labels(store: Store, campaign: CampaignRow) -> dict[int, DoodleLabel]:
    """The verdict of every doodle of a campaign (guessed or not), by item id."""
    items = await store.dataset_items(campaign.dataset_id)
    firsts: dict[int, list[GuessEvidence]] = defaultdict(list)
    for g in await store.campaign_guesses(campaign.id, first_only=True):
        firsts[g.item_id].append(evidence(g))
    out = {}
    for item in items:
        word = word_of(item)
        v = verdict_of(firsts.get(item.id, []), word, campaign.min_overlap, THRESHOLD)
        out[item.id] = DoodleLabel(item.id, word, v)
    return out


def doodle_columns(item: ItemRow, label: DoodleLabel | None) -> dict[str, Any]:
    """The doodle columns of one export row."""
    meta = item.meta
    row: dict[str, Any] = {
        "word": word_of(item),
        "key_id": meta.get("key_id"),
        "countrycode": meta.get("countrycode"),
        "model_recognized": meta.get("recognized"),
    }
    if label is not None:
        v = label.verdict
        row |= {
            "guessers": v.guessers,
            "recognition_rate": round(v.recognition_rate, 4),
            "top_guess": v.top_guess,
            "top_share": round(v.top_share, 4),
            "verdict": v.label,
            "human_recognized": label.human_recognized,
            "ignored_after_reveal": v.ignored_after_reveal,
        }
    return row


async def doodles_ndjson(
    store: Store, campaign: CampaignRow, *, drawings: str = "simplified"
) -> tuple[bytes, int]:
    """The campaign's doodles as Quick, Draw! ndjson, `recognized` set by people (see the
    module docstring). Returns the bytes and the number of drawings."""
    labels = await doodle_labels(store, campaign)
    players = {d.item_id: d for d in await store.campaign_drawings(campaign.id)}
    lines: list[str] = []
    for item, _mime, data in await store.dataset_items_with_media(campaign.dataset_id):
        if item.kind != "doodle" or data is None:
            continue
        if item.meta.get("player_drawing"):
            found = players.get(item.id)
            if found is None:  # hidden (or its author forgotten meanwhile)
                continue
            drawing = player_drawing(found, item.meta.get("key_id"), raw=drawings == "raw")
        else:
            drawing = imported_drawing(item, data)
        label = labels.get(item.id)
        human = None if label is None else label.human_recognized
        lines.append(drawing_to_ndjson(drawing, recognized=human) + "\n")
    return "".join(lines).encode("utf-8"), len(lines)


def imported_drawing(item: ItemRow, data: bytes) -> Drawing:
    """An imported doodle as it came (its metadata from the item's `meta`)."""
    meta = item.meta
    stamp = meta.get("timestamp")
    return Drawing(
        word=word_of(item),
        strokes=Drawing.strokes_from_json(data.decode("utf-8")),
        key_id=meta.get("key_id"),
        countrycode=meta.get("countrycode"),
        timestamp=parse_timestamp(stamp) if isinstance(stamp, str) else None,
        recognized=meta.get("recognized"),
    )


def player_drawing(d: DrawingRow, key_id: str | None, *, raw: bool) -> Drawing:
    """A player drawing in Quick, Draw!'s shape: raw (as drawn) or simplified strokes."""
    return Drawing(
        word=d.word,
        strokes=Drawing.strokes_from_json(d.raw if raw else d.simplified),
        key_id=key_id,
        countrycode="",
        timestamp=datetime.fromtimestamp(d.created_at, UTC),
    )
