"""The demo's image capture (issue 16): some simulated players contribute photos, the others
verify them, and the tick settles them.

A capture campaign "Capture: a chair near you" (subject `chair`, no upload) takes photos.
The first `CONTRIBUTORS` players who are not spammers, clickers or random guessers answer the
three photo consents (the first refuses consent (1), so nothing of theirs is stored; the
second refuses consent (3), publication) and send `PHOTOS_EACH` photos each: Pillow-drawn
rooms (`scene`) that show a chair, or another piece of furniture (off-subject), or a chair
photographed blurry or in the dark; which one is a hash of the seed. Every photo goes through
`engine.capture.contribute`, so it is cleaned and its faces blurred as a player's would be.
The other players verify in /play: a player answers the truth (✅ yes for a usable chair, ❌
for another object, 📷 for blurry or dark) with their accuracy, "not sure" with their
not-sure rate, else a wrong answer; tasks of other campaigns are skipped. Then the tick
settles decided photos: accepted (label yes) or rejected.
"""

from __future__ import annotations

import io
import random
from collections import Counter
from typing import Any

from PIL import Image, ImageDraw, ImageEnhance, ImageFilter

from bot.config import Settings
from bot.core.campaigns.importing import make_spec, store_import
from bot.core.engine import Engine
from bot.core.kernel.clock import ManualClock
from bot.core.kernel.errors import LabelQuestError, NoTaskAvailable
from bot.core.kernel.models import Reply
from bot.demo.simulate import SimPlayer
from bot.games.capture import NOT_SUBJECT, NOT_SURE, UNUSABLE, YES, CaptureGame
from storage import Store

CAMPAIGN = "Capture: a chair near you"
CONTRIBUTORS = 6
PHOTOS_EACH = 3
TASKS_EACH = 8
NOT_CONTRIBUTING = ("spammer", "clicker", "guesser")
KINDS = ("chair", "chair", "off", "blurry", "dark")
TRUTH = {"chair": YES, "off": NOT_SUBJECT, "blurry": UNUSABLE, "dark": UNUSABLE}


def scene(kind: str, seed: str, size: tuple[int, int] = (480, 360)) -> bytes:
    """A JPEG of a room: a chair (or, `off`, a table and lamp), blurred for `blurry`, dark
    for `dark`; colours and places from `seed`."""
    rng = random.Random(seed)
    w, h = size
    wall = tuple(rng.randint(150, 230) for _ in range(3))
    img = Image.new("RGB", size, wall)
    d = ImageDraw.Draw(img)
    d.rectangle((0, int(h * 0.7), w, h), fill=(rng.randint(90, 140), 80, 50))
    wood = (rng.randint(60, 110), rng.randint(30, 60), 20)
    x, y = rng.randint(40, w - 200), int(h * 0.4)
    if kind == "off":  # a table and a lamp, no chair
        d.rectangle((x, y + 30, x + 160, y + 45), fill=wood)
        d.rectangle((x + 10, y + 45, x + 20, int(h * 0.85)), fill=wood)
        d.rectangle((x + 140, y + 45, x + 150, int(h * 0.85)), fill=wood)
        d.polygon(
            [(x + 60, y - 40), (x + 100, y - 40), (x + 110, y), (x + 50, y)], fill=(240, 220, 120)
        )
    else:  # a chair: back, seat, legs
        d.rectangle((x, y - 60, x + 12, y + 40), fill=wood)
        d.rectangle((x, y + 30, x + 90, y + 44), fill=wood)
        for lx in (x, x + 80):
            d.rectangle((lx, y + 44, lx + 10, int(h * 0.85)), fill=wood)
    if kind == "blurry":
        img = img.filter(ImageFilter.GaussianBlur(9))
    if kind == "dark":
        img = ImageEnhance.Brightness(img).enhance(0.12)
    out = io.BytesIO()
    img.save(out, "JPEG", quality=85)
    return out.getvalue()


async def _create(engine: Engine, clock: ManualClock, store: Store, settings: Settings) -> Any:
    game = {"prompt": "a photo of a chair near you", "subject": "chair"}
    spec = make_spec(
        settings, CAMPAIGN, "capture", min_overlap=3, max_overlap=5, gold_rate=0.0,
        game_settings=game,
    )  # fmt: skip
    return await store_import(store, "image", "contributed photos", [], spec, clock.now())


async def _contribute(
    engine: Engine, p: SimPlayer, i: int, seed: int, truth: dict[int, str], out: Counter[str]
) -> None:
    """Player i answers the consents (i == 0 refuses (1), i == 1 refuses (3)) and sends
    `PHOTOS_EACH` photos; stored ones are recorded in `truth` (item id -> right answer)."""
    reply = await engine.capture.start(p.ref, CAMPAIGN)
    for n in range(3):
        refuse = (i == 0 and n == 0) or (i == 1 and n == 2)
        reply = await engine.handle_button(p.ref, _button(reply, "No" if refuse else "Yes"))
    for j in range(PHOTOS_EACH):
        kind = KINDS[random.Random(f"{seed}:capture:{i}:{j}").randrange(len(KINDS))]
        sent = await engine.capture.contribute(
            p.ref, scene(kind, f"{seed}:{i}:{j}"), f"photo{j}.jpg", "image/jpeg"
        )
        if "not stored" in sent.text:
            out["refused_consent"] += 1
            continue
        mine = await engine.store.player_contributions(
            await engine.kernel.require_player(p.ref), "photo"
        )
        truth[mine[-1].item_id] = TRUTH[kind]
        out["faces_blurred"] += int(mine[-1].meta.get("faces_blurred", 0))


def _button(reply: Reply, label: str) -> str:
    return next(c.payload for row in reply.choices for c in row if c.label == label)


def _answer(p: SimPlayer, truth: str, rng: random.Random) -> str:
    if rng.random() < p.not_sure:
        return NOT_SURE
    if rng.random() < p.accuracy:
        return truth
    return rng.choice([k for k in (YES, NOT_SUBJECT, UNUSABLE) if k != truth])


async def _verify(
    engine: Engine, clock: ManualClock, p: SimPlayer, campaign_id: int, truth: dict[int, str],
    seed: int,
) -> int:  # fmt: skip
    """Up to `TASKS_EACH` capture tasks answered by `p` in /play; returns how many."""
    rng = random.Random(f"{seed}:verify:{p.ref.external_id}")
    game, done = CaptureGame(), 0
    for _ in range(TASKS_EACH * 3):
        try:
            card = await engine.play.next_task(p.ref)
        except NoTaskAvailable:
            break
        assert card.round_id is not None
        rnd = await engine.store.get_round(card.round_id)
        if rnd is None or rnd.campaign_id != campaign_id or rnd.item_id not in truth:
            await engine.play.skip(p.ref, card.round_id)
            continue
        campaign = await engine.kernel.campaign(campaign_id)
        item = await engine.kernel.item(rnd.item_id)
        key = _answer(p, truth[rnd.item_id], rng)
        text = next(o.text for o in game.options(campaign, item) if o.key == key)
        clock.set(clock.now() + rng.uniform(*p.think))
        try:
            await engine.handle_button(p.ref, _button(card, text))
        except LabelQuestError:
            continue
        done += 1
        if done >= TASKS_EACH:
            break
    return done


async def run_capture(
    engine: Engine,
    clock: ManualClock,
    store: Store,
    settings: Settings,
    players: list[SimPlayer],
    seed: int,
) -> dict[str, Any]:
    """Contribute, verify, settle; the figures for the summary's `capture`."""
    campaign = await _create(engine, clock, store, settings)
    contributors = [p for p in players if p.kind not in NOT_CONTRIBUTING][:CONTRIBUTORS]
    out: Counter[str] = Counter()
    truth: dict[int, str] = {}
    for i, p in enumerate(contributors):
        await engine.players.consent(p.ref, True)
        try:
            await _contribute(engine, p, i, seed, truth, out)
        except LabelQuestError:
            out["errors"] += 1
    answers = 0
    for p in players:
        await engine.players.consent(p.ref, True)
        answers += await _verify(engine, clock, p, campaign.id, truth, seed)
    clock.set(clock.now() + 1.0)
    await engine.capture.settler.settle()
    return await _figures(store, campaign, truth, out, answers)


async def _figures(
    store: Store, campaign: Any, truth: dict[int, str], out: Counter[str], answers: int
) -> dict[str, Any]:
    rows = await store.campaign_contributions(campaign.id, "photo")
    outcome = Counter(r.outcome or "pending" for r in rows)
    settled = [r for r in rows if r.outcome is not None]
    right = sum((r.outcome == "accepted") == (truth.get(r.item_id) == YES) for r in settled)
    given = [r.meta.get("consents", {}) for r in rows if r.outcome == "accepted"]
    return {
        "campaign": campaign.name,
        "contributions": len(rows),
        "accepted": outcome.get("accepted", 0),
        "rejected": outcome.get("rejected", 0),
        "pending": outcome.get("pending", 0),
        "refused_consent": out.get("refused_consent", 0),
        "faces_blurred": out.get("faces_blurred", 0),
        "verifications": answers,
        "settle_accuracy": round(right / len(settled), 4) if settled else None,
        "not_for_publication": sum(
            r.meta.get("consents", {}).get("publish") is False for r in rows
        ),
        "owner_dataset": sum(g.get("owner_use") is True for g in given),
        "published_dataset": sum(
            g.get("owner_use") is True and g.get("publish") is True for g in given
        ),
    }
