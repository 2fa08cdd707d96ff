"""API tokens through the engine (`engine.access`), on SQLite and PostgreSQL: a token works
once created, never again once revoked or expired, is stored as a hash only, and every
create and revoke is audited without the token."""

from __future__ import annotations

import hashlib
import hmac
from pathlib import Path
from typing import Any

import pytest

from bot.core.access import Principal, texts, tokens
from bot.core.engine import Engine
from bot.core.kernel.clock import ManualClock
from bot.core.kernel.errors import InvalidInput, NotFound, PermissionDenied
from storage import SqlStore


async def _community(store: SqlStore, name: str = "Labelers") -> int:
    return (await store.upsert_community("telegram", f"-100{name}", name, 0.0)).id


async def _refused(engine: Engine, token: str) -> str:
    with pytest.raises(NotFound) as caught:
        await engine.access.verify(token)
    return caught.value.message


async def test_a_new_token_verifies_as_its_principal(engine: Engine, store: SqlStore) -> None:
    cid = await _community(store)
    issued = await engine.access.create("lab", write=True, communities=[cid])
    assert issued.token.startswith(f"lq_{issued.info.id}_")
    assert len(issued.token.split("_", 2)[2]) >= 32
    who = await engine.access.verify(issued.token)
    assert who == Principal(issued.info.id, "lab", frozenset({"read", "write"}), frozenset({cid}))
    assert who.can_write and who.sees(cid) and not who.sees(cid + 1)
    read_only = await engine.access.create("reader")
    reader = await engine.access.verify(read_only.token)
    assert reader.scopes == {"read"} and not reader.can_write and reader.sees(cid + 1)
    assert issued.token != read_only.token


async def test_wrong_unknown_revoked_and_expired_tokens_get_the_same_refusal(
    engine: Engine, clock: ManualClock
) -> None:
    good = await engine.access.create("good")
    lapsing = await engine.access.create("lapsing", expires_days=1)
    revoked = await engine.access.create("revoked")
    await engine.access.revoke(revoked.info.id)
    secret = good.token.split("_", 2)[2]
    wrong_secret = good.token[:-1] + ("A" if good.token[-1] != "A" else "B")
    candidates = [
        wrong_secret,
        f"lq_999_{secret}",  # an id that does not exist
        revoked.token,
        f"lq_{good.info.id}_short",
        "ghp_" + secret,  # a token of another format
        "",
    ]
    messages = {await _refused(engine, t) for t in candidates}
    assert messages == {texts.INVALID_TOKEN}
    assert (await engine.access.verify(lapsing.token)).name == "lapsing"
    clock.advance(86_400)
    assert await _refused(engine, lapsing.token) == texts.INVALID_TOKEN
    assert (await engine.access.verify(good.token)).name == "good"


async def test_revoking_lists_the_token_as_revoked_and_unknown_ids_are_refused(
    engine: Engine, clock: ManualClock
) -> None:
    issued = await engine.access.create("ci")
    clock.advance(30)
    info = await engine.access.revoke(issued.info.id)
    assert info.revoked_at == clock.now()
    clock.advance(30)
    again = await engine.access.revoke(issued.info.id)
    assert again.revoked_at == info.revoked_at  # the first revocation time stays
    [listed] = await engine.access.tokens()
    assert listed.revoked_at == info.revoked_at and listed.shown.startswith(f"lq_{info.id}_")
    with pytest.raises(NotFound, match="no API token with id 77"):
        await engine.access.revoke(77)


async def test_last_used_is_written_at_most_once_a_minute(
    engine: Engine, store: SqlStore, clock: ManualClock
) -> None:
    issued = await engine.access.create("poller")
    start = clock.now()
    await engine.access.verify(issued.token)
    clock.advance(59)
    await engine.access.verify(issued.token)
    row = await store.get_api_token(issued.info.id)
    assert row is not None and row.last_used_at == start
    clock.advance(1)
    await engine.access.verify(issued.token)
    row = await store.get_api_token(issued.info.id)
    assert row is not None and row.last_used_at == start + 60
    # another process that read the row before this write does not write it again
    assert not await store.touch_api_token(issued.info.id, start + 61, start + 1)


async def test_the_database_holds_a_hash_only(
    engine: Engine, store: SqlStore, db_url: str
) -> None:
    issued = await engine.access.create("secretive", write=True)
    secret = issued.token.split("_", 2)[2]
    row = await store.get_api_token(issued.info.id)
    assert row is not None
    assert row.secret_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert row.prefix == secret[:4]
    async with store.db.read() as c:
        stored: list[Any] = [
            *(await c.fetch("SELECT * FROM api_tokens")),
            *(await c.fetch("SELECT * FROM audit_log")),
        ]
    dump = repr([tuple(r) for r in stored])
    assert "secretive" in dump and secret not in dump and secret[:12] not in dump
    if store.dialect == "sqlite":
        await store.close()
        raw = b"".join(p.read_bytes() for p in Path(db_url).parent.glob("labelquest.db*"))
        assert b"secretive" in raw and secret.encode() not in raw
        await store.open()


async def test_create_and_revoke_are_audited_without_the_token(
    engine: Engine, store: SqlStore
) -> None:
    cid = await _community(store)
    issued = await engine.access.create("audited", communities=[cid], expires_days=7)
    await engine.access.revoke(issued.info.id)
    revoke, create = await store.audit_entries(limit=2)
    assert (create.action, create.target, create.actor) == (
        "token.create",
        f"token {issued.info.id}",
        "cli",
    )
    assert f"communities=[{cid}]" in create.detail and "scopes=read" in create.detail
    assert (revoke.action, revoke.target) == ("token.revoke", f"token {issued.info.id}")
    secret = issued.token.split("_", 2)[2]
    for entry in (create, revoke):
        assert secret[:8] not in repr(entry)
        assert tokens.hash_secret(secret) not in repr(entry)


async def test_bad_requests_to_create_are_refused(engine: Engine) -> None:
    with pytest.raises(NotFound, match="no community with id 404"):
        await engine.access.create("x", communities=[404])
    with pytest.raises(InvalidInput):
        await engine.access.create("   ")
    with pytest.raises(InvalidInput):
        await engine.access.create("x", expires_days=0)
    with pytest.raises(PermissionDenied):
        await engine.access.create("everything", admin=False)
    assert await engine.access.tokens() == []


async def test_verification_compares_hashes_in_constant_time(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    issued = await engine.access.create("timed")
    compared: list[tuple[bytes, bytes]] = []
    real = hmac.compare_digest

    def spy(a: bytes, b: bytes) -> bool:
        compared.append((a, b))
        return bool(real(a, b))

    monkeypatch.setattr(hmac, "compare_digest", spy)  # the module tokens uses
    await engine.access.verify(issued.token)
    await _refused(engine, issued.token[:-1] + ("x" if issued.token[-1] != "x" else "y"))
    await _refused(engine, "lq_4242_" + "a" * 43)  # unknown id: still one comparison
    assert len(compared) == 3
    assert all(len(a) == len(b) == 64 for a, b in compared)


def test_parse_accepts_only_the_labelquest_format() -> None:
    secret = tokens.new_secret()
    assert tokens.parse_token(f"lq_7_{secret}") == tokens.ParsedToken(7, secret)
    bad = [f"LQ_7_{secret}", f"lq_07_{secret}", f"lq_x_{secret}", f"lq_7_{secret} ", "lq_7_"]
    for text in bad:
        assert tokens.parse_token(text) is None
