"""doclint serve: the HTTP API through Starlette's TestClient, the OpenAPI document, and one real uvicorn."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import jsonschema
import pytest

pytest.importorskip("starlette")
from starlette.testclient import TestClient  # noqa: E402

from doclint.serve import Service, create_app  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
SCHEMA = json.loads((ROOT / "doclint" / "schemas" / "findings.schema.json").read_text(encoding="utf-8"))
NOTE = "Mamman är slarvig och bryr sig inte.\nSkolan skall tillse att Noah erhåller stöd.\n"


@pytest.fixture(scope="module")
def service():
    return Service(pipeline="blank")


@pytest.fixture(scope="module")
def client(service):
    return TestClient(create_app(service), raise_server_exceptions=False)


def test_check_returns_the_json_report_of_check_format_json(client, tmp_path):
    response = client.post("/v1/check", json={"text": NOTE})
    assert response.status_code == 200
    data = response.json()
    jsonschema.validate(data, SCHEMA)
    note = tmp_path / "anteckning.md"
    note.write_text(NOTE, encoding="utf-8")
    cli = subprocess.run([sys.executable, "-m", "doclint", "check", "--pipeline", "blank", "--format", "json", str(note)],
                         capture_output=True, text=True, cwd=tmp_path)
    expected = json.loads(cli.stdout)
    for f in expected["findings"]:
        f["path"] = "anteckning.md"
    assert data == expected
    skall = next(f for f in data["findings"] if f["text"] == "skall")
    assert (skall["line"], skall["column"], skall["suggestions"]) == (2, 8, ["ska"])
    assert NOTE[skall["start"]:skall["end"]] == "skall"


def test_check_select_ignore_and_doc_type(client):
    only = client.post("/v1/check", json={"text": NOTE, "select": ["DL303"]}).json()
    assert {f["rule"] for f in only["findings"]} == {"DL303"}
    without = client.post("/v1/check", json={"text": NOTE, "ignore": "jargon,judgement"}).json()
    assert not {f["family"] for f in without["findings"]} & {"jargon", "judgement"}
    typed = client.post("/v1/stats", json={"text": NOTE, "doc_type": "brev"}).json()
    assert typed["doc_type"] == "brev"
    unknown = client.post("/v1/check", json={"text": NOTE, "select": ["DL999"]})
    assert unknown.status_code == 422 and "okänd regel" in unknown.json()["error"]["message"]


@pytest.mark.parametrize("body, status, words", [
    (b"{not json", 400, "inte giltig JSON"),
    (b"[1, 2]", 400, "JSON-objekt"),
    (json.dumps({"txt": "x"}).encode(), 422, "”text” saknas"),
    (json.dumps({"text": 5}).encode(), 422, "”text” saknas"),
    (json.dumps({"text": "   "}).encode(), 422, "tom"),
    (json.dumps({"text": "Hej.", "doc_type": "roman"}).encode(), 422, "Okänd dokumenttyp 'roman'"),
    (json.dumps({"text": "Hej.", "select": [1]}).encode(), 422, "”select”"),
])
def test_bad_requests_get_a_swedish_json_error(client, body, status, words):
    response = client.post("/v1/check", content=body, headers={"content-type": "application/json"})
    assert response.status_code == status
    assert words in response.json()["error"]["message"]
    assert "Traceback" not in response.text


@pytest.mark.parametrize("text, empty", [("   ", True), ("\x1d\n", True), ("\x85\u3000", True), ("\ufeff", False),
                                         ("Hej.", False)])
def test_the_schema_and_the_service_agree_on_an_empty_text(client, text, empty):
    """The schema's pattern (what a client may send) and the service's test for an empty text are one
    rule: schemathesis once sent U+001D, which the schema allowed and the service refused as empty."""
    jsonschema_rs = pytest.importorskip("jsonschema_rs")  # schemathesis validates with it (ECMAScript patterns)

    pattern = client.get("/openapi.json").json()["components"]["schemas"]["TextRequest"]["properties"]["text"]["pattern"]
    assert jsonschema_rs.validator_for({"type": "string", "pattern": pattern}).is_valid(text) is not empty
    response = client.post("/v1/check", json={"text": text})
    assert (response.status_code == 422 and "tom" in response.json()["error"]["message"]) is empty


def test_a_failing_check_is_a_swedish_500_never_a_traceback(service, monkeypatch):
    def boom(*args, **kwargs):
        raise RuntimeError("secret internals")

    monkeypatch.setattr(service, "check", boom)
    # raise_server_exceptions stays on: the error must not travel on to uvicorn (which would log a traceback)
    response = TestClient(create_app(service)).post("/v1/check", json={"text": "Hej."})
    assert response.status_code == 500
    assert response.json()["error"]["message"].startswith("Något gick fel i doclint")
    assert "secret" not in response.text and "Traceback" not in response.text


def test_body_limit_is_a_clear_413_in_swedish(service):
    client = TestClient(create_app(service, max_body=1024))
    response = client.post("/v1/check", json={"text": "Ord. " * 400})
    assert response.status_code == 413
    assert response.json()["error"]["message"] == ("Texten är för stor för tjänsten (högst 1 kB per begäran). "
                                                   "Dela upp den i mindre delar.")

    def chunks():  # no Content-Length: the limit holds for a streamed body too
        for _ in range(10):
            yield b" " * 500

    streamed = client.post("/v1/check", content=chunks(), headers={"content-type": "application/json"})
    assert streamed.status_code == 413


def test_rules_and_rule_detail(client):
    rules = client.get("/v1/rules").json()["rules"]
    assert any(r["id"] == "DL201" and r["family"] == "judgement" for r in rules)
    detail = client.get("/v1/rules/evaluative-label").json()
    assert detail["id"] == "DL201" and detail["why"] and detail["source"]
    assert len(detail["examples"]["fail"]) >= 2 and len(detail["examples"]["pass"]) >= 2
    assert client.get("/v1/rules/dl303").json()["id"] == "DL303"
    missing = client.get("/v1/rules/DL999")
    assert missing.status_code == 404 and "Okänd regel 'DL999'" in missing.json()["error"]["message"]


def test_stats(client):
    data = client.post("/v1/stats", json={"text": "Mamman är slarvig. Hon kom hem sent igår."}).json()
    assert (data["words"], data["sentences"], data["sentence_lengths"]) == (8, 2, [3, 5])
    assert data["findings"]["judgement"] == 1 and data["lix_band"]
    assert data["total"] == sum(data["by_severity"].values())
    assert "report" not in data


def test_stats_with_report_is_one_request_for_the_page(client):
    body = {"text": "Mamman är slarvig. Hon kom hem sent igår.", "doc_type": "journalanteckning"}
    data = client.post("/v1/stats", json={**body, "report": True}).json()
    assert data["report"] == client.post("/v1/check", json=body).json()
    assert [f["rule"] for f in data["report"]["findings"]] == ["DL201"] and data["total"] == 1


def test_healthz_page_and_methods(client):
    assert client.get("/healthz").json()["status"] == "ok"
    page = client.get("/")
    assert page.status_code == 200 and "<textarea" in page.text and 'lang="sv"' in page.text
    assert "http://" not in page.text and "https://" not in page.text  # no external assets
    wrong = client.get("/v1/check")
    assert wrong.status_code == 405 and "Metoden" in wrong.json()["error"]["message"]


def test_no_cors_unless_configured(service):
    headers = {"Origin": "https://vs.example", "Access-Control-Request-Method": "POST"}
    plain = TestClient(create_app(service))
    assert "access-control-allow-origin" not in plain.options("/v1/check", headers=headers).headers
    assert "access-control-allow-origin" not in plain.post("/v1/check", json={"text": "Hej."},
                                                           headers={"Origin": "https://vs.example"}).headers
    allowed = TestClient(create_app(service, cors_origins=["https://vs.example"]))
    assert allowed.options("/v1/check", headers=headers).headers["access-control-allow-origin"] == "https://vs.example"


def test_token_is_checked_on_every_request(service):
    client = TestClient(create_app(service, token="hemlig-nyckel"))
    for method, path in (("get", "/"), ("get", "/healthz"), ("get", "/openapi.json"), ("get", "/v1/rules"),
                         ("get", "/v1/rules/DL201"), ("post", "/v1/check"), ("post", "/v1/stats")):
        for headers in ({}, {"Authorization": "Bearer fel"}, {"Authorization": "hemlig-nyckel"}):
            response = getattr(client, method)(path, headers=headers)
            assert response.status_code == 401, (path, headers)
            assert "Nyckel saknas eller är fel" in response.json()["error"]["message"]
    ok = client.post("/v1/check", json={"text": "Hej."}, headers={"Authorization": "Bearer hemlig-nyckel"})
    assert ok.status_code == 200


def test_cli_refuses_another_host_without_a_token():
    result = subprocess.run([sys.executable, "-m", "doclint", "serve", "--host", "0.0.0.0"],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 2
    assert "--token" in result.stderr and "Traceback" not in result.stderr


def test_openapi_document_describes_every_path(client):
    doc = client.get("/openapi.json").json()
    assert doc["openapi"].startswith("3.1")
    assert set(doc["paths"]) == {"/v1/check", "/v1/stats", "/v1/rules", "/v1/rules/{rule_id}", "/healthz"}
    # the report schema in the OpenAPI document accepts a real answer
    resolver_doc = {**doc["components"]["schemas"]["Report"], "components": doc["components"]}
    jsonschema.validate(client.post("/v1/check", json={"text": NOTE}).json(), resolver_doc)


# -- privacy: a marker word is in no log and no file ----------------------------------------------

def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait(port: int, proc, seconds: float = 60) -> None:
    import httpx  # noqa: PLC0415

    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if proc.poll() is not None:
            raise AssertionError(proc.stderr.read())
        try:
            if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            time.sleep(0.2)
    raise AssertionError("doclint serve did not start")


@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGINT])
def test_real_uvicorn_on_loopback_keeps_no_text_and_stops_cleanly(tmp_path, stop):
    import httpx  # noqa: PLC0415

    home = tmp_path / "home"
    home.mkdir()
    env = {**os.environ, "HOME": str(home), "XDG_CACHE_HOME": str(home / ".cache"), "TMPDIR": str(tmp_path / "tmp")}
    (tmp_path / "tmp").mkdir()
    port = _free_port()
    proc = subprocess.Popen([sys.executable, "-m", "doclint", "serve", "--port", str(port), "--pipeline", "blank"],
                            cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    marker = "Zyxoblomsterkvist"
    try:
        _wait(port, proc)
        base = f"http://127.0.0.1:{port}"
        r = httpx.post(f"{base}/v1/check", json={"text": f"{marker} är slarvig. {marker} skall komma."}, timeout=30)
        assert r.status_code == 200 and {f["rule"] for f in r.json()["findings"]} >= {"DL201", "DL303"}
        bad = httpx.post(f"{base}/v1/check", json={"text": marker, "doc_type": marker}, timeout=30)
        assert bad.status_code == 422
        big = httpx.post(f"{base}/v1/check", json={"text": marker * 200_000}, timeout=30)
        assert big.status_code == 413
        assert httpx.post(f"{base}/v1/stats", json={"text": marker + " kom."}, timeout=30).status_code == 200
    finally:
        proc.send_signal(stop)
        out, err = proc.communicate(timeout=30)
    assert proc.returncode == 0, err
    assert "avslutad" in out and "Traceback" not in err
    assert marker not in out and marker not in err
    for path in tmp_path.rglob("*"):
        if path.is_file():
            assert marker.encode() not in path.read_bytes(), path


def test_help_imports_neither_the_web_stack_nor_the_language_server():
    code = ("import sys; from doclint.cli import app\n"
            "try:\n    app(['--help'])\nexcept SystemExit:\n    pass\n"
            "print(sorted(m for m in ('starlette', 'uvicorn', 'pygls', 'httpx', 'spacy') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip().splitlines()[-1] == "[]"


def test_serve_and_lsp_are_listed_in_swedish_help():
    out = subprocess.run([sys.executable, "-m", "doclint", "--help"], capture_output=True, text=True).stdout
    assert "serve" in out and "lsp" in out and "webbsida" in out


def test_a_port_in_use_is_one_swedish_line_and_exit_2():
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = subprocess.run([sys.executable, "-m", "doclint", "serve", "--port", str(port)],
                                capture_output=True, text=True, timeout=60)
    assert result.returncode == 2
    assert f"kan inte lyssna på 127.0.0.1:{port}: porten används redan" in result.stderr
    assert "Traceback" not in result.stderr
