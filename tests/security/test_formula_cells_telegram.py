"""Formula cells end to end on Telegram (issue 12, hole 4), through python-telegram-bot against
the fake: a player's free-text doodle guess and a classify option that a spreadsheet would
run as formulas reach the admin's /export as text cells (a leading `'`), read back with
Python's csv module from the document the fake received."""

from __future__ import annotations

import csv
import io

from bot.csv_safe import DANGEROUS
from tests.support.doodles import doodle_campaign
from tests.support.fakes.telegram import JSONDict
from tests.support.telegram_world import ADMIN_ID, World, button, start

FORMULA = '=HYPERLINK("http://x","y")'


async def exported(tg: World, admin: JSONDict, args: str) -> list[dict[str, str]]:
    """The rows of the CSV document the admin receives for `/export args`."""
    await tg.fake.send_command(admin["id"], admin, "/export", args)
    doc = await tg.sent(admin["id"], "sendDocument")
    assert doc.file is not None and doc.file.file_name.endswith(".csv")
    return list(csv.DictReader(io.StringIO(doc.file.data.decode(), newline="")))


def formulas(rows: list[dict[str, str]]) -> list[str]:
    """Every cell a spreadsheet would run as a formula."""
    return [v for r in rows for v in r.values() if v and v[0] in DANGEROUS]


async def group_with_moderator(tg: World) -> tuple[JSONDict, JSONDict]:
    mod = tg.person(7, "Mo")
    group = tg.group()
    tg.fake.set_admins(group, mod)
    return group, mod


async def test_a_formula_guessed_in_a_doodle_round_is_a_text_cell_in_the_export(
    tg: World,
) -> None:
    await start(tg, campaigns={"hours": "all"})
    admin = tg.person(ADMIN_ID, "Root")
    await doodle_campaign(tg.store, ("cat",), now=tg.clock.now())
    group, mod = await group_with_moderator(tg)
    await tg.fake.send_command(group, mod, "/round")
    await tg.sent(group["id"], "sendAnimation", text="Quick, Draw! round")
    ann, bob = tg.person(100, "Ann"), tg.person(101, "Bob")
    for player in (ann, bob):
        await tg.consented(player, group)
    tg.clock.advance(5)
    await tg.fake.send_command(group, ann, "/guess", FORMULA)
    await tg.sent(ann["id"])
    await tg.fake.send_command(group, bob, "/guess", "@SUM(A1)")
    await tg.sent(bob["id"])

    answers = await exported(tg, admin, "Doodles answers")
    assert formulas(answers) == []
    cells = {v for r in answers for v in r.values()}
    assert any(v.startswith("'=") and "HYPERLINK" in v.upper() for v in cells), answers
    assert any(v.startswith("'@") for v in cells), answers


async def test_a_classify_option_starting_with_at_is_a_text_cell_in_the_export(
    tg: World,
) -> None:
    await start(tg, campaigns={"hours": "all"})
    admin = tg.person(ADMIN_ID, "Root")
    options = ["@SUM(A1)", "-2+3", "blue"]
    await tg.campaign(game="classify", items=3, options=options, text_items=True)
    group, mod = await group_with_moderator(tg)
    await tg.fake.send_command(group, mod, "/round")
    card = await tg.sent(group["id"], text="Round")
    players = [tg.person(100 + i, f"P{i}") for i in range(3)]
    tg.clock.advance(5)
    for i, player in enumerate(players):
        await tg.consented(player, group)
        data = button(card, options[i % 2])
        query = await tg.fake.press(group, player, card.message_id, data)
        assert "Vote recorded" in ((await tg.fake.wait_for_answer(query)).text or "")

    answers = await exported(tg, admin, "colours answers")
    assert formulas(answers) == []
    labels = {r["label"] for r in answers}
    assert labels == {"'@SUM(A1)", "'-2+3"}, answers
    assert formulas(await exported(tg, admin, "colours")) == []
