"""Benchmark the real language server over stdio against the YAML floor.

Usage (from the repository root, in the project's venv with matplotlib)::

    python tests/bench/bench_server.py            # full run, ~5-10 minutes
    python tests/bench/bench_server.py --quick    # up to 10k lines, < 1 minute

It generates the corpus (``gen_ansible.py``), times the floor and ``analyze()``
in this process (``bench_floor.py``), drives ``python -m ecs_netmode_lsp`` as an
editor would with push diagnostics (``bench_lsp.py``), prints a markdown table,
and writes ``docs/benchmark.md`` and ``docs/benchmark.png``.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import sys
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench_floor import measure
from bench_lsp import LspClient, LspError, peak_rss_mb
from bench_report import (
    Burst,
    Busy,
    ManyDocs,
    Results,
    Row,
    markdown,
    page,
    plot,
)
from gen_ansible import SIZES, TASK_MARKER, Spec, generate

SERVER_COMMAND = [sys.executable, "-m", "ecs_netmode_lsp"]
ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"
LOGS = Path(__file__).resolve().parent / "out"
"""Server logs (stderr) of the last run, one file per server; gitignored."""
TIMEOUT = 120.0
"""Longest wait for any one answer or publish, in seconds."""

NEW_TASK = "- ansible.builtin.meta: flush_handlers\n"


@dataclass(frozen=True)
class Plan:
    """How much to measure."""

    quick: bool
    sizes: tuple[str, ...]
    edits: int
    edits_50k: int
    opens: int
    structure: int
    floor_runs: int
    big: str
    """Size of the busy-server and no-in-scope scenarios."""

    busy_runs: int
    many: int = 100
    burst: int = 100
    burst_size: str = "10k"

    def edits_for(self, label: str) -> int:
        """How many one-character edits to time for a size."""
        return self.edits_50k if label == "50k" else self.edits

    def opens_for(self, label: str) -> int:
        """How many opens to time for a size."""
        return 2 if label == "50k" else self.opens

    def floor_runs_for(self, label: str) -> int:
        """How many runs of each in-process timing for a size."""
        return 3 if label == "50k" else self.floor_runs


QUICK = Plan(True, ("100", "1k", "10k"), 10, 0, 2, 2, 3, "10k", 3)
FULL = Plan(False, tuple(SIZES), 30, 12, 3, 3, 5, "50k", 5)


@dataclass(frozen=True)
class Site:
    """Where edits are typed: just after ``Task`` in a task's name."""

    line: int
    column: int
    """A UTF-16 column; the text before it is ASCII."""

    indent: int


def middle_site(text: str) -> Site:
    """Find the ordinary task name nearest the middle of ``text``."""
    lines = text.split("\n")
    middle = len(lines) // 2
    for distance in range(len(lines)):
        for index in (middle + distance, middle - distance):
            if not 0 <= index < len(lines):
                continue
            line = lines[index]
            stripped = line.lstrip(" ")
            if stripped.startswith((TASK_MARKER, '- name: "Task ')):
                column = line.index("Task") + len("Task")
                assert line[:column].isascii()
                return Site(index, column, len(line) - len(stripped))
    raise ValueError("no task name to edit")


def _position(line: int, character: int) -> dict[str, int]:
    return {"line": line, "character": character}


def char_edit(site: Site, insert: bool) -> dict[str, Any]:
    """Insert an ``x`` in the task name, or delete it again."""
    start = _position(site.line, site.column)
    if insert:
        return {"range": {"start": start, "end": start}, "text": "x"}
    end = _position(site.line, site.column + 1)
    return {"range": {"start": start, "end": end}, "text": ""}


def structure_edit(site: Site, insert: bool) -> dict[str, Any]:
    """Insert a new task line before the task, or remove it again."""
    start = _position(site.line, 0)
    if insert:
        text = " " * site.indent + NEW_TASK
        return {"range": {"start": start, "end": start}, "text": text}
    end = _position(site.line + 1, 0)
    return {"range": {"start": start, "end": end}, "text": ""}


class Document:
    """One open document, with its version."""

    def __init__(self, client: LspClient, uri: str, text: str) -> None:
        self.client = client
        self.uri = uri
        self.text = text
        self.version = 0

    async def open(self, wait: bool = True) -> float:
        """Open the document; return ms to its first diagnostics."""
        self.version = 1
        item = {
            "uri": self.uri,
            "languageId": "ansible",
            "version": 1,
            "text": self.text,
        }
        return await self._timed("textDocument/didOpen", {"textDocument": item}, wait)

    async def change(self, change: dict[str, Any], wait: bool = True) -> float:
        """Apply one change; return ms to the diagnostics of the new version."""
        self.version += 1
        params = {
            "textDocument": {"uri": self.uri, "version": self.version},
            "contentChanges": [change],
        }
        return await self._timed("textDocument/didChange", params, wait)

    async def close(self) -> None:
        """Close the document."""
        params = {"textDocument": {"uri": self.uri}}
        await self.client.notify("textDocument/didClose", params)

    async def diagnosed(self, start: float, after: int = 0) -> float:
        """Wait for the current version's diagnostics; return ms since ``start``."""
        publish = await self.client.wait_publish(self.uri, self.version, TIMEOUT, after)
        return (publish.at - start) * 1000

    async def _timed(self, method: str, params: dict[str, Any], wait: bool) -> float:
        after = len(self.client.publishes)
        start = time.perf_counter()
        await self.client.notify(method, params, drain=wait)
        return await self.diagnosed(start, after) if wait else 0.0


@contextlib.asynccontextmanager
async def server(out: Path, name: str) -> AsyncIterator[LspClient]:
    """A fresh, initialised and warmed-up server; always shut down."""
    client = await LspClient.start(SERVER_COMMAND, out / f"server-{name}.log")
    try:
        await client.initialize(TIMEOUT)
        warm = Document(client, "file:///bench/warm-up.yml", generate(Spec(100)))
        await warm.open()
        await warm.close()
        yield client
    finally:
        await client.close()


async def measure_text(
    plan: Plan, out: Path, label: str, variant: str, text: str
) -> Row:
    """All in-process and server measurements of one text."""
    timings = measure(text, plan.floor_runs_for(label))
    site = middle_site(text)
    async with server(out, f"{label}-{variant}") as client:
        opens = []
        for run in range(plan.opens_for(label)):
            document = Document(client, f"file:///bench/{label}-{run}.yml", text)
            opens.append(await document.open())
            if run + 1 < plan.opens_for(label):
                await document.close()
        edits = [
            await document.change(char_edit(site, insert=i % 2 == 0))
            for i in range(plan.edits_for(label))
        ]
        structure = [
            await document.change(structure_edit(site, insert=i % 2 == 0))
            for i in range(plan.structure)
        ]
        peak, _ = peak_rss_mb(client.pid)
        _check_count(client, document, timings.findings)
    return Row(
        label,
        variant,
        text.count("\n"),
        len(text),
        timings,
        opens,
        edits,
        structure,
        peak,
    )


def _check_count(client: LspClient, document: Document, findings: int) -> None:
    """Make sure the edited text still gave the findings of the original."""
    last = [p for p in client.publishes if p.uri == document.uri][-1]
    if last.count != findings:
        raise LspError(
            f"{document.uri} v{last.version}: {last.count} diagnostics, "
            f"expected {findings}: did an edit break the YAML?"
        )


async def many_documents(plan: Plan, out: Path) -> ManyDocs:
    """Open many distinct 1k-line documents at once; read the server's memory."""
    texts = [
        generate(Spec(SIZES["1k"], multi_document=i % 2 == 0, seed=i))
        for i in range(plan.many)
    ]
    async with server(out, "many") as client:
        _, idle = peak_rss_mb(client.pid)
        documents = [
            Document(client, f"file:///bench/many-{i}.yml", text)
            for i, text in enumerate(texts)
        ]
        start = time.perf_counter()
        for document in documents:
            await document.open(wait=False)
        await client.drain()
        latest = max([await document.diagnosed(start) for document in documents])
        peak, rss = peak_rss_mb(client.pid)
    return ManyDocs(plan.many, idle, rss, peak, latest)


async def code_action(client: LspClient, document: Document, site: Site) -> float:
    """Time one codeAction request; return ms."""
    where = _position(site.line, site.column)
    params = {
        "textDocument": {"uri": document.uri},
        "range": {"start": where, "end": where},
        "context": {"diagnostics": [], "only": ["quickfix"]},
    }
    start = time.perf_counter()
    await client.request("textDocument/codeAction", params, TIMEOUT)
    return (time.perf_counter() - start) * 1000


async def busy_server(plan: Plan, out: Path) -> Busy:
    """Time a request on a small document while a big one is re-analysed."""
    small_text = generate(Spec(SIZES["100"], seed=7))
    big_text = generate(Spec(SIZES[plan.big]))
    small_site, big_site = middle_site(small_text), middle_site(big_text)
    async with server(out, "busy") as client:
        small = Document(client, "file:///bench/small.yml", small_text)
        big = Document(client, "file:///bench/big.yml", big_text)
        await small.open()
        await big.open()
        idle = [await code_action(client, small, small_site) for _ in range(5)]
        busy = []
        for run in range(plan.busy_runs):
            start = time.perf_counter()
            await big.change(char_edit(big_site, insert=run % 2 == 0), wait=False)
            await asyncio.sleep(0.05)  # let the analysis get going
            busy.append(await code_action(client, small, small_site))
            await big.diagnosed(start)
    return Busy(plan.big, idle, busy)


async def burst(plan: Plan, out: Path) -> Burst:
    """Send many edits at once; count the publishes that follow."""
    text = generate(Spec(SIZES[plan.burst_size]))
    site = middle_site(text)
    async with server(out, "burst") as client:
        document = Document(client, "file:///bench/burst.yml", text)
        await document.open()
        after = len(client.publishes)
        for i in range(plan.burst):
            await document.change(char_edit(site, insert=i % 2 == 0), wait=False)
        await client.drain()
        sent = time.perf_counter()
        settle = await document.diagnosed(sent, after)
        # Anything still coming would arrive within a few analyses' time.
        await asyncio.sleep(min(5.0, max(1.0, 3 * settle / 1000)))
        mine = [p for p in client.publishes[after:] if p.uri == document.uri]
    return Burst(
        plan.burst_size,
        plan.burst,
        len(mine),
        mine[-1].version if mine else None,
        document.version,
        settle,
    )


async def run(plan: Plan, out: Path) -> Results:
    """Run every scenario of the plan."""
    started = time.perf_counter()
    rows = []
    for label in plan.sizes:
        for multi in (True, False):
            text = generate(Spec(SIZES[label], multi_document=multi))
            variant = "multi" if multi else "single"
            _progress(f"{label} {variant}")
            rows.append(await measure_text(plan, out, label, variant, text))
    _progress(f"{plan.big} no in-scope task")
    quiet = generate(Spec(SIZES[plan.big], in_scope=False))
    rows.append(await measure_text(plan, out, plan.big, "no-scope", quiet))
    _progress(f"{plan.many} documents")
    many = await many_documents(plan, out)
    _progress("busy server")
    busy = await busy_server(plan, out)
    _progress("burst")
    bursted = await burst(plan, out)
    seconds = time.perf_counter() - started
    return Results(plan.quick, rows, many, busy, bursted, seconds)


def _progress(message: str) -> None:
    sys.stderr.write(f"[bench] {message}\n")
    sys.stderr.flush()


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark, print the tables, write the docs."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="sizes up to 10k only")
    parser.add_argument(
        "--no-write", action="store_true", help="print only; leave docs/ alone"
    )
    args = parser.parse_args(argv)
    plan = QUICK if args.quick else FULL
    LOGS.mkdir(parents=True, exist_ok=True)
    results = asyncio.run(run(plan, LOGS))
    sys.stdout.write(markdown(results))
    if not args.no_write:
        DOCS.mkdir(exist_ok=True)
        (DOCS / "benchmark.md").write_text(page(results), encoding="utf-8")
        plot(results.rows, DOCS / "benchmark.png")
        sys.stdout.write(f"\nwrote {DOCS / 'benchmark.md'} and benchmark.png\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
