"""Archives: one case folder at a time, streamed output, and the same results as a run in memory."""

import json
import shutil
from pathlib import Path

from typer.testing import CliRunner

from doclint.cli import app, run_check
from doclint.reporters import render

ROOT = Path(__file__).resolve().parents[1]
runner = CliRunner()


def run(*args):
    return runner.invoke(app, list(args))


def _archive(tmp_path) -> Path:
    """Two case folders: Lisa's (with copies between documents) and one made of 'före' notes."""
    archive = tmp_path / "arkiv"
    shutil.copytree(ROOT / "corpora" / "akt-lisa", archive / "akt-1")
    (archive / "akt-2").mkdir()
    for name in ("01-journalanteckning-hembesok.md", "06-vardplan.md"):
        shutil.copyfile(ROOT / "corpora" / "fore" / name, archive / "akt-2" / name)
    (archive / "akt-2" / "tom.txt").write_bytes(b"\x00\x01")
    return archive


def test_jsonl_has_documents_findings_errors_and_a_summary_last(tmp_path):
    archive = _archive(tmp_path)
    result = run("check", str(archive), "--format", "jsonl")
    assert result.exit_code == 2  # the binary file is an input error
    records = [json.loads(line) for line in result.stdout.splitlines()]
    kinds = [r["type"] for r in records]
    assert kinds[-1] == "summary" and kinds.count("summary") == 1
    docs = [r for r in records if r["type"] == "document"]
    assert len(docs) == 6
    lisa = next(d for d in docs if d["path"].endswith("akt-1/genomforandeplan.md"))
    assert lisa["folder"].endswith("akt-1") and lisa["doc_type"] == "genomförandeplan"
    assert lisa["date"] == "2026-04-08"
    assert lisa["words"] == sum(lisa["sentence_lengths"]) and lisa["sentences"] == len(lisa["sentence_lengths"])
    assert lisa["lix"] > 0 and "text" not in lisa
    errors = [r for r in records if r["type"] == "error"]
    assert [e["path"] for e in errors] == [str(archive / "akt-2" / "tom.txt")]
    findings = [r for r in records if r["type"] == "finding"]
    assert records[-1]["total"] == len(findings) and records[-1]["documents"] == 6
    # Copies between the documents of a case folder are found (DL403/DL404) and point at the other file.
    copies = [f for f in findings if f["rule"] in ("DL403", "DL404")]
    assert copies and all(Path(f["related"][0]["path"]).parent == Path(f["path"]).parent for f in copies)
    # Folder by folder: every akt-1 record comes before every akt-2 record.
    folders = [Path(r["path"]).parent.name for r in records if r["type"] in ("finding", "document")]
    assert folders == sorted(folders)


def test_streamed_json_is_exactly_what_the_in_memory_report_gives(tmp_path):
    archive = _archive(tmp_path)
    (archive / "akt-2" / "tom.txt").unlink()
    streamed = run("check", str(archive), "--format", "json").stdout
    whole = run_check([str(archive)])
    expected = render("json", whole.findings, skipped=whole.skipped, errors=[], rules=whole.rules)
    assert json.loads(streamed) == json.loads(expected)
    assert streamed == expected + "\n"


def test_streamed_sarif_has_the_same_log_as_the_in_memory_report(tmp_path):
    archive = _archive(tmp_path)
    streamed = json.loads(run("check", str(archive), "--format", "sarif").stdout)
    whole = run_check([str(archive)])
    errors = [r.error for r in whole.results if r.error]
    expected = json.loads(render("sarif", whole.findings, skipped=whole.skipped, errors=errors, rules=whole.rules))
    assert streamed == expected


def test_report_file_appears_whole_and_no_temporary_file_is_left(tmp_path):
    archive = _archive(tmp_path)
    target = tmp_path / "resultat.jsonl"
    result = run("check", str(archive), "--format", "jsonl", "--output", str(target))
    assert result.exit_code == 2
    lines = target.read_text(encoding="utf-8").splitlines()
    assert json.loads(lines[-1])["type"] == "summary"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["arkiv", "resultat.jsonl"]


def test_text_output_shows_the_source_line_under_each_finding(tmp_path):
    archive = _archive(tmp_path)
    (archive / "akt-2" / "tom.txt").unlink()
    out = run("check", str(archive / "akt-2"), "--select", "DL303").stdout.splitlines()
    first = next(i for i, line in enumerate(out) if " DL303 " in line)
    where = out[first].split()[0]
    path, line, column = where.rsplit(":", 2)
    source = Path(path).read_text(encoding="utf-8").split("\n")[int(line) - 1]
    shown = out[first + 1].split("│", 1)[1].strip().strip("…")
    assert out[first + 1].strip().startswith(f"{line} │") and shown and shown in source
