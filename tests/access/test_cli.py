"""`run.py token create|list|revoke` as an admin types them, on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
import re
from collections.abc import Iterator

import pytest

from bot.cli.main import main
from bot.core.engine import Engine
from storage import open_store
from tests.support.settings import settings_for

_TOKEN = re.compile(r"^lq_\d+_[A-Za-z0-9_-]{32,}$", re.M)


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


async def _setup(db: str) -> int:
    store = await open_store(db)
    try:
        return (await store.upsert_community("discord", "42", "Guild", 0.0)).id
    finally:
        await store.close()


async def _verify(db: str, token: str) -> str:
    store = await open_store(db)
    engine = Engine(store, settings_for(db))
    try:
        return (await engine.access.verify(token)).name
    finally:
        await engine.close()
        await store.close()


async def _drop(db: str) -> None:
    store = await open_store(db)
    if store.dialect == "postgres":
        await store.db.drop_schema()  # type: ignore[attr-defined]
    await store.close()


@pytest.fixture
def db(db_url: str) -> Iterator[str]:
    yield db_url
    asyncio.run(_drop(db_url))


def test_create_list_revoke(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    cid = asyncio.run(_setup(db))
    code, out, err = _run(
        capsys, "token", "create", "--name", "lab", "--community", str(cid), "--write", "--db", db
    )
    assert code == 0, err
    [token] = _TOKEN.findall(out)
    assert out.count(token) == 1
    assert "created token 1 ('lab'): scopes read+write" in out
    assert "shown only this once" in out and "Store this token now" in out
    assert asyncio.run(_verify(db, token)) == "lab"
    code, out, _ = _run(
        capsys, "token", "create", "--name", "ci", "--expires-days", "30", "--db", db
    )
    assert code == 0 and "communities all" in out
    code, out, _ = _run(capsys, "token", "list", "--db", db)
    head, first, second = out.strip().splitlines()
    assert head.split() == [
        "id", "name", "prefix", "scopes", "communities",
        "created", "last", "used", "expires", "revoked",
    ]  # fmt: skip
    assert first.split()[:5] == ["1", "lab", token[:9] + "…", "read+write", str(cid)]
    assert re.search(r"\bnever +-$", first)  # no expiry, not revoked
    assert second.split()[:5] == ["2", "ci", second.split()[2], "read", "all"]
    assert token not in out and token[9:] not in out
    code, out, _ = _run(capsys, "token", "revoke", "1", "--db", db)
    assert (code, out) == (0, "revoked token 1 ('lab'): it no longer works\n")
    code, out, _ = _run(capsys, "token", "list", "--db", db)
    assert out.strip().splitlines()[1].endswith(" UTC")  # the revoked column has a time
    with pytest.raises(Exception, match="invalid or expired API token"):
        asyncio.run(_verify(db, token))


def test_errors_exit_1_with_a_clear_message(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = _run(capsys, "token", "revoke", "9", "--db", db)
    assert (code, out, err) == (1, "", "error: there is no API token with id 9\n")
    code, out, err = _run(capsys, "token", "create", "--name", "x", "--community", "5", "--db", db)
    assert (code, out, err) == (1, "", "error: there is no community with id 5\n")
    code, out, err = _run(
        capsys, "token", "create", "--name", "x", "--expires-days", "0", "--db", db
    )
    assert code == 1 and "--expires-days must be a whole number of days" in err
    code, out, _ = _run(capsys, "token", "list", "--db", db)
    assert code == 0 and out.startswith("no API tokens")


def test_the_list_marks_expired_tokens() -> None:
    from bot.cli.cmd_tokens import format_list
    from bot.core.access import TokenInfo

    day = 86_400.0
    old = TokenInfo(3, "old", "lq_3_abcd…", "read", (), "cli", 0.0, None, day, None)
    fresh = TokenInfo(4, "fresh", "lq_4_efgh…", "read", (7,), "cli", 0.0, None, 9 * day, None)
    _, first, second = format_list([old, fresh], now=2 * day).splitlines()
    assert "1970-01-02 00:00 UTC (expired)" in first
    assert "(expired)" not in second and "1970-01-10 00:00 UTC" in second
