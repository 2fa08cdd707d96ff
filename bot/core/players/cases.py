"""Use cases about the player: start and consent, help, profile, my data, privacy, forget."""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime
from typing import Any

from bot.core.kernel import texts as kernel_texts
from bot.core.kernel.codec import Payload, encode
from bot.core.kernel.context import Kernel
from bot.core.kernel.extensions import Extensions
from bot.core.kernel.models import Choice, Kind, Media, PlayerRef, Reply, Style
from bot.core.play import recount_tallies
from bot.core.players import texts
from bot.core.players.texts import consent_text, help_text
from bot.core.rewards import PointsRules
from storage.rows import PlayerStatsRow

log = logging.getLogger(__name__)
_Json = dict[str, Any]

PLAY = Choice("▶ Play", encode("n"), Style.PRIMARY)


class Players:
    """Consent, help, my data, privacy and forget-me. Features add to privacy and forget
    through hooks (`Extensions.on_privacy`, `Extensions.on_forget`)."""

    def __init__(self, k: Kernel, points: PointsRules) -> None:
        self.k = k
        self.points = points

    def register(self, ext: Extensions) -> None:
        ext.button("c", "accept or decline consent", self._press_consent)
        ext.button("f", "confirm or cancel forget-me", self._press_forget)
        ext.button("p", "change a privacy setting", self._press_privacy)

    async def _press_consent(self, ref: PlayerRef, p: Payload) -> Reply:
        return await self.consent(ref, bool(p.args[0]))

    async def _press_forget(self, ref: PlayerRef, p: Payload) -> Reply:
        return await self.forget_confirm(ref, bool(p.args[0]))

    async def _press_privacy(self, ref: PlayerRef, p: Payload) -> Reply:
        value = bool(p.args[0])
        if p.flag == "h":
            return await self.privacy(ref, hide=value)
        return await self.privacy(ref, reminders=value)

    def consent_prompt(self) -> Reply:
        version = self.k.settings.privacy.consent_version
        return Reply(
            text=consent_text(version, self.k.settings.privacy.contact),
            choices=(
                (
                    Choice("✅ I agree", encode("c", 1), Style.SUCCESS),
                    Choice("No thanks", encode("c", 0), Style.SECONDARY),
                ),
            ),
            ephemeral=True,
        )

    async def start(self, ref: PlayerRef) -> Reply:
        """First contact: the consent text, or a welcome back for a consented player."""
        pid = await self.k.player_id(ref)
        if pid is None:
            return self.consent_prompt()
        return Reply(
            kernel_texts.WELCOME_BACK.format(name=ref.display_name),
            choices=((PLAY,),),
            ephemeral=True,
        )

    async def consent(self, ref: PlayerRef, accept: bool) -> Reply:
        """Accept: the player, identity, consent record and stats are created now, and only
        now. Decline: nothing is stored (an existing player keeps their data until /forget)."""
        version = self.k.settings.privacy.consent_version
        if not accept:
            return Reply(kernel_texts.DECLINED, replace=True, ephemeral=True)
        ident = await self.k.store.get_identity(ref.platform, ref.external_id)
        if ident is not None:
            player = await self.k.player_row(ident.player_id)
            if player.consent_version < version:
                await self.k.store.record_consent(player.id, version, ref.platform, self.k.now())
            pid = player.id
        else:
            home = None
            if ref.channel is not None and ref.channel.kind == Kind.GROUP:
                home = (await self.k.channel(ref.channel)).community_id
            player = await self.k.store.create_player(
                ref.platform,
                ref.external_id,
                ref.display_name or "player",
                version,
                self.k.now(),
                home,
            )
            pid = player.id
        self.k.remember_identity(ref, pid, version)
        return Reply(
            kernel_texts.CONSENTED.format(name=ref.display_name),
            choices=((PLAY,),),
            replace=True,
            ephemeral=True,
        )

    def help(self, ref: PlayerRef) -> Reply:
        return Reply(
            help_text(self.points, ref.is_moderator, self.k.is_admin(ref)), ephemeral=True
        )

    async def my_data(self, ref: PlayerRef) -> Reply:
        """Everything stored about the player, as a summary and a JSON file."""
        pid = await self.k.require_player(ref)
        player = await self.k.player_row(pid)
        stats = await self.k.store.get_stats(pid)
        identities = [
            {"platform": i.platform, "user_id": i.external_id, "name": i.display_name}
            for i in await self.k.store.player_identities(pid)
        ]
        consents = [
            {"version": v, "platform": p, "accepted_at": _iso(t)}
            for v, p, t in await self.k.store.consent_history(pid)
        ]
        answers, guesses, ledger = await self._activity(pid)
        standings = await self._standings(pid)
        data = {
            "player": {
                "id": player.id,
                "display_name": player.display_name,
                "created_at": _iso(player.created_at),
                "hidden_from_boards": player.hidden,
                "streak_reminders": player.reminders,
            },
            "identities": identities,
            "consents": consents,
            "stats": None if stats is None else _stats_data(stats),
            "answers": answers,
            "guesses": guesses,
            "standings": standings,
            "rewards": await self._rewards_data(pid),
            "ledger": ledger,
            "drawings": await self._drawings(pid),
            "languages": await self.k.store.player_languages(pid),
        }
        extras: list[Reply] = []
        for _name, hook in self.k.ext.mydata_hooks:  # features' own sections (photos, ...)
            section, extra = await hook(pid)
            data.update(section)
            extras += [extra] if extra is not None else []
        body = json.dumps(data, indent=2, ensure_ascii=False).encode()
        text = texts.MY_DATA.format(
            identities=len(identities),
            answers=len(answers),
            guesses=len(guesses),
            ledger=len(ledger),
            consents=len(consents),
            standings=len(standings),
        )
        media = Media(body, "labelquest-my-data.json", kind="document")
        reply = Reply(text, files=(media,), ephemeral=True)
        for extra in extras:
            reply = reply.followed_by(extra)
        return reply

    async def _activity(self, pid: int) -> tuple[list[_Json], list[_Json], list[_Json]]:
        """The player's answers, doodle guesses and ledger lines, for /mydata."""
        answers = [
            {
                "campaign": a.campaign_id,
                "item": a.item_id,
                "answer": a.label,
                "platform": a.platform,
                "at": _iso(a.created_at),
                "latency_ms": a.latency_ms,
                "flag": a.flag,
            }
            for a in await self.k.store.player_answers(pid, limit=100_000)
        ]
        guesses = [
            {
                "campaign": g.campaign_id,
                "item": g.item_id,
                "guess": g.text,
                "kind": g.kind,
                "points": g.points,
                "platform": g.platform,
                "at": _iso(g.created_at),
            }
            for g in await self.k.store.player_guesses(pid)
        ]
        ledger = [
            {"points": e.points, "kind": e.kind, "reason": e.reason, "at": _iso(e.created_at)}
            for e in await self.k.store.ledger_for(pid, limit=100_000)
        ]
        return answers, guesses, ledger

    async def _drawings(self, pid: int) -> list[_Json]:
        """The player's drawings (issue 15): word, campaign, strokes as drawn, canvas."""
        return [
            {
                "drawing": d.id,
                "campaign": d.campaign_id,
                "word": d.word,
                "platform": d.platform,
                "at": _iso(d.created_at),
                "canvas": [d.width, d.height],
                "drawing_ms": d.drawing_ms,
                "strokes": json.loads(d.raw),
                "hidden": d.hidden_at is not None,
            }
            for d in await self.k.store.player_drawings(pid)
        ]

    async def _standings(self, pid: int) -> list[_Json]:
        return [
            {
                "campaign": st.campaign_id,
                "answers": st.answers,
                "gold_answered": st.gold_answered,
                "gold_right": st.gold_right,
                "tutorial": st.onboarding,
                "flags": st.flags,
            }
            for st in await self.k.store.player_standings(pid)
        ]

    async def _rewards_data(self, pid: int) -> _Json | None:
        """Level, streak, freezes, badges and streak history; None before the first answer."""
        snap = await self.k.store.reward_snapshot(pid)
        if snap is None:
            return None
        return {
            "level": snap.rewards.level,
            "streak": snap.rewards.streak_current,
            "best_streak": snap.rewards.streak_best,
            "freezes": snap.rewards.freezes,
            "badges": [
                {"badge": b, "awarded_at": _iso(t)}
                for b, t in await self.k.store.player_badges(pid)
            ],
            "streak_events": [
                {"day": e.day, "kind": e.kind, "streak": e.streak, "text": e.text}
                for e in await self.k.store.streak_history(pid, limit=100_000)
            ],
        }

    async def privacy(
        self, ref: PlayerRef, *, hide: bool | None = None, reminders: bool | None = None
    ) -> Reply:
        """Show or change: hidden from public boards (still playing), streak reminders."""
        pid = await self.k.require_player(ref)
        changes: dict[str, object] = {}
        if hide is not None:
            changes["hidden"] = hide
        if reminders is not None:
            changes["reminders"] = reminders
        await self.k.store.update_player(pid, **changes)
        for _name, hook in self.k.ext.privacy_hooks:
            await hook(pid, hide, reminders)
        player = await self.k.player_row(pid)
        state = "hidden from" if player.hidden else "shown on"
        rem = "on" if player.reminders else "off"
        return Reply(
            texts.PRIVACY_CARD.format(state=state, reminders=rem),
            choices=(
                (
                    Choice(
                        "Show me on boards" if player.hidden else "Hide me from boards",
                        encode("p", 0 if player.hidden else 1, flag="h"),
                    ),
                    Choice(
                        "Reminders off" if player.reminders else "Reminders on",
                        encode("p", 0 if player.reminders else 1, flag="r"),
                    ),
                ),
            ),
            ephemeral=True,
            replace=bool(changes),
        )

    async def forget(self, ref: PlayerRef) -> Reply:
        """Ask for confirmation before deleting everything."""
        ident = await self.k.store.get_identity(ref.platform, ref.external_id)
        if ident is None:
            return Reply(texts.NOTHING_STORED, ephemeral=True)
        return Reply(
            kernel_texts.FORGET_ASK,
            choices=(
                (
                    Choice("🗑 Delete everything", encode("f", 1), Style.DANGER),
                    Choice("Cancel", encode("f", 0)),
                ),
            ),
            ephemeral=True,
        )

    async def forget_confirm(self, ref: PlayerRef, yes: bool) -> Reply:
        """Delete the player's answers, stats and identity, pseudonymise what names them in
        the rows that stay, and recount the tallies of every item they answered: one
        transaction. The log line names nobody."""
        if not yes:
            return Reply(kernel_texts.FORGET_CANCELLED, replace=True, ephemeral=True)
        ident = await self.k.store.get_identity(ref.platform, ref.external_id)
        if ident is None:
            return Reply(texts.NOTHING_STORED, replace=True, ephemeral=True)
        k = self.k
        touched = await k.store.delete_player(
            ident.player_id, recount=lambda unit, keys: recount_tallies(k, unit, keys)
        )
        k.forget_identities(ident.player_id)
        for _name, hook in k.ext.forget_hooks:
            await hook(ident.player_id, touched)
        log.info("a player deleted their data (%d items recounted)", len(touched))
        return Reply(kernel_texts.FORGOTTEN, replace=True, ephemeral=True)

    async def player_identities(self, player_id: int) -> list[tuple[str, str]]:
        """Where a player can be reached: (platform, external id) of each linked account."""
        return [
            (i.platform, i.external_id) for i in await self.k.store.player_identities(player_id)
        ]


def _stats_data(stats: PlayerStatsRow) -> _Json:
    return {
        "points": stats.points,
        "answers": stats.answers,
        "gold_answered": stats.gold_answered,
        "gold_right": stats.gold_right,
    }


def _iso(t: float) -> str:
    return datetime.fromtimestamp(t, UTC).isoformat(timespec="seconds")
