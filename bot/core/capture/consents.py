"""The three photo consents, asked one after the other (as Crowdsource asks them), and the
optional country. Pure: rows in, replies out.

Rule: consent (1) `stores` decides whether a photo is stored at all; (2) `owner_use` whether
it may leave in the campaign owner's dataset export; (3) `publish` whether it may be in the
open-licence (published) export. Each is asked with its own Yes / No buttons (payload
`k:<1..3>:<1|0>`), refusable, and changed by answering again. A country (ISO 3166-1
alpha-2) is stored only when the player shares it."""

from __future__ import annotations

import re

from bot.core.capture import texts
from bot.core.kernel.codec import encode
from bot.core.kernel.models import Choice, Reply, Style
from storage import CONSENTS, PhotoConsentRow

_COUNTRY = re.compile(r"^[A-Za-z]{2}$")
ALIASES = {
    "1": "stores",
    "store": "stores",
    "stores": "stores",
    "2": "owner_use",
    "owner": "owner_use",
    "owner_use": "owner_use",
    "3": "publish",
    "publish": "publish",
    "published": "publish",
}


def consent_name(which: str) -> str | None:
    """`stores`, `owner_use` or `publish` for a name or number the player typed."""
    return ALIASES.get(which.strip().lower())


def question(which: str, licence: str) -> Reply:
    """The question of consent `which`, with its Yes / No buttons."""
    n = CONSENTS.index(which) + 1
    body = {
        "stores": texts.CONSENT_STORES,
        "owner_use": texts.CONSENT_OWNER,
        "publish": texts.CONSENT_PUBLISH.format(licence=licence),
    }[which]
    return Reply(
        texts.CONSENT_INTRO.format(n=n) + body,
        choices=(
            (
                Choice(texts.YES, encode("k", n, 1), Style.SUCCESS),
                Choice(texts.NO, encode("k", n, 0)),
            ),
        ),
        ephemeral=True,
    )


def word(value: bool | None) -> str:
    if value is None:
        return texts.ANSWER_OPEN
    return texts.ANSWER_YES if value else texts.ANSWER_NO


def summary(row: PhotoConsentRow) -> Reply:
    """What the player agreed to, and how to share a country."""
    return Reply(
        texts.CONSENTS_DONE.format(
            stores=word(row.stores),
            owner_use=word(row.owner_use),
            publish=word(row.publish),
            country=row.country or texts.NOT_SHARED,
        ),
        ephemeral=True,
    )


def given(row: PhotoConsentRow | None) -> dict[str, bool | None]:
    """The consents as stored with a photo (its meta): the answers at the time."""
    if row is None:
        return dict.fromkeys(CONSENTS)
    return {c: row.answer(c) for c in CONSENTS}


def country_code(text: str) -> str | None:
    """An ISO 3166-1 alpha-2 code, upper case; None when `text` is not two letters."""
    text = text.strip()
    return text.upper() if _COUNTRY.match(text) else None
