"""The progress bar: only on a terminal, only for long runs, erased at the end."""

from __future__ import annotations

import io

from ecs_netmode_lsp.check_run import PROGRESS_FROM, Progress


class Terminal(io.StringIO):
    """A text stream that says it is a terminal."""

    def isatty(self) -> bool:
        return True


class Clock:
    """A clock that moves a second on every reading."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        self.now += 1.0
        return self.now


def test_no_bar_off_a_terminal_or_for_short_runs() -> None:
    assert Progress.for_run(1000, io.StringIO()) is None
    assert Progress.for_run(PROGRESS_FROM - 1, Terminal()) is None
    assert Progress.for_run(PROGRESS_FROM, Terminal()) is not None


def test_bar_counts_files_and_is_erased() -> None:
    screen = Terminal()
    progress = Progress(4, screen, Clock())

    for _ in range(4):
        progress.advance()
    progress.close()

    drawn = screen.getvalue()
    assert "\r[" + "#" * 15 + "-" * 15 + "] 2/4 files" in drawn
    assert "] 4/4 files" in drawn
    assert drawn.endswith("\r\x1b[K")


def test_bar_is_not_redrawn_more_than_ten_times_a_second() -> None:
    screen = Terminal()
    progress = Progress(100, screen, lambda: 5.0)

    for _ in range(100):
        progress.advance()

    assert screen.getvalue().count("\r[") == 2  # the first and the last
