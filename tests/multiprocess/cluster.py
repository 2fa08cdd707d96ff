"""Several `run.py run` processes over one store, as an operator runs them: a config file
per process, the tokens in the environment, logs read line by line, SIGTERM or SIGKILL.

`Node` is one process; `Cluster` starts nodes and finds which one runs the scheduler (the
INFO line `this process now runs the scheduler`, which `bot.scheduler.Leadership` logs when
it wins the leader lock).
"""

from __future__ import annotations

import asyncio
import contextlib
import signal
import socket
from dataclasses import dataclass, field
from pathlib import Path

from tests.support.processes import START_TIMEOUT, spawn_run

LEADER_LINE = "this process now runs the scheduler"
RUNNING_LINE = "LabelQuest is running"


def free_port() -> int:
    """A TCP port nobody listens on now (the process binds it a moment later)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Node:
    """One `run.py run` process and the lines it printed so far."""

    name: str
    config: Path
    env: dict[str, str]
    cwd: Path
    proc: asyncio.subprocess.Process | None = None
    lines: list[str] = field(default_factory=list)
    _reader: asyncio.Task[None] | None = None
    _changed: asyncio.Event = field(default_factory=asyncio.Event)

    async def start(self) -> None:
        self.proc = await spawn_run(self.config, self.env, self.cwd)
        self._reader = asyncio.create_task(self._read(), name=f"log-{self.name}")

    async def _read(self) -> None:
        assert self.proc is not None and self.proc.stdout is not None
        while line := await self.proc.stdout.readline():
            self.lines.append(line.decode(errors="replace").rstrip())
            self._changed.set()
        self._changed.set()

    @property
    def text(self) -> str:
        return "\n".join(self.lines)

    @property
    def alive(self) -> bool:
        return self.proc is not None and self.proc.returncode is None

    def said(self, needle: str) -> bool:
        return any(needle in line for line in self.lines)

    async def wait_for_line(self, needle: str, timeout: float = START_TIMEOUT) -> None:  # noqa: ASYNC109
        async def until() -> None:
            while not self.said(needle):
                if self._reader is not None and self._reader.done():
                    raise AssertionError(f"{self.name} exited before {needle!r}:\n{self.text}")
                self._changed.clear()
                await self._changed.wait()

        try:
            await asyncio.wait_for(until(), timeout)
        except TimeoutError:
            raise AssertionError(
                f"{self.name} did not log {needle!r} within {timeout} s:\n{self.text}"
            ) from None

    def kill(self) -> None:
        """SIGKILL: no shutdown code runs, as when a machine loses power."""
        assert self.proc is not None
        self.proc.send_signal(signal.SIGKILL)

    async def stop(self, timeout: float = 30.0) -> int:  # noqa: ASYNC109
        """SIGTERM (a clean shutdown) and the exit code; SIGKILL if it hangs."""
        if self.proc is None:
            return 0
        if self.proc.returncode is None:
            with contextlib.suppress(ProcessLookupError):
                self.proc.send_signal(signal.SIGTERM)
        try:
            await asyncio.wait_for(self.proc.wait(), timeout)
        except TimeoutError:
            self.proc.kill()
            await self.proc.wait()
        if self._reader is not None:
            await self._reader
        return int(self.proc.returncode or 0)


@dataclass
class Cluster:
    """The nodes of one test; `stop()` ends every live node."""

    nodes: list[Node] = field(default_factory=list)

    def add(self, node: Node) -> Node:
        self.nodes.append(node)
        return node

    def leaders(self) -> list[Node]:
        """Live nodes that logged winning the leader lock (a node that lost it again logs a
        WARNING, `leader_lost`, after its win)."""
        found = []
        for node in self.nodes:
            if not node.alive:
                continue
            wins = [i for i, line in enumerate(node.lines) if LEADER_LINE in line]
            losses = [i for i, line in enumerate(node.lines) if "scheduler lock" in line]
            if wins and (not losses or losses[-1] < wins[-1]):
                found.append(node)
        return found

    async def wait_for_leader(
        self,
        *,
        other_than: Node | None = None,
        timeout: float = START_TIMEOUT,  # noqa: ASYNC109
    ) -> Node:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while loop.time() < deadline:
            found = [n for n in self.leaders() if n is not other_than]
            if found:
                return found[0]
            await asyncio.sleep(0.1)
        logs = "\n\n".join(f"== {n.name}\n{n.text}" for n in self.nodes)
        raise AssertionError(f"no node became the scheduler leader within {timeout} s\n{logs}")

    async def stop(self) -> dict[str, int]:
        return {n.name: await n.stop() for n in self.nodes}
