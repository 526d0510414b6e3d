"""doclint report: a follow-up report for managers and FoU staff from the results of a run.

Reads JSONL results (`doclint check --format jsonl`, or the shards of `doclint distributed`) as a
stream and keeps only counts, so an archive of any size fits. The page is one self-contained HTML
file: plots as inline SVG (matplotlib), the numbers in tables beside them, and every table as CSV
(a download link in the page, and files with --csv). No text from the notes is shown unless asked
for (--show-words: the most frequent flagged words).
"""

from __future__ import annotations

import base64
import csv
import html
import io
import json
import re
from collections import Counter, defaultdict
from datetime import date
from pathlib import Path, PurePosixPath

from .rules import FAMILIES, FAMILY_NAMES

LIX_BIN = 5
MAX_SENTENCE = 60  # sentence lengths above this are counted in the last bar


class ResultsError(Exception):
    """A results file that cannot be read; the message is Swedish and names the file."""


def result_files(paths) -> list[Path]:
    """JSONL files from the arguments: files as given, folders for their shard-*.jsonl (or *.jsonl)."""
    out = []
    for p in map(Path, paths):
        if p.is_dir():
            found = sorted(p.glob("shard-*.jsonl")) or sorted(p.glob("*.jsonl"))
            if not found:
                raise ResultsError(f"{p}: katalogen har inga resultatfiler (*.jsonl).")
            out += found
        elif p.is_file():
            out.append(p)
        else:
            raise ResultsError(f"{p}: filen eller katalogen finns inte.")
    return out


class _Group:
    __slots__ = ("documents", "words", "findings")

    def __init__(self) -> None:
        self.documents = 0
        self.words = 0
        self.findings: Counter = Counter()


class Followup:
    """Counts from results records, by family, document type, unit, folder and month."""

    def __init__(self, show_words: bool = False) -> None:
        self.show_words = show_words
        self.total = _Group()
        self.by_type: dict[str, _Group] = defaultdict(_Group)
        self.by_unit: dict[str, _Group] = defaultdict(_Group)
        self.by_folder: dict[str, _Group] = defaultdict(_Group)
        self.by_month: dict[str, _Group] = defaultdict(_Group)
        self.lix: Counter = Counter()
        self.sentence_lengths: Counter = Counter()
        self.sentences = 0
        self.rules: Counter = Counter()
        self.rule_names: dict[str, str] = {}
        self.words: Counter = Counter()
        self.errors = 0
        self._where: dict[str, tuple] = {}  # path -> (type, unit, folder, month) of the current folders
        self._pending: dict[str, list] = defaultdict(list)  # findings read before their document

    def add_file(self, path: Path) -> None:
        try:
            with open(path, encoding="utf-8") as fh:
                for n, line in enumerate(fh, start=1):
                    if not line.strip():
                        continue
                    try:
                        self.add(json.loads(line))
                    except (ValueError, KeyError, TypeError, AttributeError) as exc:
                        raise ResultsError(f"{path}:{n}: raden är ingen post från doclint check --format jsonl "
                                           f"({exc.__class__.__name__}).") from exc
        except OSError as exc:
            raise ResultsError(f"{path}: filen kunde inte läsas.") from exc
        except UnicodeDecodeError as exc:
            raise ResultsError(f"{path}: filen är inte UTF-8-text.") from exc

    def add(self, record: dict) -> None:
        kind = record.get("type")
        if kind == "document":
            self._document(record)
        elif kind == "finding":
            where = self._where.get(record["path"])
            if where is None:
                self._pending[record["path"]].append(record)
            else:
                self._finding(record, where)
        elif kind == "error":
            self.errors += 1

    def _document(self, d: dict) -> None:
        folder = d.get("folder") or str(PurePosixPath(d["path"]).parent)
        unit = str(PurePosixPath(folder).parent) if folder not in ("", ".", "-") else folder
        month = (d.get("date") or "")[:7] or None
        where = (d.get("doc_type") or "okänd", unit, folder, month)
        self._where[d["path"]] = where
        words = int(d.get("words", 0))
        groups = [self.total, self.by_type[where[0]], self.by_unit[unit], self.by_folder[folder]]
        if month:
            groups.append(self.by_month[month])
        for g in groups:
            g.documents += 1
            g.words += words
        self.lix[int(float(d.get("lix", 0)) // LIX_BIN) * LIX_BIN] += 1
        for n in d.get("sentence_lengths", []):
            self.sentence_lengths[min(int(n), MAX_SENTENCE)] += 1
            self.sentences += 1
        for record in self._pending.pop(d["path"], []):
            self._finding(record, where)

    def _finding(self, f: dict, where: tuple) -> None:
        family = f["family"]
        doc_type, unit, folder, month = where
        groups = [self.total, self.by_type[doc_type], self.by_unit[unit], self.by_folder[folder]]
        if month:
            groups.append(self.by_month[month])
        for g in groups:
            g.findings[family] += 1
        self.rules[f["rule"]] += 1
        self.rule_names[f["rule"]] = f.get("name", "")
        if self.show_words and f.get("text") and len(f["text"]) <= 40:
            self.words[" ".join(f["text"].lower().split())] += 1


# -- tables -------------------------------------------------------------------------------------

def _per_thousand(n: int, words: int) -> float:
    return round(1000 * n / words, 2) if words else 0.0


def _group_rows(groups: dict[str, _Group], label: str, order=None) -> tuple[list[str], list[list]]:
    header = [label, "dokument", "ord"] + [FAMILY_NAMES[fam] for fam in FAMILIES] + ["alla"]
    keys = order if order is not None else sorted(groups)
    rows = []
    for key in keys:
        g = groups[key]
        rows.append([key, g.documents, g.words] + [_per_thousand(g.findings[f], g.words) for f in FAMILIES]
                    + [_per_thousand(sum(g.findings.values()), g.words)])
    return header, rows


def tables(f: Followup, top: int = 20) -> dict[str, tuple[str, list[str], list[list]]]:
    """name -> (Swedish title, header, rows)."""
    out = {}
    t = f.total
    out["omraden"] = ("Anmärkningar per 1 000 ord och område", ["område", "beskrivning", "anmärkningar",
                                                                 "per 1000 ord"],
                      [[fam, FAMILY_NAMES[fam], t.findings[fam], _per_thousand(t.findings[fam], t.words)]
                       for fam in FAMILIES])
    out["dokumenttyper"] = ("Per dokumenttyp (anmärkningar per 1 000 ord)", *_group_rows(f.by_type, "dokumenttyp"))
    out["enheter"] = ("Per enhet, katalogen ovanför akterna (anmärkningar per 1 000 ord)",
                      *_group_rows(f.by_unit, "enhet"))
    busiest = sorted(f.by_folder, key=lambda k: (-_per_thousand(sum(f.by_folder[k].findings.values()),
                                                                f.by_folder[k].words), k))
    out["akter"] = (f"Per akt: de {min(top, len(busiest))} med flest anmärkningar per 1 000 ord "
                    f"(alla {len(busiest)} i CSV-filen)", *_group_rows(f.by_folder, "akt", busiest))
    out["manader"] = ("Över tid: dokumentens datum per månad (anmärkningar per 1 000 ord)",
                      *_group_rows(f.by_month, "månad"))
    out["lix"] = ("LIX per dokument", ["LIX", "dokument"],
                  [[f"{k}–{k + LIX_BIN - 1}", n] for k, n in sorted(f.lix.items())])
    out["meningslangd"] = ("Meningslängd (ord per mening)", ["ord", "meningar"],
                           [[f"{k}+" if k == MAX_SENTENCE else str(k), n] for k, n in sorted(f.sentence_lengths.items())])
    out["regler"] = ("De vanligaste reglerna", ["regel", "namn", "anmärkningar", "per 1000 ord"],
                     [[r, f.rule_names.get(r, ""), n, _per_thousand(n, t.words)] for r, n in f.rules.most_common(top)])
    if f.show_words:
        out["ord"] = ("De vanligaste markerade orden (text ur anteckningarna)", ["ord", "anmärkningar"],
                      [[w, n] for w, n in f.words.most_common(top)])
    return out


def _csv(header, rows) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buf.getvalue()


# -- plots ---------------------------------------------------------------------------------------

def _svg(fig) -> str:
    import matplotlib.pyplot as plt  # noqa: PLC0415

    buf = io.StringIO()
    fig.savefig(buf, format="svg", bbox_inches="tight")
    plt.close(fig)
    text = buf.getvalue()
    text = text[text.index("<svg"):]
    # the RDF metadata block only names matplotlib and the time; leave it out
    return re.sub(r"\s*<metadata>.*?</metadata>", "", text, flags=re.S)


def _plots(f: Followup, tab: dict) -> dict[str, str]:
    import matplotlib  # noqa: PLC0415

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt  # noqa: PLC0415

    plt.rcParams.update({"svg.fonttype": "none", "font.size": 11, "axes.spines.top": False,
                         "axes.spines.right": False})
    out = {}

    def bars(name, labels, values, xlabel, horizontal=True):
        fig, ax = plt.subplots(figsize=(6.4, max(2.2, 0.42 * len(labels) + 0.8)) if horizontal else (6.4, 3.2))
        if horizontal:
            ax.barh(labels[::-1], values[::-1], color="#3b6ea8")
            ax.set_xlabel(xlabel)
        else:
            ax.bar(labels, values, color="#3b6ea8", width=0.9)
            ax.set_ylabel(xlabel)
            step = max(1, len(labels) // 12)
            ax.set_xticks(range(0, len(labels), step), [labels[i] for i in range(0, len(labels), step)],
                          rotation=0)
        out[name] = _svg(fig)

    rows = tab["omraden"][2]
    bars("omraden", [r[1] for r in rows], [r[3] for r in rows], "anmärkningar per 1 000 ord")
    for name in ("dokumenttyper", "enheter"):
        rows = tab[name][2]
        if rows:
            bars(name, [str(r[0]) for r in rows], [r[-1] for r in rows], "anmärkningar per 1 000 ord")
    rows = tab["manader"][2]
    if rows:
        fig, ax = plt.subplots(figsize=(6.4, 3.2))
        months = [r[0] for r in rows]
        for i, fam in enumerate(FAMILIES):
            ax.plot(months, [r[3 + i] for r in rows], marker="o", markersize=3, label=FAMILY_NAMES[fam])
        ax.set_ylabel("anmärkningar per 1 000 ord")
        step = max(1, len(months) // 8)
        ax.set_xticks(range(0, len(months), step), [months[i] for i in range(0, len(months), step)])
        ax.legend(fontsize=8, frameon=False, loc="upper left", bbox_to_anchor=(1, 1))
        out["manader"] = _svg(fig)
    if f.lix:
        bars("lix", [r[0] for r in tab["lix"][2]], [r[1] for r in tab["lix"][2]], "dokument", horizontal=False)
    if f.sentence_lengths:
        bars("meningslangd", [r[0] for r in tab["meningslangd"][2]], [r[1] for r in tab["meningslangd"][2]],
             "meningar", horizontal=False)
    rows = tab["regler"][2]
    if rows:
        bars("regler", [f"{r[0]} {r[1]}" for r in rows], [r[2] for r in rows], "anmärkningar")
    return out


# -- the page ------------------------------------------------------------------------------------

_CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;font-size:17px;line-height:1.5;color:#1d2733;
max-width:1200px;margin:0 auto;padding:1.5rem}
h1{font-size:1.7rem}h2{font-size:1.3rem;margin-top:2.2rem;border-bottom:1px solid #d5dbe3;padding-bottom:.2rem}
.row{display:flex;flex-wrap:wrap;gap:1.5rem;align-items:flex-start}.plot{flex:1 1 420px;max-width:640px}
.plot svg{width:100%;height:auto}.tab{flex:1 1 420px;overflow-x:auto}
table{border-collapse:collapse;font-size:.9rem}th,td{padding:.2rem .5rem;border-bottom:1px solid #e3e7ed;text-align:right}
th:first-child,td:first-child{text-align:left}th{background:#f2f5f8}
.key{display:flex;gap:2rem;flex-wrap:wrap}.key div{background:#f2f5f8;padding:.6rem 1rem;border-radius:.4rem}
.key b{display:block;font-size:1.4rem}.note{color:#4a5866}a.csv{font-size:.85rem}
@media print{.plot{break-inside:avoid}a.csv{display:none}}
"""


def _table_html(name: str, header, rows, shown: int | None = None) -> str:
    everything, rows = rows, rows[:shown] if shown else rows
    head = "".join(f"<th>{html.escape(str(h))}</th>" for h in header)
    body = "".join("<tr>" + "".join(f"<td>{html.escape(_fmt(v))}</td>" for v in row) + "</tr>" for row in rows)
    data = base64.b64encode(_csv(header, everything).encode("utf-8")).decode("ascii")
    return (f'<table id="t-{name}"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'
            f'<p><a class="csv" download="{name}.csv" href="data:text/csv;charset=utf-8;base64,{data}">'
            f"Ladda ner tabellen som CSV</a></p>")


def _fmt(value) -> str:
    if isinstance(value, float):
        return f"{value:.2f}".replace(".", ",")
    if isinstance(value, int):
        return f"{value:,}".replace(",", "\u00a0")
    return str(value)


def render(f: Followup, sources: list[str], top: int = 20) -> tuple[str, dict]:
    """(HTML page, tables) for the counts in `f`."""
    tab = tables(f, top)
    plots = _plots(f, tab)
    t = f.total
    total = sum(t.findings.values())
    parts = [f"""<!DOCTYPE html>
<html lang="sv"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>doclint – uppföljning</title><style>{_CSS}</style></head><body>
<h1>Uppföljning av dokumentationen</h1>
<p class="note">Från {len(sources)} resultatfil{'er' if len(sources) != 1 else ''} från doclint, {date.today().isoformat()}.
Rapporten innehåller bara antal och mått{', och de vanligaste markerade orden' if f.show_words else
                                        ' – ingen text ur anteckningarna'}.</p>
<div class="key"><div><b id="k-dokument">{_fmt(t.documents)}</b>dokument</div>
<div><b id="k-ord">{_fmt(t.words)}</b>ord</div><div><b id="k-anmarkningar">{_fmt(total)}</b>anmärkningar</div>
<div><b id="k-takt">{_fmt(_per_thousand(total, t.words))}</b>anmärkningar per 1 000 ord</div>
<div><b>{_fmt(f.errors)}</b>filer som inte kunde läsas</div></div>
"""]
    for name, (title, header, rows) in tab.items():
        plot = plots.get(name, "")
        parts.append(f'<section id="s-{name}"><h2>{html.escape(title)}</h2><div class="row">'
                     + (f'<div class="plot" role="img" aria-label="{html.escape(title)}">{plot}</div>' if plot else "")
                     + f'<div class="tab">{_table_html(name, header, rows, top if name == "akter" else None) if rows else "<p>Inga uppgifter.</p>"}'
                     + "</div></div></section>\n")
    parts.append("</body></html>\n")
    return "".join(parts), tab


def write_csv(tab: dict, directory: Path) -> list[Path]:
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for name, (_title, header, rows) in tab.items():
        path = directory / f"{name}.csv"
        path.write_text(_csv(header, rows), encoding="utf-8")
        written.append(path)
    return written
