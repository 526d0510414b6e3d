"""Configuration, baselines, stats and init: the municipal and workshop workflows."""

import json
import textwrap

import pytest
from typer.testing import CliRunner

from doclint.cli import app

runner = CliRunner()
LONG = "Mamman " + "och pappan " * 12 + "kom till mötet på tisdagen.\n"  # 30 words, 1 long


def run(*args, cwd=None):
    return runner.invoke(app, list(args))


def findings(result):
    return json.loads(result.stdout)["findings"]


@pytest.fixture
def case(tmp_path):
    folder = tmp_path / "akt"
    folder.mkdir()
    note = folder / "anteckning.txt"
    note.write_text(LONG, encoding="utf-8")
    return tmp_path, note


def test_config_changes_thresholds_and_severity(case):
    root, note = case
    # 25 words of subject before the main verb: long and hard to follow
    assert [f["severity"] for f in findings(run("check", str(note), "-f", "json", "--select", "DL101"))] == ["warning"]
    (root / ".doclint.yaml").write_text(textwrap.dedent("""\
        rules:
          DL101:
            structure: {above: 40}
            levels:
              - {above: 30, severity: warning}
        """), encoding="utf-8")
    assert findings(run("check", str(note), "-f", "json", "--select", "DL101")) == []
    (root / ".doclint.yaml").write_text("severity:\n  DL101: error\n", encoding="utf-8")
    assert [f["severity"] for f in findings(run("check", str(note), "-f", "json", "--select", "DL101"))] == ["error"]


def test_config_ignore_family_and_pyproject(case):
    root, note = case
    (root / "pyproject.toml").write_text('[tool.doclint]\nignore = ["verbosity"]\n', encoding="utf-8")
    result = run("check", str(note), "-f", "json")
    assert all(f["family"] != "verbosity" for f in findings(result))


def test_nearest_config_wins(case):
    root, note = case
    (root / ".doclint.yaml").write_text("ignore: [DL101]\n", encoding="utf-8")
    (note.parent / ".doclint.yaml").write_text("select: [DL101]\n", encoding="utf-8")
    assert [f["rule"] for f in findings(run("check", str(note), "-f", "json"))] == ["DL101"]


@pytest.mark.parametrize("content, line, words", [
    ("select: [DL101]\nseverity:\n  DL101: loud\n", 3, "severity.DL101"),
    ("colour: red\n", 1, "okänt fält 'colour'"),
    ("ignore: [DL101]\nselect: [no-such-rule]\n", 2, "okänd regel"),
    ("rules:\n  DL101:\n    levels: 5\n", 3, "levels"),
    ("rules: [unclosed\n", 2, "ogiltig YAML"),
])
def test_bad_config_is_file_line_and_exit_2(case, content, line, words):
    root, note = case
    config = root / ".doclint.yaml"
    config.write_text(content, encoding="utf-8")
    result = run("check", str(note))
    assert result.exit_code == 2
    assert result.stderr.startswith(f"doclint: {config}:{line}:"), result.stderr
    assert words in result.stderr


def test_config_maps_globs_to_document_types(tmp_path):
    (tmp_path / ".doclint.yaml").write_text('doc_types:\n  "planer/*": vårdplan\n', encoding="utf-8")
    (tmp_path / "planer").mkdir()
    plan = tmp_path / "planer" / "omar.txt"
    plan.write_text("Omar ska gå i skolan.\n", encoding="utf-8")
    data = json.loads(run("stats", str(plan), "-f", "json").stdout)
    assert data["files"][0]["doc_type"] == "vårdplan"


def test_config_glossary_and_accepted_abbreviations(tmp_path):
    note = tmp_path / "n.txt"
    note.write_text("Lisa har kontakt med KAE och LVU nämndes.\n", encoding="utf-8")
    before = {f["text"] for f in findings(run("check", str(note), "-f", "json", "--select", "jargon"))}
    assert {"KAE", "LVU"} <= before
    (tmp_path / ".doclint.yaml").write_text("abbreviations: [LVU]\nglossary:\n  KAE: kommunens arbetsmarknadsenhet\n",
                                            encoding="utf-8")
    after = findings(run("check", str(note), "-f", "json", "--select", "jargon"))
    assert {f["text"] for f in after} == {"KAE"}
    kae = next(f for f in after if f["text"] == "KAE")
    assert kae["suggestions"] == ["kommunens arbetsmarknadsenhet (KAE)"]


def test_baseline_hides_accepted_findings_and_survives_edits(case):
    root, note = case
    baseline = root / "baslinje.json"
    assert run("check", str(note), "--select", "DL101", "--write-baseline", str(baseline)).exit_code == 0
    assert "Mamman" not in baseline.read_text(encoding="utf-8")  # no note text in the baseline
    assert findings(run("check", str(note), "-f", "json", "--select", "DL101", "--baseline", str(baseline))) == []
    # Edit elsewhere: a new short first line moves the old finding to line 2; it stays accepted.
    note.write_text("Ny rad först.\n" + LONG + "Pappan " + "och mamman " * 12 + "ringde på fredagen.\n",
                    encoding="utf-8")
    new = findings(run("check", str(note), "-f", "json", "--select", "DL101", "--baseline", str(baseline)))
    assert [f["line"] for f in new] == [3]


def test_init_writes_commented_starter_once(tmp_path):
    assert run("init", str(tmp_path)).exit_code == 0
    text = (tmp_path / ".doclint.yaml").read_text(encoding="utf-8")
    assert text.startswith("# doclint")
    assert run("init", str(tmp_path)).exit_code == 2


def test_stats_json_and_compare(tmp_path):
    before = tmp_path / "fore.txt"
    after = tmp_path / "efter.txt"
    before.write_text(LONG * 3, encoding="utf-8")
    after.write_text("Mamman och pappan kom till mötet.\n", encoding="utf-8")
    data = json.loads(run("stats", str(before), str(after), "-f", "json").stdout)
    assert [round(d["lix"], 1) for d in data["files"]] == [33.3, 6.0]
    assert data["files"][0]["longest_sentence_words"] == 30
    compared = run("stats", "--compare", str(before), str(after))
    assert compared.exit_code == 0
    lix_row = next(line for line in compared.stdout.splitlines() if line.lstrip().startswith("LIX"))
    assert lix_row.split()[1:] == ["33,3", "6,0", "–"]  # a 6-word text: no LIX change is shown
    assert "minst 200 ord" in compared.stdout
    long_after = tmp_path / "efter-lang.txt"
    long_after.write_text("Mamman och pappan kom till mötet. Noah var med.\n" * 30, encoding="utf-8")
    long_before = tmp_path / "fore-lang.txt"
    long_before.write_text(LONG * 8, encoding="utf-8")
    compared = run("stats", "--compare", str(long_before), str(long_after))
    lix_row = next(line for line in compared.stdout.splitlines() if line.lstrip().startswith("LIX"))
    assert lix_row.split()[1:] == ["33,3", "4,5", "-28,8"] and "minst 200 ord" not in compared.stdout


def test_parallel_run_gives_the_same_findings(tmp_path):
    for i in range(6):
        folder = tmp_path / f"akt{i % 2}"
        folder.mkdir(exist_ok=True)
        (folder / f"n{i}.txt").write_text(LONG + f"Mamman var slarvig under vecka {i}.\n", encoding="utf-8")
    one = json.loads(run("check", str(tmp_path), "-f", "json", "--jobs", "1").stdout)["findings"]
    two = json.loads(run("check", str(tmp_path), "-f", "json", "--jobs", "2").stdout)["findings"]
    assert one == two and len(one) >= 12


def test_config_tunes_sentence_structure_per_document_type(case):
    root, note = case
    hard = ("Om mamman och pappan inte kommer överens om var barnen ska bo under sommaren och någon av dem "
            "ändå vill flytta ska socialnämnden ta ställning till om en utredning behövs.\n")
    note.write_text(hard, encoding="utf-8")
    assert [f["severity"] for f in findings(run("check", str(note), "-f", "json", "--select", "DL101"))] == ["warning"]
    (root / ".doclint.yaml").write_text(textwrap.dedent("""\
        doc_types:
          "akt/*": journalanteckning
        rules:
          DL101:
            structure:
              above: 25
              before_main_verb: 30
              by_doc_type:
                journalanteckning: {above: 40}
        """), encoding="utf-8")
    assert [f["severity"] for f in findings(run("check", str(note), "-f", "json", "--select", "DL101"))] == ["info"]
