"""The judged-figure arithmetic of bench/bench_repair.py, on tiny synthetic articles (own sentences).

No shared data: the insertions are given by hand, so only the scoring is under test (not glue.py).
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "bench"))
try:
    import bench_repair as br
finally:
    sys.path.pop(0)

# An untouched article: the newspaper glued وزير+الخارجية (a real glue) and مجلس+الإدارة (a real
# glue no hand verdict covers); مناهل is a woman's name that a bad repair cuts into من|اهل.
CLEAN = "في الصباح زارت مناهل وزيرالخارجية ثم اجتمع مجلسالإدارة مساء"


def _after(text: str, piece: str) -> int:
    """Insertion point right after the first ``piece`` in ``text``."""
    return text.index(piece) + len(piece)


def _delete(text: str, offsets: list[int]) -> tuple[str, list[int]]:
    """Delete the spaces at ``offsets`` (clean offsets, ascending); return text and damaged offsets."""
    out, last = [], 0
    for pos in offsets:
        assert text[pos] == " "
        out.append(text[last:pos])
        last = pos + 1
    out.append(text[last:])
    return "".join(out), [pos - k for k, pos in enumerate(offsets)]


def _case() -> tuple[br.RepairScore, dict[str, int]]:
    # Damage: the spaces after في and after ثم are deleted, so every later offset shifts.
    deleted = [CLEAN.index(" الصباح"), CLEAN.index(" اجتمع")]
    damaged, gold = _delete(CLEAN, deleted)
    assert damaged == "فيالصباح زارت مناهل وزيرالخارجية ثماجتمع مجلسالإدارة مساء"
    clean_at = {"manahil": _after(CLEAN, "زارت من"), "wazir": _after(CLEAN, "وزير"),
                "majlis": _after(CLEAN, "مجلس")}
    false = sorted(clean_at.values())  # khabar's insertions in the untouched article
    predicted = [
        gold[0],                            # فيالصباح -> في الصباح: correct
        _after(damaged, "فيال"),            # فيال|صباح: wrong, caused by the damage (not in CLEAN)
        _after(damaged, "زارت من"),         # من|اهل: wrong, also made on CLEAN, a word cut (hand: bad)
        _after(damaged, "وزير"),            # وزير|الخارجية: wrong by the strict count, a source glue (hand: glue)
        _after(damaged, "مجلس"),            # مجلس|الإدارة: source glue, no hand verdict (the rule decides)
    ]                                       # the deleted space after ثم is missed: recall 1/2
    # The rule (made-up counts): من and اهل are frequent but never side by side -> not a glue (right);
    # وزير is unknown to it -> it misses that glue; مجلس|الإدارة it gets.
    ant = br.AntCounts(words={"من": 50, "اهل": 50, "مجلس": 40, "الإدارة": 40},
                       pairs={"مجلس الإدارة": 9})
    hand = {br.context_key(CLEAN, clean_at["manahil"]): False, br.context_key(CLEAN, clean_at["wazir"]): True}
    score = br.RepairScore()
    br.score_article(score, CLEAN, gold, predicted, false, ant=ant, hand=hand, judge_list=True)
    return score, clean_at


def test_strict_counts_are_unchanged_by_judging() -> None:
    score, _ = _case()
    assert (score.predicted, score.correct, score.deleted) == (5, 1, 2)
    assert score.precision == pytest.approx(1 / 5)
    assert score.recall == pytest.approx(1 / 2)
    assert score.words == 9  # letter runs of CLEAN
    assert score.false_splits == 3
    assert score.false_per_10k == pytest.approx(1e4 * 3 / 9)


def test_wrong_insertions_on_damaged_text_map_to_the_untouched_places() -> None:
    score, _ = _case()
    # من|اهل, وزير|الخارجية and مجلس|الإدارة sit after a deleted space: mapped back, all three are
    # also made on CLEAN; فيال|صباح is not (the damage caused it)
    assert score.wrong_also_clean == 3
    assert score.precision_on_damage == pytest.approx(1 / 2)


def test_judged_by_hand_overrides_the_rule_and_falls_back_to_it() -> None:
    score, _ = _case()
    assert score.hand_judged == 2 and score.hand_bad == 1
    assert score.wrong_hand_judged == 2
    # by hand: وزير|الخارجية glue (hand), مجلس|الإدارة glue (rule, no verdict), من|اهل bad (hand)
    assert score.clean_glue_hand == 2
    assert score.wrong_on_glue_hand == 2
    assert score.judged_precision(by_hand=True) == pytest.approx((1 + 2) / 5)
    assert score.judged_false_splits(by_hand=True) == 1
    assert score.judged_false_per_10k(by_hand=True) == pytest.approx(1e4 * 1 / 9)
    # rule alone: only مجلس|الإدارة is a glue; وزير|الخارجية stays a false split
    assert score.clean_glue_rule == 1 and score.wrong_on_glue_rule == 1
    assert score.judged_precision() == pytest.approx((1 + 1) / 5)
    assert score.judged_false_splits() == 2
    assert score.hand_agree == 1  # من|اهل bad both ways


def test_a_bad_verdict_keeps_the_damaged_text_insertion_wrong() -> None:
    score, clean_at = _case()
    # a bad verdict beats the rule's glue and takes the excuse away on both texts
    deleted = [CLEAN.index(" الصباح"), CLEAN.index(" اجتمع")]
    damaged, gold = _delete(CLEAN, deleted)
    hand = {br.context_key(CLEAN, off): False for off in clean_at.values()}
    other = br.RepairScore()
    br.score_article(other, CLEAN, gold, [gold[0], _after(damaged, "وزير")], sorted(clean_at.values()),
                     ant=br.AntCounts({"وزير": 30, "الخارجية": 30}, {"وزير الخارجية": 5}), hand=hand)
    assert other.wrong_also_clean == 1 and other.wrong_on_glue_hand == 0
    assert other.wrong_on_glue_rule == 1 and other.judged_precision() == pytest.approx(2 / 2)
    assert other.judged_precision(by_hand=True) == pytest.approx(1 / 2)
    assert other.judged_false_splits(by_hand=True) == 3
    assert score.judged_precision(by_hand=True) > other.judged_precision(by_hand=True)


def test_judge_lines_carry_key_rule_pieces_and_hand_verdict() -> None:
    score, clean_at = _case()
    rows = [line.split("\t") for line in score.judge_lines]
    assert [row[2] for row in rows] == ["من|اهل", "وزير|الخارجية", "مجلس|الإدارة"]
    assert [row[1] for row in rows] == ["bad", "bad", "glue"]  # the rule's verdicts
    assert [row[4:] for row in rows] == [["bad"], ["glue"], []]  # hand verdicts where judged
    assert rows[1][0] == br.context_key(CLEAN, clean_at["wazir"])


def test_without_counts_only_strict_figures_move() -> None:
    deleted = [CLEAN.index(" الصباح")]
    damaged, gold = _delete(CLEAN, deleted)
    score = br.RepairScore()
    br.score_article(score, CLEAN, gold, [gold[0], _after(damaged, "وزير")], [_after(CLEAN, "وزير")])
    assert (score.correct, score.predicted, score.false_splits, score.wrong_also_clean) == (1, 2, 1, 1)
    assert score.judged_precision(by_hand=True) == pytest.approx(1 / 2)
    assert score.hand_judged == 0 and score.clean_glue_hand == 0


def test_each_split_reads_its_own_gold_file() -> None:
    assert all(br.gold_file_for(seed) == br.GOLD_GLUE for seed in br.TUNE_SEEDS)
    assert all(br.gold_file_for(seed) == br.GOLD_GLUE_EVAL for seed in br.EVAL_SEEDS)
    assert br.gold_file_for(2024) is None


@pytest.mark.parametrize("path", [br.GOLD_GLUE, br.GOLD_GLUE_EVAL])
def test_gold_files_are_keys_and_verdicts_only(path: Path) -> None:
    rows = [line.split("\t") for line in path.read_text(encoding="utf-8").splitlines()
            if line.strip() and not line.startswith("#")]
    assert rows
    keys = [row[0] for row in rows]
    assert len(keys) == len(set(keys)), "one line per distinct key"
    assert all(re.fullmatch("[0-9a-f]{12}", key) for key in keys)
    assert {row[1] for row in rows} <= {"glue", "bad"}
    assert len(br.load_hand_judgements(path)) == len(rows)
