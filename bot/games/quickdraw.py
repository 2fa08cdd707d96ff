"""Quick-draw doodle guessing as a `Game`: the doodle's word is the prompt players must name.

Items are doodles (kind `doodle`): the word is `item.meta["word"]` (else `item.candidate`),
the strokes are the item's media. A campaign's `options` are the categories of its doodles;
they supply the distractors of solo picks.

Labels are free text (`free_text = True`): a stored answer is the category a guess names
(the word itself for a right guess or a one-letter typo of it, another category when the
guess names one, see `guess_label`), else the guess as typed, trimmed. The live tally thus
counts what people took the doodle for; the per-doodle verdict (recognizable / not /
looks like another word) is computed from first guesses in `bot.core.quickdraw.labels`.

Solo options (`options`): the word and `distractors` other categories (campaign setting
`distractors`, default 3), never a synonym or near-miss of the word, shuffled by item id so a
card always shows the same buttons.
"""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from typing import Any, ClassVar

from bot.errors import InvalidInput
from bot.games.base import Option, no_settings
from bot.games.quickdraw_matching import MatchKind, default_index, known_categories, match_guess
from storage.rows import CampaignRow, ItemRow

DEFAULT_DISTRACTORS = 3
MAX_LABEL_LEN = 60
MAX_OPTIONS = 25


def word_of(item: ItemRow) -> str:
    """The category a doodle was drawn for."""
    word = item.meta.get("word") if isinstance(item.meta, dict) else None
    return str(word or item.candidate or item.truth or "")


def clean_text(text: str) -> str:
    """A guess as stored when it names no category: whitespace collapsed, at most 60 chars."""
    return " ".join(text.split())[:MAX_LABEL_LEN]


def guess_label(text: str, word: str) -> str:
    """The stored label of a typed guess (see the module docstring)."""
    match = match_guess(text, word)
    if match.kind is not MatchKind.WRONG:
        return word
    if match.other_category is not None:
        return match.other_category
    return clean_text(text).casefold()


class QuickdrawGame:
    name: ClassVar[str] = "quickdraw"
    title: ClassVar[str] = "Quick, Draw! guessing"
    item_kinds: ClassVar[frozenset[str]] = frozenset({"doodle"})
    free_text: ClassVar[bool] = True
    settings_keys: ClassVar[Mapping[str, str]] = {}

    def check_settings(self, raw: Mapping[str, str]) -> dict[str, Any]:
        return no_settings(self.name, raw)

    def takes_text(self, item: ItemRow) -> bool:
        return self.free_text

    def check_options(self, options: Sequence[str]) -> list[str]:
        """The campaign's categories: non-empty, at most 60 characters, no duplicates."""
        out: list[str] = []
        for opt in options:
            name = " ".join(str(opt).split())
            if not name or len(name) > MAX_LABEL_LEN:
                raise InvalidInput(f"category {opt!r} must have 1 to {MAX_LABEL_LEN} characters")
            if name not in out:
                out.append(name)
        return out

    def default_question(self) -> str:
        return "What is this doodle?"

    def question(self, campaign: CampaignRow, item: ItemRow) -> str:
        return campaign.question or self.default_question()

    def options(self, campaign: CampaignRow, item: ItemRow) -> list[Option]:
        word = word_of(item)
        n = campaign.settings.get("distractors", DEFAULT_DISTRACTORS)
        count = max(1, min(int(n) if isinstance(n, int) else DEFAULT_DISTRACTORS, MAX_OPTIONS - 1))
        pool = [c for c in dict.fromkeys([*campaign.options, *known_categories()]) if c != word]
        rng = random.Random(f"quickdraw-options:{item.id}:{word}")
        own = [c for c in campaign.options if c != word]
        rng.shuffle(own)
        rest = [c for c in pool if c not in own]
        rng.shuffle(rest)
        picked: list[str] = []
        for cand in own + rest:
            if len(picked) == count:
                break
            if match_guess(cand, word).kind is MatchKind.WRONG:
                picked.append(cand)
        keys = [word, *picked]
        rng.shuffle(keys)
        return [Option(k, k) for k in keys]

    def evidence_options(self, campaign: CampaignRow, item: ItemRow) -> list[str]:
        return [word_of(item)]

    def normalize(self, campaign: CampaignRow, item: ItemRow, label: str) -> str:
        """A category name as spelled officially when the label names one exactly (case,
        spaces, plurals, synonyms folded), else the cleaned text."""
        text = clean_text(label)
        if not text:
            raise InvalidInput("a guess must not be empty")
        if text in campaign.options:
            return text
        return default_index().exact(text) or text

    def is_correct(self, item: ItemRow, label: str) -> bool | None:
        if item.gold is None:
            return None
        return match_guess(label, item.gold).correct

    def describe(self, campaign: CampaignRow, item: ItemRow, label: str) -> str:
        return label
