"""The text pipeline's data model: text in, a Document out.

A Document holds the original text and, as character offsets into it, its
sections (under headings), blocks (headings, paragraphs, bullet items),
sentences and tokens. Every span satisfies text[start:end] == span text.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from operator import attrgetter
from datetime import date
from pathlib import Path

import yaml

from .nlp import ABBREVIATION_SET, QUOTE_CHARS, SENTENCE_FINAL_ABBREVIATIONS, Pipeline

DOC_TYPES = ("journalanteckning", "utredning", "vårdplan", "genomförandeplan", "beslutsunderlag", "sip", "brev")
_TYPE_WORDS = {
    "journalanteckning": ("journalanteckning", "journal", "anteckning"),
    "utredning": ("utredning", "barnavårdsutredning", "bbic-utredning"),
    "vårdplan": ("vårdplan", "vardplan"),
    "genomförandeplan": ("genomförandeplan", "genomforandeplan"),
    "beslutsunderlag": ("beslutsunderlag", "beslut"),
    "sip": ("sip", "samordnad individuell plan"),
    "brev": ("brev", "meddelande", "information till"),
}

_HEADING_MD = re.compile(r"#{1,6}\s+\S")
_BULLET = re.compile(r"^\s*(?:[-*•–]|\d{1,2}[.)])\s+")
_FRONT_MATTER = re.compile(r"\A---[ \t]*\r?\n(.*?\r?\n)?---[ \t]*(\r?\n|\Z)", re.S)
_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_MAX_FRONT_MATTER = 4096  # front matter is a few lines of metadata, never a document of its own
_ISO_DATE = re.compile(r"(?<!\d)(\d{4}-\d{2}-\d{2})(?!\d)")
_INITIALS = re.compile(r"^(?:[A-ZÅÄÖ]\.){2,}$")
# Letters that stand for a person in an anonymised decision (AA, BB, XX) are no abbreviations.
_ANONYMISED = re.compile(r"^([A-ZÅÄÖ])\1{1,2}(?::\w+)?$")
_CAPS_ABBREV = re.compile(r"^(?=(?:[^A-ZÅÄÖ]*[A-ZÅÄÖ]){2})[A-ZÅÄÖ][A-ZÅÄÖa-zåäö]{1,6}$")
_MENTION_WORDS = frozenset({"ord", "ordet", "begrepp", "begreppet", "uttryck", "uttrycket", "term", "termen",
                            "formulering", "formuleringen", "orden", "uttrycken", "begreppen"})
# Nouns about language: the words listed after them are examples, not used ("ord som slarvig och lat",
# "en förkortning som ERUF", "uttryck, till exempel vidta åtgärder eller erforderlig").
_LANGUAGE_NOUNS = _MENTION_WORDS | frozenset({
    "förkortning", "förkortningen", "förkortningar", "förkortningarna", "kortform", "kortformen", "kortformer",
    "termer", "termerna", "formuleringar", "formuleringarna", "fras", "frasen", "fraser", "fraserna", "ordval",
    "fackord", "fackorden", "facktermer", "ordet", "verb", "verbet", "verben", "substantiv", "substantivet",
    "adjektiv", "adjektivet", "bomullsord", "modeord", "kanslispråk", "ordpar", "synonymer", "ordformer"})
_LIST_LEADS = frozenset({"som", "såsom", "t.ex.", "t.ex", "exempelvis", "bl.a.", ":", ",", "(", "–", "-", "till",
                         "exempel", "typ", "sådana", "liknande"})
_LIST_JOINS = frozenset({",", "och", "eller", "/"})
_EXAMPLE_LEADS = _LANGUAGE_NOUNS | {"t.ex.", "exempelvis"}
_MENTION_MARKS = re.compile(r"(?<![\w*`'’‘])([*`'‘])([^\s*`'‘’](?:[^\n*`]{0,60}?[^\s*`'‘])?)([*`'’])(?![\w*`'’])")
_SENTENCE_END = frozenset({".", "!", "?", "…", "...", "?!", "!?", "..."})
_CLOSERS = frozenset({")", "]"}) | frozenset(QUOTE_CHARS) | frozenset("’'")


@dataclass(slots=True)
class Token:
    i: int
    text: str
    start: int
    end: int
    lemma: str
    lower: str
    pos: str = ""
    morph: str = ""
    dep: str = ""
    is_word: bool = False
    is_punct: bool = False
    in_quote: bool = False
    is_mention: bool = False
    is_abbrev: bool = False
    is_initials: bool = False
    sentence: int = -1
    head: int = -1  # index of the head token in Document.tokens (a root points to itself); -1 unparsed


@dataclass(slots=True)
class Sentence:
    i: int
    start: int
    end: int
    tokens: range
    block: int
    is_heading: bool = False


@dataclass(slots=True)
class Block:
    kind: str  # "heading", "paragraph" or "bullet"
    start: int
    end: int
    section: int
    sentences: range = range(0)


@dataclass(slots=True)
class Section:
    i: int
    title: str | None
    start: int
    end: int
    blocks: list[int] = field(default_factory=list)


@dataclass
class Document:
    text: str
    path: str = "-"
    tokens: list[Token] = field(default_factory=list)
    sentences: list[Sentence] = field(default_factory=list)
    blocks: list[Block] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)
    meta: dict = field(default_factory=dict)
    doc_type: str | None = None
    doc_type_source: str | None = None  # "front_matter", "config", "heading" or "file_name"
    date: str | None = None
    quotes: list[tuple[int, int]] = field(default_factory=list)
    body_start: int = 0
    spacy_doc: object = None
    spacy_index: list[int] = field(default_factory=list, repr=False)  # doclint token -> spaCy token index
    parsed: set[int] = field(default_factory=set, repr=False)  # sentences with POS, morph and dependencies
    # Parsed sentence -> (a spaCy Doc of it, the doclint token index of each of its tokens): the Docs the
    # trained model parsed, kept for DependencyMatcher rules (see sentence_doc).
    sentence_docs: dict[int, tuple] = field(default_factory=dict, repr=False)
    _line_starts: list[int] = field(default_factory=list, repr=False)
    _token_starts: list[int] | None = field(default=None, repr=False)

    @property
    def token_starts(self) -> list[int]:
        if self._token_starts is None:
            self._token_starts = [t.start for t in self.tokens]
        return self._token_starts

    def position(self, offset: int) -> tuple[int, int]:
        """1-based line and column of a character offset."""
        line = bisect_right(self._line_starts, offset)
        return line, offset - self._line_starts[line - 1] + 1

    def lines_only(self) -> Document:
        """The text and its lines without tokens, sentences or spaCy Doc: enough for line_text, and
        a fraction of the memory."""
        return Document(self.text, self.path, _line_starts=self._line_starts)

    def line_text(self, line: int) -> str:
        start = self._line_starts[line - 1]
        end = self._line_starts[line] - 1 if line < len(self._line_starts) else len(self.text)
        return self.text[start:end].rstrip("\r")

    def sentence_text(self, s: Sentence) -> str:
        return self.text[s.start:s.end]

    def sentence_tokens(self, s: Sentence) -> list[Token]:
        return self.tokens[s.tokens.start:s.tokens.stop]

    @cached_property
    def type_is_established(self) -> bool:
        """Is the document type declared (front matter, configuration), or is a type read from a heading
        or file name backed by the text being a case document? An information page that explains how an
        utredning works mentions the word in its title but is not an utredning."""
        if self.doc_type is None:
            return False
        if self.doc_type_source in ("front_matter", "config"):
            return True
        return looks_like_case_document(self.text[self.body_start:self.body_start + _CASE_WINDOW])

    def sentence_doc(self, i: int) -> tuple:
        """Parsed sentence i as a spaCy Doc of its own, with the doclint token index of each of its tokens
        (None for a token doclint does not have). DependencyMatcher rules run on it: matching a Span would
        copy it into a new Doc for every rule. A full pipeline's Doc is cut here once, when first asked."""
        found = self.sentence_docs.get(i)
        if found is None:
            s, index = self.sentences[i], self.spacy_index
            a, b = index[s.tokens.start], index[s.tokens.stop - 1] + 1
            by_spacy = {index[t]: t for t in range(s.tokens.start, s.tokens.stop)}
            sdoc = self.spacy_doc[a:b].as_doc()
            for t in sdoc:
                if t.dep_ == "ROOT":
                    t.dep_ = "root"  # as UD writes it (and doclint's own model), whichever pipeline parsed
            found = (sdoc, [by_spacy.get(k) for k in range(a, b)])
            self.sentence_docs[i] = found
        return found

    @cached_property
    def lower_text(self) -> str | None:
        """The text in lower case, when every character stays one character (offsets still hold);
        None otherwise (a few letters, such as İ, become two)."""
        lower = self.text.lower()
        return lower if len(lower) == len(self.text) else None

    def memo(self, key, compute):
        """compute(), worked out once per document and kept under `key` in match_cache (for what several
        rules, or one rule sentence by sentence, ask of the same document)."""
        cache = self.match_cache
        found = cache.get(key)
        if found is None:
            found = cache[key] = compute()
        return found

    @cached_property
    def match_cache(self) -> dict:
        """Term matches per term list, found once per document (see TermSet.find)."""
        return {}

    @cached_property
    def word_index(self) -> dict[str, list[int]]:
        """Token positions by lower-case form and by lemma."""
        index: dict[str, list[int]] = {}
        for t in self.tokens:
            index.setdefault(t.lower, []).append(t.i)
            if t.lemma != t.lower:
                index.setdefault(t.lemma, []).append(t.i)
        return index

    def positions(self, words) -> set[int]:
        """The indices of the tokens whose lower-case form or lemma is one of `words`."""
        index = self.word_index
        return {i for word in index.keys() & words for i in index[word]}

    @cached_property
    def body_sentences(self) -> list[Sentence]:
        """Sentences outside headings (asked for by most rules, so computed once)."""
        return [s for s in self.sentences if not s.is_heading]


# Signs that a text is about one particular case rather than about how case work goes in general:
# a child named with an age ("Adam, 10 år"), a date of the case, a personal identity number, the
# field lines of a form ("Barn: Leo", "Datum:", "Handläggare:"), a letter's greeting and sign-off, or a
# Markdown title naming the person ("# Vårdplan för Omar").
_CASE_WINDOW = 4000
_MONTHS = "januari|februari|mars|april|maj|juni|juli|augusti|september|oktober|november|december"
_CASE_SIGNS = re.compile(
    r"(?-i:\b[A-ZÅÄÖ][a-zåäö]+)(?:,|\s+är|\s+var)?\s+\(?(?:\d{1,2}|ett|två|tre|fyra|fem|sex|sju|åtta|nio|tio|elva|"
    r"tolv|tretton|fjorton|femton|sexton|sjutton|arton)\s+år\b"
    r"|(?<!\d)\d{4}-\d{2}-\d{2}(?!\d)|(?<!\d)\d{6,8}-\d{4}(?!\d)"
    rf"|\b(?:den\s+)?\d{{1,2}}\s+(?:{_MONTHS})(?:\s+\d{{4}})?\b"
    r"|^[ \t]*(?:barn|barnet|ungdom|den unge|namn|personnummer|datum|handläggare|socialsekreterare|"
    r"vårdnadshavare|närvarande|upprättad|till|ärende|dnr|diarienummer|klient|elev)[ \t]*:"
    r"|^[ \t]*hej\b|\b(?:med\s+)?vänliga\s+hälsningar\b"
    r"|^\#[^\n]*?\b(?:om|för|till|med)[ \t]+(?-i:[A-ZÅÄÖ][a-zåäö]+)\b",
    re.I | re.M)


def looks_like_case_document(text: str) -> bool:
    return _CASE_SIGNS.search(text) is not None


def _normalise_type(value: str) -> str | None:
    value = unicodedata.normalize("NFC", value).strip().lower()
    for doc_type, words in _TYPE_WORDS.items():
        if any(value == w or value.startswith(w) for w in words):
            return doc_type
    return None


def detect_doc_type(meta: dict, first_heading: str | None, path: str) -> str | None:
    """Document type from front matter (typ:), the first heading, or the file name."""
    return detect_doc_type_and_source(meta, first_heading, path)[0]


def detect_doc_type_and_source(meta: dict, first_heading: str | None, path: str) -> tuple[str | None, str | None]:
    """(type, where it was read: "front_matter", "heading" or "file_name")."""
    for key in ("typ", "type", "dokumenttyp"):
        if isinstance(meta.get(key), str) and (found := _normalise_type(meta[key])):
            return found, "front_matter"
    if first_heading and (found := _normalise_type(first_heading)):
        return found, "heading"
    stem = Path(path).stem.lower().replace("_", "-") if path and path != "-" else ""
    for part in re.split(r"[-.\s]+", stem):
        if part and (found := _normalise_type(part)) and len(part) > 3:
            return found, "file_name"
    return None, None


def detect_date(meta: dict, first_heading: str | None, path: str) -> str | None:
    """The document's date (YYYY-MM-DD) from front matter (datum:), the file name or the first heading."""
    value = meta.get("datum") or meta.get("date")
    if isinstance(value, (str, int, date)) and (m := _ISO_DATE.search(str(value))):
        return m.group(1)
    has_date = path and path != "-" and _ISO_DATE.search(path)  # a date in the file name is one in the path
    for text in (Path(path).name if has_date else "", first_heading or ""):
        if m := _ISO_DATE.search(text):
            return m.group(1)
    return None


def front_matter_end(text: str) -> int:
    """Where the text after the front matter (a `---` block of metadata at the top) begins; 0 without one."""
    return _parse_front_matter(text)[1]


def _parse_front_matter(text: str) -> tuple[dict, int]:
    match = _FRONT_MATTER.match(text[:_MAX_FRONT_MATTER])
    if not match:
        return {}, 0
    try:
        meta = yaml.load(match.group(1) or "", Loader=_YAML_LOADER) or {}  # noqa: S506  (a safe loader)
    except Exception:  # noqa: BLE001  invalid YAML, impossible dates, deep nesting: just text at the top
        meta = {}
    return (meta if isinstance(meta, dict) else {}), match.end()


# A quotation mark, or a line break before an empty line: the only characters _quoted_spans acts on.
_QUOTE_OR_BLANK_LINE = re.compile(f"[{re.escape(QUOTE_CHARS)}]|\n(?=\r?\n)")


def _quoted_spans(text: str) -> list[tuple[int, int]]:
    """Spans (inside the marks) of text in quotation marks, never across a blank line."""
    if not any(mark in text for mark in QUOTE_CHARS):
        return []
    spans: list[tuple[int, int]] = []
    open_at = -1
    n = len(text)
    for m in _QUOTE_OR_BLANK_LINE.finditer(text):
        i = m.start()
        if text[i] == "\n":
            if open_at >= 0:
                spans.append((open_at + 1, i))  # unclosed quote ends with its paragraph
                open_at = -1
            continue
        before = text[i - 1] if i else " "
        after = text[i + 1] if i + 1 < n else " "
        if open_at < 0:
            if not after.isspace() and (before.isspace() or before in "([:–-—" or i == 0):
                open_at = i
        elif not before.isspace() and (after.isspace() or not after.isalnum()):
            spans.append((open_at + 1, i))
            open_at = -1
    if open_at >= 0:
        spans.append((open_at + 1, n))
    return spans


def _classify_lines(text: str, start: int):
    """Yield (kind, line_start, line_end) for each line from `start` on."""
    pos = start
    lines = []
    for line in text[start:].splitlines(keepends=True):
        content = line.rstrip("\r\n")
        lines.append((pos, pos + len(content), content))
        pos += len(line)
    for idx, (ls, le, content) in enumerate(lines):
        stripped = content.strip()
        if not stripped:
            yield "blank", ls, le
            continue
        if _HEADING_MD.match(stripped):
            yield "heading", ls, le
            continue
        if _BULLET.match(content):
            yield "bullet", ls, le
            continue
        # A short line on its own that starts with a capital and does not end like a sentence (cheap tests first)
        short = len(stripped) <= 60 and stripped[0].isupper() and len(stripped.split()) <= 7
        if short and stripped[-1] not in ".!?,;…\"”»" and not (":" in stripped[:-1]) and \
                (idx == 0 or not lines[idx - 1][2].strip() or _BULLET.match(lines[idx - 1][2])):
            yield "heading", ls, le
            continue
        yield "text", ls, le


def _blocks(text: str, body_start: int) -> tuple[list[Block], list[Section]]:
    blocks: list[Block] = []
    sections = [Section(0, None, body_start, len(text))]
    current: Block | None = None
    for kind, ls, le in _classify_lines(text, body_start):
        if kind == "blank":
            current = None
            continue
        line = text[ls:le]
        lead = len(line) - len(line.lstrip())
        if kind == "heading":
            title = text[ls + lead:le].strip().lstrip("#").strip().rstrip(":").strip()
            sections[-1].end = ls
            sections.append(Section(len(sections), title, ls + lead, len(text)))
            blocks.append(Block("heading", ls + lead, le, len(sections) - 1))
            sections[-1].blocks.append(len(blocks) - 1)
            current = None
            continue
        if kind == "bullet" or current is None:
            current = Block("bullet" if kind == "bullet" else "paragraph", ls + lead, le, len(sections) - 1)
            blocks.append(current)
            sections[-1].blocks.append(len(blocks) - 1)
        else:
            current.end = le
    if sections[0].start == sections[0].end or (not sections[0].blocks and len(sections) > 1):
        sections.pop(0)
        for i, s in enumerate(sections):
            s.i = i
        for b in blocks:
            b.section -= 1
    return blocks, sections


def _starts_sentence(token: Token) -> bool:
    first = token.text[0]
    return first.isupper() or first.isdigit() or first in QUOTE_CHARS or first in "–-—(•*'’"


def _split_sentences(doc: Document, block_index: int, toks: list[Token]) -> None:
    block = doc.blocks[block_index]
    first_sentence = len(doc.sentences)
    start = 0
    n = len(toks)

    def close(end_index: int) -> None:
        nonlocal start
        if end_index <= start:
            return
        s_toks = toks[start:end_index]
        sid = len(doc.sentences)
        doc.sentences.append(Sentence(sid, s_toks[0].start, s_toks[-1].end, range(s_toks[0].i, s_toks[-1].i + 1),
                                      block_index, block.kind == "heading"))
        for t in s_toks:
            t.sentence = sid
        start = end_index

    if block.kind == "heading":  # a heading is one sentence
        close(n)
        block.sentences = range(first_sentence, len(doc.sentences))
        return
    i = 0
    while i < n - 1:
        tok, nxt = toks[i], toks[i + 1]
        text = tok.text
        if text in _SENTENCE_END or tok.lower in SENTENCE_FINAL_ABBREVIATIONS:  # (m.m., osv.: with their full stop)
            j = i + 1
            while j < n and toks[j].text in _CLOSERS and toks[j].start == toks[j - 1].end and \
                    not _opens_quote(doc, toks[j]):
                j += 1
            after = toks[j] if j < n else None
            prev = toks[i - 1] if i else None
            if after is None:
                i = j
                continue
            if text == "." and prev is not None and prev.end == tok.start:
                if (prev.lower + ".") in ABBREVIATION_SET and (prev.lower + ".") not in SENTENCE_FINAL_ABBREVIATIONS:
                    i += 1
                    continue
                if len(prev.text) == 1 and prev.text.isupper():
                    i += 1
                    continue
            if _starts_sentence(after):
                close(j)
                i = j
                continue
        elif text == ":" and (nxt.text in QUOTE_CHARS or nxt.text in "'’" or nxt.text[0].isupper()) \
                and (len(nxt.text) > 1 or i + 2 < n):
            close(i + 1)
        elif nxt.text[0].isupper() and "\n" in doc.text[tok.end:nxt.start] and text not in (",", ":", ";", "–", "-"):
            close(i + 1)
        i += 1
    close(n)
    block.sentences = range(first_sentence, len(doc.sentences))


def _opens_quote(doc: Document, token: Token) -> bool:
    return token.text in QUOTE_CHARS and any(qs == token.end for qs, _ in doc.quotes)


def build_document(text: str, pipeline: Pipeline, path: str = "-", spacy_doc=None,
                   doc_type: str | None = None, grammar="all") -> Document:
    """Run the pipeline over `text` and return its Document.

    `doc_type` (from the configuration's globs) wins over headings and file
    names, but not over the document's own front matter. With a pipeline that has
    trained grammar components (`pipeline.grammar`), `grammar` chooses the sentences
    they run on: "all", None (none), or a function (doc, sentence) -> bool.
    """
    doc = Document(text=text, path=path)
    newline = "\n" if "\n" in text or "\r" not in text else "\r"  # old Mac exports end lines with CR only
    doc._line_starts = [0] + [m.end() for m in re.finditer(newline, text)]
    doc.meta, doc.body_start = _parse_front_matter(text)
    doc.quotes = _quoted_spans(text)
    sdoc = spacy_doc if spacy_doc is not None else pipeline(text)
    doc.spacy_doc = sdoc
    # Both searches try every position of the text: skip them where nothing they find can be.
    mentions = ([(m.start(2), m.end(2)) for m in _MENTION_MARKS.finditer(text)]
                if any(mark in text for mark in "*`'‘") else [])
    links = [m.span(m.lastindex) for m in _LINK_TARGETS.finditer(text)] if any(s in text for s in _LINK_SIGNS) else []

    if pipeline is not None and (getattr(pipeline, "grammar", None) is not None
                                 or not (pipeline.annotations & {"pos", "morph", "dep"})):
        tokens = _plain_tokens(text, sdoc, doc.body_start)  # the trained components come later, if at all
    else:
        tokens = _annotated_tokens(sdoc, doc.body_start)
    doc.tokens = tokens
    if links:
        _unword_links(tokens, links)
    parsed_all = bool(tokens) and sdoc.has_annotation("DEP")  # a full spaCy or Stanza pipeline parsed the whole text
    if tokens and (getattr(pipeline, "grammar", None) is not None or parsed_all):
        doc.spacy_index = _spacy_index(sdoc, tokens)
    if parsed_all:
        by_spacy = {si: i for i, si in enumerate(doc.spacy_index)}
        for tok, si in zip(tokens, doc.spacy_index):
            tok.head = by_spacy.get(sdoc[si].head.i, tok.i)
    _flag_tokens(doc, mentions)
    doc.blocks, doc.sections = _blocks(text, doc.body_start)
    _assign_sentences(doc)
    first_heading = next((s.title for s in doc.sections if s.title), None)
    doc.date = detect_date(doc.meta, first_heading, path)
    doc.doc_type, doc.doc_type_source = detect_doc_type_and_source(doc.meta, None, "")
    if doc.doc_type is None and doc_type and (found := _normalise_type(doc_type)):
        doc.doc_type, doc.doc_type_source = found, "config"
    if doc.doc_type is None:
        doc.doc_type, doc.doc_type_source = detect_doc_type_and_source({}, first_heading, path)
    # Grammar last: which sentences a rule looks at can depend on the document type. A full pipeline annotated all.
    if parsed_all or (tokens and (sdoc.has_annotation("POS") or sdoc.has_annotation("MORPH"))):
        doc.parsed.update(s.i for s in doc.sentences)
    elif tokens:
        annotate_documents(pipeline, [doc], grammar)
    return doc


def annotate_documents(pipeline: Pipeline, docs: list[Document], grammar) -> None:
    """Run the pipeline's trained components over the sentences `grammar` chooses in each of `docs`
    ("all", None for none, or a function (doc, sentence) -> 2 parse, 1 part of speech and morphology
    only, 0 nothing), in one pass over all of them: build the documents with grammar=None first."""
    if getattr(pipeline, "grammar", None) is None or grammar is None:
        return
    items = []
    for doc in docs:
        if grammar == "all":
            items.append((doc, doc.sentences, ()))
        else:
            levels = [(s, grammar(doc, s)) for s in doc.sentences]
            items.append((doc, [s for s, level in levels if level == 2], [s for s, level in levels if level == 1]))
    pipeline.grammar.annotate_many(items)


# Where a Markdown link points, an autolink, a web address or an e-mail address: not words of the text.
_LINK_TARGETS = re.compile(r"\]\(([^()\s]*(?:\([^()\s]*\)[^()\s]*)*)\)|<((?:https?://|mailto:)[^>\s]+)>"
                           r"|(?<![\w/])((?:https?://|www\.)[^\s<>()\[\]]*[^\s<>()\[\].,;:!?”\"'»])"
                           r"|(?<![\w.])([\w.+-]+@[\w-]+(?:\.[\w-]+)+)")
_LINK_SIGNS = ("](", "<", "http", "www.", "@")  # every match of _LINK_TARGETS has one of these


def _unword_links(tokens: list[Token], links: list[tuple[int, int]]) -> None:
    """Tokens inside a link target or an address are neither words nor counted (DL109, sentence length)."""
    li = 0
    for tok in tokens:
        while li < len(links) and links[li][1] <= tok.start:
            li += 1
        if li < len(links) and tok.start < links[li][1] and links[li][0] < tok.end:
            tok.is_word = False
            tok.is_punct = True


def _spacy_index(sdoc, tokens: list[Token]) -> list[int]:
    """The spaCy token index of each doclint token (they start at the same character)."""
    from spacy.attrs import IDX  # noqa: PLC0415

    by_start = {start: i for i, start in enumerate(sdoc.to_array([IDX]).tolist())}
    return [by_start[t.start] for t in tokens]


def _annotated_tokens(sdoc, body_start: int) -> list[Token]:
    tokens: list[Token] = []
    for st in sdoc:
        if st.is_space:
            continue
        start = st.idx
        if start < body_start:
            continue
        lower, is_word, no_alnum, is_initials, is_abbrev, word_text = _word_info(st.text)
        tokens.append(Token(
            i=len(tokens), text=word_text, start=start, end=start + len(word_text),
            lemma=(st.lemma_ or lower).lower(), lower=lower, pos=st.pos_, morph=str(st.morph), dep=st.dep_,
            is_word=is_word, is_punct=st.is_punct or no_alnum, is_abbrev=is_abbrev, is_initials=is_initials,
        ))
    return tokens


def _plain_tokens(text: str, sdoc, body_start: int) -> list[Token]:
    """Tokens of a pipeline without tags: read as one array instead of a spaCy Token per attribute."""
    from spacy.attrs import IDX, IS_PUNCT, IS_SPACE, LEMMA, LENGTH  # noqa: PLC0415

    strings = sdoc.vocab.strings
    tokens: list[Token] = []
    append = tokens.append
    info = _word_info
    columns = sdoc.to_array([IDX, LENGTH, IS_SPACE, IS_PUNCT, LEMMA]).T.tolist()  # by column: rows are slow to list
    for start, length, is_space, is_punct, lemma_id in zip(*columns):
        if is_space or start < body_start:
            continue
        word_text = text[start:start + length]
        lower, is_word, no_alnum, is_initials, is_abbrev, word_text = info(word_text)
        lemma = strings[lemma_id] if lemma_id else ""
        append(Token(len(tokens), word_text, start, start + len(word_text), lemma.lower() if lemma else lower, lower,
                     "", "", "", is_word, bool(is_punct) or no_alnum, False, False, is_abbrev, is_initials))
    return tokens


@lru_cache(maxsize=100_000)
def _word_info(word_text: str) -> tuple[str, bool, bool, bool, bool, str]:
    """(lower, has a letter, has no letter or digit, initials, abbreviation, text) of a token's text."""
    if word_text != word_text.strip():  # spaCy may keep trailing whitespace inside a token
        word_text = word_text.rstrip()
    lower = word_text.lower()
    is_initials = bool(_INITIALS.match(word_text) or _ANONYMISED.match(word_text))
    is_abbrev = not is_initials and (lower in ABBREVIATION_SET or bool(_CAPS_ABBREV.match(word_text)))
    return (lower, any(map(str.isalpha, word_text)), not any(map(str.isalnum, word_text)), is_initials, is_abbrev,
            word_text)


_start, _end = attrgetter("start"), attrgetter("end")


def _flag_tokens(doc: Document, mentions: list[tuple[int, int]]) -> None:
    tokens = doc.tokens
    for tok in _tokens_inside(tokens, doc.quotes):
        tok.in_quote = True
    for tok in _tokens_inside(tokens, mentions):
        tok.is_mention = True
    _flag_listed_examples(tokens)


def _tokens_inside(tokens: list[Token], spans: list[tuple[int, int]]):
    """The tokens that lie wholly inside one of `spans`."""
    for start, end in spans:
        k = bisect_left(tokens, start, key=_start)
        while k < len(tokens) and tokens[k].end <= end:
            yield tokens[k]
            k += 1


def _flag_listed_examples(tokens: list[Token]) -> None:
    """Words named after a noun about language are mentioned, not used: "ordet X", and examples listed in
    "ord som X, Y och Z", "en förkortning som ERUF", "uttryck, t.ex. X eller Y". Each example is one word
    (or a quoted phrase)."""
    n = len(tokens)
    leads = [i for i, t in enumerate(tokens) if t.lower in _EXAMPLE_LEADS]
    if not leads:
        return
    # In a text about language (a writing guide), "t.ex. X eller Y" gives examples of words too.
    about_language = sum(t.lower in _LANGUAGE_NOUNS or t.lower.startswith(("klarspråk", "skrivregl", "språkråd"))
                         for t in tokens) >= 3
    for i in leads:
        tok = tokens[i]
        if tok.lower in _MENTION_WORDS and i + 1 < n and tokens[i + 1].is_word:
            tokens[i + 1].is_mention = True
        if tok.lower not in _LANGUAGE_NOUNS:
            if about_language and i + 1 < n and tokens[i + 1].is_word:
                j = i + 1
                while j < n and tokens[j].is_word:
                    tokens[j].is_mention = True
                    if j + 2 < n and tokens[j + 1].lower in _LIST_JOINS and tokens[j + 2].is_word:
                        j += 2
                    else:
                        break
            continue
        j = i + 1
        while j < n and j <= i + 3 and tokens[j].lower in _LIST_LEADS:
            if tokens[j].lower == "till" and (j + 1 >= n or tokens[j + 1].lower != "exempel"):
                break  # "förkortningar till barn" lists nothing
            j += 1
        if j == i + 1 or j >= n:
            continue  # "ordet X" is handled above; a noun alone lists nothing
        while j < n and tokens[j].is_word:
            tokens[j].is_mention = True
            if j + 2 < n and tokens[j + 1].lower in _LIST_JOINS and tokens[j + 2].is_word:
                j += 2
            else:
                break


def _assign_sentences(doc: Document) -> None:
    toks = doc.tokens
    ti = 0
    for bi, block in enumerate(doc.blocks):  # tokens, blocks and their starts and ends are in text order
        ti = bisect_left(toks, block.start, lo=ti, key=_start)
        tj = bisect_right(toks, block.end, lo=ti, key=_end)
        if tj > ti:
            _split_sentences(doc, bi, toks[ti:tj])
        ti = tj
