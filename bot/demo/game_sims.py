"""The demo's games after the daily simulation (issues 16 and 17): each plays its own
campaign alone (`alone`), and the summary lines they print."""

from __future__ import annotations

from collections.abc import Coroutine
from typing import Any

from bot.core.campaigns.admin import change_status
from bot.core.kernel.clock import ManualClock
from bot.demo.capture_sim import run_capture
from bot.demo.compare_sim import run_compare
from bot.demo.locate_sim import run_locate
from bot.demo.multilabel_sim import run_multilabel
from bot.demo.rate_sim import run_rate
from bot.demo.transcribe_sim import run_transcribe
from bot.demo.translate_sim import run_translate
from storage import Store

TYPED_SIMS = (
    ("transcribe", run_transcribe),
    ("translate", run_translate),
    ("capture", run_capture),
)
JUDGED_SIMS = (
    ("multilabel", run_multilabel),
    ("compare", run_compare),
    ("rate", run_rate),
    ("locate", run_locate),
)


async def alone(
    store: Store, clock: ManualClock, sim: Coroutine[Any, Any, dict[str, Any]]
) -> dict[str, Any]:
    """Play one game's campaign on its own: every campaign active before it is paused while it
    runs (the simulated players' /play then serves only its tasks, so the games do not take
    each other's turns and a seed gives the same figures); `resume_paused` ends it."""
    for c in await store.list_campaigns(["active"]):
        await change_status(store, c, "pause", clock.now())
    return await sim


async def resume_paused(store: Store, now: float) -> None:
    """Every demo campaign active again once the games have been played."""
    for c in await store.list_campaigns(["paused"]):
        await change_status(store, c, "resume", now)


def typed_lines(extra: dict[str, Any]) -> list[str]:
    """Summary lines of the typed and contributed games (issue 16) and accuracy per game."""
    lines: list[str] = []
    if tr := extra.get("transcribe"):
        lines.append(
            f"transcription     {tr['finalized']} of {tr['items']} handwriting items finalized "
            f"(review {tr['review']}), {tr['accuracy']:.0%} right"
        )
    if tl := extra.get("translate"):
        lines.append(
            f"translation       {tl['translations']} translations, {tl['accepted']} of "
            f"{tl['sources']} sentences accepted (review {tl['review']}), "
            f"{tl['accuracy']:.0%} equal the reference"
        )
    if cp := extra.get("capture"):
        lines.append(
            f"photo capture     {cp['contributions']} photos, {cp['accepted']} accepted, "
            f"{cp['rejected']} rejected, {cp['refused_consent']} refused consent, "
            f"{cp['faces_blurred']} faces blurred"
        )
    lines += judged_lines(extra)
    if by_game := extra.get("accuracy_by_game"):
        parts = " · ".join(
            f"{g} MAE {v:.2f}" if g == "rate" else f"{g} {v:.0%}" for g, v in by_game.items()
        )
        lines.append(f"accuracy by game  {parts}")
    return lines


def judged_lines(extra: dict[str, Any]) -> list[str]:
    """Summary lines of the richer judgments (issue 17)."""
    lines: list[str] = []
    if ml := extra.get("multilabel"):
        lines.append(
            f"multilabel        {ml['finalized']} items finalized, per-attribute F1 "
            f"{ml['accuracy']:.2f}, exact sets {ml['exact_match']:.0%}"
        )
    if cp := extra.get("compare"):
        lines.append(
            f"compare           {cp['comparisons']} comparisons over {cp['pairs']} pairs, "
            f"ranking Spearman {cp['accuracy']:.3f} against the truth"
        )
    if rt := extra.get("rate"):
        lines.append(
            f"rate              {rt['finalized']} items finalized, MAE {rt['mae']:.3f}, "
            f"Krippendorff's alpha (interval) {rt['alpha']:.3f}"
        )
    if lo := extra.get("locate"):
        lines.append(
            f"locate            {lo['finalized']} images finalized (review {lo['review']}), "
            f"{lo['accuracy']:.0%} of the true boxes found at IoU >= 0.5"
        )
    return lines
