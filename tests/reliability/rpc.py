"""A raw JSON-RPC client for the server process, for hostile tests.

The client libraries validate what they send and parse what they receive; these
tests need to send what no library would (malformed params, lone surrogates,
unknown methods) and to see the process itself (its pid, memory, exit code).
So this client frames bytes itself and keeps every message it receives.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lsprotocol.converters import get_converter
from pytest_lsp import client_capabilities

Message = dict[str, Any]
SERVER_COMMAND = (sys.executable, "-m", "ecs_netmode_lsp")
TIMEOUT = 30.0
"""Seconds any single exchange may take on a noisy 2-core CI machine."""

_LINE_BREAK = re.compile(r"\r\n|\r|\n")


@dataclass(frozen=True)
class Profile:
    """The capabilities one real editor sends at initialize."""

    name: str
    capabilities: Message
    pulls: bool


def profile(name: str, client: str) -> Profile:
    """Build the profile of ``client`` as pytest-lsp records it."""
    capabilities = get_converter().unstructure(client_capabilities(client))
    pulls = "diagnostic" in capabilities.get("textDocument", {})
    return Profile(name, capabilities, pulls)


PROFILES = {
    # VS Code receives pushed diagnostics in UTF-16 columns.
    "vscode": profile("vscode", "visual-studio-code"),
    # Neovim 0.11 pulls diagnostics and negotiates UTF-8 columns.
    "neovim": profile("neovim", "neovim@v0.11.0"),
}


class ServerError(AssertionError):
    """The server did something a client cannot live with."""


@dataclass
class Server:
    """A running server process and everything it has said."""

    process: asyncio.subprocess.Process
    profile: Profile
    settings: Message | None = None
    encoding: str = "utf-16"
    pulls: bool = False
    """Diagnostics are pulled: the client can and the server offers it."""
    received: list[Message] = field(default_factory=list)
    _pending: dict[int, asyncio.Future[Message]] = field(default_factory=dict)
    _ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1))
    _reader: asyncio.Task[None] | None = None
    _arrived: asyncio.Event = field(default_factory=asyncio.Event)
    _versions: itertools.count[int] = field(default_factory=lambda: itertools.count(1))

    @classmethod
    async def start(cls, profile: Profile, settings: Message | None = None) -> Server:
        """Start a server process; call :meth:`initialize` next."""
        process = await asyncio.create_subprocess_exec(
            *SERVER_COMMAND,
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.DEVNULL,
            # Big documents arrive as one JSON body; the default 64 KiB buffer
            # limit only matters for readline, but keep it roomy anyway.
            limit=2**24,
        )
        server = cls(process, profile, settings)
        server._reader = asyncio.ensure_future(server._read())
        return server

    @property
    def pid(self) -> int:
        """The server's process id."""
        return self.process.pid

    # Sending ---------------------------------------------------------------

    def send_bytes(self, body: bytes) -> None:
        """Send one framed message whose body is exactly ``body``."""
        assert self.process.stdin is not None
        header = f"Content-Length: {len(body)}\r\n\r\n".encode("ascii")
        self.process.stdin.write(header + body)

    def send(self, message: Message) -> None:
        """Send a message; ``ensure_ascii`` turns lone surrogates into escapes."""
        self.send_bytes(json.dumps(message, ensure_ascii=True).encode("ascii"))

    def notify(self, method: str, params: Any) -> None:
        """Send a notification."""
        self.send({"jsonrpc": "2.0", "method": method, "params": params})

    async def request(
        self, method: str, params: Any, timeout: float = TIMEOUT
    ) -> Message:
        """Send a request and return the whole response (result or error)."""
        number = next(self._ids)
        message: Message = {"jsonrpc": "2.0", "id": number, "method": method}
        if params is not None:
            message["params"] = params
        return await self.request_raw(message, timeout)

    async def request_raw(self, message: Message, timeout: float = TIMEOUT) -> Message:
        """Send a request built by the caller and wait for its response."""
        body = json.dumps(message, ensure_ascii=True).encode("ascii")
        return await self.request_bytes(message["id"], body, timeout, message["method"])

    async def request_bytes(
        self, msg_id: int | str, body: bytes, timeout: float = TIMEOUT, what: str = ""
    ) -> Message:
        """Send a request whose body is exactly ``body`` and wait for its answer."""
        future: asyncio.Future[Message] = asyncio.get_running_loop().create_future()
        if self._reader is not None and self._reader.done():
            raise ServerError("the server closed its output")
        self._pending[msg_id] = future
        self.send_bytes(body)
        try:
            async with asyncio.timeout(timeout):
                return await asyncio.shield(future)
        except TimeoutError:
            raise ServerError(f"no answer to {what or msg_id} in {timeout}s") from None
        finally:
            self._pending.pop(msg_id, None)

    async def result(self, method: str, params: Any, timeout: float = TIMEOUT) -> Any:
        """Send a request and return its result, failing on an error response."""
        response = await self.request(method, params, timeout)
        if "error" in response:
            raise ServerError(f"{method} failed: {response['error']}") from None
        return response.get("result")

    # Receiving -------------------------------------------------------------

    async def _read(self) -> None:
        stdout = self.process.stdout
        assert stdout is not None
        with contextlib.suppress(asyncio.IncompleteReadError, ConnectionError):
            while True:
                length = await _read_header(stdout)
                if length is None:
                    break
                body = await stdout.readexactly(length)
                self._dispatch(json.loads(body.decode("utf-8")))
        # The server is gone: nobody will answer the requests still waiting.
        for future in self._pending.values():
            if not future.done():
                future.set_exception(ServerError("the server closed its output"))
        self._arrived.set()

    def _dispatch(self, message: Message) -> None:
        self.received.append(message)
        if "method" in message and "id" in message:
            self._answer(message)
        elif isinstance(message.get("id"), (int, str)):
            # Answers to our own (hostile) requests may echo odd ids; only
            # ours are waited for.
            future = self._pending.get(message["id"])
            if future is not None and not future.done():
                future.set_result(message)
        self._arrived.set()

    def _answer(self, request: Message) -> None:
        # Answer the server's own requests as an editor would.
        result: Any = None
        if request["method"] == "workspace/configuration":
            items = request.get("params", {}).get("items", [])
            result = [self.settings for _ in items]
        self.send({"jsonrpc": "2.0", "id": request["id"], "result": result})

    async def wait_for(
        self, predicate: Callable[[], bool], timeout: float = TIMEOUT, what: str = ""
    ) -> None:
        """Wait until ``predicate`` holds, re-checking whenever a message arrives."""
        try:
            async with asyncio.timeout(timeout):
                while not predicate():
                    gone = self._reader is not None and self._reader.done()
                    if gone or self.process.returncode is not None:
                        raise ServerError(
                            f"server exited while waiting for {what}"
                        ) from None
                    self._arrived.clear()
                    await self._arrived.wait()
        except TimeoutError:
            raise ServerError(
                f"timed out after {timeout}s waiting for {what}"
            ) from None

    def notifications(self, method: str) -> list[Message]:
        """Every notification of ``method`` received so far, oldest first."""
        return [m for m in self.received if m.get("method") == method and "id" not in m]

    def publishes(self, uri: str) -> list[Message]:
        """Every publishDiagnostics params for ``uri``, oldest first."""
        return [
            m["params"]
            for m in self.notifications("textDocument/publishDiagnostics")
            if m["params"]["uri"] == uri
        ]

    # Lifecycle ---------------------------------------------------------------

    async def initialize(
        self, options: Message | None = None, process_id: int | None = None
    ) -> Message:
        """Run the initialize handshake and remember the negotiated encoding."""
        params = {
            "processId": process_id,
            "rootUri": None,
            "capabilities": self.profile.capabilities,
            "initializationOptions": options,
        }
        result = await self.result("initialize", params)
        self.encoding = result["capabilities"].get("positionEncoding", "utf-16")
        offered = "diagnosticProvider" in result["capabilities"]
        self.pulls = self.profile.pulls and offered
        self.notify("initialized", {})
        return dict(result)

    async def shutdown(self) -> None:
        """Ask the server to shut down and exit, then wait for it."""
        await self.result("shutdown", None)
        self.notify("exit", None)
        await self.wait_exit()

    async def wait_exit(self, timeout: float = TIMEOUT) -> int:
        """Wait for the process to end and return its exit code."""
        try:
            async with asyncio.timeout(timeout):
                return await self.process.wait()
        except TimeoutError:
            raise ServerError(f"server still running after {timeout}s") from None

    async def kill(self) -> None:
        """End the process if it still runs and reap it."""
        if self.process.returncode is None:
            with contextlib.suppress(ProcessLookupError):
                self.process.kill()
            await self.process.wait()
        if self._reader is not None:
            self._reader.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._reader

    def memory_kib(self) -> dict[str, int]:
        """Return the process's VmRSS and VmHWM (peak RSS) in KiB."""
        status = Path(f"/proc/{self.pid}/status").read_text()
        found = re.findall(r"^(VmRSS|VmHWM):\s+(\d+) kB", status, re.MULTILINE)
        return {name: int(value) for name, value in found}

    # Documents -------------------------------------------------------------

    def open(self, uri: str, text: str, version: int = 1) -> None:
        """Send didOpen."""
        item = {"uri": uri, "languageId": "yaml", "version": version, "text": text}
        self.notify("textDocument/didOpen", {"textDocument": item})

    def change(self, uri: str, version: int, changes: list[Message]) -> None:
        """Send didChange with the given content changes."""
        identifier = {"uri": uri, "version": version}
        params = {"textDocument": identifier, "contentChanges": changes}
        self.notify("textDocument/didChange", params)

    def close(self, uri: str) -> None:
        """Send didClose."""
        self.notify("textDocument/didClose", {"textDocument": {"uri": uri}})

    async def diagnostics(
        self, uri: str, version: int, timeout: float = TIMEOUT
    ) -> list[Message]:
        """Return the diagnostics of ``uri`` at ``version``, pulled or pushed."""
        if self.pulls:
            params = {"textDocument": {"uri": uri}}
            report = await self.result("textDocument/diagnostic", params, timeout)
            return list(report["items"])

        def published() -> bool:
            return any(p.get("version") == version for p in self.publishes(uri))

        await self.wait_for(published, timeout, f"diagnostics of {uri} v{version}")
        last = [p for p in self.publishes(uri) if p.get("version") == version][-1]
        return list(last["diagnostics"])


async def _read_header(stream: asyncio.StreamReader) -> int | None:
    length = None
    while True:
        line = await stream.readline()
        if not line:
            return None
        if line in (b"\r\n", b"\n"):
            break
        name, _, value = line.decode("ascii").partition(":")
        if name.strip().lower() == "content-length":
            length = int(value.strip())
    if length is None:
        raise ServerError("a message without Content-Length")
    return length


def units(text: str, encoding: str) -> int:
    """Length of ``text`` in ``encoding``'s units (lone surrogates as 3 bytes)."""
    if encoding == "utf-8":
        return len(text.encode("utf-8", "surrogatepass"))
    if encoding == "utf-16":
        return len(text.encode("utf-16-le", "surrogatepass")) // 2
    return len(text)


def lsp_lines(text: str) -> list[str]:
    """The text's lines as LSP counts them (CR, LF and CRLF only)."""
    return _LINE_BREAK.split(text)


def _prefix(content: str, character: int, encoding: str) -> str:
    """Return the start of ``content`` that is ``character`` units long.

    Fails when the units end inside a character or past the line.
    """
    if encoding == "utf-32":
        assert character <= len(content), "past the line end"
        return content[:character]
    codec, width = ("utf-8", 1) if encoding == "utf-8" else ("utf-16-le", 2)
    encoded = content.encode(codec, "surrogatepass")
    assert character * width <= len(encoded), "past the line end"
    try:
        prefix = encoded[: character * width].decode(codec, "surrogatepass")
    except UnicodeDecodeError as error:
        raise AssertionError(f"{character} splits a character") from error
    # A UTF-16 prefix that splits a pair decodes to a lone surrogate instead.
    assert content.startswith(prefix), f"{character} splits a surrogate pair"
    return prefix


def check_position(lines: list[str], position: Message, encoding: str) -> None:
    """Assert that a position is inside the text and on a character boundary."""
    line, character = position["line"], position["character"]
    assert 0 <= line < len(lines), f"line {line} outside {len(lines)} lines"
    assert character >= 0
    _prefix(lines[line], character, encoding)


def check_ranges(text: str, diagnostics: list[Message], encoding: str) -> None:
    """Assert that every diagnostic's range lies inside ``text``, start <= end."""
    lines = lsp_lines(text)
    for diagnostic in diagnostics:
        start, end = diagnostic["range"]["start"], diagnostic["range"]["end"]
        check_position(lines, start, encoding)
        check_position(lines, end, encoding)
        assert (start["line"], start["character"]) <= (end["line"], end["character"])


def offset_of(text: str, position: Message, encoding: str) -> int:
    """Convert an LSP position to a code point offset (independently of the server)."""
    return _Offsets(text, encoding).of(position)


class _Offsets:
    """Converts positions in one text, scanning its lines once."""

    def __init__(self, text: str, encoding: str) -> None:
        self.starts = [0, *(match.end() for match in _LINE_BREAK.finditer(text))]
        self.lines = lsp_lines(text)
        self.encoding = encoding

    def of(self, position: Message) -> int:
        line, character = position["line"], position["character"]
        assert 0 <= line < len(self.starts), f"line {line} outside the text"
        prefix = _prefix(self.lines[line], character, self.encoding)
        return self.starts[line] + len(prefix)


def apply_workspace_edit(text: str, uri: str, edit: Message, encoding: str) -> str:
    """Apply a workspace edit for ``uri`` to ``text`` as an editor would."""
    edits: list[Message] = []
    for change in edit.get("documentChanges") or []:
        assert change["textDocument"]["uri"] == uri
        edits.extend(change["edits"])
    edits.extend((edit.get("changes") or {}).get(uri, []))
    offsets = _Offsets(text, encoding)
    spans = [
        (
            offsets.of(e["range"]["start"]),
            offsets.of(e["range"]["end"]),
            e["newText"],
        )
        for e in edits
    ]
    for start, end, new_text in sorted(spans, reverse=True):
        text = text[:start] + new_text + text[end:]
    return text
