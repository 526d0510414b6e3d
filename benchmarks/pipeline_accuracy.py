"""Measure doclint's text pipeline end to end against gold Talbanken (UD Swedish) annotations.

Usage: python benchmarks/pipeline_accuracy.py [path/to/sv_talbanken-ud-dev.conllu] [--pipeline NAME]
                                               [--model PATH]

The gold sentences are joined into running text (each `# newpar` paragraph is one
block, its sentences separated by a space) and analysed as `doclint analyze`
sees it: doclint's own tokens, sentences and lemmas, with the trained model's
part of speech, morphology and dependencies on doclint's tokens. Gold and
doclint tokens are aligned by character offsets; a gold token without a doclint
token of exactly the same span counts as wrong for every measure.

Prints sentence precision/recall/F1, UPOS, UFeats (morphology, exact match),
lemma accuracy (case-insensitive), UAS and LAS (universal relation, subtypes
ignored). The gold data is read from ../shared/data/talbanken/ and never copied
into the repository.
"""

from __future__ import annotations

import argparse
import time
from dataclasses import dataclass
from pathlib import Path

from doclint.document import build_document
from doclint.nlp import load_pipeline

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


def annotate(doc, pipeline, grammar_source: str | None) -> list[int]:
    """Give every sentence part of speech, morphology and dependencies.

    Through doclint's own pipeline when it has trained grammar components; otherwise
    (a pipeline without them) by running the sv_doclint model over doclint's sentences,
    one sentence per spaCy Doc, as doclint does."""
    grammar = getattr(pipeline, "grammar", None)
    if grammar is not None and not grammar_source:
        grammar.annotate(doc, doc.sentences)
    if any(t.pos for t in doc.tokens):  # annotated by doclint itself
        return [t.head for t in doc.tokens]
    import spacy  # noqa: PLC0415
    from spacy.tokens import Doc  # noqa: PLC0415

    if grammar_source:
        nlp = spacy.load(grammar_source)
    else:
        import sv_doclint  # noqa: PLC0415

        nlp = sv_doclint.load()
    inputs = []
    for s in doc.sentences:
        toks = doc.sentence_tokens(s)
        spaces = [toks[k + 1].start > t.end for k, t in enumerate(toks[:-1])] + [False]
        inputs.append(Doc(nlp.vocab, words=[t.text for t in toks], spaces=spaces))
    heads = [-1] * len(doc.tokens)
    for s, parsed in zip(doc.sentences, nlp.pipe(inputs, batch_size=256)):
        base = s.tokens.start
        for st in parsed:
            t = doc.tokens[base + st.i]
            t.pos, t.morph = st.pos_, str(st.morph)
            t.dep = "root" if st.dep_ == "ROOT" else st.dep_
            heads[t.i] = base + st.head.i
    return heads


def score(gold_sentences, gold, doc, heads) -> dict[str, float]:
    found = {(s.start, s.end) for s in doc.sentences}
    gold_set = set(gold_sentences)
    tp = len(found & gold_set)
    p, r = tp / len(found), tp / len(gold_set)
    by_span = {(t.start, t.end): t for t in doc.tokens}
    sys_of_gold = [by_span.get((g.start, g.end)) for g in gold]
    gold_of_sys = {t.i: k for k, t in enumerate(sys_of_gold) if t is not None}
    counts = dict.fromkeys(("aligned", "upos", "feats", "lemma", "uas", "las"), 0)
    for k, (g, t) in enumerate(zip(gold, sys_of_gold)):
        if t is None:
            continue
        counts["aligned"] += 1
        counts["upos"] += t.pos == g.upos
        counts["feats"] += _feats(t.morph) == _feats(g.feats)
        counts["lemma"] += t.lemma.lower() == g.lemma.lower()
        head = heads[t.i]
        if head < 0:
            continue
        head_ok = (g.head == -1 and head == t.i) or (head != t.i and gold_of_sys.get(head, -2) == g.head)
        counts["uas"] += head_ok
        counts["las"] += head_ok and t.dep.split(":")[0].lower() == g.deprel.split(":")[0]
    n = len(gold)
    return {"sent_p": p, "sent_r": r, "sent_f1": 2 * p * r / (p + r) if p + r else 0.0,
            "tokens": n, "aligned": counts["aligned"] / n, **{k: counts[k] / n for k in
                                                                ("upos", "feats", "lemma", "uas", "las")}}


def _feats(value: str) -> str:
    return "" if value in ("", "_") else "|".join(sorted(value.split("|")))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("gold", nargs="?", type=Path, default=DEFAULT)
    parser.add_argument("--pipeline", default="default", help="doclint pipeline to measure (default)")
    parser.add_argument("--model", default=None, help="path of a trained model to use instead of sv_doclint")
    args = parser.parse_args()
    if not args.gold.exists():
        raise SystemExit(f"Hittar inte {args.gold}")
    text, gold_sentences, gold = read_gold(args.gold)
    pipeline = load_pipeline(args.pipeline)
    started = time.perf_counter()
    doc = build_document(text, pipeline)
    tokenised = time.perf_counter()
    heads = annotate(doc, pipeline, args.model)
    done = time.perf_counter()
    s = score(gold_sentences, gold, doc, heads)
    print(f"gold: {args.gold.name}, {len(gold_sentences)} sentences, {s['tokens']} tokens; "
          f"pipeline {pipeline.name}; doclint tokens aligned to gold: {s['aligned']:.3f}")
    print(f"sentences: precision {s['sent_p']:.3f} recall {s['sent_r']:.3f} F1 {s['sent_f1']:.3f}")
    print(f"UPOS {s['upos']:.3f}  UFeats {s['feats']:.3f}  lemma {s['lemma']:.3f}  "
          f"UAS {s['uas']:.3f}  LAS {s['las']:.3f}")
    print(f"speed: tokenising {len(text) / (tokenised - started) / 1000:.0f} k characters/s, "
          f"tagging and parsing {len(doc.tokens) / (done - tokenised):.0f} tokens/s")


if __name__ == "__main__":
    main()
