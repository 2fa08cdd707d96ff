"""Select every attribute that applies: an image or a text and 2 to 12 attributes (the
campaign's options) plus an explicit "none of these".

Stored label (canonical): the chosen attribute keys in the campaign's option order joined by
`|` (`red|blue`), or `none`. `normalize` also takes the attribute texts in any case and order,
separated by `|` or `,`; it refuses an empty selection, an unknown attribute and `none`
together with an attribute, naming them.

Judging an item (`judge`, the live tally's model of `bot.core.play.tally` per attribute,
binary): each answer is a *yes* for the attributes it has and a *no* for the others. With a
uniform prior and players of accuracy q (clamped to [0.01, 0.99]),

    log P(yes_a) / P(no_a) = Σ_{v says yes to a} logit(q_v) − Σ_{v says no to a} logit(q_v)

The label is the set of attributes with P(yes) > 0.5 (`none` when there is none); its
confidence is the lowest over attributes of max(P, 1 − P) (the least certain attribute
decides whether the item may finalise) and its agreement the mean over attributes of the
share of answers agreeing with the decision. Gold: `is_correct` is an exact set match;
exports report the per-attribute comparison too.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any, ClassVar

from bot.errors import InvalidInput
from bot.games.base import Option, Verdict, no_settings
from storage.rows import CampaignRow, ItemRow

MIN_OPTIONS, MAX_OPTIONS, MAX_OPTION_LEN = 2, 12, 40
NONE = "none"
NONE_TEXT = "None of these"
SEPARATOR = "|"
Q_MIN, Q_MAX = 0.01, 0.99


def attributes_of(label: str) -> frozenset[str]:
    """The attribute keys of a stored label (`none` has none)."""
    if not label or label == NONE:
        return frozenset()
    return frozenset(label.split(SEPARATOR))


def canonical(options: Sequence[str], chosen: frozenset[str]) -> str:
    """The stored form of a set of attribute keys: option order, `|`-joined, or `none`."""
    keys = [o for o in options if o in chosen]
    return SEPARATOR.join(keys) if keys else NONE


def _logit(q: float) -> float:
    q = min(Q_MAX, max(Q_MIN, q))
    return math.log(q / (1.0 - q))


def attribute_posteriors(
    options: Sequence[str], answers: Sequence[str], weights: Sequence[float]
) -> dict[str, float]:
    """P(yes) per attribute under the module's reliability-weighted binary vote."""
    votes = list(zip([attributes_of(a) for a in answers], weights, strict=True))
    out: dict[str, float] = {}
    for attr in options:
        score = sum(_logit(w) if attr in s else -_logit(w) for s, w in votes)
        out[attr] = 1.0 / (1.0 + math.exp(-max(-700.0, min(700.0, score))))
    return out


def judge_sets(
    options: Sequence[str], answers: Sequence[str], weights: Sequence[float]
) -> Verdict:
    """The verdict of the module docstring over `answers` (stored labels), one weight each."""
    if not answers:
        return Verdict(None, 0.0, None)
    post = attribute_posteriors(options, answers, weights)
    chosen = frozenset(a for a, p in post.items() if p > 0.5)
    confidence = min(max(p, 1.0 - p) for p in post.values())
    sets = [attributes_of(a) for a in answers]
    shares = [sum((attr in s) == (attr in chosen) for s in sets) / len(sets) for attr in options]
    return Verdict(canonical(options, chosen), confidence, sum(shares) / len(shares))


GOLD_SHARE = 0.8
"""Share of a campaign's attributes a gold answer must judge as the gold set does."""


class MultilabelGame:
    name: ClassVar[str] = "multilabel"
    title: ClassVar[str] = "Select all that apply"
    item_kinds: ClassVar[frozenset[str]] = frozenset({"image", "text"})
    free_text: ClassVar[bool] = False
    settings_keys: ClassVar[Mapping[str, str]] = {}

    def check_settings(self, raw: Mapping[str, str]) -> dict[str, Any]:
        return no_settings(self.name, raw)

    def takes_text(self, item: ItemRow) -> bool:
        return False

    def check_options(self, options: Sequence[str]) -> list[str]:
        cleaned = [o.strip() for o in options]
        if not MIN_OPTIONS <= len(cleaned) <= MAX_OPTIONS:
            raise InvalidInput(
                f"multilabel needs {MIN_OPTIONS} to {MAX_OPTIONS} attributes, got {len(cleaned)}"
            )
        for opt in cleaned:
            if not opt:
                raise InvalidInput("an attribute is empty")
            if len(opt) > MAX_OPTION_LEN:
                raise InvalidInput(f"attribute {opt!r} is longer than {MAX_OPTION_LEN} characters")
            if SEPARATOR in opt or "," in opt:
                raise InvalidInput(f"attribute {opt!r} may not contain '|' or ','")
            if opt.casefold() in (NONE, NONE_TEXT.casefold()):
                raise InvalidInput(f"{opt!r} is reserved: every multilabel task offers it")
        lowered = [o.casefold() for o in cleaned]
        dupes = sorted({o for o in lowered if lowered.count(o) > 1})
        if dupes:
            raise InvalidInput(f"duplicate attributes: {', '.join(dupes)}")
        return cleaned

    def default_question(self) -> str:
        return "Select every attribute that applies."

    def question(self, campaign: CampaignRow, item: ItemRow) -> str:
        q = campaign.question or self.default_question()
        return f"{q}\n\n{item.text}" if item.kind == "text" and item.text else q

    def options(self, campaign: CampaignRow, item: ItemRow) -> list[Option]:
        """The attributes in the campaign's order, then "None of these" (key `none`)."""
        return [*(Option(o, o) for o in campaign.options), Option(NONE, NONE_TEXT)]

    def evidence_options(self, campaign: CampaignRow, item: ItemRow) -> list[str]:
        return [o.key for o in self.options(campaign, item)]

    def normalize(self, campaign: CampaignRow, item: ItemRow, label: str) -> str:
        words = [w.strip() for w in label.replace(",", SEPARATOR).split(SEPARATOR)]
        words = [w for w in words if w]
        if not words:
            raise InvalidInput("pick at least one attribute, or None of these")
        by_fold = {o.casefold(): o for o in campaign.options}
        nones = [w for w in words if w.casefold() in (NONE, NONE_TEXT.casefold())]
        unknown = [w for w in words if w.casefold() not in by_fold and w not in nones]
        if unknown:
            names = ", ".join(repr(w) for w in unknown)
            raise InvalidInput(f"not an attribute here: {names} (attributes: {_list(campaign)})")
        chosen = frozenset(by_fold[w.casefold()] for w in words if w not in nones)
        if nones and chosen:
            picked = ", ".join(canonical(campaign.options, chosen).split(SEPARATOR))
            raise InvalidInput(f"None of these cannot go with {picked}")
        return canonical(campaign.options, chosen)

    def is_correct(self, item: ItemRow, label: str) -> bool | None:
        """Exact set match with the gold set (order and case of the gold text aside)."""
        if item.gold is None:
            return None
        gold = frozenset(a.casefold() for a in attributes_of(_gold_form(item.gold)))
        return gold == frozenset(a.casefold() for a in attributes_of(label))

    def is_correct_in(self, campaign: CampaignRow, item: ItemRow, label: str) -> bool | None:
        """Gold in a campaign (`GradesInCampaign`, what the tutorial and the gold rate use):
        right when at least `GOLD_SHARE` (0.8) of the campaign's attributes are judged as the
        gold set judges them (present or absent), so one slip among five attributes still
        passes. An exact set match asks too much of a good player: at 0.9 per attribute, five
        attributes are all right only 59% of the time, and the tutorial would lock most
        players out. `is_correct` (exact) stays the strict figure the exports report."""
        if item.gold is None:
            return None
        keys = [o.casefold() for o in campaign.options]
        gold = frozenset(a.casefold() for a in attributes_of(_gold_form(item.gold)))
        said = frozenset(a.casefold() for a in attributes_of(label))
        if not keys:
            return gold == said
        same = sum((k in gold) == (k in said) for k in keys)
        return same / len(keys) >= GOLD_SHARE

    def describe(self, campaign: CampaignRow, item: ItemRow, label: str) -> str:
        attrs = attributes_of(label)
        if not attrs:
            return NONE_TEXT
        return ", ".join(canonical(campaign.options, attrs).split(SEPARATOR))

    # JudgesAnswers --------------------------------------------------------------------------

    def is_evidence(self, campaign: CampaignRow, item: ItemRow, label: str) -> bool:
        """Every selection is evidence (`none` is an answer, not an abstention)."""
        return True

    def judge(
        self,
        campaign: CampaignRow,
        item: ItemRow,
        answers: Sequence[str],
        weights: Sequence[float],
    ) -> Verdict:
        return judge_sets(campaign.options, answers, weights)


def _gold_form(gold: str) -> str:
    return SEPARATOR.join(w.strip() for w in gold.replace(",", SEPARATOR).split(SEPARATOR))


def _list(campaign: CampaignRow) -> str:
    return ", ".join(campaign.options)
