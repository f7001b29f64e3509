"""Names survive clitic segmentation: a proclitic is split off a name, never a letter of it (issue 11).

The names are written here by hand (well-known places and people); bench/bench_names.py runs the same
criterion on the gazetteers and ANERcorp.
"""

from __future__ import annotations

import pytest

import khabar

ARTICLE = "ال"

PLACES = [
    "لبنان", "ليبيا", "لندن", "لشبونة", "لاهور", "لاغوس", "بيروت", "بنغازي", "بغداد", "باريس", "برلين",
    "بكين", "بوسطن", "وهران", "واشنطن", "وارسو", "فرنسا", "فيينا", "كندا", "كينيا", "كابول", "سوريا",
    "طرابلس", "تونس", "الرياض", "القاهرة", "الجزائر", "الخرطوم", "الموصل", "الولايات المتحدة",
    "جنوب أفريقيا", "المملكة المتحدة",
]
PEOPLE = [
    "محمد", "بلال", "باسل", "بشار الأسد", "وليد جنبلاط", "وائل", "ليلى", "لطيفة", "فيصل", "فؤاد السنيورة",
    "كمال", "كوفي عنان", "نجيب محفوظ", "طه حسين", "ياسر عرفات", "نبيه بري", "توني بلير", "خافيير سولانا",
]


def variants(name: str) -> list[tuple[str, str, tuple[str, ...], str]]:
    """(kind, text, expected proclitics of the first token, expected base) for each variant."""
    first, *rest = name.split(" ")
    tail = "".join(" " + t for t in rest)
    if first.startswith(ARTICLE):
        stem = first[len(ARTICLE) :]
        out = [(p or "bare", p + first + tail, (*p, ARTICLE), stem) for p in ("", "و", "ب", "وب")]
        return out + [("لل", "لل" + stem + tail, ("ل", ARTICLE), stem)]
    return [(p or "bare", p + first + tail, tuple(p), first) for p in ("", "و", "ب", "ل", "وب")]


CASES = [pytest.param(name, *v, id=v[1]) for name in PLACES + PEOPLE for v in variants(name)]


def words_by_token(text: str) -> list[list[tuple[str, str]]]:
    """(role, form) of the words of each token of ``text``."""
    doc = khabar.analyze(text, components=["segment"])
    out: list[list[tuple[str, str]]] = [[] for _ in doc["tokens"]]
    for w in doc["words"]:
        out[int(w.attrs["token"])].append((w.attrs["role"], w.attrs.get("form") or doc.span_text(w)))
    return out


@pytest.mark.parametrize(("name", "kind", "text", "proclitics", "base"), CASES)
def test_names_segmentation_proclitics_split_name_whole(
    name: str, kind: str, text: str, proclitics: tuple[str, ...], base: str
) -> None:
    got = words_by_token(text)
    tokens = name.split(" ")
    assert len(got) == len(tokens)
    assert got[0] == [*(("proclitic", p) for p in proclitics), ("base", base)]
    for tok, pieces in zip(tokens[1:], got[1:]):
        assert pieces in ([("base", tok)], [("proclitic", ARTICLE), ("base", tok[len(ARTICLE) :])])
