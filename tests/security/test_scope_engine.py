"""The scope rule at the engine level, on SQLite and PostgreSQL: a stranger who makes their
own group (community B) and moderates it tries community A's objects by name, by id and by
forged payload (issue 12, holes 1, 2, 3 and 12). Each refusal reads exactly like a missing
object and changes nothing."""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from dataclasses import replace

import pytest

from bot.core.campaigns.cases import CreateRequest
from bot.core.campaigns.uploads import Upload
from bot.core.engine import Engine
from bot.core.kernel.clock import ManualClock
from bot.core.kernel.codec import encode
from bot.core.kernel.errors import NotFound, PermissionDenied
from bot.core.review.cards import GOLD_BASE, OP_RESET, tally_key
from storage import CampaignRow, NewCampaign, SqlStore
from tests.support.engine import group_ref, private_ref
from tests.support.seeds import seed_campaign
from tests.support.settings import settings_for
from tests.support.uploads import images_zip

ADMIN = "1"
MOD_A = group_ref("7", "Ann", chat="-100111")  # moderator of community A
MOD_B = group_ref("8", "Eve", chat="-100222")  # a stranger's own group, community B


def files() -> object:
    async def fetch() -> Sequence[Upload]:
        return [Upload("birds.zip", images_zip())]

    return fetch


@pytest.fixture
async def eng(store: SqlStore, clock: ManualClock) -> AsyncIterator[Engine]:
    settings = settings_for(":memory:", admins={"telegram": [ADMIN]}, campaigns={"hours": "all"})
    e = Engine(store, settings, clock)
    try:
        yield e
    finally:
        await e.close()


async def birds_of_a(eng: Engine) -> CampaignRow:
    req = CreateRequest("Birds", "verify", start=True)
    await eng.campaigns.campaign_create(MOD_A, req, files())  # type: ignore[arg-type]
    found = await eng.store.get_campaign_by_name("Birds")
    assert found is not None and found.community_id is not None
    return found


async def to_review(store: SqlStore, campaign_id: int, item_id: int) -> None:
    async with store.db.transaction() as tx:
        await tx.execute(
            "UPDATE tallies SET status = 'review', n_answers = 3 "
            "WHERE campaign_id = ? AND item_id = ?",
            (campaign_id, item_id),
        )


async def first_item(store: SqlStore, campaign: CampaignRow) -> int:
    return min(i.id for i in await store.dataset_items(campaign.dataset_id))


# hole 1: datasets ---------------------------------------------------------------------


async def test_another_communitys_dataset_is_like_a_missing_one(eng: Engine) -> None:
    birds = await birds_of_a(eng)
    owners = await eng.store.dataset_owners()
    assert owners[birds.dataset_id] == birds.community_id
    dataset = next(d for d, _ in await eng.store.list_datasets() if d.id == birds.dataset_id)
    req = CreateRequest("Mine", "verify", dataset=dataset.name)
    with pytest.raises(NotFound) as refused:
        await eng.campaigns.campaign_create(MOD_B, req)
    assert str(refused.value).startswith(f"There is no dataset named {dataset.name!r}")
    assert "Birds" not in str(refused.value).split("(")[1]  # no names of community A
    assert await eng.store.get_campaign_by_name("Mine") is None
    # community A itself may reuse its dataset
    await eng.campaigns.campaign_create(
        MOD_A, CreateRequest("Birds2", "verify", dataset=dataset.name)
    )


async def test_gold_is_never_written_to_a_dataset_another_community_uses(eng: Engine) -> None:
    """Gold is per campaign (`campaign_gold`): B's moderator makes gold in B's campaign only;
    the shared campaign over the same dataset is unchanged (see test_campaign_gold.py)."""
    shared = await seed_campaign(eng.store, name="shared")
    await eng.campaigns.campaign_list(MOD_B)  # community B exists now
    b = await community(eng.store, "-100222")
    opts = ["yes", "no", "not_sure"]
    spec = NewCampaign("ours", "verify", shared.dataset_id, "Is this {label}?", opts, 1, 3, 0.8, 0)
    spec = replace(spec, community_id=b)
    ours = await eng.store.create_campaign(spec, 0.0)
    item = await first_item(eng.store, ours)
    await to_review(eng.store, ours.id, item)
    await eng.handle_button(MOD_B, encode("r", tally_key(ours.id, item), GOLD_BASE + 0))
    row = await eng.store.get_item(item)
    assert row is not None and row.gold is None
    assert item in await eng.store.campaign_gold(ours.id)
    assert await eng.store.campaign_gold(shared.id) == {}
    tally = await eng.store.get_tally(ours.id, item)
    assert tally is not None and tally.status == "reviewed"


async def community(store: SqlStore, chat: str) -> int:
    async with store.db.read() as c:
        found = await c.fetchval("SELECT id FROM communities WHERE external_id = ?", (chat,))
    assert found is not None
    return int(found)


async def count(store: SqlStore, table: str) -> int:
    async with store.db.read() as c:
        return int(await c.fetchval(f"SELECT COUNT(*) FROM {table}"))


# hole 2: /round NAME ------------------------------------------------------------------


async def test_round_of_another_communitys_campaign_is_refused(eng: Engine) -> None:
    await birds_of_a(eng)
    with pytest.raises(NotFound) as refused:
        await eng.play.post_round(MOD_B, "Birds")
    assert str(refused.value) == "There is no campaign named 'Birds'."
    assert await count(eng.store, "rounds") == 0
    await eng.play.post_round(MOD_A, "Birds")  # its own community still can


# hole 3: shared campaigns and the review queue ------------------------------------------


async def test_group_admins_do_not_moderate_shared_campaigns(eng: Engine) -> None:
    shared = await seed_campaign(eng.store, name="shared")
    item = await first_item(eng.store, shared)
    await to_review(eng.store, shared.id, item)
    reply = await eng.review.review(MOD_B)
    assert "Nothing" in reply.text or "nothing" in reply.text
    with pytest.raises(PermissionDenied):
        await eng.handle_button(MOD_B, encode("r", tally_key(shared.id, item), GOLD_BASE + 0))
    tally = await eng.store.get_tally(shared.id, item)
    assert tally is not None and tally.status == "review"
    row = await eng.store.get_item(item)
    assert row is not None and row.gold is None
    # a bot admin does moderate it
    admin = group_ref(ADMIN, "Root", chat="-100222", moderator=False)
    await eng.handle_button(admin, encode("r", tally_key(shared.id, item), 0))
    tally = await eng.store.get_tally(shared.id, item)
    assert tally is not None and tally.status == "reviewed"


async def test_review_acts_only_on_items_in_the_queue(eng: Engine) -> None:
    birds = await birds_of_a(eng)
    item = await first_item(eng.store, birds)  # open, never answered: not in the queue
    for choice in (0, GOLD_BASE + 0, 103):
        with pytest.raises(NotFound, match="not in the review queue"):
            await eng.handle_button(MOD_A, encode("r", tally_key(birds.id, item), choice))
    tally = await eng.store.get_tally(birds.id, item)
    assert tally is not None and tally.status == "open" and tally.reviewed_label is None
    row = await eng.store.get_item(item)
    assert row is not None and row.gold is None


async def test_forged_review_payload_for_another_communitys_item(eng: Engine) -> None:
    birds = await birds_of_a(eng)
    item = await first_item(eng.store, birds)
    await to_review(eng.store, birds.id, item)
    with pytest.raises(PermissionDenied) as refused:
        await eng.handle_button(MOD_B, encode("r", tally_key(birds.id, item), GOLD_BASE + 0))
    assert "Birds" not in str(refused.value)
    tally = await eng.store.get_tally(birds.id, item)
    assert tally is not None and tally.status == "review"


async def test_nobody_resets_their_own_standing(eng: Engine) -> None:
    shared = await seed_campaign(eng.store, name="shared")
    me = private_ref(ADMIN, "Root")
    await eng.players.consent(me, True)
    ident = await eng.store.get_identity("telegram", ADMIN)
    assert ident is not None
    await eng.store.player_standings(ident.player_id)
    with pytest.raises(PermissionDenied, match="Nobody resets their own standing"):
        await eng.handle_button(me, encode("m", ident.player_id, OP_RESET))
    assert shared.community_id is None


# hole 12: standings -------------------------------------------------------------------


async def test_standing_of_another_communitys_player_reads_like_a_stranger(eng: Engine) -> None:
    await birds_of_a(eng)
    player = group_ref("55", "Pia", chat="-100111", moderator=False)
    await eng.players.consent(player, True)
    with pytest.raises(NotFound) as refused:
        await eng.review.standing(MOD_B, "55", "Pia?")
    assert str(refused.value) == "Pia? hasn't joined LabelQuest: nothing is stored about them."
    ident = await eng.store.get_identity("telegram", "55")
    assert ident is not None
    with pytest.raises(NotFound):
        await eng.handle_button(MOD_B, encode("m", ident.player_id, OP_RESET))
    reply = await eng.review.standing(MOD_A, "55")
    assert "Pia" in reply.text
