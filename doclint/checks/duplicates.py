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
from .base import Check, fill


@dataclass(frozen=True, slots=True)
class Unit:
    path: str
    doc_type: str | None
    date: str | None
    start: int
    end: int
    line: int
    column: int
    end_line: int
    end_column: int
    text: str
    shingles: frozenset
    block: int = 0
    block_start: int = 0
    block_text: str = ""  # the paragraph, shared by its sentences, to cut merged spans from


def shingles(words: list[str], k: int) -> frozenset:
    if len(words) < k:
        return frozenset([tuple(words)])
    return frozenset(zip(*(words[i:] for i in range(k))))  # every run of k words


def _sentence_words(doc) -> list[list[str]]:
    """Per sentence, its words in lower case, without quoted ones (someone's own words may repeat)."""
    tokens = doc.tokens
    return doc.memo("sentence_words", lambda: [
        [t.lower for t in tokens[s.tokens.start:s.tokens.stop] if t.is_word and not t.in_quote]
        for s in doc.sentences])


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
        """The passages this rule compares (rules that cut passages alike share them)."""
        key = ("units", self.unit, self.min_words, self.k, self.rule.sections, self.rule.skip_sections)
        return doc.memo(key, lambda: self._units(doc))

    def _units(self, doc) -> list[Unit]:
        words_of = _sentence_words(doc)
        spans = []
        if self.unit == "paragraph":
            for bi, b in enumerate(doc.blocks):
                if b.kind != "heading" and b.sentences and self.section_ok(doc, b.section):
                    first, last = doc.sentences[b.sentences.start], doc.sentences[b.sentences.stop - 1]
                    words = [w for i in b.sentences for w in words_of[i]]
                    spans.append((first.start, last.end, words, bi))
        else:
            spans = [(s.start, s.end, words_of[s.i], s.block) for s in self.sentences(doc)]
        out = []
        block_texts: dict[int, str] = {}
        for start, end, words, block in spans:
            if len(words) < self.min_words:
                continue
            line, col = doc.position(start)
            end_line, end_col = doc.position(end)
            b = doc.blocks[block]
            if b.start not in block_texts:
                block_texts[b.start] = doc.text[b.start:b.end]
            out.append(Unit(doc.path, doc.doc_type, doc.date, start, end, line, col, end_line, end_col,
                            doc.text[start:end], shingles(words, self.k), block, b.start, block_texts[b.start]))
        return out

    def run(self, doc):
        if self.scope != "document":
            return
        yield from self.compare(self.units(doc), same_document=True)

    def compare(self, units: list[Unit], same_document: bool) -> list[Finding]:
        # Oldest document first, so the later copy is the one reported (undated ones last, by name).
        units = sorted(units, key=lambda u: (u.date or "9999", u.path, u.start))
        index: dict[tuple, list[int]] = {}
        first_copy: dict[frozenset, list[int]] = {}  # exact repeats are paired without comparing
        findings = []
        for j, u in enumerate(units):
            repeats = first_copy.setdefault(u.shingles, [])
            if repeats:
                candidates = {i: len(u.shingles) for i in repeats}
            else:
                candidates = {}
                for sh in u.shingles:
                    for i in index.get(sh, ()):
                        candidates[i] = candidates.get(i, 0) + 1
            for i, common in sorted(candidates.items()):
                other = units[i]
                if not same_document and other.path == u.path:
                    continue
                similarity = common / len(u.shingles | other.shingles)
                if similarity < self.threshold:
                    continue
                target, source = self._orient(u, other)
                if target is not None:
                    findings.append((target, source, similarity))
                    break
            if not repeats or all(units[i].path != u.path for i in repeats):
                repeats.append(j)  # one representative per document is enough
                if len(repeats) == 1:
                    for sh in u.shingles:
                        index.setdefault(sh, []).append(j)
        return self._merge(findings)

    def _merge(self, pairs) -> list[Finding]:
        """One finding per paragraph: neighbouring copied sentences are reported together."""
        pairs.sort(key=lambda p: (p[0].path, p[0].start))
        merged: list[list] = []
        for target, source, similarity in pairs:
            last = merged[-1] if merged else None
            if last and last[0].path == target.path and last[0].block == target.block and \
                    last[1].path == source.path and self.unit == "sentence":
                last[3].append(target)
                continue
            merged.append([target, source, similarity, [target]])
        out = []
        for target, source, similarity, parts in merged:
            if len(parts) > 1:
                start, end = parts[0].start, parts[-1].end
                text = target.block_text[start - target.block_start:end - target.block_start]
                target = Unit(target.path, target.doc_type, target.date, start, end, parts[0].line,
                              parts[0].column, parts[-1].end_line, parts[-1].end_column, text, target.shingles,
                              target.block, target.block_start, target.block_text)
            out.append(self._finding(target, source, similarity, len(parts)))
        return out

    def _orient(self, later: Unit, earlier: Unit):
        """Which copy to report: the one in a document of the rule's types, else the later one.

        A document cannot repeat one that was written after it, so a dated target must not be
        older than its source."""
        if self.other_types:
            if later.doc_type in self.rule.doc_types and earlier.doc_type in self.other_types:
                target, source = later, earlier
            elif earlier.doc_type in self.rule.doc_types and later.doc_type in self.other_types:
                target, source = earlier, later
            else:
                return None, None
            if target.date and source.date and target.date < source.date:
                return None, None
            return target, source
        return later, earlier

    def _finding(self, target: Unit, source: Unit, similarity: float, sentences: int = 1) -> Finding:
        where = f"rad {source.line}" if source.path == target.path else f"{describe(source)}, rad {source.line}"
        values = {"other": where, "similarity": f"{similarity:.0%}", "count": str(sentences)}
        message = fill(self.rule.message, values)
        return Finding(
            path=target.path, line=target.line, column=target.column, end_line=target.end_line,
            end_column=target.end_column, start=target.start, end=target.end, rule=self.rule.id,
            name=self.rule.name, family=self.rule.family, severity=self.rule.severity, message=message,
            text=target.text, suggestions=[f"Hänvisa i stället, till exempel: ”Se {reference(source, target)}.”"],
            related=[{"path": source.path, "line": source.line, "column": source.column}], title=self.rule.title,
        )


_DEFINITE = {"journalanteckning": "journalanteckningen", "utredning": "utredningen", "vårdplan": "vårdplanen",
             "genomförandeplan": "genomförandeplanen", "beslutsunderlag": "beslutsunderlaget",
             "sip": "den samordnade individuella planen", "brev": "brevet"}


def describe(unit: Unit) -> str:
    """How a social worker would name the other document: 'genomförandeplanen 2026-04-08'."""
    if unit.doc_type in _DEFINITE:
        return _DEFINITE[unit.doc_type] + (f" {unit.date}" if unit.date else "") + f" ({posixpath.basename(unit.path)})"
    return posixpath.basename(unit.path)


def reference(source: Unit, target: Unit) -> str:
    if source.path == target.path:
        return f"ovan, rad {source.line}"
    name = _DEFINITE.get(source.doc_type or "", posixpath.basename(source.path))
    return name + (f" {source.date}" if source.date else "")


def folder_of(path: str) -> str:
    return posixpath.dirname(path.replace("\\", "/")) if path != "-" else "-"
