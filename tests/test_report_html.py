"""--format html: a self-contained page with the texts, highlighted findings and explanation cards."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from typer.testing import CliRunner

from doclint.cli import app
from doclint.findings import Finding
from doclint.reporters import render as render_format
from doclint.reporters.html import render
from doclint.rules import FAMILY_NAMES, Rule

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


def make_rule(rule_id="DL201", name="judging-word", family="judgement", severity="warning", link=""):
    return Rule(id=rule_id, name=name, family=family, severity=severity, type="existence",
                message="Värderande ord.", why="Beskriv vad som hände i stället för att värdera.",
                source="Socialstyrelsen, Dokumentation inom socialtjänsten", examples={}, options={}, link=link)


def finding(text, start, end, rule, severity=None, path="a.txt", message=None, suggestions=(), related=()):
    before = text[:start]
    line = before.count("\n") + 1
    column = start - (before.rfind("\n") + 1) + 1
    end_before = text[:end]
    return Finding(path=path, line=line, column=column, end_line=end_before.count("\n") + 1,
                   end_column=end - (end_before.rfind("\n") + 1) + 1, start=start, end=end, rule=rule.id,
                   name=rule.name, family=rule.family, severity=severity or rule.severity,
                   message=message or rule.message, text=text[start:end], suggestions=list(suggestions),
                   related=list(related))


def span(text, word, nth=0):
    start = -1
    for _ in range(nth + 1):
        start = text.index(word, start + 1)
    return start, start + len(word)


class Page(HTMLParser):
    """Checks that tags balance and collects what the tests look at."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, dict]] = []
        self.problems: list[str] = []
        self.tags: list[tuple[str, dict]] = []
        self.mark_text: dict[str, str] = {}   # data-n -> text inside all pieces of that finding
        self.pre_text: list[str] = []          # text of the <pre> blocks, without footnote numbers
        self.ids: list[str] = []
        self.styles: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.tags.append((tag, attrs))
        if "id" in attrs:
            self.ids.append(attrs["id"])
        if tag not in VOID:
            self.stack.append((tag, attrs))

    def handle_startendtag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        if tag not in VOID:
            self.problems.append(f"self-closing <{tag}/>")

    def handle_endtag(self, tag):
        if tag in VOID:
            self.problems.append(f"end tag for void element </{tag}>")
            return
        if not self.stack:
            self.problems.append(f"</{tag}> without an open tag")
        elif self.stack[-1][0] != tag:
            self.problems.append(f"</{tag}> closes <{self.stack[-1][0]}>")
        else:
            self.stack.pop()

    def handle_data(self, data):
        if self.stack and self.stack[-1][0] == "style":
            self.styles.append(data)
        in_footnote = any(t == "sup" and "fn" in a.get("class", "").split() for t, a in self.stack)
        if in_footnote:
            return
        if any(t == "pre" for t, _ in self.stack):
            self.pre_text.append(data)
        for t, a in self.stack:
            if t == "mark" and "data-n" in a:
                self.mark_text[a["data-n"]] = self.mark_text.get(a["data-n"], "") + data


def parse(page: str) -> Page:
    parser = Page()
    parser.feed(page)
    parser.close()
    assert parser.problems == []
    assert [t for t, _ in parser.stack] == [], "unclosed tags"
    return parser


SENTENCE = ("Mamman verkar slarvig och omotiverad och hon kom ej till mötet på skolan trots att "
            "hon hade fått en kallelse i god tid före mötet.")


@pytest.fixture
def overlapping():
    """A sentence finding with word findings inside it, one crossing the sentence end, nested and empty spans."""
    text = "# Anteckning\n\n" + SENTENCE + "\nSlarvig igen.\n"
    long_rule = make_rule("DL101", "long-sentence", "verbosity", "info")
    judge = make_rule("DL201", "judging-word", "judgement", "warning", link="https://www.isof.se/klarsprak")
    ej = make_rule("DL301", "old-negation", "jargon", "error")
    s = text.index(SENTENCE)
    findings = [
        finding(text, s, s + len(SENTENCE), long_rule),
        finding(text, *span(text, "slarvig"), judge, suggestions=["kom inte i tid"]),
        finding(text, *span(text, "omotiverad"), judge),
        finding(text, *span(text, "slarvig och omotiverad"), judge),  # encloses two findings
        finding(text, *span(text, "ej"), ej, suggestions=["inte", "icke"]),
        finding(text, *span(text, "ej"), judge),  # exactly the same span as another finding
        finding(text, span(text, "tid före")[0], span(text, "Slarvig igen")[1], ej),  # crosses the sentence end
        finding(text, span(text, "Slarvig igen")[0], span(text, "Slarvig igen")[0], ej),  # empty span
        finding(text, len(text) - 1, len(text), ej),  # at the very end
    ]
    rules = {r.id: r for r in (long_rule, judge, ej)}
    return text, findings, rules


def test_overlapping_findings_give_well_formed_html(overlapping):
    text, findings, rules = overlapping
    page = render(findings, texts={"a.txt": text}, rules=rules)
    parsed = parse(page)
    assert page.startswith("<!DOCTYPE html>")
    assert '<html lang="sv">' in page and '<meta charset="utf-8">' in page
    # the text is complete and unchanged inside the highlighted block
    assert "".join(parsed.pre_text) == text
    # one mark with class finding and id f-N per finding; all pieces together hold exactly the finding text
    firsts = [a for t, a in parsed.tags if t == "mark" and "finding" in a.get("class", "").split()]
    assert sorted(a["id"] for a in firsts) == sorted(f"f-{n}" for n in range(1, len(findings) + 1))
    numbered = sorted(findings, key=lambda f: (f.start, -f.end, f.rule))
    for n, f in enumerate(numbered, 1):
        assert parsed.mark_text.get(str(n), "") == f.text, (n, f)
        mark = next(a for a in firsts if a["id"] == f"f-{n}")
        assert f"sev-{f.severity}" in mark["class"] and f"fam-{f.family}" in mark["class"]
        assert mark["data-rule"] == f.rule
    # every highlight links to its card, every card exists and links back
    hrefs = [a.get("href") for t, a in parsed.tags if t == "a"]
    for n in range(1, len(findings) + 1):
        assert f"#k-{n}" in hrefs and f"k-{n}" in parsed.ids and f"#f-{n}" in hrefs
    assert len(parsed.ids) == len(set(parsed.ids)), "ids must be unique"
    # the span that crosses the sentence end was split: its later piece has no id of its own
    parts = [a for t, a in parsed.tags if t == "mark" and "finding-part" in a.get("class", "").split()]
    assert parts and all("id" not in a for a in parts)


def test_cards_show_position_severity_rule_explanation_source_and_suggestions(overlapping):
    text, findings, rules = overlapping
    page = render(findings, texts={"a.txt": text}, rules=rules)
    n = 1 + sorted(findings, key=lambda f: (f.start, -f.end, f.rule)).index(findings[4])
    card = re.search(rf'<li class="card[^"]*" id="k-{n}".*?</li>', page, re.S).group(0)
    f = findings[4]
    assert f"rad {f.line}:{f.column}" in card
    assert ">fel<" in card
    assert "DL301 old-negation" in card
    assert "Skriv i stället: <strong>inte</strong> eller <strong>icke</strong>" in card
    assert "Beskriv vad som hände" in card and "Socialstyrelsen, Dokumentation inom socialtjänsten" in card
    judge_card = re.search(r'<li class="card[^"]*" id="k-\d+" data-rule="DL201">.*?</li>', page, re.S).group(0)
    assert 'Källa:</strong> Socialstyrelsen, Dokumentation inom socialtjänsten <a href="https://www.isof.se/' \
           'klarsprak"' in judge_card
    for family in ("verbosity", "judgement", "jargon"):
        assert FAMILY_NAMES[family][1:] in page
    assert "varning" in page and "info" in page


def test_related_locations_link_to_the_other_document():
    first, second = "Pojken mår bra i skolan.\n", "Rad ett.\nPojken mår bra i skolan.\n"
    rule = make_rule("DL401", "duplicate-sentence", "duplication", "info")
    f = finding(second, 9, 33, rule, path="b.txt", related=[{"path": "a.txt", "line": 1, "column": 1}])
    page = render([f], texts={"a.txt": first, "b.txt": second}, rules={rule.id: rule})
    parse(page)
    assert 'Se även: <a href="#d-1-r1">a.txt:1:1</a>' in page
    assert 'id="d-1-r1"' in page


def test_text_path_message_and_suggestion_are_escaped():
    text = 'Hon sa: <script>alert("x")</script> & "citat" \'enkel\' <b>fet</b>\n'
    rule = make_rule(link="javascript:alert(1)")
    rule.why = "Varför <em>inte</em> & så"
    f = finding(text, *span(text, "<script>"), rule, path='<img src=x onerror="y">.txt',
                message='Meddelande med <i>tagg</i> & "citat"', suggestions=["<b>bättre</b>"])
    page = render([f], texts={f.path: text}, rules={rule.id: rule}, errors=["<fel> & fel"],
                  skipped=[(make_rule("DL999", "needs-pos"), ["<pos>"])])
    parsed = parse(page)
    assert "<script" not in page and "<b>" not in page and "<i>" not in page and "<em>" not in page
    assert "&lt;script&gt;</mark>" in page  # the finding's own span
    assert "alert(&quot;x&quot;)&lt;/script&gt; &amp; &quot;citat&quot; &#x27;enkel&#x27; &lt;b&gt;fet&lt;/b&gt;" in page
    assert "&lt;img src=x onerror=&quot;y&quot;&gt;.txt" in page
    assert "&lt;b&gt;bättre&lt;/b&gt;" in page and "&lt;fel&gt; &amp; fel" in page
    assert "".join(parsed.pre_text) == text
    assert not [t for t, _ in parsed.tags if t in ("script", "img", "iframe", "object", "embed", "b", "i")]
    assert 'href="javascript:' not in page  # a link that is not http(s) is shown as text only


def test_every_checked_document_is_shown_even_without_findings():
    rule = make_rule("DL101", "long-sentence", "verbosity", "info")
    texts = {"utan.txt": "Kort och bra.\n", "med.txt": "En mening.\n"}
    f = finding(texts["med.txt"], 0, 10, rule, path="med.txt")
    page = render([f], texts=texts, rules={rule.id: rule})
    parse(page)
    assert page.count('<section class="document"') == 2
    assert "utan.txt" in page and "Kort och bra." in page and "Inga anmärkningar." in page
    assert "1 anmärkning: 1 info" in page


def test_summary_table_has_swedish_family_names_and_counts(overlapping):
    text, findings, rules = overlapping
    page = render(findings, texts={"a.txt": text}, rules=rules, statistics=True)
    table = re.search(r'<table class="summary">.*?</table>', page, re.S).group(0)
    assert "Långt och omständligt" in table and "Värderande och spekulativt språk" in table
    assert "Fackspråk och förkortningar" in table
    assert re.search(r"Fackspråk och förkortningar.*?</th>"
                     r'<td class="n">4</td><td class="n">0</td><td class="n">0</td><td class="n">4</td>', table)
    assert f'<td class="n">{len(findings)}</td></tr></tfoot>' in table
    assert "Antal per regel" in page


def test_errors_and_skipped_rules_are_listed_at_the_end():
    page = render([], texts={"a.txt": "Bra text.\n"}, rules={},
                  errors=["b.txt: filen är tom – det finns ingen text att granska."],
                  skipped=[(make_rule("DL250", "passive-voice"), ["pos", "morph"])])
    parse(page)
    assert page.index("Filer som inte kunde granskas") > page.index("Bra text.")
    assert "b.txt: filen är tom" in page
    assert "Regler som inte kördes" in page and "DL250 passive-voice" in page and "pos, morph" in page


def test_findings_for_a_path_without_text_are_still_listed():
    rule = make_rule()
    f = finding("Hon är slarvig.\n", 7, 14, rule, path="/finns/inte.txt")
    f2 = finding("Hon är slarvig.\n", 7, 14, rule, path="a.txt")
    f2.text = "annat"  # the text changed since the check: do not highlight the wrong words
    page = render([f, f2], texts={"a.txt": "Hon är slarvig.\n"}, rules={rule.id: rule})
    parsed = parse(page)
    assert 'id="k-1"' in page and 'id="k-2"' in page
    assert not [a for t, a in parsed.tags if t == "mark"]
    assert page.count("kunde inte markeras") == 2


def test_no_external_resources(overlapping):
    text, findings, rules = overlapping
    page = render(findings, texts={"a.txt": text}, rules=rules)
    parsed = parse(page)
    lowered = page.lower()
    for forbidden in ("<script", "<link", "@import", "url(", "src=", "<iframe", "<img", "<object", "<embed",
                      "<base", "<form"):
        assert forbidden not in lowered, forbidden
    for match in re.finditer(r"https?://", page):
        # the only web address is the rule's own source link, as an anchor href
        assert page[match.start() - 6:match.start()] == 'href="', page[match.start() - 40:match.start() + 40]
    for tag, attrs in parsed.tags:
        for name, value in attrs.items():
            if name in ("href",):
                assert value.startswith("#") or (tag == "a" and value == "https://www.isof.se/klarsprak")
            assert name not in ("src", "srcset", "action", "formaction", "poster", "data", "background")
            assert not name.startswith("on")
    assert "Content-Security-Policy" in page and "default-src 'none'" in page
    assert not [s for s in parsed.styles if "url(" in s or "@import" in s or "@font-face" in s]


def test_hostile_text_cannot_add_references():
    text = ('Se <img src="https://spår.example/p.png"> och <link rel=stylesheet href="http://x.example/a.css"> '
            "samt @import url(http://x.example/b.css);\n")
    rule = make_rule()
    f = finding(text, *span(text, "<img"), rule)
    parsed = parse(render([f], texts={"a.txt": text}, rules={rule.id: rule}))
    assert [t for t, _ in parsed.tags if t in ("img", "link", "script")] == []
    assert all(not a.get("href", "#").startswith("http") for _, a in parsed.tags)
    assert "".join(parsed.pre_text) == text


def test_dispatch_through_reporters_render():
    page = render_format("html", [], texts={"a.txt": "Text.\n"}, rules={}, skipped=[], errors=[],
                         statistics=False)
    assert page.startswith("<!DOCTYPE html>") and "Inga anmärkningar." in page


# -- the real thing: the CLI writes a report and headless Chromium shows it -----------------

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
LONG = ("Mamman berättade under samtalet att hon sedan en längre tid tillbaka har haft svårt att få ihop "
        "vardagen med arbete och hämtningar på förskolan och läkarbesök för sonen som varit sjuk.")
NOTE = ("# Journalanteckning\n\nHembesök hos familjen. " + LONG +
        "\nPappan säger: <script>alert('x')</script> & \"ok\".\n")


@pytest.fixture
def browser(tmp_path):
    webdriver = pytest.importorskip("selenium.webdriver", reason="selenium is not installed (pip install selenium)")
    if not CHROMIUM.exists() or not CHROMEDRIVER.exists():
        pytest.skip("Chromium is not installed (apt-get install chromium chromium-driver)")
    from selenium.webdriver.chrome.service import Service  # noqa: PLC0415

    options = webdriver.ChromeOptions()
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--no-first-run", f"--user-data-dir={tmp_path / 'chromium-profile'}", "--window-size=1600,1000",
                "--lang=sv-SE"):
        options.add_argument(arg)
    options.binary_location = str(CHROMIUM)
    driver = webdriver.Chrome(service=Service(executable_path=str(CHROMEDRIVER)), options=options)
    driver.set_page_load_timeout(30)
    try:
        yield driver
    finally:
        driver.quit()


def _report(tmp_path, note_text, *args):
    note = tmp_path / "anteckning.md"
    note.write_text(note_text, encoding="utf-8")
    out = tmp_path / "rapport.html"
    runner = CliRunner()
    html_run = runner.invoke(app, ["check", str(note), "--format", "html", "--output", str(out), *args])
    json_run = runner.invoke(app, ["check", str(note), "--format", "json", *args])
    assert html_run.exit_code in (0, 1), html_run.output
    assert json_run.exit_code in (0, 1), json_run.output
    return out, json.loads(json_run.stdout)["findings"]


MARKS_JS = """
const out = {};
for (const m of document.querySelectorAll('mark[data-n]')) {
  const c = m.cloneNode(true);
  c.querySelectorAll('sup.fn').forEach(s => s.remove());
  out[m.dataset.n] = (out[m.dataset.n] || '') + c.textContent;
}
return out;
"""


def _png_ok(path: Path) -> None:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    assert len(data) > 5 * 1024


def test_report_in_headless_chromium(browser, tmp_path):
    out, findings = _report(tmp_path, NOTE, "--select", "DL101")
    assert len(findings) == 1 and findings[0]["text"] == LONG
    browser.get(out.as_uri())
    assert browser.title == "doclint – granskningsrapport"
    assert browser.execute_script("return document.documentElement.lang") == "sv"
    marks = browser.execute_script("return [...document.querySelectorAll('mark.finding')]"
                                   ".map(m => [m.id, m.dataset.rule])")
    assert len(marks) == len(findings)
    assert marks == [["f-1", "DL101"]]
    assert browser.execute_script(MARKS_JS) == {"1": findings[0]["text"]}
    # the note's <script> is shown as text, not run or parsed as an element
    assert browser.execute_script("return document.scripts.length") == 0
    assert "<script>alert('x')</script> & \"ok\"" in browser.execute_script(
        "return document.querySelector('pre.text').textContent")
    # the base font is large enough for a projector
    assert browser.execute_script("return parseFloat(getComputedStyle(document.body).fontSize)") >= 18
    browser.save_screenshot(str(tmp_path / "oversikt.png"))
    _png_ok(tmp_path / "oversikt.png")

    # clicking the footnote number shows the explanation card
    link = browser.find_element("css selector", "#f-1 + sup.fn a, sup.fn a[href='#k-1']")
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", link)
    link.click()
    assert browser.execute_script("return location.hash") == "#k-1"
    card = browser.find_element("id", "k-1")
    assert card.is_displayed()
    assert browser.execute_script("return document.querySelector(':target') === arguments[0]", card)
    in_view = browser.execute_script(
        "const r = arguments[0].getBoundingClientRect();"
        "return r.top >= 0 && r.top < window.innerHeight && r.height > 0", card)
    assert in_view
    assert "Dela gärna upp den" in card.text and "Långa meningar" in card.text
    assert "Språklagen" in card.text and "DL101 Lång mening" in card.text
    assert "rad 3:24" in card.text
    browser.save_screenshot(str(tmp_path / "kort.png"))
    _png_ok(tmp_path / "kort.png")


def test_overlapping_findings_in_headless_chromium(browser, tmp_path):
    """A word finding inside the long-sentence finding, from a rule pack written for this test."""
    pack = tmp_path / "regler"
    pack.mkdir()
    (pack / "test.yaml").write_text("""
rules:
  - id: DL9901
    name: test-old-negation
    family: jargon
    severity: warning
    type: substitution
    match: surface
    swap: {"ej": "inte"}
    message: "Skriv inte i stället för ej."
    why: "Ej är ålderdomligt."
    source: "Test"
    examples:
      fail: ["Hon kom ej."]
      pass: ["Hon kom inte."]
""", encoding="utf-8")
    text = "# Anteckning\n\n" + LONG.replace("har haft", "ej har haft") + "\n"
    out, findings = _report(tmp_path, text, "--rules", str(pack), "--select", "DL101,DL9901")
    assert sorted(f["rule"] for f in findings) == ["DL101", "DL9901"]
    browser.get(out.as_uri())
    assert browser.execute_script("return document.querySelectorAll('mark.finding').length") == len(findings)
    by_rule = {m.get_attribute("data-rule"): m for m in browser.find_elements("css selector", "mark.finding")}
    texts = browser.execute_script(MARKS_JS)
    for f in findings:
        n = by_rule[f["rule"]].get_attribute("data-n")
        assert texts[n] == f["text"]
    # the word mark is nested inside the sentence mark
    assert browser.execute_script("return arguments[0].parentElement === arguments[1]",
                                  by_rule["DL9901"], by_rule["DL101"])
    browser.find_element("css selector", f"a[href='#k-{by_rule['DL9901'].get_attribute('data-n')}']").click()
    card = browser.find_element("css selector", ":target")
    assert card.get_attribute("data-rule") == "DL9901"
    assert "Skriv i stället: inte" in card.text


# -- the workshop: what a trainer projects ------------------------------------------------------------

WORKSHOP_NOTE = ("---\ntyp: journalanteckning\ndatum: 2026-03-03\n---\n# Hembesök\n\n"
                 "Undertecknad och kollegan Maria åkte ut till familjens lägenhet på Granvägen för ett inplanerat "
                 "hembesök med anledning av den orosanmälan som inkom från skolan i februari avseende Ellas hygien "
                 "och att hon ofta kommer hungrig till skolan. Mamman är slarvig. Pappan är slarvig.\n")


def _workshop_page(tmp_path):
    note = tmp_path / "anteckning.md"
    note.write_text(WORKSHOP_NOTE, encoding="utf-8")
    out = tmp_path / "rapport.html"
    result = CliRunner().invoke(app, ["check", str(note), "-f", "html", "--output", str(out)])
    assert result.exit_code == 1, result.output
    return out.read_text(encoding="utf-8")


def test_front_matter_is_not_shown_and_lines_are_numbered_as_the_findings_cite_them(tmp_path):
    page = _workshop_page(tmp_path)
    text = re.search(r'<pre class="text".*?</pre>', page, re.S).group(0)
    assert "typ: journalanteckning" not in text and "---" not in text
    assert "Rad 1–4 är metadata överst i filen" in page
    # every shown line carries its own line number (shown in a gutter by CSS, never part of the copied text)
    assert re.findall(r'data-line="(\d+)"', text) == ["5", "6", "7"]
    assert "user-select: none" in page and ".row::before { content: attr(data-line)" in page
    first_card = re.search(r'<span class="pos">rad (\d+):', page).group(1)
    assert first_card == "7"


def test_markers_follow_the_reading_order_and_a_long_sentence_is_marked_lightly(tmp_path):
    page = _workshop_page(tmp_path)
    text = re.search(r'<pre class="text".*?</pre>', page, re.S).group(0)
    numbers = [int(n) for n in re.findall(r'<sup class="fn[^"]*"><a href="#k-\d+"[^>]*>(\d+)</a>', text)]
    assert numbers == sorted(numbers) and numbers[0] == 1 and len(numbers) >= 4
    wide = [m for m in re.findall(r'<mark class="([^"]*)"', text) if "wide" in m.split()]
    assert wide and all("finding" in m.split() or "finding-part" in m.split() for m in wide)
    # a wide finding's number stands where it begins
    first_wide = re.search(r'(<sup class="fn[^"]*"><a href="#k-(\d+)"[^>]*>\d+</a></sup>)<mark class="finding[^"]* wide"'
                           r'[^>]* data-n="(\d+)"', text)
    assert first_wide and first_wide.group(2) == first_wide.group(3)
    assert "mark.wide { background: transparent;" in page


def test_why_and_source_stand_once_per_rule(tmp_path):
    page = _workshop_page(tmp_path)
    cards = re.findall(r'<li class="card[^"]*" id="k-(\d+)" data-rule="([^"]+)">(.*?)</li>', page, re.S)
    by_rule: dict[str, list[tuple[str, str]]] = {}
    for n, rule, body in cards:
        by_rule.setdefault(rule, []).append((n, body))
    repeated = [rule for rule, items in by_rule.items() if len(items) > 1]
    assert repeated, "the note should give one rule twice (slarvig)"
    for rule, items in by_rule.items():
        (first, body), rest = items[0], items[1:]
        assert body.count("Varför?") == 1 and "Källa:" in body
        for _n, other in rest:
            assert "Varför?" not in other and "Källa:" not in other
            assert f'Varför och källa: se <a href="#k-{first}">anmärkning {first}</a>.' in other
