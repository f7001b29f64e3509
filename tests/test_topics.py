"""Topic classification: distributions, labels, edge cases and the ANT v2.1 dev gate."""

from __future__ import annotations

import gzip
import hashlib
import math
import os
from pathlib import Path

import pytest
from conftest import shared_path

from khabar.components import classify
from khabar.doc import Doc
from khabar.evaluation.topics import evaluate, format_report, parse_trec, read_trec, scores

SPORT = (
    "فاز فريق الهلال على منافسه النصر بثلاثة أهداف مقابل هدف في مباراة الدوري السعودي لكرة القدم، "
    "وسجل المهاجم هدفين في الشوط الثاني أمام جماهير الملعب، ليتصدر الفريق جدول الترتيب قبل نهاية الموسم."
)
ECONOMY = (
    "ارتفعت أسعار النفط في الأسواق العالمية بعد قرار منظمة أوبك خفض الإنتاج، وصعد سعر خام برنت إلى "
    "سبعين دولارا للبرميل، فيما تراجعت البورصات وسجل البنك المركزي تضخما أعلى من المتوقع في الربع الأول."
)
TECHNOLOGY = (
    "أعلنت شركة آبل عن هاتف آيفون جديد بمعالج أسرع وكاميرا محسنة، وقالت الشركة إن التطبيقات الجديدة "
    "تعتمد على الذكاء الاصطناعي، كما أطلقت تحديثا لنظام التشغيل يحسن أمان البيانات على الإنترنت."
)
SENTENCE = "انتهت المباراة بفوز المنتخب بهدفين نظيفين."

DEV_SHA256 = "253b00804c6004513eed9ef035394a437db101e2e85a741374d42431c8f37bb0"
DEV_ACCURACY_FLOOR = 0.86
DEV_MACRO_F1_FLOOR = 0.85


def _check_distribution(dist: dict[str, float]) -> None:
    assert tuple(dist) == classify.LABELS
    assert all(0.0 <= p <= 1.0 for p in dist.values())
    assert math.isclose(sum(dist.values()), 1.0, abs_tol=1e-9)


@pytest.mark.parametrize(
    ("text", "label"),
    [(SPORT, "sport"), (ECONOMY, "economy"), (TECHNOLOGY, "technology")],
    ids=["sport", "economy", "tech"],
)
def test_classify_text_labels_own_examples(text: str, label: str) -> None:
    dist = classify.classify_text(text)
    _check_distribution(dist)
    assert max(dist, key=lambda k: dist[k]) == label


@pytest.mark.parametrize(
    "text",
    [
        SENTENCE,
        "The match ended two nil and the coach praised his players.",
        "",
        "   \n\t ",
        "12345 ... !!! ###",
        " ".join([SENTENCE] * 5000),
        "\n".join([TECHNOLOGY] * 2000),
    ],
    ids=["one-sentence", "english", "empty", "blank", "no-letters", "5000-sentences", "long-lines"],
)
def test_classify_text_edge_cases_give_a_distribution(text: str) -> None:
    dist = classify.classify_text(text, title=None)
    _check_distribution(dist)


@pytest.mark.parametrize("text", ["Stock prices and football scores, in English only.", "", "2018 !!!"])
def test_classify_no_arabic_gives_the_prior(text: str) -> None:
    dist = classify.classify_text(text)
    _check_distribution(dist)
    assert dist == dict(zip(classify.LABELS, classify.load_model().prior, strict=True))
    assert max(dist.values()) < 0.5  # no confident answer without Arabic evidence


def test_classify_long_article_keeps_its_topic() -> None:
    dist = classify.classify_text(" ".join([SENTENCE] * 5000))
    assert max(dist, key=lambda k: dist[k]) == "sport"


def test_classify_deterministic() -> None:
    assert classify.classify_text(ECONOMY, "النفط") == classify.classify_text(ECONOMY, "النفط")


def test_classify_title_is_used() -> None:
    with_title = classify.classify_text(SENTENCE, title="كأس العالم لكرة القدم")
    _check_distribution(with_title)
    assert with_title != classify.classify_text(SENTENCE)


def test_predict_and_set_annotations_write_values() -> None:
    doc = Doc(TECHNOLOGY, {"title": "هاتف جديد من آبل"})
    categories = classify.predict(doc)
    classify.set_annotations(doc, categories)
    assert doc.values["topic"] == "technology"
    assert set(doc.values["categories"]) == set(classify.LABELS)
    assert math.isclose(sum(doc.values["categories"].values()), 1.0, abs_tol=1e-3)
    out = doc.to_dict()
    assert out["topic"] == "technology" and out["categories"] == doc.values["categories"]
    assert Doc.from_json(doc.to_json()).values["topic"] == "technology"


def test_light_stem_strips_clitics() -> None:
    assert classify.light_stem("والاقتصاديه") == "اقتصاد"
    assert classify.light_stem("بالمباريات") == "مبار"
    assert classify.light_stem("من") == "من"


def test_seed_article_is_news(seed_text: str) -> None:
    dist = classify.classify_text(seed_text)
    _check_distribution(dist)
    assert max(dist, key=lambda k: dist[k]) in ("internationalNews", "middleEast")


def test_parse_trec_reads_fields() -> None:
    sgml = (
        '<DOC>\n<DOCNO>X-sport-1</DOCNO>\n<CAT>sport</CAT>\n<TITLE>عنوان & "رياضي"</TITLE>\n'
        f"<TEXT>\n{SPORT}\n</TEXT>\n</DOC>\n<DOC><DOCNO>X-economy-2</DOCNO><CAT>economy</CAT><TEXT>{ECONOMY}</TEXT></DOC>"
    )
    records = parse_trec(sgml)
    assert records[0] == ("X-sport-1", "sport", 'عنوان & "رياضي"', SPORT)
    assert records[1][:3] == ("X-economy-2", "economy", "")


def test_read_trec_gzip_and_plain(tmp_path: Path) -> None:
    sgml = f"<DOC><DOCNO>a</DOCNO><CAT>sport</CAT><TITLE>t</TITLE><TEXT>{SPORT}</TEXT></DOC>"
    plain = tmp_path / "x.trec"
    packed = tmp_path / "x.trec.gz"
    plain.write_text(sgml, encoding="utf-8")
    packed.write_bytes(gzip.compress(sgml.encode("utf-8")))
    assert read_trec(plain) == read_trec(packed)


def test_scores_and_report() -> None:
    report = scores(["sport", "sport", "economy"], ["sport", "economy", "economy"], ["economy", "sport"])
    assert report["accuracy"] == pytest.approx(2 / 3)
    assert report["confusion"] == [[1, 0], [1, 1]]
    assert report["per_label"]["sport"]["recall"] == 0.5
    assert report["macro_f1"] == pytest.approx((2 / 3 + 2 / 3) / 2)
    text = format_report(report)
    assert "macro-F1" in text and "confusion" in text


@pytest.mark.shared
@pytest.mark.slow
def test_topics_dev_gate() -> None:
    path = shared_path("data", "ant-multisource-v2.1", "dev.trec.gz")
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    if digest != DEV_SHA256:
        message = f"ANT v2.1 dev.trec.gz changed (sha256 {digest}); re-measure and re-pin the floors"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    report = evaluate(read_trec(path))
    assert report["n"] == 3159
    assert report["accuracy"] >= DEV_ACCURACY_FLOOR, format_report(report)
    assert report["macro_f1"] >= DEV_MACRO_F1_FLOOR, format_report(report)
