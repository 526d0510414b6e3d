"""Measure the text pipeline against gold Talbanken (UD Swedish) annotations.

Usage: python benchmarks/pipeline_accuracy.py [path/to/sv_talbanken-ud-dev.conllu]

Prints sentence-boundary precision/recall/F1 and lemma accuracy. The gold data
is read from ../shared/data/talbanken/ and never copied into the repository.
Each paragraph (# newpar) becomes one text; sentences inside it are joined by a
space, as running prose would be.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from doclint.document import build_document
from doclint.nlp import lemmatize, load_pipeline

DEFAULT = Path(__file__).resolve().parents[2] / "shared" / "data" / "talbanken" / "sv_talbanken-ud-dev.conllu"


def read_conllu(path: Path):
    """Return paragraphs (lists of sentence texts) and (form, lemma) pairs."""
    paragraphs: list[list[str]] = []
    words: list[tuple[str, str]] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("# newpar") or line.startswith("# newdoc"):
            if not paragraphs or paragraphs[-1]:
                paragraphs.append([])
        elif line.startswith("# text = "):
            if not paragraphs:
                paragraphs.append([])
            paragraphs[-1].append(line[len("# text = "):])
        elif line and line[0].isdigit():
            cols = line.split("\t")
            if "-" not in cols[0] and "." not in cols[0]:
                words.append((cols[1], cols[2]))
    return [p for p in paragraphs if p], words


def sentence_scores(paragraphs, pipeline):
    text_parts, gold, offset = [], set(), 0
    for para in paragraphs:
        for k, sent in enumerate(para):
            if k:
                offset += 1
            gold.add((offset, offset + len(sent)))
            offset += len(sent)
        text_parts.append(" ".join(para))
        offset += 2
    text = "\n\n".join(text_parts)
    started = time.perf_counter()
    doc = build_document(text, pipeline)
    elapsed = time.perf_counter() - started
    found = {(s.start, s.end) for s in doc.sentences}
    tp = len(found & gold)
    precision, recall = tp / len(found), tp / len(gold)
    return precision, recall, 2 * precision * recall / (precision + recall), len(gold), len(text), elapsed


def main() -> None:
    path = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT
    if not path.exists():
        sys.exit(f"Hittar inte {path}")
    paragraphs, words = read_conllu(path)
    pipeline = load_pipeline("default")
    p, r, f1, n, chars, elapsed = sentence_scores(paragraphs, pipeline)
    correct = sum(lemmatize(form) == lemma.lower() for form, lemma in words)
    print(f"gold: {path.name}, {n} sentences, {len(words)} tokens")
    print(f"sentences: precision {p:.3f} recall {r:.3f} F1 {f1:.3f}")
    print(f"lemmas: accuracy {correct / len(words):.3f} (case-insensitive, gold tokenisation)")
    print(f"pipeline speed: {chars / elapsed / 1000:.0f} k characters/s on this text")


if __name__ == "__main__":
    main()
