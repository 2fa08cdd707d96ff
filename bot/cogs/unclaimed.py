"""Component presses and modal submissions nothing in the bot handles: answered anyway.

discord.py routes a component interaction (type 3) to each DynamicItem whose template
fullmatches its custom_id (here only `PayloadButton`, template `codec.PATTERN`, which answers
buttons) and to a View item registered for it; a modal submission (type 5) to the Modal waiting
for its custom_id. Anything else it drops without a word, and after 3 s the user sees "This
interaction failed": a garbage custom_id, a future payload version (`v2:a:1:0`), a select
menu, the guess modal of a process that has since restarted.

`is_unclaimed` asks the router's own question at the router's own moment:
`ConnectionState.parse_interaction_create` routes (`ViewStore.dispatch_view` /
`dispatch_modal`) and then dispatches the `interaction` event in one synchronous step, so
`LabelQuestBot.dispatch` sees the view store exactly as the router did (a view that stops in
its callback cannot make a handled press look unclaimed, and a handled press is never answered
twice: one response per interaction). An unclaimed one becomes the custom event
`unclaimed_interaction`, answered privately with the engine's `texts.UNKNOWN_BUTTON` and no
engine call. Verified with discord.py 2.7.1 (it reads private `ViewStore` fields: pinned).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import discord
from discord.ui.view import ViewStore

from bot.cogs import errors
from bot.core.engine import Engine
from bot.core.kernel import texts
from bot.core.kernel.errors import UnknownPayload

BUTTON = discord.ComponentType.button.value
EVENT = "unclaimed_interaction"


def is_unclaimed(interaction: discord.Interaction[Any], store: ViewStore) -> bool:
    """Whether discord.py routed this interaction to nothing (and nothing will answer it)."""
    data: dict[str, Any] = dict(interaction.data or {})
    custom_id = str(data.get("custom_id", ""))
    if interaction.type is discord.InteractionType.modal_submit:
        modal = store._modals.get(custom_id)
        return modal is None or modal.is_finished()
    if interaction.type is not discord.InteractionType.component:
        return False
    kind = int(data.get("component_type", 0))
    return not (
        _dynamic(interaction, store, kind, custom_id) or _view(store, interaction, kind, custom_id)
    )


def _dynamic(
    interaction: discord.Interaction[Any], store: ViewStore, kind: int, custom_id: str
) -> bool:
    """A `PayloadButton` press: a button with a payload custom_id, on the message carrying it
    (discord.py rebuilds the item from the message and drops the press when it is not there)."""
    if kind != BUTTON or interaction.message is None:
        return False
    if not any(pattern.fullmatch(custom_id) for pattern in store._dynamic_items):
        return False
    return any(getattr(c, "custom_id", None) == custom_id for c in _walk(interaction.message))


def _view(
    store: ViewStore, interaction: discord.Interaction[Any], kind: int, custom_id: str
) -> bool:
    """An item of a live View, registered for this message or for any message."""
    message_id = interaction.message.id if interaction.message is not None else None
    key = (kind, custom_id)
    item = store._views.get(message_id, {}).get(key) or store._views.get(None, {}).get(key)
    return item is not None and item.view is not None and not item.view.is_finished()


def _walk(message: discord.Message) -> Iterator[Any]:
    stack: list[Any] = list(message.components)
    while stack:
        component = stack.pop()
        yield component
        stack.extend(getattr(component, "children", None) or [])
        if getattr(component, "accessory", None) is not None:
            stack.append(component.accessory)


async def answer(interaction: discord.Interaction[Any], engine: Engine) -> None:
    """The private "not one of mine" answer (logged at INFO with ids only)."""
    await errors.report(interaction, engine, UnknownPayload(texts.UNKNOWN_BUTTON))
