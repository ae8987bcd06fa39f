"""Label matching: printed (possibly wrapped, Traditional, typo'd, truncated) labels → canonical keys.

Matching is an order-preserving alignment of the printed labels against the template's labels.
A pair whose labels agree is placed by label; a pair the alignment could only make by the fixed
template order (damaged, missing or ambiguous labels) is marked as placed by position, which
the validator turns into a warning on the affected cells.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher

from giar.chinese import label_core

# Similarity from which a printed label identifies a template label.
MATCH_THRESHOLD = 0.6
# A label that matches two template labels within this margin is ambiguous.
AMBIGUITY_MARGIN = 0.05
# Score of pairing two labels by order alone; lets equal-length lists of damaged labels align.
ORDER_BONUS = 0.05
# A truncated label ("本年新" for 本年新制作数量) identifies at most this well.
PREFIX_SCORE = 0.75


@dataclass(frozen=True, slots=True)
class Candidate:
    """A template slot: its key and the labels it is printed with."""

    key: str
    labels: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Match:
    observed: int  # index into the printed labels
    key: str
    score: float
    by_label: bool  # False: placed by template order (damaged or ambiguous label)


def similarity(printed: str, canonical: str) -> float:
    """0..1 similarity of two labels after normalisation (see :func:`giar.chinese.label_core`)."""
    a, b = label_core(printed), label_core(canonical)
    if not a or not b:
        return 0.0
    if a == b:
        return 1.0
    score = SequenceMatcher(None, a, b, autojunk=False).ratio()
    if len(a) >= 3 and b.startswith(a):
        score = max(score, PREFIX_SCORE)
    return score


def candidate_score(printed: str, candidate: Candidate) -> float:
    return max(similarity(printed, label) for label in candidate.labels)


def align(printed: Sequence[str], candidates: Sequence[Candidate]) -> list[Match]:
    """Order-preserving best alignment of printed labels to template slots (Needleman–Wunsch
    with free gaps). Unmatched printed labels and unmatched slots are simply absent."""
    scores = [[candidate_score(p, c) for c in candidates] for p in printed]
    n, m = len(printed), len(candidates)
    best = [[0.0] * (m + 1) for _ in range(n + 1)]
    for i in range(n - 1, -1, -1):
        for j in range(m - 1, -1, -1):
            best[i][j] = max(
                best[i + 1][j],
                best[i][j + 1],
                best[i + 1][j + 1] + scores[i][j] + ORDER_BONUS,
            )
    matches: list[Match] = []
    i = j = 0
    while i < n and j < m:
        if best[i][j] == best[i + 1][j + 1] + scores[i][j] + ORDER_BONUS:
            matches.append(Match(i, candidates[j].key, scores[i][j], _identifies(scores[i], j)))
            i, j = i + 1, j + 1
        elif best[i][j] == best[i + 1][j]:
            i += 1
        else:
            j += 1
    return matches


def total_score(matches: list[Match]) -> float:
    return sum(m.score for m in matches)


def _identifies(row_scores: list[float], j: int) -> bool:
    score = row_scores[j]
    if score < MATCH_THRESHOLD:
        return False
    rivals = [s for k, s in enumerate(row_scores) if k != j]
    return not rivals or max(rivals) < score - AMBIGUITY_MARGIN
