"""Which GIAR table a ruled table is, from the words in its cells."""

from __future__ import annotations

from difflib import SequenceMatcher
from functools import lru_cache

from giar import canonical as c
from giar.chinese import label_core
from giar.tables.cells import CellTable

# A table is recognised when at least this many of its cells carry that table's vocabulary.
MIN_VOCABULARY_HITS = 2
# Vocabulary words this long may also be found inside a longer cell text, or be matched by a
# cell text this similar to them: one character in four misread (行政女议 for 行政复议), as
# recognition of a faded scan leaves them.
MIN_SUBSTRING_LENGTH = 4
MIN_FUZZY_SIMILARITY = 0.75


@lru_cache(maxsize=1)
def _vocabulary() -> dict[str, frozenset[str]]:
    active = {"第二十条", "信息内容"}
    for subs in c.ACTIVE_SUBTABLES.values():
        for sub in subs:
            active.update(sub.column_labels.values())
            active.update(row.label for row in sub.rows)
    applications = {"申请人情况", "法人或其他组织", "本列数据的勾稽关系"}
    applications.update(v for k, v in c.APPLICANT_COLUMN_LABELS.items() if k not in ("total", "other_org"))
    for rows in c.APPLICATION_ROWS.values():
        applications.update(row.label for row in rows)
        applications.update(row.group for row in rows if row.group)
    review = {"行政复议", "行政诉讼", *c.REVIEW_BLOCK_LABELS.values()}
    review.update(v for k, v in c.REVIEW_COLUMN_LABELS.items() if k != "total")
    return {
        c.ACTIVE: frozenset(map(label_core, active)),
        c.APPLICATIONS: frozenset(map(label_core, applications)),
        c.REVIEW: frozenset(map(label_core, review)),
    }


def _hits(core: str, vocabulary: frozenset[str], fuzzy: bool) -> bool:
    if core in vocabulary:
        return True
    return len(core) >= MIN_SUBSTRING_LENGTH and any(
        len(word) >= MIN_SUBSTRING_LENGTH
        and (word in core or core in word or (fuzzy and _similar(core, word)))
        for word in vocabulary
    )


def _similar(core: str, word: str) -> bool:
    # the cheap upper bounds first: most pairs share few characters
    matcher = SequenceMatcher(None, core, word, autojunk=False)
    return (matcher.real_quick_ratio() >= MIN_FUZZY_SIMILARITY
            and matcher.quick_ratio() >= MIN_FUZZY_SIMILARITY
            and matcher.ratio() >= MIN_FUZZY_SIMILARITY)


def classify(table: CellTable) -> str | None:
    """The canonical table name of ``table``, or None when it is not a GIAR table (or is a
    continuation with no words of its own, such as a row of numbers). Words misread a
    character in four are looked for only when the whole words do not tell: the matching
    costs ten times the rest, and printed tables never need it."""
    cores = [core for cell in table.cells if (core := label_core(cell.text))]
    for fuzzy in (False, True):
        counts = {
            name: sum(_hits(core, vocabulary, fuzzy) for core in cores)
            for name, vocabulary in _vocabulary().items()
        }
        best = max(counts, key=lambda name: counts[name])
        if counts[best] >= MIN_VOCABULARY_HITS:
            return best
    return None
