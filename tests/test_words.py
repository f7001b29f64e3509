"""The ``words`` layer keeps names and stems whole (issue 11, classes 1-3): own sentences only."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

import khabar
from khabar.components.segment import split_clitics
from khabar.doc import Doc
from khabar.lang.ar import clitic_evidence, morph
from khabar.store import Store, search


def segment_cli(text: str, *options: str) -> str:
    """What ``khabar segment`` prints for ``text`` on standard input."""
    result = subprocess.run(
        [sys.executable, "-m", "khabar", "segment", *options, "-"],
        input=text.encode("utf-8"), capture_output=True, timeout=120, check=True,
    )
    return result.stdout.decode("utf-8")


def word_view(doc: Doc, token_text: str) -> list[tuple[str, str, str]]:
    """(role, surface, form) of the words of the first token that reads ``token_text``."""
    (tok_i,) = [i for i, t in enumerate(doc["tokens"]) if doc.span_text(t) == token_text][:1]
    return [
        (w.attrs["role"], doc.span_text(w), str(w.attrs.get("form", doc.span_text(w))))
        for w in doc["words"]
        if w.attrs["token"] == tok_i
    ]


# --- class 1: a proclitic is split only when what remains is a word or a name ------------------


@pytest.mark.parametrize(
    ("token", "forms"),
    [
        # names whose first letter looks like a proclitic
        ("لبنان", ["لبنان"]),
        ("بيروت", ["بيروت"]),
        ("لشبونة", ["لشبونة"]),
        ("وهران", ["وهران"]),
        ("ليبيا", ["ليبيا"]),
        ("بغداد", ["بغداد"]),
        # and the same names after a proclitic
        ("ولبنان", ["و", "لبنان"]),
        ("ببيروت", ["ب", "بيروت"]),
        ("لوهران", ["ل", "وهران"]),
        ("وبغداد", ["و", "بغداد"]),
        # rare names keep nothing of the proclitic
        ("بليتوانيا", ["ب", "ليتوانيا"]),
        ("وجالينوس", ["و", "جالينوس"]),
        ("وبتونس", ["و", "ب", "تونس"]),
        # stems that take the article are not proclitic + stem
        ("بطاقة", ["بطاقة"]),
        ("ولاية", ["ولاية"]),
        ("وحدة", ["وحدة"]),
        ("وزير", ["وزير"]),
        ("لسان", ["لسان"]),  # على لسان: not ل + the سان of سان فرانسيسكو
        ("وبيونغ", ["و", "بيونغ"]),
        # and real proclitics still go
        ("والعراق", ["و", "ال", "عراق"]),
        ("وقال", ["و", "قال"]),
        ("بالإضافة", ["ب", "ال", "إضافة"]),
        ("ولكن", ["و", "لكن"]),
    ],
)
def test_words_proclitics_only_off_words_and_names(token: str, forms: list[str]) -> None:
    assert [form for _s, _e, _role, form in split_clitics(token)] == forms


@pytest.mark.parametrize(
    ("token", "words"),
    [
        # ل + a name that starts with ل: no article (لبنان never takes it)
        ("للبنان", [("proclitic", "ل", "ل"), ("base", "لبنان", "لبنان")]),
        ("للندن", [("proclitic", "ل", "ل"), ("base", "لندن", "لندن")]),
        # ل + ال + a stem that starts with ل: the article has no letter of its own
        ("للقاء", [("proclitic", "ل", "ل"), ("proclitic", "", "ال"), ("base", "لقاء", "لقاء")]),
        ("للعب", [("proclitic", "ل", "ل"), ("proclitic", "", "ال"), ("base", "لعب", "لعب")]),
        # ل + ال + a stem that does not
        ("للإسكندرية", [("proclitic", "ل", "ل"), ("proclitic", "ل", "ال"), ("base", "إسكندرية", "إسكندرية")]),
        ("للأمم", [("proclitic", "ل", "ل"), ("proclitic", "ل", "ال"), ("base", "أمم", "أمم")]),
    ],
)
def test_words_lam_lam_both_ways(token: str, words: list[tuple[str, str, str]]) -> None:
    doc = khabar.analyze(f"وصل الوفد {token} أمس", components=["segment"])
    assert word_view(doc, token) == words


def test_words_empty_article_slices_back() -> None:
    text = "جاء للقاء الوزير"
    doc = khabar.analyze(text, components=["segment"])
    (article,) = [w for w in doc["words"] if w.attrs.get("form") == "ال" and w.start == w.end]
    assert doc.span_text(article) == "" and text[article.start - 1] == "ل"


@pytest.mark.parametrize(
    "sentence",
    ["ثم عاد إلى لبنان.", "وصل الرئيس إلى بيروت مساء أمس.", "سافر الوزير إلى لشبونة ثم إلى وهران."],
)
def test_words_ner_reports_the_whole_place(sentence: str) -> None:
    doc = khabar.analyze(sentence)
    places = {doc.span_text(e) for e in doc["entities"] if e.label == "LOC"}
    assert places and all(name in sentence.split(" ") or name + "." in sentence for name in places)
    assert not {"بنان", "يروت", "شبونة", "هران"} & places


def test_words_segment_cli_gives_the_words_layer() -> None:
    line = "للقاء للبنان وزارتها بليتوانيا والعراق"
    output = segment_cli(line + "\n", "--scheme", "clitics")
    doc = khabar.analyze(line, components=["segment"])
    by_token: dict[int, list[str]] = {}
    for w in doc["words"]:
        by_token.setdefault(int(w.attrs["token"]), []).append(str(w.attrs.get("form", doc.span_text(w))))
    assert output.split() == ["+".join(forms) for forms in by_token.values()]


# --- class 2: the base before a pronoun has its word-final form --------------------------------


@pytest.mark.parametrize(
    ("token", "base"),
    [
        ("وزارتها", "وزارة"), ("سياستها", "سياسة"), ("خطتها", "خطة"), ("حكومته", "حكومة"),
        ("مستواه", "مستوى"), ("أبناؤه", "أبناء"), ("أعضائها", "أعضاء"), ("عليه", "على"),
        # a verb's ت stays: she said it, I wrote it
        ("قالتها", "قالت"), ("كتبته", "كتبت"),
    ],
)
def test_words_base_before_pronoun_has_its_final_form(token: str, base: str) -> None:
    pieces = split_clitics(token)
    assert [form for _s, _e, role, form in pieces if role == "base"] == [base]
    assert pieces[-1][2] == "enclitic"


def test_words_search_for_the_noun_finds_it_before_a_pronoun(tmp_path: Path) -> None:
    doc = khabar.analyze("أعلنت الحكومة أن وزارتها ستنشر خطتها للتعليم قريبا.", {"id": "a1"})
    with Store(tmp_path / "w.db") as store:
        store.add_many([doc])
    reader = Store.open_readonly(tmp_path / "w.db")
    try:
        assert [h.ext_id for h in search(reader, "وزارة")] == ["a1"]
        assert [h.ext_id for h in search(reader, "خطة")] == ["a1"]
    finally:
        reader.close()


def test_words_keywords_read_the_noun_not_its_stem() -> None:
    doc = khabar.analyze(
        "عرضت الحكومة خطتها الجديدة أمس. وتقول الحكومة إن خطتها ستخفض البطالة. "
        "ويرى خبراء أن خطتها طموحة."
    )
    (kw,) = [k for k in doc["keywords"] if k.attrs["key"] == "خطه"]
    assert doc.span_text(kw) == "خطت" and kw.attrs["form"] == "خطة"


# --- class 3: words with punctuation attached --------------------------------------------------


def test_words_segment_cli_splits_attached_punctuation() -> None:
    lines = {
        "وكوريا.": "و+كوريا .",
        "(والعراق)": "( و+ال+عراق )",
        "«بلبنان»،": "« ب+لبنان » ،",
        "والتلفزيون؟": "و+ال+تلفزيون ؟",
    }
    output = segment_cli("".join(line + "\n" for line in lines))
    assert output.splitlines() == list(lines.values())


def test_words_evidence_never_splits_without_a_letter_left() -> None:
    counts = morph.load_model().counts
    for word in ("لل", "ول", "بب"):
        target = clitic_evidence.target(word, (), (), counts)
        assert target is None or target.pre_len < len(word)
