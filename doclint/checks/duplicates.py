"""duplicate: near-identical sentences or paragraphs (dubbeldokumentation).

Passages are compared as sets of word n-grams (shingles) with exact Jaccard
similarity. Candidate pairs come from an inverted index of shingles, so only
passages that share a shingle are ever compared; a case folder or a whole run
stays fast without approximate hashing.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass

from ..findings import Finding
from .base import Check


@dataclass(frozen=True, slots=True)
class Unit:
    path: str
    doc_type: str | None
    start: int
    end: int
    line: int
    column: int
    end_line: int
    end_column: int
    text: str
    shingles: frozenset


def shingles(words: list[str], k: int) -> frozenset:
    if len(words) < k:
        return frozenset([tuple(words)])
    return frozenset(tuple(words[i:i + k]) for i in range(len(words) - k + 1))


class DuplicateCheck(Check):
    def __init__(self, rule, pipeline):
        super().__init__(rule, pipeline)
        opts = rule.options
        self.unit = opts.get("unit", "sentence")
        self.scope = opts.get("scope", "document")
        self.threshold = opts.get("threshold", 0.8)
        self.min_words = opts.get("min_words", 8)
        self.k = opts.get("shingle", 3)
        self.other_types = set(opts.get("other_doc_types", []))

    def collects(self, doc) -> bool:
        """Documents whose passages take part in the comparison (the rule's types and the other types)."""
        if not self.rule.doc_types:
            return True
        return doc.doc_type in self.rule.doc_types or doc.doc_type in self.other_types

    def units(self, doc) -> list[Unit]:
        spans = []
        if self.unit == "paragraph":
            for b in doc.blocks:
                if b.kind != "heading" and b.sentences and self.section_ok(doc, b.section):
                    first, last = doc.sentences[b.sentences.start], doc.sentences[b.sentences.stop - 1]
                    spans.append((first.start, last.end, first.tokens.start, last.tokens.stop))
        else:
            spans = [(s.start, s.end, s.tokens.start, s.tokens.stop) for s in self.sentences(doc)]
        out = []
        for start, end, t0, t1 in spans:
            words = [t.lower for t in doc.tokens[t0:t1] if t.is_word and not t.in_quote]
            if len(words) < self.min_words:
                continue
            line, col = doc.position(start)
            end_line, end_col = doc.position(end)
            out.append(Unit(doc.path, doc.doc_type, start, end, line, col, end_line, end_col, doc.text[start:end],
                            shingles(words, self.k)))
        return out

    def run(self, doc):
        if self.scope != "document":
            return
        yield from self.compare(self.units(doc), same_document=True)

    def compare(self, units: list[Unit], same_document: bool) -> list[Finding]:
        index: dict[tuple, list[int]] = {}
        for i, u in enumerate(units):
            for sh in u.shingles:
                index.setdefault(sh, []).append(i)
        findings = []
        reported: set[int] = set()
        for j, u in enumerate(units):
            shared: dict[int, int] = {}
            for sh in u.shingles:
                for i in index[sh]:
                    if i < j:
                        shared[i] = shared.get(i, 0) + 1
            for i, common in sorted(shared.items()):
                other = units[i]
                if not same_document and other.path == u.path:
                    continue
                similarity = common / len(u.shingles | other.shingles)
                if similarity < self.threshold or j in reported:
                    continue
                target, source = self._orient(u, other)
                if target is None:
                    continue
                reported.add(j)
                findings.append(self._finding(target, source, similarity))
        return findings

    def _orient(self, later: Unit, earlier: Unit):
        """Which copy to report: the one in a document of the rule's types, else the later one."""
        if self.other_types:
            if later.doc_type in self.rule.doc_types and earlier.doc_type in self.other_types:
                return later, earlier
            if earlier.doc_type in self.rule.doc_types and later.doc_type in self.other_types:
                return earlier, later
            return None, None
        return later, earlier

    def _finding(self, target: Unit, source: Unit, similarity: float) -> Finding:
        where = f"rad {source.line}" if source.path == target.path else f"{source.path} rad {source.line}"
        values = {"other": where, "similarity": f"{similarity:.0%}", "match": target.text}
        message = self.rule.message
        for key, value in values.items():
            message = message.replace("{" + key + "}", value)
        return Finding(
            path=target.path, line=target.line, column=target.column, end_line=target.end_line,
            end_column=target.end_column, start=target.start, end=target.end, rule=self.rule.id,
            name=self.rule.name, family=self.rule.family, severity=self.rule.severity, message=message,
            text=target.text, suggestions=[f"Hänvisa i stället: ”Se {where}.”"],
            related=[{"path": source.path, "line": source.line, "column": source.column}],
        )


def folder_of(path: str) -> str:
    return posixpath.dirname(path.replace("\\", "/")) if path != "-" else "-"
