"""The contract every registered game must honour (new games join automatically)."""

from __future__ import annotations

import pytest

from bot.core.kernel.errors import InvalidInput
from bot.games.base import Game
from bot.games.registry import GAMES, get_game
from storage.rows import CampaignRow, ItemRow

OPTIONS = {
    "classify": ["cat", "dog", "bird"],
    "multilabel": ["cat", "dog", "bird"],
}
# games answered on a canvas (no buttons, no typing): a right and a wrong answer to the gold
CANVAS = {"locate": ('{"boxes":[[10,10,30,20]]}', '{"boxes":[[60,50,30,20]]}')}


def _campaign(game: Game) -> CampaignRow:
    opts = game.check_options(OPTIONS.get(game.name, []))
    return CampaignRow(
        1,
        "c",
        game.name,
        1,
        game.default_question(),
        opts,
        1,
        3,
        0.8,
        0.1,
        1,
        "active",
        None,
        "",
        {},
        0.0,
    )


def _item(game: Game, gold: str | None = None) -> ItemRow:
    kind = sorted(game.item_kinds)[0]
    return ItemRow(
        1,
        1,
        kind,
        "x",
        "some text",
        "cat",
        gold,
        None,
        None,
        {"word": "cat", "width": 100, "height": 80},
    )


@pytest.fixture(params=sorted(GAMES))
def game(request: pytest.FixtureRequest) -> Game:
    return GAMES[request.param]


def test_registry_lookup(game: Game) -> None:
    assert get_game(game.name) is game
    with pytest.raises(InvalidInput, match="unknown game"):
        get_game("chess")


def test_options_fit_platform_limits(game: Game) -> None:
    campaign, item = _campaign(game), _item(game)
    options = game.options(campaign, item)
    if not game.free_text:
        assert 2 <= len(options) <= 25
        assert len({o.key for o in options}) == len(options)
        assert all(0 < len(o.text) <= 80 for o in options)
    assert game.question(campaign, item).strip()


def test_every_option_normalizes_to_itself(game: Game) -> None:
    campaign, item = _campaign(game), _item(game)
    for opt in game.options(campaign, item):
        assert game.normalize(campaign, item, opt.key) == opt.key
        assert game.describe(campaign, item, opt.key)
    if not game.free_text:
        with pytest.raises(InvalidInput):
            game.normalize(campaign, item, "definitely-not-an-option")


def test_evidence_is_a_subset_of_the_options(game: Game) -> None:
    campaign, item = _campaign(game), _item(game)
    keys = {o.key for o in game.options(campaign, item)}
    evidence = game.evidence_options(campaign, item)
    if not keys and (game.takes_text(item) or game.name in CANVAS):  # every answer an outcome
        assert evidence == []
        return
    assert evidence and set(evidence) <= keys | set(evidence if game.free_text else [])


def test_gold_judgement(game: Game) -> None:
    campaign = _campaign(game)
    if game.name in CANVAS:
        right, wrong = (game.normalize(campaign, _item(game), a) for a in CANVAS[game.name])
        assert game.is_correct(_item(game), right) is None
        assert game.is_correct(_item(game, gold=right), right) is True
        assert game.is_correct(_item(game, gold=right), wrong) is False
        return
    if not game.options(campaign, _item(game)):  # typed: normalised forms are compared
        typed = game.normalize(campaign, _item(game), "  Some   TEXT ")
        assert game.is_correct(_item(game), typed) is None
        assert game.is_correct(_item(game, gold="some text"), typed) is True
        assert game.is_correct(_item(game, gold="other text"), typed) is False
        return
    first = game.options(campaign, _item(game))[0].key
    assert game.is_correct(_item(game), first) is None
    gold_item = _item(game, gold=first)
    assert game.is_correct(gold_item, first) is True
    other = next(o.key for o in game.options(campaign, gold_item) if o.key != first)
    assert game.is_correct(gold_item, other) is False


def test_typed_games_refuse_bad_text(game: Game) -> None:
    campaign, item = _campaign(game), _item(game)
    if game.options(campaign, item) or not game.takes_text(item):
        return
    for bad in ("", "   ", "\u3000", "a\x00b", "x" * 5000):
        with pytest.raises(InvalidInput):
            game.normalize(campaign, item, bad)
