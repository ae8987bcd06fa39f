"""Report metadata from the running text: title, issuing body as printed, reporting year.

The title sits before the first section heading, on one line ("邙岭镇人民政府2020年政府信息公开工作
年度报告", "2022年度螅镇政府信息公开工作年度报告") or on two ("淮安市洪泽区人民政府" /
"2024 年政府信息公开工作年度报告"). The organization is taken from the title only: the
compiler named in the preamble ("本报告由…办公室…编制") is a different body.

Year sources, in order of trust: the title, the 统计期限 sentence ("统计期限自2024 年1 月1 日
至…"), the first "YYYY年，" of section 一.

The title is checked against the body, never corrected by it: an organization the body does not
name while it names one a character or two apart, or a 统计期限 of another year, is reported
(:attr:`ReportMeta.organization_in_body`, :attr:`ReportMeta.year_in_body`) for a reviewer.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from giar.chinese import to_simplified
from giar.extract.sections import find_headings, is_page_furniture, split_sections
from giar.layout import TextLine

YEAR_FROM_TITLE = "title"
YEAR_FROM_STATISTICS_PERIOD = "statistics_period"
YEAR_FROM_OVERVIEW = "overview"
YEAR_NOT_FOUND = "none"

_YEAR = r"(?:19|20)\d{2}"
_TITLE = re.compile(
    rf"^(?P<before>.*?)(?P<year>{_YEAR})年(?:度)?(?P<after>.*?)"
    r"政府信息公[开開](?:工作)?(?:年度)?[报報]告$"
)
# A title whose fixed words are one character off ("工作午度報告": 年 misread on a scan) is
# still the title, read with a mistake: its confidence is at most MISREAD_TITLE_CONFIDENCE.
_TITLE_START = re.compile(rf"^(?P<before>.*?)(?P<year>{_YEAR})年(?:度)?(?P<after>.*)$")
_TITLE_ENDINGS = ("政府信息公开工作年度报告", "政府信息公开年度报告", "政府信息公开工作报告",
                  "政府信息公开报告")
MISREAD_TITLE_CONFIDENCE = 0.85
# Departments whose names are standard across the country (the 国务院 model of local
# government, the 机构改革 of 2018). An organization holding one of these but for one
# character ("市场监管理局") was misread, however sure the recogniser was; its title is
# kept at MISREAD_TITLE_CONFIDENCE. The 和 is left out on both sides, as short forms do
# (发展改革局, 工业信息化局); shorter names stand one character from each other (教育局, 体育局)
# and are not checked, nor are the levels (办公室, 办公厅; 局, 厅).
STANDARD_NAMES = (
    "人民政府", "市场监督管理", "发展和改革", "人力资源和社会保障",
    "住房和城乡建设", "文化和旅游", "文化广电和旅游", "农业农村", "生态环境", "交通运输",
    "退役军人事务", "卫生健康", "应急管理", "医疗保障", "自然资源", "自然资源和规划",
    "行政审批", "政务服务", "城市管理", "综合行政执法", "街道办事处", "工业和信息化",
    "科学技术", "公共资源交易", "林业和草原", "乡村振兴",
)
_STATISTICS_PERIOD = re.compile(
    rf"(?P<year>{_YEAR})\s*年\s*0?1\s*月\s*0?1\s*日\s*(?:起\s*)?(?:至|到|—|－|-|~)"
)
_OVERVIEW_YEAR = re.compile(rf"(?P<year>{_YEAR})\s*年\s*(?:度\s*)?[，,]")
# A title line carries no sentence punctuation; the preamble sentence ("本报告由…编制") does.
_SENTENCE_PUNCTUATION = re.compile(r"[。，,；;：:！!？?、]")
# Rules, dashes and specks at either end of a line: no title begins or ends with them.
_STRAY_ENDS = re.compile(r"^[—–\-－_·•・~～|丨=＝]+|[—–\-－_·•・~～|丨=＝]+$")
_MAX_TITLE_LINES = 3
_MAX_ORGANIZATION_CHARS = 40
# Without any heading, look for the title among this many leading lines.
_LEADING_LINES = 15
_FIRST_PLAUSIBLE_YEAR = 2008  # the first 条例 (国务院令第492号) took effect on 2008-05-01


@dataclass(frozen=True, slots=True)
class ReportMeta:
    """Title, issuing body and year of one report; ``year_source`` says where the year came from."""

    organization: str | None
    year: int | None
    title: str | None
    year_source: str = YEAR_NOT_FOUND
    title_confidence: float = 1.0  # of the least sure line the title was read from
    # A name in the body a few characters from ``organization``, which the body never names.
    organization_in_body: str | None = None
    # The 统计期限 year, when it is not the title's.
    year_in_body: int | None = None


@dataclass(frozen=True, slots=True)
class _Title:
    organization: str | None
    year: int
    text: str
    confidence: float  # of the least sure line it was read from


def read_metadata(lines: list[TextLine]) -> ReportMeta:
    """Title, organization (as printed in the title) and report year of one report."""
    title = find_title(lines)
    if title is not None:
        confidence = title.confidence
        if title.organization and misread_standard_name(title.organization):
            confidence = min(confidence, MISREAD_TITLE_CONFIDENCE)
        period_year = statistics_period_year(lines)
        return ReportMeta(title.organization, title.year, title.text, YEAR_FROM_TITLE,
                          confidence,
                          organization_in_body=_near_name_in_body(title.organization, lines),
                          year_in_body=period_year if period_year != title.year else None)
    year = statistics_period_year(lines)
    if year is not None:
        return ReportMeta(None, year, None, YEAR_FROM_STATISTICS_PERIOD)
    year = overview_year(lines)
    if year is not None:
        return ReportMeta(None, year, None, YEAR_FROM_OVERVIEW)
    return ReportMeta(None, None, None, YEAR_NOT_FOUND)


def find_title(lines: Sequence[TextLine]) -> _Title | None:
    """The report title among the lines before the first section heading; one whose fixed
    words are a character off only when no line reads as a title exactly (a title wrapped
    before its last character, "…年度报" / "告", is one character off on its first line)."""
    candidates = [(_compact(line.text), line.confidence) for line in _front_matter(lines)]
    candidates = [(text, confidence) for text, confidence in candidates if text]
    for tolerant in (False, True):
        for start in range(len(candidates)):
            for count in range(1, _MAX_TITLE_LINES + 1):
                window = candidates[start:start + count]
                if len(window) < count or any(_SENTENCE_PUNCTUATION.search(t) for t, _ in window):
                    break
                title = _parse_title("".join(text for text, _ in window),
                                     min(confidence for _, confidence in window), tolerant)
                if title is not None:
                    return _with_organization_above(title, candidates[:start])
    return None


def statistics_period_year(lines: Sequence[TextLine]) -> int | None:
    """Year of the 统计期限 sentence ("…统计期限自2024 年1 月1 日至…"), anywhere in the text."""
    text = "".join(line.text for line in lines if not is_page_furniture(line.text))
    for match in _STATISTICS_PERIOD.finditer(text):
        year = int(match.group("year"))
        if _plausible(year):
            return year
    return None


def overview_year(lines: list[TextLine]) -> int | None:
    """The first "YYYY年，" of section 一, the usual opening of its first paragraph."""
    overview = split_sections(lines).overview
    if not overview:
        return None
    for match in _OVERVIEW_YEAR.finditer(overview):
        year = int(match.group("year"))
        if _plausible(year):
            return year
    return None


def _front_matter(lines: Sequence[TextLine]) -> list[TextLine]:
    headings = find_headings(lines)
    end = headings[0].line_index if headings else min(len(lines), _LEADING_LINES)
    return [line for line in lines[:end] if not is_page_furniture(line.text)]


def _compact(text: str) -> str:
    """The text without spaces, and without marks at its ends that no title begins or ends
    with (a rule or a speck above the title reads as "—" on a scan)."""
    return _STRAY_ENDS.sub("", "".join(text.split()))


def _parse_title(text: str, confidence: float, tolerant: bool = False) -> _Title | None:
    match = _TITLE.match(text)
    if match is not None:
        after = match.group("after")
    elif not tolerant:
        return None
    else:
        match = _TITLE_START.match(text)
        after = _less_misread_ending(match.group("after")) if match else None
        if after is None:
            return None
        confidence = min(confidence, MISREAD_TITLE_CONFIDENCE)
    year = int(match.group("year"))
    if not _plausible(year):
        return None
    organization = match.group("before") or after or None
    return _Title(organization, year, text, confidence)


def _less_misread_ending(after: str) -> str | None:
    """``after`` without its last words when they are a title ending but for one character;
    None when they are not."""
    simplified = to_simplified(after)
    for ending in _TITLE_ENDINGS:
        for size in (len(ending) - 1, len(ending), len(ending) + 1):
            if size <= len(simplified) and _one_edit_apart(simplified[-size:], ending):
                return after[:-size]
    return None


def _one_edit_apart(a: str, b: str) -> bool:
    """Whether ``a`` and ``b`` differ by exactly one inserted, deleted or replaced character."""
    return abs(len(a) - len(b)) <= 1 and _edit_distance(a, b) == 1


def misread_standard_name(organization: str) -> str | None:
    """The standard department name (:data:`STANDARD_NAMES`) that ``organization`` holds but
    for one character, or None."""
    name = to_simplified(organization).replace("和", "")
    for standard in (standard.replace("和", "") for standard in STANDARD_NAMES):
        if standard in name:
            continue
        for size in (len(standard) - 1, len(standard), len(standard) + 1):
            if any(_one_edit_apart(name[start:start + size], standard)
                   for start in range(len(name) - size + 1)):
                return standard
    return None


def _near_name_in_body(organization: str | None, lines: Sequence[TextLine]) -> str | None:
    """The body's name closest to ``organization`` when the body never names it as printed but
    names one :func:`_allowed_edits` or fewer characters away ("吴忠市生态环境局盐池分局" under a
    title read "吴南生态环境局盐池分局"); None otherwise. A body that names neither (it says
    "我局") proves nothing."""
    if not organization:
        return None
    name = to_simplified(organization)
    body = to_simplified(_body_text(lines))
    if name in body:
        return None
    near = [(_edit_distance(name, window), window)
            for window in _windows_sharing_a_piece(name, body)]
    near = [(distance, window) for distance, window in near if distance <= _allowed_edits(name)]
    if not near:
        return None
    # Of equally near windows, the longest: "忠市…分局" and "吴忠市…分局" are both two edits
    # from "吴南…分局", and the body names the second.
    return min(near, key=lambda item: (item[0], -len(item[1]), item[1]))[1]


def _allowed_edits(name: str) -> int:
    """One edit in a short name, one more for every five characters: a tenth of the name
    always matches another body's name one office up ("XX区商务局"/"XX市商务局") too closely
    to tell."""
    return max(1, len(name) // 5)


def _body_text(lines: Sequence[TextLine]) -> str:
    """The running text after the title, without page furniture and without spaces (a
    name can wrap across lines)."""
    headings = find_headings(lines)
    start = headings[0].line_index if headings else 0
    return "".join("".join(line.text.split()) for line in lines[start:]
                   if not is_page_furniture(line.text))


_PIECE = 3  # characters a body window must share with the name, in place, to be compared


def _windows_sharing_a_piece(name: str, body: str) -> set[str]:
    """Stretches of ``body`` aligned on a three-character piece of ``name``, each as long as
    the name give or take :func:`_allowed_edits` characters."""
    slack = _allowed_edits(name)
    pieces: dict[str, list[int]] = {}
    for offset in range(len(name) - _PIECE + 1):
        pieces.setdefault(name[offset:offset + _PIECE], []).append(offset)
    windows: set[str] = set()
    for index in range(len(body) - _PIECE + 1):
        for offset in pieces.get(body[index:index + _PIECE], ()):
            for shift in range(-slack, slack + 1):
                start = max(0, index - offset + shift)
                for size in range(len(name) - slack, len(name) + slack + 1):
                    windows.add(body[start:start + size])
    return windows


def _edit_distance(a: str, b: str) -> int:
    """Characters inserted, deleted or replaced to turn ``a`` into ``b``."""
    previous = list(range(len(b) + 1))
    for i, char_a in enumerate(a, start=1):
        current = [i]
        for j, char_b in enumerate(b, start=1):
            current.append(min(previous[j] + 1, current[j - 1] + 1,
                               previous[j - 1] + (char_a != char_b)))
        previous = current
    return previous[-1]


def _with_organization_above(title: _Title, lines_above: list[tuple[str, float]]) -> _Title:
    """A title line without a body name takes the line just above it ("<机关>\\n<YYYY>年…")."""
    if title.organization is not None or not lines_above:
        return title
    above, confidence = lines_above[-1]
    if len(above) > _MAX_ORGANIZATION_CHARS or _SENTENCE_PUNCTUATION.search(above):
        return title
    if re.search(_YEAR, above):
        return title
    return _Title(above, title.year, above + title.text, min(confidence, title.confidence))


def _plausible(year: int) -> bool:
    return _FIRST_PLAUSIBLE_YEAR <= year <= 2100
