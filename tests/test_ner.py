"""Tests for the NER component, its gazetteers and the NER evaluation helpers."""

from __future__ import annotations

import hashlib
import itertools
import json
from importlib import resources

import pytest
from conftest import shared_path

import khabar
from khabar.components import ner
from khabar.errors import InputError
from khabar.evaluation.ner import entity_scores, format_scores, read_conll, tag_conll
from khabar.lang.ar import gazetteers

# The ANERcorp file the gate was pinned on, and the floor for the shipped model on the
# dev split (last 10% of the sentences), tagged as `khabar eval ner` does (tag_conll: the
# sentences jointly, window +-25); the shipped model (CRF + ANT word clusters + gazetteers,
# second pass for label consistency, post-rules; word2vec clusters since round 6) measures 0.772
# (`python training/train_ner.py --dev-only`, `python bench/bench_ner.py`).
ANERCORP = ("data", "anercorp", "ANERcorp_CamelSplit_train.txt")
ANERCORP_SHA256 = "777707c3a8258f3ec6048635454ffd64821bb9021cbc240b8efaf5caaf0d4e1d"
DEV_MICRO_F1_FLOOR = 0.75


def entities(text: str) -> list[tuple[str, str]]:
    doc = khabar.analyze(text, components=["segment"])
    spans = ner.predict(doc)
    for s in spans:
        assert doc.text[s.start : s.end] == doc.span_text(s)
    return [(doc.span_text(s), s.label) for s in spans]


# --------------------------------------------------------------------- evaluation


def test_ner_read_conll_sentences_and_columns() -> None:
    lines = ["ذهب O\n", "أحمد X B-PERS\n", "\n", "\n", "إلى O\n", "بغداد B-LOC\n", "وحده\n"]
    assert read_conll(lines, "t.conll") == [
        [("ذهب", "O"), ("أحمد", "B-PERS")],
        [("إلى", "O"), ("بغداد", "B-LOC"), ("وحده", "O")],
    ]


@pytest.mark.parametrize(
    ("lines", "line_number"),
    [
        (["ذهب O", "أحمد B-PER"], 2),
        (["ذهب O", "", "أحمد O", "بغداد LOC"], 4),
        (["ذهب B-loc"], 1),
        (["ذهب O", "أحمد E-PERS"], 2),
    ],
)
def test_ner_read_conll_malformed_tag_names_the_line(lines: list[str], line_number: int) -> None:
    with pytest.raises(InputError) as info:
        read_conll(lines, "gold.conll")
    assert info.value.code == "K130"
    assert f"gold.conll:{line_number}:" in info.value.message


def test_ner_entity_scores_exact_match() -> None:
    gold = [["B-PERS", "I-PERS", "O", "B-LOC"]]
    scores = entity_scores(gold, gold)
    assert scores["micro"]["f1"] == 1.0
    assert scores["types"]["PERS"]["tp"] == 1
    assert scores["types"]["LOC"]["gold"] == 1


def test_ner_entity_scores_wrong_type_and_partial_span() -> None:
    gold = [["B-PERS", "I-PERS", "O", "B-LOC"], ["B-ORG", "I-ORG", "I-ORG"]]
    pred = [["B-PERS", "O", "O", "B-ORG"], ["B-ORG", "I-ORG", "I-ORG"]]
    scores = entity_scores(gold, pred)
    # PERS predicted over one token of two: wrong; LOC predicted as ORG: wrong; ORG exact: right
    assert scores["types"]["PERS"] == pytest.approx(
        {"precision": 0.0, "recall": 0.0, "f1": 0.0, "tp": 0, "predicted": 1, "gold": 1}
    )
    assert scores["types"]["LOC"]["recall"] == 0.0
    assert scores["types"]["ORG"]["precision"] == 0.5
    assert scores["micro"]["tp"] == 1
    assert scores["micro"]["precision"] == pytest.approx(1 / 3)
    assert scores["micro"]["recall"] == pytest.approx(1 / 3)
    table = format_scores(scores)
    assert "micro" in table and "PERS" in table


def test_ner_entity_scores_i_after_o_starts_an_entity() -> None:
    gold = [["O", "B-ORG", "I-ORG"]]
    pred = [["O", "I-ORG", "I-ORG"]]
    assert entity_scores(gold, pred)["micro"]["f1"] == 1.0


def test_ner_entity_scores_rejects_length_mismatch() -> None:
    with pytest.raises(ValueError):
        entity_scores([["O", "O"]], [["O"]])


# --------------------------------------------------------------------- gazetteers


def test_ner_gazetteers_are_nonempty_frozensets_of_clean_entries() -> None:
    lists = [v for k, v in vars(gazetteers).items() if k.isupper() and isinstance(v, frozenset)]
    assert len(lists) >= 8
    for entries in lists:
        assert entries
        for entry in entries:
            assert entry == " ".join(entry.split()) and "،" not in entry


# --------------------------------------------------------------------- model


@pytest.mark.parametrize(
    "tokens",
    [
        ["وصل", "الرئيس", "الفرنسي", "إلى", "القاهرة", "أمس", "."],
        ["قال", "محمد", "بن", "سالم", "،", "المتحدث", "باسم", "وزارة", "الخارجية", "،", "إن", "الوفد", "غادر"],
        ["x"],
    ],
)
def test_ner_tag_tokens_keeps_token_count(tokens: list[str]) -> None:
    tags = ner.tag_tokens(tokens)
    assert len(tags) == len(tokens)
    assert all(t == "O" or t[:2] in ("B-", "I-") and t[2:] in ner.LABELS for t in tags)


def test_ner_tag_tokens_empty() -> None:
    assert ner.tag_tokens([]) == []


def test_ner_tag_sentences_matches_shapes_and_single_sentence() -> None:
    sents = [
        ["وصل", "الرئيس", "الفرنسي", "إلى", "القاهرة", "أمس", "."],
        [],
        ["والتقى", "ماكرون", "نظيره", "السيسي", "."],
        ["وقال", "ماكرون", "إن", "فرنسا", "تدعم", "مصر", "."],
    ]
    for window in (-1, None, 0, 1):
        tags = ner.tag_sentences(sents, window)
        assert [len(t) for t in tags] == [len(s) for s in sents]
    # a sentence tagged alone gets the same tags as tag_tokens gives it
    assert ner.tag_sentences([sents[0]]) == [ner.tag_tokens(sents[0])]
    assert ner.tag_sentences([]) == []
    assert ner.tag_sentences([[]]) == [[]]


def test_ner_stack_features_see_other_sentences_in_the_window() -> None:
    model = ner.load_model()
    if model.tagger2 is None:
        pytest.skip("the shipped model has no second pass")
    sents = [["زار", "كيري", "بغداد"], ["انتهى", "اللقاء"], ["وغادر", "كيري", "أمس"]]
    fz = model.featurizer
    first = [["O", "B-PERS", "B-LOC"], ["O", "O"], ["O", "O", "O"]]
    feats = [fz.sentence(s) for s in sents]
    ner.stack_features(fz, sents, feats, first, 2)
    assert "x=PERS" in feats[2][1] and "t=O" in feats[2][1]
    assert "x=PERS" not in feats[0][1] and "xo" in feats[0][1]  # its own tag does not count
    feats = [fz.sentence(s) for s in sents]
    ner.stack_features(fz, sents, feats, first, 1)
    assert "x=PERS" not in feats[2][1]  # two sentences away: outside a window of 1


def test_ner_tag_conll_tags_each_sentence() -> None:
    sents = [[("زار", "O"), ("الوزير", "O"), ("باريس", "B-LOC")], [("انتهى", "O")]]
    tags = tag_conll(sents)
    assert [len(t) for t in tags] == [3, 1]


def test_ner_predict_spans_slice_the_text_and_strip_proclitics() -> None:
    found = entities("وصل الوفد إلى بغداد أمس، ثم سافر إلى سوريا والعراق ولبنان.")
    assert ("بغداد", "LOC") in found
    assert ("العراق", "LOC") in found
    assert ("لبنان", "LOC") in found
    assert all(not text.startswith(("وال", "بال")) for text, _ in found)


def test_ner_predict_glued_words_give_two_locations() -> None:
    found = entities("وقعت الولاياتالمتحدةوكوريا اتفاقا تجاريا جديدا أمس.")
    assert ("الولايات المتحدة".replace(" ", ""), "LOC") in [(t.replace(" ", ""), lab) for t, lab in found]
    assert ("كوريا", "LOC") in found


def test_ner_predict_multi_token_span_runs_first_start_to_last_end() -> None:
    doc = khabar.analyze("اجتمع الأمين العام مع وزير الخارجية الأمريكي جون كيري في جنيف.", components=["segment"])
    spans = ner.predict(doc)
    for s in spans:
        inside = [t for t in doc["tokens"] if s.start <= t.start and t.end <= s.end]
        assert inside and inside[-1].end == s.end
    ner.set_annotations(doc, spans)
    assert doc["entities"] == spans
    assert json.loads(doc.to_json())["entities"] == [s.to_dict(doc.text) for s in spans]


def test_ner_missing_model_is_a_resource_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ner, "MODEL_FILE", "no-such-model.crfsuite")
    ner.load_model.cache_clear()
    try:
        with pytest.raises(khabar.ResourceError) as info:
            ner.load_model()
        assert info.value.code == "K203"
        assert "reinstall khabar" in str(info.value)
    finally:
        monkeypatch.undo()
        ner.load_model.cache_clear()


@pytest.mark.parametrize(
    ("tokens", "tags", "expected"),
    [
        # a seat of power is the institution, whatever the CRF said
        (["وقال", "البيت", "الأبيض", "أمس"], ["O", "B-MISC", "I-MISC", "O"], ["O", "B-ORG", "I-ORG", "O"]),
        (["وأعلن", "الكرملين", "أن"], ["O", "B-LOC", "O"], ["O", "B-ORG", "O"]),
        (["مستشار", "للبيت", "الأبيض"], ["O", "O", "O"], ["O", "B-ORG", "I-ORG"]),
        # ... but not when the CRF's entity is larger than the name
        (["حديقة", "البيت", "الأبيض"], ["B-LOC", "I-LOC", "I-LOC"], ["B-LOC", "I-LOC", "I-LOC"]),
        # a two-part East-Asian name takes its third part, even when it reads as a particle
        (
            ["الرئيس", "مون", "جاي", "إن", "قال"],
            ["O", "B-PERS", "I-PERS", "O", "O"],
            ["O", "B-PERS", "I-PERS", "I-PERS", "O"],
        ),
        (["الزعيم", "كيم", "جونغ", "أون"], ["O", "B-PERS", "I-PERS", "O"], ["O", "B-PERS", "I-PERS", "I-PERS"]),
        # a family name alone never extends: here إن is the particle
        (["وقال", "مون", "إن", "الاتفاق", "قريب"], ["O", "B-PERS", "O", "O", "O"], ["O", "B-PERS", "O", "O", "O"]),
        # nor a two-token name that is not East-Asian
        (["وقال", "جون", "كيري", "إن"], ["O", "B-PERS", "I-PERS", "O"], ["O", "B-PERS", "I-PERS", "O"]),
    ],
)
def test_ner_apply_rules_institutions_and_east_asian_names(
    tokens: list[str], tags: list[str], expected: list[str]
) -> None:
    assert ner.apply_rules(ner.load_model().featurizer, tokens, tags) == expected


def test_ner_tagging_applies_the_rules() -> None:
    tags = ner.tag_tokens(["قال", "متحدث", "باسم", "البيت", "الأبيض", "إن", "الرئيس", "سيسافر", "."])
    assert tags[3:5] == ["B-ORG", "I-ORG"]


def test_ner_rule_place_after_a_place_cue_is_loc() -> None:
    fz = ner.load_model().featurizer
    toks = ["وصل", "الوفد", "إلى", "العاصمة", "الفلبينية", "مانيلا", "أمس", "."]
    tags = ["O"] * 5 + ["B-PERS", "O", "O"]
    assert ner.apply_rules(fz, toks, tags)[5] == "B-LOC"
    direct = ["زار", "مدينة", "مانيلا", "."]
    assert ner.apply_rules(fz, direct, ["O", "O", "B-PERS", "O"])[2] == "B-LOC"
    # no cue before it, or a name that is no gazetteer place: the CRF's PERS stays
    assert ner.apply_rules(fz, ["قال", "مانيلا", "."], ["O", "B-PERS", "O"])[1] == "B-PERS"
    assert ner.apply_rules(fz, ["عمدة", "المدينة", "كلاوديو", "."], ["O", "O", "B-PERS", "O"])[2] == "B-PERS"


def test_ner_dropping_unweighted_features_changes_no_tag() -> None:
    model = ner.load_model()
    if model.featurizer.known is None:
        pytest.skip("the shipped model lists no attributes")
    plain = ner.Featurizer(model.featurizer.families, model.featurizer.lexicon)
    sents = [
        ["وصل", "الرئيس", "الفرنسي", "إيمانويل", "ماكرون", "إلى", "القاهرة", "أمس", "."],
        ["وقالت", "شركة", "تويوتا", "اليابانية", "إن", "مبيعاتها", "ارتفعت", "في", "أوروبا", "."],
        ["xyz", "١٢٣", "؟", "للمنظمة", "الدولية", "للهجرة"],
    ]
    for toks in sents:
        filtered, full = model.featurizer.sentence(toks), plain.sentence(toks)
        assert sum(map(len, filtered)) < sum(map(len, full))
        assert model.tagger.tag(filtered) == model.tagger.tag(full)


def test_ner_import_does_no_io() -> None:
    # the model is loaded by load_model only (lru_cache'd); importing the module must not call it
    assert ner.load_model.__wrapped__ is not None


# --------------------------------------------------------------------- gates


@pytest.mark.shared
def test_ner_eval_gate_dev_split() -> None:
    """The shipped model (trained on the first 90%) scored on the last 10% of ANERcorp."""
    path = shared_path(*ANERCORP)
    assert hashlib.sha256(path.read_bytes()).hexdigest() == ANERCORP_SHA256, "evaluation data changed: re-pin"
    info = json.loads(resources.files("khabar.models").joinpath(ner.INFO_FILE).read_text(encoding="utf-8"))
    assert info["trained_on"] == "train90", "the gate needs the 90% model (no dev leak)"
    with path.open(encoding="utf-8") as fh:
        sentences = read_conll(fh, str(path))
    dev = sentences[len(sentences) - round(len(sentences) * 0.10) :]
    scores = entity_scores([[g for _, g in s] for s in dev], tag_conll(dev))
    assert scores["micro"]["f1"] >= DEV_MICRO_F1_FLOOR, format_scores(scores)


# Seed entities the shipped model finds (full-name mentions, as issue #3 names them); the
# ones it misses would be listed in SEED_MISSES and reported, not hidden. مون جاى إن needs
# the East-Asian name rule (إن is also the particle "that"), البيت الأبيض the institution
# rule (ANERcorp tags it MISC), يونجبيون the place gazetteer (it is not in the ANT clusters).
SEED_PERS = ["كيم جونج أون", "دونالد ترامب", "ترامب", "مايك بومبيو", "سارة ساندرز", "باراك أوباما", "مون جاى إن"]
SEED_LOC = ["هانوى", "كوريا الشمالية", "الولايات المتحدة", "يونجبيون", "مانيلا", "إيران", "سول", "كوريا الجنوبية"]
SEED_ORG = ["البيت الأبيض"]
SEED_MISSES: set[tuple[str, str]] = set()


@pytest.mark.shared
def test_ner_seed_entities(seed_text: str) -> None:
    doc = khabar.analyze(seed_text, components=["segment"])
    spans = ner.predict(doc)
    found = {
        (" ".join(doc.span_text(s).split()).replace("الولاياتالمتحدة", "الولايات المتحدة"), s.label) for s in spans
    }
    for s in spans:
        assert doc.text[s.start : s.end] == doc.span_text(s)
    wanted = {(e, "PERS") for e in SEED_PERS} | {(e, "LOC") for e in SEED_LOC} | {(e, "ORG") for e in SEED_ORG}
    missing = wanted - found
    assert missing <= SEED_MISSES, f"newly missed: {sorted(missing - SEED_MISSES)}"


def test_ner_cluster_lexicon_round_trips() -> None:
    table = {"بيت": ("128=1", "512=7", "32=0", "2048=9"), "كتاب": ("128=1", "512=3", "32=0", "2048=1")}
    raw = ner.ClusterLexicon.to_bytes(table)
    assert raw == ner.ClusterLexicon.to_bytes(dict(reversed(table.items())))  # deterministic
    lexicon = ner.ClusterLexicon.from_bytes(raw)
    assert dict(lexicon.items()) == table and len(lexicon) == 2
    assert lexicon.get("قلم") is None and "قلم" not in lexicon and "بيت" in lexicon
    with pytest.raises(ValueError):
        ner.ClusterLexicon.to_bytes({"بيت": ("128=1",), "كتاب": ("128=1", "512=3")})


def test_ner_shipped_lexicon_has_the_cluster_features() -> None:
    lexicon = ner.load_model().featurizer.lexicon
    assert len(lexicon) > 50_000
    for word in list(itertools.islice(iter(lexicon), 0, None, 10_000)):
        feats = lexicon[word]
        # the ANT PPMI clusters, then the ANT word2vec clusters (round 6; "v64=?" etc. for a word without a vector)
        assert [f.split("=")[0] for f in feats] == ["128", "512", "32", "2048", "v64", "v256", "v1024"], word


def test_ner_corrupt_lexicon_is_a_resource_error(monkeypatch: pytest.MonkeyPatch) -> None:
    real = ner.read_model
    monkeypatch.setattr(
        ner, "read_model", lambda name, code="K200": b"garbage" if name == ner.LEXICON_FILE else real(name, code)
    )
    ner.load_model.cache_clear()
    try:
        with pytest.raises(khabar.ResourceError) as info:
            ner.load_model()
        assert info.value.code == "K203" and ner.LEXICON_FILE in str(info.value)
    finally:
        monkeypatch.undo()
        ner.load_model.cache_clear()
