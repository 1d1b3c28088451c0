"""Results of a benchmark run: the markdown report and the plot."""

from __future__ import annotations

import math
import os
import platform
import statistics
import subprocess
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timezone
from importlib.metadata import version
from pathlib import Path
from typing import TYPE_CHECKING

from bench_floor import Timings

if TYPE_CHECKING:
    from matplotlib.axes import Axes

TARGET_NO_SCOPE_MS = 10.0
TARGET_MANY_MB = 100.0


@dataclass(frozen=True)
class Row:
    """One generated text: in-process timings and the server's latencies."""

    label: str
    variant: str
    lines: int
    chars: int
    timings: Timings
    open_ms: list[float]
    """didOpen -> first publishDiagnostics, one sample per (re)open."""

    edit_ms: list[float]
    """One-character edit -> publishDiagnostics of that version."""

    structure_ms: list[float]
    """Inserting or removing a task line -> publishDiagnostics."""

    peak_mb: float

    @property
    def open_median(self) -> float:
        """Median time to first diagnostics."""
        return statistics.median(self.open_ms)

    @property
    def edit_median(self) -> float:
        """Median one-character edit latency."""
        return statistics.median(self.edit_ms)

    @property
    def edit_p95(self) -> float:
        """95th percentile (nearest rank) of the edit latency."""
        return percentile(self.edit_ms, 95)

    @property
    def structure_median(self) -> float:
        """Median structural edit latency."""
        return statistics.median(self.structure_ms)


@dataclass(frozen=True)
class ManyDocs:
    """Many 1k-line documents open in one server."""

    count: int
    idle_mb: float
    rss_mb: float
    peak_mb: float
    all_ms: float
    """From the first didOpen to the last document's first diagnostics."""


@dataclass(frozen=True)
class Busy:
    """Answering a request on a small document while a big one is analysed."""

    big_label: str
    idle_ms: list[float]
    busy_ms: list[float]


@dataclass(frozen=True)
class Burst:
    """Many edits sent at once."""

    label: str
    edits: int
    publishes: int
    last_version: int | None
    final_version: int
    settle_ms: float
    """From the last edit sent to the diagnostics of the final version."""


@dataclass(frozen=True)
class Results:
    """Everything one run measured."""

    quick: bool
    rows: list[Row]
    many: ManyDocs
    busy: Busy
    burst: Burst
    seconds: float


def percentile(samples: Iterable[float], rank: float) -> float:
    """Return the nearest-rank percentile of ``samples``."""
    ordered = sorted(samples)
    index = max(0, math.ceil(rank / 100 * len(ordered)) - 1)
    return ordered[index]


def _ms(value: float) -> str:
    return f"{value:,.1f}" if value < 100 else f"{value:,.0f}"


def _x(value: float) -> str:
    return f"{value:.2f}x" if value < 10 else f"{value:.1f}x"


def results_table(rows: list[Row]) -> str:
    """The main table: one line per generated text."""
    head = (
        "| size | variant | lines | findings | floor default ms | floor tuned ms "
        "| analyze() ms | open ms | edit median ms | edit p95 ms | structural "
        "edit ms | open / floor (default, tuned) | edit / floor (default, tuned) "
        "| server peak RSS MB |\n"
        "|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|\n"
    )
    body = ""
    for row in rows:
        t = row.timings
        body += (
            f"| {row.label} | {row.variant} | {row.lines:,} | {t.findings} "
            f"| {_ms(t.floor_default)} | {_ms(t.floor_tuned)} | {_ms(t.analyze)} "
            f"| {_ms(row.open_median)} | {_ms(row.edit_median)} "
            f"| {_ms(row.edit_p95)} | {_ms(row.structure_median)} "
            f"| {_x(row.open_median / t.floor_default)}, "
            f"{_x(row.open_median / t.floor_tuned)} "
            f"| {_x(row.edit_median / t.floor_default)}, "
            f"{_x(row.edit_median / t.floor_tuned)} | {row.peak_mb:.0f} |\n"
        )
    return head + body


def _find(rows: list[Row], label: str, variant: str) -> Row | None:
    for row in rows:
        if row.label == label and row.variant == variant:
            return row
    return None


def _verdict(ok: bool) -> str:
    return "yes" if ok else "**no**"


def targets_table(results: Results) -> str:
    """The lead's targets, measured."""
    rows = results.rows
    lines = ["| target | measured | met |", "|---|---|---|"]
    ten = _find(rows, "10k", "multi")
    if ten is not None:
        t = ten.timings
        for name, floor in (("default", t.floor_default), ("tuned", t.floor_tuned)):
            ratio = ten.open_median / floor
            lines.append(
                f"| full analysis at 10k <= 1.0x floor ({name}) | open "
                f"{_ms(ten.open_median)} ms = {_x(ratio)}; analyze() "
                f"{_x(t.analyze / floor)} | {_verdict(ratio <= 1.0)} |"
            )
    big = _find(rows, "50k", "multi")
    if big is not None:
        t = big.timings
        for name, floor in (("default", t.floor_default), ("tuned", t.floor_tuned)):
            ratio = big.edit_median / floor
            lines.append(
                f"| edit in one task at 50k <= 0.1x floor ({name}) | "
                f"{_ms(big.edit_median)} ms = {_x(ratio)} | {_verdict(ratio <= 0.1)} |"
            )
    quiet = next((row for row in rows if row.variant == "no-scope"), None)
    if quiet is not None:
        ok = quiet.edit_median <= TARGET_NO_SCOPE_MS
        lines.append(
            f"| {quiet.label} no in-scope task <= {TARGET_NO_SCOPE_MS:.0f} ms per edit "
            f"| median {_ms(quiet.edit_median)} ms, p95 {_ms(quiet.edit_p95)} ms "
            f"| {_verdict(ok)} |"
        )
    many = results.many
    ok = many.rss_mb <= TARGET_MANY_MB
    lines.append(
        f"| {many.count} open 1k-line docs <= {TARGET_MANY_MB:.0f} MB | RSS "
        f"{many.rss_mb:.0f} MB (peak {many.peak_mb:.0f}, idle server "
        f"{many.idle_mb:.0f}) | {_verdict(ok)} |"
    )
    return "\n".join(lines) + "\n"


def scenarios_table(results: Results) -> str:
    """The other scenarios: many documents, a busy server, a burst of edits."""
    many, busy, burst = results.many, results.busy, results.burst
    ok = burst.last_version == burst.final_version
    return (
        "| scenario | result |\n|---|---|\n"
        f"| {many.count} open 1k-line docs | all diagnosed in {_ms(many.all_ms)} ms; "
        f"RSS {many.rss_mb:.0f} MB, peak {many.peak_mb:.0f} MB "
        f"(idle server {many.idle_mb:.0f} MB) |\n"
        f"| codeAction on a small doc, idle server | median "
        f"{_ms(statistics.median(busy.idle_ms))} ms |\n"
        f"| codeAction on a small doc while a {busy.big_label}-line doc is "
        f"analysed | median {_ms(statistics.median(busy.busy_ms))} ms, max "
        f"{_ms(max(busy.busy_ms))} ms ({len(busy.busy_ms)} samples) |\n"
        f"| burst of {burst.edits} edits at once ({burst.label} lines) | "
        f"{burst.publishes} publishDiagnostics; last is v{burst.last_version} "
        f"(final v{burst.final_version}: {_verdict(ok)}); final diagnostics "
        f"{_ms(burst.settle_ms)} ms after the last edit was sent |\n"
    )


def machine() -> str:
    """Describe the machine and the software measured."""
    cpu = "unknown"
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text(encoding="utf-8").splitlines():
            if line.startswith("model name"):
                cpu = line.partition(":")[2].strip()
                break
    load = ", ".join(f"{value:.2f}" for value in os.getloadavg())
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"],
        capture_output=True,
        text=True,
        check=False,
    ).stdout.strip()
    return (
        f"- CPU: {cpu}, {os.cpu_count()} cores; {platform.system()} "
        f"{platform.release()}\n"
        f"- Python {platform.python_version()} ({platform.python_implementation()}); "
        f"ruamel.yaml {version('ruamel.yaml')}, ruamel.yaml.clib "
        f"{version('ruamel.yaml.clib')}, pygls {version('pygls')}\n"
        f"- ecs-netmode-lsp {version('ecs-netmode-lsp')} at commit {commit or '?'}; "
        f"run {datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC\n"
        f"- load average at the end of the run: {load} (other work on the machine "
        "shows up as noise, mostly in the p95 column)\n"
    )


def markdown(results: Results) -> str:
    """The whole report."""
    mode = "--quick" if results.quick else "full"
    return (
        f"## Results ({mode} run, {results.seconds:.0f} s)\n\n"
        + results_table(results.rows)
        + "\n### Targets\n\n"
        + targets_table(results)
        + "\n### Other scenarios\n\n"
        + scenarios_table(results)
        + "\n### Machine\n\n"
        + machine()
    )


def plot(rows: list[Row], path: Path) -> None:
    """Write a log-log plot of latency against file size."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    variants = [v for v in ("multi", "single") if any(r.variant == v for r in rows)]
    figure, axes = plt.subplots(
        1, len(variants), figsize=(6.5 * len(variants), 5), sharey=True, squeeze=False
    )
    for axis, variant in zip(axes[0], variants, strict=True):
        _plot_variant(axis, [r for r in rows if r.variant == variant], variant)
        quiet = [r for r in rows if r.variant == "no-scope"]
        if variant == "multi" and quiet:
            axis.plot(
                [r.lines for r in quiet],
                [r.edit_median for r in quiet],
                "r*",
                markersize=12,
                label="ours: edit, no in-scope task",
            )
            axis.legend(fontsize=8)
    figure.tight_layout()
    figure.savefig(path, dpi=110)
    plt.close(figure)


def _plot_variant(axis: Axes, rows: list[Row], variant: str) -> None:
    x = [row.lines for row in rows]
    series = (
        ("floor: compose, default", [r.timings.floor_default for r in rows], "k--o"),
        ("floor: compose, tuned", [r.timings.floor_tuned for r in rows], "k:s"),
        ("analyze() in-process", [r.timings.analyze for r in rows], "b-^"),
        ("ours: didOpen -> diagnostics", [r.open_median for r in rows], "C1-o"),
        ("ours: 1-char edit (median)", [r.edit_median for r in rows], "g-D"),
        ("ours: 1-char edit (p95)", [r.edit_p95 for r in rows], "g:d"),
    )
    for label, y, style in series:
        axis.plot(x, y, style, label=label)
    target = [r.timings.floor_default / 10 for r in rows]
    axis.plot(x, target, color="0.6", lw=3, alpha=0.4, label="edit target: floor / 10")
    axis.set_xscale("log")
    axis.set_yscale("log")
    axis.set_xlabel("file size (lines)")
    axis.set_ylabel("latency (ms)")
    title = "multi-document (--- per play)" if variant == "multi" else "one document"
    axis.set_title(f"ecs-netmode-lsp vs YAML compose floor: {title}")
    axis.grid(True, which="both", alpha=0.3)
    axis.legend(fontsize=8)


INTRO = """\
# Performance benchmark

Measured by `{command}` (from the repository root, in the project venv with
matplotlib installed; `--quick` stops at 10k lines and takes under a minute, the
full run takes a few minutes on two cores).  The script regenerates this page
and `benchmark.png`.

What is measured, all on the same deterministic generated playbooks
(`tests/bench/gen_ansible.py`: plays with vars anchors, pre_tasks, tasks,
post_tasks, handlers, nested block/rescue/always, `<<` merge keys, Jinja,
comments, non-ASCII and non-BMP text, about 3% ECS task definitions with
network_mode host/bridge/awsvpc/none/missing/templated, and decoys):

- **floor default / tuned**: median in-process time to compose the text with
  ruamel.yaml's libyaml-backed parser; *default* is
  `YAML(typ="safe", pure=False).compose_all`, *tuned* is the C parser with a
  resolver that tags every node as a string and the garbage collector disabled
  during the compose.  This is what one full re-parse costs at least.
- **analyze()**: median in-process time of `ecs_netmode_lsp.analysis.analyze`
  (the core: compose, walk, judge), garbage collector on as in the server.
- **open**: the real server (`python -m ecs_netmode_lsp`) over stdio, client
  without pull diagnostics: time from sending `didOpen` to reading the first
  `publishDiagnostics` (median of several opens, after a warm-up document).
- **edit**: a one-character incremental `didChange` (insert or delete an `x` in
  the `name:` of the task nearest the middle of the file), then waiting for the
  `publishDiagnostics` whose `version` is the edit's; median and nearest-rank
  p95 over 30 edits (12 at 50k lines).  **structural edit**: inserting or
  removing a whole task line there.
- **ratios** are our latency divided by the floor of the same text.
- **peak RSS**: the server process's VmHWM after the scenario.
- **variants**: *multi* has a `---` document per play, *single* one document
  holding every play, *no-scope* has decoys but no in-scope task.
"""


def page(results: Results) -> str:
    """The whole docs/benchmark.md page."""
    command = "python tests/bench/bench_server.py" + (
        " --quick" if results.quick else ""
    )
    return (
        INTRO.replace("{command}", command)
        + "\n"
        + markdown(results)
        + "\n![latency against file size, log-log](benchmark.png)\n"
    )
