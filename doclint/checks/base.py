"""What every check type shares: scope filters, quotation handling, findings."""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from functools import lru_cache

from ..document import Document, Sentence
from ..findings import Finding
from .termset import TermSet


_PLACEHOLDER = re.compile(r"\{(\w+)\}")
# The longest text a message quotes ({match}); the finding itself keeps the whole span.
MAX_QUOTED = 120


def fill(message: str, values: dict) -> str:
    """Put values into a message's {placeholders}; nothing else in the text is interpreted."""
    return _PLACEHOLDER.sub(lambda m: str(values[m.group(1)]) if m.group(1) in values else m.group(0), message)


@lru_cache(maxsize=512)
def _title_pattern(names: tuple[str, ...]) -> re.Pattern:
    return re.compile("|".join(r"(?<!\w)" + re.escape(n.lower()) for n in names))


def title_matches(title: str | None, names) -> bool:
    """Does a section title start a word with any of the names (mål matches 'Målet med vården')?"""
    return bool(title) and bool(names) and _title_matches(title, tuple(names))


@lru_cache(maxsize=4096)
def _title_matches(title: str, names: tuple[str, ...]) -> bool:
    """(Asked for every sentence a sectioned rule looks at; a document has few titles.)"""
    return _title_pattern(names).search(title.lower()) is not None


class Check:
    """One rule bound to a pipeline. Subclasses implement `run` (and maybe `run_corpus`)."""

    def __init__(self, rule, pipeline):
        self.rule = rule
        self.pipeline = pipeline
        opts = rule.options
        self.unless = TermSet(opts.get("unless", []))
        self.unless_scope = opts.get("unless_scope", "sentence")
        self.unless_window = opts.get("unless_window")

    # -- scope -------------------------------------------------------------
    def applies(self, doc: Document) -> bool:
        if not self.rule.doc_types or doc.doc_type not in self.rule.doc_types:
            return not self.rule.doc_types
        # Rules that say a part of a case document is missing (required elements, goals, the child's
        # voice) need more than a word in a title or file name: the type must be declared, or the text
        # must look like a case document (Document.type_is_established). Other rules only take the type
        # as a hint.
        strict = self.rule.type == "required" or self.rule.family in ("goals", "voice")
        return doc.type_is_established or not strict

    def section_ok(self, doc: Document, section_index: int) -> bool:
        title = doc.sections[section_index].title if doc.sections else None
        if self.rule.sections and not title_matches(title, self.rule.sections):
            return False
        return not (self.rule.skip_sections and title_matches(title, self.rule.skip_sections))

    def sentences(self, doc: Document, headings: bool = False) -> list[Sentence]:
        """Sentences in the sections this rule looks at."""
        if not headings and not self.rule.sections and not self.rule.skip_sections:
            return doc.body_sentences
        key = ("sentences", self.rule.sections, self.rule.skip_sections, headings)
        cached = doc.match_cache.get(key)
        if cached is not None:
            return cached
        out = doc.match_cache[key] = []
        for s in doc.sentences:
            if s.is_heading and not headings:
                continue
            if self.section_ok(doc, doc.blocks[s.block].section):
                out.append(s)
        return out

    def sentence_set(self, doc: Document) -> set[int]:
        """The indices of `sentences(doc)`."""
        key = ("sentence_set", self.rule.sections, self.rule.skip_sections)
        return doc.memo(key, lambda: {s.i for s in self.sentences(doc)})

    def excused(self, doc: Document, sentence: Sentence, start: int | None = None, end: int | None = None) -> bool:
        """True when an `unless` term occurs in the sentence (or paragraph, or document).

        With `unless_window: N` and a match span, the term must stand within N tokens of the match,
        so a source named in one clause does not excuse a label in another.
        """
        if not self.unless:
            return False
        if self.unless_window is not None and start is not None:
            starts = doc.token_starts
            first, last = bisect_right(starts, start) - 1, bisect_left(starts, end)
            lo = max(sentence.tokens.start, first - self.unless_window)
            hi = min(sentence.tokens.stop, last + self.unless_window)
            return self.unless.any_in(doc, lo, hi)
        if self.unless_scope == "document":
            return self.unless.any_in(doc, 0, len(doc.tokens))
        if self.unless_scope == "paragraph":
            block = doc.blocks[sentence.block]
            first = doc.sentences[block.sentences.start].tokens.start
            last = doc.sentences[block.sentences.stop - 1].tokens.stop
            return self.unless.any_in(doc, first, last)
        return self.unless.in_sentence(doc, sentence)

    def quoted(self, doc: Document, start: int, end: int) -> bool:
        """True when every word in the span is someone's own words or a mentioned word."""
        starts = doc.token_starts
        lo, hi = bisect_right(starts, start) - 1, bisect_left(starts, end)
        words = [t for t in doc.tokens[max(lo, 0):hi] if t.is_word and t.end > start]
        return bool(words) and all(t.in_quote or t.is_mention for t in words)

    # -- output ------------------------------------------------------------
    def finding(self, doc: Document, start: int, end: int, *, suggestions=(), severity: str | None = None,
                message: str | None = None, related=(), span: bool = True, **values) -> Finding | None:
        if span and not self.rule.quotes and self.quoted(doc, start, end):
            return None
        text = doc.text[start:end]
        values = {k: (f"{v:.1f}".replace(".", ",") if isinstance(v, float) else v) for k, v in values.items()}
        values.setdefault("match", text if len(text) <= MAX_QUOTED else text[:MAX_QUOTED - 1] + "…")
        values.setdefault("suggestion", suggestions[0] if suggestions else "")
        line, column = doc.position(start)
        end_line, end_column = doc.position(end)
        return Finding(
            path=doc.path, line=line, column=column, end_line=end_line, end_column=end_column,
            start=start, end=end, rule=self.rule.id, name=self.rule.name, family=self.rule.family,
            severity=severity or self.rule.severity,
            message=fill(message or self.rule.message, values),
            text=text, suggestions=[s for s in suggestions if s], related=list(related), title=self.rule.title,
        )

    def run(self, doc: Document):
        return ()

    def run_corpus(self, docs: list[Document]):
        return ()
