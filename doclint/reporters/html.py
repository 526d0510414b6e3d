"""--format html: one self-contained HTML page with the checked texts and their findings.

The page is meant to be projected in workshops and printed: every checked
document is shown in full with each finding highlighted in place, a numbered
footnote per highlight and an explanation card per finding.

Privacy: the page holds the full text of the notes, so it must never reach out
to the network. There are no scripts, no external stylesheets, fonts or
images, and a Content-Security-Policy forbids loading anything. The only URLs
in the page are rule source links (`rule.link`) that the reader can follow.

Overlapping findings (a long-sentence finding around a word finding is
common) are rendered as nested <mark> elements. When two spans cross, the
inner one is split into pieces: the first piece carries the finding's id
(`f-N`) and class `finding`, later pieces carry class `finding-part`; all
pieces carry `data-n="N"`, so the joined text of the pieces is the finding's
text.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from html import escape as _escape_html
from pathlib import Path

from ..document import front_matter_end
from ..findings import SEVERITY_RANK
from . import hidden_text
from .text import either_or
from ..rules import FAMILIES, FAMILY_NAMES, SEVERITY_NAMES

SEVERITIES = ("error", "warning", "info")
_PLURAL = {"error": "fel", "warning": "varningar", "info": "info"}
WIDE_SPAN = 60  # spans longer than this (sentences, paragraphs) get a lighter highlight
EXCERPT = 120   # at most this many characters of the marked text on a card

CSP = ("default-src 'none'; style-src 'unsafe-inline'; img-src 'none'; script-src 'none'; "
       "base-uri 'none'; form-action 'none'")

CSS = """
:root {
  --ink: #111; --muted: #444; --paper: #fff; --line: #8a8a8a; --panel: #f4f4f1;
  --error: #a4001d; --error-bg: #ffc4c8; --error-soft: #ffdfe3;
  --warning: #7a4a00; --warning-bg: #ffd970; --warning-soft: #ffedb3;
  --info: #0a4fb5; --info-bg: #c6ddff; --info-soft: #deebff;
}
* { box-sizing: border-box; }
html { font-size: 20px; }
body { margin: 0; color: var(--ink); background: var(--paper); line-height: 1.55;
  font-family: system-ui, "Segoe UI", Roboto, "Noto Sans", "DejaVu Sans", Arial, sans-serif; }
header, main, footer { max-width: 112rem; margin: 0 auto; padding: 0 1.2rem; }
header { padding-top: 1rem; }
h1 { font-size: 2rem; margin: .4rem 0; }
h2 { font-size: 1.5rem; margin: 2.2rem 0 .3rem; padding-top: .6rem; border-top: 4px solid var(--ink);
  overflow-wrap: anywhere; }
h3 { font-size: 1.15rem; margin: 1.2rem 0 .5rem; }
a { color: #0033a0; }
.lead { font-size: 1.1rem; margin: .3rem 0; }
.notice { background: var(--panel); border-left: 6px solid var(--ink); padding: .5rem .8rem; margin: .8rem 0; }
table { border-collapse: collapse; margin: .5rem 0 1rem; }
th, td { border: 1px solid var(--line); padding: .3rem .7rem; text-align: left; }
td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; }
tfoot td, tfoot th { font-weight: bold; border-top: 3px solid var(--ink); }
.code { color: var(--muted); font-size: .85em; }
.legend { display: flex; flex-wrap: wrap; gap: .6rem 1.2rem; padding: 0; margin: .5rem 0; list-style: none; }
.badge { display: inline-block; color: #fff; font-weight: bold; border-radius: .3rem; padding: 0 .45rem;
  font-size: .85em; }
.badge.sev-error { background: var(--error); }
.badge.sev-warning { background: var(--warning); }
.badge.sev-info { background: var(--info); }
.counts { margin: .2rem 0 .8rem; font-size: 1.05rem; }
.doc-body { display: grid; grid-template-columns: minmax(0, 1fr); gap: 1.2rem; align-items: start; }
@media (min-width: 1100px) {
  .doc-body.has-cards { grid-template-columns: minmax(0, 3fr) minmax(20rem, 2fr); }
  .doc-body.has-cards .cards { position: sticky; top: 0; max-height: 100vh; overflow-y: auto;
    padding-right: .3rem; }
}
.text { white-space: pre-wrap; overflow-wrap: break-word; font-family: inherit; font-size: 1.05rem;
  line-height: 1.9; margin: 0; padding: 1rem 1.2rem; background: #fff; border: 2px solid var(--line);
  border-radius: .4rem; tab-size: 4; }
mark { color: var(--ink); padding: .08em 0; border-bottom: 4px solid; -webkit-box-decoration-break: clone;
  box-decoration-break: clone; scroll-margin-top: 30vh; }
mark.sev-error { background: var(--error-bg); border-color: var(--error); }
mark.sev-warning { background: var(--warning-bg); border-color: var(--warning); }
mark.sev-info { background: var(--info-bg); border-color: var(--info); }
/* A finding about a whole sentence or more (a long sentence, a repeated passage) is underlined lightly,
   so that it does not paint whole paragraphs and the word findings inside it stay visible. */
mark.wide { background: transparent; border-bottom-width: 2px; border-bottom-style: dashed; }
mark mark.wide, mark.wide mark { border-bottom-style: dashed; }
.text { padding-left: 3.6rem; }
.row::before { content: attr(data-line); display: inline-block; width: 2.6rem; margin-left: -3.4rem;
  margin-right: .8rem; text-align: right; color: var(--muted); font-size: .8em; font-variant-numeric: tabular-nums;
  user-select: none; -webkit-user-select: none; }
.front-matter { color: var(--muted); font-size: .9em; margin: 0 0 .4rem; }
.why-ref { color: var(--muted); font-size: .95em; }
mark mark:not(.wide) { border-bottom-style: double; border-bottom-width: 6px; }
mark.empty { padding: 0 .15em; border-bottom: 0; border-left: 4px solid; }
mark:target { outline: 4px solid var(--ink); outline-offset: 2px; }
sup.fn { font-size: .8em; line-height: 0; font-weight: bold; margin: 0 .1em; }
sup.fn a { text-decoration: none; color: #fff; border-radius: .6em; padding: .05em .35em; }
sup.fn.sev-error a { background: var(--error); }
sup.fn.sev-warning a { background: var(--warning); }
sup.fn.sev-info a { background: var(--info); }
sup.fn a:focus, sup.fn a:hover { outline: 3px solid var(--ink); }
.cards { list-style: none; margin: 0; padding: 6px; }
.card { border: 2px solid var(--line); border-left: 10px solid; border-radius: .4rem; padding: .6rem .9rem;
  margin: 0 0 .9rem; background: #fff; scroll-margin-top: 1rem; }
.card.sev-error { border-left-color: var(--error); }
.card.sev-warning { border-left-color: var(--warning); }
.card.sev-info { border-left-color: var(--info); }
.card:target { outline: 5px solid var(--ink); outline-offset: 1px; background: #fffbe6; }
.card p { margin: .35rem 0; }
.card-head { display: flex; flex-wrap: wrap; gap: .2rem .6rem; align-items: baseline; }
.num { font-weight: bold; font-size: 1.1em; }
.pos { color: var(--muted); }
.rule { font-weight: bold; }
.msg { font-size: 1.05em; }
.excerpt { margin: .35rem 0; padding: .2rem .6rem; border-left: 4px solid var(--line); color: var(--muted);
  font-style: italic; overflow-wrap: anywhere; }
.suggestion strong { background: #d9f5d9; color: #0a3d0a; padding: 0 .25rem; border-radius: .2rem; }
.why, .source { color: #222; }
.unplaced { color: var(--muted); font-style: italic; }
.back { font-size: .9em; }
.problems li { margin: .3rem 0; overflow-wrap: anywhere; }
footer { color: var(--muted); font-size: .85rem; padding-bottom: 2rem; margin-top: 2rem; }
@media print {
  html { font-size: 11pt; }
  header, main, footer { max-width: none; padding: 0; }
  .doc-body, .doc-body.has-cards { display: block; }
  .doc-body .cards { position: static; max-height: none; overflow: visible; }
  .text { border: 1px solid #999; }
  mark, sup.fn a, .badge { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  .card { break-inside: avoid; page-break-inside: avoid; }
  .card:target { outline: 0; background: #fff; }
  h2 { break-after: avoid; page-break-after: avoid; }
  .back { display: none; }
  .source a[href]::after { content: " (" attr(href) ")"; overflow-wrap: anywhere; }
}
"""


# Control characters from a note (ESC sequences, bells, C1 codes) are shown as �, as in the text output;
# tab, newline and carriage return are ordinary white space in HTML. One character for one keeps offsets.
_CONTROL = {c: "\ufffd" for c in [*range(0, 9), 11, 12, *range(14, 32), *range(127, 160)]}


def escape(text: str, quote: bool = True) -> str:
    return _escape_html(text.translate(_CONTROL), quote=quote)


def _e(value: object) -> str:
    return escape(str(value), quote=True)


def _count_text(n: int) -> str:
    return f"{n} anmärkning" if n == 1 else f"{n} anmärkningar"


def _severity_counts(counter: Counter) -> str:
    parts = [f"{counter[s]} {SEVERITY_NAMES[s] if counter[s] == 1 else _PLURAL[s]}" for s in SEVERITIES
             if counter[s]]
    return ", ".join(parts)


def _family_label(family: str) -> str:
    name = FAMILY_NAMES.get(family, family)
    return name[:1].upper() + name[1:]


def _safe_link(link: str) -> str | None:
    """Only plain web links become clickable; anything else (javascript:, data:, …) is shown as text."""
    link = (link or "").strip()
    return link if link.lower().startswith(("https://", "http://")) and not any(c.isspace() for c in link) else None


def _read_text(path: str) -> str | None:
    """Fallback when the caller did not pass the text of a document that has findings."""
    if path == "-":
        return None
    from ..inputs import InputError, read_document  # noqa: PLC0415

    try:
        return read_document(Path(path))
    except (InputError, OSError):
        return None


class _Doc:
    def __init__(self, index: int, path: str, text: str | None):
        self.index = index
        self.path = path
        self.text = text
        self.items: list[tuple[int, object]] = []  # (number, finding)
        # Front matter (the `---` block of metadata at the top of a Markdown note) is not note text: not shown.
        self.body_start = front_matter_end(text) if text else 0

    @property
    def anchor(self) -> str:
        return f"d-{self.index}"

    def row_anchor(self, line: int) -> str:
        return f"d-{self.index}-r{line}"

    def placed(self, f) -> bool:
        t = self.text
        return t is not None and self.body_start <= f.start <= f.end <= len(t) and t[f.start:f.end] == f.text


def _wide(f) -> bool:
    return f.end - f.start > WIDE_SPAN


def _collect(findings, texts: dict) -> list[_Doc]:
    """Documents in order: the checked texts first, then any other path that has findings."""
    docs: dict[str, _Doc] = {}
    for path, text in texts.items():
        docs[path] = _Doc(len(docs) + 1, path, text)
    for f in findings:
        if f.path not in docs:
            docs[f.path] = _Doc(len(docs) + 1, f.path, _read_text(f.path))
    by_path = defaultdict(list)
    for f in findings:
        by_path[f.path].append(f)
    number = 0
    for doc in docs.values():
        for f in sorted(by_path[doc.path], key=lambda f: (f.start, -f.end, f.rule)):
            number += 1
            doc.items.append((number, f))
    return list(docs.values())


# -- the highlighted text -------------------------------------------------------

def _mark_open(n: int, f, first: bool) -> str:
    classes = ["finding" if first else "finding-part", f"sev-{f.severity}", f"fam-{f.family}"]
    if _wide(f):
        classes.append("wide")
    if f.end == f.start:
        classes.append("empty")
    ident = f' id="f-{n}"' if first else ""
    title = f"{n}. {f.rule} {f.shown_name}: {f.message}"
    return (f'<mark class="{" ".join(classes)}"{ident} data-n="{n}" data-rule="{_e(f.rule)}" '
            f'title="{_e(title)}">')


def _footnote(n: int, f) -> str:
    label = f"Anmärkning {n}: {SEVERITY_NAMES.get(f.severity, f.severity)}, {f.rule} {f.shown_name}"
    return f'<sup class="fn sev-{f.severity}"><a href="#k-{n}" aria-label="{_e(label)}">{n}</a></sup>'


def _highlighted(doc: _Doc) -> str:
    """The escaped text with every placed finding wrapped in (possibly split) nested <mark> elements."""
    text = doc.text or ""
    items = [(n, f) for n, f in doc.items if doc.placed(f)]
    starts: dict[int, list] = defaultdict(list)
    for n, f in items:
        starts[f.start].append((n, f))
    line_starts = {0: 1}
    i = text.find("\n")
    while i >= 0:
        line_starts[i + 1] = len(line_starts) + 1
        i = text.find("\n", i + 1)
    pos = doc.body_start
    line_starts = {b: n for b, n in line_starts.items() if pos <= b < len(text) or b == pos}
    if pos not in line_starts:  # the body begins inside a line (cannot happen after a `---` line; kept simple)
        line_starts[pos] = text.count("\n", 0, pos) + 1
    ends = {f.end for _, f in items}
    boundaries = sorted(set(starts) | ends | set(line_starts))
    out: list[str] = []
    stack: list[tuple[int, object]] = []
    for b in boundaries:
        if b > len(text):
            break
        out.append(escape(text[pos:b], quote=True))
        pos = b
        # Close everything that ends here; marks above them that go on are closed and reopened.
        while any(f.end == b for _, f in stack):
            reopen = []
            while any(f.end == b for _, f in stack):
                n, f = stack.pop()
                out.append("</mark>")
                if f.end == b:
                    if not _wide(f):
                        out.append(_footnote(n, f))
                else:
                    reopen.append((n, f))
            for n, f in reversed(reopen):
                out.append(_mark_open(n, f, first=False))
                stack.append((n, f))
        if b in line_starts:
            line = line_starts[b]
            out.append(f'<span class="row" id="{doc.row_anchor(line)}" data-line="{line}"></span>')
        for n, f in sorted(starts.get(b, ()), key=lambda item: (-item[1].end, item[0])):
            if _wide(f):  # its number stands where it begins, so the numbers follow the reading order
                out.append(_footnote(n, f))
            out.append(_mark_open(n, f, first=True))
            if f.end == b:  # an empty span: a visible marker at the position
                out.append("</mark>" + _footnote(n, f))
            else:
                stack.append((n, f))
    out.append(escape(text[pos:], quote=True))
    while stack:  # cannot happen for placed findings; keeps the markup balanced regardless
        n, f = stack.pop()
        out.append("</mark>" + ("" if _wide(f) else _footnote(n, f)))
    return "".join(out)


# -- cards ------------------------------------------------------------------------

def _related(doc_by_path: dict, rel: dict) -> str:
    path = str(rel.get("path", ""))
    line, column = rel.get("line", ""), rel.get("column", "")
    label = f"{path}:{line}:{column}" if column != "" else f"{path}:{line}"
    target = doc_by_path.get(path)
    if target is not None and target.text is not None and isinstance(line, int):
        return f'<a href="#{target.row_anchor(line)}">{_e(label)}</a>'
    return _e(label)


def _card(n: int, f, doc: _Doc, rule, doc_by_path: dict, explained: dict) -> str:
    sev = SEVERITY_NAMES.get(f.severity, f.severity)
    placed = doc.placed(f)
    parts = [f'<li class="card sev-{_e(f.severity)} fam-{_e(f.family)}" id="k-{n}" data-rule="{_e(f.rule)}">',
             '<div class="card-head">',
             f'<a class="num" href="#f-{n}">{n}.</a>' if placed else f'<span class="num">{n}.</span>',
             f'<span class="badge sev-{_e(f.severity)}">{_e(sev)}</span>',
             f'<span class="pos">rad {f.line}:{f.column}</span>',
             f'<span class="rule">{_e(f.rule)} {_e(f.shown_name)}</span>',
             "</div>",
             f'<p class="msg">{_e(f.message)}</p>']
    excerpt = f.text if len(f.text) <= EXCERPT else f.text[:EXCERPT].rstrip() + " …"
    if excerpt.strip():
        parts.append(f'<p class="excerpt">”{_e(excerpt)}”</p>')
    if not placed:
        parts.append('<p class="unplaced">Anmärkningen kunde inte markeras i texten.</p>')
    if f.suggestions:
        shown = either_or([f"<strong>{_e(s)}</strong>" for s in f.suggestions])
        parts.append(f'<p class="suggestion">Skriv i stället: {shown}</p>')
    first = explained.setdefault(f.rule, n)
    if rule is not None and first != n:  # why and source stand once per rule, on its first card
        parts.append(f'<p class="why-ref">Varför och källa: se <a href="#k-{first}">anmärkning {first}</a>.</p>')
    elif rule is not None:
        parts.append(f'<p class="why"><strong>Varför?</strong> {_e(rule.why)}</p>')
        source = f"<strong>Källa:</strong> {_e(rule.source)}"
        link = _safe_link(getattr(rule, "link", ""))
        if link:
            source += (f' <a href="{_e(link)}" rel="noopener noreferrer external" '
                       f'referrerpolicy="no-referrer">Läs mer</a>')
        elif getattr(rule, "link", ""):
            source += f" ({_e(rule.link)})"
        parts.append(f'<p class="source">{source}</p>')
    if f.related:
        shown = ", ".join(_related(doc_by_path, r) for r in f.related)
        parts.append(f'<p class="related">Se även: {shown}</p>')
    if placed:
        parts.append(f'<p class="back"><a href="#f-{n}">↑ Visa i texten</a></p>')
    parts.append("</li>")
    return "".join(parts)


# -- page sections -------------------------------------------------------------

def _summary_table(findings, rules: dict) -> str:
    counts: dict[str, Counter] = defaultdict(Counter)
    for f in findings:
        counts[f.family][f.severity] += 1
    present = {r.family for r in rules.values()} | set(counts)
    families = [fam for fam in FAMILIES if fam in present] + sorted(present - set(FAMILIES))
    rows = []
    for fam in families:
        c = counts[fam]
        cells = "".join(f'<td class="n">{c[s]}</td>' for s in SEVERITIES)
        rows.append(f'<tr><th scope="row">{_e(_family_label(fam))} <span class="code">({_e(fam)})</span></th>'
                    f'{cells}<td class="n">{sum(c.values())}</td></tr>')
    total = Counter(f.severity for f in findings)
    head = "".join(f'<th scope="col" class="n">{_e(SEVERITY_NAMES[s])}</th>' for s in SEVERITIES)
    foot = "".join(f'<td class="n">{total[s]}</td>' for s in SEVERITIES)
    return ('<table class="summary">'
            f'<thead><tr><th scope="col">Område</th>{head}<th scope="col" class="n">Totalt</th></tr></thead>'
            f'<tbody>{"".join(rows)}</tbody>'
            f'<tfoot><tr><th scope="row">Totalt</th>{foot}<td class="n">{len(findings)}</td></tr></tfoot>'
            "</table>")


def _doc_list(docs: list[_Doc]) -> str:
    items = []
    for doc in docs:
        sev = Counter(f.severity for _, f in doc.items)
        detail = f" ({_severity_counts(sev)})" if doc.items else ""
        items.append(f'<li><a href="#{doc.anchor}">{_e(doc.path)}</a> – {_count_text(len(doc.items))}{detail}</li>')
    return f'<ul class="docs">{"".join(items)}</ul>'


def _document(doc: _Doc, rules: dict, doc_by_path: dict, explained: dict) -> str:
    sev = Counter(f.severity for _, f in doc.items)
    counts = _count_text(len(doc.items)) + (f": {_severity_counts(sev)}" if doc.items else "")
    if not doc.items:
        counts = "Inga anmärkningar."
    parts = [f'<section class="document" id="{doc.anchor}" aria-labelledby="{doc.anchor}-h">',
             f'<h2 id="{doc.anchor}-h">{_e(doc.path)}</h2>',
             f'<p class="counts">{_e(counts)}</p>',
             f'<div class="doc-body{" has-cards" if doc.items else ""}">']
    if doc.body_start:
        lines = doc.text.count("\n", 0, doc.body_start)
        parts.insert(3, f'<p class="front-matter">Rad 1–{lines} är metadata överst i filen (typ, datum) och '
                        "visas inte.</p>")
    if doc.text is not None:
        parts.append(f'<pre class="text" aria-label="Texten i {_e(doc.path)}">{_highlighted(doc)}</pre>')
    else:
        parts.append('<p class="unplaced">Texten finns inte med i rapporten.</p>')
    if doc.items:
        parts.append(f'<ol class="cards" aria-label="Anmärkningar i {_e(doc.path)}">')
        parts.extend(_card(n, f, doc, rules.get(f.rule), doc_by_path, explained) for n, f in doc.items)
        parts.append("</ol>")
    parts.append("</div></section>")
    return "".join(parts)


def _problems(skipped, errors) -> str:
    parts = []
    if errors:
        items = "".join(f"<li>{_e(err)}</li>" for err in errors)
        parts.append(f'<section class="problems" id="fel"><h2>Filer som inte kunde granskas</h2><ul>{items}</ul>'
                     "</section>")
    if skipped:
        items = "".join(
            f"<li><strong>{_e(rule.id)} {_e(rule.shown_name)}</strong>: regeln kräver {_e(', '.join(missing))}, "
            "som pipelinen inte ger. Standardpipelinen ger det när doclints tränade modell "
            "(<code>sv_doclint</code>) är installerad.</li>" for rule, missing in skipped)
        parts.append(f'<section class="problems" id="hoppade"><h2>Regler som inte kördes</h2><ul>{items}</ul>'
                     "</section>")
    return "".join(parts)


def _statistics(findings) -> str:
    by_rule = Counter(f"{f.rule} {f.shown_name}" for f in findings).most_common()
    rows = "".join(f'<tr><td class="n">{c}</td><td>{_e(r)}</td></tr>' for r, c in by_rule)
    return ('<h3>Antal per regel</h3><table class="statistics"><thead><tr><th class="n">Antal</th><th>Regel</th>'
            f"</tr></thead><tbody>{rows}</tbody></table>")


def render(findings, *, texts=None, rules=None, skipped=(), errors=(), statistics=False, hidden=None, level=None,
           **_) -> str:
    findings = list(findings)
    texts = dict(texts or {})
    rules = dict(rules or {})
    docs = _collect(findings, texts)
    doc_by_path = {d.path: d for d in docs}
    explained: dict[str, int] = {}  # rule id -> the number of the card that explains it
    worst = max((SEVERITY_RANK[f.severity] for f in findings), default=-1)
    legend = "".join(f'<li><span class="badge sev-{s}">{_e(SEVERITY_NAMES[s])}</span></li>'
                     for s in reversed(SEVERITIES))
    body = [
        "<header>",
        "<h1>Språkgranskning med doclint</h1>",
        f'<p class="lead">{len(docs)} dokument {"granskat" if len(docs) == 1 else "granskade"}, '
        f"{_count_text(len(findings))}.</p>",
        f'<p class="hidden-note">{_e(hidden_text(hidden, level))}</p>' if hidden else "",
        '<p class="notice">Rapporten innehåller hela texten i de granskade dokumenten. Hantera den lika varsamt '
        "som originalen – den kan innehålla sekretessbelagda uppgifter. Sidan hämtar ingenting från internet.</p>",
        "</header>",
        "<main>",
        '<section class="overview" aria-labelledby="oversikt">',
        '<h2 id="oversikt">Översikt</h2>',
        _summary_table(findings, rules),
        f'<ul class="legend" aria-label="Nivåer"><li>Nivåer:</li>{legend}</ul>' if worst >= 0 else "",
        "<p>Markeringarna i texten har ett nummer. Klicka på numret för att se förklaringen.</p>"
        if findings else "",
        '<h3>Dokument</h3>',
        _doc_list(docs),
        _statistics(findings) if statistics and findings else "",
        "</section>",
        *(_document(doc, rules, doc_by_path, explained) for doc in docs),
        _problems(skipped, errors),
        "</main>",
        "<footer><p>Skapad av doclint. Förslagen är stöd för eftertanke – du avgör själv vad som ska ändras."
        "</p></footer>",
    ]
    return "\n".join([
        "<!DOCTYPE html>",
        '<html lang="sv">',
        "<head>",
        '<meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">',
        '<meta name="referrer" content="no-referrer">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        "<title>doclint – granskningsrapport</title>",
        f"<style>{CSS}</style>",
        "</head>",
        "<body>",
        *(part for part in body if part),
        "</body>",
        "</html>",
        "",
    ])
