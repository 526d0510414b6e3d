"""Loading the spaCy pipeline that tokenises and annotates Swedish text.

Every pipeline starts from spaCy's blank Swedish tokenizer with fixes for Swedish
abbreviations, plus a lemmatizer built on simplemma's Swedish dictionary.
The default pipeline adds doclint's trained Swedish model (package `sv_doclint`,
shipped in models/sv-doclint/): its components (tok2vec, tagger/morphologizer,
parser) give part of speech, morphology and dependencies on doclint's own tokens
and sentences. They are loaded on first use and run only over the sentences a
rule that needs grammar can match (see `Grammar`). `--pipeline blank` is the
string pipeline alone, `--pipeline NAME|PATH` loads an installed or saved spaCy
pipeline instead, and `--pipeline stanza` uses Stanza through spacy-stanza.
"""

from __future__ import annotations

import contextlib
import importlib.util
import os
import re
import sqlite3
from functools import lru_cache
from pathlib import Path

import simplemma
import spacy
from spacy.attrs import DEP, HEAD, LEMMA, MORPH, POS
from spacy.language import Language
from spacy.symbols import ORTH
from spacy.tokens import Doc
from spacy.util import compile_infix_regex, compile_prefix_regex, compile_suffix_regex


class PipelineError(Exception):
    """The requested pipeline cannot be loaded; the message says what to do."""


# Abbreviations written with full stops. They never end a sentence by themselves.
ABBREVIATIONS = (
    "bl.a. t.ex. s.k. p.g.a. pga. enl. ca. jfr. nr. kl. m.m. o.s.v. osv. etc. dvs. d.v.s. "
    "t.o.m. fr.o.m. m.fl. f.d. resp. ang. tel. st. kap. ff. e.d. o.d. mfl. mm. tf. inkl. "
    "exkl. obs. ev. bl. a. resp. d.ä. sek. tim. f.n. p.s. s. st. jan. feb. mar. "
    "apr. jun. jul. aug. sep. sept. okt. nov. dec. mån. tis. ons. tors. fre. lör. sön. "
    "adr. avd. bet. bil. dr. prof. forts. vard. ggr. gr. uppl. u.a. a.a. v. vv. fm. em. "
    "e.kr. f.kr. t.v. t.h. i.o.m. m.a.o. m.h.a. m.m.fl. t.ex resp bl.a t.o.m"
).split()
ABBREVIATIONS = tuple(a for a in dict.fromkeys(ABBREVIATIONS) if a.endswith("."))
# Those that may close a sentence ("… kläder, leksaker m.m. Sedan …").
SENTENCE_FINAL_ABBREVIATIONS = frozenset({"m.m.", "osv.", "o.s.v.", "etc.", "m.fl.", "mfl.", "mm.", "m.m.fl."})
ABBREVIATION_SET = frozenset(ABBREVIATIONS)

QUOTE_CHARS = "\"”“„»«"

# Present participles and -ande nouns keep their own lemma (krävande, inflytande).
def _participle(lower: str) -> bool:
    stem = lower[:-4]
    return len(lower) > 5 and stem.isalpha() and any(c in "aeiouyåäö" for c in stem)
_ORDINALS = frozenset({"första", "andra", "tredje"})


def _cache_file() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    version = getattr(simplemma, "__version__", "0")
    return Path(base) / "doclint" / f"simplemma-{version}-sv.sqlite"


def _build_store(target: Path) -> bool:
    """Write simplemma's Swedish dictionary (word lists only, never any checked text) to an
    SQLite file once; later starts look words up on disk instead of unpacking 964,000 entries."""
    from simplemma.strategies.dictionaries import dictionary_factory  # noqa: PLC0415

    data = dictionary_factory._load_dictionary_from_disk("sv")
    tmp = target.with_name(f"{target.name}.{os.getpid()}.tmp")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        con = sqlite3.connect(tmp)
        try:
            con.execute("PRAGMA journal_mode=OFF")
            con.execute("CREATE TABLE lemma (form BLOB PRIMARY KEY, lemma BLOB NOT NULL) WITHOUT ROWID")
            con.executemany("INSERT INTO lemma VALUES (?, ?)", sorted(data.items()))
            con.commit()
        finally:
            con.close()
        os.replace(tmp, target)
        return True
    except (OSError, sqlite3.Error):
        with contextlib.suppress(OSError):
            tmp.unlink()
        return False  # a read-only home directory: the dictionary is kept in memory instead


@lru_cache(maxsize=1)
def _swedish_mapping():
    """simplemma's Swedish dictionary as a str -> str mapping: the SQLite store when it can be
    made, else the whole dictionary in memory."""
    from simplemma.strategies.dictionaries.dictionary_factory import (  # noqa: PLC0415
        DecodedStrMapping, MappingStrToByteString)

    store = _cache_file()
    if not store.exists() and not _build_store(store):
        from simplemma.strategies.dictionaries import dictionary_factory  # noqa: PLC0415

        return MappingStrToByteString(dictionary_factory._load_dictionary_from_disk("sv"))

    class SqliteMapping(DecodedStrMapping):
        """Look-ups in the store; one connection per process (never shared across a fork)."""

        def __init__(self, path: Path):
            self._path = path
            self._pid = -1
            self._con = None

        def _query(self, key: bytes):
            if self._pid != os.getpid():
                self._con = sqlite3.connect(f"{self._path.as_uri()}?mode=ro&immutable=1", uri=True,
                                            check_same_thread=False)
                self._pid = os.getpid()
            return self._con.execute("SELECT lemma FROM lemma WHERE form = ?", (key,)).fetchone()

        def _lookup(self, key: str):
            row = self._query(key.encode())
            return row[0].decode() if row is not None else None

        def __iter__(self):
            self._query(b"")
            for (form,) in self._con.execute("SELECT form FROM lemma"):
                yield form.decode()

        def __len__(self) -> int:
            self._query(b"")
            return self._con.execute("SELECT count(*) FROM lemma").fetchone()[0]

    return SqliteMapping(store)


class _ByteKeyed:
    """The dictionary with bytes keys and values (as simplemma stores it): `b"ord" in d`, `d.get(b"ord")`."""

    def __init__(self, mapping):
        self._mapping = mapping

    def get(self, key: bytes, default=None):
        value = self._mapping.get(key.decode())
        return value.encode() if value is not None else default

    def __contains__(self, key) -> bool:
        return isinstance(key, bytes) and self._mapping.get(key.decode()) is not None

    def __getitem__(self, key: bytes) -> bytes:
        value = self.get(key)
        if value is None:
            raise KeyError(key)
        return value


def _swedish_dictionary() -> _ByteKeyed:
    """simplemma's Swedish dictionary for look-ups of single words (from the store, not loaded whole)."""
    return _ByteKeyed(_swedish_mapping())


@lru_cache(maxsize=1)
def _simplemma():
    """simplemma's Swedish lemmatizer (greedy: also splits unknown compounds)."""
    try:
        from simplemma.strategies import DefaultStrategy  # noqa: PLC0415
        from simplemma.strategies.dictionaries.dictionary_factory import DictionaryFactory  # noqa: PLC0415

        mapping = _swedish_mapping()

        class _Factory(DictionaryFactory):
            def get_dictionary(self, lang):
                return mapping

        strategy = DefaultStrategy(greedy=True, dictionary_factory=_Factory())
        return simplemma.Lemmatizer(lemmatization_strategy=strategy).lemmatize
    except (ImportError, AttributeError):  # another simplemma layout: its own loading
        return lambda word, lang: simplemma.lemmatize(word, lang=lang, greedy=True)


@lru_cache(maxsize=200_000)
def lemmatize(word: str) -> str:
    """Case-insensitive lemma of one Swedish word form."""
    lower = word.lower()
    if not any(ch.isalpha() for ch in lower) or (len(word) <= 6 and sum(ch.isupper() for ch in word) >= 2):
        return lower  # numbers, punctuation, abbreviations (LVU, SoL) and initials
    if len(lower) > 40 or lower in _ORDINALS or (lower.endswith(("ande", "ende")) and _participle(lower)):
        return lower  # participles keep their form; very long strings are not words to look up
    return _simplemma()(lower, "sv").lower()


# spaCy's Swedish exceptions that are also ordinary words at the end of a sentence
# ("Hon är ung.", "Lisa och Max.", "boken min."): let their full stop go.
_WORDS_NOT_ABBREVIATIONS = ("lat.", "max.", "min.", "mos.", "kor.", "ung.", "el.")


def _customise_tokenizer(nlp: Language) -> None:
    """Keep Swedish abbreviations whole and split quotes glued to words (for pipelines doclint did
    not build itself: an installed spaCy model or a saved pipeline)."""
    tokenizer = nlp.tokenizer
    nlp.tokenizer = _build_tokenizer(nlp, tokenizer.rules or {}, tokenizer.token_match, tokenizer.url_match)


def _build_tokenizer(nlp: Language, rules: dict, token_match, url_match):
    """The tokenizer, built once with everything in place: changing rules and affixes one by one on an
    existing tokenizer reloads all its special cases each time."""
    from spacy.tokenizer import Tokenizer  # noqa: PLC0415

    drop = {form for w in _WORDS_NOT_ABBREVIATIONS for form in (w, w.capitalize())}
    rules = {k: v for k, v in rules.items() if k not in drop}
    for abbr in ABBREVIATIONS:
        for form in {abbr, abbr.capitalize(), abbr.upper()}:
            rules[form] = [{ORTH: form}]
    quotes = re.escape(QUOTE_CHARS)
    # A control character (a terminal escape, a bell pasted from another program) is never part of a word.
    control = r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]"
    prefixes = list(nlp.Defaults.prefixes) + [f"[{quotes}]", control]
    # "SoL." and "HVB." lose their full stop, initials (J.T.H.) keep theirs.
    suffixes = list(nlp.Defaults.suffixes) + [f"[{quotes}]", r"(?<=[^\W\d_]{2})\.", control]
    # "[utredningen](utredning.md)": the link text and the link target are separate tokens.
    infixes = list(nlp.Defaults.infixes) + [f"(?<=[^\\W\\d_])[:;](?=[{quotes}])", f"(?<=[:;,])[{quotes}]",
                                            r"\]\(", control]
    tokenizer = Tokenizer(nlp.vocab, rules=rules, prefix_search=compile_prefix_regex(prefixes).search,
                          suffix_search=compile_suffix_regex(suffixes).search,
                          infix_finditer=compile_infix_regex(infixes).finditer,
                          token_match=token_match, url_match=url_match)
    if hasattr(tokenizer, "max_cache_size"):  # spaCy 3.8 remembers 10,000 chunks; an archive has more words
        tokenizer.max_cache_size = TOKENIZER_CACHE
    return tokenizer


# Chunks of text between spaces whose split spaCy's tokenizer remembers. Measured: 200,000 new words grow a
# process by 190 MB with this limit and 147 MB with spaCy's own 10,000 (the vocabulary grows either way).
TOKENIZER_CACHE = 100_000


@spacy.registry.tokenizers("doclint.swedish_tokenizer.v1")
def _swedish_tokenizer():
    """doclint's tokenizer as a spaCy registry entry, so that spacy.blank builds it directly (and not
    spaCy's default Swedish tokenizer first, only to replace it)."""
    def create(nlp: Language):
        defaults = nlp.Defaults
        return _build_tokenizer(nlp, dict(defaults.tokenizer_exceptions), defaults.token_match, defaults.url_match)

    return create


class _UnusedTokenizer:
    """Stands in for the trained model's own tokenizer, which doclint never uses (it gives the model its
    own tokens), so that loading the model does not build one."""

    def __call__(self, text):
        raise RuntimeError("the trained model is given doclint's tokens")

    def to_disk(self, path, **_):
        pass

    def from_disk(self, path, **_):
        return self

    def to_bytes(self, **_):
        return b""

    def from_bytes(self, data, **_):
        return self


@spacy.registry.tokenizers("doclint.unused_tokenizer.v1")
def _unused_tokenizer():
    return lambda nlp: _UnusedTokenizer()


_DOCLINT_TOKENIZER = {"nlp": {"tokenizer": {"@tokenizers": "doclint.swedish_tokenizer.v1"}}}
_NO_TOKENIZER = {"nlp": {"tokenizer": {"@tokenizers": "doclint.unused_tokenizer.v1"}}}


@Language.component("doclint_lemmatizer")
def _lemmatizer_component(doc):
    for token in doc:
        if not token.is_space:
            token.lemma_ = lemmatize(token.text)
    return doc


GRAMMAR_PACKAGE = "sv_doclint"
# The version of models/sv-doclint this doclint is made for. pip may reinstall an older build of it from
# its wheel cache (it caches builds of local directories whose path holds a hyphen); doclint then says so.
MODEL_VERSION = "0.3.0"
GRAMMAR_ANNOTATIONS = frozenset({"pos", "morph", "dep"})
# Sentences longer than this are not parsed (a table or list run together); rules needing grammar skip them.
MAX_PARSED_TOKENS = 300
# Components of the trained model that doclint does not use: its own tokenizer, sentences and lemmas win.
_UNUSED_COMPONENTS = ("lemmatizer", "senter", "ner", "attribute_ruler", "doclint_lemmatizer")


# Called once the trained model is loaded. The command line sets it (cli._loading) to move the model's
# objects, which live as long as the process, out of the garbage collector's way.
after_model_load = None


class Grammar:
    """The trained components (tagger/morphologizer and parser), loaded on first use.

    `annotate` runs them over chosen sentences of a doclint Document: each sentence becomes a
    spaCy Doc made of doclint's own tokens, and the part of speech, morphology, head and relation
    found there are written back onto the Document's tokens and its spaCy Doc (with `Doc.from_array`),
    so Matcher and DependencyMatcher patterns on POS, MORPH and DEP see them.
    """

    def __init__(self, source: str):
        self.source = source
        self._nlp: Language | None = None

    @property
    def nlp(self) -> Language:
        if self._nlp is None:
            from . import lexicon  # noqa: F401, PLC0415  (registers the model's doclint_lexicon component)

            try:
                nlp = spacy.load(Path(self.source) if _is_path(self.source) else self.source,
                                 exclude=list(_UNUSED_COMPONENTS), config=_NO_TOKENIZER)
            except Exception as exc:  # noqa: BLE001  a broken install: say which model, never a traceback
                raise PipelineError(f"Den tränade svenska modellen ({self.source}) gick inte att läsa in: "
                                    f"{type(exc).__name__}. Installera om den eller kör med --pipeline blank.") from exc
            self._nlp = nlp
            if after_model_load is not None:
                after_model_load()
        return self._nlp

    def annotate(self, doc, sentences, tag_only=()) -> None:
        """Tag and parse `sentences` (doclint Sentences of `doc`), and only tag `tag_only` (the parser is
        most of the cost; rules on part of speech and morphology do not need it). Records their indices
        in doc.parsed."""
        self.annotate_many([(doc, sentences, tag_only)])

    def annotate_many(self, items) -> None:
        """`annotate` for several documents, (doc, sentences, tag_only) each, in one pass of the model:
        a batch of sentences from many documents costs less than one small batch per document."""
        from .lemma_pos import refine_lemma  # noqa: PLC0415

        def fits(doc, s) -> bool:
            return 0 < len(s.tokens) <= MAX_PARSED_TOKENS and s.i not in doc.parsed

        parse = [(doc, s) for doc, sentences, _ in items for s in sentences if fits(doc, s)]
        tag = [(doc, s) for doc, _, tag_only in items for s in tag_only if fits(doc, s)]
        chosen = parse + tag
        if not chosen:
            return
        nlp = self.nlp

        def inputs():
            for doc, s in chosen:
                toks = doc.tokens[s.tokens.start:s.tokens.stop]
                spaces = [toks[k + 1].start > t.end for k, t in enumerate(toks[:-1])] + [False]
                yield Doc(nlp.vocab, words=[t.text for t in toks], spaces=spaces)

        # One pass of the tagging components over every sentence, then the parser over those that need
        # it (it reads the tok2vec output the first pass left on each Doc).
        parser = ["parser"] if "parser" in nlp.pipe_names else []
        docs = list(nlp.pipe(inputs(), batch_size=256, disable=parser))
        if parse and parser:
            docs[:len(parse)] = nlp.get_pipe("parser").pipe(docs[:len(parse)], batch_size=256)
        by_doc: dict[int, tuple] = {}
        for (doc, s), parsed in zip(chosen, docs):
            tokens, base = doc.tokens, s.tokens.start
            deps = parsed.has_annotation("DEP")
            for st in parsed:
                t = tokens[base + st.i]
                t.pos, t.morph = st.pos_, str(st.morph)
                t.lemma = refine_lemma(t.lower, t.lemma, t.pos, t.morph)  # POS picks among lemmas
                if deps:
                    if st.dep_ == "ROOT":
                        st.dep_ = "root"  # UD writes the relation in lower case
                    t.dep, t.head = st.dep_, base + st.head.i
                    # The parsed Doc is kept for DependencyMatcher rules: doclint's lemma, and the word's own
                    # NORM instead of the lexicon class the model read there.
                    st.lemma_, st.norm_ = t.lemma, nlp.vocab[st.orth].norm_
            by_doc.setdefault(id(doc), (doc, [], []))[1].append(s)
            if deps:
                by_doc[id(doc)][2].append((s.i, (parsed, range(base, base + len(parsed)))))
        for doc, sentences, sentence_docs in by_doc.values():
            _write_spacy_doc(doc, sentences)
            doc.sentence_docs.update(sentence_docs)
            doc.parsed.update(s.i for s in sentences)


def _write_spacy_doc(doc, sentences) -> None:
    """Copy the annotations of `sentences` from doclint's tokens onto the document's spaCy Doc (with
    `Doc.from_array`), so that Matcher and DependencyMatcher patterns on POS, MORPH and DEP see them."""
    sdoc = doc.spacy_doc
    if sdoc is None:
        return
    tokens, index = doc.tokens, doc.spacy_index
    attrs = [POS, MORPH, DEP, HEAD, LEMMA]
    array = sdoc.to_array(attrs)  # uint64: relative heads are stored modulo 2**64
    vocab = sdoc.vocab
    for s in sentences:
        for t in tokens[s.tokens.start:s.tokens.stop]:
            si = index[t.i]
            array[si, 0] = _POS_IDS.get(t.pos, 0)
            array[si, 1] = vocab.morphology.add(t.morph) if t.morph else 0
            array[si, 2] = vocab.strings.add(t.dep) if t.dep else 0
            array[si, 3] = (index[t.head] - si) % 2**64 if t.head >= 0 else 0
            array[si, 4] = vocab.strings.add(t.lemma)
    sdoc.from_array(attrs, array)


def _is_path(name: str) -> bool:
    return "/" in name or "\\" in name or Path(name).exists()


def installed_model_version() -> str | None:
    """The installed sv-doclint's version (from its metadata; the model itself is not loaded)."""
    from importlib.metadata import PackageNotFoundError, version  # noqa: PLC0415

    try:
        return version("sv-doclint")
    except PackageNotFoundError:
        return None


def grammar_source() -> str | None:
    """Where the trained model comes from: DOCLINT_MODEL (a path or package), else the shipped package."""
    source = os.environ.get("DOCLINT_MODEL") or GRAMMAR_PACKAGE
    if _is_path(source):
        return source if (Path(source) / "config.cfg").is_file() else None
    try:
        return source if importlib.util.find_spec(source) is not None else None
    except (ImportError, ValueError):
        return None


class Pipeline:
    """A spaCy Language plus the annotations it can provide.

    `grammar` (the default pipeline with the trained model) adds part of speech, morphology and
    dependencies to chosen sentences after tokenisation; `missing` names a model that was asked
    for but is not installed, so the pipeline fell back to the blank one.
    """

    def __init__(self, nlp: Language, name: str, annotations: frozenset[str], grammar: Grammar | None = None,
                 missing: str | None = None, stale: str | None = None):
        self.nlp = nlp
        self.name = name
        self.annotations = annotations | (GRAMMAR_ANNOTATIONS if grammar else frozenset())
        self.grammar = grammar
        self.missing = missing
        self.stale = stale  # the installed model's version, when it is not MODEL_VERSION
        from spacy.tokenizer import Tokenizer  # noqa: PLC0415

        # Chunks the tokenizer has been taught (see _teach_tokenizer); None: not spaCy's tokenizer (Stanza).
        self._seen: set[str] | None = set() if isinstance(nlp.tokenizer, Tokenizer) else None

    def __call__(self, text: str):
        if self.name != "stanza" and _PUNCT_RUN.search(text):
            return self.nlp(_pretokenised(self.nlp, text))
        self._teach_tokenizer(text)
        return self.nlp(text)

    def _teach_tokenizer(self, text: str) -> None:
        """spaCy's tokenizer remembers how it split each chunk of text between spaces, but in a text it
        stops remembering after the first special case (kl., t.ex.; spaCy issue #1250), so most of a
        note's words were split anew every time, at some 5 µs a word. Each chunk it has not seen is
        split once on its own here, which it remembers: the same tokens, found by a lookup from then on."""
        if self._seen is None:
            return
        new = set(text.split()).difference(self._seen)
        if len(self._seen) + len(new) > TOKENIZER_CACHE:
            return  # the tokenizer remembers no more; it splits as before
        tokenizer = self.nlp.tokenizer
        for chunk in new:
            tokenizer(chunk)
        self._seen |= new


# spaCy's tokenizer peels prefix and suffix characters off a token one at a time, each time searching
# the rest again: a run of punctuation (a million ” in a row) or a very long string without spaces costs
# quadratic time. Such runs are cut here into words and runs of at most 64 punctuation marks; the text
# between them goes through the tokenizer as usual.
_PUNCT_RUN = re.compile(r"[^\w\s]{16,}|\S{256,}")
_RUN_PIECES = re.compile(r"\w+|[^\w\s]{1,64}")


def _pretokenised(nlp: Language, text: str):
    """A Doc of `text` (exactly the same characters) where long punctuation runs are whole tokens."""
    words: list[str] = []
    spaces: list[bool] = []

    def tokenise(segment: str) -> None:
        if segment:
            for tok in nlp.tokenizer(segment):
                words.append(tok.text)
                spaces.append(bool(tok.whitespace_))

    pos = 0
    for m in _PUNCT_RUN.finditer(text):
        tokenise(text[pos:m.start()])
        for piece in _RUN_PIECES.findall(m.group()):
            words.append(piece)
            spaces.append(False)
        pos = m.end()
        if text.startswith(" ", pos):
            spaces[-1] = True
            pos += 1
    tokenise(text[pos:])
    return Doc(nlp.vocab, words=words, spaces=spaces)


def _annotations_of(nlp: Language) -> frozenset[str]:
    """What the pipeline's components declare that they assign (token.pos, token.dep …)."""
    assigns = {a for name in nlp.pipe_names for a in nlp.get_pipe_meta(name).assigns}
    found = {"lemma"}
    if "token.pos" in assigns:
        found.add("pos")
    if "token.morph" in assigns:
        found.add("morph")
    if "token.dep" in assigns:
        found.add("dep")
    return frozenset(found)


def _finish(nlp: Language, name: str, annotations: frozenset[str] | None = None, *, own_tokenizer: bool = False,
            **extra) -> Pipeline:
    """`own_tokenizer`: the pipeline was built with doclint's tokenizer already (load_pipeline)."""
    from spacy.tokenizer import Tokenizer  # noqa: PLC0415

    if not own_tokenizer and isinstance(nlp.tokenizer, Tokenizer):
        _customise_tokenizer(nlp)
    if "lemmatizer" not in nlp.pipe_names and name != "stanza":
        nlp.add_pipe("doclint_lemmatizer", last=True)
    return Pipeline(nlp, name, annotations or _annotations_of(nlp), **extra)


_POS_IDS: dict[str, int] = {}


@lru_cache(maxsize=4)
def load_pipeline(name: str = "default") -> Pipeline:
    """Load the named pipeline: 'default' (blank tokenizer, simplemma lemmas and the trained model's
    grammar where rules need it), 'blank' (no grammar), 'stanza', an installed spaCy package or a path."""
    if name in ("default", "blank", ""):
        from spacy.parts_of_speech import IDS  # noqa: PLC0415

        _POS_IDS.update(IDS)
        nlp = spacy.blank("sv", config=_DOCLINT_TOKENIZER)
        nlp.max_length = 25_000_000  # the trained components see one sentence at a time
        if name == "blank":
            return _finish(nlp, "blank", own_tokenizer=True)
        source = grammar_source()
        if source is None:
            return _finish(nlp, "blank", own_tokenizer=True, missing=GRAMMAR_PACKAGE)
        installed = installed_model_version() if source == GRAMMAR_PACKAGE else None
        return _finish(nlp, "default", own_tokenizer=True, grammar=Grammar(source),
                       stale=installed if installed != MODEL_VERSION else None)
    if name == "stanza":
        return _load_stanza()
    if "/" in name or "\\" in name or Path(name).exists():
        try:
            nlp = spacy.load(Path(name))
        except Exception as exc:  # noqa: BLE001  not a saved pipeline: say so, whatever spaCy raised
            raise PipelineError(f"'{name}' är ingen sparad spaCy-pipeline (katalogen saknar config.cfg "
                                "eller går inte att läsa).") from exc
        return _finish(nlp, name)
    try:
        nlp = spacy.load(name)
    except (OSError, ImportError) as exc:
        raise PipelineError(
            f"Kunde inte läsa in spaCy-pipelinen '{name}'. Installera den först, till exempel med: "
            f"python -m spacy download {name} (eller pip install och paketets namn), "
            f"eller ange sökvägen till en sparad pipeline."
        ) from exc
    return _finish(nlp, name)


def _load_stanza() -> Pipeline:
    try:
        import spacy_stanza  # noqa: PLC0415  (optional extra)
    except ImportError as exc:
        raise PipelineError(
            "Stanza är inte installerat. Installera det med: pip install 'doclint[stanza]' "
            "(installera torch först för att slippa en stor CUDA-version)."
        ) from exc
    try:
        nlp = spacy_stanza.load_pipeline("sv", download_method=None, processors="tokenize,pos,lemma,depparse")
    except (FileNotFoundError, ValueError) as exc:
        # No resources.json (ResourcesFileNotFoundError), no sv/ directory (LanguageNotDownloadedError),
        # a missing model file, or a resources.json without Swedish ("No processors to load").
        raise PipelineError(
            "Stanzas svenska modell saknas. Hämta den en gång med: "
            "python -c \"import stanza; stanza.download('sv')\""
        ) from exc
    except Exception as exc:  # the model is there but cannot be read: say why instead of "missing"
        cause = re.sub(r"\x1b\[[0-9;]*m", "", str(exc)).strip().split("\n")[0].split(". ")[0][:160]
        hint = (" Stanza 1.6 (som spacy-stanza 1.0.4 kräver) kan inte läsa sina modeller med torch 2.6 eller "
                "senare: installera torch<2.6 eller sätt TORCH_FORCE_NO_WEIGHTS_ONLY_LOAD=1."
                if type(exc).__name__ == "UnpicklingError" else "")
        raise PipelineError(
            f"Stanza kunde inte läsa in den svenska modellen ({type(exc).__name__}: {cause}).{hint}"
        ) from exc
    return _finish(nlp, "stanza", frozenset({"lemma", "pos", "morph", "dep"}))
