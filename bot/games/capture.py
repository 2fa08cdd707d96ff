"""Image capture (issue 16): players contribute photos for a prompt ("a photo of a chair in
your home") and OTHER players verify each one: "Is this a chair, and is the photo usable?"

Options: ✅ yes (the subject, usable), ❌ not the subject, 📷 unusable (blurry, dark,
private), not sure. "Not sure" is an abstention: stored, counted toward the overlap, never
evidence (as in verify). The item's label decides the contribution: `yes` -> accepted,
anything else -> rejected (`bot.core.capture`).

Campaign settings (`settings_keys`): `prompt` (shown to contributors), `subject` (what the
photo must show; the question's word), `licence` (the open licence photos may be published
under, default CC BY 4.0), `per_player` (the most photos one player may send, default 20).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, ClassVar

from bot.errors import InvalidInput
from bot.games.base import Option
from storage.rows import CampaignRow, ItemRow

YES, NOT_SUBJECT, UNUSABLE, NOT_SURE = "yes", "not_subject", "unusable", "not_sure"
KEYS = (YES, NOT_SUBJECT, UNUSABLE, NOT_SURE)
DEFAULT_LICENCE = "CC BY 4.0"
DEFAULT_PER_PLAYER = 20
MAX_PER_PLAYER = 1000
MAX_TEXT = 200
_TEXT = {
    YES: "✅ Yes",
    NOT_SUBJECT: "❌ Not {subject}",
    UNUSABLE: "📷 Unusable (blurry, dark, private)",
    NOT_SURE: "Not sure",
}


def subject_of(campaign: CampaignRow) -> str:
    """The campaign's subject (`subject` setting), "the subject" when unset."""
    return str(campaign.settings.get("subject") or "the subject")


def prompt_of(campaign: CampaignRow) -> str:
    """What contributors are asked for (`prompt` setting), from the subject when unset."""
    return str(campaign.settings.get("prompt") or f"a photo of a {subject_of(campaign)}")


def licence_of(campaign: CampaignRow) -> str:
    return str(campaign.settings.get("licence") or DEFAULT_LICENCE)


def per_player_of(campaign: CampaignRow) -> int:
    return int(campaign.settings.get("per_player") or DEFAULT_PER_PLAYER)


class CaptureGame:
    name: ClassVar[str] = "capture"
    title: ClassVar[str] = "Image capture"
    item_kinds: ClassVar[frozenset[str]] = frozenset({"image"})
    free_text: ClassVar[bool] = False
    open_ended: ClassVar[bool] = True
    """Its items are the photos players send, so it never completes on its own (every
    photo verified is not the end): it runs until its owner stops it."""
    settings_keys: ClassVar[Mapping[str, str]] = {
        "prompt": 'what contributors are asked for, e.g. "a photo of a chair in your home"',
        "subject": 'what each photo must show, e.g. "chair"',
        "licence": f"the open licence photos may be published under (default {DEFAULT_LICENCE})",
        "per_player": f"the most photos one player may send (default {DEFAULT_PER_PLAYER})",
    }

    def check_settings(self, raw: Mapping[str, str]) -> dict[str, Any]:
        unknown = sorted(set(raw) - set(self.settings_keys))
        if unknown:
            known = ", ".join(self.settings_keys)
            raise InvalidInput(f"capture campaigns take no setting {', '.join(unknown)} "
                               f"(they take {known})")  # fmt: skip
        out: dict[str, Any] = {}
        for key in ("prompt", "subject", "licence"):
            value = " ".join(str(raw.get(key, "")).split())
            if len(value) > MAX_TEXT:
                raise InvalidInput(f"capture setting {key} is longer than {MAX_TEXT} characters")
            if value:
                out[key] = value
        if not out.get("subject"):
            raise InvalidInput("capture campaigns need subject=WORD (what each photo shows)")
        out.setdefault("licence", DEFAULT_LICENCE)
        out.setdefault("prompt", f"a photo of a {out['subject']}")
        out["per_player"] = _per_player(raw.get("per_player"))
        return out

    def takes_text(self, item: ItemRow) -> bool:
        return False

    def check_options(self, options: Sequence[str]) -> list[str]:
        if options and list(options) != list(KEYS):
            raise InvalidInput("capture campaigns always answer yes / not the subject / "
                               "unusable / not sure")  # fmt: skip
        return list(KEYS)

    def default_question(self) -> str:
        return "Is this {subject}, and is the photo usable?"

    def question(self, campaign: CampaignRow, item: ItemRow) -> str:
        template = campaign.question or self.default_question()
        return template.replace("{subject}", _a(subject_of(campaign)))

    def options(self, campaign: CampaignRow, item: ItemRow) -> list[Option]:
        subject = _a(subject_of(campaign))
        return [Option(k, _TEXT[k].replace("{subject}", subject)[:80]) for k in KEYS]

    def evidence_options(self, campaign: CampaignRow, item: ItemRow) -> list[str]:
        return [YES, NOT_SUBJECT, UNUSABLE]

    def normalize(self, campaign: CampaignRow, item: ItemRow, label: str) -> str:
        key = label.strip().lower().replace(" ", "_")
        if key not in KEYS:
            raise InvalidInput(
                f"answer must be yes, not_subject, unusable or not sure, not {label!r}"
            )
        return key

    def is_correct(self, item: ItemRow, label: str) -> bool | None:
        return None if item.gold is None else label == item.gold

    def describe(self, campaign: CampaignRow, item: ItemRow, label: str) -> str:
        text = _TEXT.get(label)
        return label if text is None else text.replace("{subject}", _a(subject_of(campaign)))


def _a(subject: str) -> str:
    """ "a chair", "an apple"; a subject that already starts with an article stays."""
    words = subject.split()
    if not words or words[0].lower() in ("a", "an", "the") or subject == "the subject":
        return subject
    return ("an " if subject[0].lower() in "aeiou" else "a ") + subject


def _per_player(raw: str | None) -> int:
    if raw is None or str(raw).strip() == "":
        return DEFAULT_PER_PLAYER
    try:
        n = int(str(raw).strip())
    except ValueError:
        raise InvalidInput(
            f"capture setting per_player must be a whole number, not {raw!r}"
        ) from None
    if not 1 <= n <= MAX_PER_PLAYER:
        raise InvalidInput(f"capture setting per_player must be 1 to {MAX_PER_PLAYER}, not {n}")
    return n
