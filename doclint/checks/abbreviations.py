"""conditional: an abbreviation must be explained at or before its first use.

Explained means: the expansion stands near the first use (before or after,
in parentheses or after a comma), or the abbreviation itself stands in
parentheses after the words it abbreviates, or is followed by a parenthesis,
or words that spell it out stand beside it in any common form ("lagen om vård
av unga, LVU", "FB = föräldrabalken", "RF, regeringsformen").
"""

from __future__ import annotations

import re

from .base import Check

_ROMAN = re.compile(r"^[IVXLC]+$")
_WINDOW = 14  # tokens on each side in which an expansion counts as "at first use"


_BEFORE_MARKS = frozenset({",", "(", "–", "-", "—"})
_AFTER_MARKS = frozenset({",", "=", "(", "–", "-", "—", ":"})
_EXPLAINING_WORDS = frozenset({"som", "står", "stod", "för", "betyder", "heter", "är", "en", "ett", "förkortning",
                               "förkortningen", "kort", "av", "alltså", "dvs", "dvs.", "d.v.s.", "det", "vill",
                               "säga", "kortform", "kortformen"})


def letters_spell(short: str, words: list[str], to_the_end: bool = False) -> bool:
    """Do the words spell out the abbreviation (Schwartz & Hearst 2003, simplified)? The first letter
    starts the first word; the others follow in order, at the start of a word or inside a compound:
    "lagen om vård av unga" spells LVU, "regeringsformen" spells RF, "föräldrabalken" spells FB."""
    letters = [c.lower() for c in short if c.isalnum()]
    if len(letters) < 2 or not words or words[0][:1].lower() != letters[0]:
        return False
    text = " ".join(w.lower() for w in words)
    pos = 1
    for c in letters[1:]:
        pos = text.find(c, pos)
        if pos < 0:
            return False
        pos += 1
    # Before the abbreviation, the long form ends where the abbreviation starts: its last word is used.
    return not to_the_end or pos > len(text) - len(words[-1])


class AbbreviationCheck(Check):
    def __init__(self, rule, pipeline):
        super().__init__(rule, pipeline)
        opts = rule.options
        self.glossary = dict(opts.get("glossary", {}))
        self.folded = {k.lower(): k for k in self.glossary}
        self.accept = {a.lower() for a in opts.get("accept", [])}
        self.unknown = opts.get("unknown", False)

    def key_for(self, text: str) -> str | None:
        if text in self.glossary:
            return text
        return self.folded.get(text.lower()) if text.lower() in self.folded else None

    def candidate(self, tok) -> tuple[str, str] | None:
        """(shown form, glossary key or '') for a token that may be an unexplained abbreviation."""
        text = tok.text
        key = self.key_for(text)
        if key is None and "-" in text:  # HVB-hem: the abbreviation is the first part
            text = text.split("-")[0]
            key = self.key_for(text)
        if key is not None and (key.islower() or tok.is_abbrev or text != tok.text):
            return text, key
        if key is None and text.lower() in self.folded:
            return None
        looks_like = tok.is_abbrev or (text != tok.text and len(text) >= 2 and text.isupper())
        if looks_like and "." not in text and not _ROMAN.match(text):
            return text, ""
        return None

    def candidate_tokens(self, doc) -> list:
        """The words that can be a candidate, in text order: abbreviation-like words, words with a
        hyphen (HVB-hem) and the glossary's words (most words are none of these)."""
        tokens = doc.tokens
        shaped = doc.memo("abbreviation_shaped", lambda: {
            t.i for t in tokens if t.is_word and (t.is_abbrev or "-" in t.text)})
        return [tokens[i] for i in sorted(shaped | doc.positions(self.folded.keys())) if tokens[i].is_word]

    def run(self, doc):
        seen: set[str] = set()
        wanted = self.sentence_set(doc)  # a heading is not where an abbreviation is introduced
        for tok in self.candidate_tokens(doc):
            cand = self.candidate(tok) if tok.sentence in wanted else None
            if cand is None:
                continue
            text, key = cand
            norm = (key or text).lower()
            if norm in seen or tok.in_quote or tok.is_mention:
                continue  # someone else's words do not count as the writer's first use
            seen.add(norm)
            if norm in self.accept or self.explained(doc, tok, key):
                continue
            if bool(key) == self.unknown:
                continue
            expansion = self.glossary.get(key, "")
            suggestion = f"{expansion} ({text})" if expansion else ""
            found = self.finding(doc, tok.start, tok.start + len(text), suggestions=[suggestion],
                                 expansion=expansion or "?")
            if found:
                yield found

    @staticmethod
    def spelled_out_beside(doc, tok) -> bool:
        """The long form stands beside the abbreviation in the same sentence: "föräldrabalken, FB",
        "lagen om vård av unga, LVU", "FB = föräldrabalken", "LVU, lagen om vård av unga", "LVU – …"."""
        sentence = doc.sentences[tok.sentence] if tok.sentence >= 0 else None
        if sentence is None:
            return False
        toks = doc.tokens
        i, first, last = tok.i, sentence.tokens.start, sentence.tokens.stop
        size = len([c for c in tok.text if c.isalnum()]) + 5
        if i - 1 >= first and toks[i - 1].text in _BEFORE_MARKS:
            before = [t.text for t in toks[max(first, i - 1 - size):i - 1] if t.is_word]
            if any(letters_spell(tok.text, before[k:], to_the_end=True) for k in range(len(before))):
                return True
        j = i + 1
        if j < last and toks[j].text in _AFTER_MARKS:
            j += 1
        while j < last and j <= i + 6 and toks[j].lower in _EXPLAINING_WORDS:
            j += 1  # "BBIC står för …", "LVU, som betyder …", "SIP är en förkortning av …"
        if j > i + 1:
            after = []
            for t in toks[j:min(last, j + size)]:
                if t.text in (")", ";", ".") or (t.text == "," and after):
                    break
                if t.is_word:
                    after.append(t.text)
            if any(letters_spell(tok.text, after[k:]) for k in range(min(2, len(after)))):
                return True
        return False

    def explained(self, doc, tok, key: str) -> bool:
        toks = doc.tokens
        i = tok.i
        before = toks[i - 1].text if i else ""
        after = toks[i + 1].text if i + 1 < len(toks) else ""
        if before == "(" and i >= 3 and toks[i - 2].is_word:
            return True  # "hem för vård eller boende (HVB)"
        if after == "(" and i + 2 < len(toks) and toks[i + 2].is_word:
            return True  # "HVB (hem för vård eller boende)"
        if self.spelled_out_beside(doc, tok):
            return True
        if not key:
            return False
        expansion = self.glossary[key].lower()
        head = " ".join(re.findall(r"\w+", expansion)[:2])
        lo, hi = max(0, i - _WINDOW), min(len(toks), i + _WINDOW)
        window = " ".join(t.lower for t in toks[lo:hi] if t.is_word)
        return bool(head) and head in window
