"""Corpus referents: the names that documents give one person joined across the corpus.

Each document has its own referents (:mod:`khabar.components.referents`). Across documents,
the same person is written ``سلمان بن عبدالعزيز``, ``سلمان بن عبد العزيز``, ``سلمان بن
عبدالعزيز آل سعود`` or ``الملك سلمان``. Names are compared as chains of folded words
(:func:`name_chain`: hamza, ى/ي, ة/ه folded; ``عبد العزيز`` written as one word; a title
before the name and a formula after it dropped). A shorter chain joins a longer one of the
same label when

* they are equal (spelling variants; for people also a transliterated name spelt two ways,
  ``ميشال بلاتيني`` ~ ``ميشيل بلاتيني``, but never two Arabic names, ``جمال`` / ``جميل``), or, for people,
* the longer is the shorter with ``بن X`` links inserted and/or an ``آل X`` tail added
  (``عادل الجبير`` ~ ``عادل بن أحمد الجبير``; ``محمد بن نايف`` ~ ``محمد بن نايف بن عبدالعزيز
  آل سعود``), or a name of two words with a bare father's name between them (``علي صالح`` ~
  ``علي عبدالله صالح``) — never by a father's name inside a chain (``سلمان`` is not ``محمد بن
  سلمان``: the first words differ), and never a different family name (``عبدالله بن
  عبدالعزيز`` is not ``عبدالله بن عبدالعزيز الربيعة``);
* a lone name joins a person it starts (``سلمان`` ~ ``سلمان بن عبدالعزيز``) or whose family
  name it is (``نتنياهو`` ~ ``بنيامين نتنياهو``: the last word, not after ``بن`` or ``آل``);
* and the fit is unique: a name that fits two corpus referents stays apart; a lone name
  (``سلمان``) joins only when exactly one corpus referent starts with it or ends with it as a
  family name (``محمد`` starts many).
"""

from __future__ import annotations

import sqlite3
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final, Protocol, TypeVar

from khabar.lang.ar.honorifics import HOUSE_WORDS, LEADING_TITLES, LINEAGE_LINKS, RELIGIOUS_FORMULAS
from khabar.lang.ar.normalize import fold
from khabar.lang.ar.transliteration import variant_name
from khabar.store.matching import norm_name

_LINKS = LINEAGE_LINKS
_FAMILY_WORDS = HOUSE_WORDS  # آل سعود
T = TypeVar("T")


def name_chain(name: str, person: bool = False) -> tuple[str, ...]:
    """The folded words of a name for comparison (``الملك سلمان بن عبد العزيز - حفظه الله`` ->
    ``('سلمان', 'بن', 'عبدالعزيز')``); a person's transliterated words by their
    :func:`~khabar.lang.ar.transliteration.variant_name` (``ميشال`` and ``ميشيل`` -> ``~مشل``)."""
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
    return variant_name(joined) if person else tuple(joined)


def extends(short: tuple[str, ...], long: tuple[str, ...]) -> bool:
    """Whether ``long`` is ``short`` with ``بن X`` links inserted and/or an ``آل X`` tail added,
    or, for a name of two words, with the father's name written bare between them
    (``علي صالح`` ~ ``علي عبدالله صالح``: name, father's name, family name)."""
    if not short or len(short) >= len(long) or short[0] != long[0]:
        return False
    if len(short) == 2 and len(long) == 3 and short[1] == long[2] and not set(long) & (_LINKS | _FAMILY_WORDS):
        return True
    i = j = 0
    while j < len(long):
        if i < len(short) and long[j] == short[i]:
            i += 1
            j += 1
        elif long[j] in _LINKS and 0 < j < len(long) - 1 and 0 < i < len(short) - 1 and long[j + 1] == short[i]:
            j += 1  # the same father's name, written with بن (عادل أحمد الجبير ~ عادل بن أحمد الجبير)
        elif long[j] in _LINKS and j + 1 < len(long) and j > 0:
            j += 2  # an inserted بن X
        elif long[j] in _FAMILY_WORDS and j + 2 == len(long) and i == len(short):
            j += 2  # an added آل X at the end
        else:
            return False
    return i == len(short)


def family_name(chain: tuple[str, ...]) -> str:
    """The family name a lone name may stand for: the last word of a person's chain of two words
    or more, unless it follows ``بن`` (a father's name) or ``آل`` (a house, many people); else ``""``."""
    if len(chain) < 2 or chain[-2] in _LINKS or chain[-2] in _FAMILY_WORDS:
        return ""
    return chain[-1]


def group_names(
    names: Iterable[tuple[str, str]], chains: Mapping[tuple[str, str], tuple[str, ...]] | None = None
) -> dict[tuple[str, str], tuple[str, str]]:
    """Each (label, name) mapped to the (label, name) that stands for its corpus referent.

    Args:
        names: distinct (label, name) pairs, e.g. the canonical names of the documents' referents.
        chains: their :func:`name_chain`, when known already (computed otherwise).

    Returns:
        A mapping of every given pair to the representative of its group: the pair with the
        longest chain (ties: the name first in code-point order).
    """
    given = set(names)
    chains = {
        item: chains[item] if chains and item in chains else name_chain(item[1], item[0] == "PERS") for item in given
    }
    families = {item: _chain_and_family(*item)[1] for item in given if item[0] == "PERS"}
    items = sorted(given, key=lambda ln: (-len(chains[ln]), ln))
    root: dict[tuple[str, str], tuple[str, str]] = {}
    # people's groups by first word: a chain can only join one that starts like it
    by_first: dict[str, list[tuple[tuple[str, str], tuple[str, ...]]]] = {}
    by_family: dict[str, set[tuple[str, str]]] = {}  # people's groups by family name
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
            if len(chain) == 1:  # and every person it could be the family name of
                fits.update(by_family.get(chain[0], ()))
        rep = next(iter(fits)) if len(fits) == 1 else item
        root[item] = rep
        if label == "PERS" and chain:
            by_first.setdefault(chain[0], []).append((rep, chain))
            if families[item]:
                by_family.setdefault(families[item], set()).add(rep)
        by_chain[(label, chain)] = rep
    return root


# ------------------------------------------------------------------ in the store
# Stored corpus referents (schema migration 4). ``corpus_names`` holds one row per folded
# name (``referents.norm_name``, the *key*): its label, most frequent spelling, chain and
# count, and the corpus referent it belongs to; ``corpus_referents`` one row per corpus
# referent with its canonical name and counts; ``corpus_redirects`` the ids merged away.
#
# group_names never joins names of two words or more across a *partition* -- people by the
# first word of their chain, everything else by (label, chain) -- so an ingest regroups only
# the partitions its documents touch; a lone name is then looked up across the corpus (the
# people it starts or is the family name of), and the result is the grouping a pass over the
# whole corpus would give.


class Executor(Protocol):
    """A ``sqlite3.Connection`` or a :class:`~khabar.store.db.Store` (both run ``execute(sql, params)``)."""

    def execute(self, sql: str, params: Any = ..., /) -> sqlite3.Cursor: ...


_CHUNK: Final = 500  # bound parameters a statement (SQLite allows 32766; smaller keeps plans simple)
_MAX_ID: Final = 2**63  # SQLite ids are 64-bit signed


@dataclass(slots=True)
class _Key:
    """One folded name with its current label, spelling, chain and referent count."""

    label: str
    name: str
    chain: tuple[str, ...]
    count: int
    # a person's family name as written (folded; "" for others), even when the chain holds
    # variant keys: a lone name (never keyed) meets it as it is spelt
    family: str
    first_seen: tuple[int, int] = (_MAX_ID, 0)  # (doc_id, local_id) of its first referent

    @property
    def partition(self) -> tuple[str, str]:
        return _partition(self.label, self.chain)


def _chain_and_family(label: str, name: str) -> tuple[tuple[str, ...], str]:
    """The chain of a name (a person's with variant keys) and its family name as written."""
    if label != "PERS":
        return name_chain(name), ""
    written = name_chain(name)
    return variant_name(written), family_name(written)


def _partition(label: str, chain: tuple[str, ...]) -> tuple[str, str]:
    if label == "PERS":
        return label, chain[0] if chain else ""
    return label, " ".join(chain)


def _chunks(items: Sequence[T]) -> Iterator[Sequence[T]]:
    for i in range(0, len(items), _CHUNK):
        yield items[i : i + _CHUNK]


def _marks(n: int) -> str:
    return ", ".join("?" * n)


def _current_keys(db: Executor, keys: Sequence[str]) -> dict[str, _Key]:
    """The keys' label, spelling, chain and counts as the referents table has them now."""
    labels: dict[str, Counter[str]] = defaultdict(Counter)
    names: dict[str, Counter[str]] = defaultdict(Counter)
    first: dict[str, tuple[int, int]] = {}
    for part in _chunks(keys):
        sql = (
            "SELECT norm_name, label, name, count(*), min(doc_id), min(local_id) FROM referents"
            f" WHERE norm_name IN ({_marks(len(part))}) GROUP BY norm_name, label, name"
        )
        for key, label, name, count, doc_id, local_id in db.execute(sql, tuple(part)):
            labels[key][str(label)] += int(count)
            names[key][str(name)] += int(count)
            seen = (int(doc_id), int(local_id))
            first[key] = min(first.get(key, seen), seen)
    out: dict[str, _Key] = {}
    for key, label_counts in labels.items():
        name, label = pick(names[key]), pick(label_counts)
        chain, family = _chain_and_family(label, name)
        out[key] = _Key(label, name, chain, sum(names[key].values()), family, first[key])
    return out


def pick(counts: Counter[str] | dict[str, int]) -> str:
    """The most frequent name; ties go to the longer (fuller) one, then the first in code-point order."""
    return min(counts.items(), key=lambda kv: (-kv[1], -len(kv[0]), kv[0]))[0]


def _stored_keys(db: Executor, partitions: set[tuple[str, str]]) -> dict[str, tuple[_Key, int]]:
    """Every stored key of these partitions, with its corpus referent id."""
    out: dict[str, tuple[_Key, int]] = {}
    people = sorted(first for label, first in partitions if label == "PERS")
    others = sorted(p for p in partitions if p[0] != "PERS")
    cols = "norm_name, label, name, chain, referents, family, corpus_id FROM corpus_names"
    queries: list[tuple[str, tuple[Any, ...]]] = [
        (f"SELECT {cols} WHERE label = 'PERS' AND first IN ({_marks(len(part))})", tuple(part))
        for part in _chunks(people)
    ]
    other_chains = sorted({chain for _, chain in others})
    queries += [(f"SELECT {cols} WHERE chain IN ({_marks(len(part))})", tuple(part)) for part in _chunks(other_chains)]
    for sql, params in queries:
        for key, label, name, chain, count, family, corpus_id in db.execute(sql, params):
            chain_t = tuple(str(chain).split()) if chain else ()
            if _partition(str(label), chain_t) not in partitions:
                continue  # the same words under another label: another partition
            out[str(key)] = (_Key(str(label), str(name), chain_t, int(count), str(family or "")), int(corpus_id))
    return out


def _stored_chains(db: Executor, keys: Sequence[str]) -> dict[str, tuple[str, tuple[str, ...], str]]:
    """The stored label, chain and family name of these keys (those that have one)."""
    out: dict[str, tuple[str, tuple[str, ...], str]] = {}
    for part in _chunks(keys):
        sql = f"SELECT norm_name, label, chain, family FROM corpus_names WHERE norm_name IN ({_marks(len(part))})"
        for key, label, chain, family in db.execute(sql, tuple(part)):
            out[str(key)] = (str(label), tuple(str(chain).split()) if chain else (), str(family or ""))
    return out


def _assign_ids(
    groups: list[list[str]], old: Mapping[str, int], weight: Mapping[str, int], canonical: Mapping[int, str]
) -> tuple[list[int | None], dict[int, int]]:
    """Which old id each group keeps, and where the old ids that no group keeps point.

    An old id goes to the group without an id yet that holds its canonical name (its key in
    ``canonical``), else the one holding most of its document referents (``weight`` per key;
    ties: the group listed first); when every group holding its names has one already (a
    merge), it redirects to the best of them. Old ids are handed out oldest (smallest) first,
    so a merge keeps the older id, and a split leaves it with the part that bears its name.

    Returns:
        ``(ids, redirects)``: per group its kept id or None (a new one is needed), and
        ``{old id: group index}`` for the ids merged away.
    """
    holders: dict[int, Counter[int]] = defaultdict(Counter)
    named: dict[int, int] = {}
    for g, keys in enumerate(groups):
        for key in keys:
            if key in old:
                holders[old[key]][g] += weight.get(key, 1)
                if canonical.get(old[key]) == key:
                    named[old[key]] = g
    ids: list[int | None] = [None] * len(groups)
    redirects: dict[int, int] = {}
    for old_id in sorted(holders):
        ranked = sorted(holders[old_id].items(), key=lambda gc: (gc[0] != named.get(old_id), -gc[1], gc[0]))
        free = next((g for g, _ in ranked if ids[g] is None), None)
        if free is None:
            redirects[old_id] = ranked[0][0]
        else:
            ids[free] = old_id
    return ids, redirects


def update_corpus_referents(db: sqlite3.Connection, doc_ids: Iterable[int] | None = None) -> int:
    """Bring the stored corpus referents up to date after documents were added.

    Run inside the write transaction that added the documents (``Store.add*`` does). Only
    the partitions (people by first word, others by label and name) holding a name of
    ``doc_ids`` are regrouped with :func:`group_names`' rules; ``None`` regroups the whole
    corpus (``khabar reindex``, and the migration that adds the tables). Ids stay stable: a
    group keeps the id its names had; when groups merge, the older (smaller) id stays and the
    other is kept in ``corpus_redirects``; a new group gets a new, never reused, id.

    People's names of two words or more are grouped first, partition by partition; then
    each lone name (``سلمان``, ``نتنياهو``) joins the one group it starts or is the family
    name of, if there is exactly one -- looked up across the corpus, so a lone name is
    regrouped whenever a name it could join changes.

    Returns:
        How many names (folded keys) were regrouped.
    """
    if doc_ids is None:
        touched = [str(k) for (k,) in db.execute("SELECT DISTINCT norm_name FROM referents WHERE norm_name != ''")]
        touched += [str(k) for (k,) in db.execute("SELECT norm_name FROM corpus_names")]
        touched = sorted(set(touched))
    else:
        doc_list = sorted(set(doc_ids))
        found: set[str] = set()
        for part in _chunks(doc_list):
            sql = f"SELECT DISTINCT norm_name FROM referents WHERE doc_id IN ({_marks(len(part))}) AND norm_name != ''"
            found.update(str(k) for (k,) in db.execute(sql, tuple(part)))
        touched = sorted(found)
    if not touched:
        return 0
    now = _current_keys(db, touched)
    before = _stored_chains(db, touched)
    partitions = {k.partition for k in now.values()}
    partitions |= {_partition(label, chain) for label, chain, _ in before.values()}
    # a person's family name changed: the lone name it is may join or leave
    families = {k.family for k in now.values()}
    families |= {family for label, _, family in before.values() if label == "PERS"}
    partitions |= {("PERS", f) for f in families if f}
    stored = _stored_keys(db, partitions)
    # read every name of the corpus referents met (a lone name joined a person of another
    # partition): ids are then handed out knowing all their names, as a rebuild would
    outside: set[int] = set()
    for _ in range(4):
        outside = set()
        more: set[tuple[str, str]] = set()
        met = sorted({corpus_id for _, corpus_id in stored.values()})
        for part_ids in _chunks(met):
            sql = f"SELECT norm_name, corpus_id, label, chain FROM corpus_names WHERE corpus_id IN ({_marks(len(part_ids))})"
            for key, corpus_id, label, chain in db.execute(sql, tuple(part_ids)):
                if str(key) not in stored:
                    outside.add(int(corpus_id))
                    more.add(_partition(str(label), tuple(str(chain).split()) if chain else ()))
        if not more - partitions:
            break
        partitions |= more
        stored = _stored_keys(db, partitions)
    keys: dict[str, _Key] = {key: k for key, (k, _) in stored.items()}
    keys.update(now)
    for key in touched:
        if key not in now:
            keys.pop(key, None)  # its referents are gone
    old = {key: corpus_id for key, (_, corpus_id) in stored.items()}

    # 1. names of two words or more (and everything but people) by group_names
    def lone(k: _Key) -> bool:
        return k.label == "PERS" and len(k.chain) == 1

    by_pair = {(k.label, k.name): key for key, k in keys.items() if not lone(k)}
    members: dict[tuple[str, str], list[str]] = defaultdict(list)
    for pair, rep in group_names(by_pair, {pair: keys[key].chain for pair, key in by_pair.items()}).items():
        members[rep].append(by_pair[pair])
    groups = [sorted(g) for g in members.values()]
    group_of = {key: g for g, keys_g in enumerate(groups) for key in keys_g}
    starts: dict[str, set[int]] = defaultdict(set)
    ends: dict[str, set[int]] = defaultdict(set)
    for key, k in keys.items():
        if k.label == "PERS" and len(k.chain) > 1:
            starts[k.chain[0]].add(group_of[key])
            if k.family:
                ends[k.family].add(group_of[key])

    # 2. lone names: the one group they start or end, else a group of their own
    lone_names: dict[str, list[str]] = defaultdict(list)
    for key, k in keys.items():
        if lone(k):
            lone_names[k.chain[0]].append(key)
    forced: dict[int, list[str]] = defaultdict(list)  # joined to a group outside the partitions read
    for word, lone_keys in sorted(lone_names.items()):
        fits: set[tuple[str, int]] = {("group", g) for g in starts.get(word, set()) | ends.get(word, set())}
        for key, corpus_id in db.execute(
            "SELECT norm_name, corpus_id FROM corpus_names WHERE label = 'PERS' AND family = ?", (word,)
        ):
            if str(key) not in keys and str(key) not in touched:
                fits.add(("id", int(corpus_id)))
        if len(fits) == 1:
            kind, target = fits.pop()
            if kind == "group":
                groups[target].extend(sorted(lone_keys))
            else:
                forced[target].extend(sorted(lone_keys))
        else:
            groups.append(sorted(lone_keys))
    groups.sort(key=lambda g: (min(keys[k].first_seen for k in g), g))

    canonical: dict[int, str] = {}
    old_ids = sorted(set(old.values()))
    for part_ids in _chunks(old_ids):
        sql = f"SELECT id, name FROM corpus_referents WHERE id IN ({_marks(len(part_ids))})"
        canonical.update((int(i), norm_name(str(n))) for i, n in db.execute(sql, tuple(part_ids)))
    weights = {key: k.count for key, k in keys.items()}
    # an id some of whose names were not read stays with them (past the reading rounds above)
    assignable = {k: i for k, i in old.items() if i not in forced and i not in outside}
    ids, redirects = _assign_ids(groups, assignable, weights, canonical)

    final: list[int] = []
    for g, keys_g in enumerate(groups):
        got = ids[g]
        if got is None:
            k = keys[keys_g[0]]
            cur = db.execute(
                "INSERT INTO corpus_referents (label, name, documents, mentions) VALUES (?, ?, 0, 0)", (k.label, k.name)
            )
            got = int(cur.lastrowid or 0)
        final.append(got)
    changed: set[int] = set(forced)
    placed = [(final[g], keys_g) for g, keys_g in enumerate(groups)] + list(forced.items())
    for corpus_id, keys_g in placed:
        for key in keys_g:
            k = keys[key]
            if key in now or old.get(key) != corpus_id:
                db.execute(
                    "INSERT OR REPLACE INTO corpus_names"
                    " (norm_name, corpus_id, label, name, chain, first, family, referents)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    (
                        key, corpus_id, k.label, k.name, " ".join(k.chain), k.chain[0] if k.chain else "",
                        k.family, k.count,
                    ),
                )
                changed.add(corpus_id)
                if key in old:
                    changed.add(old[key])
    gone = [key for key in touched if key not in now]
    for gone_part in _chunks(gone):
        db.execute(f"DELETE FROM corpus_names WHERE norm_name IN ({_marks(len(gone_part))})", tuple(gone_part))
    kept = set(final) | set(forced)
    for old_id in sorted(set(old.values()) - kept):
        if db.execute("SELECT 1 FROM corpus_names WHERE corpus_id = ? LIMIT 1", (old_id,)).fetchone():
            continue  # names outside the partitions read still bear it
        if old_id in redirects:
            target = final[redirects[old_id]]
            db.execute("INSERT OR REPLACE INTO corpus_redirects (old_id, corpus_id) VALUES (?, ?)", (old_id, target))
            db.execute("UPDATE corpus_redirects SET corpus_id = ? WHERE corpus_id = ?", (target, old_id))
        else:  # none of its names is left
            db.execute("DELETE FROM corpus_redirects WHERE corpus_id = ?", (old_id,))
        db.execute("DELETE FROM corpus_referents WHERE id = ?", (old_id,))
        changed.discard(old_id)
    for corpus_id in sorted(changed):
        _refresh(db, corpus_id)
    return len(keys)


def _refresh(db: Executor, corpus_id: int) -> None:
    """Recount one corpus referent's label, canonical name, documents and mentions."""
    names: Counter[str] = Counter()
    labels: Counter[str] = Counter()
    members = "SELECT norm_name FROM corpus_names WHERE corpus_id = ?"
    for name, label, count in db.execute(
        f"SELECT name, label, count(*) FROM referents WHERE norm_name IN ({members}) GROUP BY name, label",
        (corpus_id,),
    ):
        names[str(name)] += int(count)
        labels[str(label)] += int(count)
    if not names:
        return
    documents, mentions = db.execute(
        "SELECT count(DISTINCT r.doc_id), (SELECT count(*) FROM entities e JOIN referents r2"
        " ON e.doc_id = r2.doc_id AND e.referent = r2.local_id"
        f" WHERE r2.norm_name IN ({members})) FROM referents r WHERE r.norm_name IN ({members})",
        (corpus_id, corpus_id),
    ).fetchone()
    label = db.execute("SELECT label FROM corpus_names WHERE corpus_id = ? LIMIT 1", (corpus_id,)).fetchone()[0]
    db.execute(
        "UPDATE corpus_referents SET label = ?, name = ?, documents = ?, mentions = ? WHERE id = ?",
        (label, canonical_name(names), int(documents), int(mentions), corpus_id),
    )


def canonical_name(names: Mapping[str, int]) -> str:
    """A corpus referent's name: the most frequent of its names (ties: the longer, then code-point order)."""
    return pick(dict(names))


# ------------------------------------------------------------------ reading
def live_id(db: Executor, corpus_id: int) -> int | None:
    """The corpus referent an id names now (following a merge's redirect), or None when unknown."""
    if isinstance(corpus_id, bool) or not 0 <= corpus_id < _MAX_ID:
        return None
    row = db.execute("SELECT id FROM corpus_referents WHERE id = ?", (corpus_id,)).fetchone()
    if row is not None:
        return int(row[0])
    row = db.execute("SELECT corpus_id FROM corpus_redirects WHERE old_id = ?", (corpus_id,)).fetchone()
    return int(row[0]) if row is not None else None


def resolve_name(db: Executor, name: str) -> int | None:
    """The corpus referent a name stands for, or None when it names none clearly.

    In order: a stored name with the same folded form; one with the same chain
    (:func:`name_chain`: spelling variants, a title before it); for people, the one corpus
    referent whose names extend it (``سلمان بن عبد العزيز`` -> ``سلمان بن عبدالعزيز آل سعود``)
    or, for a lone word, start with it or end with it as a family name (``نتنياهو``) -- only
    when exactly one does, and never through a father's name (``سلمان`` does not find
    ``محمد بن سلمان``). Ties between equal names go to
    the referent with the most documents.
    """
    key = norm_name(name)
    if not key:
        return None
    row = db.execute("SELECT corpus_id FROM corpus_names WHERE norm_name = ?", (key,)).fetchone()
    if row is not None:
        return int(row[0])
    chain = name_chain(name)
    if not chain:
        return None
    row = db.execute(
        "SELECT n.corpus_id FROM corpus_names n JOIN corpus_referents c ON c.id = n.corpus_id WHERE n.chain = ?"
        " ORDER BY c.documents DESC, c.id LIMIT 1",
        (" ".join(chain),),
    ).fetchone()
    chain = name_chain(name, person=True)  # people's chains hold the variant keys of transliterated words
    if row is None:
        row = db.execute(
            "SELECT n.corpus_id FROM corpus_names n JOIN corpus_referents c ON c.id = n.corpus_id"
            " WHERE n.label = 'PERS' AND n.chain = ? ORDER BY c.documents DESC, c.id LIMIT 1",
            (" ".join(chain),),
        ).fetchone()
    if row is not None:
        return int(row[0])
    fits: set[int] = set()
    for chain_text, corpus_id in db.execute(
        "SELECT chain, corpus_id FROM corpus_names WHERE label = 'PERS' AND first = ?", (chain[0],)
    ):
        longer = tuple(str(chain_text).split())
        if len(chain) == 1 or extends(chain, longer):
            fits.add(int(corpus_id))
    if len(chain) == 1:
        fits.update(
            int(corpus_id)
            for (corpus_id,) in db.execute(
                "SELECT corpus_id FROM corpus_names WHERE label = 'PERS' AND family = ?", (chain[0],)
            )
        )
    return fits.pop() if len(fits) == 1 else None


def member_keys_sql() -> str:
    """SQL for the folded names (``referents.norm_name``) of the corpus referent ``?``."""
    return "SELECT norm_name FROM corpus_names WHERE corpus_id = ?"
