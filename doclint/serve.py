"""doclint serve: a local HTTP service (Starlette on uvicorn) and the page at /.

The engine, rules and configuration are loaded once, when the app starts. Texts only live in
memory for the length of a request: nothing is logged (uvicorn's access log is off, and errors
are answered with a Swedish message, never a traceback) and nothing is written to disk.
"""

from __future__ import annotations

import hmac
import json
import threading
from collections import OrderedDict
from importlib import resources
from pathlib import Path

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Route

LOOPBACK = ("127.0.0.1", "localhost", "::1")
MAX_BODY = 2 * 1024 * 1024  # bytes; a note is a few kB, the largest text doclint reads is 1,000,000 chars
API_VERSION = "1"
DEFAULT_PATH = "anteckning.md"
INTERNAL = "Något gick fel i doclint och texten kunde inte granskas. Försök igen, eller dela upp texten."

# A text is empty when str.strip() leaves nothing (Python's white space, which also counts the separators
# U+001C-U+001F). The API's schema says the same, character by character, so that a client (and
# schemathesis) never sends a text the schema allows and the service refuses as empty.
NOT_BLANK = "[^" + "".join(f"\\u{c:04x}" for c in range(0x3001) if chr(c).isspace()) + "]"


class ServiceError(Exception):
    """A request that cannot be answered: a status and a Swedish message."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status
        self.message = message


def error(status: int, message: str) -> JSONResponse:
    return JSONResponse({"error": {"status": status, "message": message}}, status_code=status)


class Service:
    """Rules, configuration and pipeline, loaded once; an engine per selection, kept in a small cache."""

    def __init__(self, pipeline: str = "default", config: Path | None = None, rule_dirs: list[Path] | None = None):
        from .config import apply_config, load_config  # noqa: PLC0415
        from .nlp import load_pipeline  # noqa: PLC0415
        from .rules import load_rules  # noqa: PLC0415

        self.config = load_config(config)
        self.rules = apply_config(load_rules(), self.config, rule_dirs)
        self.all_rules = {r.id: r for r in (load_rules(rule_dirs) if rule_dirs else load_rules())}
        self.all_rules.update({r.id: r for r in self.rules})
        self.pipeline = load_pipeline(pipeline)
        self._engines: OrderedDict = OrderedDict()
        self._lock = threading.Lock()
        self.engine((), ())  # warm: the default engine is built before the first request

    def engine(self, select: tuple, ignore: tuple):
        from .engine import Engine  # noqa: PLC0415

        key = (select, ignore)
        with self._lock:
            if key in self._engines:
                self._engines.move_to_end(key)
                return self._engines[key]
        known = {k for r in self.all_rules.values() for k in (r.id, r.name, r.family)}
        for option, names in (("select", select), ("ignore", ignore)):
            for name in names:
                if name not in known:
                    raise ServiceError(422, f"{option}: okänd regel eller område '{name}'. Se listan på /v1/rules.")
        chosen = [r for r in self.rules if _selected(r, select, ignore)]
        engine = Engine(chosen, self.pipeline, self.config.doc_type_for)
        with self._lock:
            self._engines[key] = engine
            while len(self._engines) > 16:
                self._engines.popitem(last=False)
        return engine

    def check(self, body: dict, keep_doc: bool = False):
        """Findings (and the Document, with keep_doc) for one request body."""
        from .document import DOC_TYPES, build_document  # noqa: PLC0415
        from .engine import EngineError  # noqa: PLC0415
        from .inputs import MAX_CHARS  # noqa: PLC0415

        text = body.get("text")
        if not isinstance(text, str):
            raise ServiceError(422, "Fältet ”text” saknas eller är inte en sträng. Skicka {\"text\": \"…\"}.")
        if not text.strip():
            raise ServiceError(422, "Texten är tom – det finns inget att granska.")
        if len(text) > MAX_CHARS:
            raise ServiceError(413, f"Texten är för lång (över {MAX_CHARS:,} tecken). Dela upp den i mindre delar."
                               .replace(",", " "))
        doc_type = body.get("doc_type")
        if doc_type is not None and doc_type not in DOC_TYPES:
            raise ServiceError(422, f"Okänd dokumenttyp '{doc_type}'. Välj en av: {', '.join(DOC_TYPES)}.")
        select, ignore = (_names(body, key) for key in ("select", "ignore"))
        engine = self.engine(select, ignore)
        path = body.get("path") if isinstance(body.get("path"), str) and body.get("path") else DEFAULT_PATH
        try:
            hint = doc_type or (engine.doc_type_for(path) if engine.doc_type_for else None)
            doc = build_document(text.replace("\r\n", "\n"), engine.pipeline, path, doc_type=hint,
                                 grammar=engine.grammar)
            result = engine.check_document(doc)
            findings = engine.finalise(result.findings + engine.check_folders([result]))
        except EngineError as exc:
            raise ServiceError(422, f"Texten kunde inte granskas: {exc}.") from None
        return engine, findings, (doc if keep_doc else None)


def _names(body: dict, key: str) -> tuple:
    value = body.get(key)
    if value is None:
        return ()
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ServiceError(422, f"Fältet ”{key}” ska vara en lista med regel-id, namn eller områden.")
    return tuple(sorted({v.strip() for item in value for v in item.split(",") if v.strip()}))


def _selected(rule, select, ignore) -> bool:
    keys = {rule.id, rule.name, rule.family}
    if select and not any(k in keys for k in select):
        return False
    return not (ignore and any(k in keys for k in ignore))


def _examples(items) -> list[str]:
    return [part.strip() for ex in items for part in ([ex] if isinstance(ex, str) else ex)]


def rule_summary(rule) -> dict:
    from .rules import FAMILY_NAMES, SEVERITY_NAMES  # noqa: PLC0415

    return {"id": rule.id, "name": rule.name, "title": rule.shown_name, "family": rule.family,
            "family_name": FAMILY_NAMES.get(rule.family, rule.family), "severity": rule.severity,
            "severity_name": SEVERITY_NAMES[rule.severity], "enabled": bool(rule.enabled)}


def rule_detail(rule) -> dict:
    import re  # noqa: PLC0415

    return {**rule_summary(rule), "message": re.sub(r"\{[a-z]+\}", "…", rule.message), "why": rule.why,
            "source": rule.source, "link": rule.link or None,
            "examples": {"fail": _examples(rule.examples.get("fail", [])),
                         "pass": _examples(rule.examples.get("pass", []))}}


async def _json_body(request: Request) -> dict:
    raw = await request.body()
    try:
        body = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise ServiceError(400, "Kroppen är inte giltig JSON i UTF-8. Skicka till exempel "
                                "{\"text\": \"Mamman är slarvig.\"}.") from None
    if not isinstance(body, dict):
        raise ServiceError(400, "Kroppen ska vara ett JSON-objekt, till exempel {\"text\": \"…\"}.")
    return body


def create_app(service: Service | None = None, *, token: str | None = None, max_body: int = MAX_BODY,
               cors_origins: list[str] | None = None, **service_options) -> Starlette:
    """The ASGI app. `service` defaults to one loaded from `service_options` (pipeline, config, rule_dirs)."""
    from .reporters import json_report  # noqa: PLC0415

    service = service or Service(**service_options)

    async def check(request: Request) -> Response:
        body = await _json_body(request)
        _, findings, _ = await run_in_threadpool(service.check, body)
        return Response(json_report.render(findings), media_type="application/json")

    async def stats(request: Request) -> Response:
        from .engine import document_figures  # noqa: PLC0415
        from .stats import file_stats  # noqa: PLC0415

        body = await _json_body(request)

        def figures():
            _, findings, doc = service.check(body, keep_doc=True)
            data = file_stats(doc, findings)
            data["sentence_lengths"] = document_figures(doc)["sentence_lengths"]
            data["by_severity"] = {s: sum(1 for f in findings if f.severity == s) for s in ("error", "warning", "info")}
            data["total"] = len(findings)
            if body.get("report") is True:  # the page asks once for figures and findings together
                data["report"] = json_report.report(findings)
            return data

        return JSONResponse(await run_in_threadpool(figures))

    async def rules(request: Request) -> Response:
        return JSONResponse({"rules": [rule_summary(r) for r in sorted(service.all_rules.values(),
                                                                        key=lambda r: r.id)]})

    async def rule(request: Request) -> Response:
        key = request.path_params["rule_id"]
        found = next((r for r in service.all_rules.values() if key in (r.id, r.name) or key.upper() == r.id), None)
        if found is None:
            raise ServiceError(404, f"Okänd regel '{key}'. Se listan på /v1/rules.")
        return JSONResponse(rule_detail(found))

    async def healthz(request: Request) -> Response:
        return JSONResponse({"status": "ok", "rules": len(service.rules), "pipeline": service.pipeline.name})

    async def openapi(request: Request) -> Response:
        known = sorted({k for r in service.all_rules.values() for k in (r.id, r.name, r.family)})
        return JSONResponse(openapi_document(known))

    async def page(request: Request) -> Response:
        return HTMLResponse(resources.files("doclint").joinpath("serve_page.html").read_text(encoding="utf-8"),
                            headers={"Content-Security-Policy": "default-src 'self'; style-src 'self' 'unsafe-inline'; "
                                     "script-src 'self' 'unsafe-inline'; img-src 'self' data:",
                                     "Cache-Control": "no-store"})

    async def service_error(request: Request, exc: ServiceError) -> Response:
        return error(exc.status, exc.message)

    async def http_error(request: Request, exc) -> Response:
        messages = {404: "Sidan finns inte. Se /openapi.json för vad tjänsten kan.",
                    405: "Metoden går inte att använda här. Se /openapi.json."}
        return error(exc.status_code, messages.get(exc.status_code, "Begäran kunde inte besvaras."))

    from starlette.exceptions import HTTPException  # noqa: PLC0415
    from starlette.middleware import Middleware  # noqa: PLC0415

    middleware = []
    if cors_origins:
        from starlette.middleware.cors import CORSMiddleware  # noqa: PLC0415

        middleware.append(Middleware(CORSMiddleware, allow_origins=cors_origins, allow_methods=["GET", "POST"],
                                     allow_headers=["Authorization", "Content-Type"]))
    middleware.append(Middleware(Guard, token=token, max_body=max_body))
    app = Starlette(routes=[
        Route("/", page, methods=["GET"]),
        Route("/healthz", healthz, methods=["GET"]),
        Route("/openapi.json", openapi, methods=["GET"]),
        Route("/v1/check", check, methods=["POST"]),
        Route("/v1/stats", stats, methods=["POST"]),
        Route("/v1/rules", rules, methods=["GET"]),
        Route("/v1/rules/{rule_id}", rule, methods=["GET"]),
    ], middleware=middleware, exception_handlers={ServiceError: service_error, HTTPException: http_error})
    app.state.service = service
    return app


class Guard:
    """Pure ASGI middleware: the bearer token on every request, and a limit on the request body (413)."""

    def __init__(self, app, token: str | None, max_body: int):
        self.app = app
        self.token = token.encode() if token else None
        self.max_body = max_body

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        headers = dict(scope.get("headers") or [])
        if self.token is not None:
            given = headers.get(b"authorization", b"")
            if not (given.startswith(b"Bearer ") and hmac.compare_digest(given[7:].strip(), self.token)):
                return await error(401, "Nyckel saknas eller är fel. Skicka rubriken Authorization: Bearer NYCKEL.")(
                    scope, receive, send)
        too_large = error(413, f"Texten är för stor för tjänsten (högst {self.max_body // 1024} kB per begäran). "
                               "Dela upp den i mindre delar.")
        try:
            declared = int(headers.get(b"content-length", b"0") or 0)
        except ValueError:
            declared = 0
        if declared > self.max_body:
            return await too_large(scope, receive, send)
        received = 0
        responded = False

        async def limited_receive():
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_body:
                    raise _TooLarge
            return message

        async def tracking_send(message):
            nonlocal responded
            if message["type"] == "http.response.start":
                responded = True
            await send(message)

        try:
            await self.app(scope, limited_receive, tracking_send)
        except _TooLarge:
            if not responded:
                await too_large(scope, receive, send)
        except Exception:  # noqa: BLE001  answered here and never re-raised: no traceback in any log
            if not responded:
                await error(500, INTERNAL)(scope, receive, send)


class _TooLarge(Exception):
    pass


def openapi_document(names_known: list[str] | None = None) -> dict:
    """The OpenAPI 3.1 description of the service (findings as in doclint/schemas/findings.schema.json)."""
    schema = json.loads(resources.files("doclint").joinpath("schemas/findings.schema.json").read_text(encoding="utf-8"))
    schema.pop("$schema", None)
    schema.pop("$id", None)
    defs = schema.pop("$defs", {}) or schema.pop("definitions", {})
    report = json.loads(json.dumps(schema).replace("#/$defs/", "#/components/schemas/")
                        .replace("#/definitions/", "#/components/schemas/"))
    defs = json.loads(json.dumps(defs).replace("#/$defs/", "#/components/schemas/")
                      .replace("#/definitions/", "#/components/schemas/"))
    from .document import DOC_TYPES  # noqa: PLC0415

    names = {"type": "array", "items": {"type": "string", **({"enum": names_known} if names_known else {})},
             "description": "Regel-id, namn eller områden (en kommaseparerad sträng går också)."}
    error_schema = {"type": "object", "required": ["error"], "properties": {"error": {
        "type": "object", "required": ["status", "message"],
        "properties": {"status": {"type": "integer"}, "message": {"type": "string"}}}}}
    text_request = {"type": "object", "required": ["text"], "properties": {
        "text": {"type": "string", "pattern": NOT_BLANK, "maxLength": 1_000_000, "description": "Texten som ska granskas (UTF-8). Den sparas och loggas aldrig."},
        "doc_type": {"type": "string", "enum": list(DOC_TYPES), "description": "Dokumenttyp; annars avgörs den av texten."},
        "path": {"type": "string", "description": "Namn som visas i svaret och avgör inställningar (standard anteckning.md)."},
        "select": names, "ignore": names}}
    stats_request = {"allOf": [{"$ref": "#/components/schemas/TextRequest"}, {"type": "object", "properties": {
        "report": {"type": "boolean", "description": "Ta med anmärkningarna (samma JSON som /v1/check) i svaret."}}}]}
    rule_summary_schema = {"type": "object", "required": ["id", "name", "title", "family", "severity"], "properties": {
        k: {"type": "string"} for k in ("id", "name", "title", "family", "family_name", "severity", "severity_name")}}
    rule_summary_schema["properties"]["enabled"] = {"type": "boolean"}
    rule_detail_schema = {"allOf": [{"$ref": "#/components/schemas/RuleSummary"}, {"type": "object", "required": [
        "message", "why", "source", "examples"], "properties": {
        "message": {"type": "string"}, "why": {"type": "string"}, "source": {"type": "string"},
        "link": {"type": ["string", "null"]},
        "examples": {"type": "object", "required": ["fail", "pass"], "properties": {
            "fail": {"type": "array", "items": {"type": "string"}},
            "pass": {"type": "array", "items": {"type": "string"}}}}}}]}
    stats_schema = {"type": "object", "required": ["words", "sentences", "lix", "lix_band", "findings"], "properties": {
        "path": {"type": "string"}, "doc_type": {"type": ["string", "null"]}, "words": {"type": "integer"},
        "sentences": {"type": "integer"}, "mean_sentence_words": {"type": "number"},
        "longest_sentence_words": {"type": "integer"}, "long_word_share": {"type": "number"},
        "lix": {"type": "number"}, "lix_band": {"type": "string"},
        "findings": {"type": "object", "additionalProperties": {"type": "integer"}},
        "by_severity": {"type": "object", "additionalProperties": {"type": "integer"}},
        "total": {"type": "integer"},
        "sentence_lengths": {"type": "array", "items": {"type": "integer"}},
        "report": {"$ref": "#/components/schemas/Report"}}}

    def errors(*codes):
        text = {400: "Kroppen är inte giltig JSON", 401: "Nyckel saknas eller är fel", 404: "Finns inte",
                413: "För stor begäran", 422: "Texten eller ett fält kan inte användas", 500: "Fel i doclint"}
        return {str(c): {"description": text[c], "content": {"application/json": {
            "schema": {"$ref": "#/components/schemas/Error"}}}} for c in codes}

    def body(ref):
        return {"required": True, "content": {"application/json": {"schema": {"$ref": ref}}}}

    def ok(ref, description):
        return {"200": {"description": description, "content": {"application/json": {"schema": {"$ref": ref}}}}}

    security = [{"bearer": []}]
    return {
        "openapi": "3.1.0",
        "info": {"title": "doclint", "version": API_VERSION,
                 "description": "Språkgranskning av dokumentation i den sociala barn- och ungdomsvården. "
                                "Texter sparas och loggas aldrig."},
        "paths": {
            "/v1/check": {"post": {"operationId": "check", "summary": "Granska en text (samma JSON som check --format json)",
                                   "requestBody": body("#/components/schemas/TextRequest"),
                                   "responses": {**ok("#/components/schemas/Report", "Anmärkningarna"),
                                                 **errors(400, 401, 413, 422, 500)}}},
            "/v1/stats": {"post": {"operationId": "stats", "summary": "Läsbarhet: ord, meningslängder, LIX, anmärkningar per område",
                                   "requestBody": body("#/components/schemas/StatsRequest"),
                                   "responses": {**ok("#/components/schemas/Stats", "Siffrorna"),
                                                 **errors(400, 401, 413, 422, 500)}}},
            "/v1/rules": {"get": {"operationId": "rules", "summary": "Alla regler",
                                  "responses": {"200": {"description": "Reglerna", "content": {"application/json": {
                                      "schema": {"type": "object", "required": ["rules"], "properties": {"rules": {
                                          "type": "array", "items": {"$ref": "#/components/schemas/RuleSummary"}}}}}}},
                                      **errors(401)}}},
            "/v1/rules/{rule_id}": {"get": {"operationId": "rule", "summary": "En regel: förklaring, källa och exempel",
                                            "parameters": [{"name": "rule_id", "in": "path", "required": True,
                                                            "schema": {"type": "string"}}],
                                            "responses": {**ok("#/components/schemas/RuleDetail", "Regeln"),
                                                          **errors(401, 404)}}},
            "/healthz": {"get": {"operationId": "healthz", "summary": "Tjänsten svarar",
                                 "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": {
                                     "type": "object", "required": ["status"], "properties": {
                                         "status": {"const": "ok"}, "rules": {"type": "integer"},
                                         "pipeline": {"type": "string"}}}}}}, **errors(401)}}},
        },
        "components": {"schemas": {"Report": report, **defs, "Error": error_schema, "TextRequest": text_request,
                                   "StatsRequest": stats_request,
                                   "RuleSummary": rule_summary_schema, "RuleDetail": rule_detail_schema,
                                   "Stats": stats_schema},
                       "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer",
                                                      "description": "Krävs när tjänsten startas med --token."}}},
        "security": security + [{}],
    }


def run(host: str, port: int, token: str | None, max_body: int, cors_origins: list[str] | None, **service_options) -> None:
    """Start uvicorn (blocking). Ctrl-C and SIGTERM stop it cleanly (uvicorn's own handlers)."""
    import uvicorn  # noqa: PLC0415

    app = create_app(token=token, max_body=max_body, cors_origins=cors_origins, **service_options)
    config = uvicorn.Config(app, host=host, port=port, access_log=False, log_level="warning",
                            server_header=False, date_header=False, lifespan="off")
    server = uvicorn.Server(config)
    shown = f"[{host}]" if ":" in host else host
    print(f"doclint serve: öppna http://{shown}:{server.config.port}/ i webbläsaren. Avsluta med Ctrl-C.", flush=True)
    import signal  # noqa: PLC0415

    stopped = []
    for signum in (signal.SIGINT, signal.SIGTERM):  # uvicorn re-raises the signal after its clean shutdown:
        signal.signal(signum, lambda *_: stopped.append(1))  # then it only means "done", not doclint's exit 130
    server.run()
    print("doclint serve: avslutad.", flush=True)
