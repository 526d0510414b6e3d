"""Measure doclint's text pipeline end to end against gold Talbanken (UD Swedish) annotations.

Usage: python benchmarks/pipeline_accuracy.py [path/to/sv_talbanken-ud-dev.conllu] [--pipeline NAME]
                                               [--model PATH]

The gold sentences are joined into running text (each `# newpar` paragraph is one
block, its sentences separated by a space) and analysed as `doclint analyze`
sees it: doclint's default pipeline, its own tokens, sentences and lemmas, with
the trained model (sv_doclint, or --model DIR) run over every sentence. Gold and
doclint tokens are aligned by character offsets; a gold token without a doclint
token of exactly the same span counts as wrong for every measure.

Prints sentence precision/recall/F1, UPOS, UFeats (morphology, exact match),
lemma accuracy (case-insensitive; and simplemma's alone, before doclint.lemma_pos
lets the part of speech choose), UAS and LAS (universal relation, subtypes
ignored). The gold data is read from ../shared/data/talbanken/ and never copied
into the repository.
"""

from __future__ import annotations

import argparse
import os
import time
from dataclasses import dataclass
from pathlib import Path

from doclint.document import build_document
from doclint.nlp import lemmatize, load_pipeline

DEFAULT = Path(__file__).resolve().parents[2] / "shared" / "data" / "talbanken" / "sv_talbanken-ud-dev.conllu"


@dataclass
class GoldToken:
    start: int
    end: int
    form: str
    lemma: str
    upos: str
    feats: str
    head: int  # index into the gold token list, or -1 for the root
    deprel: str


def read_gold(path: Path):
    """Running text, gold sentence spans and gold tokens (with character offsets in the text)."""
    paragraphs: list[list[tuple[str, list[list[str]]]]] = []
    sent_text, rows = None, []

    def flush():
        nonlocal sent_text, rows
        if rows:
            if not paragraphs:
                paragraphs.append([])
            paragraphs[-1].append((sent_text, rows))
        sent_text, rows = None, []

    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            flush()
        elif line.startswith("# newpar") or line.startswith("# newdoc"):
            if not paragraphs or paragraphs[-1]:
                paragraphs.append([])
        elif line.startswith("# text = "):
            sent_text = line[len("# text = "):]
        elif line[0].isdigit():
            cols = line.split("\t")
            if "-" not in cols[0] and "." not in cols[0]:
                rows.append(cols)
    flush()

    parts, sentences, tokens = [], [], []
    offset = 0
    for para in (p for p in paragraphs if p):
        texts = []
        for k, (text, rows) in enumerate(para):
            if k:
                offset += 1
            base, pos = len(tokens), 0
            for cols in rows:
                at = text.index(cols[1], pos)
                pos = at + len(cols[1])
                head = int(cols[6])
                tokens.append(GoldToken(offset + at, offset + pos, cols[1], cols[2], cols[3], cols[5],
                                        base + head - 1 if head else -1, cols[7]))
            sentences.append((offset, offset + len(text)))
            offset += len(text)
            texts.append(text)
        parts.append(" ".join(texts))
        offset += 2
    return "\n\n".join(parts), sentences, tokens


def annotate(doc, pipeline) -> list[int]:
    """Give every sentence part of speech, morphology and dependencies through doclint's own
    pipeline (its trained grammar components, as `doclint analyze` runs them) and return the heads."""
    grammar = getattr(pipeline, "grammar", None)
    if grammar is not None:
        grammar.annotate(doc, doc.sentences)
    return [t.head for t in doc.tokens]


def score(gold_sentences, gold, doc, heads) -> dict[str, float]:
    found = {(s.start, s.end) for s in doc.sentences}
    gold_set = set(gold_sentences)
    tp = len(found & gold_set)
    p, r = tp / len(found), tp / len(gold_set)
    by_span = {(t.start, t.end): t for t in doc.tokens}
    sys_of_gold = [by_span.get((g.start, g.end)) for g in gold]
    gold_of_sys = {t.i: k for k, t in enumerate(sys_of_gold) if t is not None}
    counts = dict.fromkeys(("aligned", "upos", "feats", "lemma", "lemma_simplemma", "uas", "las"), 0)
    for k, (g, t) in enumerate(zip(gold, sys_of_gold)):
        if t is None:
            continue
        counts["aligned"] += 1
        counts["upos"] += t.pos == g.upos
        counts["feats"] += _feats(t.morph) == _feats(g.feats)
        counts["lemma"] += t.lemma.lower() == g.lemma.lower()
        counts["lemma_simplemma"] += lemmatize(t.text) == g.lemma.lower()
        head = heads[t.i]
        if head < 0:
            continue
        head_ok = (g.head == -1 and head == t.i) or (head != t.i and gold_of_sys.get(head, -2) == g.head)
        counts["uas"] += head_ok
        counts["las"] += head_ok and t.dep.split(":")[0].lower() == g.deprel.split(":")[0]
    n = len(gold)
    return {"sent_p": p, "sent_r": r, "sent_f1": 2 * p * r / (p + r) if p + r else 0.0,
            "tokens": n, "aligned": counts["aligned"] / n, **{k: counts[k] / n for k in
                                                                ("upos", "feats", "lemma", "lemma_simplemma", "uas", "las")}}


def _feats(value: str) -> str:
    return "" if value in ("", "_") else "|".join(sorted(value.split("|")))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("gold", nargs="?", type=Path, default=DEFAULT)
    parser.add_argument("--pipeline", default="default", help="doclint pipeline to measure (default)")
    parser.add_argument("--model", default=None, help="a trained model's directory to measure instead of the "
                        "installed sv_doclint (sets DOCLINT_MODEL)")
    args = parser.parse_args()
    if not args.gold.exists():
        raise SystemExit(f"Hittar inte {args.gold}")
    if args.model:
        os.environ["DOCLINT_MODEL"] = str(Path(args.model).resolve())
    text, gold_sentences, gold = read_gold(args.gold)
    pipeline = load_pipeline(args.pipeline)
    started = time.perf_counter()
    doc = build_document(text, pipeline)
    heads = annotate(doc, pipeline)
    done = time.perf_counter()
    s = score(gold_sentences, gold, doc, heads)
    print(f"gold: {args.gold.name}, {len(gold_sentences)} sentences, {s['tokens']} tokens; "
          f"pipeline {pipeline.name}; doclint tokens aligned to gold: {s['aligned']:.3f}")
    print(f"sentences: precision {s['sent_p']:.3f} recall {s['sent_r']:.3f} F1 {s['sent_f1']:.3f}")
    print(f"UPOS {s['upos']:.3f}  UFeats {s['feats']:.3f}  UAS {s['uas']:.3f}  LAS {s['las']:.3f}")
    print(f"lemma {s['lemma']:.3f} (simplemma without the part of speech choosing: {s['lemma_simplemma']:.3f})")
    print(f"speed: {len(doc.tokens) / (done - started):.0f} tokens/s (tokenising, tagging and parsing "
          f"every sentence, model loading included)")


if __name__ == "__main__":
    main()
