"""Running text → the six body sections (一 … 六) of a GIAR, headings excluded.

Input is :class:`giar.layout.TextLine` in reading order. Two kinds of input are expected:

* PDF text layers: table cells already removed, bboxes meaningful, page furniture may remain;
  paragraphs are rebuilt from the geometry (indent, short last line, list markers).
* web text dumps: every line has the same dummy bbox; each line is a paragraph and table rows
  are still present (pipes, tabs, one cell per line) and are stripped from sections 二–四.

Headings are found on a whitelist of heading texts per numeral (GIAR_TEMPLATE.md §4.3), never on
the numeral alone: the T3 row labels "一、本年新收…" … "四、结转下年度继续办理" start like headings.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from statistics import median

from giar import canonical
from giar.chinese import normalize
from giar.layout import TextLine

SECTION_KEYS: tuple[str, ...] = (
    "overview",
    "active_disclosure",
    "applications",
    "review_litigation",
    "problems",
    "other",
)
_NUMERALS = "一二三四五六"
_TABLE_SECTIONS = frozenset({"active_disclosure", "applications", "review_litigation"})

_HEADING_PREFIX = re.compile(rf"^(?P<num>[{_NUMERALS}])[、.,:]?(?P<body>.+)$")
_HEADING_BODIES: dict[str, re.Pattern[str]] = {
    "一": re.compile(r"^.{0,12}(总体情况|概述|工作概况)$"),
    "二": re.compile(r"^.{0,8}主动公开.{0,12}$"),
    "三": re.compile(r"^.{0,6}(收到|处理|依申请).{0,8}申请.{0,10}$"),
    "四": re.compile(r"^.{0,24}(行政复议|行政诉讼).{0,16}$"),
    "五": re.compile(r"^.{0,20}问题.{0,10}$"),
    "六": re.compile(r"^.{0,4}其他.{0,8}(报告|事项).{0,6}$"),
}
_MAX_HEADING_CHARS = 45
# A heading wrapped over two lines leaves a short tail ("讼情况") on the second.
_MAX_HEADING_TAIL_CHARS = 6
_HEADING_ENDINGS = ("情况", "事项", "问题", "問題", "情況", "事項")

_PAGE_NUMBER = re.compile(
    r"^(?:[-－—–~]\s*\d{1,3}\s*[-－—–~]"
    r"|\d{1,3}"
    r"|第\s*\d{1,3}\s*页(?:\s*[,，/]?\s*共\s*\d{1,3}\s*页)?"
    r"|\d{1,3}\s*/\s*\d{1,3}"
    r"|共\s*\d{1,3}\s*页.{0,12})$"
)
_WEB_BOILERPLATE = re.compile(
    r"^(?:浏览次数|瀏覽次數|相关文章|相關文章|相关链接|相關鏈接|打印本页|关闭窗口|【?打印】?|"
    r"分享到|扫一扫|发布日期|發佈日期|发布时间|發布時間|来源[:：]|字号|字體|【字体)"
)
_MAX_BOILERPLATE_CHARS = 40

_CELL_SEPARATOR = re.compile(r"\s*[|\t]\s*")
_NUMBER_CELL = re.compile(r"^(?:[+\-－]{0,2}\d+(?:\.\d+)?\s*(?:万元|元|件|%)?|[-－—/／]+|无)$")
_SUBTABLE_TITLE = re.compile(r"^第二十条第\([一二三四五六七八九十]+\)项$")
_TABLE_HEADER_WORDS = (
    "信息内容", "本年新", "制作数量", "公开数量", "申请人情况", "法人或其他组织", "行政诉讼",
    "(本列数据的勾稽关系为:第一项加第二项之和,等于第三项加第四项之和)",
)
# A list marker opens a paragraph only after a full stop: after "；" or "：" an "二是…" or
# "1." at the start of a line is usually an enumeration wrapped inside one paragraph.
_PARAGRAPH_END = "。！!？?"
_LIST_START = re.compile(
    r"^(?:[（(][一二三四五六七八九十\d]{1,3}[)）]|[一二三四五六七八九十]{1,3}[、.．]|\d{1,2}[、.．](?!\d))"
)
# CJK typesetting (Word/WPS/LibreOffice "autospace") puts a real space glyph between Latin
# letters or digits and CJK text ("2024 年", "470 元"); the author typed none. Text dumps
# were not typeset and are kept as given.
_CJK = r"\u3000-\u303f\u3400-\u9fff\uff01-\uff60"
_AUTOSPACE = re.compile(rf"(?<=[0-9A-Za-z%])[ \u00a0]+(?=[{_CJK}])|(?<=[{_CJK}])[ \u00a0]+(?=[0-9A-Za-z])")
# Geometry thresholds, in multiples of the median line height (≈ one CJK character).
_INDENT_CHARS = 0.8
_SHORT_LINE_CHARS = 1.5
# Edges within a quarter character are the same margin (OCR boxes jitter by a point or two).
_EDGE_BIN_CHARS = 0.25
_RUNNING_HEADER_MIN_PAGES = 3


@dataclass(frozen=True, slots=True)
class SectionHeading:
    """Where a section heading was found: section key, printed text, page, first line index.

    ``line_count`` is 2 when the heading wrapped onto a second line.
    """

    key: str
    text: str
    page: int
    line_index: int
    line_count: int = 1


@dataclass(frozen=True, slots=True)
class SectionTexts:
    """Prose of the six sections; ``None`` when the heading is missing, "" when it has no prose."""

    overview: str | None
    active_disclosure: str | None
    applications: str | None
    review_litigation: str | None
    problems: str | None
    other: str | None
    headings: tuple[SectionHeading, ...] = ()

    def heading(self, key: str) -> SectionHeading | None:
        return next((h for h in self.headings if h.key == key), None)


def heading_section(text: str) -> str | None:
    """The section key whose heading ``text`` is, or None (numeral alone is never enough)."""
    compact = normalize(text)
    if len(compact) > _MAX_HEADING_CHARS or any(c in compact for c in "。|") or "\t" in text:
        return None
    match = _HEADING_PREFIX.match(compact)
    if match is None:
        return None
    numeral = match.group("num")
    if not _HEADING_BODIES[numeral].match(match.group("body")):
        return None
    return SECTION_KEYS[_NUMERALS.index(numeral)]


def find_headings(lines: Sequence[TextLine]) -> tuple[SectionHeading, ...]:
    """The section headings, in document order, as the longest chain ordered 一 → 六."""
    candidates = [
        heading for index in range(len(lines))
        if (heading := _heading_at(lines, index)) is not None
    ]
    return _longest_ordered_chain(candidates)


def _heading_at(lines: Sequence[TextLine], index: int) -> SectionHeading | None:
    """The heading starting at ``lines[index]``, taking a short wrapped tail line along."""
    line = lines[index]
    text = line.text.strip()
    alone = heading_section(text)
    tail = lines[index + 1].text.strip() if index + 1 < len(lines) else ""
    wraps = 0 < len(tail) <= _MAX_HEADING_TAIL_CHARS and not text.endswith(_HEADING_ENDINGS)
    joined = heading_section(text + tail) if wraps else None
    if joined is not None and joined == (alone or joined):
        return SectionHeading(joined, text + tail, line.page, index, line_count=2)
    if alone is not None:
        return SectionHeading(alone, text, line.page, index)
    return None


def _longest_ordered_chain(candidates: list[SectionHeading]) -> tuple[SectionHeading, ...]:
    order = [SECTION_KEYS.index(c.key) for c in candidates]
    best_length = [1] * len(candidates)
    previous: list[int | None] = [None] * len(candidates)
    for i in range(len(candidates)):
        for j in range(i):
            if order[j] < order[i] and best_length[j] + 1 > best_length[i]:
                best_length[i] = best_length[j] + 1
                previous[i] = j
    if not candidates:
        return ()
    cursor: int | None = max(range(len(candidates)), key=lambda i: (best_length[i], -i))
    chain: list[SectionHeading] = []
    while cursor is not None:
        chain.append(candidates[cursor])
        cursor = previous[cursor]
    return tuple(reversed(chain))


def is_page_furniture(text: str) -> bool:
    """Page numbers ("- 3 -", "3", "第3页", "3/6") and web-page boilerplate lines."""
    stripped = text.strip()
    if not stripped:
        return True
    if _PAGE_NUMBER.match(stripped):
        return True
    return len(stripped) <= _MAX_BOILERPLATE_CHARS and bool(_WEB_BOILERPLATE.match(stripped))


def running_headers(lines: Sequence[TextLine]) -> frozenset[str]:
    """Line texts repeated on at least three different pages (running headers/footers)."""
    pages_by_text: dict[str, set[int]] = {}
    for line in lines:
        pages_by_text.setdefault(line.text.strip(), set()).add(line.page)
    return frozenset(
        text for text, pages in pages_by_text.items() if len(pages) >= _RUNNING_HEADER_MIN_PAGES
    )


def split_sections(lines: list[TextLine]) -> SectionTexts:
    """Split running text into the six contract sections (text without the headings)."""
    headings = find_headings(lines)
    layout = _PageGeometry.measure(lines)
    repeated = running_headers(lines)
    texts: dict[str, str | None] = dict.fromkeys(SECTION_KEYS)
    for position, heading in enumerate(headings):
        end = headings[position + 1].line_index if position + 1 < len(headings) else len(lines)
        body = [
            line for line in lines[heading.line_index + heading.line_count:end]
            if not is_page_furniture(line.text) and line.text.strip() not in repeated
        ]
        body = [line for line in body if not _is_table_row(line.text, heading.key)]
        texts[heading.key] = "\n".join(_paragraphs(body, layout))
    return SectionTexts(**texts, headings=headings)


# ---------------------------------------------------------------- table rows in text dumps


def _table_vocabulary() -> frozenset[str]:
    labels: set[str] = set(_TABLE_HEADER_WORDS)
    labels.update(canonical.ACTIVE_COLUMN_LABELS_2019.values())
    labels.update(canonical.ACTIVE_COLUMN_LABELS_2021.values())
    for subtables in canonical.ACTIVE_SUBTABLES.values():
        labels.update(row.label for sub in subtables for row in sub.rows)
    for rows in canonical.APPLICATION_ROWS.values():
        for row in rows:
            labels.update(label for label in (row.label, row.group, row.section) if label)
    labels.update(canonical.APPLICANT_COLUMN_LABELS.values())
    labels.update(canonical.REVIEW_BLOCK_LABELS.values())
    labels.update(canonical.REVIEW_COLUMN_LABELS.values())
    return frozenset(normalize(label) for label in labels)


_TABLE_VOCABULARY = _table_vocabulary()
_MAX_CELL_CHARS = 60


def _is_table_row(text: str, section_key: str) -> bool:
    """Whether a dump line is (part of) a table: separated cells, a lone cell, a label, a value.

    Cell-separated lines are tables anywhere; bare values and labels only inside 二–四, so
    that a lone "无" under 六 stays prose.
    """
    stripped = text.strip()
    if "|" in stripped or "\t" in stripped:
        cells = [c for c in _CELL_SEPARATOR.split(stripped) if c]
        return all(len(c) <= _MAX_CELL_CHARS and "。" not in c for c in cells)
    if section_key not in _TABLE_SECTIONS:
        return False
    compact = normalize(stripped)
    return bool(
        _NUMBER_CELL.match(compact)
        or _SUBTABLE_TITLE.match(compact)
        or compact in _TABLE_VOCABULARY
    )


# ---------------------------------------------------------------- paragraphs


@dataclass(frozen=True, slots=True)
class _PageGeometry:
    """Text-block margins and character size measured from the lines; None for text dumps."""

    left: float
    right: float
    char_size: float

    @classmethod
    def measure(cls, lines: Sequence[TextLine]) -> _PageGeometry | None:
        boxes = [line.bbox for line in lines if line.text.strip() and line.bbox.width > 0]
        if len({(round(b.x0), round(b.x1)) for b in boxes}) < 2:
            return None
        char_size = median(b.height for b in boxes)
        return cls(
            left=min(_recurring([b.x0 for b in boxes], char_size * _EDGE_BIN_CHARS)),
            right=max(_recurring([b.x1 for b in boxes], char_size * _EDGE_BIN_CHARS)),
            char_size=char_size,
        )

    def is_indented(self, line: TextLine) -> bool:
        return line.bbox.x0 > self.left + _INDENT_CHARS * self.char_size

    def ends_short(self, line: TextLine) -> bool:
        return line.bbox.x1 < self.right - _SHORT_LINE_CHARS * self.char_size


def _recurring(values: list[float], resolution: float) -> list[float]:
    """Edges seen on at least two lines (values within ``resolution`` points are one edge).

    The text block's edges recur on every full line, while a hanging punctuation mark, a page
    number or a stray line occurs once. All values are returned if none recur.
    """
    clusters: list[list[float]] = []
    for value in sorted(values):
        if clusters and value - clusters[-1][-1] <= resolution:
            clusters[-1].append(value)
        else:
            clusters.append([value])
    recurring = [median(c) for c in clusters if len(c) >= 2]
    return recurring or list(values)


def _paragraphs(lines: list[TextLine], layout: _PageGeometry | None) -> list[str]:
    paragraphs: list[str] = []
    previous: TextLine | None = None
    for line in lines:
        text = line.text.strip() if layout is None else _AUTOSPACE.sub("", line.text.strip())
        if not text:
            continue
        if previous is None or layout is None or _starts_paragraph(line, previous, layout):
            paragraphs.append(text)
        else:
            paragraphs[-1] += text
        previous = line
    return paragraphs


def _starts_paragraph(line: TextLine, previous: TextLine, layout: _PageGeometry) -> bool:
    if layout.is_indented(line) or layout.ends_short(previous):
        return True
    after_sentence = previous.text.rstrip().endswith(tuple(_PARAGRAPH_END))
    return after_sentence and bool(_LIST_START.match(line.text.strip()))
