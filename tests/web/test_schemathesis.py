"""The OpenAPI document against the running app: schemathesis generates requests from
`bot.web.openapi.document()` for every operation and sends them to a real `WebAdapter` on
loopback (a real store on SQLite and PostgreSQL, a read+write token), checking that no answer
is a server error and that every status, content type and body is one the document declares.

Each operation runs with free path parameters (mostly missing campaigns: 404s) and with a
real campaign and item (so the 200/201 paths and the body checks are exercised), in both
positive and negative generation modes; examples are few and derandomized, so the run is
bounded and repeatable. Schemathesis is synchronous (requests): it runs in a thread while the
event loop serves."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import hypothesis
import pytest
import schemathesis
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from bot.config import WebSettings
from bot.core.engine import Engine
from bot.core.kernel.clock import ManualClock
from bot.web.app import WebAdapter
from bot.web.openapi import document
from storage import SqlStore
from tests.support.engine import vote_round
from tests.support.seeds import seed_campaign

LOOPBACK = WebSettings(enabled=True, listen="127.0.0.1", port=0)
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
EXAMPLES = 12


@pytest.fixture
async def served(engine: Engine) -> AsyncIterator[WebAdapter]:
    web = WebAdapter(engine, LOOPBACK)
    await web.start()
    try:
        yield web
    finally:
        await web.stop()


def run_schemathesis(base_url: str, token: str, fixed: dict[str, int]) -> list[str]:
    """Every operation in both modes, free and with `fixed` path parameters; returns the
    failures (operation, mode: the error), empty when the app keeps to its document."""
    schema = schemathesis.openapi.from_dict(document())
    headers = {"Authorization": f"Bearer {token}"}
    failures: list[str] = []
    for result in schema.get_all_operations():
        op = result.ok()  # type: ignore[union-attr]  # an Err fails the test: good
        names = {p.name for p in op.path_parameters}
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            for params in ({}, {k: v for k, v in fixed.items() if k in names}):
                if not names and params == {} and mode is GenerationMode.NEGATIVE:
                    continue
                strategy = op.as_strategy(mode, path_parameters=params or None)

                @hypothesis.given(case=strategy)
                @hypothesis.settings(
                    max_examples=EXAMPLES,
                    derandomize=True,
                    deadline=None,
                    database=None,
                    phases=[hypothesis.Phase.explicit, hypothesis.Phase.generate],
                    suppress_health_check=list(hypothesis.HealthCheck),
                )
                def check(case: Any) -> None:
                    case.call_and_validate(base_url=base_url, headers=headers, checks=CHECKS)

                try:
                    check()
                except Exception as exc:  # every failure is reported, not just the first
                    failures.append(f"{op.label} {mode.value} {params}: {exc}")
    return failures


async def test_the_app_keeps_to_its_openapi_document(
    served: WebAdapter, engine: Engine, store: SqlStore, clock: ManualClock
) -> None:
    camp = await seed_campaign(store, game="classify", items=4, min_overlap=2, max_overlap=3)
    await vote_round(engine, clock, ["red", "red"], first=1)
    await vote_round(engine, clock, ["red", "green", "blue"], first=3)
    item = (await store.dataset_items(camp.dataset_id))[-1].id
    token = (await engine.access.create("schemathesis", write=True)).token
    fixed = {"id": camp.id, "item_id": item}
    failures = await asyncio.to_thread(run_schemathesis, served.url, token, fixed)
    assert not failures, "\n\n".join(failures)
