"""The checks Discord applies to what a bot sends (the limits of shared/docs/platforms.md
B.2: content, embeds, components, modals), and the payloads of options and modal submissions
that users send."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from tests.support.fakes.discord.messages import ModalField, walk_components
from tests.support.fakes.discord.models import (
    IS_COMPONENTS_V2,
    SELECT_TYPES,
    ApiError,
    FakeChannel,
    FakeMember,
    FakeRole,
    FakeUser,
    form_error,
)


def modal_fields(modal: dict[str, Any]) -> list[ModalField]:
    """The inputs (text inputs, selects) of a modal as the bot sent it (callback type 9)."""
    fields: list[ModalField] = []
    for top in modal.get("components", []):
        in_label = top.get("type") == 18
        inner = [top["component"]] if in_label else top.get("components", [])
        for comp in inner:
            if "custom_id" not in comp:
                continue
            label = top.get("label") if in_label else comp.get("label")
            fields.append(
                ModalField(
                    comp["custom_id"],
                    label,
                    int(comp["type"]),
                    comp.get("style"),
                    bool(comp.get("required", True)),
                    comp.get("max_length"),
                    in_label,
                )
            )
    return fields


def _check_len(value: Any, limit: int, path: str) -> None:
    if isinstance(value, str) and len(value) > limit:
        raise form_error(path, f"Must be {limit} or fewer in length.")


def validate_message(body: dict[str, Any], *, files: int = 0, edit: bool = False) -> None:
    """Discord's limits on a message: 2000 chars, 10 embeds, 5 rows of 5 buttons or 1 select,
    custom_id <= 100 and label <= 80 chars, 25 select options; Components V2 (flag 1<<15):
    no content or embeds, at most 40 components. A new message must not be empty (50006)."""
    _check_len(body.get("content"), 2000, "content")
    embeds = body.get("embeds") or []
    if len(embeds) > 10:
        raise form_error("embeds", "Must be 10 or fewer in length.")
    for i, embed in enumerate(embeds):
        _check_len(embed.get("title"), 256, f"embeds.{i}.title")
        _check_len(embed.get("description"), 4096, f"embeds.{i}.description")
    components = body.get("components") or []
    if int(body.get("flags") or 0) & IS_COMPONENTS_V2:
        if body.get("content") or embeds:
            raise form_error("content", "Cannot send content or embeds with IS_COMPONENTS_V2.")
        if sum(1 for _ in walk_components(components)) > 40:
            raise form_error("components", "Must be 40 or fewer in length.")
    else:
        _validate_rows(components)
    for comp in walk_components(components):
        _check_len(comp.get("custom_id"), 100, "components.custom_id")
        _check_len(comp.get("label"), 80, "components.label")
        if len(comp.get("options") or []) > 25:
            raise form_error("components.options", "Must be 25 or fewer in length.")
    has_body = body.get("content") or embeds or components or body.get("poll")
    if not edit and not (has_body or files or body.get("sticker_ids")):
        raise ApiError(400, 50006, "Cannot send an empty message")


def _validate_rows(rows: list[dict[str, Any]]) -> None:
    if len(rows) > 5:
        raise form_error("components", "Must be 5 or fewer in length.")
    for i, row in enumerate(rows):
        children = row.get("components", [])
        if row.get("type") != 1:
            raise form_error(f"components.{i}.type", "Top-level components must be rows.")
        selects = [c for c in children if c.get("type") in (3, 5, 6, 7, 8)]
        if len(children) > 5 or (selects and len(children) > 1):
            raise form_error(f"components.{i}.components", "A row holds 5 buttons or 1 select.")


def validate_modal(data: dict[str, Any]) -> None:
    """A modal needs a title <= 45 chars, a custom_id <= 100 chars and 1-5 components."""
    if not data.get("title"):
        raise form_error("data.title", "This field is required")
    _check_len(data["title"], 45, "data.title")
    _check_len(data.get("custom_id"), 100, "data.custom_id")
    if not 1 <= len(data.get("components") or []) <= 5:
        raise form_error("data.components", "Must be between 1 and 5 in length.")


def infer_option_type(value: Any) -> int:
    """The option type of a Python value, for commands the bot never synced."""
    kinds: list[tuple[type | tuple[type, ...], int]] = [
        (bool, 5),
        ((FakeUser, FakeMember), 6),
        (FakeChannel, 7),
        (FakeRole, 8),
        (tuple, 11),
        (float, 10),
        (int, 4),
        (str, 3),
    ]
    for kind, otype in kinds:
        if isinstance(value, kind):
            return otype
    raise TypeError(f"cannot infer an option type for {value!r}")


def submitted_input(kind: int, custom_id: str, value: str | list[str]) -> dict[str, Any]:
    """A modal input as submitted: text inputs carry `value`, selects carry `values`."""
    if kind in SELECT_TYPES:
        return {"type": kind, "custom_id": custom_id, "values": _as_list(value)}
    return {"type": kind, "custom_id": custom_id, "value": value}


def _as_list(value: str | list[str]) -> list[str]:
    return [value] if isinstance(value, str) else list(value)


def modal_submission(
    fields: list[ModalField], values: Mapping[str, str | list[str]]
) -> list[dict[str, Any]]:
    """Submission components mirroring the modal; checks unknown, missing and too long values."""
    known = {f.custom_id for f in fields}
    if unknown := set(values) - known:
        raise ValueError(f"modal has no input(s) {sorted(unknown)}; it has {sorted(known)}")
    comps: list[dict[str, Any]] = []
    for f in fields:
        value = values.get(f.custom_id, "" if f.type == 4 else [])
        if f.required and not value:
            raise ValueError(f"modal input {f.custom_id!r} ({f.label}) is required")
        if f.max_length is not None and isinstance(value, str) and len(value) > f.max_length:
            raise ValueError(f"modal input {f.custom_id!r} allows {f.max_length} characters")
        inner = submitted_input(f.type, f.custom_id, value)
        comps.append(
            {"type": 18, "component": inner} if f.in_label else {"type": 1, "components": [inner]}
        )
    return comps
