"""A minimal LSP client over stdio for the benchmark.

It speaks JSON-RPC with ``Content-Length`` framing (the length counts bytes of
the UTF-8 body), answers the server's requests with ``null``, and timestamps
every ``textDocument/publishDiagnostics`` the moment it is read, so latencies
include the server's serialisation and the pipe but not a client library's
model conversion.  Every wait is bounded.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

PUBLISH = "textDocument/publishDiagnostics"
STREAM_LIMIT = 64 * 1024 * 1024

CAPABILITIES: dict[str, Any] = {
    # Like VS Code, minus pull diagnostics: the server must push, with versions.
    "general": {"positionEncodings": ["utf-16"]},
    "textDocument": {
        "synchronization": {"dynamicRegistration": False, "didSave": True},
        "publishDiagnostics": {
            "versionSupport": True,
            "relatedInformation": True,
            "codeDescriptionSupport": True,
            "dataSupport": True,
        },
        "codeAction": {
            "codeActionLiteralSupport": {
                "codeActionKind": {"valueSet": ["quickfix", "source.fixAll"]}
            },
            "isPreferredSupport": True,
        },
    },
    "workspace": {"workspaceEdit": {"documentChanges": True}},
}


class LspError(RuntimeError):
    """The server failed, answered with an error, or was too slow."""


@dataclass(frozen=True)
class Publish:
    """One publishDiagnostics notification as received."""

    at: float
    """``time.perf_counter()`` when the message was read."""

    uri: str
    version: int | None
    count: int


class LspClient:
    """A language client driving one server process."""

    def __init__(self, process: asyncio.subprocess.Process, log: TextIO) -> None:
        self.process = process
        self.log = log
        self.publishes: list[Publish] = []
        self._ids = 0
        self._waiting: dict[int, asyncio.Future[Any]] = {}
        self._changed = asyncio.Condition()
        self._reader = asyncio.ensure_future(self._read_loop())

    @classmethod
    async def start(cls, command: list[str], log_path: Path) -> LspClient:
        """Start the server and return a client connected to its stdio."""
        log = log_path.open("w", encoding="utf-8")
        process = await asyncio.create_subprocess_exec(
            *command,
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            stderr=log,
            limit=STREAM_LIMIT,
        )
        return cls(process, log)

    @property
    def pid(self) -> int:
        """The server's process id."""
        return self.process.pid

    async def initialize(self, timeout: float = 30.0) -> Any:
        """Run the initialize handshake with push-only diagnostics."""
        params = {
            "processId": None,
            "rootUri": None,
            "capabilities": CAPABILITIES,
            "clientInfo": {"name": "ecs-netmode-bench", "version": "1"},
        }
        result = await self.request("initialize", params, timeout)
        await self.notify("initialized", {})
        return result

    async def close(self, timeout: float = 10.0) -> None:
        """Shut the server down politely, then by force; always reap it."""
        try:
            if self.process.returncode is None:
                await self.request("shutdown", None, timeout)
                await self.notify("exit", None)
                await asyncio.wait_for(self.process.wait(), timeout)
        except (LspError, OSError, asyncio.TimeoutError):
            pass
        finally:
            if self.process.returncode is None:
                self.process.kill()
                with contextlib.suppress(asyncio.TimeoutError):
                    await asyncio.wait_for(self.process.wait(), timeout)
            self._reader.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._reader
            self.log.close()

    async def notify(self, method: str, params: Any, drain: bool = True) -> None:
        """Send a notification."""
        await self._send({"jsonrpc": "2.0", "method": method, "params": params}, drain)

    async def request(self, method: str, params: Any, timeout: float) -> Any:
        """Send a request and return its result."""
        self._ids += 1
        ident = self._ids
        future: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
        self._waiting[ident] = future
        message = {"jsonrpc": "2.0", "id": ident, "method": method, "params": params}
        await self._send(message, drain=True)
        try:
            return await asyncio.wait_for(future, timeout)
        except asyncio.TimeoutError as error:
            raise LspError(f"{method} got no answer in {timeout} s") from error
        finally:
            self._waiting.pop(ident, None)

    async def drain(self) -> None:
        """Flush what was written without draining."""
        assert self.process.stdin is not None
        await self.process.stdin.drain()

    async def wait_publish(
        self, uri: str, version: int | None, timeout: float, after: int = 0
    ) -> Publish:
        """Wait for a publish of ``uri`` at ``version``, past index ``after``."""

        def found() -> Publish | None:
            for publish in self.publishes[after:]:
                if publish.uri == uri and publish.version == version:
                    return publish
            return None

        async with self._changed:
            try:
                await asyncio.wait_for(
                    self._changed.wait_for(lambda: found() is not None), timeout
                )
            except asyncio.TimeoutError as error:
                raise LspError(
                    f"no diagnostics for {uri} v{version} in {timeout} s"
                ) from error
        result = found()
        assert result is not None
        return result

    async def _send(self, message: dict[str, Any], drain: bool) -> None:
        if self.process.returncode is not None:
            raise LspError(f"the server exited with {self.process.returncode}")
        body = json.dumps(message, ensure_ascii=False).encode("utf-8")
        assert self.process.stdin is not None
        self.process.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        if drain:
            await self.process.stdin.drain()

    async def _read_loop(self) -> None:
        assert self.process.stdout is not None
        stdout = self.process.stdout
        try:
            while True:
                message = await _read_message(stdout)
                if message is None:
                    break
                await self._dispatch(message, time.perf_counter())
        finally:
            for future in self._waiting.values():
                if not future.done():
                    future.set_exception(LspError("the server closed its output"))

    async def _dispatch(self, message: dict[str, Any], at: float) -> None:
        method = message.get("method")
        if "id" in message and method is not None:
            # A request from the server (configuration, progress...): say null.
            reply = {"jsonrpc": "2.0", "id": message["id"], "result": None}
            await self._send(reply, drain=True)
        elif "id" in message:
            self._answer(message)
        elif method == PUBLISH:
            params = message["params"]
            publish = Publish(
                at, params["uri"], params.get("version"), len(params["diagnostics"])
            )
            async with self._changed:
                self.publishes.append(publish)
                self._changed.notify_all()

    def _answer(self, message: dict[str, Any]) -> None:
        future = self._waiting.get(message["id"])
        if future is None or future.done():
            return
        if "error" in message:
            future.set_exception(LspError(f"error answer: {message['error']}"))
        else:
            future.set_result(message.get("result"))


async def _read_message(stream: asyncio.StreamReader) -> dict[str, Any] | None:
    """Read one framed message, or None at the end of the stream."""
    try:
        header = await stream.readuntil(b"\r\n\r\n")
    except asyncio.IncompleteReadError:
        return None
    length = None
    for line in header.decode("ascii").split("\r\n"):
        name, _, value = line.partition(":")
        if name.strip().lower() == "content-length":
            length = int(value.strip())
    if length is None:
        raise LspError(f"a message without Content-Length: {header!r}")
    body = await stream.readexactly(length)
    message: dict[str, Any] = json.loads(body.decode("utf-8"))
    return message


def peak_rss_mb(pid: int) -> tuple[float, float]:
    """Return (VmHWM, VmRSS) of a process in MiB, from /proc."""
    values = {"VmHWM": 0.0, "VmRSS": 0.0}
    status = Path(f"/proc/{pid}/status").read_text(encoding="ascii")
    for line in status.splitlines():
        name, _, rest = line.partition(":")
        if name in values:
            values[name] = int(rest.split()[0]) / 1024
    return values["VmHWM"], values["VmRSS"]
