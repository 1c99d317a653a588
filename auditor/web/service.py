"""The ASGI application: the self-check page and the HTTP API (`auditor.web:app`).

FastAPI because the issue asks for OpenAPI documentation at /docs, and FastAPI derives it from
the endpoints' own signatures (Starlette alone would need a hand-kept schema); it also parses
multipart forms (python-multipart) and ships a test client. /docs is served offline: Swagger UI's
files come from the fastapi-offline package (Swagger UI 5, which reads FastAPI's OpenAPI 3.1),
not a CDN.

Stateless: every request's documents live in a temporary directory removed before the response
leaves; nothing is kept. Every document is audited in the worker pool (work.py) under its time
budget; a bad file becomes a scorecard with the CLI's Chinese reason.
"""

from __future__ import annotations

import asyncio
import io
import os
import re
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, AsyncIterator, Mapping, Sequence
from urllib.parse import quote

from fastapi import FastAPI, Form, Request, UploadFile
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from auditor import __version__
from auditor.models import Scorecard
from auditor.web import pages, work
from auditor.web.guard import Bounds, RequestGuard, note_files, too_large_message
from auditor.web.uploads import Batch, Receiver, UploadError

STATIC = Path(__file__).parent / "static"
#: the page's own files only: no inline script, nothing from another origin
PAGE_CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'")


def _env_float(name: str, default: float) -> float:
    try:
        return float(os.environ.get(name, default))
    except ValueError:
        return default


@dataclass(frozen=True)
class Settings:
    max_request_bytes: int = int(_env_float("AUDITOR_WEB_MAX_MB", 50) * 1048576)
    max_file_bytes: int = int(_env_float("AUDITOR_WEB_MAX_MB", 50) * 1048576)
    max_files: int = 500
    time_budget: float = _env_float("AUDITOR_WEB_TIMEOUT", 60.0)  # seconds per document
    max_memory_mb: int = int(_env_float("AUDITOR_WEB_MAX_MEMORY_MB", 2048))  # per worker process (0: no cap)
    workers: int = int(_env_float("AUDITOR_WEB_WORKERS", 0))  # audit processes; 0: the cores this process may use, at least 2
    config: str | None = None  # an auditor.yaml; None: found upward from the working directory
    warm: bool = True  # start the workers at startup
    # the request layer's bounds (guard.py): `auditor serve --help` lists them
    body_timeout: float = _env_float("AUDITOR_WEB_BODY_TIMEOUT", 120.0)  # seconds for a whole request body
    body_min_rate: int = int(_env_float("AUDITOR_WEB_BODY_MIN_RATE", 10240))  # bytes/s after the first 10 s (0: none)
    header_timeout: float = _env_float("AUDITOR_WEB_HEADER_TIMEOUT", 10.0)  # seconds for the request line and headers
    max_uploads_per_client: int = int(_env_float("AUDITOR_WEB_MAX_UPLOADS_PER_CLIENT", 8))  # in flight per address (0: none)
    body_grace: float = _env_float("AUDITOR_WEB_BODY_GRACE", 10.0)  # seconds before body_min_rate applies

    @property
    def bounds(self) -> Bounds:
        return Bounds(max_request_bytes=self.max_request_bytes, body_timeout=self.body_timeout,
                      body_min_rate=self.body_min_rate, body_grace=self.body_grace,
                      header_timeout=self.header_timeout, max_uploads_per_client=self.max_uploads_per_client)


def _packs(config_path: str | None) -> tuple[Any, Mapping[str, Any]]:
    from auditor.setup import config

    cfg = config.resolve(config_path, [])
    packs = config.build_packs(cfg)
    config.check_against(cfg, packs)
    return cfg, packs


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings()
    cfg, packs = _packs(settings.config)
    from auditor.pool.batch import default_jobs

    size = settings.workers or max(2, default_jobs())
    # here, while the server has one thread: the pool's fork server is forked now
    pool = work.ServerPool(packs, size, max_memory_mb=settings.max_memory_mb, time_budget=settings.time_budget,
                           comment_author=(cfg.comment_author or "") if cfg is not None else "")

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        await asyncio.get_running_loop().run_in_executor(None, lambda: pool.start(warm=settings.warm))
        yield
        pool.close()

    from fastapi_offline import FastAPIOffline

    # /docs is Swagger UI from the fastapi-offline package's own files: it works without internet
    app = FastAPIOffline(title="auditor", version=__version__, lifespan=lifespan, docs_url="/docs", redoc_url=None,
                         static_url="/docs-static", description="法治政府建设年度报告合规检查：网页与 HTTP API。上传的文件仅临时处理，响应后即删除。")
    app.add_middleware(RequestGuard, bounds=settings.bounds)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    state = _State(settings, cfg, packs, pool)

    @app.exception_handler(UploadError)
    async def _refused(request: Request, exc: UploadError) -> JSONResponse:
        return JSONResponse({"detail": str(exc)}, status_code=exc.status)

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        if exc.status_code == 404:
            detail = "找不到该地址；本服务的页面在根地址，接口见 docs"
        elif exc.status_code == 405:
            detail = f"该地址不接受 {request.method} 请求"
        elif exc.status_code == 400:  # the form could not be parsed (a broken or truncated multipart body …)
            detail = "请求格式不正确（无法解析上传的表单）；文件请用 multipart 字段 file 上传"
        else:
            detail = f"请求无法处理（HTTP {exc.status_code}）"
        return JSONResponse({"detail": detail}, status_code=exc.status_code, headers=exc.headers)

    @app.exception_handler(RequestValidationError)
    async def _malformed(request: Request, exc: RequestValidationError) -> JSONResponse:
        fields = "、".join(sorted({str(e.get("loc", ("", ""))[-1]) for e in exc.errors()}))
        return JSONResponse({"detail": f"请求格式不正确（字段：{fields}）；文件请用 multipart 字段 file 上传"},
                            status_code=400)

    @app.exception_handler(Exception)
    async def _internal(request: Request, exc: Exception) -> JSONResponse:  # never a stack trace to the client
        # the request guard (guard.py) logs it: the request id, where it broke, never its text
        return JSONResponse({"detail": f"服务器内部错误（{type(exc).__name__}），请将文件反馈给维护者"}, status_code=500)

    @app.get("/", include_in_schema=False)
    async def page(request: Request) -> HTMLResponse:
        return HTMLResponse(pages.index(request.url.hostname), headers={"Content-Security-Policy": PAGE_CSP,
                                                                         "X-Content-Type-Options": "nosniff"})

    @app.post("/result", include_in_schema=False)
    async def result(file: list[UploadFile | str] | None = None, text: str | None = Form(None),
                     pack: str = Form("auto"), deadline: str | None = Form(None),
                     with_packs: list[str] = Form([], alias="with"), roster: UploadFile | None = None) -> HTMLResponse:
        """The form's answer when the browser runs no script: a complete result page."""
        try:
            names = await _roster_names(roster)
            # a file input left empty still sends a part, without a name
            files = [f for f in file or () if not isinstance(f, str) and f.filename]
            results, skipped = await state.audit(files, text, pack, deadline, work.CHECK, with_packs=with_packs)
            cards = [c for c, _ in results]
        except UploadError as exc:
            return HTMLResponse(pages.error_page(str(exc)), status_code=exc.status)
        from auditor.run import roster as roster_mod

        opts = {"pack": pack, "deadline": deadline or state.cfg.deadline, "fail_on": state.cfg.fail_on or "error"}
        return HTMLResponse(pages.result_page(cards, packs, options=opts, skipped=skipped,
                                              roster=roster_mod.match(names, cards) if names else None))

    @app.get("/healthz", summary="Liveness: the server answers")
    async def healthz() -> dict[str, Any]:
        return {"status": "ok", "version": __version__, "workers": pool.size}

    @app.get("/api/limits", summary="What a request may carry (the page checks a selection against it before sending)")
    async def limits() -> dict[str, Any]:
        return {"max_request_bytes": settings.max_request_bytes, "max_file_bytes": settings.max_file_bytes,
                "max_files": settings.max_files, "too_large": too_large_message(settings.max_request_bytes)}

    @app.get("/api/rules", summary="The rule packs and their rules")
    async def rules() -> dict[str, Any]:
        return {"packs": [
            {"id": p.id, "name": p.name, "addon": bool(getattr(p, "addon", False)), "rules": [
                {"id": r.id, "title": r.title, "short": r.head, "severity": r.severity.value, "message": r.message,
                 "hint": r.hint, "reference": r.reference.cited} for r in p.rules]}
            for p in packs.values()]}

    @app.get("/api/formats", summary="The report formats (file extension, media type) and the file types read")
    async def formats() -> dict[str, Any]:
        from auditor import loaders, reporters

        return {"formats": [{"name": n, "extension": reporters.extension(n), "media_type": reporters.media_type(n)}
                            for n in reporters.names()],
                "suffixes": [*loaders.supported_suffixes(), ".zip"]}

    @app.post("/api/check", summary="Audit files; the JSON of `auditor check --format json`",
              response_description="auditor/schema/report.schema.json, version 1")
    async def check(file: list[UploadFile] | None = None, text: str | None = Form(None),
                    pack: str = Form("auto"), deadline: str | None = Form(None),
                    with_packs: list[str] = Form([], alias="with")) -> Response:
        cards = [c for c, _ in (await state.audit(file, text, pack, deadline, work.CHECK, with_packs=with_packs))[0]]
        return _contract(cards)

    @app.post("/api/view", summary="The page's view: the JSON contract plus the text and marks of one file")
    async def view(file: list[UploadFile] | None = None, text: str | None = Form(None),
                   pack: str = Form("auto"), deadline: str | None = Form(None),
                   with_packs: list[str] = Form([], alias="with"), roster: UploadFile | None = None) -> JSONResponse:
        names = await _roster_names(roster)
        results, skipped = await state.audit(file, text, pack, deadline, work.VIEW, several=work.CHECK,
                                             with_packs=with_packs)
        cards = [pages.plain_card(c) for c, _ in results]  # reasons in the page's words
        from auditor.reporters import json_report
        from auditor.run import roster as roster_mod

        answer = {"report": json_report.document(cards), "views": [v for _, v in results], "skipped": skipped}
        if names:
            answer["roster"] = roster_mod.match(names, cards).as_json()
        return JSONResponse(answer)

    @app.post("/api/report", summary="A report of the audit in another format (html, xlsx, csv, markdown …)")
    async def report(format: str = Form("html"), file: list[UploadFile] | None = None,
                     text: str | None = Form(None), pack: str = Form("auto"),
                     deadline: str | None = Form(None), with_packs: list[str] = Form([], alias="with"),
                     roster: UploadFile | None = None) -> Response:
        from auditor import reporters
        from auditor.run import roster as roster_mod

        if format not in reporters.REPORTER_BY_NAME:
            raise UploadError(f"不支持的报告格式“{format}”；可选：{'、'.join(reporters.names())}")
        names = await _roster_names(roster)
        cards = [c for c, _ in (await state.audit(file, text, pack, deadline, work.CHECK, with_packs=with_packs))[0]]
        if format in ("html", "xlsx"):  # made for people: the page's words
            cards = [pages.plain_card(c) for c in cards]
        opts = {"pack": pack, "deadline": deadline or state.cfg.deadline, "fail_on": state.cfg.fail_on or "error"}
        return _rendered(format, cards, packs, roster=roster_mod.match(names, cards) if names else None, options=opts)

    @app.post("/api/annotate-batch", summary="Every file back as .docx with Word comments, in one .zip")
    async def annotate_batch(file: list[UploadFile] | None = None, text: str | None = Form(None),
                             pack: str = Form("auto"), deadline: str | None = Form(None),
                             with_packs: list[str] = Form([], alias="with")) -> Response:
        """One `X.批注.docx` per file (bounded like every batch: the same file count and sizes),
        and 无法批注的文件.txt naming those that could not be annotated, with the reason."""
        results, _ = await state.audit(file, text, pack, deadline, work.ANNOTATE, with_packs=with_packs)
        return Response(pages.annotated_zip(results), media_type="application/zip",
                        headers=_attachment("全部批注文档.zip"))

    @app.post("/api/annotate", summary="The document back as .docx with a Word comment (批注) at each finding; one file")
    async def annotate(file: list[UploadFile] | None = None, text: str | None = Form(None), pack: str = Form("auto"),
                       deadline: str | None = Form(None), with_packs: list[str] = Form([], alias="with")) -> Response:
        given = len(file or ()) + (1 if text and text.strip() else 0)
        if given > 1:
            note_files(f.filename for f in file or ())
            raise UploadError(f"批注一次只处理一份文件，本次收到 {given} 份；请逐份上传")
        results, _ = await state.audit(file, text, pack, deadline,
                                       work.ANNOTATE, max_files=1, with_packs=with_packs)
        card, data = results[0]
        if data is None:
            return JSONResponse({"detail": f"无法生成批注文档：{card.error}", "path": card.path}, status_code=422)
        from auditor.annotate.own import output_name

        name = card.path.rsplit("/", 1)[-1]
        stem = os.path.splitext(name)[0] or "报告"
        # the next round's name: X.批注.docx → X.批注2.docx, never X.批注.批注.docx
        return Response(data, media_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                        headers=_attachment(output_name(f"{stem}.docx")))

    return app


def _attachment(filename: str) -> dict[str, str]:
    ascii_name = re.sub(r"[^A-Za-z0-9._-]", "_", filename)
    return {"Content-Disposition": f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename)}"}


async def _roster_names(upload: UploadFile | None) -> list[str] | None:
    """The names of an uploaded roster (None when none was sent); UploadError when unreadable."""
    if upload is None or not upload.filename:
        return None
    from auditor.run.roster import RosterError, load

    try:
        return load(upload.filename, await upload.read(20 * 1048576 + 1))
    except RosterError as exc:
        raise UploadError(f"名单文件“{upload.filename}”：{exc}") from None


def _contract(cards: Sequence[Scorecard]) -> Response:
    """Byte for byte what `auditor check --format json` prints for these cards."""
    from auditor.reporters import json_report

    out = io.StringIO()
    json_report.write(cards, out)
    return Response(out.getvalue(), media_type="application/json")


def _rendered(fmt: str, cards: Sequence[Scorecard], packs: Mapping[str, Any], *, roster: Any = None,
              options: Mapping[str, object] | None = None) -> Response:
    from auditor import reporters

    ctx = reporters.ReportContext(packs=packs, color=False, roster=roster, options=dict(options or {}))
    body = reporters.render(fmt, cards, ctx)
    return Response(body, media_type=reporters.media_type(fmt),
                    headers=_attachment(f"auditor-报告.{reporters.extension(fmt)}"))


class _State:
    def __init__(self, settings: Settings, cfg: Any, packs: Mapping[str, Any], pool: work.ServerPool) -> None:
        self.settings, self.cfg, self.packs, self.pool = settings, cfg, packs, pool

    def options(self, pack: str, deadline: str | None, with_packs: Sequence[str] = ()) -> Any:
        """The run's options from the form over the server's configuration (auditor.run.settings,
        as for the CLI); what names nothing usable is said in Chinese."""
        from auditor.run.settings import SettingError, audit_options

        try:
            return audit_options(self.cfg, self.packs, pack=(pack or "auto").strip() or "auto",
                                 with_packs=with_packs, deadline=(deadline or "").strip() or None,
                                 max_bytes=self.settings.max_file_bytes, time_budget=self.settings.time_budget)
        except SettingError as exc:
            if exc.key == "pack":
                raise UploadError(f"未知的报告类型“{exc.value}”；可选：{'、'.join(exc.valid)}") from None
            if exc.key == "with":
                raise UploadError(f"未知的附加检查“{exc.value}”；可选：{'、'.join(exc.valid) or '（无）'}") from None
            raise UploadError(f"截止日期“{exc.value}”格式不对，应为 MM-DD，如 04-01 或 03-01") from None

    async def receive(self, files: Sequence[UploadFile] | None, text: str | None, max_files: int) -> Batch:
        receiver = Receiver(max_bytes=self.settings.max_file_bytes, max_files=max_files)
        note_files(f.filename for f in files or ())
        try:
            for f in files or ():
                receiver.add_file(f.filename, await f.read())
            if text and text.strip():
                receiver.add_text(text)
            if not receiver.batch.items:
                raise UploadError("请选择要检查的文件，或粘贴报告正文")
        except BaseException:
            receiver.batch.remove()
            raise
        return receiver.batch

    async def audit(self, files: Sequence[UploadFile] | None, text: str | None, pack: str, deadline: str | None,
                    kind: str, *, several: str | None = None, max_files: int | None = None,
                    with_packs: Sequence[str] = ()) -> tuple[list[tuple[Scorecard, Any]], list[str]]:
        """(card, extra) of every uploaded document, `kind` of work (work.CHECK, VIEW, ANNOTATE;
        `several` instead when there is more than one document); results in upload order. The
        temporary directory is gone on return."""
        from auditor.run.engine import error_card

        options = self.options(pack, deadline, with_packs)
        batch = await self.receive(files, text, max_files or self.settings.max_files)
        try:
            items = batch.items
            chosen = kind if several is None or len(items) == 1 else several
            gate = asyncio.Semaphore(self.pool.size)  # this request's share of the pool

            async def one(item: Any) -> tuple[Scorecard, Any]:
                if item.path is None:
                    return error_card(item.name, item.refused or "无法检查"), None
                async with gate:  # past the budget its worker is killed (that one only)
                    return await self.pool.run(chosen, item.path, item.name, options, timeout=options.time_budget)

            return list(await asyncio.gather(*(one(i) for i in items))), batch.skipped
        finally:
            batch.remove()
