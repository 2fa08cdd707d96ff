"""A translate campaign and the steps of its players, at engine level."""

from __future__ import annotations

from bot.core.campaigns.importing import make_spec, store_import
from bot.core.engine import Engine
from bot.core.kernel.clock import ManualClock
from bot.core.kernel.models import PlayerRef, Reply
from bot.games.translate import stage_of
from storage import CampaignRow, ItemRow
from storage.rows import NewItem

SENTENCES = (("The cat sleeps.", "Die Katze schläft."),)


async def translate_campaign(
    engine: Engine,
    *,
    name: str = "Sentences",
    sentences: tuple[tuple[str, str], ...] = SENTENCES,
    max_overlap: int = 1,
    validators: int = 2,
    max_chars: int = 500,
) -> CampaignRow:
    """English -> German, min overlap 1, confidence 0.9: it takes two yes votes of new players
    (q = 0.8 each, P(yes) = 0.94) to make a candidate valid."""
    spec = make_spec(
        engine.settings, name, "translate", min_overlap=1, max_overlap=max_overlap,
        confidence=0.9, gold_rate=0.0,
        game_settings={"source": "en", "target": "de", "validators": str(validators),
                       "max_chars": str(max_chars)},
    )  # fmt: skip
    items = [
        NewItem(kind="text", source=f"s{i}", text=en, truth=de)
        for i, (en, de) in enumerate(sentences)
    ]
    return await store_import(engine.store, "text", "test", items, spec, engine.now())


async def speakers(engine: Engine, *refs: PlayerRef, codes: str = "de en") -> None:
    for ref in refs:
        await engine.players.consent(ref, True)
        await engine.languages.command(ref, codes)


def think(engine: Engine, seconds: float = 8.0) -> None:
    """Time to read a card: answers within a second or two count as too fast (spam rule)."""
    clock = engine.kernel.clock
    assert isinstance(clock, ManualClock)
    clock.advance(seconds)


async def task(engine: Engine, ref: PlayerRef) -> tuple[Reply, ItemRow]:
    """The player's next /play card and the item it shows (read for a few seconds)."""
    card = await engine.play.next_task(ref)
    think(engine)
    assert card.round_id is not None
    rnd = await engine.store.get_round(card.round_id)
    assert rnd is not None
    item = await engine.store.get_item(rnd.item_id)
    assert item is not None
    return card, item


async def translate(engine: Engine, ref: PlayerRef, text: str) -> Reply:
    card, item = await task(engine, ref)
    assert stage_of(item) == "source", item
    return await engine.play.answer_text(ref, text, round_id=card.round_id)


async def judge(engine: Engine, ref: PlayerRef, stage: str, choice: int) -> ItemRow:
    """Answer the next card (a candidate: 0 yes, 1 no; a pair: 0 A, 1 B)."""
    card, item = await task(engine, ref)
    assert stage_of(item) == stage, item
    assert card.round_id is not None
    await engine.play.answer(ref, card.round_id, choice, continue_session=False)
    return item


async def points(engine: Engine, ref: PlayerRef) -> int:
    ident = await engine.store.get_identity(ref.platform, ref.external_id)
    assert ident is not None
    stats = await engine.store.get_stats(ident.player_id)
    return 0 if stats is None else stats.points
