"""Reply -> Discord message: Discord's limits hold whatever the engine says."""

from __future__ import annotations

from bot.cogs import render
from bot.cogs.buttons import PayloadButton
from bot.core.kernel.codec import encode
from bot.core.kernel.models import Choice, Media, Reply, Style, rows


async def test_text_goes_to_content_and_long_text_to_an_embed() -> None:
    short = render.build(Reply("hello"))
    assert (short.content, short.embed, short.files, short.view) == ("hello", None, [], None)
    long = render.build(Reply("x" * 2500))
    assert long.content is None and long.embed is not None
    assert long.embed.description == "x" * 2500
    huge = render.build(Reply("y" * 5000))
    assert huge.embed is not None and huge.embed.description is not None
    assert len(huge.embed.description) == render.EMBED_MAX and huge.embed.description[-1] == "…"


async def test_an_image_is_an_embed_showing_the_attachment_with_alt_text() -> None:
    media = Media(b"\x89PNG...", "item-7.png", "The image to label")
    out = render.build(Reply("Is this red?", media=media))
    assert out.content is None and out.embed is not None
    assert out.embed.description == "Is this red?"
    assert out.embed.image.url == "attachment://item-7.png"
    (file,) = out.files
    assert (file.filename, file.description) == ("item-7.png", "The image to label")

    edit = render.build(Reply("2 players", media=media), with_files=False)
    assert edit.files == [] and "attachments" not in edit.edit_kwargs()  # keep the upload
    assert edit.embed is not None and edit.embed.image.url == "attachment://item-7.png"


async def test_files_over_the_size_limit_are_named_not_sent() -> None:
    big = Media(b"x" * 100, "my-data.json", kind="document")
    out = render.build(Reply("Your data", files=(big,)), size_limit=50)
    assert out.files == [] and "my-data.json is too large" in (out.content or "")


async def test_buttons_keep_rows_clip_labels_and_are_stateless() -> None:
    choices = [Choice(f"option {i}", encode("a", 1, i)) for i in range(7)]
    choices.append(Choice("L" * 120, encode("s", 1), Style.DANGER))
    view = render.view_for(rows(*choices))
    assert view is not None and view.is_finished()  # discord.py stores nothing per message
    items = view.children
    assert all(isinstance(i, PayloadButton) for i in items)
    rows_of = [(i.row, i.payload) for i in items if isinstance(i, PayloadButton)]
    assert [r for r, _ in rows_of] == [0, 0, 0, 0, 0, 1, 1, 1]
    assert rows_of[0][1] == "v1:a:1:0"
    components = view.to_components()
    labels = [c["label"] for row in components for c in row["components"]]
    assert len(labels[-1]) == 80 and labels[-1].endswith("…")
    assert components[1]["components"][-1]["style"] == 4  # danger
