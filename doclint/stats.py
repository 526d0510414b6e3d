"""doclint stats: readability figures per text, and a before/after table for workshops."""

from __future__ import annotations

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from .checks.metrics import lix_band, text_stats
from .rules import FAMILIES, FAMILY_NAMES

ROWS = (("Ord", "words"), ("Meningar", "sentences"), ("Medellängd (ord per mening)", "mean_sentence_words"),
        ("Längsta meningen (ord)", "longest_sentence_words"), ("Andel långa ord", "long_word_share"),
        ("LIX", "lix"))


def file_stats(doc, findings) -> dict:
    """Words, sentences, sentence lengths, long words, LIX and findings per family for one document."""
    stats = text_stats(doc)
    lengths = [sum(1 for t in doc.sentence_tokens(s) if t.is_word) for s in doc.body_sentences]
    words = stats["words"]
    return {
        "path": doc.path,
        "doc_type": doc.doc_type,
        "words": words,
        "sentences": stats["sentences"],
        "mean_sentence_words": round(words / stats["sentences"], 1) if stats["sentences"] else 0.0,
        "longest_sentence_words": max(lengths, default=0),
        "long_word_share": round(stats["long_words"] / words, 3) if words else 0.0,
        "lix": stats["lix"],
        "lix_band": lix_band(stats["lix"]),
        "findings": {fam: sum(1 for f in findings if f.path == doc.path and f.family == fam) for fam in FAMILIES},
    }


def _fmt(key: str, value) -> str:
    if key == "long_word_share":
        return f"{value:.0%}"
    return f"{value:.1f}".replace(".", ",") if isinstance(value, float) else str(value)


def print_table(console: Console, rows: list[dict]) -> None:
    table = Table(show_edge=False, box=None)
    for col in ("Fil", "Ord", "Meningar", "Medel", "Längst", "Långa ord", "LIX", "", "Anmärkningar"):
        table.add_column(col, justify="left" if col in ("Fil", "") else "right", overflow="fold")
    for d in rows:
        table.add_row(escape(d["path"]), str(d["words"]), str(d["sentences"]), _fmt("x", d["mean_sentence_words"]),
                      str(d["longest_sentence_words"]), _fmt("long_word_share", d["long_word_share"]),
                      f"{d['lix']:.0f}", d["lix_band"], str(sum(d["findings"].values())))
    console.print(table)


def print_compare(console: Console, before: dict, after: dict) -> None:
    table = Table(show_edge=False, box=None, title=f"Före: {escape(before['path'])}   Efter: {escape(after['path'])}")
    for col in ("", "Före", "Efter", "Förändring"):
        table.add_column(col, justify="left" if not col else "right")
    for label, key in ROWS:
        a, b = before[key], after[key]
        delta = b - a
        table.add_row(label, _fmt(key, a), _fmt(key, b), ("+" if delta > 0 else "") + _fmt(key, delta) if delta else "–")
    table.add_row("Läsbarhet", before["lix_band"], after["lix_band"], "")
    for family, name in FAMILY_NAMES.items():
        a, b = before["findings"][family], after["findings"][family]
        table.add_row(f"Anmärkningar: {name}", str(a), str(b), f"{b - a:+d}" if a != b else "–")
    console.print(table)
