"""`run.py webhook add|list|remove|deliveries` as an admin types them, on SQLite and
PostgreSQL: the secret is printed once, lists show only its prefix, bad input is one
`error:` line naming what is wrong."""

from __future__ import annotations

import asyncio
import re
from collections.abc import Iterator

import pytest

from bot.cli.main import main
from storage import open_store
from tests.support.seeds import seed_campaign

_SECRET = re.compile(r"^whsec_[A-Za-z0-9_-]{40,}$", re.M)


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


async def _seed(db: str) -> None:
    store = await open_store(db)
    try:
        await seed_campaign(store)
    finally:
        await store.close()


async def _drop(db: str) -> None:
    store = await open_store(db)
    if store.dialect == "postgres":
        await store.db.drop_schema()  # type: ignore[attr-defined]
    await store.close()


@pytest.fixture
def db(db_url: str) -> Iterator[str]:
    asyncio.run(_seed(db_url))
    yield db_url
    asyncio.run(_drop(db_url))


def test_add_list_deliveries_remove(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    url = "https://ml.example.org/labelquest?team=7"
    code, out, err = _run(capsys, "webhook", "add", "--campaign", "colours", url, "--db", db)
    assert code == 0, err
    secrets = _SECRET.findall(out)
    assert len(secrets) == 1 and "shown only this once" in out and err == ""
    secret = secrets[0]

    code, out, _ = _run(capsys, "webhook", "list", "--db", db)
    assert code == 0 and url in out and "colours" in out and "yes" in out
    assert secret not in out and secret[:14] + "…" in out

    code, out, _ = _run(capsys, "webhook", "deliveries", "1", "--db", db)
    assert code == 0 and "no deliveries yet" in out

    code, out, _ = _run(capsys, "webhook", "remove", "1", "--db", db)
    assert code == 0 and out.startswith("removed webhook 1")
    _, out, _ = _run(capsys, "webhook", "list", "--db", db)
    assert out.splitlines()[1].split()[4] == "no"


def test_plain_http_warns_and_bad_input_is_one_error_line(
    db: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = _run(
        capsys, "webhook", "add", "--campaign", "colours", "http://example.org/x", "--db", db
    )
    assert code == 0 and "plain http" in err and _SECRET.search(out)
    for argv, message in [
        (("add", "--campaign", "colours", "ftp://example.org/x"), "url: must be an http://"),
        (("add", "--campaign", "nope", "https://example.org/x"), "no campaign named nope"),
        (("remove", "99"), "no webhook with id 99"),
        (("deliveries", "99"), "no webhook with id 99"),
    ]:
        code, out, err = _run(capsys, "webhook", *argv, "--db", db)
        assert code == 1 and out == "" and err.startswith("error: ") and message in err, err
