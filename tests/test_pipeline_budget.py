"""The work budget's boundary: a text is cut only past MAX_WORK_TOKENS tokens or MAX_WORK_CHARS characters."""

from __future__ import annotations

from khabar.pipeline import MAX_WORK_TOKENS, work_prefix


def test_work_prefix_at_the_token_budget() -> None:
    # one token per character: exactly the budget fits, one more token is cut (at a line break or space)
    assert work_prefix("." * MAX_WORK_TOKENS) is None
    cut = work_prefix("." * (MAX_WORK_TOKENS + 1))
    assert cut == MAX_WORK_TOKENS


def test_work_prefix_counts_tokens_not_characters() -> None:
    # more characters than the token budget, fewer tokens: analysed whole
    words = "كلمة " * (MAX_WORK_TOKENS // 4)
    assert len(words) > MAX_WORK_TOKENS
    assert work_prefix(words) is None
    dots = ". " * (MAX_WORK_TOKENS + 10)
    cut = work_prefix(dots)
    assert cut is not None and dots[cut] == " " and len(dots[:cut].split()) <= MAX_WORK_TOKENS


def test_longest_sentence_counts_tokens_by_their_sentence() -> None:
    from khabar.doc import Doc, Span
    from khabar.pipeline import _longest_sentence

    doc = Doc("x" * 10)
    assert _longest_sentence(doc) == 0  # before segmentation
    sentences = [0, 0, 1, 1, 1, 2, 0]  # a token of sentence 0 after the others counts with them
    doc.layers["tokens"] = [Span(i, i + 1, "", {"sentence": s}) for i, s in enumerate(sentences)]
    assert _longest_sentence(doc) == 3
    doc.layers["tokens"].append(Span(7, 8, "", {}))  # no sentence number: read as sentence 0
    assert _longest_sentence(doc) == 4
