"""The language server: LSP glue around the analysis.

Documents are analysed off the event loop, one analysis at a time per document.
Edits that arrive while an analysis runs are coalesced: when it finishes, the
newest text is analysed once, and only a result for the text the editor has
now is ever published or returned.  When edits outpace analysis (a paste, a
macro, many cursors), the next analysis waits for a short quiet moment; a lone
change is analysed at once.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import logging
import os
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, BinaryIO, cast

from lsprotocol import types
from pygls.exceptions import (
    JsonRpcInternalError,
    JsonRpcInvalidParams,
    JsonRpcInvalidRequest,
    JsonRpcMethodNotFound,
    JsonRpcParseError,
    JsonRpcServerNotInitialized,
)
from pygls.lsp.server import LanguageServer
from pygls.protocol import JsonRPCNotification, LanguageServerProtocol, lsp_method

from ecs_netmode_lsp import __version__, assist, convert, fixes, settings
from ecs_netmode_lsp.analysis import Analysis, Finding, Options, fix_all, shorten
from ecs_netmode_lsp.convert import Json
from ecs_netmode_lsp.framing import FramedInput
from ecs_netmode_lsp.incremental import DocumentAnalysis, analyze_document
from ecs_netmode_lsp.rule import (
    FIX_TITLE,
    MAX_SHOWN,
    PARSE_ERROR_CODE,
    SOURCE,
    TOO_LARGE_CODE,
    TOO_MANY_CODE,
)
from ecs_netmode_lsp.settings import Settings
from ecs_netmode_lsp.source import Edit, Source, Span
from ecs_netmode_lsp.text import Encoding, LineIndex, Position, TextDocument
from ecs_netmode_lsp.yamlsource import ParseProblem

log = logging.getLogger(__name__)

DROPPED = "$/ecsNetmode/droppedMessage"
"""Stands in for a notification whose params could not be read."""
FIX_ALL = "source.fixAll"
FIX_ALL_OURS = f"{FIX_ALL}.{SOURCE}"
PULL_OPTIONS = types.DiagnosticOptions(
    identifier=SOURCE, inter_file_dependencies=False, workspace_diagnostics=False
)
QUIET = 0.02
"""Seconds without a change that end a burst of edits."""
ENCODINGS: dict[str, Encoding] = {
    "utf-8": "utf-8",
    "utf-16": "utf-16",
    "utf-32": "utf-32",
}


@dataclass(frozen=True)
class Result:
    """The analysis of one exact text of a document."""

    version: int | None
    text: str
    settings: Settings
    """The settings the analysis was made with."""

    analysis: Analysis
    too_large: bool = False
    document: DocumentAnalysis | None = None
    """What the next analysis of this document can build on."""

    skipped: bool = False
    """The analysis was called off before it began: this result says nothing."""

    def is_for(self, text: str, settings: Settings) -> bool:
        """Tell whether this is the analysis of ``text`` under ``settings``."""
        return not self.skipped and self.text is text and self.settings == settings


@dataclass(frozen=True)
class _Pending:
    """An analysis handed to the workers, and how to call it off."""

    text: str
    settings: Settings
    future: asyncio.Future[Result]
    called_off: threading.Event

    def is_for(self, text: str, settings: Settings) -> bool:
        """Tell whether this is the analysis of ``text`` under ``settings``."""
        return self.text is text and self.settings == settings


class _Protocol(LanguageServerProtocol):
    """pygls's protocol, with text synchronisation left to the server.

    pygls splits lines with ``str.splitlines``, which also breaks at U+2028,
    U+0085 and form feeds; LSP breaks only at CR, LF and CRLF, so its copy of a
    document would drift from the editor's.  The server keeps its own copies.
    """

    _initialize_seen = False
    """Set once the client has sent ``initialize``."""

    @lsp_method(types.TEXT_DOCUMENT_DID_OPEN)
    def lsp_text_document__did_open(self, params: Any) -> Iterator[Any]:
        yield from self._forward(types.TEXT_DOCUMENT_DID_OPEN, params)

    @lsp_method(types.TEXT_DOCUMENT_DID_CHANGE)
    def lsp_text_document__did_change(self, params: Any) -> Iterator[Any]:
        yield from self._forward(types.TEXT_DOCUMENT_DID_CHANGE, params)

    @lsp_method(types.TEXT_DOCUMENT_DID_CLOSE)
    def lsp_text_document__did_close(self, params: Any) -> Iterator[Any]:
        yield from self._forward(types.TEXT_DOCUMENT_DID_CLOSE, params)

    def _forward(self, method: str, params: Any) -> Iterator[Any]:
        handler = self.fm.features.get(method)
        if handler is not None:
            yield handler, (params,), None

    def structure_message(self, data: dict[str, Any]) -> Any:
        """Answer a request whose params do not fit its method with an error.

        pygls raises from inside JSON decoding, where the request's id is lost
        and no response would ever be sent; the client would wait forever.
        """
        if "method" in data and "params" not in data:
            # JSON-RPC lets a message omit params; pygls's generic message
            # types (for methods it does not know) insist on the field.
            data = {**data, "params": None}
        try:
            return super().structure_message(data)
        except (JsonRpcInvalidParams, JsonRpcInternalError) as error:
            if "id" in data and "method" in data:
                self._send_response(data["id"], error=error.to_response_error())
            elif data.get("method") == types.TEXT_DOCUMENT_DID_CHANGE:
                self._lost_change(data.get("params"))
            # A notification with bad params is dropped, as JSON-RPC allows.
            return JsonRPCNotification(method=DROPPED, jsonrpc="2.0", params=None)

    def _lost_change(self, params: object) -> None:
        """Stop analysing a document whose change could not be read.

        The server's copy of its text no longer matches the editor's, and
        findings on it would sit at wrong places; reopening the file sends
        the whole text again.
        """
        document = params.get("textDocument") if isinstance(params, dict) else None
        uri = document.get("uri") if isinstance(document, dict) else None
        server = cast(EcsNetmodeServer, self._server)
        if not isinstance(uri, str) or uri not in server.documents:
            return
        server.forget(uri)
        server.notify_once(
            f"ecs-netmode-lsp could not read a change to {uri} and stopped "
            "checking it; close and reopen the file to check it again."
        )

    def handle_message(self, message: Any) -> None:
        """Refuse what LSP does not allow before initialize and after shutdown.

        A request before ``initialize`` gets ServerNotInitialized and a
        notification then is dropped; a request after shutdown gets
        InvalidRequest.  pygls would run the first and drop the last silently,
        which leaves the client waiting.
        """
        if isinstance(message, list):
            # JSON-RPC batches are not part of LSP: one error answers the array.
            _answer_without_id(
                self, JsonRpcInvalidRequest("batched messages are not supported")
            )
            return
        method = getattr(message, "method", None)
        msg_id = getattr(message, "id", None)
        if method == types.INITIALIZE:
            self._initialize_seen = True
        elif not self._initialize_seen and method not in (None, types.EXIT):
            self._refuse_uninitialized(method, msg_id)
            return
        if self._shutdown and method not in (None, types.EXIT) and msg_id is not None:
            error = JsonRpcInvalidRequest(f"the server is shut down: {method} refused")
            self._send_response(msg_id, error=error.to_response_error())
            return
        super().handle_message(message)

    def _refuse_uninitialized(self, method: str, msg_id: Any) -> None:
        if msg_id is None:
            log.warning("%s before initialize: dropped", method)
            return
        error = JsonRpcServerNotInitialized(f"{method} sent before initialize")
        self._send_response(msg_id, error=error.to_response_error())


def _answer_without_id(
    protocol: LanguageServerProtocol, error: JsonRpcInvalidRequest | JsonRpcParseError
) -> None:
    """Answer a message whose id is unknown, with a null id as JSON-RPC says."""
    response = {
        "jsonrpc": "2.0",
        "id": None,
        "error": {"code": error.CODE, "message": str(error)},
    }
    protocol._send_data(response)


class EcsNetmodeServer(LanguageServer):
    """The ecs-netmode-lsp language server."""

    def __init__(self) -> None:
        super().__init__(
            "ecs-netmode-lsp",
            __version__,
            protocol_cls=_Protocol,
            text_document_sync_kind=types.TextDocumentSyncKind.Incremental,
        )
        self.settings = Settings()
        self._startup = Settings()
        self._reported: set[str] = set()
        self.documents: dict[str, TextDocument] = {}
        self.results: dict[str, Result] = {}
        self._pending: dict[str, _Pending] = {}
        self._bases: dict[str, Result] = {}
        self._changes: dict[str, float] = {}
        self._bursting: set[str] = set()
        self._pushes: dict[str, asyncio.Task[None]] = {}
        self._converted: dict[str, tuple[Result, list[Json], str]] = {}
        # Pull result ids never repeat: an id built from id(result) comes back
        # when a freed result's memory is reused, and the client would keep
        # diagnostics of the old settings as "unchanged".
        self._report_ids = itertools.count(1)
        self._executor = ThreadPoolExecutor(2, thread_name_prefix="analysis")
        self._notified = False
        self.shutdown_requested = False

    def start_io(
        self, stdin: BinaryIO | None = None, stdout: BinaryIO | None = None
    ) -> None:
        """Serve over stdio, reading frames that recover from a bad header."""
        framed = FramedInput(stdin or sys.stdin.buffer)
        super().start_io(cast(BinaryIO, framed), stdout)

    @property
    def encoding(self) -> Encoding:
        """The position encoding negotiated with the client."""
        return ENCODINGS.get(str(self.workspace.position_encoding), "utf-16")

    @property
    def pulls(self) -> bool:
        """Tell whether the client pulls diagnostics instead of receiving them.

        Pulling needs the client to re-pull when the server asks (after a
        settings change) and for documents it does not show; Neovim 0.11 pulls
        without a refresh handler, so such clients get pushed diagnostics.
        """
        document = self.client_capabilities.text_document
        workspace = self.client_capabilities.workspace
        refresh = workspace.diagnostics if workspace is not None else None
        return (
            document is not None
            and document.diagnostic is not None
            and refresh is not None
            and bool(refresh.refresh_support)
        )

    def notify_once(self, message: str) -> None:
        """Show the user one error notice per session; log the rest."""
        log.error("%s", message)
        if self._notified:
            return
        self._notified = True
        self.window_show_message(
            types.ShowMessageParams(type=types.MessageType.Error, message=message)
        )

    def report_server_error(self, error: Exception, source: Any) -> None:
        """Log a handler's failure with its traceback; tell the user once.

        A request the server does not know, or a message that is not JSON, is
        the client's business: it gets its error answer and a log line, not a
        message box.
        """
        if isinstance(error, JsonRpcMethodNotFound):
            log.info("%s", error)
            return
        if isinstance(error, (json.JSONDecodeError, RecursionError)):
            # A body that is not JSON (or nests past what Python can read) is
            # the client's fault: JSON-RPC answers it with a parse error.
            log.warning("Message is not readable JSON: %s", error)
            _answer_without_id(
                self.protocol, JsonRpcParseError(f"the message is not JSON: {error}")
            )
            return
        log.error("Handler failed", exc_info=error)
        self.notify_once(f"ecs-netmode-lsp hit an internal error: {error}")

    def apply_settings(self, raw: object, startup: bool = False) -> None:
        """Take settings from the client, reporting bad values once each.

        Every answer is the client's whole section: a key it no longer holds
        falls back to the start-up settings, and a null answer keeps all.
        """
        base = self.settings if raw is None else self._startup
        parsed = settings.parse(raw, base)
        if startup:
            self._startup = parsed.settings
        for problem in parsed.problems:
            if problem not in self._reported:
                self.window_show_message(
                    types.ShowMessageParams(
                        type=types.MessageType.Warning, message=problem
                    )
                )
        # A bad value sent again (each settings change re-sends all) is not
        # news; once corrected and broken again, it is.
        if raw is not None:
            self._reported = set(parsed.problems)
        if parsed.settings != self.settings:
            self.settings = parsed.settings
            self.results.clear()
            self._converted.clear()
            self._bases.clear()
            log.info("Settings: %s", self.settings)

    async def result(self, uri: str) -> Result | None:
        """Return the analysis of the document's current text and settings."""
        while (document := self.documents.get(uri)) is not None:
            text, settings = document.text, self.settings
            cached = self.results.get(uri)
            if cached is not None and cached.is_for(text, settings):
                return cached

            pending = self._pending.get(uri)
            if pending is None or not pending.is_for(text, settings):
                if uri in self._bursting and self._busy(uri):
                    # Edits outpace analysis: wait for the burst to end.
                    await asyncio.sleep(QUIET)
                    continue
                if pending is not None:
                    # Nobody will use it; if it still waits for a worker, skip it.
                    pending.called_off.set()
                pending = self._start(document)
                self._pending[uri] = pending
            result = await asyncio.shield(pending.future)
            if self._pending.get(uri) is pending:
                del self._pending[uri]
            current = self.documents.get(uri)
            if current is not None and current.base is result.text:
                self._keep_base(uri, result)

            # Settings that changed meanwhile (enable, flagMissing) make the
            # result stale even for the same text.
            if current is not None and result.is_for(current.text, self.settings):
                self.results[uri] = result
                self._bursting.discard(uri)
                return result
            if current is not None and current.text is not text:
                self._bursting.add(uri)
        return None

    def _keep_base(self, uri: str, result: Result) -> None:
        """Keep the result the next analysis of the document can build on."""
        if not result.skipped:
            self._bases[uri] = result

    def changed(self, uri: str) -> None:
        """Note the time of a change, to tell when a burst of edits ends."""
        self._changes[uri] = time.monotonic()

    def _busy(self, uri: str) -> bool:
        return time.monotonic() - self._changes.get(uri, 0.0) < QUIET

    def _start(self, document: TextDocument) -> _Pending:
        base, head, tail = document.rebase()
        previous = self._bases.get(document.uri)
        reusable = previous is not None and previous.text is base
        job = _Job(
            document.version,
            document.text,
            self.settings,
            document.lines,
            previous.document if previous is not None and reusable else None,
            (head, tail),
            threading.Event(),
        )
        loop = asyncio.get_running_loop()
        future = loop.run_in_executor(self._executor, job.run)
        return _Pending(job.text, job.settings, future, job.called_off)

    def schedule(self, uri: str) -> None:
        """Make sure the document's current diagnostics will be published."""
        if self.pulls:
            return
        task = self._pushes.get(uri)
        if task is None or task.done():
            self._pushes[uri] = asyncio.ensure_future(self._push(uri))

    async def _push(self, uri: str) -> None:
        result = await self.result(uri)
        if result is None or uri not in self.documents:
            return
        self.publish(uri, result.version, self.diagnostics(uri, result))

    def publish(self, uri: str, version: int | None, diagnostics: list[Json]) -> None:
        """Send publishDiagnostics, already JSON, straight to the client.

        pygls would hand the dictionaries to cattrs once more on the way out.
        """
        params: Json = {"uri": uri, "diagnostics": diagnostics}
        if version is not None:
            params["version"] = version
        method = types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS
        self.protocol._send_data({"jsonrpc": "2.0", "method": method, "params": params})

    def forget(self, uri: str) -> None:
        """Drop a closed document and clear its diagnostics."""
        self.documents.pop(uri, None)
        self.results.pop(uri, None)
        self._bases.pop(uri, None)
        self._changes.pop(uri, None)
        self._bursting.discard(uri)
        pending = self._pending.pop(uri, None)
        if pending is not None:
            # Documents opened and closed in a row (a search across files)
            # would otherwise each keep a worker busy before anything current.
            pending.called_off.set()
        task = self._pushes.pop(uri, None)
        if task is not None:
            task.cancel()
        self._converted.pop(uri, None)
        if not self.pulls:
            self.publish(uri, None, [])

    def refresh_all(self) -> None:
        """Re-publish (or ask the client to re-pull) every open document."""
        if not self.pulls:
            for uri in list(self.documents):
                self.schedule(uri)
            return
        self.workspace_diagnostic_refresh(None)

    def diagnostics(self, uri: str, result: Result) -> list[Json]:
        """Return a result's diagnostics in the negotiated encoding, as JSON."""
        return self.report(uri, result)[0]

    def report(self, uri: str, result: Result) -> tuple[list[Json], str]:
        """Return a result's diagnostics as JSON and the pull result id they carry.

        They are converted once per result: a pull after a push costs nothing.
        Every conversion gets a new id, so a settings change is never "unchanged".
        """
        cached = self._converted.get(uri)
        if cached is not None and cached[0] is result:
            return cached[1], cached[2]
        lines = result.analysis.source.lines
        analysis = result.analysis
        if analysis.problem is not None:
            code = TOO_LARGE_CODE if result.too_large else PARSE_ERROR_CODE
            problem = analysis.problem
            converted = [convert.problem_json(lines, problem, self.encoding, code)]
        else:
            severity = self.settings.severity
            converted = [
                convert.diagnostic_json(lines, finding, self.encoding, severity)
                for finding in analysis.findings[:MAX_SHOWN]
            ]
            converted += self._more_notice(result)
        report_id = f"{result.version}:{next(self._report_ids)}"
        self._converted[uri] = (result, converted, report_id)
        return converted, report_id

    def _more_notice(self, result: Result) -> list[Json]:
        """Return a notice for the findings beyond ``MAX_SHOWN``, if there are any."""
        findings = result.analysis.findings
        if len(findings) <= MAX_SHOWN:
            return []
        message = (
            f"ecs-netmode-lsp shows the first {MAX_SHOWN:,} of {len(findings):,} "
            "findings in this file; run 'ecs-netmode-lsp check' on it to list them all."
        )
        problem = ParseProblem(findings[MAX_SHOWN].span.start, message)
        lines = result.analysis.source.lines
        return [convert.problem_json(lines, problem, self.encoding, TOO_MANY_CODE)]

    def span_of(self, result: Result, range_: types.Range) -> Span:
        """Convert a client range to a span of the result's text."""
        lines = result.analysis.source.lines
        start = lines.offset(_position(range_.start), self.encoding)
        end = lines.offset(_position(range_.end), self.encoding)
        return Span(min(start, end), max(start, end))

    def offset_of(self, result: Result, position: types.Position) -> int:
        """Convert a client position to an offset into the result's text."""
        lines = result.analysis.source.lines
        return lines.offset(_position(position), self.encoding)

    def workspace_edit(
        self, uri: str, result: Result, edits: Iterable[Edit]
    ) -> types.WorkspaceEdit:
        """Build a workspace edit, versioned when the client supports it."""
        lines = result.analysis.source.lines
        text_edits = [convert.to_text_edit(lines, e, self.encoding) for e in edits]
        workspace = self.client_capabilities.workspace
        edit_caps = workspace.workspace_edit if workspace else None
        if edit_caps is not None and edit_caps.document_changes:
            identifier = types.OptionalVersionedTextDocumentIdentifier(
                uri=uri, version=result.version
            )
            change = types.TextDocumentEdit(
                text_document=identifier,
                edits=cast(list[types.TextEdit | types.AnnotatedTextEdit], text_edits),
            )
            return types.WorkspaceEdit(document_changes=[change])
        return types.WorkspaceEdit(changes={uri: text_edits})


@dataclass(frozen=True)
class _Job:
    """One analysis, run on a worker thread."""

    version: int | None
    text: str
    settings: Settings
    lines: LineIndex
    previous: DocumentAnalysis | None
    unchanged: tuple[int, int]
    called_off: threading.Event

    def run(self) -> Result:
        if self.called_off.is_set():
            nothing = Analysis(source=Source(self.text))
            return Result(self.version, self.text, self.settings, nothing, skipped=True)
        if not self.settings.enable:
            analysis = Analysis(source=Source(self.text))
            return Result(self.version, self.text, self.settings, analysis)
        if len(self.text) > self.settings.max_document_size:
            analysis = self._too_large()
            return Result(self.version, self.text, self.settings, analysis, True)
        options = Options(flag_missing=self.settings.flag_missing)
        document = analyze_document(
            self.text, options, self.lines, self.previous, self.unchanged
        )
        return Result(
            self.version, self.text, self.settings, document.analysis, document=document
        )

    def _too_large(self) -> Analysis:
        message = (
            f"ecs-netmode-lsp skipped this document: {len(self.text):,} characters "
            f"is over the limit of {self.settings.max_document_size:,} "
            "(setting ecsNetmode.maxDocumentSize)."
        )
        return Analysis(problem=ParseProblem(0, message), source=Source(self.text))


def _position(position: types.Position) -> Position:
    return Position(position.line, position.character)


def watch_parent(pid: int, interval: float = 2.0) -> None:
    """Exit when the client process ``pid`` is gone (it cannot say so itself)."""

    def watch() -> None:
        while _alive(pid):
            time.sleep(interval)
        log.warning("Client process %d is gone; exiting", pid)
        # Worker threads may be busy on a large document: leave at once.
        os._exit(1)

    threading.Thread(target=watch, name="parent-watch", daemon=True).start()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


SERVER = EcsNetmodeServer()


@SERVER.feature(types.INITIALIZE)
def initialize(ls: EcsNetmodeServer, params: types.InitializeParams) -> None:
    """Read the settings given at start-up and watch the client's process."""
    ls.apply_settings(params.initialization_options, startup=True)
    if ls.pulls:
        # Offered only to clients that will pull: a client that is pushed to
        # and also pulls would show every diagnostic twice.
        ls.feature(types.TEXT_DOCUMENT_DIAGNOSTIC, PULL_OPTIONS)(pull_diagnostics)
    if params.process_id is not None:
        watch_parent(params.process_id)


@SERVER.feature(types.SHUTDOWN)
def shutdown(ls: EcsNetmodeServer, params: None) -> None:
    """Remember the orderly shutdown: the exit status depends on it."""
    ls.shutdown_requested = True


@SERVER.feature(types.INITIALIZED)
async def initialized(ls: EcsNetmodeServer, params: types.InitializedParams) -> None:
    """Fetch the workspace settings where the client serves them."""
    before = ls.settings
    await _pull_configuration(ls)
    if ls.settings != before:
        # Documents opened while the answer was on its way were analysed
        # with the start-up settings.
        ls.refresh_all()


@SERVER.feature(types.WORKSPACE_DID_CHANGE_CONFIGURATION)
async def did_change_configuration(
    ls: EcsNetmodeServer, params: types.DidChangeConfigurationParams
) -> None:
    """Re-read settings and re-check every open document."""
    if not await _pull_configuration(ls):
        ls.apply_settings(params.settings)
    ls.refresh_all()


async def _pull_configuration(ls: EcsNetmodeServer) -> bool:
    workspace = ls.client_capabilities.workspace
    if workspace is None or not workspace.configuration:
        return False
    item = types.ConfigurationItem(section=settings.SECTION)
    try:
        answer = await ls.workspace_configuration_async(
            types.ConfigurationParams(items=[item])
        )
    except Exception:
        log.warning("workspace/configuration failed", exc_info=True)
        return False
    ls.apply_settings(answer[0] if answer else None)
    return True


@SERVER.feature(types.TEXT_DOCUMENT_DID_OPEN)
def did_open(ls: EcsNetmodeServer, params: types.DidOpenTextDocumentParams) -> None:
    """Track and analyse a newly opened document."""
    item = params.text_document
    ls.documents[item.uri] = TextDocument(item.uri, item.text, item.version)
    ls.results.pop(item.uri, None)
    ls.schedule(item.uri)


@SERVER.feature(types.TEXT_DOCUMENT_DID_CHANGE)
def did_change(ls: EcsNetmodeServer, params: types.DidChangeTextDocumentParams) -> None:
    """Apply the editor's changes and re-analyse."""
    uri = params.text_document.uri
    document = ls.documents.get(uri)
    if document is None:
        log.warning("didChange for a document that is not open: %s", uri)
        return
    for change in params.content_changes:
        if isinstance(change, types.TextDocumentContentChangePartial):
            start, end = _position(change.range.start), _position(change.range.end)
            document.edit(start, end, change.text, ls.encoding)
        else:
            document.replace(change.text, document.version)
    document.version = params.text_document.version
    ls.changed(uri)
    ls.schedule(uri)


@SERVER.feature(types.TEXT_DOCUMENT_DID_SAVE)
def did_save(ls: EcsNetmodeServer, params: types.DidSaveTextDocumentParams) -> None:
    """Re-publish on save, replacing the text when the client sends it."""
    document = ls.documents.get(params.text_document.uri)
    text = params.text
    if document is not None and text is not None and text != document.text:
        document.replace(text, document.version)
    ls.schedule(params.text_document.uri)


@SERVER.feature(types.TEXT_DOCUMENT_DID_CLOSE)
def did_close(ls: EcsNetmodeServer, params: types.DidCloseTextDocumentParams) -> None:
    """Forget a closed document and clear its diagnostics."""
    ls.forget(params.text_document.uri)


async def pull_diagnostics(
    ls: EcsNetmodeServer, params: types.DocumentDiagnosticParams
) -> types.RelatedUnchangedDocumentDiagnosticReport | Json:
    """Answer a pull for one document's diagnostics (a full report as JSON)."""
    result = await ls.result(params.text_document.uri)
    if result is None:
        return {"kind": "full", "items": []}
    items, result_id = ls.report(params.text_document.uri, result)
    if params.previous_result_id == result_id:
        return types.RelatedUnchangedDocumentDiagnosticReport(result_id=result_id)
    return {"kind": "full", "resultId": result_id, "items": items}


@SERVER.feature(
    types.TEXT_DOCUMENT_CODE_ACTION,
    types.CodeActionOptions(
        code_action_kinds=[
            types.CodeActionKind.QuickFix,
            types.CodeActionKind.SourceFixAll,
            FIX_ALL_OURS,
        ],
        resolve_provider=False,
    ),
)
async def code_action(
    ls: EcsNetmodeServer, params: types.CodeActionParams
) -> list[types.CodeAction] | None:
    """Offer the quick fix for findings in range, and fix-all for the document."""
    uri = params.text_document.uri
    result = await ls.result(uri)
    if result is None:
        return None

    wanted = [str(kind) for kind in params.context.only or ()] or None
    actions = []
    if _wants(wanted, types.CodeActionKind.QuickFix):
        span = ls.span_of(result, params.range)
        touched = [f for f in result.analysis.findings if _touches(f.span, span)]
        actions += _quick_fixes(ls, uri, result, touched)

    all_kind = _fix_all_kind(wanted)
    edits = fix_all(result.analysis.findings[:MAX_SHOWN]) if all_kind else []
    if all_kind is not None and edits:
        actions.append(
            types.CodeAction(
                title=_fix_all_title(len(result.analysis.findings)),
                kind=all_kind,
                edit=ls.workspace_edit(uri, result, edits),
            )
        )
    return actions


def _fix_all_title(findings: int) -> str:
    if findings > MAX_SHOWN:
        return f"Set network_mode to awsvpc in the first {MAX_SHOWN:,} findings"
    return "Set network_mode to awsvpc in every ECS task definition"


@dataclass
class _Offer:
    """One quick fix, and the diagnostics it resolves."""

    title: str
    edit: Edit
    preferred: bool
    diagnostics: list[types.Diagnostic]


def _quick_fixes(
    ls: EcsNetmodeServer, uri: str, result: Result, findings: list[Finding]
) -> list[types.CodeAction]:
    """Return the fix (preferred) and the suppression for each finding.

    Findings that share one edit (a shared anchor's value, flagged once per
    task that uses it) get one action that names all their diagnostics,
    not a menu of identical entries.
    """
    offers: dict[tuple[str, Edit], _Offer] = {}
    shared = Counter(finding.span for finding in findings)
    for finding in findings:
        # Tasks that inherit one anchored value each get a fix of their own:
        # the titles say which task each one changes.
        named = shared[finding.span] > 1
        for offer in _offers(ls, result, finding, named):
            known = offers.setdefault((offer.title, offer.edit), offer)
            if known is not offer:
                known.diagnostics += offer.diagnostics
    return [
        types.CodeAction(
            title=offer.title,
            kind=types.CodeActionKind.QuickFix,
            diagnostics=offer.diagnostics,
            is_preferred=offer.preferred,
            edit=ls.workspace_edit(uri, result, [offer.edit]),
        )
        for offer in offers.values()
    ]


def _offers(
    ls: EcsNetmodeServer, result: Result, finding: Finding, named: bool
) -> list[_Offer]:
    source = result.analysis.source
    diagnostic = convert.to_diagnostic(
        source.lines, finding, ls.encoding, ls.settings.severity
    )
    comment, suppress = fixes.suppression(
        source,
        finding.span,
        finding.within,
        finding.task_span,
        ls.settings.suppression_keyword,
    )
    fix_title = FIX_TITLE
    if named:
        line = source.lines.line_of(finding.task_span.start) + 1
        task = f"task {shorten(finding.task_name)}" if finding.task_name else None
        fix_title = f"{FIX_TITLE} in {task or f'the task on line {line}'}"
    choices = [
        (fix_title, finding.fix, True),
        (f"Suppress with # {comment}", suppress, False),
    ]
    return [
        _Offer(title, edit, preferred, [diagnostic])
        for title, edit, preferred in choices
        if edit is not None
    ]


def _touches(finding: Span, request: Span) -> bool:
    return finding.start <= request.end and request.start <= finding.end


def _wants(only: list[str] | None, kind: str) -> bool:
    if only is None:
        return True
    return any(kind == want or kind.startswith(f"{want}.") for want in only)


def _fix_all_kind(only: list[str] | None) -> str | None:
    if only is None:
        return FIX_ALL_OURS
    if FIX_ALL in only:
        return FIX_ALL
    return FIX_ALL_OURS if _wants(only, FIX_ALL_OURS) else None


@SERVER.feature(types.TEXT_DOCUMENT_HOVER)
async def hover(ls: EcsNetmodeServer, params: types.HoverParams) -> types.Hover | None:
    """Explain the rule on a finding or on an in-scope network_mode key."""
    result = await ls.result(params.text_document.uri)
    if result is None:
        return None
    offset = ls.offset_of(result, params.position)
    text = assist.hover(result.analysis, offset)
    if text is None:
        return None
    content = types.MarkupContent(kind=types.MarkupKind.Markdown, value=text)
    return types.Hover(contents=content)


@SERVER.feature(
    types.TEXT_DOCUMENT_COMPLETION,
    types.CompletionOptions(trigger_characters=[" "]),
)
async def completion(
    ls: EcsNetmodeServer, params: types.CompletionParams
) -> types.CompletionList | None:
    """Offer network_mode values inside an in-scope task, awsvpc first."""
    result = await ls.result(params.text_document.uri)
    if result is None:
        return None
    offset = ls.offset_of(result, params.position)
    found = assist.complete(result.analysis, offset)
    if found is None:
        return None
    replace = convert.to_range(result.analysis.source.lines, found.replace, ls.encoding)
    items = [
        _completion_item(choice, index, replace)
        for index, choice in enumerate(found.choices)
    ]
    return types.CompletionList(is_incomplete=False, items=items)


def _completion_item(
    choice: assist.Choice, index: int, replace: types.Range
) -> types.CompletionItem:
    return types.CompletionItem(
        label=choice.label,
        kind=types.CompletionItemKind.EnumMember,
        detail=choice.detail,
        documentation=types.MarkupContent(
            kind=types.MarkupKind.Markdown, value=choice.documentation
        ),
        preselect=choice.recommended,
        sort_text=f"{index}",
        text_edit=types.TextEdit(range=replace, new_text=choice.label),
    )
