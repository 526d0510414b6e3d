"""metric (sentence length, note length, LIX, word length) and sequence (story-like runs)."""

from __future__ import annotations

import re

from .base import Check
from .structure import sentence_shape
from .termset import TermSet

_LINK = re.compile(r"[@/\\]|^(?:www\.|https?:)")
LIX_BANDS = ((30, "mycket lättläst"), (40, "lättläst"), (50, "medelsvår"), (60, "svår"), (float("inf"), "mycket svår"))


def lix(words: int, sentences: int, long_words: int) -> float:
    """LIX = words/sentences + 100 * long words/words (long: more than six letters)."""
    if not words or not sentences:
        return 0.0
    return words / sentences + 100 * long_words / words


# LIX is a mean over sentences: in a short text one long or short sentence, a heading or a list moves it
# by several points, so the band (lättläst, medelsvår …) says little there. Below this many words doclint
# shows the figure but no band, and a före/efter comparison shows no LIX change for the document.
LIX_MIN_WORDS = 200
SHORT_TEXT_BAND = "kort text, ingen nivå"


def lix_band(value: float, words: int | None = None) -> str:
    if words is not None and words < LIX_MIN_WORDS:
        return SHORT_TEXT_BAND
    return next(name for limit, name in LIX_BANDS if value < limit)


def sentence_counts(doc) -> dict[int, tuple[int, int]]:
    """Words and long words (more than six letters) per sentence, counted once per document."""
    counts = doc.match_cache.get("sentence_counts")
    if counts is None:
        counts = {}
        tokens = doc.tokens
        for s in doc.sentences:
            words = long_words = 0
            for t in tokens[s.tokens.start:s.tokens.stop]:
                if t.is_word:
                    words += 1
                    if len(t.text) > 6 and sum(map(str.isalpha, t.text)) > 6:
                        long_words += 1
            counts[s.i] = (words, long_words)
        doc.match_cache["sentence_counts"] = counts
    return counts


# LIX counts sentences as Björnsson did, not with doclint's own sentence splitting: a full stop, colon,
# exclamation or question mark ends a sentence (when the text goes on with a capital letter, a digit
# or a new line, so "bl.a. en" and "Björn K. och" go on). A heading or list item without such a mark
# is a sentence of its own: the line ends it, unless the next line goes on in lower case (a wrapped
# line, or list items that finish one sentence). Checked against published values (README): a
# newspaper column that gives its own LIX as 36 (doclint 36.6) and a one-sentence example of
# officialese published with LIX 69 (doclint 67.5).
_LIX_END = re.compile(r"[.:!?]+[\"”»’')\]]*(?=\s|$)")
_HAS_ALNUM = re.compile(r"[^\W_]")
_LINE_MARK = re.compile(r"^\s*(?:#{1,6}\s+|[-*•–]\s+|\d{1,2}[.)]\s+)")


def bjornsson_counts(doc, blocks) -> tuple[int, int, int]:
    """(words, sentences, long words) of the blocks (indices into doc.blocks), counted as for Björnsson's LIX."""
    per_block = _line_figures(doc)
    lines = [line for b in blocks for line in per_block[b]]
    words = sum(line[0] for line in lines)
    long_words = sum(line[1] for line in lines)
    sentences = sum(line[2] for line in lines)
    for k, (_, _, _, ended, _) in enumerate(lines):
        if not ended and not (k + 1 < len(lines) and lines[k + 1][4]):
            sentences += 1  # a heading, a list item or a line without a final mark ends with the line
    return words, sentences, long_words


def _line_figures(doc) -> list[list[tuple[int, int, int, bool, bool]]]:
    """Per block, per line with text: (words, long words, sentences its marks end, ends with a mark,
    starts in lower case). Counted once per document; LIX rules add up the lines of the blocks they look at."""
    return doc.memo("bjornsson_lines", lambda: [
        [_line_figure(line) for line in map(_line_text, doc.text[block.start:block.end].splitlines()) if line]
        for block in doc.blocks])


def _line_text(line: str) -> str:
    return _LINE_MARK.sub("", line, count=1).strip()


def _line_figure(text: str) -> tuple[int, int, int, bool, bool]:
    words = long_words = sentences = 0
    for w in text.split():
        if w.isalpha() or _HAS_ALNUM.search(w):
            words += 1
            # more than six letters (a word of seven characters or fewer is decided by its length)
            long_words += (len(w) > 6 and (w.isalpha() or sum(map(str.isalpha, w)) > 6))
    ended = False
    for m in _LIX_END.finditer(text):
        rest = text[m.end():].lstrip(" \t")
        ended = not rest
        if not rest or not rest[0].islower():
            sentences += 1
    return words, long_words, sentences, ended, text[:1].islower()


def text_stats(doc, sentences=None) -> dict:
    whole = sentences is None
    sentences = doc.body_sentences if sentences is None else sentences
    counts = sentence_counts(doc)
    words = sum(counts[s.i][0] for s in sentences)
    long_words = sum(counts[s.i][1] for s in sentences)
    if whole:
        chosen = tuple(range(len(doc.blocks)))
    else:
        wanted = {s.block for s in sentences}
        sections = {doc.blocks[b].section for b in wanted}
        chosen = tuple(i for i, b in enumerate(doc.blocks)
                       if i in wanted or (b.kind == "heading" and b.section in sections))
    counts = doc.memo(("bjornsson", chosen), lambda: bjornsson_counts(doc, chosen))  # several LIX rules count these
    return {"words": words, "sentences": len(sentences), "long_words": long_words, "lix": round(lix(*counts), 1),
            "lix_counts": counts}


class MetricCheck(Check):
    def __init__(self, rule, pipeline):
        super().__init__(rule, pipeline)
        # Levels from the lowest limit up, per document type ("" for the rule's own levels).
        options = rule.options
        self.levels = {doc_type: sorted(levels, key=lambda level: level["above"])
                       for doc_type, levels in {"": options["levels"], **options.get("by_doc_type", {})}.items()}

    def levels_for(self, doc):
        return self.levels.get(doc.doc_type or "", self.levels[""])

    def structure_for(self, doc) -> dict | None:
        structure = self.rule.options.get("structure")
        if not structure:
            return None
        return {**{k: v for k, v in structure.items() if k != "by_doc_type"},
                **structure.get("by_doc_type", {}).get(doc.doc_type or "", {})}

    @staticmethod
    def hard_to_follow(shape, limits) -> str:
        """What makes the sentence hard to follow, in Swedish, or '' when its build is plain."""
        reasons = []
        if "before_main_verb" in limits and shape.before_main_verb >= limits["before_main_verb"]:
            reasons.append(f"{shape.before_main_verb} ord före huvudverbet")
        if "nesting" in limits and shape.nesting >= limits["nesting"]:
            reasons.append(f"{shape.nesting} bisatser inuti varandra")
        if "clauses" in limits and shape.clauses >= limits["clauses"]:
            reasons.append(f"{shape.clauses} satser")
        return ", ".join(reasons)

    @staticmethod
    def grade(value: float, levels):
        """The highest of the (sorted) levels whose limit the value is above, or None."""
        chosen = None
        for level in levels:
            if value > level["above"]:
                chosen = level
        return chosen

    def run(self, doc):
        metric = self.rule.options["metric"]
        levels = self.levels_for(doc)
        min_words = self.rule.options.get("min_words", 0)
        if metric == "sentence_words":
            structure = self.structure_for(doc)
            for s in self.sentences(doc):
                # Quoted words are someone's own words; the writer should not shorten them.
                n = sum(1 for t in doc.sentence_tokens(s) if t.is_word and not t.in_quote)
                level = self.grade(n, levels)
                if structure and n > structure.get("above", 0):
                    if hard := self.hard_to_follow(sentence_shape(doc.sentence_tokens(s)), structure):
                        level = {"severity": structure.get("severity", "warning"), "above": structure.get("above", 0),
                                 "why": hard}
                if level and not self.excused(doc, s):
                    yield self.finding(doc, s.start, s.end, severity=level["severity"], value=n,
                                       limit=level["above"], span=False, reason=level.get("why", ""),
                                       message=structure.get("message") if "why" in level else None)
        elif metric == "word_length":
            shortest = levels[0]["above"] if levels else float("inf")
            for s in self.sentences(doc):
                for t in doc.sentence_tokens(s):
                    if len(t.text) > shortest and t.is_word and not t.in_quote and not _LINK.search(t.text) and \
                            (level := self.grade(len(t.text), levels)) and not self.unless.any_in(doc, t.i, t.i + 1):
                        yield self.finding(doc, t.start, t.end, severity=level["severity"], value=len(t.text),
                                           limit=level["above"])
        else:
            yield from filter(None, self._text_metric(doc, metric, levels, min_words))

    def _text_metric(self, doc, metric, levels, min_words):
        scope = self.rule.options.get("scope", "document")
        groups = []
        if scope == "section":
            for sec in doc.sections:
                sents = [s for s in doc.body_sentences if doc.blocks[s.block].section == sec.i]
                if sents and self.section_ok(doc, sec.i):
                    groups.append(sents)
        else:
            sents = self.sentences(doc)
            if sents:
                groups.append(sents)
        for sents in groups:
            stats = text_stats(doc, sents)
            if stats["words"] < min_words:
                continue
            value = stats["words"] if metric == "document_words" else stats["lix"]
            if level := self.grade(value, levels):
                first = sents[0]
                # Point at the first sentence; a whole-document underline helps nobody.
                yield self.finding(doc, first.start, first.end, severity=level["severity"], value=value,
                                   limit=level["above"], band=lix_band(stats["lix"]), words=stats["words"],
                                   span=False)


class SequenceCheck(Check):
    def __init__(self, rule, pipeline):
        super().__init__(rule, pipeline)
        self.openers = TermSet(rule.options["openers"])
        self.min_run = rule.options.get("min_run", 3)

    def run(self, doc):
        run: list = []
        previous_block = None
        for s in self.sentences(doc) + [None]:
            opens = s is not None and self._opens(doc, s)
            same_section = s is not None and previous_block is not None and \
                doc.blocks[s.block].section == doc.blocks[previous_block].section
            if opens and (not run or same_section):
                run.append(s)
            else:
                if len(run) >= self.min_run:
                    yield self.finding(doc, run[0].start, run[-1].end, value=len(run), span=False)
                run = [s] if opens else []
            if s is not None:
                previous_block = s.block

    def _opens(self, doc, s) -> bool:
        first = s.tokens.start
        # Allow a leading bullet or dash before the opener.
        while first < s.tokens.stop and not doc.tokens[first].is_word:
            first += 1
        hit = next(self.openers.find(doc, first, min(first + 3, s.tokens.stop)), None)
        return hit is not None and hit[0] == doc.tokens[first].start
