"""Command line: serve LSP (the default) or check files."""

from __future__ import annotations

import argparse
import logging
import os
import sys
from typing import NoReturn

from ecs_netmode_lsp import __version__

log = logging.getLogger(__name__)


def main(argv: list[str] | None = None) -> int:
    """Run the command line and return the exit status."""
    args = sys.argv[1:] if argv is None else argv
    if args[:1] == ["check"]:
        from ecs_netmode_lsp.check import main as check_main

        return check_main(args[1:])
    return serve(args)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="ecs-netmode-lsp",
        description=(
            "Language server that flags Ansible ECS task definitions whose "
            "network_mode is not awsvpc. Serves LSP over stdio by default; "
            "run 'ecs-netmode-lsp check PATH...' to check files from a shell or CI."
        ),
    )
    parser.add_argument("--version", action="version", version=__version__)
    transport = parser.add_mutually_exclusive_group()
    transport.add_argument(
        "--stdio", action="store_true", help="serve over stdin/stdout (default)"
    )
    transport.add_argument(
        "--tcp", metavar="HOST:PORT", help="serve over TCP instead of stdio"
    )
    parser.add_argument(
        "-v",
        "--verbose",
        action="count",
        default=0,
        help="log more (-v info, -vv debug); logs go to stderr",
    )
    parser.add_argument("--log-file", metavar="FILE", help="append logs to FILE")
    return parser


def serve(argv: list[str]) -> NoReturn:
    """Run the language server until the client leaves, then end the process."""
    parser = _parser()
    options = parser.parse_args(argv)
    address = _address(parser, options.tcp) if options.tcp else None
    setup_logging(options.verbose, options.log_file)

    from ecs_netmode_lsp.server import SERVER

    # Analysis runs on worker threads; hand the interpreter lock back to the
    # thread reading messages sooner than the 5 ms default, so a burst of
    # edits is read (and coalesced) while an analysis is still running.
    sys.setswitchinterval(0.001)

    log.info("ecs-netmode-lsp %s starting", __version__)
    if address is None:
        SERVER.start_io()
    else:
        SERVER.start_tcp(*address)
    # LSP: exit status 0 only when the client asked for shutdown first.
    status = 0 if SERVER.shutdown_requested else 1
    # A normal interpreter exit would wait for an analysis still running on a
    # worker thread (seconds on a big document); nothing is left to save, and
    # every message was flushed as it was written.
    logging.shutdown()
    os._exit(status)


def _address(parser: argparse.ArgumentParser, value: str) -> tuple[str, int]:
    host, _, port = value.rpartition(":")
    if not host or not port.isdigit():
        parser.error(f"--tcp expects HOST:PORT, not {value!r}")
    return host, int(port)


def setup_logging(verbosity: int, log_file: str | None) -> None:
    """Send logs to stderr or a file; stdout carries the protocol."""
    level = (logging.WARNING, logging.INFO, logging.DEBUG)[min(verbosity, 2)]
    handler: logging.Handler = (
        logging.FileHandler(log_file, encoding="utf-8")
        if log_file
        else logging.StreamHandler(sys.stderr)
    )
    handler.setFormatter(
        logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s")
    )
    root = logging.getLogger()
    root.addHandler(handler)
    root.setLevel(level)
    if level > logging.DEBUG:
        # pygls logs every message at INFO; keep that for -vv.
        logging.getLogger("pygls").setLevel(max(level, logging.WARNING))
