"""doclint stats: readability figures per text, and before/after tables (two texts or two folders) for workshops."""

from __future__ import annotations

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from .checks.metrics import LIX_MIN_WORDS, lix, lix_band, text_stats
from .rules import FAMILIES, FAMILY_NAMES

ROWS = (("Ord", "words"), ("Meningar", "sentences"), ("Medellängd (ord per mening)", "mean_sentence_words"),
        ("Längsta meningen (ord)", "longest_sentence_words"), ("Andel långa ord", "long_word_share"),
        ("LIX", "lix"))
SHORT_NOTE = (f"LIX jämförs bara för texter med minst {LIX_MIN_WORDS} ord: i en kortare text flyttar en enda mening, "
              "en rubrik eller en lista talet flera steg.")


def file_stats(doc, findings) -> dict:
    """Words, sentences, sentence lengths, long words, LIX and findings per family for one document."""
    stats = text_stats(doc)
    lengths = [sum(1 for t in doc.sentence_tokens(s) if t.is_word) for s in doc.body_sentences]
    words = stats["words"]
    lix_words, lix_sentences, lix_long = stats["lix_counts"]
    return {
        "path": doc.path,
        "doc_type": doc.doc_type,
        "words": words,
        "sentences": stats["sentences"],
        "mean_sentence_words": round(words / stats["sentences"], 1) if stats["sentences"] else 0.0,
        "longest_sentence_words": max(lengths, default=0),
        "long_word_share": round(stats["long_words"] / words, 3) if words else 0.0,
        "lix": stats["lix"],
        "lix_band": lix_band(stats["lix"], words),
        "lix_counts": {"words": lix_words, "sentences": lix_sentences, "long_words": lix_long},
        "findings": {fam: sum(1 for f in findings if f.path == doc.path and f.family == fam) for fam in FAMILIES},
    }


def total_stats(rows: list[dict], path: str) -> dict:
    """The figures of a set of documents taken together (LIX from the pooled counts, as for one long text)."""
    words = sum(d["words"] for d in rows)
    sentences = sum(d["sentences"] for d in rows)
    counts = {k: sum(d["lix_counts"][k] for d in rows) for k in ("words", "sentences", "long_words")}
    value = round(lix(counts["words"], counts["sentences"], counts["long_words"]), 1)
    long_share = sum(d["long_word_share"] * d["words"] for d in rows)
    return {
        "path": path, "doc_type": None, "words": words, "sentences": sentences,
        "mean_sentence_words": round(words / sentences, 1) if sentences else 0.0,
        "longest_sentence_words": max((d["longest_sentence_words"] for d in rows), default=0),
        "long_word_share": round(long_share / words, 3) if words else 0.0,
        "lix": value, "lix_band": lix_band(value, words), "lix_counts": counts,
        "findings": {fam: sum(d["findings"][fam] for d in rows) for fam in FAMILIES},
    }


def lix_comparable(before: dict, after: dict) -> bool:
    return min(before["words"], after["words"]) >= LIX_MIN_WORDS


def _fmt(key: str, value) -> str:
    if key == "long_word_share":
        return f"{value:.0%}"
    return f"{value:.1f}".replace(".", ",") if isinstance(value, float) else str(value)


def _delta(key: str, a, b) -> str:
    delta = b - a
    return ("+" if delta > 0 else "") + _fmt(key, delta) if delta else "–"


def print_table(console: Console, rows: list[dict]) -> None:
    table = Table(show_edge=False, box=None)
    for col in ("Fil", "Ord", "Meningar", "Medel", "Längst", "Långa ord", "LIX", "", "Anmärkningar"):
        table.add_column(col, justify="left" if col in ("Fil", "") else "right", overflow="fold")
    for d in rows:
        table.add_row(escape(d["path"]), str(d["words"]), str(d["sentences"]), _fmt("x", d["mean_sentence_words"]),
                      str(d["longest_sentence_words"]), _fmt("long_word_share", d["long_word_share"]),
                      f"{d['lix']:.0f}", d["lix_band"], str(sum(d["findings"].values())))
    console.print(table)
    if any(d["words"] < LIX_MIN_WORDS for d in rows):
        console.print(f"LIX-nivån (lättläst, medelsvår …) visas för texter med minst {LIX_MIN_WORDS} ord: i en kortare "
                      "text flyttar en enda mening, en rubrik eller en lista talet flera steg.")


def print_compare(console: Console, before: dict, after: dict) -> None:
    table = Table(show_edge=False, box=None, title=f"Före: {escape(before['path'])}   Efter: {escape(after['path'])}")
    for col in ("", "Före", "Efter", "Förändring"):
        table.add_column(col, justify="left" if not col else "right")
    comparable = lix_comparable(before, after)
    for label, key in ROWS:
        a, b = before[key], after[key]
        table.add_row(label, _fmt(key, a), _fmt(key, b), _delta(key, a, b) if key != "lix" or comparable else "–")
    table.add_row("Läsbarhet", before["lix_band"], after["lix_band"], "")
    for family, name in FAMILY_NAMES.items():
        a, b = before["findings"][family], after["findings"][family]
        table.add_row(f"Anmärkningar: {name}", str(a), str(b), f"{b - a:+d}" if a != b else "–")
    console.print(table)
    if not comparable:
        console.print(escape(SHORT_NOTE))


# -- two folders ------------------------------------------------------------------------------------------

PAIR_COLUMNS = (("Ord", "words"), ("Meningar", "sentences"), ("Medellängd", "mean_sentence_words"), ("LIX", "lix"))


def _pair_cells(before: dict, after: dict) -> list[tuple[str, str, str, str]]:
    """(before, after, change, class) for each column; LIX only where both texts are long enough.
    A lower LIX and fewer findings are better; more or fewer words, sentences and words per sentence are
    neither (a rewrite often adds facts, and very short sentences are not a goal)."""
    cells = []
    for _label, key in PAIR_COLUMNS:
        if key == "lix" and not lix_comparable(before, after):
            cells.append(("–", "–", "–", ""))
            continue
        a, b = before[key], after[key]
        judged = key == "lix" and a != b
        cells.append((_fmt(key, a), _fmt(key, b), _delta(key, a, b), ("better" if b < a else "worse") if judged else ""))
    a, b = sum(before["findings"].values()), sum(after["findings"].values())
    cells.append((str(a), str(b), f"{b - a:+d}" if a != b else "–", "" if a == b else "better" if b < a else "worse"))
    return cells


def _pair_text(before: str, after: str) -> str:
    return "–" if before == after == "–" else f"{before} → {after}"


def print_folder_compare(console: Console, result: dict) -> None:
    table = Table(show_edge=False, box=None,
                  title=f"Före: {escape(result['before'])}   Efter: {escape(result['after'])}")
    table.add_column("Dokument", overflow="fold")
    for label in [c[0] for c in PAIR_COLUMNS] + ["Anmärkningar"]:
        table.add_column(label, justify="right")
    for pair in result["pairs"] + [{"name": "Totalt", **result["total"]}]:
        cells = _pair_cells(pair["before"], pair["after"])
        table.add_row(escape(pair["name"]), *(_pair_text(a, b) for a, b, _, _ in cells),
                      end_section=pair is result["pairs"][-1])
    console.print(table)
    total = result["total"]
    families = Table(show_edge=False, box=None, title="Anmärkningar per område, alla dokument")
    for col in ("Område", "Före", "Efter", "Förändring"):
        families.add_column(col, justify="left" if col == "Område" else "right")
    for family, name in FAMILY_NAMES.items():
        a, b = total["before"]["findings"][family], total["after"]["findings"][family]
        families.add_row(name, str(a), str(b), f"{b - a:+d}" if a != b else "–")
    console.print(families)
    console.print(escape(f"Läsbarhet, alla dokument: {total['before']['lix_band']} → {total['after']['lix_band']}. "
                         + SHORT_NOTE))
    for key, label in (("only_before", "bara i före"), ("only_after", "bara i efter")):
        if result[key]:
            console.print(escape(f"Utan motsvarighet ({label}): {', '.join(result[key])}"))


def compare_folders_html(result: dict) -> str:
    """A self-contained page (no scripts, nothing fetched) with the före/efter tables for a projector."""
    from .reporters.html import CSP, CSS, escape as esc  # noqa: PLC0415

    def row(name: str, before: dict, after: dict, tag: str = "td") -> str:
        cells = "".join(
            f'<td class="n {css}">{esc(_pair_text(a, b))}' + (f" ({esc(change)})" if change != "–" else "") + "</td>"
            for a, b, change, css in _pair_cells(before, after))
        return f'<tr><{tag} scope="row">{esc(name)}</{tag}>{cells}</tr>'

    head = "".join(f'<th scope="col" class="n">{esc(label)}</th>' for label, _ in PAIR_COLUMNS)
    body = "".join(row(p["name"], p["before"], p["after"]) for p in result["pairs"])
    total = result["total"]
    foot = row("Totalt", total["before"], total["after"], tag="th")
    fam_rows = "".join(
        f'<tr><th scope="row">{esc(name)}</th><td class="n">{total["before"]["findings"][fam]}</td>'
        f'<td class="n">{total["after"]["findings"][fam]}</td></tr>' for fam, name in FAMILY_NAMES.items())
    unmatched = "".join(f"<p>Utan motsvarighet ({label}): {esc(', '.join(result[key]))}</p>"
                        for key, label in (("only_before", "bara i före"), ("only_after", "bara i efter"))
                        if result[key])
    return "\n".join([
        "<!DOCTYPE html>", '<html lang="sv">', "<head>", '<meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">', '<meta name="referrer" content="no-referrer">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">', "<title>doclint – före och efter</title>",
        f"<style>{CSS}\n.better {{ color: #0a5c0a; }} .worse {{ color: #a4001d; }}</style>", "</head>", "<body>",
        "<header><h1>Före och efter</h1>",
        f'<p class="lead">Före: {esc(result["before"])} · Efter: {esc(result["after"])} · '
        f'{len(result["pairs"])} dokument jämförda.</p></header>',
        "<main>",
        '<table class="compare"><thead><tr><th scope="col">Dokument</th>'
        f'{head}<th scope="col" class="n">Anmärkningar</th></tr></thead>',
        f"<tbody>{body}</tbody><tfoot>{foot}</tfoot></table>",
        f'<p>Läsbarhet, alla dokument: {esc(total["before"]["lix_band"])} → {esc(total["after"]["lix_band"])}.</p>',
        f"<p>{esc(SHORT_NOTE)}</p>",
        '<h2>Anmärkningar per område</h2><table class="families"><thead><tr><th scope="col">Område</th>'
        '<th scope="col" class="n">Före</th><th scope="col" class="n">Efter</th></tr></thead>'
        f"<tbody>{fam_rows}</tbody></table>",
        unmatched,
        "</main>",
        "<footer><p>Skapad av doclint. Sidan innehåller inga texter, bara siffror.</p></footer>",
        "</body>", "</html>", ""])

