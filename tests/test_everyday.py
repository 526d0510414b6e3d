"""Everyday use: display level, concise and statistics views, stdin at a terminal, settings that work."""

import json
import re
import os
import pty
import select
import subprocess
import sys
import time

import pytest
from typer.testing import CliRunner

from doclint.cli import app
from doclint.reporters import by_level

runner = CliRunner()
# One warning (DL303 "skall") and one info (DL203 "alltid").
NOTE = "Pappan skall ringa skolan. Han kommer alltid för sent till mötena.\n"


def run(*args, input=None):
    return runner.invoke(app, list(args), input=input)


@pytest.fixture
def note(tmp_path):
    path = tmp_path / "anteckning.txt"
    path.write_text(NOTE, encoding="utf-8")
    return path


# -- noise ------------------------------------------------------------------------

def test_level_hides_info_in_text_and_says_how_many(note):
    full = run("check", str(note), "--select", "DL303,DL203")
    assert "DL203" in full.stdout and "DL303" in full.stdout
    quiet = run("check", str(note), "--select", "DL303,DL203", "--level", "warning")
    assert "DL303" in quiet.stdout and "DL203" not in quiet.stdout
    assert "1 anmärkning på nivån info visas inte; visa alla med --level info." in quiet.stdout
    assert quiet.exit_code == 1
    swedish = run("check", str(note), "--select", "DL303,DL203", "--level", "varning")
    assert swedish.stdout == quiet.stdout


def test_level_from_configuration_and_machine_formats_keep_everything(note):
    (note.parent / ".doclint.yaml").write_text("level: varning\nfail_level: fel\n", encoding="utf-8")
    text = run("check", str(note), "--select", "DL303,DL203")
    assert "DL203" not in text.stdout and "visas inte" in text.stdout
    assert text.exit_code == 0  # fail_level: fel
    data = json.loads(run("check", str(note), "--select", "DL303,DL203", "--format", "json").stdout)
    assert sorted(f["rule"] for f in data["findings"]) == ["DL203", "DL303"]
    page = run("check", str(note), "--select", "DL303,DL203", "--format", "html").stdout
    assert 'data-rule="DL203"' not in page and 'data-rule="DL303"' in page
    assert "1 anmärkning på nivån info visas inte" in page
    shown = run("check", str(note), "--select", "DL303,DL203", "--level", "info")
    assert "DL203" in shown.stdout  # the option wins over the configuration


def test_by_level_is_a_plain_function(engine):
    findings = engine.check_text(NOTE)
    shown, hidden = by_level(findings, "varning")
    assert {f.severity for f in shown} <= {"warning", "error"}
    assert sum(hidden.values()) == len(findings) - len(shown) > 0
    assert by_level(findings, None) == (findings, {})


def test_concise_prints_one_line_per_finding(note):
    result = run("check", str(note), "--select", "DL303,DL203", "--format", "concise")
    lines = result.stdout.splitlines()
    assert lines[0] == f"{note}:1:8  varning DL303  Byt ”skall” mot ett vanligare ord, till exempel ”ska”."
    assert lines[1].startswith(f"{note}:1:39  info    DL203")
    assert "│" not in result.stdout and "förslag" not in result.stdout
    assert result.exit_code == 1


def test_statistics_prints_only_the_table(note):
    result = run("check", str(note), "--select", "DL303,DL203", "--statistics")
    assert str(note) not in result.stdout and "│" not in result.stdout
    rows = [line.split() for line in result.stdout.splitlines()]
    assert rows[0][:3] == ["Antal", "Regel", "Nivå"]
    assert rows[1][:3] == ["1", "DL203", "info"] and rows[2][:3] == ["1", "DL303", "varning"]
    assert result.stdout.splitlines()[-1] == "2 anmärkningar."


def test_nothing_read_does_not_say_no_findings(tmp_path):
    empty = tmp_path / "tom.txt"
    empty.write_bytes(b"\x00\x01binary")
    result = run("check", str(empty))
    assert "Inga anmärkningar" not in result.stdout
    assert "Ingen text kunde granskas." in result.stdout
    assert result.exit_code == 2


def _pty_run(args, text: bytes, timeout=60):
    """Run doclint with stdin and stderr on a terminal; return (stderr+stdout text, exit code)."""
    master, slave = pty.openpty()
    proc = subprocess.Popen([sys.executable, "-m", "doclint", *args], stdin=slave, stdout=subprocess.PIPE,
                            stderr=slave, env={**os.environ, "COLUMNS": "200", "TERM": "dumb"})
    os.close(slave)
    seen = b""
    deadline = time.monotonic() + timeout
    while b"Ctrl-D" not in seen and time.monotonic() < deadline:
        ready, _, _ = select.select([master], [], [], 1)
        if ready:
            seen += os.read(master, 4096)
    os.write(master, text + b"\n\x04")
    out, _ = proc.communicate(timeout=timeout)
    os.close(master)
    return seen.decode("utf-8", "replace"), out.decode("utf-8"), proc.returncode


def test_stdin_at_a_terminal_says_to_paste_and_press_ctrl_d():
    hint, out, code = _pty_run(["check", "-", "--select", "DL303"], "Pappan skall ringa.".encode())
    assert "Klistra in texten och avsluta med Ctrl-D" in hint
    assert "-:1:8" in out and code == 1


# -- settings that do what they say -------------------------------------------------

def _config(folder, text):
    path = folder / ".doclint.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_words_extend_a_pattern_rule(tmp_path):
    _config(tmp_path, "words:\n  DL201: [slafsig]\n")
    path = tmp_path / "a.txt"
    path.write_text("Mamman är slafsig i hemmet. Hon säger ”slafsig” om sig själv.\n", encoding="utf-8")
    data = json.loads(run("check", str(path), "--select", "DL201", "--format", "json").stdout)
    assert [(f["line"], f["column"], f["text"]) for f in data["findings"]] == [(1, 11, "slafsig")]


def test_starter_configuration_words_example_works(tmp_path):
    from doclint.config import STARTER

    starter = "\n".join(line.removeprefix("# ") if line.startswith(("# words:", "#   DL201")) else line
                        for line in STARTER.splitlines())
    _config(tmp_path, starter)
    path = tmp_path / "a.txt"
    path.write_text("Pappan var slafsig.\n", encoding="utf-8")
    result = run("check", str(path), "--select", "DL201", "--format", "json")
    assert [f["text"] for f in json.loads(result.stdout)["findings"]] == ["slafsig"]


@pytest.mark.parametrize("text, line, words", [
    ("ignore: []\nwords:\n  DL101: [lång]\n", 3, "words.DL101: regeln DL101 (long-sentence) har ingen ordlista"),
    ("words:\n  judgement: [slafsig]\n", 2, "words.judgement: ange en regel"),
    ("level: varning\n\nfärg: röd\n", 3, "okänt fält 'färg'"),
    ("rules:\n  DL101:\n    terms: [x]\n", 3, "okänt fält 'terms'"),
    ("severity:\n  DL101: högt\n", 2, "'högt' är inte tillåtet"),
])
def test_settings_that_cannot_work_are_refused_with_file_and_line(tmp_path, text, line, words):
    config = _config(tmp_path, text)
    path = tmp_path / "a.txt"
    path.write_text("Hej.\n", encoding="utf-8")
    result = run("check", str(path))
    assert result.exit_code == 2
    assert f"{config}:{line}:" in result.stderr and words in result.stderr


def test_swedish_severity_names_in_configuration_and_rule_packs(tmp_path):
    _config(tmp_path, "severity:\n  DL203: fel\nfail_level: fel\n")
    packs = tmp_path / "regler"
    packs.mkdir()
    (packs / "egen.yaml").write_text(
        "rules:\n  - id: DL901\n    name: own\n    family: judgement\n    severity: varning\n    type: existence\n"
        "    terms: [slafsig]\n    message: \"Skriv vad du såg i stället för {match}.\"\n    why: Test.\n"
        "    source: Test.\n    examples:\n      fail: [Hon är slafsig., Han är slafsig.]\n"
        "      pass: [Hon kom sent., Han kom sent.]\n", encoding="utf-8")
    path = tmp_path / "a.txt"
    path.write_text("Han är alltid slafsig.\n", encoding="utf-8")
    result = run("check", str(path), "--rules", str(packs), "--select", "DL203,DL901", "--format", "json")
    severities = {f["rule"]: f["severity"] for f in json.loads(result.stdout)["findings"]}
    assert severities == {"DL203": "error", "DL901": "warning"}
    assert result.exit_code == 1
    assert run("check", str(path), "--select", "DL901", "--rules", str(packs), "--fail-level", "fel").exit_code == 0


def test_include_and_exclude_in_the_configuration(tmp_path):
    _config(tmp_path, "exclude: [\"mallar/**\"]\n")
    (tmp_path / "mallar").mkdir()
    (tmp_path / "mallar" / "mall.txt").write_text("Pappan skall ringa.\n", encoding="utf-8")
    (tmp_path / "a.txt").write_text("Pappan skall ringa.\n", encoding="utf-8")
    data = json.loads(run("check", str(tmp_path), "--select", "DL303", "--format", "json").stdout)
    assert [f["path"] for f in data["findings"]] == [f"{tmp_path}/a.txt"]


def test_exclude_matches_the_printed_path_and_warns_when_nothing_matches(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "akt").mkdir()
    for name in ("a.txt", "b.txt"):
        (tmp_path / "akt" / name).write_text("Pappan skall ringa.\n", encoding="utf-8")
    result = run("check", "akt", "--select", "DL303", "--format", "json", "--exclude", "akt/b.txt",
                 "--exclude", "akt/finns-inte/**")
    assert [f["path"] for f in json.loads(result.stdout)["findings"]] == ["akt/a.txt"]
    assert "--exclude 'akt/finns-inte/**' matchar ingen fil" in result.stderr
    assert "akt/b.txt" not in result.stderr
    result = run("check", "./akt/", "--select", "DL303", "--format", "json", "--exclude", "./akt/a.txt")
    assert [f["path"] for f in json.loads(result.stdout)["findings"]] == ["./akt/b.txt"]


def test_config_command_shows_file_and_effective_settings(tmp_path):
    config = _config(tmp_path, "level: varning\nseverity:\n  DL203: fel\nignore: [DL109]\n"
                               "doc_types:\n  \"journal/**\": journalanteckning\n")
    (tmp_path / "journal").mkdir()
    note = tmp_path / "journal" / "a.txt"
    note.write_text("Hej.\n", encoding="utf-8")
    result = run("config", str(note))
    assert result.exit_code == 0
    assert f"Inställningsfil: {config}" in result.stdout
    assert "Dokumenttyp enligt inställningarna: journalanteckning" in result.stdout
    assert "Visas från nivå: varning" in result.stdout
    rows = {line.split()[0]: line for line in result.stdout.splitlines() if line.startswith("DL")}
    assert "fel" in rows["DL203"] and "nivå fel" in rows["DL203"]
    assert "avstängd" in rows["DL109"] and rows["DL101"].split()[-1] == "–"
    data = json.loads(run("config", str(note), "--format", "json").stdout)
    assert data["config_file"] == str(config) and data["level"] == "warning"
    outside = run("config", "/")
    assert "ingen – doclints standard gäller" in outside.stdout


# -- Swedish all the way --------------------------------------------------------------

ENGLISH = ("Usage", "Missing", "Error", "Try ", "Invalid", "Option", "No such", "Got unexpected", "argument(s)",
           "required", "Show this message", "Arguments", "Options", "Commands", "is not one of", "Input should")


@pytest.mark.parametrize("args, expected", [
    (["check"], "doclint: FIL saknas – ange FIL."),
    (["check", "a.txt", "--nope"], "doclint: okänt val --nope"),
    (["check", "a.txt", "--format", "xml"], "doclint: ogiltigt värde för --format / --output-format / -f: 'xml' går "
                                            "inte; välj ett av: text, json, jsonl, sarif, github, html, concise."),
    (["check", "a.txt", "--jobs", "många"], "doclint: ogiltigt värde för --jobs / -j: värdet ska vara ett heltal."),
    (["check", "a.txt", "--jobs", "-1"], "doclint: ogiltigt värde för --jobs / -j: värdet ska vara minst 0."),
    (["check", "a.txt", "--output"], "doclint: --output behöver ett värde."),
    (["explain", "DL101", "DL102"], "doclint: för många argument: DL102."),
    (["granska"], "doclint: okänt kommando 'granska'."),
    (["stats", "--compare", "a.txt"], "doclint: --compare behöver 2 värden."),
])
def test_usage_errors_are_one_swedish_line(args, expected):
    result = run(*args)
    assert result.exit_code == 2
    lines = result.stderr.splitlines()
    assert lines[0].startswith(expected), result.stderr
    assert not any(word in result.stderr for word in ENGLISH), result.stderr
    assert "╭" not in result.stderr


@pytest.mark.parametrize("args", [["--help"], ["check", "--help"], ["stats", "--help"], ["config", "--help"],
                                  ["rules", "--help"], ["explain", "--help"], ["init", "--help"]])
def test_help_is_swedish(args):
    result = run(*args)
    assert result.exit_code == 0
    shown = re.sub(r"[│\s]+", " ", result.stdout)
    assert "Användning: doclint" in shown and "Visa den här hjälpen och avsluta." in shown
    assert not any(word in shown for word in ENGLISH + ("<list", "<bool>", "<int>", "<path>", "TEXT")), shown


def test_regex_errors_are_swedish(tmp_path):
    _config(tmp_path, "rules:\n  DL201:\n    unless: ['re:(enligt']\n")
    path = tmp_path / "a.txt"
    path.write_text("Hej.\n", encoding="utf-8")
    result = run("check", str(path))
    assert result.exit_code == 2
    assert "ogiltigt reguljärt uttryck '(enligt': en parentes öppnas men stängs inte (vid tecken 8)" in result.stderr
    assert "missing" not in result.stderr and "position" not in result.stderr


def test_every_rule_has_a_swedish_title_shown_to_users(builtin_rules, note):
    assert all(r.title and r.title != r.name for r in builtin_rules)
    text = run("check", str(note), "--select", "DL303").stdout
    assert "DL303 Kanslispråk" in text and "bureaucratic-word" not in text
    sarif = json.loads(run("check", str(note), "--select", "DL303", "--format", "sarif").stdout)
    (rule,) = sarif["runs"][0]["tool"]["driver"]["rules"]
    assert rule["shortDescription"]["text"] == "Kanslispråk" and rule["name"] == "bureaucratic-word"
    page = run("check", str(note), "--select", "DL303", "--format", "html").stdout
    assert "DL303 Kanslispråk" in page
    listed = run("rules").stdout
    assert "Kanslispråk" in listed and "bureaucratic-word" in listed  # the name is still what settings use
    for rule in builtin_rules:
        explained = run("explain", rule.id).stdout
        assert rule.title in explained.splitlines()[0] and "{" not in explained


def test_messages_do_not_name_a_child_who_is_not_in_the_note(builtin_rules):
    names = ("Omar", "Lisa", "Karin", "Leila", "Noah", "Elin", "Elsa", "Ali", "Sara")
    for rule in builtin_rules:
        assert not any(re.search(rf"\b{name}s?\b", rule.message) for name in names), rule.id


# -- suggestions that fit -------------------------------------------------------------

@pytest.mark.parametrize("text, rule, word, suggestion", [
    ("Noah behöver erforderligt stöd.", "DL303", "erforderligt", "nödvändigt"),
    ("Skolan ger erforderliga insatser.", "DL303", "erforderliga", "nödvändiga"),
    ("Ansökan har inkommit till nämnden.", "DL306", "inkommit", "kommit in"),
    ("Mamman ombeds inkomma med läkarintyget.", "DL306", "inkomma", "komma in"),
    ("Personalen tillser att Omar äter.", "DL303", "tillser", "ser till"),
    ("Mamman erhåller försörjningsstöd.", "DL105", "erhåller", "får"),
    ("Lisa har erhållit ett beslut.", "DL105", "erhållit", "fått"),
    ("Planen upprättades i maj.", "DL105", "upprättades", "skrevs"),
    ("Planen har upprättats i samråd med Omar.", "DL105", "upprättats", "skrivits"),
    ("Han har beaktat barnets önskemål.", "DL105", "beaktat", "tagit hänsyn till"),
])
def test_a_suggestion_agrees_with_the_word_it_replaces(engine, text, rule, word, suggestion):
    (finding,) = [f for f in engine.check_text(text) if f.rule == rule]
    assert finding.text == word
    assert finding.suggestions[0] == suggestion
    assert f"”{suggestion}”" in finding.message


def test_suggestion_lists_are_short_and_read_as_a_list(engine, builtin_rules, note):
    for rule in builtin_rules:
        for term, alternatives in rule.options.get("swap", {}).items():
            assert len(alternatives.split("|")) <= 3, (rule.id, term)
    (finding,) = [f for f in engine.check_text("Pappan är förövare.") if f.rule == "DL202"]
    assert finding.suggestions == ["den som pekas ut", "personen"]
    note.write_text("Planen ska iordningställas. Han har erforderligt stöd.\n", encoding="utf-8")
    shown = run("check", str(note), "--select", "DL303").stdout
    assert "förslag: ställas i ordning eller ordnas" in shown or "förslag: ställa i ordning eller ordna" in shown
    assert "förslag: nödvändigt eller som behövs" in shown


def test_no_replacement_that_changes_the_meaning(engine):
    assert not [f for f in engine.check_text("Kontakt med BUP ska upprättas under våren.") if f.rule == "DL105"]
    assert not [f for f in engine.check_text("Hon har upprättat ett samarbete med skolan.") if f.rule == "DL105"]
    (finding,) = [f for f in engine.check_text("Genomförandeplanen upprättas av handläggaren.")
                  if f.rule == "DL105"]
    assert finding.suggestions[0] == "skrivs"


def test_markdown_links_and_addresses_are_not_words(engine):
    text = ("Se [utredningen](utredning.md) och [planen](../planer/genomforandeplan-2026-04-08.md). "
            "Skriv till socialtjansten.barn@kommun.example.se eller läs https://www.kommun.example.se/barn-och-familj.\n")
    findings = engine.check_text(text, "a.md")
    assert not [f for f in findings if f.rule == "DL109"], [f.text for f in findings]
    from doclint.document import build_document

    doc = build_document(text, engine.pipeline, "a.md")
    words = [t.text for t in doc.tokens if t.is_word]
    assert "utredningen" in words and "planen" in words
    assert not any("." in w or "/" in w for w in words), words


# -- case folders and empty files -------------------------------------------------

BACKGROUND = ("Lisa bor med sin mamma och sin lillebror i en trea i Ekby. Hon går i årskurs fyra på "
              "Ekbyskolan och har haft hög frånvaro sedan höstterminen, främst på måndagar och fredagar.")


def test_case_folder_compares_a_file_with_the_rest_of_its_folder(tmp_path):
    (tmp_path / "utredning.md").write_text(f"---\ntyp: utredning\ndatum: 2026-03-20\n---\n{BACKGROUND}\n",
                                           encoding="utf-8")
    plan = tmp_path / "genomforandeplan.md"
    plan.write_text(f"---\ntyp: genomförandeplan\ndatum: 2026-04-08\n---\n{BACKGROUND}\n", encoding="utf-8")
    (tmp_path / "tom.md").write_text("", encoding="utf-8")
    alone = json.loads(run("check", str(plan), "--select", "DL403", "--format", "json").stdout)
    assert alone["findings"] == []
    for fmt in ("json", "text"):
        result = run("check", str(plan), "--select", "DL403", "--format", fmt, "--case-folder")
        assert result.exit_code == 1
        if fmt == "json":
            data = json.loads(result.stdout)
            assert [(f["path"], f["line"], f["related"][0]["path"]) for f in data["findings"]] == \
                [(str(plan), 5, str(tmp_path / "utredning.md"))]
            assert data["errors"] == []
        assert "tom.md" not in result.stderr  # the rest of the folder is only compared, not reported


def test_an_empty_file_is_skipped_and_the_run_exits_by_its_findings(tmp_path):
    (tmp_path / "tom.txt").write_text("  \n", encoding="utf-8")
    (tmp_path / "bra.txt").write_text("Lisa berättar att hon trivs i skolan.\n", encoding="utf-8")
    result = run("check", str(tmp_path))
    assert result.exit_code == 0
    assert f"doclint: {tmp_path}/tom.txt: filen är tom – hoppade över den." in result.stderr
    assert "Inga anmärkningar." in result.stdout
    (tmp_path / "dalig.txt").write_text("Pappan skall ringa.\n", encoding="utf-8")
    assert run("check", str(tmp_path)).exit_code == 1
    assert run("check", str(tmp_path), "--format", "json").exit_code == 1
    (tmp_path / "trasig.txt").write_bytes(b"\x00\x01\x02")
    assert run("check", str(tmp_path)).exit_code == 2  # a real error still gives 2
    only_empty = run("check", str(tmp_path / "tom.txt"))
    assert only_empty.exit_code == 0 and "Ingen text kunde granskas." in only_empty.stdout
