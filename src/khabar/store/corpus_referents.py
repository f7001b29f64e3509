"""Corpus referents: the names that documents give one person joined across the corpus.

Each document has its own referents (:mod:`khabar.components.referents`). Across documents,
the same person is written ``سلمان بن عبدالعزيز``, ``سلمان بن عبد العزيز``, ``سلمان بن
عبدالعزيز آل سعود`` or ``الملك سلمان``. Names are compared as chains of folded words
(:func:`name_chain`: hamza, ى/ي, ة/ه folded; ``عبد العزيز`` written as one word; a title
before the name and a formula after it dropped). A shorter chain joins a longer one of the
same label when

* they are equal (spelling variants), or, for people,
* the longer is the shorter with ``بن X`` links inserted and/or an ``آل X`` tail added
  (``عادل الجبير`` ~ ``عادل بن أحمد الجبير``; ``محمد بن نايف`` ~ ``محمد بن نايف بن عبدالعزيز
  آل سعود``) — never by a father's name inside a chain (``سلمان`` is not ``محمد بن سلمان``:
  the first words differ), and never a different family name (``عبدالله بن عبدالعزيز`` is
  not ``عبدالله بن عبدالعزيز الربيعة``);
* and the fit is unique: a name that fits two corpus referents stays apart; a lone name
  (``سلمان``) joins only when exactly one corpus referent starts with it (``محمد`` starts many).
"""

from __future__ import annotations

from collections.abc import Iterable

from khabar.lang.ar.honorifics import LEADING_TITLES, RELIGIOUS_FORMULAS
from khabar.lang.ar.normalize import fold

_LINKS = frozenset({"بن", "ابن", "بنت"})
_FAMILY_WORDS = frozenset({fold("آل")})  # آل سعود


def name_chain(name: str) -> tuple[str, ...]:
    """The folded words of a name for comparison (``الملك سلمان بن عبد العزيز - حفظه الله`` ->
    ``('سلمان', 'بن', 'عبدالعزيز')``)."""
    words = [w.strip("-–—.,،:;()\"'«»") for w in fold(name).split()]
    words = [w for w in words if w]
    text = " ".join(words)
    for formula in RELIGIOUS_FORMULAS:
        if " " in formula and text.endswith(" " + formula):
            words = words[: len(words) - len(formula.split())]
            text = " ".join(words)
    joined: list[str] = []
    for w in words:
        if joined and joined[-1] in ("عبد", "ابو") and not w.startswith("بن"):
            joined[-1] += w  # عبد العزيز -> عبدالعزيز
        else:
            joined.append(w)
    while len(joined) > 1 and joined[0] in LEADING_TITLES:
        joined.pop(0)
    return tuple(joined)


def extends(short: tuple[str, ...], long: tuple[str, ...]) -> bool:
    """Whether ``long`` is ``short`` with ``بن X`` links inserted and/or an ``آل X`` tail added."""
    if not short or len(short) >= len(long) or short[0] != long[0]:
        return False
    i = j = 0
    while j < len(long):
        if i < len(short) and long[j] == short[i]:
            i += 1
            j += 1
        elif long[j] in _LINKS and j + 1 < len(long) and j > 0:
            j += 2  # an inserted بن X
        elif long[j] in _FAMILY_WORDS and j + 2 == len(long) and i == len(short):
            j += 2  # an added آل X at the end
        else:
            return False
    return i == len(short)


def group_names(names: Iterable[tuple[str, str]]) -> dict[tuple[str, str], tuple[str, str]]:
    """Each (label, name) mapped to the (label, name) that stands for its corpus referent.

    Args:
        names: distinct (label, name) pairs, e.g. the canonical names of the documents' referents.

    Returns:
        A mapping of every given pair to the representative of its group: the pair with the
        longest chain (ties: the name first in code-point order).
    """
    items = sorted(set(names), key=lambda ln: (-len(name_chain(ln[1])), ln))
    chains = {item: name_chain(item[1]) for item in items}
    root: dict[tuple[str, str], tuple[str, str]] = {}
    # people's groups by first word: a chain can only join one that starts like it
    by_first: dict[str, list[tuple[tuple[str, str], tuple[str, ...]]]] = {}
    by_chain: dict[tuple[str, tuple[str, ...]], tuple[str, str]] = {}
    for item in items:
        label, chain = item[0], chains[item]
        same = by_chain.get((label, chain))
        if same is not None:
            root[item] = same
            continue
        fits: set[tuple[str, str]] = set()
        if label == "PERS" and chain:
            for rep, longer in by_first.get(chain[0], ()):
                # a lone name: every person it could start counts
                if len(chain) == 1 or extends(chain, longer):
                    fits.add(rep)
        rep = next(iter(fits)) if len(fits) == 1 else item
        root[item] = rep
        if label == "PERS" and chain:
            by_first.setdefault(chain[0], []).append((rep, chain))
        by_chain[(label, chain)] = rep
    return root
