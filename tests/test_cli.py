"""The command line: exit codes, output formats, errors and start-up."""

import json
import subprocess
import sys
from importlib import resources

import jsonschema
import pytest
from typer.testing import CliRunner

from doclint.cli import app

runner = CliRunner()
NOTE = "# Journalanteckning\n\nMamman är slarvig och kommer för sent.\nHon berättar att hon har ont i ryggen.\n"


def run(*args, input=None):
    return runner.invoke(app, list(args), input=input)


@pytest.fixture
def note(tmp_path):
    path = tmp_path / "anteckning.txt"
    path.write_text(NOTE, encoding="utf-8")
    return path


def test_json_output_matches_documented_schema(note):
    result = run("check", str(note), "--format", "json", "--select", "DL101,judgement")
    data = json.loads(result.stdout)
    schema = json.loads(resources.files("doclint").joinpath("schemas/findings.schema.json").read_text("utf-8"))
    jsonschema.validate(data, schema)
    assert result.exit_code in (0, 1)


def test_finding_line_and_column_are_exact(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text("Rad ett.\n\n" + "ord " * 30 + "slut.\n", encoding="utf-8")
    result = run("check", str(path), "--format", "json", "--select", "DL101")
    findings = json.loads(result.stdout)["findings"]
    assert [(f["line"], f["column"], f["end_line"], f["end_column"]) for f in findings] == [(3, 1, 3, 126)]
    assert findings[0]["severity"] == "info"  # long but plain: no clauses, nothing before the verb
    assert result.exit_code == 0


def test_text_output_underlines_span_and_summarises(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text("ord " * 22 + "slut.\n", encoding="utf-8")
    result = run("check", str(path), "--select", "DL101")
    lines = result.stdout.splitlines()
    assert lines[0].startswith(f"{path}:1:1  info")
    assert "DL101 Lång mening" in lines[0]
    assert lines[2].strip().startswith("│ ^^^^")
    assert "verbosity" in result.stdout
    assert result.exit_code == 0  # info is below the default fail level


def test_fail_level_controls_exit_code(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text("ord " * 22 + "slut.\n", encoding="utf-8")
    assert run("check", str(path), "--select", "DL101", "--fail-level", "info").exit_code == 1
    assert run("check", str(path), "--select", "DL101", "--fail-level", "error").exit_code == 0


def test_clean_text_exits_zero(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text("Lisa berättar att hon trivs i skolan.\n", encoding="utf-8")
    result = run("check", str(path), "--select", "DL101")
    assert result.exit_code == 0
    assert "Inga anmärkningar" in result.stdout


def test_stdin_is_read(tmp_path):
    result = run("check", "-", "--format", "json", "--select", "DL101", input="ord " * 30 + "slut.")
    assert json.loads(result.stdout)["findings"][0]["path"] == "-"


@pytest.mark.parametrize("content, words", [
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binär"),
])
def test_bad_input_is_one_line_and_exit_2(tmp_path, content, words):
    bad = tmp_path / "bad.txt"
    bad.write_bytes(content)
    good = tmp_path / "good.txt"
    good.write_text("Lisa berättar att hon trivs.\n", encoding="utf-8")
    result = run("check", str(bad), str(good), "--format", "json")
    assert result.exit_code == 2
    data = json.loads(result.stdout)
    assert len(data["errors"]) == 1 and words in data["errors"][0] and "\n" not in data["errors"][0]
    assert bad.read_bytes() == content  # input never modified


def test_missing_file_exit_2():
    result = run("check", "finns-inte.txt")
    assert result.exit_code == 2
    assert "finns inte" in result.stderr


def test_invalid_user_rule_gives_file_line_and_exit_2(tmp_path, note):
    pack = tmp_path / "regler"
    pack.mkdir()
    (pack / "egen.yaml").write_text("rules:\n  - id: DL900\n    name: x\n    family: nope\n", encoding="utf-8")
    result = run("check", str(note), "--rules", str(pack))
    assert result.exit_code == 2
    assert f"{pack / 'egen.yaml'}:" in result.stderr
    assert "Traceback" not in result.stdout + result.stderr


def user_pack(tmp_path, family: str, terms: str, examples: str):
    """A one-rule user pack DL900 in tmp_path/regler; returns the directory."""
    pack = tmp_path / "regler"
    pack.mkdir(exist_ok=True)
    (pack / "egen.yaml").write_text(f"""rules:
  - id: DL900
    name: user-rule
    family: {family}
    severity: warning
    type: existence
    terms: {terms}
    message: "Beskriv i stället."
    why: "w"
    source: "s"
    examples: {examples}
""", encoding="utf-8")
    return pack


def test_catastrophic_regex_in_user_rule_exit_2(tmp_path):
    pack = user_pack(tmp_path, "verbosity", "['re:(\\w+\\s?)*\\d']", '{fail: ["x1"], pass: ["y"]}')
    note = tmp_path / "n.txt"
    note.write_text("ord " * 3000 + "!", encoding="utf-8")
    result = run("check", str(note), "--rules", str(pack), "--select", "DL900")
    assert result.exit_code == 2
    assert "DL900" in result.stderr and "för lång tid" in result.stderr


def test_rules_and_explain(tmp_path):
    listed = run("rules", "--format", "json")
    ids = [r["id"] for r in json.loads(listed.stdout)]
    assert "DL101" in ids and ids == sorted(set(ids), key=ids.index)
    explained = run("explain", "DL101")
    assert explained.exit_code == 0
    assert "Varför" in explained.stdout and "Källa" in explained.stdout
    assert run("explain", "DL000").exit_code == 2


def test_rules_test_runs_user_pack_examples(tmp_path):
    pack = user_pack(tmp_path, "judgement", "[slarvig]",
                     '{fail: ["Hon är slarvig."], pass: ["Hon är sen.", "Hon kom för sent."]}')
    ok = run("rules", "--test", str(pack))
    assert ok.exit_code == 0 and "3 passed, 0 failed" in ok.stdout
    text = (pack / "egen.yaml").read_text(encoding="utf-8").replace('"Hon är sen."', '"Hon är slarvig igen."')
    (pack / "egen.yaml").write_text(text, encoding="utf-8")
    bad = run("rules", "--test", str(pack))
    assert bad.exit_code == 1 and "2 passed, 1 failed" in bad.stdout


def test_analyze_json_offsets(tmp_path):
    path = tmp_path / "a.txt"
    text = "Hon kom bl.a. hit. ”Jag vill hem”, säger Lisa."
    path.write_text(text, encoding="utf-8")
    data = json.loads(run("analyze", str(path), "--format", "json").stdout)
    assert [s["text"] for s in data["sentences"]] == ["Hon kom bl.a. hit.", "”Jag vill hem”, säger Lisa."]
    for t in data["tokens"]:
        assert text[t["start"]:t["end"]] == t["text"]
    assert next(t for t in data["tokens"] if t["text"] == "vill")["in_quote"] is True
    assert next(t for t in data["tokens"] if t["text"] == "kom")["lemma"] == "komma"


@pytest.mark.parametrize("args", [["--help"], ["rules"], ["explain", "DL101"]])
def test_help_rules_and_explain_do_not_import_spacy(args):
    code = ("import sys; from doclint.cli import app\n"
            "try:\n    app(%r)\nexcept SystemExit:\n    pass\n"
            "print('SPACY' if 'spacy' in sys.modules else 'NOSPACY')") % (args,)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip().endswith("NOSPACY")


def test_unknown_pipeline_message_exit_2(note):
    result = run("check", str(note), "--pipeline", "sv_no_such_model")
    assert result.exit_code == 2
    assert "python -m spacy download sv_no_such_model" in result.stderr


@pytest.mark.parametrize("encoding, bom", [("cp1252", b""), ("utf-16-le", b"\xff\xfe"), ("utf-8", b"\xef\xbb\xbf")])
def test_exports_from_case_systems_keep_text_and_positions(tmp_path, encoding, bom):
    text = "Anteckning för Åsa.\r\nMamman är slarvig och kommer för sent till mötena på förskolan.\r\n"
    path = tmp_path / "export.txt"
    path.write_bytes(bom + text.encode(encoding))
    findings = json.loads(run("check", str(path), "-f", "json", "--select", "DL201").stdout)["findings"]
    assert [(f["line"], f["column"], f["text"]) for f in findings] == [(2, 8, "är slarvig")]


def test_directory_without_texts_says_so(tmp_path):
    (tmp_path / "bild.png").write_bytes(b"\x89PNG")
    result = run("check", str(tmp_path))
    assert result.exit_code == 0
    assert "hittade inga texter" in result.stderr


def test_explain_a_family_lists_its_rules():
    result = run("explain", "voice")
    assert result.exit_code == 0
    assert "barnets röst" in result.stdout and "DL601" in result.stdout


def test_docx_is_checked_with_lines_of_its_text(tmp_path):
    import docx

    document = docx.Document()
    document.add_heading("Journalanteckning", level=1)
    document.add_paragraph("Mamman kom till mötet.")
    document.add_paragraph("Hon kunde ej stanna länge.")
    path = tmp_path / "anteckning.docx"
    document.save(path)
    findings = json.loads(run("check", str(path), "-f", "json", "--select", "DL303").stdout)["findings"]
    assert [(f["line"], f["column"], f["text"]) for f in findings] == [(5, 11, "ej")]


def test_stdin_filename_names_the_text_and_sets_its_type(tmp_path):
    plan = "# Plan för Omar\n\n## Insatser\n\nOmar får en kontaktperson.\n"
    result = run("check", "-", "-f", "json", "--stdin-filename", str(tmp_path / "vardplan-omar.md"),
                 "--select", "DL501", input=plan)
    findings = json.loads(result.stdout)["findings"]
    assert findings and {f["path"] for f in findings} == {str(tmp_path / "vardplan-omar.md")}
    assert run("check", "-", "-f", "json", "--select", "DL501", input=plan).stdout.count('"DL501"') == 0


def test_pattern_spacy_refuses_is_file_line_and_exit_2(tmp_path, note):
    pack = tmp_path / "regler"
    pack.mkdir()
    (pack / "egen.yaml").write_text("""rules:
  - id: DL900
    name: bad-pattern
    family: judgement
    severity: warning
    type: pattern
    patterns: [[{LEMMA: {FOO: 1}}]]
    message: "m"
    why: "w"
    source: "s"
    examples: {fail: ["x"], pass: ["y"]}
""", encoding="utf-8")
    for args in (["check", str(note), "--rules", str(pack)], ["rules", "--test", str(pack)]):
        result = run(*args)
        assert result.exit_code == 2, args
        assert result.stderr.startswith(f"doclint: {pack / 'egen.yaml'}:2: regeln DL900 kan inte användas")
        assert len(result.stderr.strip().splitlines()) == 1


def test_text_format_reports_bad_files_on_stderr_and_checks_the_rest(tmp_path):
    bad = tmp_path / "a.txt"
    bad.write_bytes(b"\x00\x01")
    good = tmp_path / "b.txt"
    good.write_text("Mamman är slarvig.\n", encoding="utf-8")
    result = run("check", str(bad), str(good))
    assert result.exit_code == 2
    assert result.stderr.strip().startswith(f"doclint: {bad}: filen är binär")
    assert "DL201" in result.stdout


def test_reports_never_overwrite_a_note(tmp_path):
    note = tmp_path / "anteckning.md"
    note.write_text("Mamman är slarvig.\n", encoding="utf-8")
    for option in ("--output", "--write-baseline"):
        result = run("check", str(note), "-f", "json", option, str(note))
        assert result.exit_code == 2 and "skriver aldrig över texter" in result.stderr
    assert note.read_text(encoding="utf-8") == "Mamman är slarvig.\n"


def test_a_missing_file_does_not_stop_the_others(tmp_path):
    good = tmp_path / "ok.md"
    good.write_text("Mamman är slarvig.\n", encoding="utf-8")
    result = run("check", str(tmp_path / "saknas.md"), str(good))
    assert result.exit_code == 2
    assert "finns inte" in result.stderr and "DL201" in result.stdout


def test_unknown_rule_in_select_is_an_error():
    result = run("check", "-", "--select", "DL2O1", input="Text.")
    assert result.exit_code == 2 and "okänd regel eller område 'DL2O1'" in result.stderr


def test_control_characters_in_a_note_do_not_reach_the_terminal(tmp_path):
    note = tmp_path / "n.txt"
    note.write_text("Mamman \x1b[2J är slarvig.\n", encoding="utf-8")
    result = run("check", str(note))
    assert "\x1b" not in result.stdout and "\ufffd" in result.stdout


def test_stats_reports_every_bad_file_and_still_shows_the_rest(tmp_path):
    good = tmp_path / "ok.md"
    good.write_text("Mamman kom till mötet.\n", encoding="utf-8")
    empty = tmp_path / "tom.txt"
    empty.write_bytes(b"\x00\x01")
    result = run("stats", str(good), str(empty), "-f", "json")
    assert result.exit_code == 2 and "tom.txt" in result.stderr
    assert [d["path"] for d in json.loads(result.stdout)["files"]] == [str(good)]
    assert run("stats", "--compare", str(tmp_path), str(good)).exit_code == 2


def test_command_line_freezes_what_it_loaded_and_collects_again(note, monkeypatch):
    """main() loads without garbage collection and then freezes what it loaded (and the trained model
    when it comes); collection is on again for the checking, also when no engine was built."""
    import gc

    from doclint import cli, nlp

    monkeypatch.setattr(cli, "_ONE_COMMAND", True)
    monkeypatch.setattr(nlp, "after_model_load", None)
    (note.parent / "tom").mkdir()
    try:
        for target in (note, note.parent / "tom"):
            monkeypatch.setattr(cli, "_frozen", False)
            assert run("check", "--pipeline", "blank", str(target)).exit_code in (0, 1)
            assert gc.isenabled() and gc.get_freeze_count() > 0
            assert nlp.after_model_load is gc.freeze
            gc.unfreeze()
    finally:
        gc.enable()
        gc.unfreeze()


def test_typer_rich_utils_is_imported_only_for_help_and_errors_and_then_in_swedish(note):
    """typer.rich_utils costs the start of every check 20 ms: it is imported (and given its Swedish texts)
    only when help or a usage error is printed."""
    code = ("import sys; from doclint.cli import app\n"
            "try:\n    app(sys.argv[1:])\nexcept SystemExit:\n    pass\n"
            "print('RICH_UTILS' if 'typer.rich_utils' in sys.modules else 'NO_RICH_UTILS', file=sys.stderr)")

    def fresh(*args):
        return subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True)

    checked = fresh("check", "--pipeline", "blank", str(note))
    assert checked.stderr.strip().endswith("NO_RICH_UTILS")
    shown = fresh("check", "--help")
    assert "Användning:" in shown.stdout and "─ Val ─" in shown.stdout and "Options" not in shown.stdout
    wrong = fresh("check", str(note), "--nope")
    assert wrong.stderr.startswith("doclint: okänt val --nope") and "Usage" not in wrong.stderr
