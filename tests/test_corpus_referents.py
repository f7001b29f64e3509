"""Corpus referents: one person's names joined across documents, and nothing more (issue 12, point 3)."""

from __future__ import annotations

from pathlib import Path

import pytest

from khabar.store.corpus_referents import extends, group_names, name_chain


def groups(*names: str, label: str = "PERS") -> list[set[str]]:
    mapping = group_names((label, n) for n in names)
    out: dict[tuple[str, str], set[str]] = {}
    for (lab, name), rep in mapping.items():
        out.setdefault(rep, set()).add(name)
    return sorted(out.values(), key=lambda g: sorted(g))


@pytest.mark.parametrize(
    ("name", "chain"),
    [
        ("الملك فهد بن عبد العزيز", ("فهد", "بن", "عبدالعزيز")),
        ("سلمان بن عبدالعزيز آل سعود - حفظه الله", ("سلمان", "بن", "عبدالعزيز", "ال", "سعود")),
        ("عبد الرحمن الراشد", ("عبدالرحمن", "الراشد")),
        ("مصطفى", ("مصطفي",)),
    ],
)
def test_corpus_referents_name_chain(name: str, chain: tuple[str, ...]) -> None:
    assert name_chain(name) == chain


def test_corpus_referents_spelling_variants_are_one() -> None:
    assert groups("عبد الرحمن الراشد", "عبدالرحمن الراشد", "عبدالرحمن الراشد") == [
        {"عبد الرحمن الراشد", "عبدالرحمن الراشد"}
    ]
    assert groups("مصطفى كامل", "مصطفي كامل", "أحمد زكي", "احمد زكى") == [
        {"أحمد زكي", "احمد زكى"}, {"مصطفى كامل", "مصطفي كامل"}
    ]


def test_corpus_referents_transliterated_names_spelt_two_ways_are_one() -> None:
    assert groups("ميشال بلاتيني", "ميشيل بلاتيني", "جوزيف بلاتر", "جوزف بلاتر") == [
        {"جوزيف بلاتر", "جوزف بلاتر"}, {"ميشال بلاتيني", "ميشيل بلاتيني"}
    ]
    # two Arabic names that differ in a long vowel are two people, even with one family name
    assert groups("جمال الدوسري", "جميل الدوسري") == [{"جمال الدوسري"}, {"جميل الدوسري"}]
    assert groups("نايف عبدالله", "نواف عبدالله") == [{"نايف عبدالله"}, {"نواف عبدالله"}]
    # a lone family name, as written, joins the person whose spellings it is one of
    assert groups("ميشال بلاتيني", "ميشيل بلاتيني", "بلاتيني") == [{"بلاتيني", "ميشال بلاتيني", "ميشيل بلاتيني"}]
    # a lone word is never keyed: ميسي is not موسي
    assert groups("ميسي", "موسي") == [{"موسي"}, {"ميسي"}]
    # places are never compared so (غينيا is not غانا)
    assert groups("غينيا", "غانا", label="LOC") == [{"غانا"}, {"غينيا"}]


def test_corpus_referents_family_tail_and_father_links() -> None:
    assert groups("فهد بن عبدالعزيز", "فهد بن عبدالعزيز آل سعود", "الملك فهد") == [
        {"فهد بن عبدالعزيز", "فهد بن عبدالعزيز آل سعود", "الملك فهد"}
    ]
    assert groups("ناصر القحطاني", "ناصر بن سعد القحطاني") == [{"ناصر القحطاني", "ناصر بن سعد القحطاني"}]


def test_corpus_referents_never_by_a_fathers_name() -> None:
    # سلمان is the father in محمد بن سلمان: no join; with a person called سلمان بن X it joins him
    assert groups("محمد بن سلمان", "سلمان") == [{"سلمان"}, {"محمد بن سلمان"}]
    assert not extends(("سلمان",), ("محمد", "بن", "سلمان"))


def test_corpus_referents_never_across_family_names() -> None:
    assert groups("عبدالله بن عبدالعزيز", "عبدالله بن عبدالعزيز الربيعة") == [
        {"عبدالله بن عبدالعزيز"}, {"عبدالله بن عبدالعزيز الربيعة"}
    ]


def test_corpus_referents_ambiguous_short_form_stays_apart() -> None:
    got = groups("خالد الفيصل", "خالد بن سلمان", "خالد")
    assert {"خالد"} in got and len(got) == 3
    # unique in the corpus: it joins
    assert groups("خالد الفيصل", "خالد") == [{"خالد", "خالد الفيصل"}]


def test_corpus_referents_places_join_on_spelling_only() -> None:
    assert groups("كوريا", "كوريا الشمالية", label="LOC") == [{"كوريا"}, {"كوريا الشمالية"}]
    assert groups("الرياض", "الرياض", "الرّياض", label="LOC") == [{"الرياض", "الرّياض"}]


def test_corpus_referents_in_entities_and_related(tmp_path: Path) -> None:
    import khabar
    from khabar.store import Store
    from khabar.store.analytics import cooccurrence, top_referents

    texts = [
        "التقى الملك فهد بن عبدالعزيز في الرياض بالرئيس الأمريكي جورج بوش.",
        "استقبل فهد بن عبدالعزيز آل سعود في جدة الرئيس جورج بوش.",
    ]
    with Store(tmp_path / "c.db") as store:
        store.add_many(khabar.analyze(t, {"id": f"a{i}"}) for i, t in enumerate(texts))
    reader = Store.open_readonly(tmp_path / "c.db")
    try:
        fahd = [r for r in top_referents(reader, "PERS") if r["name"].startswith("فهد")]
        assert len(fahd) == 1 and fahd[0]["documents"] == 2
        related = [r for r in cooccurrence(reader, "جورج بوش") if r["name"].startswith("فهد")]
        assert len(related) == 1 and related[0]["documents"] == 2
    finally:
        reader.close()
