"""stats --compare with two folders (a före and an efter set), as text, JSON and HTML, and LIX for short texts."""

from __future__ import annotations

import json
import re
from pathlib import Path

from typer.testing import CliRunner

from doclint.checks.metrics import LIX_MIN_WORDS, lix_band
from doclint.cli import app

CORPORA = Path(__file__).resolve().parent.parent / "corpora"


def run(*args):
    return CliRunner().invoke(app, [str(a) for a in args])


def test_folders_are_compared_document_by_document_with_a_total():
    result = run("stats", "--compare", CORPORA / "fore", CORPORA / "efter", "-f", "json", "--pipeline", "blank")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    names = [p["name"] for p in data["pairs"]]
    assert names == sorted(p.name for p in (CORPORA / "fore").iterdir())
    assert data["only_before"] == [] and data["only_after"] == []
    total = data["total"]
    assert total["before"]["words"] == sum(p["before"]["words"] for p in data["pairs"])
    assert sum(total["after"]["findings"].values()) == 0 < sum(total["before"]["findings"].values())
    # the shipped example: the rewrite reads more easily, taken as a whole and in every document long enough
    assert total["after"]["lix"] < total["before"]["lix"]
    for pair in data["pairs"]:
        if min(pair["before"]["words"], pair["after"]["words"]) >= LIX_MIN_WORDS:
            assert pair["after"]["lix"] <= pair["before"]["lix"], pair["name"]


def test_text_table_shows_before_and_after_and_no_lix_change_for_short_texts():
    result = run("stats", "--compare", CORPORA / "fore", CORPORA / "efter", "--pipeline", "blank")
    assert result.exit_code == 0, result.output
    out = result.stdout
    total_row = next(line for line in out.splitlines() if line.lstrip().startswith("Totalt"))
    assert re.search(r"[1-9]\d* → 0\s*$", total_row)  # all findings gone after the rewrite
    row = next(line for line in out.splitlines() if line.lstrip().startswith("02-"))
    assert re.search(r"163 → 121 .* 8,6\s+–\s+26 → 0", row)  # 121 words after: too short for a LIX comparison
    assert f"minst {LIX_MIN_WORDS} ord" in out
    assert "Anmärkningar per område" in out


def test_folder_comparison_as_a_self_contained_html_page(tmp_path):
    out = tmp_path / "jamforelse.html"
    result = run("stats", "--compare", CORPORA / "fore", CORPORA / "efter", "-f", "html", "-o", out,
                 "--pipeline", "blank")
    assert result.exit_code == 0, result.output
    page = out.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and '<html lang="sv">' in page
    assert "default-src 'none'" in page and "<script" not in page and "src=" not in page
    assert page.count('<tr><td scope="row">') == len(list((CORPORA / "fore").iterdir()))
    total = re.search(r'<tfoot><tr><th scope="row">Totalt</th>(.*?)</tr></tfoot>', page).group(1)
    assert 'class="n better"' in total  # LIX and findings went down
    # numbers only: no sentence of any note is in the page
    note = (CORPORA / "fore" / "02-journalanteckning-skolmote.md").read_text(encoding="utf-8")
    assert "Skolan skall tillse" in note and "Skolan skall tillse" not in page


def test_unmatched_documents_are_named_and_a_file_cannot_be_compared_with_a_folder(tmp_path):
    fore, efter = tmp_path / "fore", tmp_path / "efter"
    fore.mkdir(), efter.mkdir()
    (fore / "a.txt").write_text("Mamman kom hem. Hon var glad.\n", encoding="utf-8")
    (efter / "a.txt").write_text("Mamman kom hem.\n", encoding="utf-8")
    (fore / "b.txt").write_text("Pappan ringde.\n", encoding="utf-8")
    result = run("stats", "--compare", fore, efter, "--pipeline", "blank")
    assert result.exit_code == 0 and "Utan motsvarighet (bara i före): b.txt" in result.stdout
    mixed = run("stats", "--compare", fore / "a.txt", efter, "--pipeline", "blank")
    assert mixed.exit_code == 2 and "inte en fil med en katalog" in mixed.stderr
    html_single = run("stats", fore / "a.txt", "-f", "html", "--pipeline", "blank")
    assert html_single.exit_code == 2 and "--format html" in html_single.stderr


def test_the_output_file_never_replaces_a_note(tmp_path):
    fore, efter = tmp_path / "fore", tmp_path / "efter"
    fore.mkdir(), efter.mkdir()
    (fore / "a.txt").write_text("Mamman kom hem.\n", encoding="utf-8")
    (efter / "a.txt").write_text("Mamman kom.\n", encoding="utf-8")
    result = run("stats", "--compare", fore, efter, "-f", "html", "-o", fore / "a.txt", "--pipeline", "blank")
    assert result.exit_code == 2 and (fore / "a.txt").read_text(encoding="utf-8") == "Mamman kom hem.\n"


def test_lix_band_only_for_texts_long_enough():
    assert lix_band(45.0) == "medelsvår"
    assert lix_band(45.0, words=LIX_MIN_WORDS) == "medelsvår"
    assert lix_band(45.0, words=LIX_MIN_WORDS - 1) == "kort text, ingen nivå"
    result = run("stats", CORPORA / "efter" / "02-journalanteckning-skolmote.md", "-f", "json", "--pipeline", "blank")
    data = json.loads(result.stdout)["files"][0]
    assert data["words"] < LIX_MIN_WORDS and data["lix_band"] == "kort text, ingen nivå" and data["lix"] > 0
