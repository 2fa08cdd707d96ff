"""Creating transcription campaigns: the labels CSV's `label` is the text (hidden truth, or
the gold answer), normalised by the campaign's settings; from the command line and from a
Telegram group with a .zip of images."""

from __future__ import annotations

import asyncio
import io
import zipfile
from pathlib import Path

import pytest

from bot.cli.main import main
from bot.core.campaigns.importing import ImportFailed, import_images, make_spec
from bot.core.kernel.errors import InvalidInput
from storage import SqlStore, open_store
from tests.support.settings import settings_for
from tests.support.telegram_world import World, shown, upload
from tests.typed.seeds import NOW, word_png

CSV = "file,label,gold\na.png,Good  Morning,\nb.png,Hello,yes\nc.png,Straße,\n"


def _folder(tmp: Path) -> Path:
    folder = tmp / "words"
    folder.mkdir()
    for name, text in [("a.png", "Good Morning"), ("b.png", "Hello"), ("c.png", "Strasse")]:
        (folder / name).write_bytes(word_png(text))
    (folder / "labels.csv").write_text(CSV, encoding="utf-8")
    return folder


async def test_the_label_column_is_the_text(store: SqlStore, tmp_path: Path) -> None:
    folder = _folder(tmp_path)
    spec = make_spec(settings_for(":memory:"), "Hand", "transcribe")
    assert spec.settings == {"case": "fold", "spaces": "collapse", "max_chars": 200}
    campaign, skipped = await import_images(store, folder, folder / "labels.csv", spec, now=NOW)
    assert skipped == []
    items = await store.dataset_items(campaign.dataset_id)
    assert [(i.truth, i.gold) for i in items] == [
        ("good morning", None),
        ("hello", "hello"),
        ("strasse", None),
    ]
    assert campaign.game == "transcribe" and campaign.options == []


async def test_settings_change_how_the_text_is_kept(store: SqlStore, tmp_path: Path) -> None:
    folder = _folder(tmp_path)
    raw = {"case": "keep", "spaces": "keep"}
    spec = make_spec(settings_for(":memory:"), "Hand", "transcribe", game_settings=raw)
    campaign, _ = await import_images(store, folder, folder / "labels.csv", spec, now=NOW)
    items = await store.dataset_items(campaign.dataset_id)
    assert [i.truth for i in items] == ["Good  Morning", "Hello", "Straße"]


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ({"case": "upper"}, "case must be fold or keep, not 'upper'"),
        ({"max_chars": "0"}, "max_chars must be a whole number from 1 to 1000"),
        ({"max_chars": "5000"}, "max_chars must be a whole number from 1 to 1000"),
        ({"colour": "red"}, "unknown setting colour (known: case, max_chars, spaces)"),
    ],
)
def test_bad_settings_are_named(raw: dict[str, str], message: str) -> None:
    with pytest.raises(InvalidInput, match=message.replace("(", r"\(").replace(")", r"\)")):
        make_spec(settings_for(":memory:"), "Hand", "transcribe", game_settings=raw)


async def test_a_text_over_the_limit_names_its_line(store: SqlStore, tmp_path: Path) -> None:
    folder = _folder(tmp_path)
    raw = {"max_chars": "8"}
    spec = make_spec(settings_for(":memory:"), "Hand", "transcribe", game_settings=raw)
    with pytest.raises(ImportFailed, match="line 2: label: Your answer is 12 characters long"):
        await import_images(store, folder, folder / "labels.csv", spec, now=NOW)
    assert await store.list_campaigns() == []


def test_create_from_the_command_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = _folder(tmp_path)
    db = str(tmp_path / "lq.db")
    argv = ["campaign", "create", "Hand", "--game", "transcribe", "--images", str(folder)]
    argv += ["--labels", str(folder / "labels.csv"), "--set", "case=keep", "--db", db]
    code = main(argv)
    out = capsys.readouterr()
    assert code == 0, out.err
    assert "created campaign 'Hand': 2 items, transcribe" in out.out  # gold not counted

    async def stored() -> tuple[dict[str, object], list[str | None]]:
        store = await open_store(db)
        try:
            campaign = await store.get_campaign_by_name("Hand")
            assert campaign is not None
            items = await store.dataset_items(campaign.dataset_id)
            return campaign.settings, [i.truth for i in items]
        finally:
            await store.close()

    settings, truths = asyncio.run(stored())
    assert settings == {"case": "keep", "spaces": "collapse", "max_chars": 200}
    assert truths == ["Good Morning", "Hello", "Straße"]


def _zip(tmp: Path) -> bytes:
    folder = _folder(tmp)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for path in sorted(folder.iterdir()):
            zf.writestr(f"words/{path.name}", path.read_bytes())
    return buf.getvalue()


async def test_create_from_a_telegram_group(tg: World, tmp_path: Path) -> None:
    await tg.start()
    group = tg.group()
    mod = tg.person(7, "Mo")
    tg.fake.set_admins(group, mod)
    caption = "/campaign create Hand game=transcribe max_chars=50"
    await upload(tg, group, mod, "words.zip", _zip(tmp_path), caption=caption)
    created = await tg.sent(group["id"], text="Campaign Hand created")
    assert "2 items (+1 gold), game transcribe" in shown(created)
    campaign = await tg.store.get_campaign_by_name("Hand")
    assert campaign is not None and campaign.settings["max_chars"] == 50
