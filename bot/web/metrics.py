"""Prometheus metrics of one process, served by `GET /metrics` (bot/web/ops.py).

Rules:
- Every `WebMetrics` has its OWN `CollectorRegistry`, never prometheus_client's global one:
  several adapters (tests run many) live in one process, and each reports its own engine.
- Answers, their latency and the group commit's batch sizes are counted as they happen,
  through the engine's observer hooks (`Answers.observers`, `GroupCommit.on_batch`), which
  `attach` sets and `detach` removes. Only answers the group commit stored are counted
  (not duplicates, nor answers to a closed round); the latency is from `Answers.submit` to
  its batch's commit, in seconds.
- Open channel rounds and the scheduler leader are read on scrape (`refresh`): the first by
  one store read through the engine, the second from the process (`App.is_leader`); a
  process without a scheduler (`run.py web`) reports leader 0.
- Platform API errors and retries are the process's (`bot.delivery.PLATFORM_STATS`, counted
  by the chat adapters where they call Discord and Telegram), read on scrape by
  `PlatformApiCollector`: `labelquest_platform_api_errors_total{platform, kind}` and
  `labelquest_platform_api_retries_total{platform}`, every kind of each chat platform
  exported from zero. Every registry shows the same process-wide counts.
- Webhook delivery attempts are counted by outcome as the dispatcher reports them
  (`WebhookCases.observers`): `delivered`, `retry` (failed, tried again later), `failed`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from prometheus_client.exposition import CONTENT_TYPE_LATEST
from prometheus_client.metrics_core import CounterMetricFamily, Metric
from prometheus_client.registry import Collector

from bot.core.engine import Engine
from bot.delivery import CHAT_PLATFORMS, ERROR_KINDS, PLATFORM_STATS, PlatformStats

__all__ = ["CONTENT_TYPE", "WebMetrics"]

#: What `/metrics` answers with (Prometheus text format 0.0.4).
CONTENT_TYPE = CONTENT_TYPE_LATEST

LATENCY_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)
BATCH_BUCKETS = (1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 4096, 10000)


class PlatformApiCollector(Collector):
    """The chat platforms' API errors and retries, read from `stats` on every scrape."""

    def __init__(self, stats: PlatformStats = PLATFORM_STATS) -> None:
        self.stats = stats

    def collect(self) -> Iterator[Metric]:
        errors, retries = self.stats.snapshot()
        failed = CounterMetricFamily(
            "labelquest_platform_api_errors",
            "Failed attempts of chat platform API calls, by platform and kind",
            labels=["platform", "kind"],
        )
        for key in sorted({*((p, k) for p in CHAT_PLATFORMS for k in ERROR_KINDS), *errors}):
            failed.add_metric(list(key), errors.get(key, 0))
        yield failed
        again = CounterMetricFamily(
            "labelquest_platform_api_retries",
            "Chat platform API calls attempted again after a failure, by platform",
            labels=["platform"],
        )
        for platform in sorted({*CHAT_PLATFORMS, *retries}):
            again.add_metric([platform], retries.get(platform, 0))
        yield again


class WebMetrics:
    """The process's metrics over one engine, in a registry of their own."""

    def __init__(self, engine: Engine, is_leader: Callable[[], bool] | None = None) -> None:
        self.engine = engine
        self.is_leader = is_leader
        self.registry = CollectorRegistry(auto_describe=True)
        r = self.registry
        self.answers = Counter(
            "labelquest_answers_stored",
            "Answers stored by the group commit, by platform",
            ["platform"],
            registry=r,
        )
        self.latency = Histogram(
            "labelquest_answer_latency_seconds",
            "Seconds from an answer's submission to its batch's commit",
            ["platform"],
            buckets=LATENCY_BUCKETS,
            registry=r,
        )
        self.batch_size = Histogram(
            "labelquest_group_commit_batch_size",
            "Answers per group-commit batch",
            buckets=BATCH_BUCKETS,
            registry=r,
        )
        self.open_rounds = Gauge(
            "labelquest_open_channel_rounds",
            "Channel rounds open now (read from the store on scrape)",
            registry=r,
        )
        self.leader = Gauge(
            "labelquest_scheduler_leader",
            "1 while this process runs the scheduler, else 0",
            registry=r,
        )
        r.register(PlatformApiCollector())
        self.webhook_deliveries = Counter(
            "labelquest_webhook_deliveries",
            "Webhook delivery attempts sent by this process, by outcome (delivered, retry, "
            "failed)",
            ["outcome"],
            registry=r,
        )
        self._previous_on_batch: Callable[[int], None] | None = None
        self._attached = False

    def attach(self) -> None:
        """Start counting the engine's answers and batches (idempotent)."""
        if self._attached:
            return
        play = self.engine.play
        play.answers.observers.append(self.on_answer)
        commits = play.answers.commits
        self._previous_on_batch = commits.on_batch
        commits.on_batch = self.on_batch
        self.engine.webhooks.observers.append(self.on_webhook)
        self._attached = True

    def detach(self) -> None:
        """Stop counting; the engine is left as `attach` found it."""
        if not self._attached:
            return
        answers = self.engine.play.answers
        if self.on_answer in answers.observers:
            answers.observers.remove(self.on_answer)
        if answers.commits.on_batch == self.on_batch:
            answers.commits.on_batch = self._previous_on_batch
        if self.on_webhook in self.engine.webhooks.observers:
            self.engine.webhooks.observers.remove(self.on_webhook)
        self._attached = False

    def on_webhook(self, outcome: str) -> None:
        """One webhook delivery attempt's outcome."""
        self.webhook_deliveries.labels(outcome=outcome).inc()

    def on_answer(self, platform: str, status: str, seconds: float) -> None:
        """An answer the group commit settled: counted and timed when it was stored."""
        if status != "stored":
            return
        self.answers.labels(platform=platform).inc()
        self.latency.labels(platform=platform).observe(seconds)

    def on_batch(self, size: int) -> None:
        """One group-commit batch of `size` answers (chained to an earlier observer)."""
        self.batch_size.observe(size)
        if self._previous_on_batch is not None:
            self._previous_on_batch(size)

    async def refresh(self) -> None:
        """Read what is collected on scrape: open channel rounds (one store read) and the
        scheduler leader. Raises what the store raises."""
        self.leader.set(1 if self.is_leader is not None and self.is_leader() else 0)
        self.open_rounds.set(await self.engine.open_channel_rounds())

    async def exposition(self) -> bytes:
        """The text `/metrics` serves, after `refresh`."""
        await self.refresh()
        return generate_latest(self.registry)
