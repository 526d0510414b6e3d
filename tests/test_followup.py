"""doclint report: the follow-up report from jsonl results or shards, in headless Chromium."""

import csv
import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from doclint.cli import app

pytest.importorskip("matplotlib")
ROOT = Path(__file__).resolve().parents[1]
runner = CliRunner()
CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")


@pytest.fixture
def results(tmp_path):
    archive = tmp_path / "arkiv" / "enhet-a"
    shutil.copytree(ROOT / "corpora" / "akt-lisa", archive / "akt-1")
    shutil.copytree(ROOT / "corpora" / "fore", tmp_path / "arkiv" / "enhet-b" / "akt-2")
    out = tmp_path / "resultat.jsonl"
    run = runner.invoke(app, ["check", str(tmp_path / "arkiv"), "--format", "jsonl", "--output", str(out)])
    assert run.exit_code == 1, run.output
    return out


def _records(path):
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_report_counts_per_family_type_unit_and_month_and_writes_csv(results, tmp_path):
    page, csv_dir = tmp_path / "uppfoljning.html", tmp_path / "csv"
    run = runner.invoke(app, ["report", str(results), "--output", str(page), "--csv", str(csv_dir)])
    assert run.exit_code == 0, run.output
    records = _records(results)
    docs = [r for r in records if r["type"] == "document"]
    findings = [r for r in records if r["type"] == "finding"]
    words = sum(d["words"] for d in docs)
    with open(csv_dir / "omraden.csv", encoding="utf-8") as fh:
        rows = {r["område"]: r for r in csv.DictReader(fh)}
    judged = sum(1 for f in findings if f["family"] == "judgement")
    assert int(rows["judgement"]["anmärkningar"]) == judged
    assert float(rows["judgement"]["per 1000 ord"]) == round(1000 * judged / words, 2)
    with open(csv_dir / "enheter.csv", encoding="utf-8") as fh:
        units = {Path(r["enhet"]).name: r for r in csv.DictReader(fh)}
    assert set(units) == {"enhet-a", "enhet-b"} and int(units["enhet-a"]["dokument"]) == 4
    with open(csv_dir / "manader.csv", encoding="utf-8") as fh:
        months = [r["månad"] for r in csv.DictReader(fh)]
    assert "2026-03" in months and months == sorted(months)
    with open(csv_dir / "meningslangd.csv", encoding="utf-8") as fh:
        assert sum(int(r["meningar"]) for r in csv.DictReader(fh)) == sum(d["sentences"] for d in docs)
    html = page.read_text(encoding="utf-8")
    # no text from the notes: not one flagged passage is in the page
    assert not [f["text"] for f in findings if len(f["text"]) >= 6 and f["text"] in html]
    assert "<script" not in html and "http://" not in html.replace("http://www.w3.org", "")


def test_report_reads_a_folder_of_shards_and_shows_words_only_when_asked(results, tmp_path):
    shards = tmp_path / "delar"
    shards.mkdir()
    lines = results.read_text(encoding="utf-8").splitlines(keepends=True)
    half = len(lines) // 2
    (shards / "shard-00000-a.jsonl").write_text("".join(lines[:half]), encoding="utf-8")
    (shards / "shard-00001-b.jsonl").write_text("".join(lines[half:]), encoding="utf-8")
    one, two = tmp_path / "en.html", tmp_path / "tva.html"
    assert runner.invoke(app, ["report", str(results), "--output", str(one)]).exit_code == 0
    assert runner.invoke(app, ["report", str(shards), "--output", str(two), "--show-words"]).exit_code == 0
    assert 'id="k-anmarkningar"' in two.read_text(encoding="utf-8")
    key = 'id="k-anmarkningar">'
    count = lambda p: p.read_text(encoding="utf-8").split(key)[1].split("<")[0]  # noqa: E731
    assert count(one) == count(two)
    assert 'id="s-ord"' in two.read_text(encoding="utf-8") and 'id="s-ord"' not in one.read_text(encoding="utf-8")


def test_report_bad_input_is_one_swedish_line(tmp_path):
    bad = tmp_path / "fel.jsonl"
    bad.write_text("inte json\n", encoding="utf-8")
    run = runner.invoke(app, ["report", str(bad), "--output", str(tmp_path / "u.html")])
    assert run.exit_code == 2 and "fel.jsonl:1:" in run.output and "Traceback" not in run.output
    assert not (tmp_path / "u.html").exists()


@pytest.fixture
def browser(tmp_path):
    webdriver = pytest.importorskip("selenium.webdriver", reason="selenium is not installed (pip install selenium)")
    if not CHROMIUM.exists() or not CHROMEDRIVER.exists():
        pytest.skip("Chromium is not installed (apt-get install chromium chromium-driver)")
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--no-first-run", f"--user-data-dir={tmp_path / 'chromium-profile'}", "--window-size=1400,1000",
                "--lang=sv-SE"):
        options.add_argument(arg)
    options.binary_location = str(CHROMIUM)
    driver = webdriver.Chrome(service=Service(executable_path=str(CHROMEDRIVER)), options=options)
    driver.set_page_load_timeout(30)
    try:
        yield driver
    finally:
        driver.quit()


def test_report_in_headless_chromium(browser, results, tmp_path):
    page = tmp_path / "uppfoljning.html"
    assert runner.invoke(app, ["report", str(results), "--output", str(page)]).exit_code == 0
    browser.get(page.as_uri())
    assert browser.title == "doclint – uppföljning"
    assert browser.execute_script("return document.documentElement.lang") == "sv"
    assert browser.execute_script("return document.scripts.length") == 0
    # every plot is an inline SVG that the browser laid out, beside a table with numbers
    sizes = browser.execute_script(
        "return [...document.querySelectorAll('.plot svg')].map(s => s.getBoundingClientRect().width)")
    assert len(sizes) >= 7 and all(w > 200 for w in sizes)
    sections = browser.execute_script("return [...document.querySelectorAll('section')].map(s => s.id)")
    for name in ("s-omraden", "s-dokumenttyper", "s-enheter", "s-akter", "s-manader", "s-lix",
                 "s-meningslangd", "s-regler"):
        assert name in sections
    assert "s-ord" not in sections  # no words from the notes unless asked for
    # nothing is fetched from outside the file
    resources = browser.execute_script("return performance.getEntriesByType('resource').map(r => r.name)")
    assert all(r.startswith(("file:", "data:")) for r in resources)
    link = browser.find_element("css selector", "#s-omraden a.csv")
    assert link.get_attribute("download") == "omraden.csv"
    text = browser.execute_script("const b = atob(arguments[0].href.split(',')[1]);"
                                  "return new TextDecoder().decode(Uint8Array.from(b, c => c.charCodeAt(0)))", link)
    assert text.splitlines()[0] == "område,beskrivning,anmärkningar,per 1000 ord"
    browser.save_screenshot(str(tmp_path / "uppfoljning.png"))
    assert (tmp_path / "uppfoljning.png").stat().st_size > 5000
