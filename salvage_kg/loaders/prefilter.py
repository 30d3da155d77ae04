"""Cheap tests that let a costly regular expression skip text it cannot match.

Most cue patterns are long alternations of phrases that the regex engine tries at every position of
a sentence. Yet any match must contain one of a few fixed words ('ratio', 'relative', 'HR', ...),
which can be read off the pattern itself: if none of them occurs in the text, there is no match and
the search is skipped. The words are derived from the parsed pattern, so they cannot drift from it.
A digit that every match contains (`\\d`) is required too: about half of all sentences hold no number,
and many costly patterns (thresholds, rates, ages, units) need one.

The words of all prefiltered patterns are looked for together: one Aho-Corasick pass over a text
finds every word it holds, and each pattern then only checks whether one of its own words is among
them. A sentence is tested against dozens of patterns, so the pass is made once for all of them.
"""
from __future__ import annotations

import itertools
import re
import unicodedata
from functools import lru_cache
from re import _constants as C  # the parser's node types; stable across 3.x releases
from re import _parser as P

import ahocorasick

# Characters that a case-insensitive pattern treats as equal to an ASCII letter although their
# lower case is not that letter (dotless i, long s, dotted capital I, Kelvin sign): texts holding one
# are always searched.
_FOLDS_TO_ASCII = ("\u0131", "\u017f", "\u0130", "\u212a")
_REPEATS = (C.MAX_REPEAT, C.MIN_REPEAT, C.POSSESSIVE_REPEAT)
# A required digit has a bit of its own, set by _DIGIT, which finds whatever `\d` matches in any str
# pattern (every Unicode decimal digit; `[0-9]` and an ASCII-only `\d` match fewer).
_DIGIT_KEY = ("\\d", None)
_DIGIT = re.compile(r"\d")
_DIGIT_SETS = ([(C.CATEGORY, C.CATEGORY_DIGIT)], [(C.RANGE, (ord("0"), ord("9")))])


class _Words:
    """Every prefiltered pattern's words, each with a bit of its own, and the automata that find them:
    cased words in the text itself, folded words in its lower case."""

    def __init__(self):
        self.bits: dict[tuple[str, bool | None], int] = {_DIGIT_KEY: 1}  # (word, folded) -> its bit; (\\d, None): a digit
        self._automata = None

    def bit(self, word: str, folded: bool | None) -> int:
        key = (word, folded)
        if key not in self.bits:
            self.bits[key] = 1 << len(self.bits)
            self._automata = None  # patterns are made at import time: rebuilt at most a few times
            present.cache_clear()
        return self.bits[key]

    def automata(self):
        if self._automata is None:
            cased, folded = ahocorasick.Automaton(), ahocorasick.Automaton()
            for (word, is_folded), bit in self.bits.items():
                if is_folded is not None:
                    (folded if is_folded else cased).add_word(word, bit)
            for a in (cased, folded):
                a.make_automaton()
            self._automata = cased, folded, sum(b for (_, f), b in self.bits.items() if f)
        return self._automata


_WORDS = _Words()
_DIGIT_BIT = _WORDS.bits[_DIGIT_KEY]


@lru_cache(maxsize=1024)  # the same sentence is tested against many patterns in a row
def present(text: str) -> int:
    """The bits of the words that occur in `text`. When it holds a character that folds to an ASCII
    letter, every folded word counts as present (the pattern is searched)."""
    cased, folded, all_folded = _WORDS.automata()
    found = _DIGIT_BIT if _DIGIT.search(text) else 0
    if cased.kind == ahocorasick.AHOCORASICK:
        for _, bit in cased.iter(text):
            found |= bit
    if any(map(text.__contains__, _FOLDS_TO_ASCII)):
        return found | all_folded
    if folded.kind == ahocorasick.AHOCORASICK:
        for _, bit in folded.iter(text.lower()):
            found |= bit
    return found


class Prefiltered:
    """A compiled pattern whose search, match, fullmatch and finditer first check that the text holds
    one of the words every match contains (of each such set of words, where a match needs several);
    everything else is the pattern's own."""

    def __init__(self, rx: re.Pattern, requirements: list[tuple[tuple[str, ...], tuple[str, ...]]],
                 digit: bool = False):
        self.rx = rx
        self.requirements = requirements  # (words matched exactly, lower-case ASCII words in any case)
        self.digit = digit  # every match holds a digit
        masks = []
        for cased, folded in requirements:
            masks.append(sum({_WORDS.bit(w, False) for w in cased} | {_WORDS.bit(w, True) for w in folded}))
        if digit:
            masks.append(_DIGIT_BIT)
        self.bits, self.also = masks[0], tuple(masks[1:])

    def possible(self, text: str) -> bool:
        """False only when the pattern cannot match anywhere in `text`."""
        found = present(text)
        if not found & self.bits:  # the usual answer: tested first, without making a generator
            return False
        for mask in self.also:
            if not found & mask:
                return False
        return True

    # Each method answers the usual case (no word of the first set) itself, without calling `possible`:
    # a sentence is tested against dozens of patterns.

    def search(self, text: str, *span):
        if not span and not present(text) & self.bits:
            return None
        return self.rx.search(text, *span) if span or self.possible(text) else None

    def match(self, text: str, *span):
        if not span and not present(text) & self.bits:
            return None
        return self.rx.match(text, *span) if span or self.possible(text) else None

    def fullmatch(self, text: str, *span):
        if not span and not present(text) & self.bits:
            return None
        return self.rx.fullmatch(text, *span) if span or self.possible(text) else None

    def finditer(self, text: str, *span):
        if not span and not present(text) & self.bits:
            return iter(())
        return self.rx.finditer(text, *span) if span or self.possible(text) else iter(())

    def finditer_around(self, text: str, stretch: re.Pattern):
        """`finditer(text)` for a long text, searching only the stretches that hold a required word.

        For a pattern made of `stretch` characters only, a class that takes in every word character,
        and without lookahead: a match then lies within one maximal run of `stretch` characters that
        holds one of its words (of the first set of `requirements`), and the characters around such
        a run are no word characters, so that the pattern's word boundaries come out the same when
        it is searched within the run. Same matches, in the same order."""
        n = len(text)
        if any(map(text.__contains__, _FOLDS_TO_ASCII)):
            starts = [hit.start() for hit in _ignore_case(self._needle()).finditer(text)]
        else:  # every word found at once (an occurrence the regex would not report lies in a reported one's run)
            starts = sorted(end - size + 1 for end, size in self._finder().iter(text.lower()))
        reverse, end = None, 0
        for at in starts:
            if at < end:
                continue  # in the run just searched
            if reverse is None:
                reverse = text[::-1]  # the run's start is found as the end of its reversed run
            start = at - (stretch.match(reverse, n - at).end() - (n - at))
            end = stretch.match(text, at).end()
            yield from self.rx.finditer(text, start, end)

    def _words(self) -> list[str]:
        """The words of the first requirement in lower case, to find in lower-cased text (where cased
        words are found more often than they occur, which only widens the search)."""
        cased, folded = self.requirements[0]
        return sorted({w.lower() for w in cased + folded}, key=lambda w: (-len(w), w))

    def _needle(self) -> re.Pattern:
        if "needle" not in self.__dict__:
            self.needle = re.compile("|".join(map(re.escape, self._words())))
        return self.needle

    def _finder(self):
        """The words in an Aho-Corasick automaton: every occurrence in one pass, faster than `_needle`."""
        if "finder" not in self.__dict__:
            self.finder = ahocorasick.Automaton()
            for word in self._words():
                self.finder.add_word(word, len(word))
            self.finder.make_automaton()
        return self.finder

    def __getattr__(self, name):
        value = getattr(self.rx, name)
        setattr(self, name, value)  # a pattern's attributes never change: later look-ups find it here
        return value

    def __repr__(self) -> str:
        return f"Prefiltered({self.rx!r})"


def within(rx: "Prefiltered | re.Pattern", whole: str) -> re.Pattern | None:
    """The plain pattern to search a piece of `whole` with (the text before or after a mention in its
    sentence), or None when `whole` lacks the words every match of a prefiltered `rx` needs: then no
    piece of it holds them. One test for the whole, cached, instead of one for each piece."""
    if not isinstance(rx, Prefiltered):
        return rx
    return rx.rx if rx.possible(whole) else None


def prefiltered(rx: re.Pattern) -> "Prefiltered | re.Pattern":
    """`rx` with a word test in front, or `rx` itself when no set of required words (and no digit)
    can be found."""
    parsed = P.parse(rx.pattern, rx.flags)
    options = _requirements(list(parsed), bool(parsed.state.flags & re.IGNORECASE))
    digit = _needs_digit(list(parsed))
    if not options and not digit:
        return rx
    best = _most_selective(options)
    # Further sets of words a match needs (a noun and 'with' in 'patients with ...') make the test
    # stricter; sets of short words are left out, as they occur almost everywhere.
    chosen = [best] + [o for o in options if o is not best and min(len(w) for w, _ in o) >= 3] if options else []
    return Prefiltered(rx, [(_shortest(w for w, folded in o if not folded),
                             _shortest(w.lower() for w, folded in o if folded)) for o in chosen], digit)


@lru_cache(maxsize=None)
def _ignore_case(rx: re.Pattern) -> re.Pattern:
    return re.compile(rx.pattern, rx.flags | re.IGNORECASE)


def _foldable(ch: str) -> bool:
    """Whether `ch` matched in any case is found by looking for its lower case in the lowered text: an
    ASCII character, or one without case (punctuation, symbols, digits, spaces)."""
    return ch.isascii() or (unicodedata.category(ch)[0] in "NPSZ" and ch.lower() == ch == ch.upper())


def _shortest(words) -> tuple[str, ...]:
    """The words without those that contain another one (where the longer occurs, so does the shorter)."""
    words = sorted(set(words), key=len)
    kept: list[str] = []
    for w in words:
        if not any(k in w for k in kept):
            kept.append(w)
    return tuple(sorted(kept))


def _repeated(times: int, items: list, ignore_case: bool) -> set[tuple[str, bool]] | None:
    """'\\.{3,}', '[ \\t]{3,}': a character (or one of a few) repeated at least `times` times; every match
    holds such a run, listed as words while they are few. None for anything else."""
    if len(items) != 1:
        return None
    op, av = items[0]
    if op is C.LITERAL:
        chars = [chr(av)]
    elif op is C.IN and all(kind is C.LITERAL for kind, _ in av):
        chars = [chr(code) for _, code in av]
    else:
        return None
    if len(chars) ** times > 16:
        return None
    return {("".join(run), ignore_case) for run in itertools.product(chars, repeat=times)}


def _required(items: list, ignore_case: bool) -> set[tuple[str, bool]] | None:
    """Words of which every match of the sequence `items` contains at least one, as (word, in any
    case); None when there is no such set (the sequence may match without any fixed word)."""
    return _most_selective(_requirements(items, ignore_case))


def _most_selective(options: list[set[tuple[str, bool]]]) -> set[tuple[str, bool]] | None:
    """Long words, few of them."""
    return max(options, key=lambda o: (min(len(w) for w, _ in o) >= 3, -len(o), min(len(w) for w, _ in o)),
               default=None)


def _needs_digit(items: list) -> bool:
    """Whether every match of the sequence `items` contains a digit (`\\d`, `[0-9]`)."""
    for op, av in items:
        if op is C.IN and av in _DIGIT_SETS:
            return True
        if op is C.SUBPATTERN and _needs_digit(list(av[3])) or op is C.ATOMIC_GROUP and _needs_digit(list(av)):
            return True
        if op is C.BRANCH and all(_needs_digit(list(alt)) for alt in av[1]):
            return True
        if op in _REPEATS and av[0] >= 1 and _needs_digit(list(av[2])):
            return True
    return False


def _requirements(items: list, ignore_case: bool) -> list[set[tuple[str, bool]]]:
    """Sets of words such that every match of the sequence `items` contains a word of each set."""
    options: list[set[tuple[str, bool]]] = []
    run: list[str] = []

    def end_run():
        if run:
            options.append({("".join(run), ignore_case)})
            run.clear()

    for op, av in items:
        if op is C.LITERAL:
            run.append(chr(av))
            continue
        end_run()
        found = None
        if op is C.SUBPATTERN:
            _, add, remove, sub = av
            case = (ignore_case or bool(add & re.IGNORECASE)) and not remove & re.IGNORECASE
            found = _required(list(sub), case)
        elif op is C.ATOMIC_GROUP:
            found = _required(list(av), ignore_case)
        elif op is C.BRANCH:
            alternatives = [_required(list(alt), ignore_case) for alt in av[1]]
            if all(alternatives):
                found = set().union(*alternatives)
        elif op is C.IN and all(kind is C.LITERAL for kind, _ in av):  # a set of single characters
            found = {(chr(code), ignore_case) for _, code in av}
        elif op in _REPEATS and av[0] >= 1:
            found = _repeated(av[0], list(av[2]), ignore_case) or _required(list(av[2]), ignore_case)
        if found:
            options.append(found)
    end_run()
    return [o for o in options if all(not folded or all(map(_foldable, w)) for w, folded in o)]
