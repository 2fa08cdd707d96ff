"""`run.py demo`: a fresh store, the demo data imported, a simulated community playing, and a
summary of what it produced (answers, finalized items, label accuracy per method, top 10,
badges awarded, the level histogram and the longest daily streak).

The community plays `WAVES_PER_DAY` waves (45 s apart) a day and comes back the next day, so
the simulation spans several days and daily streaks grow. With `--out DIR` the demo also
writes `leaderboard.png` (global, all time) and `rank-card.png` (the top player's).
"""

from __future__ import annotations

import asyncio
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bot.aggregation import METHODS
from bot.config import Settings
from bot.core.campaigns.importing import create_campaign, make_spec
from bot.core.engine import Engine
from bot.core.kernel.clock import ManualClock
from bot.core.kernel.models import Reply
from bot.demo.accuracy import accuracy_by_game, live_accuracy_by_game
from bot.demo.drawings_sim import run_drawings
from bot.demo.game_sims import (
    JUDGED_SIMS,
    TYPED_SIMS,
    alone,
    resume_paused,
    typed_lines,
)
from bot.demo.images import HARD_EVERY, SHAPES, classify_items, hard_items, verify_items
from bot.demo.quickdraw_sim import rounds_for, run_quickdraw
from bot.demo.simulate import SimPlayer, Simulation, make_players
from storage import CampaignRow, NewItem, RewardSnapshot, Store, open_store

METHOD_NAMES = {
    "live": "live weighted vote (engine)",
    "mv": "majority vote",
    "wawa": "Wawa (agreement-weighted)",
    "ds": "Dawid-Skene",
    "onecoin": "one-coin Dawid-Skene",
    "sds": "shrunk Dawid-Skene",
}
WAVES_PER_DAY = 6
HARD = "Shapes: hard cases"
"""A small campaign of blurred shapes with no ground truth (`bot.demo.images.hard_items`): a
strict confidence (0.95) and the crowd's split leave its items in the review queue."""
DAY_S = 86_400.0
WAVE_S = 45.0


class DailySimulation(Simulation):
    """The simulation, spread over days: after every `WAVES_PER_DAY` waves the community
    comes back the next day at the same time (so daily streaks grow)."""

    async def _serve(self, wave: int) -> list[tuple[SimPlayer, Reply]]:
        if wave and wave % WAVES_PER_DAY == 0:
            self.clock.advance(DAY_S - WAVES_PER_DAY * WAVE_S)
        return await super()._serve(wave)


@dataclass
class DemoSummary:
    seed: int
    players: int
    items: int
    gold_items: int
    answers: int
    finalized: int
    review: int
    accuracy: dict[str, float]
    leaderboard: list[dict[str, Any]]
    waves: int
    elapsed_s: float
    extra: dict[str, Any] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        return {
            "seed": self.seed,
            "players": self.players,
            "items": self.items,
            "gold_items": self.gold_items,
            "answers": self.answers,
            "finalized": self.finalized,
            "review": self.review,
            "accuracy": self.accuracy,
            "best_method": max(self.accuracy, key=lambda k: self.accuracy[k]),
            "leaderboard": self.leaderboard,
            "waves": self.waves,
            "elapsed_s": round(self.elapsed_s, 3),
            **self.extra,
        }


async def run_demo(
    settings: Settings,
    *,
    players: int = 40,
    items: int = 200,
    seed: int = 7,
    db: str | None = None,
    out: Path | None = None,
) -> DemoSummary:
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="labelquest-demo-") as tmp:
        url = db or str(Path(tmp) / "demo.db")
        store = await open_store(url)
        try:
            return await _play(store, settings, players, items, seed, started, out)
        finally:
            await store.close()


async def _play(
    store: Store,
    settings: Settings,
    n_players: int,
    n_items: int,
    seed: int,
    started: float,
    out: Path | None = None,
) -> DemoSummary:
    clock = ManualClock()
    engine = Engine(store, settings, clock)
    try:
        campaigns = await _create(store, settings, n_items, seed, clock.now())
        sim = DailySimulation(engine, clock, make_players(n_players, seed), seed)
        await sim.run()
        qd = await run_quickdraw(
            engine, clock, store, settings, sim.players, seed, rounds_for(n_items), out
        )
        drawings = await run_drawings(engine, clock, store, settings, sim.players, seed)
        args = (engine, clock, store, settings, sim.players, seed)
        typed, judged = {}, {}
        for name, run in TYPED_SIMS:
            typed[name] = await alone(store, clock, run(*args))
        for name, run in JUDGED_SIMS:  # issue 17: richer judgments
            judged[name] = await alone(store, clock, run(*args))
        await resume_paused(store, clock.now())
        rewards = await reward_figures(engine, sim.players, out)
    finally:
        await engine.close()
    acc, n_items_total, gold, finalized, review = await label_accuracy(store, campaigns)
    extra = {"quickdraw": qd, **rewards, "drawings": drawings, **typed, **judged}
    extra["accuracy_by_game"] = accuracy_by_game(
        await live_accuracy_by_game(store, campaigns), extra
    )
    top, _ = await store.leaderboard(limit=10)
    board = [{"rank": r.rank, "name": r.display_name, "points": r.points} for r in top]
    answers = 0
    for c in campaigns:
        answers += (await store.campaign_counts(c.id)).answers
    return DemoSummary(
        seed,
        n_players,
        n_items_total,
        gold,
        answers,
        finalized,
        review,
        acc,
        board,
        sim.waves,
        time.perf_counter() - started,
        extra,
    )


async def _snapshots(store: Store) -> list[RewardSnapshot]:
    snaps: list[RewardSnapshot] = []
    while batch := await store.reward_snapshots(snaps[-1].player_id if snaps else 0, 1000):
        snaps += batch
    return snaps


async def reward_figures(
    engine: Engine, players: list[SimPlayer], out: Path | None = None
) -> dict[str, Any]:
    """`badges_awarded` (players holding each badge, by badge id in config order), `levels`
    (level -> players, levels from lifetime points), `longest_streak` (the best daily streak
    of anyone, in days); with `out`, the global board and the top player's rank card."""
    snaps = await _snapshots(engine.store)
    held = Counter(b for s in snaps for b in s.rewards.badges.split(",") if b)
    curve = engine.reward_rules.curve
    levels = Counter(curve.level_for(s.points).level for s in snaps)
    figures: dict[str, Any] = {
        "badges_awarded": {b.id: held[b.id] for b in engine.reward_rules.badges if held[b.id]},
        "levels": {str(level): levels[level] for level in sorted(levels)},
        "longest_streak": max(
            (max(s.rewards.streak_best, s.rewards.streak_current) for s in snaps), default=0
        ),
    }
    if out is not None and snaps:
        best = max(snaps, key=lambda s: (s.points, -s.player_id))
        ref = next(p.ref for p in players if p.ref.display_name == best.display_name)
        board = await engine.boards.leaderboard(ref, "global", "all")
        card = await engine.boards.profile(ref)
        await asyncio.to_thread(_write_images, out, board, card)
    return figures


def _write_images(folder: Path, board: Reply, card: Reply) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    assert board.media is not None and card.media is not None
    (folder / "leaderboard.png").write_bytes(board.media.data)
    (folder / "rank-card.png").write_bytes(card.media.data)


async def _create(
    store: Store, settings: Settings, n_items: int, seed: int, now: float
) -> list[CampaignRow]:
    half = n_items // 2
    out = []
    plans: list[tuple[str, str, list[str], str, list[NewItem]]] = [
        (
            "Shapes: is it?",
            "verify",
            [],
            "Is this {label}?",
            verify_items(half, seed, gold_share=0.12),
        ),
        (
            "Shapes: which one?",
            "classify",
            list(SHAPES),
            "Which shape is it?",
            classify_items(n_items - half, seed, gold_share=0.12),
        ),
        (
            HARD,
            "classify",
            list(SHAPES),
            "Which shape is it?",
            hard_items(n_items // HARD_EVERY, seed),
        ),
    ]
    for name, game, options, question, items in plans:
        if await store.get_campaign_by_name(name) is not None:
            raise ValueError(f"the store already has a campaign {name!r}: use a fresh --db")
        ds = await store.create_dataset(f"{name} (seed {seed})", "image", "demo", now)
        await store.add_items(ds.id, items, now)
        spec = make_spec(
            settings,
            name,
            game,
            options=options,
            question=question,
            min_overlap=3,
            max_overlap=5 if name == HARD else 7,
            confidence=0.95 if name == HARD else 0.8,
            gold_rate=0.0 if name == HARD else 0.1,
        )
        out.append(await create_campaign(store, spec, ds.id, now))
    return out


async def label_accuracy(
    store: Store, campaigns: list[CampaignRow]
) -> tuple[dict[str, float], int, int, int, int]:
    """Accuracy of every method against the hidden truth, over all non-gold items (an item a
    method leaves unlabelled counts as wrong). Batch methods see every answer that names a
    label, as in exports and reports (`bot.core.exports.batch_labels`): gold items' answers
    included (they tell a model who is reliable), the live quality flags not applied,
    abstentions ("not sure") left out. Plain majority vote thus counts every answer once."""
    right = dict.fromkeys(METHOD_NAMES, 0)
    total = gold = finalized = review = 0
    for c in campaigns:
        items = {i.id: i for i in await store.campaign_items(c.id)}
        played = {k: v for k, v in items.items() if v.gold is None}
        plain = {k: v for k, v in played.items() if v.truth is not None}  # ambiguous: none
        gold += len(items) - len(played)
        total += len(plain)
        tallies = {t.item_id: t for t in await store.campaign_tallies(c.id)}
        finalized += sum(1 for k in plain if tallies[k].status == "finalized")
        review += sum(1 for k in played if tallies[k].status == "review")
        right["live"] += sum(1 for k, it in plain.items() if tallies[k].label == it.truth)
        rows = [
            (str(a.item_id), str(a.player_id), a.label)
            for a in await store.campaign_answers(c.id)
            if a.label != "not_sure"
        ]
        for name, cls in METHODS.items():
            if name in right and rows:
                labels = cls().fit_predict(rows)
                right[name] += sum(1 for k, it in plain.items() if labels.get(str(k)) == it.truth)
    acc = {k: round(v / total, 4) if total else 0.0 for k, v in right.items()}
    return acc, total, gold, finalized, review


def format_summary(s: DemoSummary) -> str:
    lines = [
        f"LabelQuest demo · seed {s.seed} · {s.players} simulated players · {s.items} items "
        f"(+{s.gold_items} gold)",
        f"answers stored    {s.answers:>7,}   ({s.waves} waves, {s.elapsed_s:.1f} s)",
        f"items finalized   {s.finalized:>7,} / {s.items}   (sent to review: {s.review})",
        "label accuracy against the ground truth:",
    ]
    best = max(s.accuracy.values()) if s.accuracy else 0.0
    for key, value in s.accuracy.items():
        star = "  ← best" if value == best else ""
        lines.append(f"  {key:<8} {METHOD_NAMES.get(key, key):<30} {value:.3f}{star}")
    if qd := s.extra.get("quickdraw"):
        lines.append(
            f"quick-draw        {qd['rounds']} doodle rounds, {qd['guesses']} guesses, "
            f"{qd['recognized_rate']:.0%} of the doodles recognizable"
        )
    if dr := s.extra.get("drawings"):
        lines.append(
            f"player drawings   {dr['submitted']} drawn, {dr['shown']} shown in rounds, "
            f"{dr['recognised_rate']:.0%} recognised by the others"
        )
    lines += typed_lines(s.extra)
    if "levels" in s.extra:
        x = s.extra
        levels = ", ".join(f"L{k}: {v}" for k, v in x["levels"].items())
        lines.append(
            f"rewards           {sum(x['badges_awarded'].values())} badges awarded "
            f"({len(x['badges_awarded'])} kinds), longest streak "
            f"{x['longest_streak']} days, levels {levels}"
        )
    lines.append("top 10:")
    for row in s.leaderboard:
        lines.append(f"  {row['rank']:>2}. {row['name']:<12} {row['points']:>6} pts")
    return "\n".join(lines)
