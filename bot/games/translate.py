"""Translation with validation by others (issue 16, docs/translate.md).

One campaign, three kinds of items, told apart by `item.meta["stage"]`:

- **source** (stage one; imported, kind `text`, `text` = the sentence, `truth` = a reference
  translation when known): the player types a translation into the target language
  (`takes_text` True). The stored answer is the normalised translation: Unicode NFKC, outer
  whitespace stripped, inner runs of whitespace collapsed to one space, case kept; empty or
  longer than `max_chars` is refused.
- **candidate** (stage two; a player's translation, `candidate` = its text): yes / no /
  not sure, as in the verify game ("not sure" counts toward the overlap, is not evidence).
  An imported item that carries a `candidate` and no stage is a candidate too, so a
  moderator can import machine translations to validate.
- **pair** (stage three; `meta` a_text / b_text): which of two valid translations is better,
  options A / B, both evidence.

An item without a stage and without a candidate is a source. Game rules only; the stages'
bookkeeping lives in `bot.core.translate`.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from typing import Any, ClassVar

from bot.errors import InvalidInput
from bot.games.base import Option
from bot.games.languages import name_of, parse_code
from storage.rows import CampaignRow, ItemRow

SOURCE, CANDIDATE, PAIR = "source", "candidate", "pair"
YES, NO, NOT_SURE = "yes", "no", "not_sure"
A, B = "a", "b"
MAX_CHARS_DEFAULT, MAX_CHARS_LIMIT = 500, 2000
_TEXT = {YES: "Yes", NO: "No", NOT_SURE: "Not sure", A: "A", B: "B"}
_SPACES = re.compile(r"\s+")


def stage_of(item: ItemRow) -> str:
    """The item's stage: `meta["stage"]`, else candidate when it carries one, else source."""
    stage = item.meta.get("stage")
    if stage in (SOURCE, CANDIDATE, PAIR):
        return str(stage)
    return CANDIDATE if item.candidate else SOURCE


def normalize_translation(text: str) -> str:
    """NFKC, stripped, inner whitespace collapsed; case kept."""
    return _SPACES.sub(" ", unicodedata.normalize("NFKC", text)).strip()


def same_translation(a: str, b: str) -> bool:
    """Two translations are the same when their normalised forms match ignoring case."""
    return normalize_translation(a).casefold() == normalize_translation(b).casefold()


def is_label_item(campaign: CampaignRow, item: ItemRow) -> bool:
    """False for the candidates and pairs of a translate campaign: steps toward the label
    of their source, not labels of their own (exports list sources only)."""
    return campaign.game != "translate" or stage_of(item) == SOURCE


def max_chars(campaign: CampaignRow) -> int:
    return int(campaign.settings.get("max_chars", MAX_CHARS_DEFAULT))


def target_name(campaign: CampaignRow) -> str:
    code = campaign.settings.get("target")
    return name_of(str(code)) if code else "the target language"


class TranslateGame:
    name: ClassVar[str] = "translate"
    title: ClassVar[str] = "Translation"
    item_kinds: ClassVar[frozenset[str]] = frozenset({"text"})
    free_text: ClassVar[bool] = False
    settings_keys: ClassVar[Mapping[str, str]] = {
        "source": "language code of the sentences (e.g. en)",
        "target": "language code to translate into (e.g. de)",
        "max_chars": f"longest translation accepted (default {MAX_CHARS_DEFAULT})",
        "validators": "answers each candidate translation takes (default: the overlap)",
    }

    def check_settings(self, raw: Mapping[str, str]) -> dict[str, Any]:
        unknown = sorted(set(raw) - set(self.settings_keys))
        if unknown:
            raise InvalidInput(f"translate campaigns take no setting {', '.join(unknown)}")
        out: dict[str, Any] = {}
        for key in ("source", "target"):
            if key not in raw:
                raise InvalidInput(f"translate campaigns need {key}=CODE (e.g. source=en)")
            code = parse_code(raw[key])
            if code is None:
                raise InvalidInput(f"{key}={raw[key]!r} is not a language code this bot knows")
            out[key] = code
        if out["source"] == out["target"]:
            raise InvalidInput("source and target must be different languages")
        out["max_chars"] = _int(raw, "max_chars", MAX_CHARS_DEFAULT, 1, MAX_CHARS_LIMIT)
        if "validators" in raw:
            out["validators"] = _int(raw, "validators", 0, 1, 50)
        return out

    def takes_text(self, item: ItemRow) -> bool:
        return stage_of(item) == SOURCE

    def decided_elsewhere(self, item: ItemRow) -> bool:
        """A source's label is the accepted translation (`bot.core.translate`), so its tally
        waits open, not in review, while its candidates are validated."""
        return stage_of(item) == SOURCE

    def check_options(self, options: Sequence[str]) -> list[str]:
        if options and list(options) != [YES, NO, NOT_SURE]:
            raise InvalidInput("translate campaigns take no options (answers are typed)")
        return [YES, NO, NOT_SURE]

    def default_question(self) -> str:
        return "Translate into {target}:"

    def question(self, campaign: CampaignRow, item: ItemRow) -> str:
        lang, stage = target_name(campaign), stage_of(item)
        if stage == PAIR:
            a, b = item.meta.get("a_text", "?"), item.meta.get("b_text", "?")
            return f"Which {lang} translation of “{item.text}” is better?\nA: {a}\nB: {b}"
        if stage == CANDIDATE:
            return f"Is this a good {lang} translation of “{item.text}”?\n→ {item.candidate}"
        return f"Translate into {lang}:\n“{item.text}”"

    def options(self, campaign: CampaignRow, item: ItemRow) -> list[Option]:
        stage = stage_of(item)
        if stage == PAIR:
            return [Option(A, "A"), Option(B, "B")]
        if stage == CANDIDATE:
            return [Option(k, _TEXT[k]) for k in (YES, NO, NOT_SURE)]
        return []

    def evidence_options(self, campaign: CampaignRow, item: ItemRow) -> list[str]:
        """Yes / no for a candidate, A / B for a pair; none for a source (its typed
        translations are candidates to validate, not votes: the source's label is the
        accepted translation, decided by `bot.core.translate`)."""
        stage = stage_of(item)
        return [A, B] if stage == PAIR else [YES, NO] if stage == CANDIDATE else []

    def normalize(self, campaign: CampaignRow, item: ItemRow, label: str) -> str:
        stage = stage_of(item)
        if stage == SOURCE:
            text = normalize_translation(label)
            if not text:
                raise InvalidInput("Type your translation (the answer was empty)")
            limit = max_chars(campaign)
            if len(text) > limit:
                raise InvalidInput(
                    f"Your translation is {len(text)} characters; the limit is {limit}"
                )
            return text
        key = label.strip().lower().replace(" ", "_")
        if key not in {o.key for o in self.options(campaign, item)}:
            allowed = " or ".join(o.text for o in self.options(campaign, item))
            raise InvalidInput(f"answer must be {allowed}, not {label!r}")
        return key

    def is_correct(self, item: ItemRow, label: str) -> bool | None:
        if item.gold is None:
            return None
        if stage_of(item) == SOURCE:
            return same_translation(item.gold, label)
        return label == item.gold

    def describe(self, campaign: CampaignRow, item: ItemRow, label: str) -> str:
        if stage_of(item) == SOURCE:
            return f"“{label}”"
        return _TEXT.get(label, label)


def _int(raw: Mapping[str, str], key: str, default: int, lo: int, hi: int) -> int:
    if key not in raw:
        return default
    try:
        value = int(raw[key])
    except ValueError:
        raise InvalidInput(f"{key} must be a whole number, not {raw[key]!r}") from None
    if not lo <= value <= hi:
        raise InvalidInput(f"{key} must be between {lo} and {hi}, not {value}")
    return value
